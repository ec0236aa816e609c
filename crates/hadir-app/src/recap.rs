//! Daily status and monthly recap, computed from accepted events, approved leave, the
//! institution's default schedule, its holiday calendar and its discipline table, by the pure
//! rules in `hadir_domain::attendance`.

mod events;
pub mod export;
mod month_cache;
pub mod today;

use events::DayEvent;

pub(crate) use month_cache::{bump as forget_months, kept_days_of_event, kept_days_within, stale as forget_kept_days};

use crate::{App, AppError, Principal, discipline};
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime};
use hadir_db::entities::{holiday, institution, person, unit, work_location};
use hadir_domain::attendance::{
    BasisPoints, DayCount, DayFacts, DayStatus, DisciplineTable, MonthTotals, Sanction, ScheduledDay, UnitTotals,
    consecutive_absences, day_status, encode_days, month_totals, sanction_for_absences, unit_totals,
};
use hadir_domain::roles::{AdminScope, subtree};
use hadir_domain::time_zone::WorkZone;
use hadir_domain::{Explain, Lang};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DayView {
    pub date: NaiveDate,
    /// `{"status": "present", "late": "L1", …}`, `{"status": "absent"}`, `holiday`, `off_day`.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub status: DayStatus,
    /// Basis points (hundredths of a percent) this day costs before the monthly cap.
    #[schema(value_type = u32)]
    pub deduction: BasisPoints,
    /// On leave or away: the institution's code for the kind (e.g. `CT`, `S`, `DL`).
    pub code: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PersonMonth {
    pub person_id: String,
    pub month: String,
    /// Days up to today (today only once something happened).
    pub days: Vec<DayView>,
    #[schema(value_type = Object)]
    pub totals: MonthTotals,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct RecapRow {
    pub person_id: String,
    pub employee_number: String,
    pub full_name: String,
    pub unit_code: Option<String>,
    #[schema(value_type = Object)]
    pub totals: MonthTotals,
}

struct MonthRule;

impl Explain for MonthRule {
    fn code(&self) -> &'static str {
        "month_format"
    }
    fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::Id => "Bulan harus berformat YYYY-MM, mis. 2026-03".into(),
            Lang::En => "Month must be YYYY-MM, e.g. 2026-03".into(),
        }
    }
}

/// The days of a `YYYY-MM` month.
pub fn month_days(month: &str) -> Result<Vec<NaiveDate>, AppError> {
    let first = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
        .map_err(|_| AppError::field("month", &MonthRule))?;
    Ok(first.iter_days().take_while(|d| d.month() == first.month()).collect())
}

/// Everything but the events, loaded once for a month.
pub(crate) struct MonthInputs {
    schedules: crate::schedules::Schedules,
    table: DisciplineTable,
    leave_policy: hadir_domain::attendance::leave::LeavePolicy,
    holidays: HashSet<NaiveDate>,
    zones: HashMap<String, WorkZone>,
    default_zone: WorkZone,
    today: NaiveDate,
}

/// The institution's own time zone: its "today", and the zone of people without a work location.
async fn institution_zone(app: &App, institution_id: &str) -> Result<WorkZone, AppError> {
    Ok(institution::Entity::find_by_id(institution_id.to_string())
        .one(&app.db)
        .await?
        .and_then(|i| WorkZone::parse(&i.time_zone))
        .unwrap_or(WorkZone::Jakarta))
}

pub(crate) async fn inputs(app: &App, principal: &Principal, days: &[NaiveDate]) -> Result<MonthInputs, AppError> {
    let inst = &principal.institution_id;
    let default_zone = institution_zone(app, inst).await?;
    let schedules = crate::schedules::Schedules::load(app, inst).await?;
    let (first, last) = (days[0], days[days.len() - 1]);
    let holidays = holiday::Entity::find()
        .filter(holiday::Column::InstitutionId.eq(inst))
        .filter(holiday::Column::Date.between(first.to_string(), last.to_string()))
        .all(&app.db)
        .await?
        .into_iter()
        .filter_map(|h| NaiveDate::parse_from_str(&h.date, "%Y-%m-%d").ok())
        .collect();
    let zones = work_location::Entity::find()
        .filter(work_location::Column::InstitutionId.eq(inst))
        .all(&app.db)
        .await?
        .into_iter()
        .filter_map(|l| WorkZone::parse(&l.time_zone).map(|z| (l.id, z)))
        .collect();
    Ok(MonthInputs {
        schedules,
        table: discipline::get(app, principal).await?.table,
        leave_policy: crate::leave::policy(app, inst).await?,
        holidays,
        zones,
        default_zone,
        today: default_zone.local(app.clock.now()).date(),
    })
}

