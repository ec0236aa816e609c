//! Each person's counted days of a month, kept so that a recap of 100,000 people reads one short
//! row per person instead of every check-in of the month — for a month that is over and for the
//! month in progress alike: the recap counts only the days after what is kept (see
//! [`settled_through`]) and keeps what it counted.
//!
//! Two counters keep a stored row honest, whichever process computed it and in whatever order
//! concurrent writers finish:
//!
//! - the month's **generation**, per institution, bumped by anything that can change everyone's
//!   month (a schedule, a holiday, the discipline table): a row counts only under the generation
//!   the recap read *before* it read anything else;
//! - each row's **version**, bumped with `stale_from` by anything that changes one person's days
//!   (a late check-in, a review, a leave decision): the recap writes a row back only if its
//!   version is still the one it read, so a result computed from older inputs never lands, and
//!   only the days before `stale_from` are trusted.

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use hadir_db::entities::{recap_generation as generation, recap_person_month as kept};
use hadir_domain::attendance::{DayCount, decode_days};
use hadir_domain::time_zone::WorkZone;
use sea_orm::sea_query::{Alias, Condition, Expr, ExprTrait, JoinType, OnConflict, SelectStatement};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryResult};

/// Rows per insert when storing: below both backends' limit on bound parameters.
const STORE_CHUNK: usize = 1_000;

/// The `YYYY-MM` a date falls in.
pub(crate) fn month_of(date: NaiveDate) -> String {
    date.format("%Y-%m").to_string()
}

/// The last day whose counts are kept: the day before yesterday in Jakarta. A day is final by
/// then everywhere in Indonesia (WIB is its westernmost time) for a check-in made live; what
/// arrives later (an offline sync, a review, a leave decision) marks it stale.
pub(crate) fn settled_through(now: DateTime<Utc>) -> NaiveDate {
    let today = WorkZone::Jakarta.local(now).date();
    today.checked_sub_days(chrono::Days::new(2)).unwrap_or(today)
}

/// The kept days a change over `first..=last` reaches, if any (nothing after
/// [`settled_through`] is kept).
pub(crate) fn kept_days_within(
    first: NaiveDate,
    last: NaiveDate,
    now: DateTime<Utc>,
) -> Option<(NaiveDate, NaiveDate)> {
    let through = settled_through(now);
    (first <= through).then(|| (first, Ord::min(last, through)))
}

