//! Weekly schedules in the admin console: the list (the default, schedules assigned to people,
//! and period overrides such as Ramadan), and a form of seven day rows — works or not, start,
//! end, break — with the flexible-start window and the period. Institution administrators edit;
//! unit administrators read (and assign schedules from a person's page).

use super::login::Chrome;
use super::session::{Page, failed, saved};
use super::{Tr, render};
use crate::AppState;
use crate::guard::{Admin, InstitutionAdmin};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::HeaderValue;
use axum::response::Response;
use chrono::{NaiveDate, NaiveTime, Weekday};
use hadir_app::schedules::{self, ScheduleInput, ScheduleView};
use hadir_app::{AppError, FieldProblem, Rule};
use hadir_domain::schedule::{ScheduleError, WeeklySchedule, WorkDay};
use serde::Deserialize;

/// Monday first, as the form's rows (`…_1` is Monday, `…_7` Sunday).
const WEEK: [Weekday; 7] =
    [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun];

fn hm(t: NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

fn short_day(t: Tr, w: Weekday) -> String {
    t.get(&format!("weekday-short-{}", w.number_from_monday()))
}

/// "Sen–Kam 07:30–16:00 · Jum 07:30–16:30": runs of days with the same hours.
pub fn week_summary(t: Tr, week: &WeeklySchedule) -> String {
    let hours = |d: &WorkDay| format!("{}–{}", hm(d.start), hm(d.end));
    let mut runs: Vec<(Weekday, Weekday, String)> = Vec::new();
    for w in WEEK {
        let Some(day) = week.day(w) else { continue };
        let h = hours(day);
        match runs.last_mut() {
            Some((_, last, same)) if *same == h && last.succ() == w => *last = w,
            _ => runs.push((w, w, h)),
        }
    }
    runs.into_iter()
        .map(|(first, last, h)| {
            let days = if first == last {
                short_day(t, first)
            } else {
                format!("{}–{}", short_day(t, first), short_day(t, last))
            };
            format!("{days} {h}")
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Minutes as hours, "37,5 jam" / "37.5 h".
fn weekly_hours(t: Tr, minutes: i64) -> String {
    let text = format!("{:.2}", minutes as f64 / 60.0);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    let text = if t.code() == "id" { text.replace('.', ",") } else { text.to_string() };
    format!("{text} {}", t.get("hours-short"))
}

pub struct ScheduleLine {
    pub id: String,
    pub name: String,
    /// The default first, then schedules for people, then period overrides.
    rank: u8,
    pub kind: String,
    pub days: String,
    pub hours: String,
    pub period: String,
}

/// The schedule's place in the list and its kind's text key.
fn kind_of(s: &ScheduleView) -> (u8, &'static str) {
    match (s.is_default, s.valid_from) {
        (true, _) => (0, "schedule-kind-default"),
        (false, None) => (1, "schedule-kind-assigned"),
        (false, Some(_)) => (2, "schedule-kind-override"),
    }
}

#[derive(Template)]
#[template(path = "admin_schedules.html")]
struct ListPage {
    c: Chrome,
    rows: Vec<ScheduleLine>,
    edits: bool,
}

pub async fn list(State(state): State<AppState>, page: Page<Admin>) -> Response {
    let t = page.t;
    let loaded = async {
        let all = schedules::list(&state.app, &page.principal).await?;
        Ok::<_, AppError>((page.own_name(&state.app).await?, all))
    };
    let (name, all) = match loaded.await {
        Ok(v) => v,
        Err(e) => return failed(t, e),
    };
    let mut rows: Vec<ScheduleLine> = all
        .iter()
        .map(|s| ScheduleLine {
            id: s.id.clone(),
            name: s.name.clone(),
            rank: kind_of(s).0,
            kind: t.get(kind_of(s).1),
            days: week_summary(t, &s.week),
            hours: weekly_hours(t, s.weekly_minutes),
            period: match (s.valid_from, s.valid_to) {
                (Some(from), Some(to)) => {
                    format!("{} – {}", super::labels::short_date(from), super::labels::short_date(to))
                }
                _ => String::new(),
            },
        })
        .collect();
    rows.sort_by_key(|r| r.rank);
    let edits = page.principal.is_institution_admin();
    render(&ListPage { c: Chrome::of(&page, name, "/admin/jadwal"), rows, edits })
}

/// One day row as typed.
#[derive(Clone, Default)]
pub struct DayFields {
    pub works: bool,
    pub start: String,
    pub end: String,
    pub break_start: String,
    pub break_end: String,
}

/// The form as typed: every field kept as text so a refused form comes back as it was.
#[derive(Default)]
pub struct ScheduleFields {
    pub name: String,
    pub is_default: bool,
    pub valid_from: String,
    pub valid_to: String,
    pub flex_minutes: String,
    pub days: Vec<DayFields>,
}

impl ScheduleFields {
    /// From the form's name/value pairs (`start_1` … `break_end_7`, `works_N` when ticked).
    fn from_pairs(pairs: Vec<(String, String)>) -> ScheduleFields {
        let mut f = ScheduleFields { days: vec![DayFields::default(); 7], ..ScheduleFields::default() };
        for (name, value) in pairs {
            let (field, day) = match name.rsplit_once('_') {
                Some((field, n)) => match n.parse::<usize>() {
                    Ok(n @ 1..=7) => (field, Some(n - 1)),
                    _ => (name.as_str(), None),
                },
                None => (name.as_str(), None),
            };
            match (field, day) {
                ("works", Some(i)) => f.days[i].works = true,
                ("start", Some(i)) => f.days[i].start = value,
                ("end", Some(i)) => f.days[i].end = value,
                ("break_start", Some(i)) => f.days[i].break_start = value,
                ("break_end", Some(i)) => f.days[i].break_end = value,
                ("name", None) => f.name = value,
                ("is_default", None) => f.is_default = true,
                ("valid_from", None) => f.valid_from = value,
                ("valid_to", None) => f.valid_to = value,
                ("flex_minutes", None) => f.flex_minutes = value,
                _ => {}
            }
        }
        f
    }

    fn of(s: &ScheduleView) -> ScheduleFields {
        let mut f = ScheduleFields::template(&s.week);
        f.name = s.name.clone();
        f.is_default = s.is_default;
        f.valid_from = s.valid_from.map(|d| d.to_string()).unwrap_or_default();
        f.valid_to = s.valid_to.map(|d| d.to_string()).unwrap_or_default();
        f
    }

    /// A blank form shaped like a week (a preset's days and hours).
    fn template(week: &WeeklySchedule) -> ScheduleFields {
        let days = WEEK
            .iter()
            .map(|w| match week.day(*w) {
                Some(d) => DayFields {
                    works: true,
                    start: hm(d.start),
                    end: hm(d.end),
                    break_start: d.break_start.map(hm).unwrap_or_default(),
                    break_end: d.break_end.map(hm).unwrap_or_default(),
                },
                None => DayFields::default(),
            })
            .collect();
        ScheduleFields { flex_minutes: week.flex_minutes.to_string(), days, ..ScheduleFields::default() }
    }
}

/// "07:30", "7.30" (as often written in Indonesia) or "07:30:00"; blank is none.
fn time(field: String, text: &str, problems: &mut Vec<FieldProblem>) -> Option<NaiveTime> {
    let text = text.trim().replace('.', ":");
    if text.is_empty() {
        return None;
    }
    let parsed = NaiveTime::parse_from_str(&text, "%H:%M").or_else(|_| NaiveTime::parse_from_str(&text, "%H:%M:%S"));
    parsed.map_err(|_| problems.push(FieldProblem::new(&field, &Rule::NotATime))).ok()
}

fn date(field: &str, text: &str, problems: &mut Vec<FieldProblem>) -> Option<NaiveDate> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| problems.push(FieldProblem::new(field, &Rule::NotADate)))
        .ok()
}

/// The typed form as the use case's input; each problem is named by the input that holds it.
fn input_of(f: &ScheduleFields) -> Result<ScheduleInput, AppError> {
    let mut problems = Vec::new();
    let mut days = Vec::new();
    for (i, (weekday, d)) in WEEK.iter().zip(&f.days).enumerate().filter(|(_, (_, d))| d.works) {
        let n = i + 1;
        let start = time(format!("start_{n}"), &d.start, &mut problems);
        let end = time(format!("end_{n}"), &d.end, &mut problems);
        let break_start = time(format!("break_start_{n}"), &d.break_start, &mut problems);
        let break_end = time(format!("break_end_{n}"), &d.break_end, &mut problems);
        if start.is_none() && d.start.trim().is_empty() {
            problems.push(FieldProblem::new(&format!("start_{n}"), &Rule::NotATime));
        }
        if end.is_none() && d.end.trim().is_empty() {
            problems.push(FieldProblem::new(&format!("end_{n}"), &Rule::NotATime));
        }
        if let (Some(start), Some(end)) = (start, end) {
            days.push(WorkDay { weekday: *weekday, start, end, break_start, break_end });
        }
    }
    let flex_minutes = match f.flex_minutes.trim() {
        "" => 0,
        text => text.parse::<u32>().unwrap_or_else(|_| {
            problems.push(FieldProblem::new("flex_minutes", &Rule::NotANumber));
            0
        }),
    };
    let valid_from = date("valid_from", &f.valid_from, &mut problems);
    let valid_to = date("valid_to", &f.valid_to, &mut problems);
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let week = WeeklySchedule { days, flex_minutes };
    if let Err(e) = week.validate() {
        let field = match &e {
            ScheduleError::Days => "works_1".to_string(),
            ScheduleError::Break(w) => format!("break_start_{}", w.number_from_monday()),
            ScheduleError::Flex => "flex_minutes".to_string(),
        };
        return Err(AppError::field(&field, &e));
    }
    Ok(ScheduleInput { name: f.name.clone(), week, is_default: f.is_default, valid_from, valid_to })
}

#[derive(Template)]
#[template(path = "admin_schedule.html")]
struct FormPage {
    c: Chrome,
    id: Option<String>,
    f: ScheduleFields,
    /// Each row's weekday name, beside its fields.
    day_names: Vec<String>,
}

#[derive(Deserialize)]
pub struct PresetQuery {
    /// `ramadan` starts the form from the common Ramadan week; anything else from the standard one.
    #[serde(default)]
    pola: String,
}

async fn form_page(state: &AppState, page: &Page<InstitutionAdmin>, id: Option<String>, f: ScheduleFields) -> Response {
    let name = match page.own_name(&state.app).await {
        Ok(n) => n,
        Err(e) => return failed(page.t, e),
    };
    let day_names = WEEK.iter().map(|w| page.t.get(&format!("weekday-{}", w.number_from_monday()))).collect();
    render(&FormPage { c: Chrome::of(page, name, "/admin/jadwal"), id, f, day_names })
}

pub async fn new_form(
    State(state): State<AppState>,
    page: Page<InstitutionAdmin>,
    Query(q): Query<PresetQuery>,
) -> Response {
    let week = if q.pola == "ramadan" { WeeklySchedule::ramadan_asn() } else { WeeklySchedule::standard_asn() };
    form_page(&state, &page, None, ScheduleFields::template(&week)).await
}

pub async fn edit_form(
    State(state): State<AppState>,
    page: Page<InstitutionAdmin>,
    Path(id): Path<String>,
) -> Response {
    let found = match schedules::list(&state.app, &page.principal).await {
        Ok(all) => all.into_iter().find(|s| s.id == id),
        Err(e) => return failed(page.t, e),
    };
    match found {
        Some(s) => form_page(&state, &page, Some(id), ScheduleFields::of(&s)).await,
        None => failed(page.t, AppError::NotFound("schedule")),
    }
}

/// "Saved", then to `to` (the new schedule's page, or the list after a deletion).
fn saved_then(t: Tr, to: &str) -> Response {
    let mut response = saved(t);
    if let Ok(to) = HeaderValue::from_str(to) {
        response.headers_mut().insert("hx-redirect", to);
    }
    response
}

pub async fn create(
    State(state): State<AppState>,
    page: Page<InstitutionAdmin>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = ScheduleFields::from_pairs(pairs);
    let result = async { schedules::save(&state.app, &page.principal, None, input_of(&f)?, &page.meta).await };
    match result.await {
        Ok(s) => saved_then(page.t, &format!("/admin/jadwal/{}", s.id)),
        Err(e) => failed(page.t, e),
    }
}

pub async fn update(
    State(state): State<AppState>,
    page: Page<InstitutionAdmin>,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = ScheduleFields::from_pairs(pairs);
    let result = async { schedules::save(&state.app, &page.principal, Some(&id), input_of(&f)?, &page.meta).await };
    match result.await {
        Ok(_) => saved(page.t),
        Err(e) => failed(page.t, e),
    }
}

pub async fn delete(State(state): State<AppState>, page: Page<InstitutionAdmin>, Path(id): Path<String>) -> Response {
    match schedules::delete(&state.app, &page.principal, &id, &page.meta).await {
        Ok(()) => saved_then(page.t, "/admin/jadwal"),
        Err(e) => failed(page.t, e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hadir_domain::Lang;

    const ID: Tr = Tr { lang: Lang::Id };

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    #[test]
    fn the_standard_week_reads_as_two_runs_and_thirty_seven_and_a_half_hours() {
        let week = WeeklySchedule::standard_asn();
        assert_eq!(week_summary(ID, &week), "Sen–Kam 07:30–16:00 · Jum 07:30–16:30");
        assert_eq!(weekly_hours(ID, week.weekly_minutes()), "37,5 jam");
    }

    #[test]
    fn a_preset_survives_the_trip_through_the_form() {
        for week in [WeeklySchedule::standard_asn(), WeeklySchedule::ramadan_asn()] {
            let mut f = ScheduleFields::template(&week);
            f.name = "Ramadan".into();
            let input = input_of(&f).unwrap();
            assert_eq!(input.week, week);
        }
    }

    #[test]
    fn typed_fields_come_back_by_day_and_dotted_times_are_read() {
        let f = ScheduleFields::from_pairs(pairs(&[
            ("name", "Shift malam"),
            ("works_6", "on"),
            ("start_6", "22.00"),
            ("end_6", "06:00"),
            ("flex_minutes", "15"),
            ("start_9", "ignored"),
        ]));
        assert!(f.days[5].works && !f.days[0].works);
        let input = input_of(&f).unwrap();
        assert_eq!(input.week.days.len(), 1);
        assert_eq!(input.week.days[0].weekday, Weekday::Sat);
        assert_eq!(input.week.days[0].working_minutes(), 8 * 60);
        assert_eq!(input.week.flex_minutes, 15);
    }

    #[test]
    fn each_problem_names_the_input_that_holds_it() {
        let fields_of = |e: AppError| match e {
            AppError::Invalid(p) => p.into_iter().map(|p| p.field).collect::<Vec<_>>(),
            other => panic!("{other:?}"),
        };
        let mut f = ScheduleFields::template(&WeeklySchedule::standard_asn());
        f.days[2].start = "25:00".into();
        f.days[3].end = String::new();
        f.valid_from = "1 Maret".into();
        assert_eq!(fields_of(input_of(&f).unwrap_err()), ["start_3", "end_4", "valid_from"]);

        let mut f = ScheduleFields::template(&WeeklySchedule::standard_asn());
        f.days[4].break_end = "17:00".into();
        assert_eq!(fields_of(input_of(&f).unwrap_err()), ["break_start_5"]);

        let none = ScheduleFields { days: vec![DayFields::default(); 7], ..ScheduleFields::default() };
        assert_eq!(fields_of(input_of(&none).unwrap_err()), ["works_1"]);
    }
}