impl MonthInputs {
    /// A day the person is scheduled to work that is not a holiday.
    pub(crate) fn is_working(&self, person_id: &str, date: NaiveDate) -> bool {
        self.schedules.for_person(person_id, date).day(date.weekday()).is_some() && !self.holidays.contains(&date)
    }
}

fn local_time(inputs: &MonthInputs, e: &DayEvent) -> Option<NaiveDateTime> {
    let zone = e.location_id.as_ref().and_then(|l| inputs.zones.get(l)).copied().unwrap_or(inputs.default_zone);
    Some(zone.local(DateTime::from_timestamp_millis(e.occurred_at)?))
}

/// The columns of a person that a recap needs — not the whole row.
#[derive(Debug, sea_orm::FromQueryResult)]
struct Member {
    id: String,
    employee_number: String,
    full_name: String,
    unit_id: Option<String>,
    created_at: i64,
}

impl From<person::Model> for Member {
    fn from(p: person::Model) -> Member {
        Member {
            id: p.id,
            employee_number: p.employee_number,
            full_name: p.full_name,
            unit_id: p.unit_id,
            created_at: p.created_at,
        }
    }
}

/// One person's days, from their accepted events and approved leave: from the day they were
/// added (nobody is absent before they joined) up to today.
fn person_days(
    inputs: &MonthInputs,
    days: &[NaiveDate],
    person: &Member,
    events: &[DayEvent],
    leave: &[crate::leave::ApprovedLeave],
) -> Vec<DayView> {
    let joined = DateTime::from_timestamp_millis(person.created_at)
        .map(|t| inputs.default_zone.local(t).date())
        .unwrap_or(NaiveDate::MIN);
    let mut by_day: HashMap<NaiveDate, Vec<&DayEvent>> = HashMap::new();
    for e in events {
        if let Some(date) = shift_date(inputs, &person.id, e) {
            by_day.entry(date).or_default().push(e);
        }
    }
    let mut out = Vec::new();
    for date in days.iter().copied().filter(|d| *d <= inputs.today && *d >= joined) {
        let todays = by_day.get(&date).map(Vec::as_slice).unwrap_or(&[]);
        if date == inputs.today && todays.is_empty() {
            continue; // the day is not over
        }
        let first_in = todays.iter().filter(|e| e.check_in).min_by_key(|e| e.occurred_at);
        let last_out = todays.iter().filter(|e| !e.check_in).max_by_key(|e| e.occurred_at);
        let facts = DayFacts {
            scheduled: {
                let week = inputs.schedules.for_person(&person.id, date);
                week.day(date.weekday()).map(|d| ScheduledDay::of(d, date, week.flex_minutes))
            },
            holiday: inputs.holidays.contains(&date),
            absence: leave.iter().find(|l| l.covers(date)).map(|l| l.kind),
            check_in: first_in.and_then(|e| local_time(inputs, e)),
            check_out: last_out.and_then(|e| local_time(inputs, e)),
            mode: first_in.and_then(|e| e.mode),
        };
        let status = day_status(&facts, &inputs.table);
        let code = match status {
            DayStatus::OnLeave { absence } => Some(inputs.leave_policy.code(absence).to_string()),
            _ => None,
        };
        out.push(DayView { date, deduction: inputs.table.day_deduction(&status), status, code });
    }
    out
}

