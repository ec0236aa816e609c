//! Data-subject requests: a person files one in the app; it gets its legal due time; the data
//! protection officer (`dpo` role; an institution administrator where none is appointed) moves
//! it along with a note at each step and closes it with an answer. Every step is kept.
//! An access or portability request queues the person's copy of their data at once
//! ([`crate::subject_export`]); its readiness is a step of the request.

use crate::audit::{self, Entry};
use crate::{App, AppError, FieldProblem, Principal, RequestMeta, new_id};
use chrono::DateTime;
use hadir_db::entities::{subject_request as request, subject_request_step as step};
use hadir_domain::subject_rights::{RequestKind, RequestStatus, overdue};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, TransactionTrait};
use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestInput {
    pub kind: RequestKind,
    /// In the person's words: what to access, which value is wrong and what it should be, …
    pub detail: String,
    /// For a rectification: the field to correct (`full_name`, `nik`, `email`, `phone`,
    /// `position`, `religion`) and the value it should hold — checked by the same rules as any edit.
    #[serde(default)]
    pub field: Option<String>,
    #[serde(default)]
    pub value: Option<String>,
}

/// The fields a person may ask to correct by themselves: their own personal data. Their unit,
/// supervisor or employee number are the institution's records, changed by an administrator.
pub const RECTIFIABLE: [&str; 6] = ["full_name", "nik", "email", "phone", "position", "religion"];

#[derive(Clone, Copy)]
enum RectifyRule {
    Field,
    Value,
}

impl hadir_domain::Explain for RectifyRule {
    fn code(&self) -> &'static str {
        match self {
            RectifyRule::Field => "rectification_field",
            RectifyRule::Value => "rectification_value_required",
        }
    }
    fn message(&self, lang: hadir_domain::Lang) -> String {
        let (id, en) = match self {
            RectifyRule::Field => (
                "Pilih data yang diperbaiki: nama, NIK, e-mail, telepon, jabatan atau agama",
                "Choose what to correct: name, NIK, e-mail, phone, position or religion",
            ),
            RectifyRule::Value => ("Isi nilai yang benar", "Give the correct value"),
        };
        match lang {
            hadir_domain::Lang::Id => id.into(),
            hadir_domain::Lang::En => en.into(),
        }
    }
}

