//! The access log: staff reading another person's personal data leave a trace the person can
//! see (who, what, for which purpose, when). A read that cannot be logged is not served.

use crate::{App, AppError, Principal, new_id};
use hadir_db::entities::{access_entry, person};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;

/// What was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Data {
    /// The profile (name, contacts, unit, position).
    Profile,
    /// The full NIK.
    Nik,
    /// Check-ins with their coordinates.
    Checkins,
    /// A check-in selfie.
    Photo,
    /// A phone's registration selfie.
    DeviceSelfie,
    /// The month day by day.
    Month,
    /// The leave balance.
    LeaveBalance,
    /// A leave request's document (a doctor's letter).
    LeaveDocument,
}

impl Data {
    fn as_str(self) -> &'static str {
        match self {
            Data::Profile => "profile",
            Data::Nik => "nik",
            Data::Checkins => "checkins",
            Data::Photo => "photo",
            Data::DeviceSelfie => "device_selfie",
            Data::Month => "month",
            Data::LeaveBalance => "leave_balance",
            Data::LeaveDocument => "leave_document",
        }
    }

    fn parse(s: &str) -> Option<Data> {
        [
            Data::Profile,
            Data::Nik,
            Data::Checkins,
            Data::Photo,
            Data::DeviceSelfie,
            Data::Month,
            Data::LeaveBalance,
            Data::LeaveDocument,
        ]
        .into_iter()
        .find(|d| d.as_str() == s)
    }
}

/// Records that `principal` read `data` of `subject`; a person reading their own data is not
/// logged. The purpose follows from the relation: the supervisor supervises, others administer.
pub(crate) async fn record(
    app: &App,
    principal: &Principal,
    subject: &person::Model,
    data: &[Data],
) -> Result<(), AppError> {
    if subject.id == principal.person_id {
        return Ok(());
    }
    let purpose = if principal.supervises(subject) { "supervision" } else { "administration" };
    let at = app.now_ms();
    let rows = data.iter().map(|d| access_entry::ActiveModel {
        institution_id: Set(principal.institution_id.clone()),
        id: Set(new_id()),
        at: Set(at),
        actor_account_id: Set(principal.account_id.clone()),
        actor_person_id: Set(principal.person_id.clone()),
        subject_person_id: Set(subject.id.clone()),
        data: Set(d.as_str().into()),
        purpose: Set(purpose.into()),
    });
    access_entry::Entity::insert_many(rows).exec_without_returning(&app.db).await?;
    Ok(())
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AccessView {
    /// Unix milliseconds.
    pub at: i64,
    pub actor_person_id: String,
    pub actor_name: Option<String>,
    pub data: Data,
    /// `supervision` or `administration`.
    pub purpose: String,
}

/// Who read the principal's own data, newest first.
pub async fn about_me(app: &App, principal: &Principal, limit: u64) -> Result<Vec<AccessView>, AppError> {
    let entries = access_entry::Entity::find()
        .filter(access_entry::Column::InstitutionId.eq(&principal.institution_id))
        .filter(access_entry::Column::SubjectPersonId.eq(&principal.person_id))
        .order_by_desc(access_entry::Column::At)
        .order_by_desc(access_entry::Column::Id)
        .limit(limit.clamp(1, 500))
        .all(&app.db)
        .await?;
    let actors =
        crate::people::by_ids(app, &principal.institution_id, entries.iter().map(|e| e.actor_person_id.clone()))
            .await?;
    Ok(entries
        .into_iter()
        .filter_map(|e| {
            Some(AccessView {
                at: e.at,
                actor_name: actors.get(&e.actor_person_id).map(|p| p.full_name.clone()),
                actor_person_id: e.actor_person_id,
                data: Data::parse(&e.data)?,
                purpose: e.purpose,
            })
        })
        .collect())
}
