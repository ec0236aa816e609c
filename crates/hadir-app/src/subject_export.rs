//! The copy a person gets of everything Hadir holds about them (UU PDP Ps 7 access and Ps 13
//! portability): made by a job when they file an access or portability request, as one ZIP of
//! JSON files (for a program), the same records as CSV (for a spreadsheet), and their photos and
//! documents. Downloadable once, by them, for three days.
//!
//! Records are read whole, so nothing held is left out by accident; only what would harm them or
//! others to hand out is held back, and the included README says what and why: password and
//! session hashes (secrets, not information about them), legal holds (Ps 15: law enforcement),
//! and who among the staff decided what beyond their account id.

use crate::jobs::{Made, Progress};
use crate::{App, AppError, Principal};
use chrono::{DateTime, Datelike, Months, NaiveDate};
use hadir_db::entities::{
    access_entry, account, attendance_event as event, consent_entry, device, duty_assignment, leave_opening,
    leave_request, location_assignment, notice_feedback, person, role_grant, schedule_assignment, session,
    subject_request, subject_request_step, wfh_point,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// How long the copy waits for its one download.
pub const KEEP_MS: i64 = 3 * 24 * 60 * 60 * 1000;
/// Months of day-by-day statuses included: attendance records are kept five years by default.
const MONTHS_BACK: u32 = 60;

/// What the export job needs: the request it answers.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SubjectExport {
    pub request_id: String,
}

/// Columns that are secrets or plumbing rather than information about the person.
const HELD_BACK: [&str; 5] = ["password_hash", "token_hash", "nik_index", "answer", "in_slot"];

fn strip(mut rows: Vec<Value>, also: &[&str]) -> Vec<Value> {
    for row in &mut rows {
        if let Value::Object(fields) = row {
            fields.retain(|k, _| !HELD_BACK.contains(&k.as_str()) && !also.contains(&k.as_str()));
        }
    }
    rows
}

/// One kind of record as two files: `<name>.json` and `<name>.csv`.
fn both(files: &mut Vec<(String, Vec<u8>)>, name: &str, rows: &[Value]) -> Result<(), AppError> {
    let json = serde_json::to_vec_pretty(rows).map_err(|e| AppError::Internal(e.to_string()))?;
    files.push((format!("{name}.json"), json));
    files.push((format!("{name}.csv"), hadir_reports::csv_of(rows).into_bytes()));
    Ok(())
}

fn store(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(format!("object store: {e}"))
}

