//! The retention schedule for what is kept about people beyond their check-ins: leave documents
//! (doctor's letters) and leave requests after the leave ended, phones after they were retired or
//! refused, a departed person's login after their deactivation and their consent ledger after
//! that. People under a legal hold keep everything.

use super::Report;
use crate::{App, AppError};
use chrono::{DateTime, Utc};
use hadir_db::entities::{account, consent_entry, device, leave_request as leave, person, role_grant, session};
use hadir_domain::retention::{Class, RetentionPolicy};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, EntityTrait, ExprTrait, PaginatorTrait, QueryFilter};

/// Applies (or counts) the personnel classes for one institution into `report`.
pub(super) async fn apply(
    app: &App,
    institution_id: &str,
    policy: &RetentionPolicy,
    now: DateTime<Utc>,
    held: &[String],
    dry_run: bool,
    report: &mut Report,
) -> Result<(), AppError> {
    let inst = institution_id;
    let store = |e| AppError::Internal(format!("object store: {e}"));
    // A leave is dated by its last day (ISO text sorts as dates do).
    let ended_before = |class| policy.cutoff(class, now).date_naive().to_string();
    let is_held = |person_id: &str| held.iter().any(|h| h == person_id);

    // Doctor's letters: health data, kept no longer than the schedule after the leave ended.
    let letters = leave::Entity::find()
        .filter(leave::Column::InstitutionId.eq(inst))
        .filter(leave::Column::DocumentKey.is_not_null())
        .filter(leave::Column::EndDate.lt(ended_before(Class::LeaveDocument)))
        .all(&app.db)
        .await?;
    for l in letters {
        if is_held(&l.person_id) {
            report.held += 1;
            continue;
        }
        report.leave_documents += 1;
        if dry_run {
            continue;
        }
        if let Some(key) = &l.document_key {
            app.objects.delete(key).await.map_err(store)?;
        }
        leave::Entity::update_many()
            .col_expr(leave::Column::DocumentKey, Expr::value(Option::<String>::None))
            .filter(leave::Column::InstitutionId.eq(inst))
            .filter(leave::Column::Id.eq(&l.id))
            .exec(&app.db)
            .await?;
    }

    // Leave requests themselves, once their period has passed since the leave ended.
    let old_leave = Condition::all()
        .add(leave::Column::InstitutionId.eq(inst))
        .add(leave::Column::EndDate.lt(ended_before(Class::LeaveRecord)));
    let unheld = leave::Column::PersonId.is_not_in(held.iter().cloned());
    let due: Vec<leave::Model> = leave::Entity::find().filter(old_leave.clone()).all(&app.db).await?;
    let (kept, gone): (Vec<_>, Vec<_>) = due.into_iter().partition(|l| is_held(&l.person_id));
    report.held += kept.len() as u64;
    report.leave_records += gone.len() as u64;
    if !dry_run && !gone.is_empty() {
        for key in gone.iter().filter_map(|l| l.document_key.as_deref()) {
            app.objects.delete(key).await.map_err(store)?;
        }
        leave::Entity::delete_many().filter(old_leave).filter(unheld).exec(&app.db).await?;
    }

    // Phones retired or refused long enough ago, with their registration selfies.
    let cutoff = policy.cutoff(Class::RetiredDevice, now).timestamp_millis();
    let phones: Vec<device::Model> = device::Entity::find()
        .filter(device::Column::InstitutionId.eq(inst))
        .filter(
            Condition::any()
                .add(device::Column::Status.eq("retired").and(device::Column::RetiredAt.lt(cutoff)))
                .add(device::Column::Status.eq("rejected").and(device::Column::DecidedAt.lt(cutoff))),
        )
        .all(&app.db)
        .await?;
    for d in phones {
        if is_held(&d.person_id) {
            report.held += 1;
            continue;
        }
        report.devices += 1;
        if dry_run {
            continue;
        }
        drop_selfie(app, inst, &d).await?;
        device::Entity::delete_by_id((inst.to_string(), d.id)).exec(&app.db).await?;
    }

    // Logins of people deactivated long enough ago.
    let departed = departed_before(app, inst, policy.cutoff(Class::DepartedAccount, now)).await?;
    let logins = account::Entity::find()
        .filter(account::Column::InstitutionId.eq(inst))
        .filter(account::Column::PersonId.is_in(departed))
        .all(&app.db)
        .await?;
    for acc in logins {
        if is_held(&acc.person_id) {
            report.held += 1;
            continue;
        }
        report.accounts += 1;
        if dry_run {
            continue;
        }
        session::Entity::delete_many()
            .filter(session::Column::InstitutionId.eq(inst))
            .filter(session::Column::AccountId.eq(&acc.id))
            .exec(&app.db)
            .await?;
        role_grant::Entity::delete_many()
            .filter(role_grant::Column::InstitutionId.eq(inst))
            .filter(role_grant::Column::AccountId.eq(&acc.id))
            .exec(&app.db)
            .await?;
        account::Entity::delete_by_id((inst.to_string(), acc.id)).exec(&app.db).await?;
    }

    // The consent ledger of people who left long enough ago.
    let long_gone = departed_before(app, inst, policy.cutoff(Class::ConsentLedger, now)).await?;
    let (kept, gone): (Vec<String>, Vec<String>) = long_gone.into_iter().partition(|p| is_held(p));
    let ledger = |people: Vec<String>| {
        consent_entry::Entity::find()
            .filter(consent_entry::Column::InstitutionId.eq(inst))
            .filter(consent_entry::Column::PersonId.is_in(people))
    };
    report.held += ledger(kept).count(&app.db).await?;
    report.consent_entries = ledger(gone.clone()).count(&app.db).await?;
    if !dry_run && report.consent_entries > 0 {
        consent_entry::Entity::delete_many()
            .filter(consent_entry::Column::InstitutionId.eq(inst))
            .filter(consent_entry::Column::PersonId.is_in(gone))
            .exec(&app.db)
            .await?;
    }
    Ok(())
}

