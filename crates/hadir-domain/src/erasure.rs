//! Weighing a request to erase (UU PDP Ps 8, Ps 43–44) against what the law makes the institution
//! keep. Each class of a person's data is either erased now or kept, with the ground and, where
//! the retention schedule decides it, until when; the same lines become the answer the person
//! reads. Pure: the caller counts what is held.

use crate::explain::Lang;
use crate::retention::RetentionPolicy;
use chrono::{Duration, NaiveDate};

/// What is held about the person, counted by the caller.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ErasureFacts {
    /// A legal hold covers the person: nothing is erased while it stands.
    pub held: bool,
    /// Still employed (the person is active).
    pub employed: bool,
    pub photos_decided: u32,
    pub photos_awaiting_review: u32,
    pub device_selfies_decided: u32,
    pub device_selfies_pending: u32,
    /// Check-ins whose exact coordinates are still kept, not awaiting review.
    pub exact_locations: u32,
    /// Consent-based purposes the person has granted and not withdrawn.
    pub consents_given: u32,
    pub notice_feedback: u32,
    /// The day of the newest attendance record, and of the newest access-log entry about them.
    pub newest_record: Option<NaiveDate>,
    pub newest_access: Option<NaiveDate>,
    /// The last day of the latest leave on record.
    pub newest_leave: Option<NaiveDate>,
    pub has_account: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DataClass {
    CheckinPhotos,
    DeviceSelfies,
    ExactLocations,
    ConsentBased,
    NoticeFeedback,
    Account,
    AttendanceRecords,
    LeaveRecords,
    AccessLog,
    ConsentLedger,
    Profile,
}

/// Why something is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ground {
    /// A legal hold (a case, an inquiry): UU PDP Ps 15.
    LegalHold,
    /// Attendance and leave records the institution must keep (Perpres 21/2023, PP 94/2021,
    /// PP 11/2017): running the state, Ps 15.
    LegalObligation,
    /// Evidence a pending review or approval still needs.
    AwaitingReview,
    /// The record of who read the person's data: accountability (Ps 31, Ps 35).
    Accountability,
    /// The proof of consent the controller must be able to show (Ps 24).
    ProofOfConsent,
    /// The person still works here: their employment record and login are in use.
    Employment,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Erased now: this many items.
    Erase(u32),
    /// Kept, on this ground, until the schedule removes it (a date) or while the ground stands.
    Keep { ground: Ground, until: Option<NaiveDate> },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Line {
    pub class: DataClass,
    pub verdict: Verdict,
}

fn keep(class: DataClass, ground: Ground, until: Option<NaiveDate>) -> Line {
    Line { class, verdict: Verdict::Keep { ground, until } }
}

fn erase(class: DataClass, count: u32) -> Option<Line> {
    (count > 0).then_some(Line { class, verdict: Verdict::Erase(count) })
}

/// Each class of what is held, erased or kept. Under a legal hold everything is kept.
pub fn assess(f: &ErasureFacts, policy: &RetentionPolicy) -> Vec<Line> {
    let after = |day: Option<NaiveDate>, days: u32| day.map(|d| d + Duration::days(i64::from(days)));
    let mut lines = Vec::new();
    if f.held {
        let classes = [
            DataClass::CheckinPhotos,
            DataClass::DeviceSelfies,
            DataClass::ExactLocations,
            DataClass::AttendanceRecords,
            DataClass::LeaveRecords,
            DataClass::AccessLog,
            DataClass::Profile,
        ];
        return classes.into_iter().map(|c| keep(c, Ground::LegalHold, None)).collect();
    }
    lines.extend(erase(DataClass::CheckinPhotos, f.photos_decided));
    if f.photos_awaiting_review > 0 {
        lines.push(keep(DataClass::CheckinPhotos, Ground::AwaitingReview, None));
    }
    lines.extend(erase(DataClass::DeviceSelfies, f.device_selfies_decided));
    if f.device_selfies_pending > 0 {
        lines.push(keep(DataClass::DeviceSelfies, Ground::AwaitingReview, None));
    }
    lines.extend(erase(DataClass::ExactLocations, f.exact_locations));
    lines.extend(erase(DataClass::ConsentBased, f.consents_given));
    lines.extend(erase(DataClass::NoticeFeedback, f.notice_feedback));
    if f.has_account {
        lines.push(match f.employed {
            true => keep(DataClass::Account, Ground::Employment, None),
            false => Line { class: DataClass::Account, verdict: Verdict::Erase(1) },
        });
    }
    if f.newest_record.is_some() {
        let until = after(f.newest_record, policy.attendance_record_days);
        lines.push(keep(DataClass::AttendanceRecords, Ground::LegalObligation, until));
    }
    if f.newest_leave.is_some() {
        let until = after(f.newest_leave, policy.leave_record_days);
        lines.push(keep(DataClass::LeaveRecords, Ground::LegalObligation, until));
    }
    if f.newest_access.is_some() {
        lines.push(keep(DataClass::AccessLog, Ground::Accountability, after(f.newest_access, policy.access_log_days)));
    }
    lines.push(keep(DataClass::ConsentLedger, Ground::ProofOfConsent, None));
    let profile_ground = if f.employed { Ground::Employment } else { Ground::LegalObligation };
    lines.push(keep(DataClass::Profile, profile_ground, None));
    lines
}