/// The day an event counts for: its local date, except a check-out in the morning after a shift
/// that crosses midnight, which belongs to the shift's day.
fn shift_date(inputs: &MonthInputs, person_id: &str, e: &DayEvent) -> Option<NaiveDate> {
    let date = e.local_date;
    if e.check_in {
        return Some(date);
    }
    let Some(yesterday) = date.pred_opt() else { return Some(date) };
    let week = inputs.schedules.for_person(person_id, yesterday);
    let Some(shift) = week.day(yesterday.weekday()).filter(|d| d.end <= d.start) else { return Some(date) };
    let left = local_time(inputs, e)?.time();
    // Before today's own shift starts (if any), a morning check-out closes last night's shift.
    let today_start = inputs.schedules.for_person(person_id, date).day(date.weekday()).map(|d| d.start);
    let before_today = today_start.is_none_or(|start| left < start);
    Some(if before_today && left <= shift.end + chrono::Duration::hours(6) { yesterday } else { date })
}

/// A person's month (oneself, someone one supervises, or someone in one's admin scope).
pub async fn person_month(
    app: &App,
    principal: &Principal,
    person_id: &str,
    month: &str,
) -> Result<PersonMonth, AppError> {
    month_days(month)?;
    let subject = crate::attendance::reachable_person(app, principal, person_id).await?;
    crate::access_log::record(app, principal, &subject, &[crate::access_log::Data::Month]).await?;
    month_of(app, principal, subject, month).await
}

/// A person's month, computed for whoever may see it (the access was checked and logged by
/// the caller). `principal` supplies the institution's rules.
pub(crate) async fn month_of(
    app: &App,
    principal: &Principal,
    subject: person::Model,
    month: &str,
) -> Result<PersonMonth, AppError> {
    let days = month_days(month)?;
    let inputs = inputs(app, principal, &days).await?;
    let mut events = events::accepted(app, &principal.institution_id, Some(&[subject.id.as_str()]), &days).await?;
    let leave = crate::leave::approved(app, &principal.institution_id, Some(&subject.id), &days).await?;
    let subject = Member::from(subject);
    let mine = events.remove(&subject.id).unwrap_or_default();
    let views = person_days(&inputs, &days, &subject, &mine, &leave);
    let totals = month_totals(views.iter().map(|d| DayCount::of(&d.status)), &inputs.table);
    Ok(PersonMonth { person_id: subject.id, month: month.to_string(), days: views, totals })
}

/// An active person in the principal's scope, with what is kept of their month.
struct InScope {
    member: Member,
    kept: month_cache::Kept,
}

/// The month a recap reads kept days of: its first day, generation, and how many days may be
/// kept now.
struct KeptMonth<'a> {
    name: &'a str,
    first_day: NaiveDate,
    generation: i64,
    through: usize,
}

/// Active people in the principal's scope, optionally one unit and the units below it, by name;
/// with what is kept of `month` where it is given.
async fn people_in_scope(
    app: &App,
    principal: &Principal,
    unit_id: Option<&str>,
    month: Option<&KeptMonth<'_>>,
) -> Result<(Vec<InScope>, HashMap<String, String>), AppError> {
    use sea_orm::FromQueryResult;
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    if !principal.is_admin() {
        return Err(AppError::Forbidden);
    }
    let units =
        unit::Entity::find().filter(unit::Column::InstitutionId.eq(&principal.institution_id)).all(&app.db).await?;
    let wanted_units = unit_id.map(|u| {
        let parents = units.iter().map(|x| (x.id.clone(), x.parent_id.clone())).collect();
        subtree(&[u.to_string()], &parents)
    });
    let mut query = Query::select()
        .columns(
            [
                person::Column::Id,
                person::Column::EmployeeNumber,
                person::Column::FullName,
                person::Column::UnitId,
                person::Column::CreatedAt,
            ]
            .map(|c| (person::Entity, c)),
        )
        .from(person::Entity)
        .and_where(Expr::col((person::Entity, person::Column::InstitutionId)).eq(&principal.institution_id))
        .and_where(Expr::col((person::Entity, person::Column::Status)).eq("active"))
        .order_by((person::Entity, person::Column::FullName), sea_orm::Order::Asc)
        .to_owned();
    if let Some(month) = month {
        month_cache::join(&mut query, month.name);
    }
    let rows = app.db.query_all_raw(app.db.get_database_backend().build(&query)).await?;
    let people = rows
        .iter()
        .map(|row| {
            let kept = match month {
                Some(m) => month_cache::read(row, m.generation, m.first_day, m.through)?,
                None => month_cache::Kept::default(),
            };
            Ok(InScope { member: Member::from_query_result(row, "")?, kept })
        })
        .collect::<Result<Vec<InScope>, sea_orm::DbErr>>()?
        .into_iter()
        .filter(|p| match &principal.admin_scope {
            AdminScope::Institution => true,
            scope => scope.covers_unit(p.member.unit_id.as_ref()),
        })
        .filter(|p| wanted_units.as_ref().is_none_or(|set| p.member.unit_id.as_ref().is_some_and(|u| set.contains(u))))
        .collect();
    let codes = units.into_iter().map(|u| (u.id, u.code)).collect();
    Ok((people, codes))
}