/// The people deactivated before `cutoff` (their record's last change is the deactivation).
async fn departed_before(app: &App, inst: &str, cutoff: DateTime<Utc>) -> Result<Vec<String>, AppError> {
    Ok(person::Entity::find()
        .filter(person::Column::InstitutionId.eq(inst))
        .filter(person::Column::Status.eq("inactive"))
        .filter(person::Column::UpdatedAt.lt(cutoff.timestamp_millis()))
        .all(&app.db)
        .await?
        .into_iter()
        .map(|p| p.id)
        .collect())
}

/// Registration selfies of people who withdrew their consent to selfies, except of a phone still
/// awaiting its decision (the evidence it is judged on). The phone stays registered.
pub(super) async fn withdrawn_device_selfies(
    app: &App,
    inst: &str,
    withdrawn: &[String],
    held: &[String],
    dry_run: bool,
    report: &mut Report,
) -> Result<(), AppError> {
    let phones = device::Entity::find()
        .filter(device::Column::InstitutionId.eq(inst))
        .filter(device::Column::PersonId.is_in(withdrawn.iter().cloned()))
        .filter(device::Column::Status.ne("pending"))
        .filter(device::Column::PhotoKey.ne(""))
        .all(&app.db)
        .await?;
    for d in phones {
        if held.contains(&d.person_id) {
            report.held += 1;
            continue;
        }
        report.photos += 1;
        if dry_run {
            continue;
        }
        drop_selfie(app, inst, &d).await?;
        device::Entity::update_many()
            .col_expr(device::Column::PhotoKey, Expr::value(""))
            .filter(device::Column::InstitutionId.eq(inst))
            .filter(device::Column::Id.eq(&d.id))
            .exec(&app.db)
            .await?;
    }
    Ok(())
}

/// Deletes a phone's registration selfie from the object store, unless another phone of the
/// institution carries the same bytes.
async fn drop_selfie(app: &App, inst: &str, d: &device::Model) -> Result<(), AppError> {
    if d.photo_key.is_empty() {
        return Ok(());
    }
    let shared = device::Entity::find()
        .filter(device::Column::InstitutionId.eq(inst))
        .filter(device::Column::PhotoKey.eq(&d.photo_key))
        .filter(device::Column::Id.ne(&d.id))
        .one(&app.db)
        .await?
        .is_some();
    if !shared {
        app.objects.delete(&d.photo_key).await.map_err(|e| AppError::Internal(format!("object store: {e}")))?;
    }
    Ok(())
}
