//! Checking in and out: one use case for every mode, the kiosk's rotating QR token, a person's
//! history, and the review queue for flagged events.
//!
//! The request path does only cheap work: parse, one JPEG walk, a handful of indexed reads, one
//! insert. A retry with the same attempt id returns the first answer and never writes twice.

mod profile;
mod recent;
mod writer;

pub(crate) use profile::ProfileReader;
pub(crate) use profile::{PROFILE_TTL, Profile, forget as forget_profile, forget_all as forget_profiles_of};
pub(crate) use recent::RecentReader;
pub(crate) use writer::EventWriter;

use recent::{Recent, recent};

use crate::devices::photo_key;
use crate::{App, AppError, FieldProblem, Principal, RequestMeta, duty, new_id, policy, recap, settings, wfh};
use chrono::{DateTime, NaiveDate, Utc};
use hadir_db::entities::{attendance_event as event, person, work_location};
use hadir_domain::attendance::checkin::{self, Attempt, Context, EventKind, Outcome, QrCheck, Site};
use hadir_domain::attendance::qr;
use hadir_domain::attendance::{CheckMode, Signal};
use hadir_domain::geo::{GeoPoint, Geofence};
use hadir_domain::photo::{PhotoLimits, clean_jpeg};
use hadir_domain::{Explain, Lang};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};

pub(crate) const QR_SECRET: &str = "qr_secret";

/// What the phone sends as the `metadata` part of `POST /api/v1/checkins`.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckInRequest {
    /// A UUID the phone makes for this attempt and reuses for every retry of it.
    pub attempt_id: uuid::Uuid,
    pub kind: EventKind,
    pub mode: CheckMode,
    /// The phone's own device id, as registered.
    pub device_id: String,
    #[serde(default)]
    pub lat: Option<f64>,
    #[serde(default)]
    pub lon: Option<f64>,
    /// GPS accuracy in metres, as the phone reports it.
    #[serde(default)]
    pub accuracy_m: Option<f64>,
    #[serde(default)]
    pub mock_location: bool,
    /// The phone's clock when sending.
    pub device_time: DateTime<Utc>,
    /// For an attempt made offline: when, by the phone's clock.
    #[serde(default)]
    pub offline_at: Option<DateTime<Utc>>,
    /// The token scanned from the kiosk, for `"mode": "qr"`.
    #[serde(default)]
    pub qr_token: Option<String>,
}

/// The answer to a check-in; a retry with the same `attempt_id` gets exactly this again.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CheckInAnswer {
    pub event_id: String,
    pub attempt_id: String,
    pub kind: EventKind,
    pub mode: CheckMode,
    /// `accepted`, `needs_review` (a supervisor decides) or `rejected`.
    pub outcome: Outcome,
    pub signals: Vec<Signal>,
    pub location_id: Option<String>,
    pub distance_m: Option<f64>,
    /// Unix milliseconds: server time, or the offline attempt's time.
    pub occurred_at: i64,
    pub offline: bool,
    /// The day it counts for, at the work site.
    pub local_date: String,
}

#[derive(Clone, Copy)]
enum CheckInRule {
    AccuracyNegative,
    PointRequired,
    PhotoRequired,
    TokenRequired,
    TokenFormat,
    WfhNotToday,
    NoDutyToday,
    AlreadyCheckedIn,
    NoCheckIn,
    AttemptReused,
    AlreadyReviewed,
    SecondReviewer,
}

