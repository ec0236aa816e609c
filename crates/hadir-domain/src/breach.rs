//! A personal-data breach (UU PDP Ps 46): the data subjects and the supervisory authority are told
//! in writing within 3×24 hours of discovery — what data, when and how it leaked, and what is
//! being done. The notices are generated from the recorded facts, in Indonesian and English.

use chrono::{DateTime, Duration, Utc};

/// The time the law gives, counted in hours from discovery.
pub fn notify_by(discovered: DateTime<Utc>) -> DateTime<Utc> {
    discovered + Duration::hours(3 * 24)
}

/// The recorded facts of a breach.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Facts<'a> {
    pub institution: &'a str,
    pub discovered: DateTime<Utc>,
    /// When it happened, as far as known.
    pub occurred: &'a str,
    pub data_affected: &'a str,
    pub how: &'a str,
    pub remediation: &'a str,
    pub people_affected: u32,
    pub contact: &'a str,
}

/// Who a notice is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// The people whose data leaked.
    Subjects,
    /// The supervisory authority (Lembaga PDP).
    Authority,
}

/// The notice, as Markdown: Indonesian first, then English.
pub fn notice(f: &Facts<'_>, audience: Audience) -> String {
    let discovered = f.discovered.format("%Y-%m-%d %H:%M UTC");
    let (title_id, title_en, opening_id, opening_en) = match audience {
        Audience::Subjects => (
            "Pemberitahuan kegagalan pelindungan data pribadi",
            "Notice of a personal data breach",
            format!(
                "{} memberitahukan bahwa data pribadi Anda terdampak oleh kegagalan pelindungan data.",
                f.institution
            ),
            format!("{} informs you that your personal data was affected by a breach.", f.institution),
        ),
        Audience::Authority => (
            "Pemberitahuan kepada lembaga: kegagalan pelindungan data pribadi (UU 27/2022 Pasal 46)",
            "Notice to the authority: personal data breach (Law 27/2022 Art. 46)",
            format!("{} sebagai pengendali data pribadi melaporkan kegagalan pelindungan data pribadi.", f.institution),
            format!("{}, as the personal data controller, reports a personal data breach.", f.institution),
        ),
    };
    let mut out = format!(
        "# {title_id}\n\n{opening_id}\n\n\
         - **Data yang terdampak:** {data}\n\
         - **Waktu kejadian:** {occurred}; diketahui {discovered}\n\
         - **Bagaimana terjadi:** {how}\n\
         - **Yang sedang dan telah dilakukan:** {remediation}\n",
        data = f.data_affected,
        occurred = f.occurred,
        how = f.how,
        remediation = f.remediation,
    );
    if audience == Audience::Authority {
        out.push_str(&format!("- **Jumlah subjek data terdampak:** {}\n", f.people_affected));
    }
    out.push_str(&format!("- **Kontak:** {}\n\n---\n\n# {title_en}\n\n{opening_en}\n\n", f.contact));
    out.push_str(&format!(
        "- **Data affected:** {}\n- **When:** {}; discovered {discovered}\n- **How:** {}\n- **What is being done:** {}\n",
        f.data_affected, f.occurred, f.how, f.remediation
    ));
    if audience == Audience::Authority {
        out.push_str(&format!("- **Data subjects affected:** {}\n", f.people_affected));
    }
    out.push_str(&format!("- **Contact:** {}\n", f.contact));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> Facts<'static> {
        Facts {
            institution: "Pemerintah Kota A",
            discovered: DateTime::parse_from_rfc3339("2026-03-06T09:30:00Z").unwrap().to_utc(),
            occurred: "5 Maret 2026",
            data_affected: "nama, NIP, swafoto presensi",
            how: "cadangan basis data terbuka di server uji",
            remediation: "akses ditutup, kunci diganti, server uji dihapus",
            people_affected: 312,
            contact: "ppid@kota-a.go.id",
        }
    }

    #[test]
    fn the_clock_runs_72_hours_from_discovery() {
        let f = facts();
        assert_eq!(notify_by(f.discovered), DateTime::parse_from_rfc3339("2026-03-09T09:30:00Z").unwrap().to_utc());
    }

    #[test]
    fn notices_state_what_when_how_and_the_remedy_in_both_languages() {
        let subjects = notice(&facts(), Audience::Subjects);
        for needed in [
            "nama, NIP, swafoto presensi",
            "5 Maret 2026",
            "2026-03-06 09:30 UTC",
            "server uji",
            "kunci diganti",
            "Notice of a personal data breach",
            "ppid@kota-a.go.id",
        ] {
            assert!(subjects.contains(needed), "{needed}: {subjects}");
        }
        assert!(!subjects.contains("312"), "the subjects' notice does not count them");
        let authority = notice(&facts(), Audience::Authority);
        assert!(authority.contains("Pasal 46") && authority.contains("Data subjects affected:** 312"));
    }
}