fn class_text(class: DataClass, lang: Lang) -> &'static str {
    match (class, lang) {
        (DataClass::CheckinPhotos, Lang::Id) => "Swafoto presensi",
        (DataClass::CheckinPhotos, Lang::En) => "Check-in selfies",
        (DataClass::DeviceSelfies, Lang::Id) => "Swafoto pendaftaran perangkat",
        (DataClass::DeviceSelfies, Lang::En) => "Phone registration selfies",
        (DataClass::ExactLocations, Lang::Id) => "Koordinat persis presensi (jarak dan di dalam area tetap)",
        (DataClass::ExactLocations, Lang::En) => "Exact check-in coordinates (the distance and inside-the-fence stay)",
        (DataClass::ConsentBased, Lang::Id) => "Pemrosesan berdasarkan persetujuan (persetujuan ditarik)",
        (DataClass::ConsentBased, Lang::En) => "Processing based on consent (consent withdrawn)",
        (DataClass::NoticeFeedback, Lang::Id) => "Masukan atas pemberitahuan privasi",
        (DataClass::NoticeFeedback, Lang::En) => "Comments on the privacy notice",
        (DataClass::Account, Lang::Id) => "Akun masuk dan sesinya",
        (DataClass::Account, Lang::En) => "Login and its sessions",
        (DataClass::AttendanceRecords, Lang::Id) => "Catatan presensi dan status harian",
        (DataClass::AttendanceRecords, Lang::En) => "Attendance records and daily statuses",
        (DataClass::LeaveRecords, Lang::Id) => "Catatan cuti dan izin",
        (DataClass::LeaveRecords, Lang::En) => "Leave and absence records",
        (DataClass::AccessLog, Lang::Id) => "Catatan akses petugas atas data Anda",
        (DataClass::AccessLog, Lang::En) => "The log of staff reading your data",
        (DataClass::ConsentLedger, Lang::Id) => "Riwayat persetujuan",
        (DataClass::ConsentLedger, Lang::En) => "Consent history",
        (DataClass::Profile, Lang::Id) => "Data kepegawaian",
        (DataClass::Profile, Lang::En) => "Employment record",
    }
}

fn ground_text(ground: Ground, lang: Lang) -> &'static str {
    match (ground, lang) {
        (Ground::LegalHold, Lang::Id) => "ada penahanan hukum (UU PDP Ps 15)",
        (Ground::LegalHold, Lang::En) => "a legal hold applies (UU PDP Ps 15)",
        (Ground::LegalObligation, Lang::Id) => {
            "kewajiban hukum penyelenggaraan negara (Perpres 21/2023, PP 94/2021, PP 11/2017; UU PDP Ps 15)"
        }
        (Ground::LegalObligation, Lang::En) => {
            "a legal obligation of running the state (Perpres 21/2023, PP 94/2021, PP 11/2017; UU PDP Ps 15)"
        }
        (Ground::AwaitingReview, Lang::Id) => "masih menjadi bukti tinjauan yang belum diputus",
        (Ground::AwaitingReview, Lang::En) => "still evidence for a review not yet decided",
        (Ground::Accountability, Lang::Id) => "pertanggungjawaban atas akses (UU PDP Ps 31, Ps 35)",
        (Ground::Accountability, Lang::En) => "accountability for access (UU PDP Ps 31, Ps 35)",
        (Ground::ProofOfConsent, Lang::Id) => "bukti persetujuan yang wajib disimpan (UU PDP Ps 24)",
        (Ground::ProofOfConsent, Lang::En) => "the proof of consent the law requires (UU PDP Ps 24)",
        (Ground::Employment, Lang::Id) => "Anda masih bekerja di instansi ini",
        (Ground::Employment, Lang::En) => "you still work for this institution",
    }
}

