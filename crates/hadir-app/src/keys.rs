//! Re-sealing what is stored under the current key: NIKs still in plain text (written before
//! encryption at rest) or sealed with an older key, religions, rectification proposals, and the
//! supporting documents of leave requests. Run at every start and by `hadir keys rotate` after a new key was added. Documents
//! live in the object store, so reading them all at every start would be heavy: each
//! institution records which key its documents were last re-sealed with, and they are read
//! again only when the current key differs.

use crate::{App, AppError};
use hadir_db::entities::{institution, institution_setting, leave_request, person, subject_request};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use std::str::FromStr;

/// The setting that records the key an institution's documents were last re-sealed with.
const DOCUMENTS_SEALED_WITH: &str = "documents_sealed_with";

/// How many values were re-sealed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Resealed {
    pub niks: usize,
    /// Other sealed values in rows: religions, rectification proposals.
    pub values: usize,
    pub documents: usize,
}

pub async fn reseal(app: &App) -> Result<Resealed, AppError> {
    let keys = &app.keys;
    let sealing = |e| AppError::Internal(format!("sealing: {e}"));
    let mut done = Resealed::default();
    // Only the rows not yet sealed with the current key are read.
    let people = person::Entity::find()
        .filter(person::Column::Nik.is_not_null())
        .filter(person::Column::Nik.not_like(format!("enc:v1:{}:%", keys.current_id())))
        .all(&app.db)
        .await?;
    for p in people.into_iter().filter(|p| p.nik.as_deref().is_some_and(|n| !keys.is_current_text(n))) {
        let Some(stored) = p.nik.as_deref() else { continue };
        let plain = keys.open_text(stored).map_err(sealing)?;
        person::Entity::update_many()
            .col_expr(person::Column::Nik, sea_orm::sea_query::Expr::value(keys.seal_text(&plain).map_err(sealing)?))
            .col_expr(person::Column::NikIndex, sea_orm::sea_query::Expr::value(keys.blind_index("nik", &plain)))
            .filter(person::Column::InstitutionId.eq(&p.institution_id))
            .filter(person::Column::Id.eq(&p.id))
            // Only if nobody changed it meanwhile.
            .filter(person::Column::Nik.eq(stored))
            .exec(&app.db)
            .await?;
        done.niks += 1;
    }
    done.values += reseal_column::<person::Entity>(app, person::Column::Religion).await?;
    done.values += reseal_column::<subject_request::Entity>(app, subject_request::Column::Proposed).await?;
    let current = serde_json::to_string(keys.current_id()).map_err(|e| AppError::Internal(e.to_string()))?;
    for inst in institution::Entity::find().all(&app.db).await? {
        let marker = institution_setting::Entity::find_by_id((inst.id.clone(), DOCUMENTS_SEALED_WITH.to_string()))
            .one(&app.db)
            .await?;
        if marker.is_some_and(|m| m.value == current) {
            continue;
        }
        let letters = leave_request::Entity::find()
            .filter(leave_request::Column::InstitutionId.eq(&inst.id))
            .filter(leave_request::Column::DocumentKey.is_not_null())
            .all(&app.db)
            .await?;
        for key in letters.into_iter().filter_map(|l| l.document_key) {
            let store = |e| AppError::Internal(format!("object store: {e}"));
            let stored = app.objects.get(&key).await.map_err(store)?;
            if keys.is_current_bytes(&stored) {
                continue;
            }
            let plain = keys.open_bytes(&stored).map_err(sealing)?;
            app.objects.put(&key, keys.seal_bytes(&plain).map_err(sealing)?).await.map_err(store)?;
            done.documents += 1;
        }
        institution_setting::Entity::insert(institution_setting::ActiveModel {
            institution_id: Set(inst.id.clone()),
            key: Set(DOCUMENTS_SEALED_WITH.into()),
            value: Set(current.clone()),
            updated_at: Set(app.now_ms()),
            updated_by: Set(None),
        })
        .on_conflict(
            OnConflict::columns([institution_setting::Column::InstitutionId, institution_setting::Column::Key])
                .update_columns([institution_setting::Column::Value, institution_setting::Column::UpdatedAt])
                .to_owned(),
        )
        .exec_without_returning(&app.db)
        .await?;
    }
    Ok(done)
}

/// Re-seals one sealed text column of a table keyed by `(institution_id, id)`: the rows not yet
/// under the current key, each only if nobody changed it meanwhile.
async fn reseal_column<E>(app: &App, column: E::Column) -> Result<usize, AppError>
where
    E: EntityTrait,
    E::Model: sea_orm::FromQueryResult,
{
    use sea_orm::QuerySelect;
    use sea_orm::sea_query::Expr;
    let keys = &app.keys;
    let sealing = |e| AppError::Internal(format!("sealing: {e}"));
    let institution =
        E::Column::from_str("institution_id").map_err(|_| AppError::Internal("no institution_id".into()))?;
    let id = E::Column::from_str("id").map_err(|_| AppError::Internal("no id".into()))?;
    let rows: Vec<(String, String, String)> = E::find()
        .select_only()
        .columns([institution, id, column])
        .filter(column.is_not_null())
        .filter(column.not_like(format!("enc:v1:{}:%", keys.current_id())))
        .into_tuple()
        .all(&app.db)
        .await?;
    let mut done = 0;
    for (inst, row_id, stored) in rows.into_iter().filter(|(_, _, v)| !keys.is_current_text(v)) {
        let plain = keys.open_text(&stored).map_err(sealing)?;
        E::update_many()
            .col_expr(column, Expr::value(keys.seal_text(&plain).map_err(sealing)?))
            .filter(institution.eq(inst))
            .filter(id.eq(row_id))
            .filter(column.eq(stored))
            .exec(&app.db)
            .await?;
        done += 1;
    }
    Ok(done)
}
