//! Notices, purposes and the consent ledger. The DPO publishes notice versions (Indonesian and
//! English) with a review period; the register of purposes says which rest on consent; each
//! person grants or withdraws those one by one, and every decision is appended to the ledger
//! with the notice version, time, channel, address and device — the proof Ps 24 asks for.
//! Once a notice is in force, a person with consent-based purposes still undecided under it is
//! taken to "my privacy" before anything else in the web app ([`must_decide`]). While a new
//! version is under review, everyone is told when it will bind and may comment on it
//! ([`give_feedback`]); the privacy officer reads the comments.
//! A decision takes effect at once: where the register bases selfies on consent, a person who
//! has not given it checks in without one ([`photos_allowed`], read by check-ins and phone
//! registration), and the nightly retention run deletes the selfies already kept of anyone who
//! withdrew it. Hadir does no face matching, so the `biometric_matching` purpose of the default
//! register switches nothing on or off: it is there for institutions that match faces elsewhere.

use crate::audit::{self, Entry};
use crate::{App, AppError, FieldProblem, Principal, RequestMeta, Rule, new_id, settings};
use hadir_db::entities::{consent_entry as entry, notice_feedback as feedback, person, privacy_notice as notice};
use hadir_domain::consent::{CHECKIN_PHOTO, Purpose, default_purposes, validate};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

const PURPOSES: &str = "purposes";

pub async fn purposes(db: &DatabaseConnection, institution_id: &str) -> Result<Vec<Purpose>, AppError> {
    Ok(settings::load(db, institution_id, PURPOSES).await?.unwrap_or_else(default_purposes))
}