/// Everything held about `subject`, as the archive's files.
async fn files_of(app: &App, subject: &person::Model, progress: &Progress) -> Result<Vec<(String, Vec<u8>)>, AppError> {
    let inst = subject.institution_id.as_str();
    let pid = subject.id.as_str();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();

    progress.step("collecting", 0, 0).await;
    // The profile, with the NIK opened: it is theirs.
    let mut profile =
        strip(person::Entity::find_by_id((inst.to_string(), pid.to_string())).into_json().all(&app.db).await?, &[]);
    if let Some(Value::Object(fields)) = profile.first_mut() {
        fields.insert("nik".into(), json!(crate::people::open_nik(app, subject)));
        fields.insert("religion".into(), json!(crate::people::open_religion(app, subject).map(|r| r.as_str())));
    }
    both(&mut files, "profile", &profile)?;

    let accounts = account::Entity::find()
        .filter(account::Column::InstitutionId.eq(inst))
        .filter(account::Column::PersonId.eq(pid))
        .all(&app.db)
        .await?;
    let account_ids: Vec<String> = accounts.iter().map(|a| a.id.clone()).collect();
    both(
        &mut files,
        "account",
        &strip(
            account::Entity::find()
                .filter(account::Column::InstitutionId.eq(inst))
                .filter(account::Column::PersonId.eq(pid))
                .into_json()
                .all(&app.db)
                .await?,
            &[],
        ),
    )?;
    both(
        &mut files,
        "roles",
        &strip(
            role_grant::Entity::find()
                .filter(role_grant::Column::InstitutionId.eq(inst))
                .filter(role_grant::Column::AccountId.is_in(account_ids.clone()))
                .into_json()
                .all(&app.db)
                .await?,
            &[],
        ),
    )?;
    both(
        &mut files,
        "sessions",
        &strip(
            session::Entity::find()
                .filter(session::Column::InstitutionId.eq(inst))
                .filter(session::Column::AccountId.is_in(account_ids))
                .order_by_asc(session::Column::CreatedAt)
                .into_json()
                .all(&app.db)
                .await?,
            &[],
        ),
    )?;

    // Phones, with their registration selfies.
    let devices = device::Entity::find()
        .filter(device::Column::InstitutionId.eq(inst))
        .filter(device::Column::PersonId.eq(pid))
        .order_by_asc(device::Column::CreatedAt)
        .all(&app.db)
        .await?;
    for d in &devices {
        if let Some(bytes) = app.objects.get_if_exists(&d.photo_key).await.map_err(store)? {
            files.push((format!("photos/device-{}.jpg", d.id), bytes));
        }
    }
    both(
        &mut files,
        "devices",
        &strip(
            device::Entity::find()
                .filter(device::Column::InstitutionId.eq(inst))
                .filter(device::Column::PersonId.eq(pid))
                .order_by_asc(device::Column::CreatedAt)
                .into_json()
                .all(&app.db)
                .await?,
            &["photo_key"],
        ),
    )?;

    // Every check-in attempt, with the photos still kept.
    let events = event::Entity::find()
        .filter(event::Column::InstitutionId.eq(inst))
        .filter(event::Column::PersonId.eq(pid))
        .order_by_asc(event::Column::OccurredAt)
        .all(&app.db)
        .await?;
    progress.step("photos", 0, events.len() as i64).await;
    for (i, e) in events.iter().enumerate() {
        if let Some(key) = &e.photo_key
            && let Some(bytes) = app.objects.get_if_exists(key).await.map_err(store)?
        {
            files.push((format!("photos/checkin-{}.jpg", e.id), bytes));
        }
        progress.count("photos", i as i64 + 1, events.len() as i64).await;
    }
    both(
        &mut files,
        "checkins",
        &strip(
            event::Entity::find()
                .filter(event::Column::InstitutionId.eq(inst))
                .filter(event::Column::PersonId.eq(pid))
                .order_by_asc(event::Column::OccurredAt)
                .into_json()
                .all(&app.db)
                .await?,
            &["photo_key"],
        ),
    )?;

    // Leave and absence, with their documents opened.
    let leave = leave_request::Entity::find()
        .filter(leave_request::Column::InstitutionId.eq(inst))
        .filter(leave_request::Column::PersonId.eq(pid))
        .order_by_asc(leave_request::Column::CreatedAt)
        .all(&app.db)
        .await?;
    for l in &leave {
        let Some(key) = &l.document_key else { continue };
        let Some(sealed) = app.objects.get_if_exists(key).await.map_err(store)? else { continue };
        let bytes = app.keys.open_bytes(&sealed).map_err(|e| AppError::Internal(format!("opening a document: {e}")))?;
        let extension = if bytes.starts_with(b"%PDF") { "pdf" } else { "jpg" };
        files.push((format!("documents/leave-{}.{extension}", l.id), bytes));
    }
    both(
        &mut files,
        "leave",
        &strip(
            leave_request::Entity::find()
                .filter(leave_request::Column::InstitutionId.eq(inst))
                .filter(leave_request::Column::PersonId.eq(pid))
                .order_by_asc(leave_request::Column::CreatedAt)
                .into_json()
                .all(&app.db)
                .await?,
            &["document_key"],
        ),
    )?;
    both(
        &mut files,
        "leave_openings",
        &leave_opening::Entity::find()
            .filter(leave_opening::Column::InstitutionId.eq(inst))
            .filter(leave_opening::Column::PersonId.eq(pid))
            .into_json()
            .all(&app.db)
            .await?,
    )?;
    both(
        &mut files,
        "wfh_points",
        &wfh_point::Entity::find()
            .filter(wfh_point::Column::InstitutionId.eq(inst))
            .filter(wfh_point::Column::PersonId.eq(pid))
            .into_json()
            .all(&app.db)
            .await?,
    )?;
    both(
        &mut files,
        "duties",
        &duty_assignment::Entity::find()
            .filter(duty_assignment::Column::InstitutionId.eq(inst))
            .filter(duty_assignment::Column::PersonId.eq(pid))
            .into_json()
            .all(&app.db)
            .await?,
    )?;
    both(
        &mut files,
        "work_locations_assigned",
        &location_assignment::Entity::find()
            .filter(location_assignment::Column::InstitutionId.eq(inst))
            .filter(location_assignment::Column::PersonId.eq(pid))
            .into_json()
            .all(&app.db)
            .await?,
    )?;
    both(
        &mut files,
        "schedule_assigned",
        &schedule_assignment::Entity::find()
            .filter(schedule_assignment::Column::InstitutionId.eq(inst))
            .filter(schedule_assignment::Column::PersonId.eq(pid))
            .into_json()
            .all(&app.db)
            .await?,
    )?;

    // Privacy: their consents, their requests with every step, who read their data, what they
    // said about a notice.
    both(
        &mut files,
        "consents",
        &consent_entry::Entity::find()
            .filter(consent_entry::Column::InstitutionId.eq(inst))
            .filter(consent_entry::Column::PersonId.eq(pid))
            .order_by_asc(consent_entry::Column::At)
            .into_json()
            .all(&app.db)
            .await?,
    )?;
    let requests = subject_request::Entity::find()
        .filter(subject_request::Column::InstitutionId.eq(inst))
        .filter(subject_request::Column::PersonId.eq(pid))
        .all(&app.db)
        .await?;
    let mut request_rows = subject_request::Entity::find()
        .filter(subject_request::Column::InstitutionId.eq(inst))
        .filter(subject_request::Column::PersonId.eq(pid))
        .order_by_asc(subject_request::Column::FiledAt)
        .into_json()
        .all(&app.db)
        .await?;
    // A rectification's proposed value is sealed at rest; it is theirs, so it is opened.
    for row in &mut request_rows {
        if let Some(Value::String(sealed)) = row.get("proposed") {
            let opened = app.keys.open_text(sealed).ok();
            row["proposed"] = json!(opened);
        }
    }
    both(&mut files, "requests", &request_rows)?;
    both(
        &mut files,
        "request_steps",
        &subject_request_step::Entity::find()
            .filter(subject_request_step::Column::InstitutionId.eq(inst))
            .filter(subject_request_step::Column::RequestId.is_in(requests.into_iter().map(|r| r.id)))
            .order_by_asc(subject_request_step::Column::At)
            .into_json()
            .all(&app.db)
            .await?,
    )?;
    both(
        &mut files,
        "access_log",
        &access_entry::Entity::find()
            .filter(access_entry::Column::InstitutionId.eq(inst))
            .filter(access_entry::Column::SubjectPersonId.eq(pid))
            .order_by_asc(access_entry::Column::At)
            .into_json()
            .all(&app.db)
            .await?,
    )?;
    // Reads of lists they were in (their unit's recap, the people list, today's board).
    let lists: Vec<Value> = crate::access_log::reads_about(app, subject, 500)
        .await?
        .into_iter()
        .filter(|r| r.detail.is_some() || matches!(r.data, crate::access_log::Data::PeopleList))
        .map(|r| serde_json::to_value(r).map_err(|e| AppError::Internal(e.to_string())))
        .collect::<Result<_, _>>()?;
    both(&mut files, "list_reads", &lists)?;
    both(
        &mut files,
        "notice_feedback",
        &notice_feedback::Entity::find()
            .filter(notice_feedback::Column::InstitutionId.eq(inst))
            .filter(notice_feedback::Column::PersonId.eq(pid))
            .into_json()
            .all(&app.db)
            .await?,
    )?;

    // Their days as the recap reads them, month by month, from when they were added.
    let principal = Principal::operator(inst);
    let months = months_since(subject.created_at, app.clock.now().date_naive());
    let mut days = Vec::new();
    for (n, month) in months.iter().enumerate() {
        progress.count("statuses", n as i64, months.len() as i64).await;
        let result = crate::recap::month_of(app, &principal, subject.clone(), month).await?;
        for d in result.days {
            days.push(serde_json::to_value(&d).map_err(|e| AppError::Internal(e.to_string()))?);
        }
    }
    both(&mut files, "days", &days)?;
    files.insert(0, ("README.txt".into(), README.as_bytes().to_vec()));
    Ok(files)
}