/// Above this many people, reading the whole institution's month beats a long `IN (…)` list.
const READ_ALL_ABOVE: usize = 500;

/// The days of each of `people` over `days`, in the same order.
async fn days_of(
    app: &App,
    principal: &Principal,
    inputs: &MonthInputs,
    days: &[NaiveDate],
    people: &[&Member],
) -> Result<Vec<Vec<DayView>>, AppError> {
    let ids: Vec<&str> = people.iter().map(|p| p.id.as_str()).collect();
    let only = (ids.len() <= READ_ALL_ABOVE).then_some(ids.as_slice());
    let by_person = events::accepted(app, &principal.institution_id, only, days).await?;
    let mut leave_of: HashMap<String, Vec<crate::leave::ApprovedLeave>> = HashMap::new();
    for l in crate::leave::approved(app, &principal.institution_id, None, days).await? {
        leave_of.entry(l.person_id.clone()).or_default().push(l);
    }
    Ok(people
        .iter()
        .map(|p| {
            let events = by_person.get(&p.id).map(Vec::as_slice).unwrap_or(&[]);
            person_days(inputs, days, p, events, leave_of.get(&p.id).map(Vec::as_slice).unwrap_or(&[]))
        })
        .collect())
}

/// The month of every active person in the principal's scope (optionally one unit and the
/// units below it), by name. What is kept of each person's month is read; only the days after it
/// are counted from their check-ins, and what became countable is kept (see `month_cache`).
pub async fn unit_recap(
    app: &App,
    principal: &Principal,
    month: &str,
    unit_id: Option<&str>,
) -> Result<Vec<RecapRow>, AppError> {
    let days = month_days(month)?;
    let kept_month = kept_month(app, &principal.institution_id, month, &days).await?;
    let (people, codes) = people_in_scope(app, principal, unit_id, Some(&kept_month)).await?;
    crate::access_log::record_list(app, principal, unit_id, crate::access_log::Data::Recap, Some(month)).await?;
    let inputs = inputs(app, principal, &days).await?;
    let counted = count_days(app, principal, &inputs, &days, &kept_month, &people).await?;
    let totals = counted.into_iter().map(|days| month_totals(days, &inputs.table));
    Ok(people
        .into_iter()
        .zip(totals)
        .map(|(InScope { member: p, .. }, totals)| RecapRow {
            totals,
            unit_code: p.unit_id.as_ref().and_then(|u| codes.get(u)).cloned(),
            person_id: p.id,
            employee_number: p.employee_number,
            full_name: p.full_name,
        })
        .collect())
}

/// A unit's month in the recap: its people's months added up.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct UnitRecapRow {
    /// `None` for the people in no unit.
    pub unit_code: Option<String>,
    pub unit_name: Option<String>,
    /// People, present days, each TL/PSW count, TK, leave, how many lose allowance and the
    /// average deduction (basis points).
    #[schema(value_type = Object)]
    pub totals: UnitTotals,
}