/// Replaces the register of purposes; institution administrators only.
pub async fn set_purposes(
    app: &App,
    principal: &Principal,
    list: Vec<Purpose>,
    meta: &RequestMeta,
) -> Result<Vec<Purpose>, AppError> {
    validate(&list).map_err(|e| AppError::Invalid(vec![FieldProblem::new("purposes", &e)]))?;
    settings::store(app, principal, PURPOSES, &list, serde_json::json!({}), meta).await?;
    Ok(list)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoticeInput {
    pub text_id: String,
    pub text_en: String,
    /// Days people have to read it (and send feedback) before it binds.
    pub review_days: u32,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NoticeView {
    pub version: i32,
    pub text_id: String,
    pub text_en: String,
    pub published_at: i64,
    /// When it binds: decisions under older versions are asked again from then.
    pub effective_at: i64,
}

impl From<notice::Model> for NoticeView {
    fn from(n: notice::Model) -> Self {
        NoticeView {
            version: n.version,
            text_id: n.text_id,
            text_en: n.text_en,
            published_at: n.published_at,
            effective_at: n.effective_at,
        }
    }
}

async fn latest(app: &App, institution_id: &str) -> Result<Option<notice::Model>, AppError> {
    Ok(notice::Entity::find()
        .filter(notice::Column::InstitutionId.eq(institution_id))
        .order_by_desc(notice::Column::Version)
        .one(&app.db)
        .await?)
}

/// Publishes the next version; the privacy officer only, audited.
pub async fn publish(
    app: &App,
    principal: &Principal,
    input: NoticeInput,
    meta: &RequestMeta,
) -> Result<NoticeView, AppError> {
    if !principal.is_privacy_officer() {
        return Err(AppError::Forbidden);
    }
    let mut problems = Vec::new();
    let mut text = |field: &'static str, value: &str| {
        hadir_domain::person::paragraphs(value, 20_000).map_err(|e| problems.push(FieldProblem::new(field, &e))).ok()
    };
    let (text_id, text_en) = (text("text_id", &input.text_id), text("text_en", &input.text_en));
    if input.review_days > 90 {
        problems.push(FieldProblem::new("review_days", &Rule::ReviewPeriod));
    }
    let (Some(text_id), Some(text_en), true) = (text_id, text_en, problems.is_empty()) else {
        return Err(AppError::Invalid(problems));
    };
    let now_ms = app.now_ms();
    let version = latest(app, &principal.institution_id).await?.map_or(1, |n| n.version + 1);
    let model = notice::Model {
        institution_id: principal.institution_id.clone(),
        id: new_id(),
        version,
        text_id,
        text_en,
        published_at: now_ms,
        effective_at: now_ms + i64::from(input.review_days) * 86_400_000,
        published_by: principal.account_id.clone(),
    };
    let txn = app.db.begin().await?;
    notice::Entity::insert(notice::ActiveModel::from(model.clone())).exec_without_returning(&txn).await?;
    let e = Entry::by(principal, "privacy_notice.publish", "privacy_notice", Some(&model.id))
        .with(serde_json::json!({ "version": version }));
    audit::record(&txn, now_ms, meta, e).await?;
    txn.commit().await?;
    Ok(model.into())
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CurrentNotice {
    pub notice: Option<NoticeView>,
    #[schema(value_type = Vec<Object>)]
    pub purposes: Vec<Purpose>,
}

/// What everyone reads: the latest notice and the register of purposes with their bases.
pub async fn current(app: &App, principal: &Principal) -> Result<CurrentNotice, AppError> {
    Ok(CurrentNotice {
        notice: latest(app, &principal.institution_id).await?.map(NoticeView::from),
        purposes: purposes(&app.db, &principal.institution_id).await?,
    })
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    pub purpose: String,
    pub granted: bool,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LedgerEntry {
    pub purpose: String,
    pub granted: bool,
    pub notice_version: i32,
    pub at: i64,
    pub channel: String,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Consents {
    /// Every decision, oldest first.
    pub history: Vec<LedgerEntry>,
    /// The standing decision per consent-based purpose.
    pub current: BTreeMap<String, bool>,
    /// Consent-based purposes with no decision under the notice in force.
    pub pending: Vec<String>,
    /// Whether check-ins and phone registration take a selfie: `false` where the register bases
    /// selfies on consent and the person has not given it (check in by QR, or without a photo for
    /// the supervisor to confirm).
    pub selfies_allowed: bool,
}

struct NotConsentBased;

impl hadir_domain::Explain for NotConsentBased {
    fn code(&self) -> &'static str {
        "purpose_not_consent_based"
    }
    fn message(&self, lang: hadir_domain::Lang) -> String {
        match lang {
            hadir_domain::Lang::Id => "Tujuan ini tidak berdasarkan persetujuan, atau tidak ada".into(),
            hadir_domain::Lang::En => "This purpose does not rest on consent, or does not exist".into(),
        }
    }
}

/// Appends the principal's decision on one consent-based purpose to the ledger.
pub async fn decide(app: &App, principal: &Principal, d: Decision, meta: &RequestMeta) -> Result<Consents, AppError> {
    let register = purposes(&app.db, &principal.institution_id).await?;
    if !register.iter().any(|p| p.key == d.purpose && p.needs_consent()) {
        return Err(AppError::field("purpose", &NotConsentBased));
    }
    let version = latest(app, &principal.institution_id).await?.map_or(0, |n| n.version);
    let now_ms = app.now_ms();
    let txn = app.db.begin().await?;
    entry::Entity::insert(entry::ActiveModel {
        institution_id: Set(principal.institution_id.clone()),
        id: Set(new_id()),
        person_id: Set(principal.person_id.clone()),
        purpose: Set(d.purpose.clone()),
        notice_version: Set(version),
        granted: Set(d.granted),
        at: Set(now_ms),
        channel: Set("app".into()),
        ip: Set(meta.ip.clone()),
        user_agent: Set(meta.user_agent.clone()),
    })
    .exec_without_returning(&txn)
    .await?;
    let action = if d.granted { "consent.grant" } else { "consent.withdraw" };
    let e = Entry::by(principal, action, "person", Some(&principal.person_id))
        .with(serde_json::json!({ "purpose": d.purpose }));
    audit::record(&txn, now_ms, meta, e).await?;
    txn.commit().await?;
    // The next check-in in this process reads the decision; other processes within seconds.
    crate::attendance::forget_profile(app, &principal.institution_id, &principal.person_id);
    consents_of(app, &principal.institution_id, &principal.person_id).await
}

/// Whether selfies may be taken and kept of this person ([`hadir_domain::consent::photos_allowed`]).
pub async fn photos_allowed(app: &App, institution_id: &str, person_id: &str) -> Result<bool, AppError> {
    Ok(photos_allowed_each(&app.db, institution_id, &[person_id]).await?[0])
}

/// [`photos_allowed`] for each of several people of one institution, in their order: one read of
/// the register and, where it asks for consent, one of the people's decisions.
pub(crate) async fn photos_allowed_each(
    db: &DatabaseConnection,
    institution_id: &str,
    people: &[&str],
) -> Result<Vec<bool>, AppError> {
    let register = purposes(db, institution_id).await?;
    if hadir_domain::consent::photos_allowed(&register, None) {
        return Ok(vec![true; people.len()]);
    }
    let standing = standing_on_selfies(db, institution_id, Some(people)).await?;
    Ok(people.iter().map(|p| hadir_domain::consent::photos_allowed(&register, standing.get(*p).copied())).collect())
}

/// People whose standing decision on selfies is a withdrawal, where the register asks for
/// consent: the retention run deletes what was kept of them.
pub(crate) async fn photos_withdrawn(app: &App, institution_id: &str) -> Result<Vec<String>, AppError> {
    let register = purposes(&app.db, institution_id).await?;
    if hadir_domain::consent::photos_allowed(&register, None) {
        return Ok(Vec::new());
    }
    let standing = standing_on_selfies(&app.db, institution_id, None).await?;
    Ok(standing.into_iter().filter(|(_, granted)| !granted).map(|(person, _)| person).collect())
}

/// Each person's standing decision on selfies (the last one stands) — of these people, or of
/// everyone who decided.
async fn standing_on_selfies(
    db: &DatabaseConnection,
    institution_id: &str,
    people: Option<&[&str]>,
) -> Result<BTreeMap<String, bool>, AppError> {
    let mut decisions = entry::Entity::find()
        .filter(entry::Column::InstitutionId.eq(institution_id))
        .filter(entry::Column::Purpose.eq(CHECKIN_PHOTO));
    if let Some(people) = people {
        decisions = decisions.filter(entry::Column::PersonId.is_in(people.iter().copied()));
    }
    let decisions = decisions.order_by_asc(entry::Column::At).order_by_asc(entry::Column::Id).all(db).await?;
    Ok(decisions.into_iter().map(|e| (e.person_id, e.granted)).collect())
}

pub(crate) async fn consents_of(app: &App, institution_id: &str, person_id: &str) -> Result<Consents, AppError> {
    let rows = entry::Entity::find()
        .filter(entry::Column::InstitutionId.eq(institution_id))
        .filter(entry::Column::PersonId.eq(person_id))
        .order_by_asc(entry::Column::At)
        .order_by_asc(entry::Column::Id)
        .all(&app.db)
        .await?;
    let in_force =
        latest(app, institution_id).await?.filter(|n| n.effective_at <= app.now_ms()).map_or(0, |n| n.version);
    let mut current = BTreeMap::new();
    let mut decided_under: BTreeMap<String, i32> = BTreeMap::new();
    for r in &rows {
        current.insert(r.purpose.clone(), r.granted);
        decided_under.insert(r.purpose.clone(), r.notice_version);
    }
    let register = purposes(&app.db, institution_id).await?;
    let selfies_allowed = hadir_domain::consent::photos_allowed(&register, current.get(CHECKIN_PHOTO).copied());
    let pending = register
        .into_iter()
        // Consent is asked under a notice in force (Ps 21): none yet, nothing to ask.
        .filter(|p| in_force > 0 && p.needs_consent() && decided_under.get(&p.key).is_none_or(|v| *v < in_force))
        .map(|p| p.key)
        .collect();
    let history = rows
        .into_iter()
        .map(|r| LedgerEntry {
            purpose: r.purpose,
            granted: r.granted,
            notice_version: r.notice_version,
            at: r.at,
            channel: r.channel,
            ip: r.ip,
            user_agent: r.user_agent,
        })
        .collect();
    Ok(Consents { history, current, pending, selfies_allowed })
}

pub async fn mine(app: &App, principal: &Principal) -> Result<Consents, AppError> {
    consents_of(app, &principal.institution_id, &principal.person_id).await
}

/// A person's consent history, as proof (Ps 24); the privacy officer only.
pub async fn of_person(app: &App, principal: &Principal, person_id: &str) -> Result<Consents, AppError> {
    if !principal.is_privacy_officer() {
        return Err(AppError::Forbidden);
    }
    person::Entity::find_by_id((principal.institution_id.clone(), person_id.to_string()))
        .one(&app.db)
        .await?
        .ok_or(AppError::NotFound("person"))?;
    consents_of(app, &principal.institution_id, person_id).await
}

/// The version of the notice a decision made now is recorded under (0 before any).
pub(crate) async fn version_in_force(app: &App, institution_id: &str) -> Result<i32, AppError> {
    Ok(latest(app, institution_id).await?.map_or(0, |n| n.version))
}

/// Whether the person must decide consent-based purposes before using the app: some are
/// undecided under the notice in force.
pub async fn must_decide(app: &App, principal: &Principal) -> Result<bool, AppError> {
    Ok(!mine(app, principal).await?.pending.is_empty())
}

/// A published version not yet in force: what the app announces, with the date it binds.
pub async fn upcoming(app: &App, principal: &Principal) -> Result<Option<NoticeView>, AppError> {
    let now_ms = app.now_ms();
    Ok(latest(app, &principal.institution_id).await?.filter(|n| n.effective_at > now_ms).map(NoticeView::from))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedbackInput {
    /// The version commented on: the latest one.
    pub version: i32,
    pub text: String,
}

struct NotLatest;

impl hadir_domain::Explain for NotLatest {
    fn code(&self) -> &'static str {
        "notice_not_latest"
    }
    fn message(&self, lang: hadir_domain::Lang) -> String {
        match lang {
            hadir_domain::Lang::Id => "Masukan hanya untuk versi pemberitahuan terbaru".into(),
            hadir_domain::Lang::En => "Feedback is taken on the latest version of the notice only".into(),
        }
    }
}

/// Records a comment on the latest notice, for the privacy officer.
pub async fn give_feedback(
    app: &App,
    principal: &Principal,
    input: FeedbackInput,
    meta: &RequestMeta,
) -> Result<(), AppError> {
    let latest = latest(app, &principal.institution_id).await?;
    if latest.as_ref().map(|n| n.version) != Some(input.version) {
        return Err(AppError::field("version", &NotLatest));
    }
    let text = hadir_domain::person::paragraphs(&input.text, 2_000).map_err(|e| AppError::field("text", &e))?;
    let now_ms = app.now_ms();
    let id = new_id();
    let txn = app.db.begin().await?;
    feedback::Entity::insert(feedback::ActiveModel {
        institution_id: Set(principal.institution_id.clone()),
        id: Set(id.clone()),
        notice_version: Set(input.version),
        person_id: Set(principal.person_id.clone()),
        text: Set(text),
        created_at: Set(now_ms),
    })
    .exec_without_returning(&txn)
    .await?;
    let e = Entry::by(principal, "privacy_notice.feedback", "privacy_notice", None)
        .with(serde_json::json!({ "version": input.version }));
    audit::record(&txn, now_ms, meta, e).await?;
    txn.commit().await?;
    Ok(())
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FeedbackView {
    pub person_id: String,
    pub full_name: String,
    pub text: String,
    pub created_at: i64,
}

/// The comments on a version, oldest first; the privacy officer only.
pub async fn feedback(app: &App, principal: &Principal, version: i32) -> Result<Vec<FeedbackView>, AppError> {
    if !principal.is_privacy_officer() {
        return Err(AppError::Forbidden);
    }
    let rows = feedback::Entity::find()
        .filter(feedback::Column::InstitutionId.eq(&principal.institution_id))
        .filter(feedback::Column::NoticeVersion.eq(version))
        .order_by_asc(feedback::Column::CreatedAt)
        .all(&app.db)
        .await?;
    let names = person::Entity::find()
        .filter(person::Column::InstitutionId.eq(&principal.institution_id))
        .filter(person::Column::Id.is_in(rows.iter().map(|r| r.person_id.clone())))
        .all(&app.db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.full_name))
        .collect::<std::collections::HashMap<_, _>>();
    Ok(rows
        .into_iter()
        .map(|r| FeedbackView {
            full_name: names.get(&r.person_id).cloned().unwrap_or_default(),
            person_id: r.person_id,
            text: r.text,
            created_at: r.created_at,
        })
        .collect())
}