/// `YYYY-MM` of each month from the one holding `since_ms` to `today`'s, at most [`MONTHS_BACK`].
fn months_since(since_ms: i64, today: NaiveDate) -> Vec<String> {
    let first = DateTime::from_timestamp_millis(since_ms).map(|t| t.date_naive()).unwrap_or(today);
    let earliest = today.checked_sub_months(Months::new(MONTHS_BACK - 1)).unwrap_or(today);
    let mut month = first.max(earliest).with_day(1).unwrap_or(first);
    let mut out = Vec::new();
    while month <= today {
        out.push(format!("{:04}-{:02}", month.year(), month.month()));
        month = match month.checked_add_months(Months::new(1)) {
            Some(next) => next,
            None => break,
        };
    }
    out
}

/// What the job does: the archive for the request's person, and a step on the request saying it
/// is ready.
pub(crate) async fn make(
    app: &App,
    institution_id: &str,
    export: &SubjectExport,
    progress: &Progress,
) -> Result<Made, AppError> {
    let request = subject_request::Entity::find_by_id((institution_id.to_string(), export.request_id.clone()))
        .one(&app.db)
        .await?
        .ok_or(AppError::NotFound("subject_request"))?;
    let subject = person::Entity::find_by_id((institution_id.to_string(), request.person_id.clone()))
        .one(&app.db)
        .await?
        .ok_or(AppError::NotFound("person"))?;
    let files = files_of(app, &subject, progress).await?;
    progress.step("writing", 0, files.len() as i64).await;
    let bytes = tokio::task::spawn_blocking(move || hadir_reports::zip_files(&files))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let day = chrono::Utc::now().format("%Y-%m-%d");
    Ok(Made { name: format!("data-saya-{day}.zip"), content_type: "application/zip".into(), bytes })
}