/// The recap's rows added up per unit, by unit code: each person in their own unit, or with
/// `level` in their unit's ancestor that many steps from the top (1: the OPD; 0: their own).
pub fn by_unit(rows: &[RecapRow], units: &[crate::units::UnitView], level: Option<usize>) -> Vec<UnitRecapRow> {
    let code_of: HashMap<&str, &str> = units.iter().map(|u| (u.id.as_str(), u.code.as_str())).collect();
    let names: HashMap<&str, &str> = units.iter().map(|u| (u.code.as_str(), u.name.as_str())).collect();
    let parents: HashMap<&str, Option<&str>> =
        units.iter().map(|u| (u.code.as_str(), u.parent_id.as_deref().and_then(|p| code_of.get(p).copied()))).collect();
    let mut grouped: std::collections::BTreeMap<Option<&str>, Vec<&MonthTotals>> = Default::default();
    for row in rows {
        let code = row.unit_code.as_deref().map(|c| match level {
            Some(level) => hadir_domain::roles::ancestor_at_level(&c, level, &parents),
            None => c,
        });
        grouped.entry(code).or_default().push(&row.totals);
    }
    grouped
        .into_iter()
        .map(|(code, people)| UnitRecapRow {
            unit_name: code.and_then(|c| names.get(c)).map(|n| n.to_string()),
            unit_code: code.map(str::to_string),
            totals: unit_totals(people),
        })
        .collect()
}

/// The month of every unit in the principal's scope that has people (optionally one unit and
/// the units below it): [`unit_recap`] added up per unit, or per unit `level` steps from the top
/// (only the people in the principal's scope count either way).
pub async fn units_recap(
    app: &App,
    principal: &Principal,
    month: &str,
    unit_id: Option<&str>,
    level: Option<usize>,
) -> Result<Vec<UnitRecapRow>, AppError> {
    let rows = unit_recap(app, principal, month, unit_id).await?;
    Ok(by_unit(&rows, &crate::units::list(app, principal).await?, level))
}

/// Counts the current month, and the one before while its last days are not kept yet, for
/// everyone in the institution, keeping the days that became countable: the nightly work that
/// spares the day's first recap from counting a whole day of check-ins.
pub async fn keep_recent_months(app: &App, institution_id: &str) -> Result<(), AppError> {
    let operator = Principal::operator(institution_id);
    let through = month_cache::settled_through(app.clock.now());
    let mut months = vec![month_cache::month_of(through)];
    if let Some(next) = through.succ_opt().filter(|d| d.month() != through.month()) {
        months.push(month_cache::month_of(next));
    }
    for month in months {
        let days = month_days(&month)?;
        let kept_month = kept_month(app, institution_id, &month, &days).await?;
        let (people, _) = people_in_scope(app, &operator, None, Some(&kept_month)).await?;
        let inputs = inputs(app, &operator, &days).await?;
        count_days(app, &operator, &inputs, &days, &kept_month, &people).await?;
    }
    Ok(())
}

async fn kept_month<'a>(
    app: &App,
    institution_id: &str,
    month: &'a str,
    days: &[NaiveDate],
) -> Result<KeptMonth<'a>, AppError> {
    // Read before anything the counts depend on: see `month_cache`.
    let generation = month_cache::current(&app.db, institution_id, month).await?;
    let through = month_cache::settled_through(app.clock.now());
    Ok(KeptMonth {
        name: month,
        first_day: days[0],
        generation,
        through: days.iter().filter(|d| **d <= through).count(),
    })
}

