//! `hadir demo`: a realistic institution to try the product with — Pemerintah Provinsi Bengkulu,
//! six OPD with their bidang, offices in Bengkulu city with geofences, the standard ASN week, and
//! about 500 employees with valid NIPs and NI PPPK numbers, supervisors and administrators.
//!
//! Seeding is deterministic (a fixed pseudo-random sequence) and idempotent: when the institution
//! exists, nothing is written and the same logins are reported.

use crate::accounts::{insert_account, insert_grant};
use crate::audit::{self, Entry};
use crate::institutions::{self, InstitutionInput, InstitutionKind};
use crate::{App, AppError, RequestMeta, new_id};
use hadir_db::entities::{location_assignment, person, schedule, unit, work_location};
use hadir_domain::geo::{GeoPoint, Geofence};
use hadir_domain::identifiers::{NiPppk, Nik, Nip};
use hadir_domain::person::Religion;
use hadir_domain::roles::Role;
use hadir_domain::schedule::WeeklySchedule;
use hadir_domain::time_zone::WorkZone;
use sea_orm::{EntityTrait, TransactionTrait};
use std::collections::HashSet;

pub const SLUG: &str = "pemprov-bengkulu";
/// Every demo account's password. Printed on purpose: this is a demo.
pub const PASSWORD: &str = "Hadir-Demo-2026";

/// One login to try, as printed after seeding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoLogin {
    pub role: &'static str,
    pub name: String,
    pub login: String,
}

#[derive(Debug)]
pub struct DemoSummary {
    pub created: bool,
    pub people: usize,
    pub logins: Vec<DemoLogin>,
}

struct Opd {
    code: &'static str,
    name: &'static str,
    bidang: &'static [&'static str],
    office: &'static str,
    address: &'static str,
    lat: f64,
    lon: f64,
}

const OPDS: &[Opd] = &[
    Opd {
        code: "SETDA",
        name: "Sekretariat Daerah",
        bidang: &["Biro Umum", "Biro Organisasi", "Biro Hukum", "Biro Pemerintahan dan Kesra"],
        office: "Kantor Gubernur Bengkulu",
        address: "Jl. Pembangunan No. 1, Padang Harapan, Kota Bengkulu",
        lat: -3.8215,
        lon: 102.2870,
    },
    Opd {
        code: "BKD",
        name: "Badan Kepegawaian Daerah",
        bidang: &[
            "Sekretariat",
            "Bidang Mutasi dan Promosi",
            "Bidang Pengembangan Kompetensi",
            "Bidang Informasi Kepegawaian",
        ],
        office: "Kantor BKD Provinsi Bengkulu",
        address: "Jl. Pembangunan No. 3, Padang Harapan, Kota Bengkulu",
        lat: -3.8238,
        lon: 102.2889,
    },
    Opd {
        code: "DIKBUD",
        name: "Dinas Pendidikan dan Kebudayaan",
        bidang: &["Sekretariat", "Bidang Pembinaan SMA", "Bidang Pembinaan SMK", "Bidang Kebudayaan"],
        office: "Kantor Dinas Pendidikan dan Kebudayaan",
        address: "Jl. Mahoni No. 57, Padang Jati, Kota Bengkulu",
        lat: -3.7951,
        lon: 102.2627,
    },
    Opd {
        code: "DINKES",
        name: "Dinas Kesehatan",
        bidang: &[
            "Sekretariat",
            "Bidang Pelayanan Kesehatan",
            "Bidang Pencegahan dan Pengendalian Penyakit",
            "Bidang Kesehatan Masyarakat",
        ],
        office: "Kantor Dinas Kesehatan",
        address: "Jl. Batang Hari No. 108, Padang Harapan, Kota Bengkulu",
        lat: -3.8127,
        lon: 102.2796,
    },
    Opd {
        code: "BAPPEDA",
        name: "Badan Perencanaan Pembangunan Daerah",
        bidang: &[
            "Sekretariat",
            "Bidang Perencanaan Ekonomi",
            "Bidang Perencanaan Infrastruktur",
            "Bidang Penelitian dan Pengembangan",
        ],
        office: "Kantor Bappeda",
        address: "Jl. Pembangunan No. 15, Padang Harapan, Kota Bengkulu",
        lat: -3.8199,
        lon: 102.2851,
    },
    Opd {
        code: "DISKOMINFOTIK",
        name: "Dinas Komunikasi, Informatika dan Statistik",
        bidang: &[
            "Sekretariat",
            "Bidang Aplikasi Informatika",
            "Bidang Informasi dan Komunikasi Publik",
            "Bidang Statistik dan Persandian",
        ],
        office: "Kantor Diskominfotik",
        address: "Jl. Basuki Rahmat No. 5, Sawah Lebar, Kota Bengkulu",
        lat: -3.7962,
        lon: 102.2594,
    },
];