impl Explain for CheckInRule {
    fn code(&self) -> &'static str {
        match self {
            CheckInRule::AccuracyNegative => "accuracy_invalid",
            CheckInRule::PointRequired => "location_required",
            CheckInRule::PhotoRequired => "photo_required",
            CheckInRule::TokenRequired => "qr_token_required",
            CheckInRule::TokenFormat => "qr_token_format",
            CheckInRule::WfhNotToday => "wfh_not_allowed_today",
            CheckInRule::NoDutyToday => "no_duty_today",
            CheckInRule::AlreadyCheckedIn => "already_checked_in",
            CheckInRule::NoCheckIn => "no_check_in_today",
            CheckInRule::AttemptReused => "attempt_id_reused",
            CheckInRule::AlreadyReviewed => "already_reviewed",
            CheckInRule::SecondReviewer => "second_reviewer_required",
        }
    }

    fn message(&self, lang: Lang) -> String {
        let (id, en) = match self {
            CheckInRule::AccuracyNegative => {
                ("Akurasi GPS harus angka nol atau lebih", "GPS accuracy must be a number of zero or more")
            }
            CheckInRule::PointRequired => {
                ("Lokasi (lat, lon) wajib untuk mode ini", "A location (lat, lon) is required for this mode")
            }
            CheckInRule::PhotoRequired => ("Swafoto wajib untuk mode ini", "A selfie is required for this mode"),
            CheckInRule::TokenRequired => ("Token QR wajib untuk mode qr", "A QR token is required for the qr mode"),
            CheckInRule::TokenFormat => ("Ini bukan token QR Hadir", "This is not a Hadir QR token"),
            CheckInRule::WfhNotToday => (
                "Hari ini bukan hari WFH Anda, atau titik WFH Anda belum disetujui",
                "Today is not one of your WFH days, or your WFH point is not approved",
            ),
            CheckInRule::NoDutyToday => {
                ("Tidak ada surat tugas dinas luar untuk hari ini", "There is no duty assignment for today")
            }
            CheckInRule::AlreadyCheckedIn => ("Anda sudah absen masuk hari ini", "You already checked in today"),
            CheckInRule::NoCheckIn => {
                ("Belum ada absen masuk hari ini", "There is no check-in today to check out from")
            }
            CheckInRule::AttemptReused => {
                ("ID percobaan ini sudah dipakai orang lain", "This attempt id was already used by someone else")
            }
            CheckInRule::AlreadyReviewed => ("Presensi ini sudah ditinjau", "This check-in was already reviewed"),
            CheckInRule::SecondReviewer => (
                "Persetujuan kedua harus oleh admin unit pegawai ini yang belum menyetujui sebelumnya",
                "The second approval must come from another administrator of this person's unit",
            ),
        };
        match lang {
            Lang::Id => id.into(),
            Lang::En => en.into(),
        }
    }
}

fn conflict(rule: CheckInRule) -> AppError {
    AppError::Refused { code: rule.code(), message_id: rule.message(Lang::Id), message_en: rule.message(Lang::En) }
}

fn stored_answer(answer: &str) -> Result<CheckInAnswer, AppError> {
    serde_json::from_str(answer).map_err(|err| AppError::Internal(format!("stored answer: {err}")))
}

/// The first answer for this attempt id, if there is one; someone else's attempt id is refused.
async fn earlier_answer(app: &App, principal: &Principal, attempt_id: &str) -> Result<Option<CheckInAnswer>, AppError> {
    let found = event::Entity::find()
        .filter(event::Column::InstitutionId.eq(&principal.institution_id))
        .filter(event::Column::AttemptId.eq(attempt_id))
        .one(&app.db)
        .await?;
    match found {
        Some(e) if e.person_id == principal.person_id => stored_answer(&e.answer).map(Some),
        Some(_) => Err(conflict(CheckInRule::AttemptReused)),
        None => Ok(None),
    }
}