const README: &str = "Salinan data Anda dari Hadir / Your data from Hadir
=====================================================

Berkas .json untuk dibaca program; berkas .csv berisi catatan yang sama untuk lembar kerja.
The .json files are for programs; the .csv files hold the same records for a spreadsheet.
Waktu dalam milidetik Unix (UTC) / Times are Unix milliseconds (UTC).

profile            biodata kepegawaian, NIK terbuka / employment details, NIK in clear
account, roles,    akun masuk, peran, sesi / your login, roles, sessions
sessions
devices            ponsel terdaftar; swafoto di photos/device-*.jpg / phones; selfies in photos/
checkins           setiap presensi, sinyal, lokasi, tinjauan; foto di photos/checkin-*.jpg
                   every check-in, its signals, location and review; photos in photos/
days               status tiap hari (TL/PSW, TK, cuti) / each day's status
leave, leave_openings  cuti dan izin; dokumen di documents/ / leave; documents in documents/
wfh_points, duties, work_locations_assigned, schedule_assigned
consents           riwayat persetujuan / your consent history
requests, request_steps  permintaan hak Anda / your data-subject requests
access_log         petugas yang membaca data Anda / staff who read your data
list_reads         daftar yang memuat Anda dan dibaca petugas (rekap unit, daftar pegawai)
                   lists you were in that staff read (your unit's recap, the people list)
notice_feedback    masukan Anda atas pemberitahuan privasi / your comments on the notice

Tidak disertakan / Not included: hash kata sandi dan sesi (rahasia keamanan, bukan informasi
tentang Anda); penahanan hukum (UU PDP Ps 15); foto yang sudah dihapus sesuai masa simpan.
Password and session hashes (security secrets, not information about you); legal holds
(UU PDP Ps 15); photos already deleted under the retention schedule.
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_run_from_joining_to_now_at_most_five_years() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        let joined = |y, m, d| {
            NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp_millis()
        };
        assert_eq!(months_since(joined(2026, 9, 30), today), ["2026-09", "2026-10", "2026-11"]);
        let long = months_since(joined(2001, 1, 1), today);
        assert_eq!((long.len(), long[0].as_str(), long[59].as_str()), (60, "2021-12", "2026-11"));
        assert_eq!(months_since(joined(2026, 11, 29), today), ["2026-11"]);
    }

    #[test]
    fn secrets_are_held_back_and_the_rest_kept() {
        let rows = strip(
            vec![json!({ "id": "a", "password_hash": "$argon2", "photo_key": "k", "kind": "in" })],
            &["photo_key"],
        );
        assert_eq!(rows, [json!({ "id": "a", "kind": "in" })]);
    }
}