/// Each person's counted days of the month: their kept days, and the days after them through
/// today counted from their check-ins and leave. Days that became countable are kept for the
/// next recap.
async fn count_days(
    app: &App,
    principal: &Principal,
    inputs: &MonthInputs,
    days: &[NaiveDate],
    month: &KeptMonth<'_>,
    people: &[InScope],
) -> Result<Vec<Vec<DayCount>>, AppError> {
    // The days up to today that are not kept, per person.
    let open_days = days.iter().filter(|d| **d <= inputs.today).count();
    let counting: Vec<&InScope> = people.iter().filter(|p| p.kept.days.len() < open_days).collect();
    let events = events_from(app, principal, days, &counting).await?;
    let mut leave_of: HashMap<String, Vec<crate::leave::ApprovedLeave>> = HashMap::new();
    if !counting.is_empty() {
        for l in crate::leave::approved(app, &principal.institution_id, None, days).await? {
            leave_of.entry(l.person_id.clone()).or_default().push(l);
        }
    }
    let mut to_keep: Vec<(&str, i64, String)> = Vec::new();
    let counted = people
        .iter()
        .map(|p| {
            let mut counted = p.kept.days.clone();
            if counted.len() < open_days {
                let from = counted.len();
                let mine = events.get(p.member.id.as_str()).map(Vec::as_slice).unwrap_or(&[]);
                let leave = leave_of.get(&p.member.id).map(Vec::as_slice).unwrap_or(&[]);
                let views = person_days(inputs, &days[from..], &p.member, mine, leave);
                let mut fresh = vec![DayCount::NotCounted; days.len() - from];
                for v in &views {
                    if let Some(i) = days[from..].iter().position(|d| *d == v.date) {
                        fresh[i] = DayCount::of(&v.status);
                    }
                }
                counted.extend(fresh);
                if from < month.through {
                    to_keep.push((
                        p.member.id.as_str(),
                        p.kept.version,
                        encode_days(counted[..month.through].iter().copied()),
                    ));
                }
            }
            counted
        })
        .collect();
    if !to_keep.is_empty() {
        month_cache::store(&app.db, &principal.institution_id, month.name, month.generation, &to_keep).await?;
    }
    Ok(counted)
}

/// The accepted events each of `people` needs counted: from the first day not kept of theirs.
/// People with nothing kept need the whole month; the rest only the last few days, read once for
/// everyone.
async fn events_from<'a>(
    app: &App,
    principal: &Principal,
    days: &[NaiveDate],
    people: &[&'a InScope],
) -> Result<HashMap<&'a str, Vec<DayEvent>>, AppError> {
    let inst = &principal.institution_id;
    let mut by_person: HashMap<&str, Vec<DayEvent>> = HashMap::new();
    let (fresh, kept): (Vec<&InScope>, Vec<&InScope>) = people.iter().partition(|p| p.kept.days.is_empty());
    let mut read = |events: HashMap<String, Vec<DayEvent>>, wanted: &HashSet<&'a str>| {
        for (person, theirs) in events {
            if let Some(id) = wanted.get(person.as_str()) {
                by_person.insert(*id, theirs);
            }
        }
    };
    for (group, from) in [(&fresh, 0), (&kept, kept.iter().map(|p| p.kept.days.len()).min().unwrap_or(0))] {
        if group.is_empty() {
            continue;
        }
        let wanted: HashSet<&str> = group.iter().map(|p| p.member.id.as_str()).collect();
        let ids: Vec<&str> = wanted.iter().copied().collect();
        // Above this many people, reading everyone's beats a long `IN (…)` list.
        let only = (ids.len() <= READ_ALL_ABOVE).then_some(ids.as_slice());
        read(events::accepted(app, inst, only, &days[from..]).await?, &wanted);
    }
    Ok(by_person)
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AbsenceRow {
    pub person_id: String,
    pub employee_number: String,
    pub full_name: String,
    pub unit_code: Option<String>,
    /// Unexcused absent days (TK) in the year so far.
    pub absent_days: u32,
    /// The longest run of consecutive absent working days.
    pub longest_run: u32,
    /// The PP 94/2021 threshold reached, if any, for HR to act on.
    #[schema(value_type = Option<String>)]
    pub threshold: Option<Sanction>,
}