/// Checks the request's fields and reports every problem at once. A selfie mode needs a photo
/// unless the person has not consented to selfies (`photos`), when one sent anyway is not kept.
fn parse(
    req: &CheckInRequest,
    photo: Option<&Vec<u8>>,
    photos: bool,
) -> Result<(Option<GeoPoint>, Option<Vec<u8>>), AppError> {
    let mut problems = Vec::new();
    let point = match (req.lat, req.lon) {
        (Some(lat), Some(lon)) => GeoPoint::new(lat, lon).map_err(|e| problems.push(FieldProblem::new("lat", &e))).ok(),
        (None, None) => None,
        _ => {
            problems.push(FieldProblem::new("lat", &CheckInRule::PointRequired));
            None
        }
    };
    if req.accuracy_m.is_some_and(|a| !a.is_finite() || a < 0.0) {
        problems.push(FieldProblem::new("accuracy_m", &CheckInRule::AccuracyNegative));
    }
    match req.mode {
        CheckMode::Office | CheckMode::Wfh | CheckMode::Duty => {
            if req.lat.is_none() {
                problems.push(FieldProblem::new("lat", &CheckInRule::PointRequired));
            }
            if photo.is_none() && photos {
                problems.push(FieldProblem::new("photo", &CheckInRule::PhotoRequired));
            }
        }
        CheckMode::Qr => {
            if req.qr_token.as_deref().is_none_or(|t| t.trim().is_empty()) {
                problems.push(FieldProblem::new("qr_token", &CheckInRule::TokenRequired));
            }
        }
    }
    let cleaned = match photo.filter(|_| photos) {
        Some(bytes) => clean_jpeg(bytes, PhotoLimits::default())
            .map_err(|e| problems.push(FieldProblem::new("photo", &e)))
            .ok()
            .map(|c| c.bytes),
        None => None,
    };
    if problems.is_empty() { Ok((point, cleaned)) } else { Err(AppError::Invalid(problems)) }
}

/// Checks a scanned kiosk token (or the code typed off the kiosk): where and for which slot it
/// was made, and whether this person already used it. A string that is neither is bad input,
/// not a signal.
async fn scan(
    app: &App,
    principal: &Principal,
    token: &str,
    now: DateTime<Utc>,
    recent: &Recent,
    sites: &[crate::locations::LocationView],
) -> Result<(Option<QrCheck>, Option<i64>), AppError> {
    let inst = &principal.institution_id;
    let secret = settings::secret(app, inst, QR_SECRET).await?;
    let now_slot = qr::slot_of(now.timestamp());
    // A code typed off the kiosk's screen (no camera) names no location: it is tried against the
    // person's own work locations, where their kiosks stand.
    let verified = if qr::is_typed(token) {
        let sites: Vec<&str> = sites.iter().map(|s| s.id.as_str()).collect();
        qr::verify_typed(&secret, inst, &sites, token, now_slot)
    } else {
        qr::verify(&secret, inst, token, now_slot)
    };
    match verified {
        Ok(scanned) => {
            let used = recent.qr_used.contains(&(scanned.slot, scanned.location_id.clone()));
            Ok((Some(QrCheck::Valid { location_id: scanned.location_id, already_used: used }), Some(scanned.slot)))
        }
        Err(qr::QrProblem::Malformed) => Err(AppError::field("qr_token", &CheckInRule::TokenFormat)),
        Err(qr::QrProblem::Forged | qr::QrProblem::Expired) => Ok((Some(QrCheck::Invalid), None)),
    }
}

/// The places a `wfh` or `duty` check-in is matched against on `day`; refused when there is none.
async fn away_fences(
    app: &App,
    principal: &Principal,
    mode: CheckMode,
    day: NaiveDate,
) -> Result<Vec<(String, Geofence)>, AppError> {
    match mode {
        CheckMode::Wfh => match wfh::fence_on(app, principal, day).await? {
            Some(fence) => Ok(vec![("wfh".into(), fence)]),
            None => Err(conflict(CheckInRule::WfhNotToday)),
        },
        CheckMode::Duty => {
            let fences = duty::fences_on(app, principal, day).await?;
            if fences.is_empty() { Err(conflict(CheckInRule::NoDutyToday)) } else { Ok(fences) }
        }
        CheckMode::Office | CheckMode::Qr => Ok(Vec::new()),
    }
}

