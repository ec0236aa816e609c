//! The controller's registers, kept by the data protection officer: processors, disclosures to
//! authorities, and breach incidents with their 3×24-hour notification clock and generated
//! notices; and the record of processing activities (Ps 31) generated from what Hadir processes,
//! the retention schedule and the processors.

use crate::audit::{self, Entry};
use crate::error::checked_texts;
use crate::{App, AppError, Principal, RequestMeta, new_id, retention};
use chrono::{DateTime, Utc};
use hadir_db::entities::{breach, disclosure, institution, processor};
use hadir_domain::breach::{Audience, Facts, notice, notify_by};
use hadir_domain::consent::LawfulBasis;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};

fn officer(principal: &Principal) -> Result<(), AppError> {
    if principal.is_privacy_officer() { Ok(()) } else { Err(AppError::Forbidden) }
}

/// Inserts a register row with its audit entry, in one transaction.
async fn insert_audited<A>(
    app: &App,
    principal: &Principal,
    row: A,
    (action, subject_type, id): (&str, &str, &str),
    meta: &RequestMeta,
) -> Result<(), AppError>
where
    A: sea_orm::ActiveModelTrait + Send,
{
    use sea_orm::TransactionTrait;
    let txn = app.db.begin().await?;
    <A::Entity as EntityTrait>::insert(row).exec_without_returning(&txn).await?;
    audit::record(&txn, app.now_ms(), meta, Entry::by(principal, action, subject_type, Some(id))).await?;
    txn.commit().await?;
    Ok(())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProcessorInput {
    pub name: String,
    /// Which data they process.
    pub processes: String,
    pub purpose: String,
    pub contract_reference: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProcessorView {
    pub id: String,
    pub name: String,
    pub processes: String,
    pub purpose: String,
    pub contract_reference: String,
    pub created_at: i64,
    pub ended_at: Option<i64>,
}

impl From<processor::Model> for ProcessorView {
    fn from(p: processor::Model) -> Self {
        ProcessorView {
            id: p.id,
            name: p.name,
            processes: p.processes,
            purpose: p.purpose,
            contract_reference: p.contract_reference,
            created_at: p.created_at,
            ended_at: p.ended_at,
        }
    }
}

pub async fn add_processor(
    app: &App,
    principal: &Principal,
    input: ProcessorInput,
    meta: &RequestMeta,
) -> Result<ProcessorView, AppError> {
    officer(principal)?;
    let [name, processes, purpose, contract_reference] = checked_texts([
        ("name", &input.name, 200),
        ("processes", &input.processes, 1000),
        ("purpose", &input.purpose, 1000),
        ("contract_reference", &input.contract_reference, 200),
    ])?;
    let model = processor::Model {
        institution_id: principal.institution_id.clone(),
        id: new_id(),
        name,
        processes,
        purpose,
        contract_reference,
        created_at: app.now_ms(),
        ended_at: None,
    };
    let row = processor::ActiveModel::from(model.clone());
    insert_audited(app, principal, row, ("processor.add", "processor", &model.id), meta).await?;
    Ok(model.into())
}

async fn processors_of(app: &App, institution_id: &str) -> Result<Vec<ProcessorView>, AppError> {
    Ok(processor::Entity::find()
        .filter(processor::Column::InstitutionId.eq(institution_id))
        .order_by_asc(processor::Column::Name)
        .all(&app.db)
        .await?
        .into_iter()
        .map(ProcessorView::from)
        .collect())
}

pub async fn processors(app: &App, principal: &Principal) -> Result<Vec<ProcessorView>, AppError> {
    officer(principal)?;
    processors_of(app, &principal.institution_id).await
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisclosureInput {
    /// The requesting authority (e.g. a court, the police, BPK).
    pub authority: String,
    pub legal_basis: String,
    /// What was disclosed, about whom.
    pub disclosed: String,
    pub disclosed_at: DateTime<Utc>,
    /// Whether the person was told (when the law allows).
    pub subject_told: bool,
    #[serde(default)]
    pub subject_told_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DisclosureView {
    pub id: String,
    pub authority: String,
    pub legal_basis: String,
    pub disclosed: String,
    pub disclosed_at: i64,
    pub subject_told: bool,
    pub subject_told_at: Option<i64>,
}

impl From<disclosure::Model> for DisclosureView {
    fn from(d: disclosure::Model) -> Self {
        DisclosureView {
            id: d.id,
            authority: d.authority,
            legal_basis: d.legal_basis,
            disclosed: d.disclosed,
            disclosed_at: d.disclosed_at,
            subject_told: d.subject_told,
            subject_told_at: d.subject_told_at,
        }
    }
}

pub async fn add_disclosure(
    app: &App,
    principal: &Principal,
    input: DisclosureInput,
    meta: &RequestMeta,
) -> Result<DisclosureView, AppError> {
    officer(principal)?;
    let [authority, legal_basis, disclosed] = checked_texts([
        ("authority", &input.authority, 300),
        ("legal_basis", &input.legal_basis, 500),
        ("disclosed", &input.disclosed, 2000),
    ])?;
    let model = disclosure::Model {
        institution_id: principal.institution_id.clone(),
        id: new_id(),
        authority,
        legal_basis,
        disclosed,
        disclosed_at: input.disclosed_at.timestamp_millis(),
        subject_told: input.subject_told,
        subject_told_at: input.subject_told_at.filter(|_| input.subject_told).map(|t| t.timestamp_millis()),
        created_at: app.now_ms(),
    };
    let row = disclosure::ActiveModel::from(model.clone());
    insert_audited(app, principal, row, ("disclosure.add", "disclosure", &model.id), meta).await?;
    Ok(model.into())
}

pub async fn disclosures(app: &App, principal: &Principal) -> Result<Vec<DisclosureView>, AppError> {
    officer(principal)?;
    Ok(disclosure::Entity::find()
        .filter(disclosure::Column::InstitutionId.eq(&principal.institution_id))
        .order_by_desc(disclosure::Column::DisclosedAt)
        .all(&app.db)
        .await?
        .into_iter()
        .map(DisclosureView::from)
        .collect())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BreachInput {
    pub discovered_at: DateTime<Utc>,
    /// When it happened, as far as known ("5 March 2026, between 02:00 and 04:00").
    pub occurred: String,
    pub data_affected: String,
    pub how: String,
    pub remediation: String,
    pub people_affected: u32,
    /// Where affected people can ask.
    pub contact: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BreachView {
    pub id: String,
    pub discovered_at: i64,
    /// 3×24 hours after discovery.
    pub notify_by: i64,
    pub occurred: String,
    pub data_affected: String,
    pub how: String,
    pub remediation: String,
    pub people_affected: u32,
    pub contact: String,
    pub subjects_notified_at: Option<i64>,
    pub authority_notified_at: Option<i64>,
    /// Past `notify_by` with someone still not notified.
    pub overdue: bool,
}

fn breach_view(app: &App, b: breach::Model) -> BreachView {
    let due = DateTime::from_timestamp_millis(b.discovered_at)
        .map(notify_by)
        .map_or(b.discovered_at, |d| d.timestamp_millis());
    let pending = b.subjects_notified_at.is_none() || b.authority_notified_at.is_none();
    BreachView {
        notify_by: due,
        overdue: pending && app.now_ms() > due,
        id: b.id,
        discovered_at: b.discovered_at,
        occurred: b.occurred,
        data_affected: b.data_affected,
        how: b.how,
        remediation: b.remediation,
        people_affected: u32::try_from(b.people_affected).unwrap_or(0),
        contact: b.contact,
        subjects_notified_at: b.subjects_notified_at,
        authority_notified_at: b.authority_notified_at,
    }
}

pub async fn record_breach(
    app: &App,
    principal: &Principal,
    input: BreachInput,
    meta: &RequestMeta,
) -> Result<BreachView, AppError> {
    officer(principal)?;
    let [occurred, data_affected, how, remediation, contact] = checked_texts([
        ("occurred", &input.occurred, 300),
        ("data_affected", &input.data_affected, 2000),
        ("how", &input.how, 4000),
        ("remediation", &input.remediation, 4000),
        ("contact", &input.contact, 300),
    ])?;
    let model = breach::Model {
        institution_id: principal.institution_id.clone(),
        id: new_id(),
        discovered_at: input.discovered_at.timestamp_millis(),
        occurred,
        data_affected,
        how,
        remediation,
        people_affected: i32::try_from(input.people_affected).unwrap_or(i32::MAX),
        contact,
        subjects_notified_at: None,
        authority_notified_at: None,
        created_at: app.now_ms(),
    };
    let row = breach::ActiveModel::from(model.clone());
    insert_audited(app, principal, row, ("breach.record", "breach", &model.id), meta).await?;
    Ok(breach_view(app, model))
}

pub async fn breaches(app: &App, principal: &Principal) -> Result<Vec<BreachView>, AppError> {
    officer(principal)?;
    Ok(breach::Entity::find()
        .filter(breach::Column::InstitutionId.eq(&principal.institution_id))
        .order_by_desc(breach::Column::DiscoveredAt)
        .all(&app.db)
        .await?
        .into_iter()
        .map(|b| breach_view(app, b))
        .collect())
}

#[derive(Clone, Copy, Debug, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NoticeFor {
    Subjects,
    Authority,
}

async fn find_breach(app: &App, principal: &Principal, id: &str) -> Result<breach::Model, AppError> {
    officer(principal)?;
    breach::Entity::find_by_id((principal.institution_id.clone(), id.to_string()))
        .one(&app.db)
        .await?
        .ok_or(AppError::NotFound("breach"))
}

/// The notice for the affected people or for the authority, as Markdown (Indonesian, then English).
pub async fn breach_notice(app: &App, principal: &Principal, id: &str, to: NoticeFor) -> Result<String, AppError> {
    let b = find_breach(app, principal, id).await?;
    let inst = institution::Entity::find_by_id(principal.institution_id.clone())
        .one(&app.db)
        .await?
        .ok_or(AppError::NotFound("institution"))?;
    let facts = Facts {
        institution: &inst.name,
        discovered: DateTime::from_timestamp_millis(b.discovered_at).unwrap_or_default(),
        occurred: &b.occurred,
        data_affected: &b.data_affected,
        how: &b.how,
        remediation: &b.remediation,
        people_affected: u32::try_from(b.people_affected).unwrap_or(0),
        contact: &b.contact,
    };
    Ok(notice(
        &facts,
        match to {
            NoticeFor::Subjects => Audience::Subjects,
            NoticeFor::Authority => Audience::Authority,
        },
    ))
}

/// Records that the notice went out to the subjects or to the authority (now).
pub async fn mark_notified(
    app: &App,
    principal: &Principal,
    id: &str,
    to: NoticeFor,
    meta: &RequestMeta,
) -> Result<BreachView, AppError> {
    let b = find_breach(app, principal, id).await?;
    let mut active: breach::ActiveModel = b.clone().into();
    let now = Some(app.now_ms());
    match to {
        NoticeFor::Subjects => active.subjects_notified_at = Set(now),
        NoticeFor::Authority => active.authority_notified_at = Set(now),
    }
    let txn = sea_orm::TransactionTrait::begin(&app.db).await?;
    let updated = sea_orm::ActiveModelTrait::update(active, &txn).await?;
    audit::record(&txn, app.now_ms(), meta, Entry::by(principal, "breach.notified", "breach", Some(id))).await?;
    txn.commit().await?;
    Ok(breach_view(app, updated))
}

/// One processing activity in the record of processing activities.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Activity {
    pub name: &'static str,
    pub purpose: &'static str,
    pub lawful_basis: String,
    pub data: &'static str,
    pub data_subjects: &'static str,
    /// How long, from the institution's retention schedule.
    pub retention: String,
    pub recipients: &'static str,
}

/// The record of processing activities (Ps 31), generated.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Ropa {
    pub controller: String,
    pub activities: Vec<Activity>,
    pub processors: Vec<ProcessorView>,
    pub security: &'static str,
    pub transfers_abroad: &'static str,
}

pub async fn ropa(app: &App, principal: &Principal) -> Result<Ropa, AppError> {
    officer(principal)?;
    let inst = institution::Entity::find_by_id(principal.institution_id.clone())
        .one(&app.db)
        .await?
        .ok_or(AppError::NotFound("institution"))?;
    let r = retention::policy(app, &inst.id).await?;
    let register = crate::consent::purposes(&app.db, &inst.id).await?;
    let basis_of = |key: &str, otherwise: &str| {
        register.iter().find(|p| p.key == key).map_or(otherwise.to_string(), |p| basis_text(p.basis).to_string())
    };
    let selfies_by_consent = !hadir_domain::consent::photos_allowed(&register, None);
    let staff = "employees (ASN, PPPK, non-ASN) of the institution";
    let activities = vec![
        Activity {
            name: "Personnel data",
            purpose: "identify employees, their unit, supervisor and position",
            lawful_basis: "legal obligation / contract".into(),
            data: "name, NIP, NIK and religion (both encrypted), e-mail, phone, unit, position",
            data_subjects: staff,
            retention: format!(
                "while employed; a departed person's login {} days after deactivation",
                r.departed_account_days
            ),
            recipients: "administrators; NIK and religion only institution administrators and the person",
        },
        Activity {
            name: "Attendance (presensi)",
            purpose: "record working time, lateness and absence; allowance (TPP) deductions",
            lawful_basis: basis_of("attendance", "legal obligation / public service (UU PDP Ps 20(2))"),
            data: "name, NIP, unit, check-in times, device id, attendance status",
            data_subjects: staff,
            retention: format!("check-in records {} days", r.attendance_record_days),
            recipients: "supervisor, unit and institution administrators, HR",
        },
        Activity {
            name: "Location at check-in",
            purpose: "verify presence at the work location (geofence)",
            lawful_basis: basis_of("location_at_checkin", "legal obligation / public service"),
            data: "GPS coordinates and accuracy at the moment of check-in only",
            data_subjects: staff,
            retention: format!(
                "exact coordinates {} days, then only inside-the-fence and distance",
                r.exact_location_days
            ),
            recipients: "supervisor and administrators reviewing flagged check-ins",
        },
        Activity {
            name: "Selfies at check-in and phone registration",
            purpose: "deter check-ins by someone else; evidence for reviews (no face matching is performed)",
            lawful_basis: basis_of("checkin_photo", "public service"),
            data: "photo taken live, metadata removed",
            data_subjects: staff,
            retention: if selfies_by_consent {
                format!("{} days; deleted at the next nightly run once consent is withdrawn", r.checkin_photo_days)
            } else {
                format!("{} days", r.checkin_photo_days)
            },
            recipients: "the person, supervisor, administrators",
        },
        Activity {
            name: "Phones",
            purpose: "only approved phones check in",
            lawful_basis: basis_of("attendance", "legal obligation"),
            data: "device id, model, operating system, browser",
            data_subjects: staff,
            retention: format!("retired or refused phones {} days", r.retired_device_days),
            recipients: "unit administrators deciding",
        },
        Activity {
            name: "Leave and sickness",
            purpose: "leave entitlement and approval (PP 11/2017)",
            lawful_basis: "legal obligation".into(),
            data: "leave requests; doctor's letters (health data, encrypted)",
            data_subjects: staff,
            retention: format!(
                "doctor's letters {} days and requests {} days after the leave ended",
                r.leave_document_days, r.leave_record_days
            ),
            recipients: "supervisor, administrators deciding",
        },
        Activity {
            name: "Consent records",
            purpose: "prove consent given or withdrawn (Ps 24)",
            lawful_basis: "legal obligation".into(),
            data: "purpose, decision, notice version, time, channel, address, browser",
            data_subjects: staff,
            retention: format!("{} days after a departed person's login was deleted", r.consent_ledger_days),
            recipients: "the data protection officer; the person",
        },
        Activity {
            name: "Access log and audit trail",
            purpose: "accountability of staff access and changes (Ps 31, Ps 35)",
            lawful_basis: "legal obligation".into(),
            data: "who read or changed which person's data, when",
            data_subjects: "employees and staff",
            retention: format!("access log {} days; audit trail kept", r.access_log_days),
            recipients: "the data protection officer; the person sees their own access log",
        },
    ];
    Ok(Ropa {
        controller: inst.name,
        activities,
        processors: processors_of(app, &inst.id).await?,
        security: "Argon2id passwords; TLS; tenant isolation; NIK, religion and health documents encrypted \
                   at rest (XChaCha20-Poly1305); tamper-evident audit chain; access log",
        transfers_abroad: "none: self-hosted, no outbound calls",
    })
}

fn basis_text(basis: LawfulBasis) -> &'static str {
    match basis {
        LawfulBasis::Consent => "explicit consent",
        LawfulBasis::Contract => "contract",
        LawfulBasis::LegalObligation => "legal obligation",
        LawfulBasis::VitalInterest => "vital interest",
        LawfulBasis::PublicService => "public service",
        LawfulBasis::LegitimateInterest => "legitimate interest",
    }
}

/// A draft data protection impact assessment (Ps 34) as Markdown, generated from the record of
/// processing activities, the purposes register and the measures Hadir takes. The judgement —
/// the likelihood and severity the DPO assigns, and the sign-off — is left for the DPO to write.
pub async fn dpia(app: &App, principal: &Principal) -> Result<String, AppError> {
    let record = ropa(app, principal).await?;
    let purposes = crate::consent::purposes(&app.db, &principal.institution_id).await?;
    let mut md = format!(
        "# Draft DPIA — {controller}\n\n\
         Generated by Hadir from the record of processing activities; UU 27/2022 Ps 34. The DPO\n\
         completes the assessment (likelihood, severity, decision) and signs it.\n\n\
         ## Why an assessment is required\n\n\
         - Systematic monitoring of employees: attendance with location at check-in and selfies.\n\
         - Evaluation and scoring: lateness and absence codes, allowance (TPP) deductions.\n\
         - Specific personal data: health (doctor's letters){biometric}.\n\
         - Large scale: every employee of the institution, daily.\n\n\
         ## Processing\n\n| activity | purpose | lawful basis | data | retention | recipients |\n|---|---|---|---|---|---|\n",
        controller = record.controller,
        biometric = if purposes.iter().any(|p| p.key == "biometric_matching") {
            "; biometric matching only with explicit consent"
        } else {
            ""
        },
    );
    for a in &record.activities {
        md.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            a.name, a.purpose, a.lawful_basis, a.data, a.retention, a.recipients
        ));
    }
    md.push_str("\n## Purposes register\n\n");
    for p in &purposes {
        md.push_str(&format!("- **{}** ({}): {}\n", p.name_en, p.key, basis_text(p.basis)));
    }
    md.push_str("\n## Processors\n\n");
    if record.processors.is_empty() {
        md.push_str("- None registered.\n");
    }
    for p in &record.processors {
        md.push_str(&format!("- {} — {} ({}); contract {}\n", p.name, p.processes, p.purpose, p.contract_reference));
    }
    md.push_str(&format!(
        "\n## Measures in place\n\n- {}\n- Retention applied nightly, with legal holds.\n\
         - Access log of staff reads, visible to each person; data-subject requests with legal clocks.\n\
         - Least privilege per role; tenant isolation; no personal data in URLs or logs.\n\
         - Transfers abroad: {}.\n\n\
         ## Risks to the people concerned\n\n\
         For each: likelihood, severity, and the measure that answers it (to be completed by the DPO).\n\n\
         - Location traces beyond working needs.\n- Wrongful allowance deductions from a flagged or failed check-in.\n\
         - Disclosure of health data.\n- Pressure to consent where consent should be free.\n\n\
         ## Decision and sign-off\n\n(to be completed by the DPO)\n",
        record.security, record.transfers_abroad
    ));
    Ok(md)
}