/// Cumulative TK of the year for everyone in scope who has any, most first, with the PP 94/2021
/// threshold each has reached. Built from the days the monthly recap keeps, so a year costs
/// twelve reads of one row per person rather than a year of check-ins.
pub async fn absence_report(
    app: &App,
    principal: &Principal,
    year: i32,
    unit_id: Option<&str>,
) -> Result<Vec<AbsenceRow>, AppError> {
    if NaiveDate::from_ymd_opt(year, 1, 1).is_none() {
        return Err(AppError::field("year", &MonthRule));
    }
    let detail = format!("TK {year}");
    crate::access_log::record_list(app, principal, unit_id, crate::access_log::Data::Recap, Some(&detail)).await?;
    // The months begun by today; a later one is not read, nor its kept days started.
    let today = institution_zone(app, &principal.institution_id).await?.local(app.clock.now()).date();
    let mut months = Vec::new();
    for m in 1..=12 {
        let month = format!("{year:04}-{m:02}");
        let days = month_days(&month)?;
        if days[0] > today {
            break;
        }
        months.push((month, days));
    }
    if months.is_empty() {
        return Ok(Vec::new());
    }
    // Each month's generation is read before the inputs, as `kept_month` requires; the inputs
    // (schedules, holidays, tables) once for the whole year.
    let mut kept = Vec::with_capacity(months.len());
    for (month, days) in &months {
        kept.push(kept_month(app, &principal.institution_id, month, days).await?);
    }
    let year_days: Vec<NaiveDate> = months.iter().flat_map(|(_, days)| days.iter().copied()).collect();
    let inputs = inputs(app, principal, &year_days).await?;
    let mut people: Vec<Member> = Vec::new();
    let mut codes = HashMap::new();
    let mut year_of: HashMap<String, Vec<DayCount>> = HashMap::new();
    for ((_, days), kept_month) in months.iter().zip(&kept) {
        let (in_scope, unit_codes) = people_in_scope(app, principal, unit_id, Some(kept_month)).await?;
        let counted = count_days(app, principal, &inputs, days, kept_month, &in_scope).await?;
        for (p, days) in in_scope.iter().zip(counted) {
            year_of.entry(p.member.id.clone()).or_default().extend(days);
        }
        if people.is_empty() {
            people = in_scope.into_iter().map(|p| p.member).collect();
            codes = unit_codes;
        }
    }
    let mut rows: Vec<AbsenceRow> = people
        .into_iter()
        .filter_map(|p| {
            let working: Vec<bool> = year_of
                .get(&p.id)?
                .iter()
                .filter(|d| matches!(d, DayCount::Absent | DayCount::Present { .. } | DayCount::Leave))
                .map(|d| *d == DayCount::Absent)
                .collect();
            let absent_days = working.iter().filter(|a| **a).count() as u32;
            (absent_days > 0).then(|| {
                let longest_run = consecutive_absences(working);
                AbsenceRow {
                    threshold: sanction_for_absences(absent_days, longest_run),
                    unit_code: p.unit_id.as_ref().and_then(|u| codes.get(u)).cloned(),
                    person_id: p.id,
                    employee_number: p.employee_number,
                    full_name: p.full_name,
                    absent_days,
                    longest_run,
                }
            })
        })
        .collect();
    rows.sort_by(|a, b| b.absent_days.cmp(&a.absent_days).then(a.full_name.cmp(&b.full_name)));
    Ok(rows)
}

/// A CSV field, quoted when it holds a separator, a quote or a line break; a leading character
/// that spreadsheets treat as a formula is neutralised.
fn csv_field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@']) { format!("'{value}") } else { value.to_string() };
    if value.contains([',', '"', '\n', '\r']) { format!("\"{}\"", value.replace('"', "\"\"")) } else { value }
}

/// The day counts both recap files carry, in the order of [`COUNT_COLUMNS`].
fn counts_csv(present: u32, late: &[u32; 4], early: &[u32; 4], absent: u32, leave: u32) -> String {
    let levels = late.iter().chain(early.iter()).map(u32::to_string);
    std::iter::once(present.to_string())
        .chain(levels)
        .chain([absent.to_string(), leave.to_string()])
        .collect::<Vec<_>>()
        .join(",")
}

const COUNT_COLUMNS: &str = "present_days,TL1,TL2,TL3,TL4,PSW1,PSW2,PSW3,PSW4,TK,leave_days";