const FIRST_MALE: &[&str] = &[
    "Ahmad",
    "Budi",
    "Dedi",
    "Eko",
    "Fajar",
    "Hendra",
    "Irwan",
    "Joko",
    "Rahmat",
    "Rudi",
    "Syaiful",
    "Taufik",
    "Yudi",
    "Zulkifli",
    "Arief",
    "Bambang",
    "Darmawan",
    "Firmansyah",
    "Gunawan",
    "Hasan",
    "Iskandar",
    "Muhammad",
    "Rizki",
    "Salman",
    "Wahyu",
    "Andi",
    "Reza",
];
const FIRST_FEMALE: &[&str] = &[
    "Ani", "Dewi", "Eka", "Fitri", "Indah", "Lestari", "Maya", "Nurul", "Putri", "Rina", "Sari", "Siti", "Yuni",
    "Wulan", "Ayu", "Desi", "Erna", "Herlina", "Intan", "Kartika", "Melati", "Novi", "Ratna", "Sri", "Tuti", "Yulia",
];
const LAST: &[&str] = &[
    "Saputra",
    "Pratama",
    "Hidayat",
    "Santoso",
    "Wijaya",
    "Kurniawan",
    "Nugroho",
    "Siregar",
    "Harahap",
    "Lubis",
    "Rahmawati",
    "Susanti",
    "Anggraini",
    "Putra",
    "Syahputra",
    "Ramadhan",
    "Utami",
    "Permata",
    "Maulana",
    "Febrianti",
    "Irawan",
    "Setiawan",
    "Hakim",
    "Fauzi",
    "Marlina",
    "Yanti",
    "Zainal",
    "Effendi",
];

/// xorshift64*: small, fixed, good enough to vary demo data.
struct Sequence(u64);

