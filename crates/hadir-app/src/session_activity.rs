//! When each session was last used, recorded at most once a minute per session: a write on
//! every request would turn each read into a write. A morning's surge still brings thousands of
//! phones whose sessions were last used the day before, each needing that write; they go in as
//! one statement for all waiting, through the check-in writer's connection (on SQLite the one
//! writer), rather than one commit each, contending with the check-ins for the database's lock.

use crate::batch::{Batcher, Job, fixed_shape};
use crate::{App, AppError};
use hadir_db::entities::session;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use std::collections::BTreeMap;

/// A session used at a moment (Unix milliseconds).
pub(crate) struct Used {
    institution_id: String,
    session_id: String,
    at_ms: i64,
}

pub(crate) struct RecordActivity;

pub(crate) type ActivityRecorder = Batcher<RecordActivity>;

impl Job for RecordActivity {
    type Request = Used;
    type Answer = ();

    async fn run(db: &DatabaseConnection, batch: &[Used]) -> Vec<Result<(), String>> {
        // One statement per institution (a batch nearly always holds one), at the batch's latest
        // moment: the requests waiting together came within milliseconds of each other.
        let mut by_institution: BTreeMap<&str, (i64, Vec<&str>)> = BTreeMap::new();
        for used in batch {
            let (at, ids) = by_institution.entry(&used.institution_id).or_default();
            *at = (*at).max(used.at_ms);
            ids.push(&used.session_id);
        }
        let mut outcomes = BTreeMap::new();
        for (institution_id, (at, ids)) in by_institution {
            let written = session::Entity::update_many()
                .col_expr(session::Column::LastSeenAt, Expr::value(at))
                .filter(session::Column::InstitutionId.eq(institution_id))
                .filter(session::Column::Id.is_in(fixed_shape(ids.into_iter())))
                .exec(db)
                .await;
            outcomes.insert(institution_id, written.map(|_| ()).map_err(|e| e.to_string()));
        }
        batch.iter().map(|used| outcomes[used.institution_id.as_str()].clone()).collect()
    }
}

/// Records that a session was used at `at_ms`.
pub(crate) async fn record(app: &App, institution_id: &str, session_id: &str, at_ms: i64) -> Result<(), AppError> {
    let used = Used { institution_id: institution_id.into(), session_id: session_id.into(), at_ms };
    let writer = &app.event_writer;
    let recorded = app.activity.call(writer.connection(), used).await;
    // Its commits leave checkpoints to the check-in writer's count, like the check-ins' own.
    writer.wrote(&app.db, 1);
    recorded.map_err(|e| AppError::Internal(format!("recording session activity: {e}")))
}
