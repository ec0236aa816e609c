//! Monthly totals kept for months that are over, so that an institution's recap reads one row per
//! person instead of every event of the month.
//!
//! Correctness rests on generations, not on deleting rows: the recap reads the month's generation
//! *before* it reads anything the totals depend on, and stores what it computed under that
//! generation; every change that can alter a settled month bumps the generation after (or with)
//! its own commit. A result computed from older inputs is therefore never served, whichever
//! process computed it, and nothing depends on the order in which concurrent writers finish.

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use hadir_db::entities::{recap_generation as generation, recap_month_total as total};
use hadir_domain::attendance::{BasisPoints, MonthTotals};
use sea_orm::sea_query::{Condition, Expr, ExprTrait, JoinType, OnConflict, SelectStatement};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IdenStatic, QueryFilter, QueryResult,
};

/// Rows per insert when storing: below both backends' limit on bound parameters.
const STORE_CHUNK: usize = 1_000;

/// The `YYYY-MM` a date falls in.
pub(crate) fn month_of(date: NaiveDate) -> String {
    date.format("%Y-%m").to_string()
}

/// Whether a month is over everywhere in Indonesia with a day to spare, so its days no longer
/// depend on what "today" is: only then are its totals worth keeping. A check-in synced offline
/// within a day, a late review or a late leave decision still reaches it through a bump.
pub(crate) fn settled(month_first_day: NaiveDate, now: DateTime<Utc>) -> bool {
    month_first_day
        .checked_add_months(Months::new(1))
        .and_then(|next| next.succ_opt())
        .is_some_and(|cutoff| now.date_naive() > cutoff)
}

/// The months whose result an event dated `local_date` can change: its own, and the previous
/// day's (a morning check-out can close last night's shift).
pub(crate) fn months_touched_by_event(local_date: NaiveDate) -> Vec<String> {
    let mut months = vec![month_of(local_date)];
    if let Some(before) = local_date.pred_opt().map(month_of).filter(|m| m != &months[0]) {
        months.push(before);
    }
    months
}

/// Of the months an event changes, those already settled: their stored totals must stop
/// counting when it is written (an offline sync or late review after a month ended).
pub(crate) fn settled_months_touched_by_event(local_date: NaiveDate, now: DateTime<Utc>) -> Vec<String> {
    [Some(local_date), local_date.pred_opt()]
        .into_iter()
        .flatten()
        .filter(|d| d.with_day(1).is_some_and(|first| settled(first, now)))
        .map(month_of)
        .fold(Vec::new(), |mut months, m| {
            if !months.contains(&m) {
                months.push(m);
            }
            months
        })
}

/// The months a date range touches.
pub(crate) fn months_between(first: NaiveDate, last: NaiveDate) -> Vec<String> {
    let mut months = Vec::new();
    if first > last {
        return months;
    }
    let mut day = first.with_day(1).unwrap_or(first);
    while day <= last {
        months.push(month_of(day));
        match day.checked_add_months(Months::new(1)) {
            Some(next) => day = next,
            None => break,
        }
    }
    months
}

/// Makes cached totals of these months (all months when `None`) stop counting.
pub(crate) async fn bump(
    conn: &impl ConnectionTrait,
    institution_id: &str,
    months: Option<&[String]>,
) -> Result<(), DbErr> {
    let mut update = generation::Entity::update_many()
        .col_expr(generation::Column::Generation, Expr::col(generation::Column::Generation).add(1))
        .filter(generation::Column::InstitutionId.eq(institution_id));
    if let Some(months) = months {
        update = update.filter(generation::Column::Month.is_in(months.iter().cloned()));
    }
    update.exec(conn).await?;
    Ok(())
}

/// The month's current generation (created at 0 the first time).
pub(crate) async fn current(conn: &impl ConnectionTrait, institution_id: &str, month: &str) -> Result<i64, DbErr> {
    generation::Entity::insert(generation::ActiveModel {
        institution_id: Set(institution_id.into()),
        month: Set(month.into()),
        generation: Set(0),
    })
    .on_conflict(
        OnConflict::columns([generation::Column::InstitutionId, generation::Column::Month]).do_nothing().to_owned(),
    )
    .exec_without_returning(conn)
    .await?;
    Ok(generation::Entity::find_by_id((institution_id.to_string(), month.to_string()))
        .one(conn)
        .await?
        .map_or(0, |g| g.generation))
}

const COUNTS: [total::Column; 13] = [
    total::Column::PresentDays,
    total::Column::Late1,
    total::Column::Late2,
    total::Column::Late3,
    total::Column::Late4,
    total::Column::Early1,
    total::Column::Early2,
    total::Column::Early3,
    total::Column::Early4,
    total::Column::AbsentDays,
    total::Column::LeaveDays,
    total::Column::DeductionUncapped,
    total::Column::Deduction,
];

