//! Re-sealing what is stored under the current key: NIKs still in plain text (written before
//! encryption at rest) or sealed with an older key, and the supporting documents of leave
//! requests. Run at every start (it finds nothing to do once done) and by `hadir keys rotate`
//! after a new key was added.

use crate::{App, AppError};
use hadir_db::entities::{leave_request, person};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

/// How many values were re-sealed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Resealed {
    pub niks: usize,
    pub documents: usize,
}

pub async fn reseal(app: &App) -> Result<Resealed, AppError> {
    let keys = &app.keys;
    let sealing = |e| AppError::Internal(format!("sealing: {e}"));
    let mut done = Resealed::default();
    let people = person::Entity::find().filter(person::Column::Nik.is_not_null()).all(&app.db).await?;
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
    let letters =
        leave_request::Entity::find().filter(leave_request::Column::DocumentKey.is_not_null()).all(&app.db).await?;
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
    Ok(done)
}
