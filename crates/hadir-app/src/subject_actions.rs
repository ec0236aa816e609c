//! What the privacy officer does with a rectification or an erasure request, beyond answering:
//! a proposed correction applied to the person's record, or an erasure weighed against the
//! retention schedule and legal holds ([`hadir_domain::erasure`]) and carried out — each closing
//! the request with an answer that says what was done, and why anything was kept.

use crate::audit::{self, Entry};
use crate::subject_rights::{self, RequestView};
use crate::{App, AppError, Principal, RequestMeta, new_id};
use chrono::{DateTime, NaiveDate};
use hadir_db::entities::{
    access_entry, account, attendance_event as event, consent_entry, device, leave_request, legal_hold,
    notice_feedback, person, role_grant, session, subject_request as request, subject_request_step as step,
};
use hadir_domain::erasure::{self, DataClass, ErasureFacts, Line, Verdict};
use hadir_domain::person::Religion;
use hadir_domain::subject_rights::{RequestKind, RequestStatus};
use hadir_domain::{Explain, Lang};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait,
};
use serde::Serialize;

struct Mismatch;

impl Explain for Mismatch {
    fn code(&self) -> &'static str {
        "request_kind_mismatch"
    }
    fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::Id => "Tindakan ini tidak berlaku untuk permintaan ini (jenisnya lain, atau sudah selesai)".into(),
            Lang::En => "This action does not apply to this request (another kind, or already closed)".into(),
        }
    }
}

/// An open request of `kind` in the institution, for the privacy officer.
async fn open_request(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    id: &str,
    kind: RequestKind,
) -> Result<request::Model, AppError> {
    if !principal.is_privacy_officer() {
        return Err(AppError::Forbidden);
    }
    let r = request::Entity::find_by_id((principal.institution_id.clone(), id.to_string()))
        .one(conn)
        .await?
        .ok_or(AppError::NotFound("subject_request"))?;
    let open = RequestStatus::parse(&r.status).is_some_and(RequestStatus::is_open);
    if r.kind != kind.as_str() || !open {
        return Err(AppError::field("id", &Mismatch));
    }
    Ok(r)
}

/// Closes a request as answered, with its answer, inside the caller's transaction.
async fn close(
    txn: &DatabaseTransaction,
    principal: &Principal,
    r: request::Model,
    answer: String,
    now_ms: i64,
) -> Result<(), AppError> {
    let id = r.id.clone();
    let mut active: request::ActiveModel = r.into();
    active.status = Set(RequestStatus::Answered.as_str().into());
    active.closed_at = Set(Some(now_ms));
    active.answer = Set(Some(answer.clone()));
    sea_orm::ActiveModelTrait::update(active, txn).await?;
    step::Entity::insert(step::ActiveModel {
        institution_id: Set(principal.institution_id.clone()),
        id: Set(new_id()),
        request_id: Set(id),
        at: Set(now_ms),
        actor_account_id: Set(principal.account_id.clone()),
        status: Set(RequestStatus::Answered.as_str().into()),
        note: Set(Some(answer)),
    })
    .exec_without_returning(txn)
    .await?;
    Ok(())
}

fn field_label(field: &str, lang: Lang) -> &'static str {
    match (field, lang) {
        ("full_name", Lang::Id) => "nama",
        ("full_name", Lang::En) => "name",
        ("nik", _) => "NIK",
        ("email", _) => "e-mail",
        ("phone", Lang::Id) => "telepon",
        ("phone", Lang::En) => "phone",
        ("position", Lang::Id) => "jabatan",
        ("position", Lang::En) => "position",
        ("religion", Lang::Id) => "agama",
        ("religion", Lang::En) => "religion",
        _ => "",
    }
}