/// The unit recap as CSV (UTF-8, comma-separated, one header row).
pub fn recap_csv(rows: &[RecapRow]) -> String {
    let mut out = format!("employee_number,full_name,unit,{COUNT_COLUMNS},deduction_percent\n");
    for r in rows {
        let t = &r.totals;
        out.push_str(&format!(
            "{},{},{},{},{:.2}\n",
            csv_field(&r.employee_number),
            csv_field(&r.full_name),
            csv_field(r.unit_code.as_deref().unwrap_or("")),
            counts_csv(t.present_days, &t.late, &t.early, t.absent_days, t.leave_days),
            t.deduction.percent()
        ));
    }
    out
}

/// The recap by unit as CSV (UTF-8, comma-separated, one header row).
pub fn units_csv(rows: &[UnitRecapRow]) -> String {
    let mut out = format!("unit,unit_name,people,{COUNT_COLUMNS},people_deducted,average_deduction_percent\n");
    for r in rows {
        let t = &r.totals;
        out.push_str(&format!(
            "{},{},{},{},{},{:.2}\n",
            csv_field(r.unit_code.as_deref().unwrap_or("")),
            csv_field(r.unit_name.as_deref().unwrap_or("")),
            t.people,
            counts_csv(t.present_days, &t.late, &t.early, t.absent_days, t.leave_days),
            t.people_deducted,
            t.average_deduction.percent()
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recap_by_unit_reads_as_csv() {
        let person = |unit: Option<&str>, present, deduction| RecapRow {
            person_id: String::new(),
            employee_number: String::new(),
            full_name: String::new(),
            unit_code: unit.map(str::to_string),
            totals: MonthTotals { present_days: present, deduction: BasisPoints(deduction), ..MonthTotals::default() },
        };
        let unit = |id: &str, code: &str, name: &str, parent: Option<&str>| crate::units::UnitView {
            id: id.into(),
            parent_id: parent.map(str::to_string),
            code: code.into(),
            name: name.into(),
            kind: String::new(),
            active: true,
            created_at: 0,
            updated_at: 0,
        };
        let units = [
            unit("u1", "SETDA", "Sekretariat Daerah", None),
            unit("u2", "SETDA.1", "Biro Umum, Setda", Some("u1")),
            unit("u3", "SETDA.2", "Biro Hukum", Some("u1")),
        ];
        let rows = [
            person(Some("SETDA.1"), 20, 150),
            person(Some("SETDA.1"), 18, 0),
            person(None, 5, 0),
            person(Some("SETDA.2"), 19, 300),
        ];
        let csv = units_csv(&by_unit(&rows, &units, None));
        let lines: Vec<&str> = csv.lines().collect();
        assert!(lines[0].starts_with("unit,unit_name,people,present_days,TL1"));
        assert_eq!(lines[1], ",,1,5,0,0,0,0,0,0,0,0,0,0,0,0.00", "people in no unit first");
        assert_eq!(lines[2], "SETDA.1,\"Biro Umum, Setda\",2,38,0,0,0,0,0,0,0,0,0,0,1,0.75");
        assert_eq!(lines[3], "SETDA.2,Biro Hukum,1,19,0,0,0,0,0,0,0,0,0,0,1,3.00");
        // Rolled up to the top: one line for the Setda, its three people averaged.
        let opd = by_unit(&rows, &units, Some(1));
        assert_eq!(opd.len(), 2);
        assert_eq!(
            (opd[1].unit_code.as_deref(), opd[1].unit_name.as_deref()),
            (Some("SETDA"), Some("Sekretariat Daerah"))
        );
        assert_eq!(
            (opd[1].totals.people, opd[1].totals.present_days, opd[1].totals.average_deduction),
            (3, 57, BasisPoints(150))
        );
    }

    #[test]
    fn months_and_csv_fields() {
        assert_eq!(month_days("2026-02").unwrap().len(), 28);
        assert_eq!(month_days("2028-02").unwrap().len(), 29);
        assert!(month_days("2026-13").is_err());
        assert!(month_days("March").is_err());
        assert_eq!(csv_field("Siti Aminah"), "Siti Aminah");
        assert_eq!(csv_field("Aminah, S.Pd."), "\"Aminah, S.Pd.\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
    }
}
