//! Failed-login throttling stored in the database, so every `hadir` process behind a load
//! balancer sees the same counts. The rule itself is `hadir_domain::login_throttle`.

use crate::AppError;
use chrono::{DateTime, Utc};
use hadir_db::entities::login_throttle;
use hadir_domain::login_throttle::{self as rule, ThrottlePolicy, ThrottleState};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, sea_query::OnConflict};

fn ms_to_time(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

async fn load(conn: &impl ConnectionTrait, key: &str) -> Result<Option<ThrottleState>, AppError> {
    Ok(login_throttle::Entity::find_by_id(key.to_string()).one(conn).await?.map(|row| ThrottleState {
        failures: row.failures.max(0) as u32,
        window_start: ms_to_time(row.window_start),
        locked_until: row.locked_until.map(ms_to_time),
    }))
}

/// Refuses with the minutes left when `key` is locked.
pub async fn check(conn: &impl ConnectionTrait, key: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    rule::check(load(conn, key).await?.as_ref(), now)
        .map_err(|locked| AppError::Throttled { minutes: locked.minutes() })
}

/// Counts one failure; returns whether `key` is now locked.
pub async fn fail(
    conn: &impl ConnectionTrait,
    key: &str,
    policy: ThrottlePolicy,
    now: DateTime<Utc>,
) -> Result<Option<i64>, AppError> {
    let next = rule::after_failure(load(conn, key).await?, policy, now);
    login_throttle::Entity::insert(login_throttle::ActiveModel {
        key: Set(key.to_string()),
        failures: Set(next.failures as i32),
        window_start: Set(next.window_start.timestamp_millis()),
        locked_until: Set(next.locked_until.map(|t| t.timestamp_millis())),
    })
    .on_conflict(
        OnConflict::column(login_throttle::Column::Key)
            .update_columns([
                login_throttle::Column::Failures,
                login_throttle::Column::WindowStart,
                login_throttle::Column::LockedUntil,
            ])
            .to_owned(),
    )
    .exec_without_returning(conn)
    .await?;
    Ok(rule::check(Some(&next), now).err().map(|locked| locked.minutes()))
}

pub async fn clear(conn: &impl ConnectionTrait, key: &str) -> Result<(), AppError> {
    login_throttle::Entity::delete_by_id(key.to_string()).exec(conn).await?;
    Ok(())
}