/// Applies a rectification as proposed: the field corrected (checked again by its rule),
/// audited, and the request answered.
pub async fn apply_rectification(
    app: &App,
    principal: &Principal,
    id: &str,
    meta: &RequestMeta,
) -> Result<RequestView, AppError> {
    let now_ms = app.now_ms();
    let txn = app.db.begin().await?;
    let r = open_request(&txn, principal, id, RequestKind::Rectification).await?;
    let (Some(field), Some(sealed)) = (r.field.clone(), r.proposed.clone()) else {
        return Err(AppError::field("value", &Mismatch));
    };
    let value = app.keys.open_text(&sealed).map_err(|e| AppError::Internal(format!("opening a proposal: {e}")))?;
    let value = subject_rights::rectified(&field, &value)?;
    let subject = person::Entity::find_by_id((principal.institution_id.clone(), r.person_id.clone()))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound("person"))?;
    let mut active: person::ActiveModel = subject.into();
    match field.as_str() {
        "full_name" => active.full_name = Set(value),
        "email" => active.email = Set(Some(value)),
        "phone" => active.phone = Set(Some(value)),
        "position" => active.position = Set(Some(value)),
        "religion" => active.religion = Set(crate::people::seal_religion(app, Religion::parse(&value))?),
        _ => {
            let (nik, index) = crate::people::seal_nik(app, Some(&value))?;
            active.nik = Set(nik);
            active.nik_index = Set(index);
        }
    }
    active.updated_at = Set(now_ms);
    sea_orm::ActiveModelTrait::update(active, &txn)
        .await
        .map_err(|e| AppError::unique_or(e, "email_taken", "value"))?;
    let answer = format!(
        "Diperbaiki sesuai permintaan: {}. / Corrected as requested: {}.",
        field_label(&field, Lang::Id),
        field_label(&field, Lang::En)
    );
    let person_id = r.person_id.clone();
    let entry = Entry::by(principal, "person.rectify", "person", Some(&person_id))
        .with(serde_json::json!({ "request": id, "field": field }));
    close(&txn, principal, r, answer, now_ms).await?;
    audit::record(&txn, now_ms, meta, entry).await?;
    txn.commit().await?;
    crate::auth::forget_principals(app);
    subject_rights::one(app, principal, id).await
}

/// An erasure request weighed: each class of the person's data erased or kept, and the answer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErasurePlan {
    /// What would be erased (with how many items), in the reader's language.
    pub erased: Vec<String>,
    /// What would be kept, with the ground and until when.
    pub kept: Vec<String>,
    /// The answer the person will read (Indonesian, then English).
    pub answer: String,
}

/// What is held about the person, counted for the weighing.
async fn facts_of(app: &App, institution_id: &str, subject: &person::Model) -> Result<ErasureFacts, AppError> {
    let pid = subject.id.as_str();
    let events = || {
        event::Entity::find()
            .filter(event::Column::InstitutionId.eq(institution_id))
            .filter(event::Column::PersonId.eq(pid))
    };
    let awaiting = || event::Column::Outcome.eq("needs_review");
    let decided = || event::Column::Outcome.ne("needs_review");
    let devices = || {
        device::Entity::find()
            .filter(device::Column::InstitutionId.eq(institution_id))
            .filter(device::Column::PersonId.eq(pid))
            .filter(device::Column::PhotoKey.ne(""))
    };
    let count = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
    let day_of = |ms: i64| DateTime::from_timestamp_millis(ms).map(|t| t.date_naive());
    let newest_record: Option<String> = events()
        .select_only()
        .column(event::Column::LocalDate)
        .order_by_desc(event::Column::LocalDate)
        .into_tuple()
        .one(&app.db)
        .await?;
    let newest_access: Option<i64> = access_entry::Entity::find()
        .select_only()
        .column(access_entry::Column::At)
        .filter(access_entry::Column::InstitutionId.eq(institution_id))
        .filter(access_entry::Column::SubjectPersonId.eq(pid))
        .order_by_desc(access_entry::Column::At)
        .into_tuple()
        .one(&app.db)
        .await?;
    let consents = crate::consent::consents_of(app, institution_id, pid).await?;
    Ok(ErasureFacts {
        held: legal_hold::Entity::find()
            .filter(legal_hold::Column::InstitutionId.eq(institution_id))
            .filter(legal_hold::Column::PersonId.eq(pid))
            .filter(legal_hold::Column::ReleasedAt.is_null())
            .count(&app.db)
            .await?
            > 0,
        employed: subject.status == "active",
        photos_decided: count(
            events().filter(event::Column::PhotoKey.is_not_null()).filter(decided()).count(&app.db).await?,
        ),
        photos_awaiting_review: count(
            events().filter(event::Column::PhotoKey.is_not_null()).filter(awaiting()).count(&app.db).await?,
        ),
        device_selfies_decided: count(devices().filter(device::Column::Status.ne("pending")).count(&app.db).await?),
        device_selfies_pending: count(devices().filter(device::Column::Status.eq("pending")).count(&app.db).await?),
        exact_locations: count(
            events().filter(event::Column::Lat.is_not_null()).filter(decided()).count(&app.db).await?,
        ),
        consents_given: count(consents.current.values().filter(|granted| **granted).count() as u64),
        notice_feedback: count(
            notice_feedback::Entity::find()
                .filter(notice_feedback::Column::InstitutionId.eq(institution_id))
                .filter(notice_feedback::Column::PersonId.eq(pid))
                .count(&app.db)
                .await?,
        ),
        newest_record: newest_record.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
        newest_access: newest_access.and_then(day_of),
        newest_leave: leave_request::Entity::find()
            .select_only()
            .column(leave_request::Column::EndDate)
            .filter(leave_request::Column::InstitutionId.eq(institution_id))
            .filter(leave_request::Column::PersonId.eq(pid))
            .order_by_desc(leave_request::Column::EndDate)
            .into_tuple::<String>()
            .one(&app.db)
            .await?
            .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
        has_account: account::Entity::find()
            .filter(account::Column::InstitutionId.eq(institution_id))
            .filter(account::Column::PersonId.eq(pid))
            .count(&app.db)
            .await?
            > 0,
    })
}