/// Adds each person's totals stored for this month under this generation (NULL where there are
/// none) to a query of `people`: one read instead of two of 100,000 rows each.
pub(crate) fn join_stored(query: &mut SelectStatement, month: &str, generation: i64) {
    use hadir_db::entities::person;
    query.columns(COUNTS.map(|c| (total::Entity, c))).join(
        JoinType::LeftJoin,
        total::Entity,
        Condition::all()
            .add(
                Expr::col((total::Entity, total::Column::InstitutionId))
                    .equals((person::Entity, person::Column::InstitutionId)),
            )
            .add(Expr::col((total::Entity, total::Column::PersonId)).equals((person::Entity, person::Column::Id)))
            .add(Expr::col((total::Entity, total::Column::Month)).eq(month))
            .add(Expr::col((total::Entity, total::Column::Generation)).eq(generation)),
    );
}

/// The totals [`join_stored`] found for a row, if any.
pub(crate) fn stored(row: &QueryResult) -> Result<Option<MonthTotals>, DbErr> {
    let mut values = [0u32; 13];
    for (value, column) in values.iter_mut().zip(COUNTS) {
        match row.try_get::<Option<i32>>("", column.as_str())? {
            Some(v) => *value = u32::try_from(v).unwrap_or(0),
            None => return Ok(None),
        }
    }
    let [present, l1, l2, l3, l4, e1, e2, e3, e4, absent, leave, uncapped, deduction] = values;
    Ok(Some(MonthTotals {
        present_days: present,
        late: [l1, l2, l3, l4],
        early: [e1, e2, e3, e4],
        absent_days: absent,
        leave_days: leave,
        deduction_uncapped: BasisPoints(uncapped),
        deduction: BasisPoints(deduction),
    }))
}

pub(crate) async fn store(
    conn: &impl ConnectionTrait,
    institution_id: &str,
    month: &str,
    generation: i64,
    computed: &[(&str, &MonthTotals)],
) -> Result<(), DbErr> {
    use total::Column as C;
    let replace = OnConflict::columns([C::InstitutionId, C::Month, C::PersonId])
        .update_columns([
            C::Generation,
            C::PresentDays,
            C::Late1,
            C::Late2,
            C::Late3,
            C::Late4,
            C::Early1,
            C::Early2,
            C::Early3,
            C::Early4,
            C::AbsentDays,
            C::LeaveDays,
            C::DeductionUncapped,
            C::Deduction,
        ])
        .to_owned();
    for chunk in computed.chunks(STORE_CHUNK) {
        let rows = chunk.iter().map(|(person_id, t)| row_of(institution_id, month, person_id, generation, t));
        total::Entity::insert_many(rows).on_conflict(replace.clone()).exec_without_returning(conn).await?;
    }
    Ok(())
}

fn count(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

fn row_of(institution_id: &str, month: &str, person_id: &str, generation: i64, t: &MonthTotals) -> total::ActiveModel {
    total::ActiveModel {
        institution_id: Set(institution_id.into()),
        month: Set(month.into()),
        person_id: Set(person_id.into()),
        generation: Set(generation),
        present_days: Set(count(t.present_days)),
        late1: Set(count(t.late[0])),
        late2: Set(count(t.late[1])),
        late3: Set(count(t.late[2])),
        late4: Set(count(t.late[3])),
        early1: Set(count(t.early[0])),
        early2: Set(count(t.early[1])),
        early3: Set(count(t.early[2])),
        early4: Set(count(t.early[3])),
        absent_days: Set(count(t.absent_days)),
        leave_days: Set(count(t.leave_days)),
        deduction_uncapped: Set(count(t.deduction_uncapped.0)),
        deduction: Set(count(t.deduction.0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    #[test]
    fn a_month_settles_a_full_day_after_it_ends() {
        let march = date("2026-03-01");
        assert!(!settled(march, at("2026-03-31T23:59:59Z")));
        assert!(!settled(march, at("2026-04-01T12:00:00Z")), "the next day: an offline check-in may still sync");
        assert!(!settled(march, at("2026-04-02T23:59:59Z")));
        assert!(settled(march, at("2026-04-03T00:00:00Z")));
        assert!(settled(date("2025-12-01"), at("2026-01-03T00:00:00Z")), "across the year");
    }

    #[test]
    fn an_event_touches_its_month_and_the_night_before() {
        assert_eq!(months_touched_by_event(date("2026-04-01")), ["2026-04", "2026-03"]);
        assert_eq!(months_touched_by_event(date("2026-04-02")), ["2026-04"]);
    }

    #[test]
    fn only_settled_months_are_reported_for_an_event() {
        // 1 April's morning check-out may close 31 March's night shift.
        assert_eq!(
            settled_months_touched_by_event(date("2026-04-01"), at("2026-04-02T12:00:00Z")),
            Vec::<String>::new()
        );
        assert_eq!(settled_months_touched_by_event(date("2026-04-01"), at("2026-04-05T00:00:00Z")), ["2026-03"]);
        assert_eq!(
            settled_months_touched_by_event(date("2026-04-01"), at("2026-05-05T00:00:00Z")),
            ["2026-04", "2026-03"]
        );
    }

    #[test]
    fn a_range_touches_every_month_it_crosses() {
        assert_eq!(months_between(date("2026-01-30"), date("2026-03-01")), ["2026-01", "2026-02", "2026-03"]);
        assert_eq!(months_between(date("2026-02-10"), date("2026-02-12")), ["2026-02"]);
        assert!(months_between(date("2026-02-12"), date("2026-02-10")).is_empty());
    }
}