/// Records a check-in or check-out and answers how it was judged. A retry of an attempt already
/// stored gets the first answer. It is not looked for up front, which would cost every check-in a
/// read for the rare retry: a retry shows itself when storing it meets the first event's attempt
/// id, or when it is refused — the first event itself may be what refuses it (today's check-in),
/// or what the rules see may have changed since (an approval withdrawn, a token expired).
pub async fn check_in(
    app: &App,
    principal: &Principal,
    req: CheckInRequest,
    photo: Option<Vec<u8>>,
    meta: &RequestMeta,
) -> Result<CheckInAnswer, AppError> {
    let attempt_id = req.attempt_id.to_string();
    match judge_and_store(app, principal, &attempt_id, req, photo, meta).await {
        Err(refused @ (AppError::Invalid(_) | AppError::Refused { .. })) => {
            match earlier_answer(app, principal, &attempt_id).await? {
                Some(first) => Ok(first),
                None => Err(refused),
            }
        }
        judged => judged,
    }
}

async fn judge_and_store(
    app: &App,
    principal: &Principal,
    attempt_id: &str,
    req: CheckInRequest,
    photo: Option<Vec<u8>>,
    meta: &RequestMeta,
) -> Result<CheckInAnswer, AppError> {
    let inst = &principal.institution_id;
    let profile = profile::of(app, inst, &principal.person_id).await?;
    let (point, photo) = parse(&req, photo.as_ref(), profile.photos)?;
    let photo_key = photo.as_ref().map(|bytes| photo_key(inst, bytes));
    let recent = recent(app, principal, photo_key.as_deref()).await?;
    let now = app.clock.now();

    let policy = policy::get(app, inst).await?;
    let (sites, home_zone) = (&profile.sites, profile.home_zone);
    let registered = profile.approved_device(&req.device_id);
    let previous = recent
        .previous
        .as_ref()
        .and_then(|e| Some((DateTime::from_timestamp_millis(e.occurred_at)?, GeoPoint::new(e.lat?, e.lon?).ok()?)));
    let (qr_check, qr_slot) = match (&req.mode, &req.qr_token) {
        (CheckMode::Qr, Some(token)) => scan(app, principal, token, now, &recent, sites).await?,
        _ => (None, None),
    };

    let attempt_day = home_zone.local(req.offline_at.unwrap_or(now)).date();
    let away = away_fences(app, principal, req.mode, attempt_day).await?;
    let site_refs: Vec<Site> = if away.is_empty() {
        sites.iter().map(|s| Site { id: &s.id, fence: &s.geofence }).collect()
    } else {
        away.iter().map(|(id, fence)| Site { id, fence }).collect()
    };
    let attempt = Attempt {
        mode: req.mode,
        point,
        accuracy_m: req.accuracy_m,
        mock_location: req.mock_location,
        device_time: req.device_time,
        offline_at: req.offline_at,
    };
    let ctx = Context {
        now,
        sites: &site_refs,
        registered_device: registered.is_some(),
        previous,
        qr: qr_check,
        duplicate_photo: recent.duplicate_photo,
        photo_withheld: !profile.photos,
        policy: &policy,
    };
    let mut evaluation = checkin::evaluate(&attempt, &ctx);
    if !away.is_empty() {
        // A home or duty place is not a work location.
        evaluation.location_id = None;
    }

    // The day counts at the matched work site, else in the person's own zone.
    let zone = evaluation
        .location_id
        .as_ref()
        .and_then(|id| sites.iter().find(|s| &s.id == id))
        .map_or(home_zone, |s| s.time_zone);
    let day = zone.local(evaluation.occurred_at).date();
    let local_date = day.format("%Y-%m-%d").to_string();
    let counts = evaluation.outcome != Outcome::Rejected;
    if counts {
        let yesterday = zone.local(evaluation.occurred_at).date().pred_opt().map(|d| d.format("%Y-%m-%d").to_string());
        let checked_in_on = |day: &str| recent.checked_in.contains(day);
        // A check-out may close yesterday's check-in: a night shift ends the next morning.
        let checked_in = checked_in_on(&local_date)
            || (req.kind == EventKind::Out && yesterday.as_deref().is_some_and(checked_in_on));
        let refusal = match (req.kind, checked_in) {
            (EventKind::In, true) => Some(CheckInRule::AlreadyCheckedIn),
            (EventKind::Out, false) => Some(CheckInRule::NoCheckIn),
            _ => None,
        };
        if let Some(rule) = refusal {
            return Err(conflict(rule));
        }
    }

    if let (Some(key), Some(bytes)) = (&photo_key, photo) {
        // Content-addressed: a retry, or a failed insert below, leaves at most one unused object.
        app.objects.put(key, bytes).await.map_err(|e| AppError::Internal(format!("object store: {e}")))?;
    }
    let answer = CheckInAnswer {
        event_id: new_id(),
        attempt_id: attempt_id.to_string(),
        kind: req.kind,
        mode: req.mode,
        outcome: evaluation.outcome,
        signals: evaluation.signals.clone(),
        location_id: evaluation.location_id.clone(),
        distance_m: evaluation.distance_m.map(|d| d.round()),
        occurred_at: evaluation.occurred_at.timestamp_millis(),
        offline: evaluation.offline,
        local_date: local_date.clone(),
    };
    let row = event::ActiveModel {
        institution_id: Set(inst.clone()),
        id: Set(answer.event_id.clone()),
        attempt_id: Set(attempt_id.to_string()),
        person_id: Set(principal.person_id.clone()),
        kind: Set(req.kind.as_str().into()),
        mode: Set(req.mode.as_str().into()),
        outcome: Set(evaluation.outcome.as_str().into()),
        occurred_at: Set(answer.occurred_at),
        received_at: Set(now.timestamp_millis()),
        device_time: Set(req.device_time.timestamp_millis()),
        offline: Set(evaluation.offline),
        local_date: Set(local_date.clone()),
        in_slot: Set((req.kind == EventKind::In && counts).then_some(local_date)),
        location_id: Set(evaluation.location_id),
        lat: Set(point.map(GeoPoint::lat)),
        lon: Set(point.map(GeoPoint::lon)),
        accuracy_m: Set(req.accuracy_m),
        distance_m: Set(answer.distance_m),
        device_id: Set(registered.map(str::to_string)),
        photo_key: Set(photo_key.clone()),
        qr_slot: Set(qr_slot),
        signals: Set(serde_json::to_string(&answer.signals).map_err(|e| AppError::Internal(e.to_string()))?),
        request_id: Set(meta.request_id.clone()),
        reviewed_by: Set(None),
        reviewed_at: Set(None),
        review_reason: Set(None),
        first_reviewed_by: Set(None),
        first_reviewed_at: Set(None),
        answer: Set(serde_json::to_string(&answer).map_err(|e| AppError::Internal(e.to_string()))?),
    };
    let stale_days = recap::kept_days_of_event(day, now);
    let jobs = match &photo_key {
        Some(key) => vec![crate::jobs::row(
            inst,
            &crate::jobs::Job::Thumbnail { photo_key: key.clone() },
            now.timestamp_millis(),
        )?],
        None => Vec::new(),
    };
    let new = writer::NewEvent {
        id: answer.event_id.clone(),
        institution_id: inst.clone(),
        person_id: principal.person_id.clone(),
        row,
        stale_days,
        jobs,
    };
    match writer::write(app, new).await? {
        writer::Written::Inserted => Ok(answer),
        // Either this attempt was stored before (`check_in` answers what it stored), or a
        // concurrent check-in of the same day won: the same refusal as if it had come first.
        writer::Written::Collided => Err(conflict(CheckInRule::AlreadyCheckedIn)),
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct KioskToken {
    /// Show this as a QR code; it changes every 30 seconds.
    pub token: String,
    /// Show this under the QR code, for someone whose camera cannot scan (`ABCD-EFGH`).
    pub typed_code: String,
    /// Unix milliseconds after which a scan of this token is refused.
    pub valid_until: i64,
    /// Unix milliseconds when the kiosk should fetch the next one.
    pub refresh_at: i64,
}

/// The current token for a location's kiosk (administrators of the location's unit).
pub async fn kiosk_token(app: &App, principal: &Principal, location_id: &str) -> Result<KioskToken, AppError> {
    let location = work_location::Entity::find_by_id((principal.institution_id.clone(), location_id.to_string()))
        .one(&app.db)
        .await?
        .ok_or(AppError::NotFound("work_location"))?;
    if !principal.admin_scope.covers_unit(location.unit_id.as_ref()) {
        return Err(AppError::NotFound("work_location"));
    }
    let secret = settings::secret(app, &principal.institution_id, QR_SECRET).await?;
    let now = app.clock.now().timestamp();
    let slot = qr::slot_of(now);
    let slot_ms = qr::SLOT_SECONDS * 1000;
    Ok(KioskToken {
        token: qr::token(&secret, &principal.institution_id, location_id, slot),
        typed_code: qr::typed_code(&secret, &principal.institution_id, location_id, slot),
        valid_until: (slot + 2) * slot_ms,
        refresh_at: (slot + 1) * slot_ms,
    })
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EventView {
    pub id: String,
    pub person_id: String,
    pub kind: EventKind,
    pub mode: CheckMode,
    pub outcome: Outcome,
    pub signals: Vec<Signal>,
    pub occurred_at: i64,
    pub local_date: String,
    pub offline: bool,
    pub location_id: Option<String>,
    /// Where the phone said it was (kept exact for a year by default; then reduced to the
    /// distance by retention).
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub distance_m: Option<f64>,
    pub accuracy_m: Option<f64>,
    pub has_photo: bool,
    pub review_reason: Option<String>,
    /// Set while a flagged event approved once waits for its second review.
    pub first_reviewed_by: Option<String>,
}

impl EventView {
    fn of(e: event::Model) -> Result<EventView, AppError> {
        let answer = stored_answer(&e.answer)?;
        Ok(EventView {
            id: e.id,
            person_id: e.person_id,
            kind: answer.kind,
            mode: answer.mode,
            outcome: serde_json::from_value(serde_json::Value::String(e.outcome)).unwrap_or(Outcome::NeedsReview),
            signals: answer.signals,
            occurred_at: e.occurred_at,
            local_date: e.local_date,
            offline: e.offline,
            location_id: e.location_id,
            lat: e.lat,
            lon: e.lon,
            distance_m: e.distance_m,
            accuracy_m: e.accuracy_m,
            has_photo: e.photo_key.is_some(),
            review_reason: e.review_reason,
            first_reviewed_by: e.first_reviewed_by,
        })
    }
}

/// A person's events in a date range (`from`..=`to`, ISO dates), newest first.
pub async fn history(
    app: &App,
    principal: &Principal,
    person_id: &str,
    from: &str,
    to: &str,
) -> Result<Vec<EventView>, AppError> {
    let subject = reachable_person(app, principal, person_id).await?;
    crate::access_log::record(app, principal, &subject, &[crate::access_log::Data::Checkins]).await?;
    event::Entity::find()
        .filter(event::Column::InstitutionId.eq(&principal.institution_id))
        .filter(event::Column::PersonId.eq(person_id))
        .filter(event::Column::LocalDate.between(from, to))
        .order_by_desc(event::Column::OccurredAt)
        .limit(1000)
        .all(&app.db)
        .await?
        .into_iter()
        .map(EventView::of)
        .collect()
}

/// Oneself, someone in the admin scope, or someone one supervises directly.
pub(crate) async fn reachable_person(
    app: &App,
    principal: &Principal,
    person_id: &str,
) -> Result<person::Model, AppError> {
    person::Entity::find_by_id((principal.institution_id.clone(), person_id.to_string()))
        .one(&app.db)
        .await?
        .filter(|p| p.id == principal.person_id || principal.manages(p))
        .ok_or(AppError::NotFound("person"))
}

/// An event's selfie, or its thumbnail (the full photo while the thumbnail is not made yet —
/// or never will be, if its job was lost), for the person or those who may review them.
pub async fn photo(app: &App, principal: &Principal, event_id: &str, thumbnail: bool) -> Result<Vec<u8>, AppError> {
    let e = event::Entity::find_by_id((principal.institution_id.clone(), event_id.to_string()))
        .one(&app.db)
        .await?
        .ok_or(AppError::NotFound("event"))?;
    let subject = reachable_person(app, principal, &e.person_id).await.map_err(|_| AppError::NotFound("event"))?;
    let key = e.photo_key.ok_or(AppError::NotFound("photo"))?;
    crate::access_log::record(app, principal, &subject, &[crate::access_log::Data::Photo]).await?;
    let store = |e| AppError::Internal(format!("object store: {e}"));
    if thumbnail
        && let Some(small) = crate::thumbnails::key_of(&key)
        && let Some(bytes) = app.objects.get_if_exists(&small).await.map_err(store)?
    {
        return Ok(bytes);
    }
    app.objects.get(&key).await.map_err(store)
}

/// The institution's events waiting for a review, oldest first, through `events_counted_by_day`.
fn awaiting_review(institution_id: &str) -> sea_orm::Select<event::Entity> {
    event::Entity::find()
        .filter(event::Column::InstitutionId.eq(institution_id))
        .filter(event::Column::Outcome.eq("needs_review"))
        .filter(event::counted())
        .order_by_asc(event::Column::OccurredAt)
        .limit(500)
}

/// Flagged events of the people the principal supervises or administers, oldest first.
pub async fn review_queue(app: &App, principal: &Principal) -> Result<Vec<EventView>, AppError> {
    let supervises_anyone = person::Entity::find()
        .filter(person::Column::InstitutionId.eq(&principal.institution_id))
        .filter(person::Column::SupervisorId.eq(&principal.person_id))
        .one(&app.db)
        .await?
        .is_some();
    if !supervises_anyone && !principal.is_admin() {
        return Err(AppError::Forbidden);
    }
    let flagged = awaiting_review(&principal.institution_id).all(&app.db).await?;
    let people =
        crate::people::by_ids(app, &principal.institution_id, flagged.iter().map(|e| e.person_id.clone())).await?;
    let shown: Vec<event::Model> =
        flagged.into_iter().filter(|e| people.get(&e.person_id).is_some_and(|p| may_review(principal, e, p))).collect();
    // The queue shows each person's check-in with where it was: a read of their check-ins.
    let subjects = shown.iter().filter_map(|e| people.get(&e.person_id));
    crate::access_log::record_each(app, principal, subjects, crate::access_log::Data::Checkins).await?;
    shown.into_iter().map(EventView::of).collect()
}

/// Whether the principal may review a flagged event at its current stage: the first review is
/// the person's supervisor's or a unit administrator's; a second (where the policy asks for one)
/// an administrator of the person's unit who did not give the first.
fn may_review(principal: &Principal, e: &event::Model, subject: &person::Model) -> bool {
    match &e.first_reviewed_by {
        None => principal.manages(subject),
        Some(first) => {
            principal.manages(subject)
                && principal.admin_scope.covers_unit(subject.unit_id.as_ref())
                && first != &principal.account_id
        }
    }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewDecision {
    pub approve: bool,
    /// Required: the person sees why.
    pub reason: String,
}

/// Approves or rejects a flagged event; the decision is audited.
pub async fn review(
    app: &App,
    principal: &Principal,
    event_id: &str,
    decision: ReviewDecision,
    meta: &RequestMeta,
) -> Result<EventView, AppError> {
    use sea_orm::TransactionTrait;
    let reason = hadir_domain::person::text(&decision.reason, 300).map_err(|e| AppError::field("reason", &e))?;
    let e = event::Entity::find_by_id((principal.institution_id.clone(), event_id.to_string()))
        .one(&app.db)
        .await?
        .ok_or(AppError::NotFound("event"))?;
    let subject = reachable_person(app, principal, &e.person_id).await.map_err(|_| AppError::NotFound("event"))?;
    if !principal.manages(&subject) {
        return Err(AppError::Forbidden);
    }
    if e.outcome != "needs_review" {
        return Err(AppError::field("outcome", &CheckInRule::AlreadyReviewed));
    }
    if !may_review(principal, &e, &subject) {
        return Err(AppError::field("outcome", &CheckInRule::SecondReviewer));
    }
    let first_of_two = decision.approve
        && e.first_reviewed_by.is_none()
        && policy::get(app, &principal.institution_id).await?.second_review;
    let now_ms = app.now_ms();
    let outcome = match (decision.approve, first_of_two) {
        (false, _) => "rejected",
        (true, true) => "needs_review",
        (true, false) => "accepted",
    };
    let txn = app.db.begin().await?;
    let mut update = event::Entity::update_many()
        .col_expr(event::Column::ReviewReason, sea_orm::sea_query::Expr::value(reason))
        .filter(event::Column::InstitutionId.eq(&principal.institution_id))
        .filter(event::Column::Id.eq(event_id))
        .filter(event::Column::Outcome.eq("needs_review"));
    // The stage seen above must still be the stage when writing: two reviewers racing at the
    // first level cannot both count as the first.
    update = match &e.first_reviewed_by {
        None => update.filter(event::Column::FirstReviewedBy.is_null()),
        Some(first) => update.filter(event::Column::FirstReviewedBy.eq(first)),
    };
    update = if first_of_two {
        update
            .col_expr(event::Column::FirstReviewedBy, sea_orm::sea_query::Expr::value(principal.account_id.clone()))
            .col_expr(event::Column::FirstReviewedAt, sea_orm::sea_query::Expr::value(now_ms))
    } else {
        update
            .col_expr(event::Column::Outcome, sea_orm::sea_query::Expr::value(outcome))
            .col_expr(event::Column::ReviewedBy, sea_orm::sea_query::Expr::value(principal.account_id.clone()))
            .col_expr(event::Column::ReviewedAt, sea_orm::sea_query::Expr::value(now_ms))
    };
    if !decision.approve {
        // A rejected check-in no longer holds the day's slot.
        update = update.col_expr(event::Column::InSlot, sea_orm::sea_query::Expr::value(Option::<String>::None));
    }
    let changed = update.exec(&txn).await?.rows_affected;
    if changed == 0 {
        return Err(AppError::field("outcome", &CheckInRule::AlreadyReviewed));
    }
    crate::audit::record(
        &txn,
        now_ms,
        meta,
        crate::audit::Entry::by(principal, "checkin.review", "attendance_event", Some(event_id))
            .with(serde_json::json!({ "outcome": outcome, "stage": if first_of_two { "first" } else { "final" } })),
    )
    .await?;
    if let Some(days) = NaiveDate::parse_from_str(&e.local_date, "%Y-%m-%d")
        .ok()
        .and_then(|date| recap::kept_days_of_event(date, app.clock.now()))
    {
        recap::forget_kept_days(&txn, &principal.institution_id, &e.person_id, days).await?;
    }
    txn.commit().await?;
    let updated = event::Entity::find_by_id((principal.institution_id.clone(), event_id.to_string()))
        .one(&app.db)
        .await?
        .ok_or(AppError::NotFound("event"))?;
    EventView::of(updated)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::QueryTrait;

    /// Rejected events, most of all events, are not in the index the queue reads.
    #[tokio::test]
    async fn the_review_queue_reads_the_counted_events_index() {
        let plan = crate::query_plan::sqlite_plan(awaiting_review("inst").build(sea_orm::DbBackend::Sqlite)).await;
        assert!(plan.contains("INDEX events_counted_by_day "), "{plan}");
    }
}