async fn weighed(app: &App, principal: &Principal, r: &request::Model) -> Result<(person::Model, Vec<Line>), AppError> {
    let subject = person::Entity::find_by_id((principal.institution_id.clone(), r.person_id.clone()))
        .one(&app.db)
        .await?
        .ok_or(AppError::NotFound("person"))?;
    let facts = facts_of(app, &principal.institution_id, &subject).await?;
    let policy = crate::retention::policy(app, &principal.institution_id).await?;
    Ok((subject, erasure::assess(&facts, &policy)))
}

fn both_languages(lines: &[Line]) -> String {
    format!("{}\n\n{}", erasure::answer(lines, Lang::Id), erasure::answer(lines, Lang::En))
}

/// What carrying out an erasure request would do, for the privacy officer to read first.
pub async fn erasure_plan(app: &App, principal: &Principal, id: &str, lang: Lang) -> Result<ErasurePlan, AppError> {
    let r = open_request(&app.db, principal, id, RequestKind::Erasure).await?;
    let (_, lines) = weighed(app, principal, &r).await?;
    let (erased, kept) = erasure::describe(&lines, lang);
    Ok(ErasurePlan { erased, kept, answer: both_languages(&lines) })
}

/// Carries out an erasure request as weighed: selfies and exact coordinates of decided
/// check-ins, decided phones' selfies, consents withdrawn, notice comments, and — for someone
/// who has left — their login; the rest kept with its ground. The request is answered with the
/// list. Photos leave the object store once no other record uses their bytes.
pub async fn apply_erasure(
    app: &App,
    principal: &Principal,
    id: &str,
    meta: &RequestMeta,
) -> Result<RequestView, AppError> {
    let r = open_request(&app.db, principal, id, RequestKind::Erasure).await?;
    let (subject, lines) = weighed(app, principal, &r).await?;
    let inst = principal.institution_id.clone();
    let pid = subject.id.clone();
    let erases = |class: DataClass| lines.iter().any(|l| l.class == class && matches!(l.verdict, Verdict::Erase(_)));
    let now_ms = app.now_ms();
    let txn = app.db.begin().await?;
    let r = open_request(&txn, principal, id, RequestKind::Erasure).await?;
    let decided = || {
        event::Entity::find()
            .filter(event::Column::InstitutionId.eq(&inst))
            .filter(event::Column::PersonId.eq(&pid))
            .filter(event::Column::Outcome.ne("needs_review"))
    };
    let mut photo_keys: Vec<String> = Vec::new();
    if erases(DataClass::CheckinPhotos) {
        photo_keys = decided()
            .select_only()
            .column(event::Column::PhotoKey)
            .filter(event::Column::PhotoKey.is_not_null())
            .into_tuple()
            .all(&txn)
            .await?;
        event::Entity::update_many()
            .col_expr(event::Column::PhotoKey, Expr::value(Option::<String>::None))
            .filter(event::Column::InstitutionId.eq(&inst))
            .filter(event::Column::PersonId.eq(&pid))
            .filter(event::Column::Outcome.ne("needs_review"))
            .exec(&txn)
            .await?;
    }
    if erases(DataClass::ExactLocations) {
        event::Entity::update_many()
            .col_expr(event::Column::Lat, Expr::value(Option::<f64>::None))
            .col_expr(event::Column::Lon, Expr::value(Option::<f64>::None))
            .filter(event::Column::InstitutionId.eq(&inst))
            .filter(event::Column::PersonId.eq(&pid))
            .filter(event::Column::Outcome.ne("needs_review"))
            .exec(&txn)
            .await?;
    }
    let mut selfie_keys: Vec<String> = Vec::new();
    if erases(DataClass::DeviceSelfies) {
        let decided_phones = || {
            device::Entity::find()
                .filter(device::Column::InstitutionId.eq(&inst))
                .filter(device::Column::PersonId.eq(&pid))
                .filter(device::Column::Status.ne("pending"))
                .filter(device::Column::PhotoKey.ne(""))
        };
        selfie_keys = decided_phones().select_only().column(device::Column::PhotoKey).into_tuple().all(&txn).await?;
        device::Entity::update_many()
            .col_expr(device::Column::PhotoKey, Expr::value(""))
            .filter(device::Column::InstitutionId.eq(&inst))
            .filter(device::Column::PersonId.eq(&pid))
            .filter(device::Column::Status.ne("pending"))
            .exec(&txn)
            .await?;
    }
    if erases(DataClass::ConsentBased) {
        let given = crate::consent::consents_of(app, &inst, &pid).await?;
        let version = crate::consent::version_in_force(app, &inst).await?;
        for (purpose, _) in given.current.iter().filter(|(_, granted)| **granted) {
            consent_entry::Entity::insert(consent_entry::ActiveModel {
                institution_id: Set(inst.clone()),
                id: Set(new_id()),
                person_id: Set(pid.clone()),
                purpose: Set(purpose.clone()),
                notice_version: Set(version),
                granted: Set(false),
                at: Set(now_ms),
                channel: Set("erasure".into()),
                ip: Set(None),
                user_agent: Set(None),
            })
            .exec_without_returning(&txn)
            .await?;
        }
    }
    if erases(DataClass::NoticeFeedback) {
        notice_feedback::Entity::delete_many()
            .filter(notice_feedback::Column::InstitutionId.eq(&inst))
            .filter(notice_feedback::Column::PersonId.eq(&pid))
            .exec(&txn)
            .await?;
    }
    if erases(DataClass::Account)
        && let Some(acc) = account::Entity::find()
            .filter(account::Column::InstitutionId.eq(&inst))
            .filter(account::Column::PersonId.eq(&pid))
            .one(&txn)
            .await?
    {
        session::Entity::delete_many()
            .filter(session::Column::InstitutionId.eq(&inst))
            .filter(session::Column::AccountId.eq(&acc.id))
            .exec(&txn)
            .await?;
        role_grant::Entity::delete_many()
            .filter(role_grant::Column::InstitutionId.eq(&inst))
            .filter(role_grant::Column::AccountId.eq(&acc.id))
            .exec(&txn)
            .await?;
        account::Entity::delete_by_id((inst.clone(), acc.id)).exec(&txn).await?;
    }
    let erased: serde_json::Map<String, serde_json::Value> = lines
        .iter()
        .filter_map(|l| match l.verdict {
            Verdict::Erase(n) => Some((format!("{:?}", l.class), serde_json::json!(n))),
            Verdict::Keep { .. } => None,
        })
        .collect();
    let entry = Entry::by(principal, "subject_request.erasure", "person", Some(&pid))
        .with(serde_json::json!({ "request": id, "erased": erased }));
    close(&txn, principal, r, both_languages(&lines), now_ms).await?;
    audit::record(&txn, now_ms, meta, entry).await?;
    txn.commit().await?;
    crate::auth::forget_principals(app);
    remove_unused_objects(app, &inst, photo_keys, selfie_keys).await?;
    subject_rights::one(app, principal, id).await
}

/// Deletes erased photos from the store, unless another record still uses the same bytes
/// (a photo is stored under its content hash).
async fn remove_unused_objects(
    app: &App,
    institution_id: &str,
    photo_keys: Vec<String>,
    selfie_keys: Vec<String>,
) -> Result<(), AppError> {
    let store = |e| AppError::Internal(format!("object store: {e}"));
    for key in photo_keys {
        let still = event::Entity::find()
            .filter(event::Column::InstitutionId.eq(institution_id))
            .filter(event::Column::PhotoKey.eq(&key))
            .count(&app.db)
            .await?;
        if still == 0 {
            if let Some(thumb) = crate::thumbnails::key_of(&key) {
                app.objects.delete(&thumb).await.map_err(store)?;
            }
            app.objects.delete(&key).await.map_err(store)?;
        }
    }
    for key in selfie_keys {
        let still = device::Entity::find()
            .filter(device::Column::InstitutionId.eq(institution_id))
            .filter(device::Column::PhotoKey.eq(&key))
            .count(&app.db)
            .await?;
        if still == 0 {
            app.objects.delete(&key).await.map_err(store)?;
        }
    }
    Ok(())
}