/// What is erased and what is kept, one line each, in `lang`.
pub fn describe(lines: &[Line], lang: Lang) -> (Vec<String>, Vec<String>) {
    let until_word = if lang == Lang::Id { "sampai" } else { "until" };
    let mut erased = Vec::new();
    let mut kept = Vec::new();
    for line in lines {
        match line.verdict {
            Verdict::Erase(n) => erased.push(format!("{} ({n})", class_text(line.class, lang))),
            Verdict::Keep { ground, until } => {
                let until = until.map(|d| format!(", {until_word} {}", d.format("%d-%m-%Y"))).unwrap_or_default();
                kept.push(format!("{}: {}{until}", class_text(line.class, lang), ground_text(ground, lang)));
            }
        }
    }
    (erased, kept)
}

/// The answer the person reads: what was erased, and what is kept, why, and until when.
pub fn answer(lines: &[Line], lang: Lang) -> String {
    let (erased_head, kept_head, nothing) = match lang {
        Lang::Id => ("Dihapus:", "Disimpan:", "tidak ada"),
        Lang::En => ("Erased:", "Kept:", "nothing"),
    };
    let (erased, kept) = describe(lines, lang);
    let list = |items: Vec<String>| {
        if items.is_empty() {
            format!("- {nothing}")
        } else {
            items.iter().map(|i| format!("- {i}")).collect::<Vec<_>>().join("\n")
        }
    };
    format!("{erased_head}\n{}\n{kept_head}\n{}", list(erased), list(kept))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn facts() -> ErasureFacts {
        ErasureFacts {
            employed: true,
            photos_decided: 12,
            photos_awaiting_review: 1,
            device_selfies_decided: 1,
            exact_locations: 12,
            consents_given: 1,
            newest_record: Some(day(2026, 11, 20)),
            newest_access: Some(day(2026, 10, 1)),
            newest_leave: Some(day(2026, 6, 30)),
            has_account: true,
            ..ErasureFacts::default()
        }
    }

    #[test]
    fn an_employee_loses_what_the_law_does_not_keep_and_is_told_why_the_rest_stays() {
        let lines = assess(&facts(), &RetentionPolicy::default());
        let erased: Vec<_> = lines.iter().filter(|l| matches!(l.verdict, Verdict::Erase(_))).map(|l| l.class).collect();
        assert_eq!(
            erased,
            [DataClass::CheckinPhotos, DataClass::DeviceSelfies, DataClass::ExactLocations, DataClass::ConsentBased]
        );
        let records = lines.iter().find(|l| l.class == DataClass::AttendanceRecords).unwrap();
        assert_eq!(
            records.verdict,
            Verdict::Keep { ground: Ground::LegalObligation, until: Some(day(2031, 11, 19)) },
            "five years of 365 days after the newest record"
        );
        assert!(lines.contains(&keep(DataClass::CheckinPhotos, Ground::AwaitingReview, None)));
        assert!(lines.contains(&keep(DataClass::Account, Ground::Employment, None)));
        let text = answer(&lines, Lang::Id);
        assert!(text.starts_with("Dihapus:\n- Swafoto presensi (12)"), "{text}");
        assert!(text.contains("Catatan presensi dan status harian: kewajiban hukum"), "{text}");
        assert!(text.contains("sampai 19-11-2031"), "{text}");
    }

    #[test]
    fn someone_who_left_loses_their_login_too() {
        let left = ErasureFacts { employed: false, ..facts() };
        let lines = assess(&left, &RetentionPolicy::default());
        assert!(lines.contains(&Line { class: DataClass::Account, verdict: Verdict::Erase(1) }));
        assert!(lines.contains(&keep(DataClass::Profile, Ground::LegalObligation, None)));
    }

    #[test]
    fn a_legal_hold_keeps_everything() {
        let held = ErasureFacts { held: true, ..facts() };
        let lines = assess(&held, &RetentionPolicy::default());
        assert!(lines.iter().all(|l| matches!(l.verdict, Verdict::Keep { ground: Ground::LegalHold, .. })));
        assert!(answer(&lines, Lang::En).starts_with("Erased:\n- nothing\nKept:"));
    }
}