impl Sequence {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

/// The people of one bidang (or the OPD head), before insertion.
struct Planned {
    model: person::Model,
    /// The OPD's office, where the person checks in.
    office: String,
    role: Option<(Role, Option<String>)>,
    label: Option<&'static str>,
}

struct Planner {
    seq: Sequence,
    institution_id: String,
    now_ms: i64,
    used_numbers: HashSet<String>,
    used_emails: HashSet<String>,
    count: u64,
}

impl Planner {
    fn person(&mut self, unit_id: &str, position: &str, supervisor: Option<&str>, kind: &str) -> person::Model {
        self.count += 1;
        let female = self.seq.below(2) == 1;
        let first = self.seq.pick(if female { FIRST_FEMALE } else { FIRST_MALE });
        let last = self.seq.pick(LAST);
        let birth_year = 1966 + self.seq.below(33) as i32;
        let (month, day) = (1 + self.seq.below(12) as u32, 1 + self.seq.below(28) as u32);
        let sex = if female { 2 } else { 1 };
        let number = loop {
            let seq = 1 + self.seq.below(999);
            let candidate = match kind {
                "pppk" => {
                    let year = 2021 + self.seq.below(4) as i32;
                    let code = 10 + self.seq.below(80);
                    format!("{birth_year:04}{month:02}{day:02}{year:04}{code:02}{sex}{seq:03}")
                }
                "non_asn" => format!("THL/{:04}/{:03}", 2018 + self.seq.below(7), self.count),
                _ => {
                    let start_year = (birth_year + 22 + self.seq.below(8) as i32).min(2024);
                    let start_month = 1 + self.seq.below(12);
                    format!("{birth_year:04}{month:02}{day:02}{start_year:04}{start_month:02}{sex}{seq:03}")
                }
            };
            if self.used_numbers.insert(candidate.clone()) {
                break candidate;
            }
        };
        // The generator only produces valid identifiers; checking keeps it honest.
        match kind {
            "pppk" => debug_assert!(NiPppk::parse(&number).is_ok(), "{number}"),
            "asn" => debug_assert!(Nip::parse(&number).is_ok(), "{number}"),
            _ => {}
        }
        let mut email = format!("{}.{}@bengkuluprov.go.id", first.to_lowercase(), last.to_lowercase());
        let mut n = 2;
        while !self.used_emails.insert(email.clone()) {
            email = format!("{}.{}{n}@bengkuluprov.go.id", first.to_lowercase(), last.to_lowercase());
            n += 1;
        }
        // One in five has a NIK on file: Kota Bengkulu (17 71), a district, the birth date.
        let nik = (self.seq.below(5) == 0 && kind != "non_asn").then(|| {
            let nik = format!(
                "1771{:02}{:02}{month:02}{:02}{:04}",
                1 + self.seq.below(9),
                day + if female { 40 } else { 0 },
                birth_year % 100,
                1 + self.seq.below(9999)
            );
            debug_assert!(Nik::parse(&nik).is_ok(), "{nik}");
            nik
        });
        person::Model {
            institution_id: self.institution_id.clone(),
            id: new_id(),
            employee_number: number,
            employment_type: kind.into(),
            full_name: format!("{first} {last}"),
            nik,
            nik_index: None,
            email: Some(email),
            phone: Some(format!("+628{:02}{:08}", 11 + self.seq.below(88), self.seq.below(100_000_000))),
            unit_id: Some(unit_id.into()),
            position: Some(position.into()),
            supervisor_id: supervisor.map(Into::into),
            status: "active".into(),
            created_at: self.now_ms,
            updated_at: self.now_ms,
            // Bengkulu is mostly Muslim, with Christian, Catholic, Hindu and Buddhist minorities.
            religion: Some(
                match self.seq.below(100) {
                    0..=87 => Religion::Islam,
                    88..=94 => Religion::Kristen,
                    95..=97 => Religion::Katolik,
                    98 => Religion::Hindu,
                    _ => Religion::Buddha,
                }
                .as_str()
                .into(),
            ),
        }
    }
}

fn unit_model(
    institution_id: &str,
    parent: Option<&str>,
    code: String,
    name: &str,
    kind: &str,
    now_ms: i64,
) -> unit::Model {
    unit::Model {
        institution_id: institution_id.into(),
        id: new_id(),
        parent_id: parent.map(Into::into),
        code,
        name: name.into(),
        kind: kind.into(),
        active: true,
        created_at: now_ms,
        updated_at: now_ms,
    }
}

/// The office's geofence: circles, and for one office a polygon around its compound.
fn geofence(opd: &Opd) -> Geofence {
    let p = |dlat: f64, dlon: f64| GeoPoint::new(opd.lat + dlat, opd.lon + dlon).expect("Bengkulu is on the map");
    if opd.code == "DISKOMINFOTIK" {
        Geofence::polygon(vec![p(-0.0008, -0.0007), p(-0.0008, 0.0009), p(0.0007, 0.0009), p(0.0007, -0.0007)])
            .expect("four distinct corners")
    } else {
        Geofence::circle(p(0.0, 0.0), 150.0).expect("150 m is a valid radius")
    }
}

/// The demo's privacy notice (UU PDP Ps 21): what is processed, why, on which basis, for how long,
/// by whom, and the rights a person has. A real institution writes its own.
const NOTICE_ID: &str = "Pemberitahuan Privasi Hadir — Pemerintah Provinsi Bengkulu

Pengendali data: Pemerintah Provinsi Bengkulu (BKD), Jl. Pembangunan No. 1, Bengkulu. Petugas pelindungan data dapat dihubungi lewat menu Privasi saya.

Data yang diproses: identitas kepegawaian (nama, NIP/NI PPPK, NIK, unit, jabatan, atasan), kontak, swafoto dan lokasi saat presensi, perangkat yang didaftarkan, cuti dan izin beserta dokumennya, serta rekap kehadiran.

Tujuan dan dasar hukum: presensi dan rekap kehadiran (kewajiban hukum: Perpres 21/2023, PP 94/2021); lokasi hanya saat presensi (pelayanan publik); penilaian kinerja (pelayanan publik); pengumuman lewat e-mail (persetujuan, boleh ditolak atau ditarik kapan saja). Pencocokan wajah hanya dengan persetujuan eksplisit; tanpa itu presensi tetap bisa dengan kode QR kios.

Masa simpan: swafoto presensi 90 hari; koordinat persis 1 tahun lalu hanya jarak/di dalam area; catatan kehadiran 5 tahun; catatan akses 2 tahun; riwayat persetujuan selama akun ada ditambah 5 tahun. Penahanan hukum dapat menunda penghapusan.

Pemroses: tidak ada pihak ketiga; data disimpan di server instansi di Indonesia (PP 71/2019).

Hak Anda (Ps 5–13): informasi, akses dan salinan, perbaikan, penghapusan atau penghentian, pembatasan, keberatan atas keputusan otomatis, salinan yang dapat dipindahkan, dan penarikan persetujuan — ajukan lewat Privasi saya; instansi menanggapi dalam 3×24 jam bila undang-undang menetapkannya.";

const NOTICE_EN: &str = "Hadir Privacy Notice — Provincial Government of Bengkulu

Controller: the Provincial Government of Bengkulu (BKD), Jl. Pembangunan No. 1, Bengkulu. The data protection officer is reached through My privacy.

Data processed: employment identity (name, NIP/NI PPPK, NIK, unit, position, supervisor), contact details, the selfie and location at check-in, registered phones, leave and absence with their documents, and the attendance recap.

Purposes and lawful bases: attendance and its recap (legal obligation: Perpres 21/2023, PP 94/2021); location at check-in only (public service); performance evaluation (public service); announcements by e-mail (consent, which may be refused or withdrawn at any time). Face matching only with explicit consent; without it, attendance works with the kiosk's QR code.

Retention: check-in selfies 90 days; exact coordinates 1 year, then only the distance / inside the fence; attendance records 5 years; access log 2 years; consent history as long as the account plus 5 years. A legal hold may suspend deletion.

Processors: no third party; data is stored on the institution's servers in Indonesia (PP 71/2019).

Your rights (Ps 5–13): information, access and a copy, rectification, erasure or ending processing, restriction, objection to automated decisions, portability, and withdrawing consent — file them in My privacy; the institution answers within 3×24 hours where the law sets it.";

/// Seeds the demo institution unless it exists.
pub async fn seed(app: &App) -> Result<DemoSummary, AppError> {
    if let Some(existing) = institutions::find_by_slug(app, SLUG).await? {
        return Ok(DemoSummary { created: false, people: 0, logins: logins_of(app, &existing.id).await? });
    }
    let meta = RequestMeta { request_id: Some("demo-seed".into()), ..RequestMeta::default() };
    let institution = institutions::create(
        app,
        None,
        InstitutionInput {
            slug: SLUG.into(),
            name: "Pemerintah Provinsi Bengkulu".into(),
            kind: InstitutionKind::Government,
            time_zone: WorkZone::Jakarta,
        },
        &meta,
    )
    .await?;
    let now_ms = app.now_ms();
    let hash = {
        // One hash for every demo account (same password): hashing 500 times would only slow the demo.
        let passwords = app.passwords.clone();
        tokio::task::spawn_blocking(move || passwords.hash_blocking(PASSWORD))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?
    };
    let mut planner = Planner {
        seq: Sequence(0x4841_4449_5220_2026),
        institution_id: institution.id.clone(),
        now_ms,
        used_numbers: HashSet::new(),
        used_emails: HashSet::new(),
        count: 0,
    };

    let txn = app.db.begin().await?;
    let inst = institution.id.as_str();
    schedule::Entity::insert(schedule::ActiveModel::from(schedule::Model {
        institution_id: inst.into(),
        id: new_id(),
        name: "Jam kerja ASN (Perpres 21/2023)".into(),
        definition: serde_json::to_string(&WeeklySchedule::standard_asn())
            .map_err(|e| AppError::Internal(e.to_string()))?,
        is_default: true,
        valid_from: None,
        valid_to: None,
        created_at: now_ms,
    }))
    .exec_without_returning(&txn)
    .await?;

    let mut planned: Vec<Planned> = Vec::new();
    let mut units = Vec::new();
    let mut locations = Vec::new();
    for (i, opd) in OPDS.iter().enumerate() {
        let opd_unit = unit_model(inst, None, opd.code.into(), opd.name, "opd", now_ms);
        units.push(opd_unit.clone());
        let office = new_id();
        let head = planner.person(&opd_unit.id, &format!("Kepala {}", opd.name), None, "asn");
        let head_id = head.id.clone();
        planned.push(Planned {
            model: head,
            office: office.clone(),
            role: Some((Role::Supervisor, Some(opd_unit.id.clone()))),
            label: (i == 0).then_some("Kepala OPD (atasan)"),
        });
        locations.push(work_location::Model {
            institution_id: inst.into(),
            id: office.clone(),
            unit_id: Some(opd_unit.id.clone()),
            name: opd.office.into(),
            address: Some(opd.address.into()),
            time_zone: WorkZone::Jakarta.iana().into(),
            geofence: serde_json::to_string(&geofence(opd)).map_err(|e| AppError::Internal(e.to_string()))?,
            created_at: now_ms,
            updated_at: now_ms,
        });
        for (b, bidang_name) in opd.bidang.iter().enumerate() {
            let bidang =
                unit_model(inst, Some(&opd_unit.id), format!("{}.{}", opd.code, b + 1), bidang_name, "bidang", now_ms);
            let lead = planner.person(&bidang.id, &format!("Kepala {bidang_name}"), Some(&head_id), "asn");
            let lead_id = lead.id.clone();
            planned.push(Planned {
                model: lead,
                office: office.clone(),
                role: Some((Role::Supervisor, Some(bidang.id.clone()))),
                label: (i == 0 && b == 0).then_some("Kepala bidang (atasan)"),
            });
            for k in 0..19 {
                let kind = match planner.seq.below(20) {
                    0..=2 => "pppk",
                    3 => "non_asn",
                    _ => "asn",
                };
                let position = match (b, k) {
                    (0, 0) => "Pengelola Kepegawaian",
                    (_, 0..=2) => "Analis Kebijakan",
                    (_, 3..=8) => "Pengadministrasi Umum",
                    _ => "Pelaksana",
                };
                let staff = planner.person(&bidang.id, position, Some(&lead_id), kind);
                // The first staff member of each OPD's first bidang administers the OPD.
                let role = (b == 0 && k == 0).then(|| (Role::UnitAdmin, Some(opd_unit.id.clone())));
                // BKD's personnel officer is also the institution's administrator.
                let role =
                    if opd.code == "BKD" && b == 0 && k == 0 { Some((Role::InstitutionAdmin, None)) } else { role };
                let label = match (i, b, k) {
                    (0, 0, 0) => Some("Admin OPD"),
                    (_, 0, 0) if opd.code == "BKD" => Some("Admin instansi"),
                    (0, 1, 5) => Some("Pegawai"),
                    _ => None,
                };
                planned.push(Planned { model: staff, office: office.clone(), role, label });
            }
            units.push(bidang);
        }
    }

    for u in &units {
        unit::Entity::insert(unit::ActiveModel::from(u.clone())).exec_without_returning(&txn).await?;
    }
    for l in &locations {
        work_location::Entity::insert(work_location::ActiveModel::from(l.clone())).exec_without_returning(&txn).await?;
    }
    // `planned` lists every supervisor before the people who report to them.
    for p in &planned {
        let mut model = p.model.clone();
        (model.nik, model.nik_index) = crate::people::seal_nik(app, model.nik.as_deref())?;
        model.religion = crate::people::seal_religion(app, model.religion.as_deref().and_then(Religion::parse))?;
        person::Entity::insert(person::ActiveModel::from(model)).exec_without_returning(&txn).await?;
        let acc = insert_account(&txn, inst, &p.model.id, hash.clone(), false, now_ms).await?;
        insert_grant(&txn, inst, &acc.id, Role::Employee, None, None, now_ms).await?;
        if let Some((role, unit_id)) = &p.role {
            insert_grant(&txn, inst, &acc.id, *role, unit_id.as_deref(), None, now_ms).await?;
        }
    }
    let assignments = planned.iter().map(|p| {
        location_assignment::ActiveModel::from(location_assignment::Model {
            institution_id: inst.into(),
            person_id: p.model.id.clone(),
            location_id: p.office.clone(),
            created_at: now_ms,
        })
    });
    location_assignment::Entity::insert_many(assignments).exec_without_returning(&txn).await?;
    audit::record(
        &txn,
        now_ms,
        &meta,
        Entry {
            institution_id: inst,
            actor_account_id: None,
            action: "demo.seed",
            subject_type: "institution",
            subject_id: Some(inst),
            detail: serde_json::json!({ "units": units.len(), "people": planned.len(), "work_locations": locations.len() }),
        },
    )
    .await?;
    txn.commit().await?;
    // The notice is in force from the start: everyone is asked the consent-based purposes at
    // their first sign-in, as a real institution would have them.
    let notice = crate::consent::NoticeInput { text_id: NOTICE_ID.into(), text_en: NOTICE_EN.into(), review_days: 0 };
    crate::consent::publish(app, &crate::Principal::operator(inst), notice, &meta).await?;

    let logins = planned
        .iter()
        .filter_map(|p| {
            p.label.map(|role| DemoLogin {
                role,
                name: p.model.full_name.clone(),
                login: p.model.employee_number.clone(),
            })
        })
        .collect();
    Ok(DemoSummary { created: true, people: planned.len(), logins: sort_logins(logins) })
}

/// Logins in the order people should try them: administrators first.
fn sort_logins(mut logins: Vec<DemoLogin>) -> Vec<DemoLogin> {
    const ORDER: [&str; 5] =
        ["Admin instansi", "Admin OPD", "Kepala OPD (atasan)", "Kepala bidang (atasan)", "Pegawai"];
    logins.sort_by_key(|l| ORDER.iter().position(|o| *o == l.role));
    logins
}

/// Re-derives the printed logins from the stored data (same rules as when seeding).
async fn logins_of(app: &App, institution_id: &str) -> Result<Vec<DemoLogin>, AppError> {
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
    let principal = crate::Principal::operator(institution_id);
    let units = crate::units::list(app, &principal).await?;
    let code_of = |id: &Option<String>| {
        units.iter().find(|u| Some(&u.id) == id.as_ref()).map(|u| u.code.clone()).unwrap_or_default()
    };
    let people = person::Entity::find()
        .filter(sea_orm::Condition::all().add(person::Column::InstitutionId.eq(institution_id)))
        .order_by_asc(person::Column::CreatedAt)
        .order_by_asc(person::Column::Id)
        .all(&app.db)
        .await?;
    let first_in = |code: &str, position_prefix: &str| {
        people.iter().find(|p| {
            code_of(&p.unit_id) == code && p.position.as_deref().is_some_and(|pos| pos.starts_with(position_prefix))
        })
    };
    let wanted = [
        ("Admin instansi", first_in("BKD.1", "Pengelola Kepegawaian")),
        ("Admin OPD", first_in("SETDA.1", "Pengelola Kepegawaian")),
        ("Kepala OPD (atasan)", first_in("SETDA", "Kepala")),
        ("Kepala bidang (atasan)", first_in("SETDA.1", "Kepala")),
        ("Pegawai", people.iter().filter(|p| code_of(&p.unit_id) == "SETDA.2").nth(6)),
    ];
    Ok(wanted
        .into_iter()
        .filter_map(|(role, p)| {
            p.map(|p| DemoLogin { role, name: p.full_name.clone(), login: p.employee_number.clone() })
        })
        .collect())
}