/// The kept days an event dated `local_date` can change, if any: its own day, and the day before
/// (a morning check-out can close last night's shift). Live check-ins change none.
pub(crate) fn kept_days_of_event(local_date: NaiveDate, now: DateTime<Utc>) -> Option<(NaiveDate, NaiveDate)> {
    kept_days_within(local_date.pred_opt()?, local_date, now)
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

/// Makes every kept month of the institution (or these months) stop counting: a change to what
/// everyone's days are judged by.
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

/// Marks one person's kept days from `first` to `last` stale ([`kept_days_within`] says which
/// need it).
pub(crate) async fn stale(
    conn: &impl ConnectionTrait,
    institution_id: &str,
    person_id: &str,
    (first, last): (NaiveDate, NaiveDate),
) -> Result<(), DbErr> {
    for month in months_between(first, last) {
        let month_first = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").unwrap_or(first);
        let from = Ord::max(first, month_first).to_string();
        let earliest = "CASE WHEN recap_person_months.stale_from IS NULL \
                        OR recap_person_months.stale_from > excluded.stale_from \
                        THEN excluded.stale_from ELSE recap_person_months.stale_from END";
        let on_conflict =
            OnConflict::columns([kept::Column::InstitutionId, kept::Column::Month, kept::Column::PersonId])
                .value(kept::Column::Version, Expr::col((kept::Entity, kept::Column::Version)).add(1))
                .value(kept::Column::StaleFrom, Expr::cust(earliest))
                .to_owned();
        kept::Entity::insert(kept::ActiveModel {
            institution_id: Set(institution_id.into()),
            month: Set(month),
            person_id: Set(person_id.into()),
            generation: Set(-1),
            version: Set(1),
            days: Set(String::new()),
            stale_from: Set(Some(from)),
        })
        .on_conflict(on_conflict)
        .exec_without_returning(conn)
        .await?;
    }
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

/// What is kept of one person's month, as read with the people.
#[derive(Clone, Debug, Default)]
pub(crate) struct Kept {
    /// The row's version (0 when there is no row): the one to write back under.
    pub version: i64,
    /// The days that still count under `generation`, from the 1st.
    pub days: Vec<DayCount>,
}

/// Adds each person's kept row for `month` to a query of `people`.
pub(crate) fn join(query: &mut SelectStatement, month: &str) {
    use hadir_db::entities::person;
    query
        .columns(
            [kept::Column::Generation, kept::Column::Version, kept::Column::Days, kept::Column::StaleFrom]
                .map(|c| (kept::Entity, c)),
        )
        .join(
            JoinType::LeftJoin,
            kept::Entity,
            Condition::all()
                .add(
                    Expr::col((kept::Entity, kept::Column::InstitutionId))
                        .equals((person::Entity, person::Column::InstitutionId)),
                )
                .add(Expr::col((kept::Entity, kept::Column::PersonId)).equals((person::Entity, person::Column::Id)))
                .add(Expr::col((kept::Entity, kept::Column::Month)).eq(month)),
        );
}

/// The kept days [`join`] found for a row that still count under `generation`: those before
/// `stale_from`, at most `through`'s.
pub(crate) fn read(row: &QueryResult, generation: i64, first_day: NaiveDate, through: usize) -> Result<Kept, DbErr> {
    let name = |c: kept::Column| sea_orm::IdenStatic::as_str(&c).to_string();
    let Some(version) = row.try_get::<Option<i64>>("", &name(kept::Column::Version))? else {
        return Ok(Kept::default());
    };
    let stored_generation: i64 = row.try_get("", &name(kept::Column::Generation))?;
    if stored_generation != generation {
        return Ok(Kept { version, days: Vec::new() });
    }
    let text: String = row.try_get("", &name(kept::Column::Days))?;
    let stale_from: Option<String> = row.try_get("", &name(kept::Column::StaleFrom))?;
    let mut days = decode_days(&text).unwrap_or_default();
    let valid = stale_from
        .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
        .map_or(usize::MAX, |d| usize::try_from((d - first_day).num_days()).unwrap_or(0));
    days.truncate(valid.min(through));
    Ok(Kept { version, days })
}

/// Writes people's counted days back — each only if its version is still the one read.
pub(crate) async fn store(
    conn: &impl ConnectionTrait,
    institution_id: &str,
    month: &str,
    generation: i64,
    rows: &[(&str, i64, String)],
) -> Result<(), DbErr> {
    use kept::Column as C;
    let unchanged = Expr::col((kept::Entity, C::Version)).equals((Alias::new("excluded"), C::Version));
    let replace = OnConflict::columns([C::InstitutionId, C::Month, C::PersonId])
        .update_columns([C::Generation, C::Days, C::StaleFrom])
        .action_and_where(unchanged)
        .to_owned();
    for chunk in rows.chunks(STORE_CHUNK) {
        let models = chunk.iter().map(|(person_id, version, days)| kept::ActiveModel {
            institution_id: Set(institution_id.into()),
            month: Set(month.into()),
            person_id: Set((*person_id).into()),
            generation: Set(generation),
            version: Set(*version),
            days: Set(days.clone()),
            stale_from: Set(None),
        });
        kept::Entity::insert_many(models).on_conflict(replace.clone()).exec_without_returning(conn).await?;
    }
    Ok(())
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
    fn days_are_kept_through_the_day_before_yesterday_in_jakarta() {
        // 10 April 16:59 UTC is still the 10th in Jakarta; 17:00 is the 11th.
        assert_eq!(settled_through(at("2026-04-10T16:59:59Z")), date("2026-04-08"));
        assert_eq!(settled_through(at("2026-04-10T17:00:00Z")), date("2026-04-09"));
    }

    #[test]
    fn only_late_events_and_changes_to_past_days_mark_kept_days_stale() {
        let now = at("2026-04-10T03:00:00Z"); // 10 April, 10:00 WIB: kept through the 8th
        assert_eq!(kept_days_of_event(date("2026-04-10"), now), None, "live");
        assert_eq!(kept_days_of_event(date("2026-04-09"), now), Some((date("2026-04-08"), date("2026-04-08"))));
        assert_eq!(kept_days_of_event(date("2026-04-01"), now), Some((date("2026-03-31"), date("2026-04-01"))));
        assert_eq!(
            kept_days_within(date("2026-04-06"), date("2026-04-17"), now),
            Some((date("2026-04-06"), date("2026-04-08")))
        );
        assert_eq!(kept_days_within(date("2026-04-09"), date("2026-04-17"), now), None, "leave from tomorrow");
    }

    #[test]
    fn a_range_touches_every_month_it_crosses() {
        assert_eq!(months_between(date("2026-01-30"), date("2026-03-01")), ["2026-01", "2026-02", "2026-03"]);
        assert_eq!(months_between(date("2026-02-10"), date("2026-02-12")), ["2026-02"]);
        assert!(months_between(date("2026-02-12"), date("2026-02-10")).is_empty());
    }
}
