//! Leave and absence requests: filed by the person (with a doctor's letter where the rules need
//! one), decided by their supervisor or an administrator of their unit, and shaping the daily
//! status once approved. Annual leave is checked against the balance.

use crate::audit::{self, Entry};
use crate::{App, AppError, FieldProblem, Principal, RequestMeta, new_id, recap, settings};
use chrono::{DateTime, Datelike, NaiveDate};
use hadir_db::entities::{holiday, leave_opening, leave_request as leave, person};
use hadir_domain::attendance::Absence;
use hadir_domain::attendance::leave::{
    Eligibility, LeavePolicy, LeaveYear, annual_entitlement_over, uses_annual_balance, working_days,
};
use hadir_domain::identifiers::{NiPppk, Nip};
use hadir_domain::person as rules;
use hadir_domain::photo::{PhotoLimits, clean_jpeg};
use hadir_domain::{Explain, Lang};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Longest request accepted at all; each kind's own limit comes from the leave policy (cuti di
/// luar tanggungan negara runs up to three years).
const MAX_CALENDAR_DAYS: i64 = 5 * 366;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LeaveStatus {
    Pending,
    /// Approved by the first level, waiting for the second (when the policy asks for one).
    FirstApproved,
    Approved,
    Rejected,
    Cancelled,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeaveInput {
    #[schema(value_type = String, example = "annual_leave")]
    pub kind: Absence,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub reason: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LeaveView {
    pub id: String,
    pub person_id: String,
    #[schema(value_type = String)]
    pub kind: Absence,
    pub start_date: String,
    pub end_date: String,
    /// Scheduled, non-holiday days the request covers.
    pub working_days: i32,
    pub reason: String,
    pub has_document: bool,
    pub status: LeaveStatus,
    pub decision_reason: Option<String>,
    pub created_at: i64,
}

impl LeaveView {
    fn of(m: leave::Model) -> LeaveView {
        LeaveView {
            kind: serde_json::from_value(serde_json::Value::String(m.kind)).unwrap_or(Absence::Permission),
            status: serde_json::from_value(serde_json::Value::String(m.status)).unwrap_or(LeaveStatus::Pending),
            has_document: m.document_key.is_some(),
            id: m.id,
            person_id: m.person_id,
            start_date: m.start_date,
            end_date: m.end_date,
            working_days: m.working_days,
            reason: m.reason,
            decision_reason: m.decision_reason,
            created_at: m.created_at,
        }
    }
}

#[derive(Clone, Copy)]
enum LeaveRule {
    DateOrder,
    TooLong,
    NoWorkingDays,
    DocumentRequired,
    DocumentType,
    Balance,
    Overlaps,
    NotPending,
    ReasonRequired,
    OpeningYear,
    OpeningDays,
    OpeningSelf,
}

impl Explain for LeaveRule {
    fn code(&self) -> &'static str {
        match self {
            LeaveRule::DateOrder => "leave_date_order",
            LeaveRule::TooLong => "leave_too_long",
            LeaveRule::NoWorkingDays => "leave_no_working_days",
            LeaveRule::DocumentRequired => "leave_document_required",
            LeaveRule::DocumentType => "leave_document_type",
            LeaveRule::Balance => "leave_balance_insufficient",
            LeaveRule::Overlaps => "leave_overlaps",
            LeaveRule::NotPending => "leave_not_pending",
            LeaveRule::ReasonRequired => "leave_reason_required",
            LeaveRule::OpeningYear => "leave_opening_year",
            LeaveRule::OpeningDays => "leave_opening_days",
            LeaveRule::OpeningSelf => "leave_opening_self",
        }
    }

    fn message(&self, lang: Lang) -> String {
        let (id, en) = match self {
            LeaveRule::DateOrder => {
                ("Tanggal selesai tidak boleh sebelum tanggal mulai", "The end date cannot be before the start date")
            }
            LeaveRule::TooLong => ("Satu pengajuan paling lama lima tahun", "One request covers at most five years"),
            LeaveRule::NoWorkingDays => ("Rentang ini tidak memuat hari kerja", "This range holds no working day"),
            LeaveRule::DocumentRequired => (
                "Sakit lebih dari satu hari memerlukan surat keterangan dokter",
                "Sickness of more than one day needs a doctor's letter",
            ),
            LeaveRule::DocumentType => (
                "Dokumen harus PDF atau JPEG, paling besar 2 MiB",
                "The document must be a PDF or JPEG of at most 2 MiB",
            ),
            LeaveRule::Balance => ("Sisa cuti tahunan tidak cukup", "Not enough annual leave left"),
            LeaveRule::Overlaps => ("Sudah ada pengajuan pada tanggal ini", "A request already covers these dates"),
            LeaveRule::NotPending => ("Pengajuan ini sudah diputuskan", "This request was already decided"),
            LeaveRule::ReasonRequired => ("Alasan penolakan wajib diisi", "A reason is required to reject"),
            LeaveRule::OpeningYear => (
                "Saldo awal hanya untuk tahun ini atau sepuluh tahun sebelumnya",
                "Opening balances are for this year or the ten years before",
            ),
            LeaveRule::OpeningDays => {
                ("Jumlah hari cuti yang diambil antara 0 dan 366", "Days taken must be between 0 and 366")
            }
            LeaveRule::OpeningSelf => (
                "Saldo awal sendiri dicatat oleh admin lain",
                "Another administrator records one's own opening balance",
            ),
        };
        match lang {
            Lang::Id => id.into(),
            Lang::En => en.into(),
        }
    }
}

/// An approved request, as the daily status needs it.
#[derive(Clone, Debug)]
pub(crate) struct ApprovedLeave {
    pub person_id: String,
    pub kind: Absence,
    start: NaiveDate,
    end: NaiveDate,
}

impl ApprovedLeave {
    pub(crate) fn covers(&self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end
    }
}

/// Approved requests overlapping `days`, of one person or everyone.
pub(crate) async fn approved(
    app: &App,
    institution_id: &str,
    person_id: Option<&str>,
    days: &[NaiveDate],
) -> Result<Vec<ApprovedLeave>, AppError> {
    let (first, last) = (days[0].to_string(), days[days.len() - 1].to_string());
    let mut query = leave::Entity::find()
        .filter(leave::Column::InstitutionId.eq(institution_id))
        .filter(leave::Column::Status.eq("approved"))
        .filter(leave::Column::StartDate.lte(last))
        .filter(leave::Column::EndDate.gte(first));
    if let Some(p) = person_id {
        query = query.filter(leave::Column::PersonId.eq(p));
    }
    Ok(query
        .all(&app.db)
        .await?
        .into_iter()
        .filter_map(|l| {
            Some(ApprovedLeave {
                kind: serde_json::from_value(serde_json::Value::String(l.kind)).ok()?,
                start: NaiveDate::parse_from_str(&l.start_date, "%Y-%m-%d").ok()?,
                end: NaiveDate::parse_from_str(&l.end_date, "%Y-%m-%d").ok()?,
                person_id: l.person_id,
            })
        })
        .collect())
}

/// A PDF (by its signature) or a JPEG (checked and stripped like a selfie), stored by content hash.
fn checked_document(bytes: Vec<u8>, institution_id: &str) -> Result<(String, Vec<u8>), AppError> {
    let limits = PhotoLimits::default();
    let (extension, bytes) = if bytes.starts_with(b"%PDF-") && bytes.len() <= limits.max_bytes {
        ("pdf", bytes)
    } else {
        let clean = clean_jpeg(&bytes, PhotoLimits { min_side: 16, ..limits })
            .map_err(|_| AppError::field("document", &LeaveRule::DocumentType))?;
        ("jpg", clean.bytes)
    };
    let hash = format!("{:x}", Sha256::digest(&bytes));
    Ok((format!("documents/{institution_id}/{}/{hash}.{extension}", &hash[..2]), bytes))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Balance {
    pub year: i32,
    /// Annual leave available this year: 12 days after a year of service, plus carry-over
    /// (at most 18, or 24 after two years without annual leave), less cuti bersama.
    pub entitlement: u32,
    pub taken: u32,
    /// In requests still waiting for a decision.
    pub pending: u32,
    pub remaining: u32,
}

/// When service started: the NIP's TMT, the NI PPPK's appointment year, else when the person
/// was added.
fn service_start(p: &person::Model) -> NaiveDate {
    let added = DateTime::from_timestamp_millis(p.created_at).map(|t| t.date_naive()).unwrap_or_default();
    match p.employment_type.as_str() {
        "asn" => Nip::parse(&p.employee_number).ok().and_then(|n| {
            let (y, m) = n.service_start();
            NaiveDate::from_ymd_opt(y as i32, m, 1)
        }),
        "pppk" => NiPppk::parse(&p.employee_number)
            .ok()
            .and_then(|n| NaiveDate::from_ymd_opt(n.appointment_year() as i32, 1, 1)),
        _ => None,
    }
    .unwrap_or(added)
}

/// How many requests of this kind the person had approved, ever.
async fn approved_count(app: &App, p: &person::Model, kind: &str) -> Result<u32, AppError> {
    use sea_orm::PaginatorTrait;
    let n = leave::Entity::find()
        .filter(leave::Column::InstitutionId.eq(&p.institution_id))
        .filter(leave::Column::PersonId.eq(&p.id))
        .filter(leave::Column::Kind.eq(kind))
        .filter(leave::Column::Status.eq("approved"))
        .count(&app.db)
        .await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

async fn annual_taken(app: &App, p: &person::Model, year: i32, status: &str) -> Result<u32, AppError> {
    Ok(leave::Entity::find()
        .filter(leave::Column::InstitutionId.eq(&p.institution_id))
        .filter(leave::Column::PersonId.eq(&p.id))
        .filter(leave::Column::Kind.eq("annual_leave"))
        .filter(leave::Column::Status.eq(status))
        .filter(leave::Column::StartDate.between(format!("{year:04}-01-01"), format!("{year:04}-12-31")))
        .all(&app.db)
        .await?
        .iter()
        .map(|l| l.working_days.max(0) as u32)
        .sum())
}

async fn cuti_bersama(app: &App, institution_id: &str, year: i32) -> Result<u32, AppError> {
    Ok(holiday::Entity::find()
        .filter(holiday::Column::InstitutionId.eq(institution_id))
        .filter(holiday::Column::Kind.eq("cuti_bersama"))
        .filter(holiday::Column::Date.between(format!("{year:04}-01-01"), format!("{year:04}-12-31")))
        .all(&app.db)
        .await?
        .len() as u32)
}

const POLICY_KEY: &str = "leave_policy";

/// The institution's leave rules (the civil-service defaults until an administrator changes them).
pub async fn policy(app: &App, institution_id: &str) -> Result<LeavePolicy, AppError> {
    Ok(settings::load(&app.db, institution_id, POLICY_KEY).await?.unwrap_or_default())
}

/// Replaces the leave rules; institution administrators only.
pub async fn set_policy(
    app: &App,
    principal: &Principal,
    policy: LeavePolicy,
    meta: &RequestMeta,
) -> Result<LeavePolicy, AppError> {
    policy.validate().map_err(|e| AppError::Invalid(vec![FieldProblem::new("policy", &e)]))?;
    settings::store(app, principal, POLICY_KEY, &policy, serde_json::json!({}), meta).await?;
    Ok(policy)
}

/// Years of the leave history the balance is computed from, this one included: the caps keep
/// leave older than that from reaching this year. Years before the person was added to Hadir are
/// left out: what was taken then is unknown, so nothing is carried from them.
const BALANCE_HISTORY_YEARS: i32 = 4;

/// Whole years of service on a date.
fn years_of_service(p: &person::Model, on: NaiveDate) -> u32 {
    let start = service_start(p);
    let years = on.year() - start.year() - i32::from((on.month(), on.day()) < (start.month(), start.day()));
    years.max(0) as u32
}

async fn balance_of(app: &App, p: &person::Model, year: i32) -> Result<Balance, AppError> {
    let rules = policy(app, &p.institution_id).await?;
    let openings = openings_of(app, p).await?;
    let opening = |y: i32| openings.iter().find(|o| o.year == y).map_or(0, |o| o.taken_days.max(0) as u32);
    // Hadir knows a year's leave from when the person was added, or from an opening balance.
    let added = DateTime::from_timestamp_millis(p.created_at).map_or(year, |t| t.year());
    let known_from = openings.iter().map(|o| o.year).min().map_or(added, |first| first.min(added));
    let mut history = Vec::new();
    for y in (year - BALANCE_HISTORY_YEARS + 1).max(known_from)..=year {
        let Some(new_year) = NaiveDate::from_ymd_opt(y, 1, 1) else { continue };
        history.push(LeaveYear {
            years_of_service: years_of_service(p, new_year),
            // This year's own takings are subtracted below, not carried.
            taken: if y < year { annual_taken(app, p, y, "approved").await? + opening(y) } else { 0 },
            cuti_bersama: cuti_bersama(app, &p.institution_id, y).await?,
        });
    }
    let entitlement = annual_entitlement_over(&history, &rules);
    let taken = annual_taken(app, p, year, "approved").await? + opening(year);
    let pending = annual_taken(app, p, year, "pending").await? + annual_taken(app, p, year, "first_approved").await?;
    Ok(Balance { year, entitlement, taken, pending, remaining: entitlement.saturating_sub(taken + pending) })
}

async fn openings_of(app: &App, p: &person::Model) -> Result<Vec<leave_opening::Model>, AppError> {
    Ok(leave_opening::Entity::find()
        .filter(leave_opening::Column::InstitutionId.eq(&p.institution_id))
        .filter(leave_opening::Column::PersonId.eq(&p.id))
        .order_by_asc(leave_opening::Column::Year)
        .all(&app.db)
        .await?)
}

/// Annual leave a person took in a year before Hadir kept their leave.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpeningInput {
    pub taken_days: i64,
    /// Where the figure comes from (the earlier system's report, the personnel file).
    pub reference: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OpeningView {
    pub year: i32,
    pub taken_days: i32,
    pub reference: String,
    pub recorded_by: String,
    pub recorded_at: i64,
}

impl OpeningView {
    fn of(m: leave_opening::Model) -> OpeningView {
        OpeningView {
            year: m.year,
            taken_days: m.taken_days,
            reference: m.reference,
            recorded_by: m.recorded_by,
            recorded_at: m.recorded_at,
        }
    }
}

/// How far back opening balances reach: the balance looks back four years at most, and files
/// older than ten years are of no use to it.
const OPENING_YEARS_BACK: i32 = 10;

/// An administrator of the person's unit, never for themself.
async fn administered_person(app: &App, principal: &Principal, person_id: &str) -> Result<person::Model, AppError> {
    let p = person::Entity::find_by_id((principal.institution_id.clone(), person_id.to_string()))
        .one(&app.db)
        .await?
        .filter(|p| principal.admin_scope.covers_unit(p.unit_id.as_ref()))
        .ok_or(AppError::NotFound("person"))?;
    if p.id == principal.person_id {
        return Err(AppError::field("person_id", &LeaveRule::OpeningSelf));
    }
    Ok(p)
}

/// Records (or corrects) the annual leave a person took in `year` before Hadir kept their leave;
/// it counts in that year's balance and in what carries over. Administrators of the person's unit.
pub async fn set_opening(
    app: &App,
    principal: &Principal,
    person_id: &str,
    year: i32,
    input: OpeningInput,
    meta: &RequestMeta,
) -> Result<OpeningView, AppError> {
    let p = administered_person(app, principal, person_id).await?;
    let this_year = app.clock.now().year();
    let mut problems = Vec::new();
    if !(this_year - OPENING_YEARS_BACK..=this_year).contains(&year) {
        problems.push(FieldProblem::new("year", &LeaveRule::OpeningYear));
    }
    if !(0..=366).contains(&input.taken_days) {
        problems.push(FieldProblem::new("taken_days", &LeaveRule::OpeningDays));
    }
    let reference = match rules::text(&input.reference, 200) {
        Ok(r) => Some(r),
        Err(e) => {
            problems.push(FieldProblem::new("reference", &e));
            None
        }
    };
    let (Some(reference), true) = (reference, problems.is_empty()) else {
        return Err(AppError::Invalid(problems));
    };
    let row = leave_opening::Model {
        institution_id: p.institution_id.clone(),
        person_id: p.id.clone(),
        year,
        taken_days: input.taken_days as i32,
        reference,
        recorded_by: principal.account_id.clone(),
        recorded_at: app.now_ms(),
    };
    let txn = app.db.begin().await?;
    leave_opening::Entity::delete_by_id((p.institution_id.clone(), p.id.clone(), year)).exec(&txn).await?;
    leave_opening::Entity::insert(leave_opening::ActiveModel::from(row.clone())).exec(&txn).await?;
    audit::record(
        &txn,
        row.recorded_at,
        meta,
        Entry::by(principal, "leave.opening", "person", Some(&p.id))
            .with(serde_json::json!({ "year": year, "taken_days": row.taken_days })),
    )
    .await?;
    txn.commit().await?;
    Ok(OpeningView::of(row))
}

/// A person's opening balances, oldest year first. Administrators of the person's unit.
pub async fn openings(app: &App, principal: &Principal, person_id: &str) -> Result<Vec<OpeningView>, AppError> {
    let p = administered_person(app, principal, person_id).await?;
    Ok(openings_of(app, &p).await?.into_iter().map(OpeningView::of).collect())
}

/// The annual leave balance of a person (oneself, or someone one supervises or administers).
pub async fn balance(app: &App, principal: &Principal, person_id: &str, year: i32) -> Result<Balance, AppError> {
    let p = crate::attendance::reachable_person(app, principal, person_id).await?;
    crate::access_log::record(app, principal, &p, &[crate::access_log::Data::LeaveBalance]).await?;
    balance_of(app, &p, year).await
}

/// Files a request for the principal.
pub async fn request(
    app: &App,
    principal: &Principal,
    input: LeaveInput,
    document_bytes: Option<Vec<u8>>,
    meta: &RequestMeta,
) -> Result<LeaveView, AppError> {
    let reason = rules::text(&input.reason, 500).map_err(|e| AppError::field("reason", &e))?;
    if input.end_date < input.start_date {
        return Err(AppError::field("end_date", &LeaveRule::DateOrder));
    }
    if (input.end_date - input.start_date).num_days() >= MAX_CALENDAR_DAYS {
        return Err(AppError::field("end_date", &LeaveRule::TooLong));
    }
    let days: Vec<NaiveDate> = input.start_date.iter_days().take_while(|d| *d <= input.end_date).collect();
    let calendar = recap::inputs(app, principal, &days).await?;
    let counted = working_days(input.start_date, input.end_date, |d| calendar.is_working(&principal.person_id, d));
    if counted == 0 {
        return Err(AppError::field("end_date", &LeaveRule::NoWorkingDays));
    }
    let rules = policy(app, &principal.institution_id).await?;
    if rules.needs_document(input.kind, counted) && document_bytes.is_none() {
        return Err(AppError::field("document", &LeaveRule::DocumentRequired));
    }
    let me = crate::attendance::reachable_person(app, principal, &principal.person_id).await?;
    let earlier_maternity = match input.kind {
        Absence::MaternityLeave => approved_count(app, &me, "maternity_leave").await?,
        _ => 0,
    };
    let facts = Eligibility {
        start: input.start_date,
        end: input.end_date,
        years_of_service: years_of_service(&me, input.start_date),
        earlier_maternity,
    };
    if let Err(refusal) = rules.eligibility(input.kind, &facts) {
        return Err(AppError::field("kind", &refusal));
    }
    if uses_annual_balance(input.kind) && balance_of(app, &me, input.start_date.year()).await?.remaining < counted {
        return Err(AppError::field("kind", &LeaveRule::Balance));
    }
    let stored = document_bytes.map(|b| checked_document(b, &principal.institution_id)).transpose()?;
    let overlapping = leave::Entity::find()
        .filter(leave::Column::InstitutionId.eq(&principal.institution_id))
        .filter(leave::Column::PersonId.eq(&principal.person_id))
        .filter(leave::Column::Status.is_in(["pending", "first_approved", "approved"]))
        .filter(leave::Column::StartDate.lte(input.end_date.to_string()))
        .filter(leave::Column::EndDate.gte(input.start_date.to_string()))
        .one(&app.db)
        .await?;
    if overlapping.is_some() {
        return Err(AppError::Refused {
            code: LeaveRule::Overlaps.code(),
            message_id: LeaveRule::Overlaps.message(Lang::Id),
            message_en: LeaveRule::Overlaps.message(Lang::En),
        });
    }
    let document_key = match stored {
        Some((key, bytes)) => {
            // A doctor's letter is health data: sealed before it reaches the store.
            let sealed = app.keys.seal_bytes(&bytes).map_err(|e| AppError::Internal(format!("sealing: {e}")))?;
            app.objects.put(&key, sealed).await.map_err(|e| AppError::Internal(format!("object store: {e}")))?;
            Some(key)
        }
        None => None,
    };
    let now_ms = app.now_ms();
    let model = leave::Model {
        institution_id: principal.institution_id.clone(),
        id: new_id(),
        person_id: principal.person_id.clone(),
        kind: serde_json::to_value(input.kind).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default(),
        start_date: input.start_date.to_string(),
        end_date: input.end_date.to_string(),
        working_days: counted as i32,
        reason,
        document_key,
        status: "pending".into(),
        decided_by: None,
        decided_at: None,
        decision_reason: None,
        created_at: now_ms,
    };
    let txn = app.db.begin().await?;
    leave::Entity::insert(leave::ActiveModel::from(model.clone())).exec_without_returning(&txn).await?;
    audit::record(&txn, now_ms, meta, Entry::by(principal, "leave.request", "leave_request", Some(&model.id))).await?;
    txn.commit().await?;
    Ok(LeaveView::of(model))
}

/// The principal's own requests, newest first.
pub async fn mine(app: &App, principal: &Principal) -> Result<Vec<LeaveView>, AppError> {
    Ok(leave::Entity::find()
        .filter(leave::Column::InstitutionId.eq(&principal.institution_id))
        .filter(leave::Column::PersonId.eq(&principal.person_id))
        .order_by_desc(leave::Column::CreatedAt)
        .all(&app.db)
        .await?
        .into_iter()
        .map(LeaveView::of)
        .collect())
}

/// Whether the principal may decide a request at its current stage: the first level is the
/// person's supervisor or a unit administrator; the second an administrator of the person's unit
/// who did not decide the first.
fn may_decide(principal: &Principal, request: &leave::Model, subject: &person::Model) -> bool {
    match request.status.as_str() {
        "pending" => principal.manages(subject),
        "first_approved" => {
            principal.manages(subject)
                && principal.admin_scope.covers_unit(subject.unit_id.as_ref())
                && request.decided_by.as_deref() != Some(principal.account_id.as_str())
        }
        _ => false,
    }
}

/// Requests waiting for the principal's decision, oldest first.
pub async fn pending(app: &App, principal: &Principal) -> Result<Vec<LeaveView>, AppError> {
    let waiting = leave::Entity::find()
        .filter(leave::Column::InstitutionId.eq(&principal.institution_id))
        .filter(leave::Column::Status.is_in(["pending", "first_approved"]))
        .order_by_asc(leave::Column::CreatedAt)
        .all(&app.db)
        .await?;
    let people =
        crate::people::by_ids(app, &principal.institution_id, waiting.iter().map(|l| l.person_id.clone())).await?;
    let shown: Vec<leave::Model> =
        waiting.into_iter().filter(|l| people.get(&l.person_id).is_some_and(|p| may_decide(principal, l, p))).collect();
    let subjects = shown.iter().filter_map(|l| people.get(&l.person_id));
    crate::access_log::record_each(app, principal, subjects, crate::access_log::Data::LeaveRequests).await?;
    Ok(shown.into_iter().map(LeaveView::of).collect())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeaveDecision {
    pub approve: bool,
    /// Required to reject.
    #[serde(default)]
    pub reason: Option<String>,
}

pub async fn decide(
    app: &App,
    principal: &Principal,
    id: &str,
    decision: LeaveDecision,
    meta: &RequestMeta,
) -> Result<LeaveView, AppError> {
    let reason = match decision.reason.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        Some(r) => Some(rules::text(r, 500).map_err(|e| AppError::field("reason", &e))?),
        None if !decision.approve => return Err(AppError::field("reason", &LeaveRule::ReasonRequired)),
        None => None,
    };
    let current = leave::Entity::find_by_id((principal.institution_id.clone(), id.to_string()))
        .one(&app.db)
        .await?
        .ok_or(AppError::NotFound("leave_request"))?;
    let subject = person::Entity::find_by_id((principal.institution_id.clone(), current.person_id.clone()))
        .one(&app.db)
        .await?
        .filter(|p| principal.manages(p))
        .ok_or(AppError::NotFound("leave_request"))?;
    if !matches!(current.status.as_str(), "pending" | "first_approved") || !may_decide(principal, &current, &subject) {
        return Err(AppError::field("status", &LeaveRule::NotPending));
    }
    let second_level = policy(app, &principal.institution_id).await?.second_level_approval;
    let status = match (decision.approve, current.status.as_str()) {
        (false, _) => "rejected",
        (true, "pending") if second_level => "first_approved",
        (true, _) => "approved",
    };
    let now_ms = app.now_ms();
    let txn = app.db.begin().await?;
    let changed = leave::Entity::update_many()
        .col_expr(leave::Column::Status, sea_orm::sea_query::Expr::value(status))
        .col_expr(leave::Column::DecidedBy, sea_orm::sea_query::Expr::value(principal.account_id.clone()))
        .col_expr(leave::Column::DecidedAt, sea_orm::sea_query::Expr::value(now_ms))
        .col_expr(leave::Column::DecisionReason, sea_orm::sea_query::Expr::value(reason.clone()))
        .filter(leave::Column::InstitutionId.eq(&principal.institution_id))
        .filter(leave::Column::Id.eq(id))
        .filter(leave::Column::Status.eq(current.status.as_str()))
        .exec(&txn)
        .await?
        .rows_affected;
    if changed == 0 {
        return Err(AppError::field("status", &LeaveRule::NotPending));
    }
    audit::record(
        &txn,
        now_ms,
        meta,
        Entry::by(principal, "leave.decide", "leave_request", Some(id))
            .with(serde_json::json!({ "status": status, "person_id": subject.id })),
    )
    .await?;
    if status == "approved"
        && let (Ok(first), Ok(last)) = (current.start_date.parse::<NaiveDate>(), current.end_date.parse::<NaiveDate>())
        && let Some(days) = crate::recap::kept_days_within(first, last, app.clock.now())
    {
        crate::recap::forget_kept_days(&txn, &principal.institution_id, &subject.id, days).await?;
    }
    txn.commit().await?;
    Ok(LeaveView::of(leave::Model {
        status: status.into(),
        decided_by: Some(principal.account_id.clone()),
        decided_at: Some(now_ms),
        decision_reason: reason,
        ..current
    }))
}

/// The supporting document of a request (a PDF or JPEG), opened: for the person themself and for
/// those who may decide it (their supervisor, administrators of their unit).
pub async fn document(app: &App, principal: &Principal, id: &str) -> Result<(Vec<u8>, &'static str), AppError> {
    let request = leave::Entity::find_by_id((principal.institution_id.clone(), id.to_string()))
        .one(&app.db)
        .await?
        .ok_or(AppError::NotFound("leave_request"))?;
    let subject = person::Entity::find_by_id((principal.institution_id.clone(), request.person_id.clone()))
        .one(&app.db)
        .await?
        .filter(|p| p.id == principal.person_id || principal.manages(p))
        .ok_or(AppError::NotFound("leave_request"))?;
    let key = request.document_key.ok_or(AppError::NotFound("document"))?;
    crate::access_log::record(app, principal, &subject, &[crate::access_log::Data::LeaveDocument]).await?;
    let stored = app.objects.get(&key).await.map_err(|e| AppError::Internal(format!("object store: {e}")))?;
    let bytes = app.keys.open_bytes(&stored).map_err(|e| AppError::Internal(format!("opening {}: {e}", subject.id)))?;
    let kind = if bytes.starts_with(b"%PDF") { "application/pdf" } else { "image/jpeg" };
    Ok((bytes, kind))
}

/// Withdraws one's own request while it waits for a decision.
pub async fn cancel(app: &App, principal: &Principal, id: &str, meta: &RequestMeta) -> Result<LeaveView, AppError> {
    let current = leave::Entity::find_by_id((principal.institution_id.clone(), id.to_string()))
        .one(&app.db)
        .await?
        .filter(|l| l.person_id == principal.person_id)
        .ok_or(AppError::NotFound("leave_request"))?;
    if !matches!(current.status.as_str(), "pending" | "first_approved") {
        return Err(AppError::field("status", &LeaveRule::NotPending));
    }
    let now_ms = app.now_ms();
    let txn = app.db.begin().await?;
    let mut active: leave::ActiveModel = current.clone().into();
    active.status = Set("cancelled".into());
    sea_orm::ActiveModelTrait::update(active, &txn).await?;
    audit::record(&txn, now_ms, meta, Entry::by(principal, "leave.cancel", "leave_request", Some(id))).await?;
    txn.commit().await?;
    Ok(LeaveView::of(leave::Model { status: "cancelled".into(), ..current }))
}