/// A proposed value, checked by the rule of its field; the value as it would be stored.
pub(crate) fn rectified(field: &str, value: &str) -> Result<String, AppError> {
    use hadir_domain::person as rules;
    let problem = |e: &dyn hadir_domain::Explain| AppError::field("value", e);
    match field {
        "full_name" => rules::text(value, rules::MAX_NAME_LEN).map_err(|e| problem(&e)),
        "position" => rules::text(value, rules::MAX_TEXT_LEN).map_err(|e| problem(&e)),
        "email" => rules::email(value).map_err(|e| problem(&e)),
        "phone" => rules::phone(value).map_err(|e| problem(&e)),
        "nik" => hadir_domain::identifiers::Nik::parse(value).map(|n| n.as_str().to_string()).map_err(|e| problem(&e)),
        "religion" => hadir_domain::person::Religion::parse(value)
            .map(|r| r.as_str().to_string())
            .ok_or_else(|| AppError::field("value", &crate::Rule::UnknownChoice)),
        _ => Err(AppError::field("field", &RectifyRule::Field)),
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StepView {
    pub at: i64,
    pub status: RequestStatus,
    pub note: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RequestView {
    pub id: String,
    pub person_id: String,
    /// Whose request it is, for the privacy desk.
    pub person_name: String,
    pub kind: RequestKind,
    pub detail: String,
    /// A rectification's field and proposed value.
    pub field: Option<String>,
    pub proposed: Option<String>,
    pub status: RequestStatus,
    pub filed_at: i64,
    /// When the law's deadline runs out (3×24 hours), if it sets one.
    pub due_at: Option<i64>,
    /// Milliseconds left until `due_at` (negative when overdue); absent once closed.
    pub time_left_ms: Option<i64>,
    pub overdue: bool,
    pub answer: Option<String>,
    pub steps: Vec<StepView>,
}

fn view(app: &App, r: request::Model, steps: Vec<step::Model>, person_name: String) -> RequestView {
    let status = RequestStatus::parse(&r.status).unwrap_or(RequestStatus::Received);
    let now = app.clock.now();
    let due = r.due_at.and_then(DateTime::from_timestamp_millis);
    RequestView {
        kind: RequestKind::parse(&r.kind).unwrap_or(RequestKind::Access),
        overdue: overdue(status, due, now),
        time_left_ms: r.due_at.filter(|_| status.is_open()).map(|d| d - now.timestamp_millis()),
        status,
        steps: steps
            .into_iter()
            .map(|s| StepView {
                at: s.at,
                status: RequestStatus::parse(&s.status).unwrap_or(RequestStatus::Received),
                note: s.note,
            })
            .collect(),
        proposed: r.proposed.as_deref().and_then(|sealed| app.keys.open_text(sealed).ok()),
        field: r.field,
        id: r.id,
        person_id: r.person_id,
        person_name,
        detail: r.detail,
        filed_at: r.filed_at,
        due_at: r.due_at,
        answer: r.answer,
    }
}

fn step_row(
    principal: &Principal,
    request_id: &str,
    at: i64,
    status: RequestStatus,
    note: Option<String>,
) -> step::ActiveModel {
    step::ActiveModel {
        institution_id: Set(principal.institution_id.clone()),
        id: Set(new_id()),
        request_id: Set(request_id.into()),
        at: Set(at),
        actor_account_id: Set(principal.account_id.clone()),
        status: Set(status.as_str().into()),
        note: Set(note),
    }
}

/// Files a request about oneself.
pub async fn file(
    app: &App,
    principal: &Principal,
    input: RequestInput,
    meta: &RequestMeta,
) -> Result<RequestView, AppError> {
    let detail = hadir_domain::person::text(&input.detail, 2000).map_err(|e| AppError::field("detail", &e))?;
    let (field, proposed) = match (input.kind, input.field.as_deref().map(str::trim).filter(|f| !f.is_empty())) {
        (RequestKind::Rectification, Some(field)) => {
            if !RECTIFIABLE.contains(&field) {
                return Err(AppError::field("field", &RectifyRule::Field));
            }
            let value = input.value.as_deref().filter(|v| !v.trim().is_empty());
            let value = rectified(field, value.ok_or_else(|| AppError::field("value", &RectifyRule::Value))?)?;
            let sealed = app.keys.seal_text(&value).map_err(|e| AppError::Internal(format!("sealing: {e}")))?;
            (Some(field.to_string()), Some(sealed))
        }
        // A rectification may also be described in words only; other kinds carry no proposal.
        _ => (None, None),
    };
    let filed = app.clock.now();
    let model = request::Model {
        institution_id: principal.institution_id.clone(),
        id: new_id(),
        person_id: principal.person_id.clone(),
        kind: input.kind.as_str().into(),
        detail,
        status: RequestStatus::Received.as_str().into(),
        filed_at: filed.timestamp_millis(),
        due_at: input.kind.due_at(filed).map(|d| d.timestamp_millis()),
        closed_at: None,
        answer: None,
        field,
        proposed,
    };
    let txn = app.db.begin().await?;
    request::Entity::insert(request::ActiveModel::from(model.clone())).exec_without_returning(&txn).await?;
    step::Entity::insert(step_row(principal, &model.id, model.filed_at, RequestStatus::Received, None))
        .exec_without_returning(&txn)
        .await?;
    // A copy of everything held is made at once for an access or portability request.
    if matches!(input.kind, RequestKind::Access | RequestKind::Portability) {
        let export = crate::subject_export::SubjectExport { request_id: model.id.clone() };
        let job = crate::jobs::Job::SubjectExport(export);
        crate::downloads::insert_requested(&txn, principal, &job, model.filed_at).await?;
    }
    let entry = Entry::by(principal, "subject_request.file", "subject_request", Some(&model.id))
        .with(serde_json::json!({ "kind": model.kind }));
    audit::record(&txn, model.filed_at, meta, entry).await?;
    txn.commit().await?;
    Ok(with_steps(app, &principal.institution_id, vec![model]).await?.remove(0))
}

async fn with_steps(
    app: &App,
    institution_id: &str,
    requests: Vec<request::Model>,
) -> Result<Vec<RequestView>, AppError> {
    let ids: Vec<String> = requests.iter().map(|r| r.id.clone()).collect();
    let mut steps: std::collections::HashMap<String, Vec<step::Model>> = std::collections::HashMap::new();
    for s in step::Entity::find()
        .filter(step::Column::InstitutionId.eq(institution_id))
        .filter(step::Column::RequestId.is_in(ids))
        .order_by_asc(step::Column::At)
        .order_by_asc(step::Column::Id)
        .all(&app.db)
        .await?
    {
        steps.entry(s.request_id.clone()).or_default().push(s);
    }
    let people = crate::people::by_ids(app, institution_id, requests.iter().map(|r| r.person_id.clone())).await?;
    Ok(requests
        .into_iter()
        .map(|r| {
            let mine = steps.remove(&r.id).unwrap_or_default();
            let name = people.get(&r.person_id).map(|p| p.full_name.clone()).unwrap_or_default();
            view(app, r, mine, name)
        })
        .collect())
}

/// The principal's own requests, newest first.
pub async fn mine(app: &App, principal: &Principal) -> Result<Vec<RequestView>, AppError> {
    let requests = request::Entity::find()
        .filter(request::Column::InstitutionId.eq(&principal.institution_id))
        .filter(request::Column::PersonId.eq(&principal.person_id))
        .order_by_desc(request::Column::FiledAt)
        .all(&app.db)
        .await?;
    with_steps(app, &principal.institution_id, requests).await
}

/// One request of the institution; the privacy officer only.
pub async fn one(app: &App, principal: &Principal, id: &str) -> Result<RequestView, AppError> {
    if !principal.is_privacy_officer() {
        return Err(AppError::Forbidden);
    }
    let found = request::Entity::find_by_id((principal.institution_id.clone(), id.to_string()))
        .one(&app.db)
        .await?
        .ok_or(AppError::NotFound("subject_request"))?;
    Ok(with_steps(app, &principal.institution_id, vec![found]).await?.remove(0))
}

/// Every request of the institution, open ones first by due time; the privacy officer only.
pub async fn desk(app: &App, principal: &Principal, only_open: bool) -> Result<Vec<RequestView>, AppError> {
    if !principal.is_privacy_officer() {
        return Err(AppError::Forbidden);
    }
    let mut query = request::Entity::find().filter(request::Column::InstitutionId.eq(&principal.institution_id));
    if only_open {
        query = query.filter(request::Column::Status.is_in(["received", "in_progress"]));
    }
    let requests = query.order_by_desc(request::Column::FiledAt).all(&app.db).await?;
    let mut views = with_steps(app, &principal.institution_id, requests).await?;
    views.sort_by_key(|v| (!v.status.is_open(), v.due_at.unwrap_or(i64::MAX)));
    Ok(views)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepInput {
    pub status: RequestStatus,
    /// Required to close: the answer the person reads (what was done, or why not).
    #[serde(default)]
    pub note: Option<String>,
}

struct StepRule(&'static str);

impl hadir_domain::Explain for StepRule {
    fn code(&self) -> &'static str {
        self.0
    }
    fn message(&self, lang: hadir_domain::Lang) -> String {
        match (self.0, lang) {
            ("request_closed", hadir_domain::Lang::Id) => "Permintaan ini sudah selesai; ajukan permintaan baru".into(),
            ("request_closed", hadir_domain::Lang::En) => "This request is closed; file a new one".into(),
            (_, hadir_domain::Lang::Id) => "Jawaban wajib diisi untuk menyelesaikan atau menolak".into(),
            (_, hadir_domain::Lang::En) => "An answer is required to answer or refuse a request".into(),
        }
    }
}

/// Moves a request forward; closing it needs the answer.
pub async fn advance(
    app: &App,
    principal: &Principal,
    id: &str,
    input: StepInput,
    meta: &RequestMeta,
) -> Result<RequestView, AppError> {
    if !principal.is_privacy_officer() {
        return Err(AppError::Forbidden);
    }
    let current = request::Entity::find_by_id((principal.institution_id.clone(), id.to_string()))
        .one(&app.db)
        .await?
        .ok_or(AppError::NotFound("subject_request"))?;
    let status = RequestStatus::parse(&current.status).unwrap_or(RequestStatus::Received);
    if !status.may_become(input.status) {
        return Err(AppError::field("status", &StepRule("request_closed")));
    }
    let note = match input.note.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        Some(n) => Some(hadir_domain::person::text(n, 4000).map_err(|e| AppError::field("note", &e))?),
        None => None,
    };
    let closing = !input.status.is_open();
    if closing && note.is_none() {
        return Err(AppError::Invalid(vec![FieldProblem::new("note", &StepRule("answer_required"))]));
    }
    let now_ms = app.now_ms();
    let txn = app.db.begin().await?;
    let mut active: request::ActiveModel = current.clone().into();
    active.status = Set(input.status.as_str().into());
    if closing {
        active.closed_at = Set(Some(now_ms));
        active.answer = Set(note.clone());
    }
    sea_orm::ActiveModelTrait::update(active, &txn).await?;
    step::Entity::insert(step_row(principal, id, now_ms, input.status, note)).exec_without_returning(&txn).await?;
    let entry = Entry::by(principal, "subject_request.step", "subject_request", Some(id))
        .with(serde_json::json!({ "status": input.status.as_str() }));
    audit::record(&txn, now_ms, meta, entry).await?;
    txn.commit().await?;
    let updated = request::Entity::find_by_id((principal.institution_id.clone(), id.to_string()))
        .one(&app.db)
        .await?
        .ok_or(AppError::NotFound("subject_request"))?;
    Ok(with_steps(app, &principal.institution_id, vec![updated]).await?.remove(0))
}

/// Open requests past their due time, all institutions: the `/metrics` gauge.
pub async fn count_overdue(app: &App) -> Result<u64, AppError> {
    Ok(request::Entity::find()
        .filter(request::Column::Status.is_in(["received", "in_progress"]))
        .filter(request::Column::DueAt.lt(app.now_ms()))
        .count(&app.db)
        .await?)
}

/// Records on the request that the person's copy of their data is ready (a step by the system,
/// moving a received request to in progress); the privacy officer still answers it.
pub(crate) async fn note_export_ready(
    app: &App,
    institution_id: &str,
    request_id: &str,
    until_ms: i64,
) -> Result<(), AppError> {
    let Some(current) =
        request::Entity::find_by_id((institution_id.to_string(), request_id.to_string())).one(&app.db).await?
    else {
        return Ok(());
    };
    let status = RequestStatus::parse(&current.status).unwrap_or(RequestStatus::Received);
    let next = if status == RequestStatus::Received { RequestStatus::InProgress } else { status };
    let until = DateTime::from_timestamp_millis(until_ms)
        .map(|t| hadir_domain::time_zone::WorkZone::Jakarta.local(t).format("%d-%m-%Y %H:%M WIB").to_string())
        .unwrap_or_default();
    let note = format!(
        "Salinan data siap di Privasi saya, dapat diunduh sekali sampai {until}. / \
         The copy of your data is ready in My privacy, for one download until {until}."
    );
    let now_ms = app.now_ms();
    let txn = app.db.begin().await?;
    if next != status {
        let mut active: request::ActiveModel = current.into();
        active.status = Set(next.as_str().into());
        sea_orm::ActiveModelTrait::update(active, &txn).await?;
    }
    step::Entity::insert(step::ActiveModel {
        institution_id: Set(institution_id.into()),
        id: Set(new_id()),
        request_id: Set(request_id.into()),
        at: Set(now_ms),
        actor_account_id: Set("system".into()),
        status: Set(next.as_str().into()),
        note: Set(Some(note)),
    })
    .exec_without_returning(&txn)
    .await?;
    txn.commit().await?;
    Ok(())
}
