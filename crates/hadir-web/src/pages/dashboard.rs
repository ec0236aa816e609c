//! The administrator's first page: today per unit — on time, late, on leave, not in yet, off —
//! as numbers and as a stacked bar drawn in SVG on the server (no chart script, no inline
//! style: the CSP forbids it).

use super::login::Chrome;
use super::render;
use super::session::Page;
use super::session::failed;
use crate::AppState;
use crate::guard::Admin;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use hadir_app::recap::today::{PersonToday, TodayColumn, TodayCounts};
use hadir_app::{AppError, units};
use serde::Deserialize;

/// One coloured piece of a bar, in percent of the bar's width.
pub struct Piece {
    pub class: &'static str,
    pub x: f64,
    pub width: f64,
}

fn pieces(c: &TodayCounts) -> Vec<Piece> {
    let parts =
        [("on-time", c.on_time), ("late", c.late), ("leave", c.on_leave), ("not-yet", c.not_yet_in), ("off", c.off)];
    let total: u32 = parts.iter().map(|(_, n)| n).sum();
    let mut x = 0.0;
    let mut out = Vec::new();
    for (class, n) in parts {
        if total == 0 || n == 0 {
            continue;
        }
        let width = 100.0 * f64::from(n) / f64::from(total);
        out.push(Piece { class, x, width });
        x += width;
    }
    out
}

pub struct UnitLine {
    pub unit_id: String,
    pub label: String,
    pub counts: TodayCounts,
    pub pieces: Vec<Piece>,
}

#[derive(Template)]
#[template(path = "admin_today.html")]
struct Today {
    c: Chrome,
    total: TodayCounts,
    units: Vec<UnitLine>,
}

pub async fn today(State(state): State<AppState>, page: Page<Admin>) -> Response {
    let p = &page.principal;
    let loaded = async {
        let name = page.own_name(&state.app).await?;
        let rows = hadir_app::recap::today::in_institution(&state.app, p).await?;
        let names = units::list(&state.app, p).await?;
        Ok::<_, AppError>((name, rows, names))
    };
    let (name, rows, all_units) = match loaded.await {
        Ok(v) => v,
        Err(e) => return failed(page.t, e),
    };
    let mut total = TodayCounts::default();
    let units = rows
        .into_iter()
        .map(|r| {
            let c = &r.counts;
            total.on_time += c.on_time;
            total.late += c.late;
            total.on_leave += c.on_leave;
            total.not_yet_in += c.not_yet_in;
            total.off += c.off;
            let unit = r.unit_id.as_ref().and_then(|id| all_units.iter().find(|u| &u.id == id));
            UnitLine {
                unit_id: r.unit_id.clone().unwrap_or_default(),
                label: unit.map_or_else(|| page.t.get("no-unit"), |u| format!("{} · {}", u.code, u.name)),
                pieces: pieces(c),
                counts: r.counts,
            }
        })
        .collect();
    render(&Today { c: Chrome::of(&page, name, "/admin"), total, units })
}

/// The CSS class and text key of a column of the board.
fn column_look(column: TodayColumn) -> (&'static str, &'static str) {
    match column {
        TodayColumn::OnTime => ("on-time", "today-on-time"),
        TodayColumn::Late => ("late", "today-late"),
        TodayColumn::OnLeave => ("leave", "today-leave"),
        TodayColumn::NotYetIn => ("not-yet", "today-not-yet"),
        TodayColumn::Off => ("off", "today-off"),
    }
}

pub struct PersonLine {
    pub id: String,
    pub number: String,
    pub name: String,
    pub class: &'static str,
    pub column: String,
    pub status: String,
    pub first_in: String,
    pub last_out: String,
}

#[derive(Template)]
#[template(path = "admin_today_people.html")]
struct TodayPeople {
    c: Chrome,
    unit: String,
    unit_id: String,
    rows: Vec<PersonLine>,
}

#[derive(Deserialize)]
pub struct UnitQuery {
    #[serde(default)]
    unit: String,
}

/// A unit's bar opened: each person's day so far, the latest trouble first (not in yet, late),
/// each leading to the person's month.
pub async fn unit_today(State(state): State<AppState>, page: Page<Admin>, Query(q): Query<UnitQuery>) -> Response {
    let (t, p) = (page.t, &page.principal);
    let unit_id = Some(q.unit.as_str()).filter(|u| !u.is_empty());
    let loaded = async {
        let name = page.own_name(&state.app).await?;
        let rows = hadir_app::recap::today::people(&state.app, p, unit_id).await?;
        let label = match unit_id {
            Some(id) => units::get(&state.app, p, id).await.map(|u| format!("{} · {}", u.code, u.name))?,
            None => t.get("all-units"),
        };
        Ok::<_, AppError>((name, rows, label))
    };
    let (name, mut rows, unit) = match loaded.await {
        Ok(v) => v,
        Err(e) => return failed(t, e),
    };
    let order = |r: &PersonToday| match r.column {
        TodayColumn::NotYetIn => 0,
        TodayColumn::Late => 1,
        TodayColumn::OnTime => 2,
        TodayColumn::OnLeave => 3,
        TodayColumn::Off => 4,
    };
    rows.sort_by_key(order);
    render(&TodayPeople {
        c: Chrome::of(&page, name, "/admin"),
        unit,
        unit_id: q.unit,
        rows: rows
            .into_iter()
            .map(|r| {
                let (class, key) = column_look(r.column);
                PersonLine {
                    class,
                    column: t.get(key),
                    status: r.status.as_ref().map(|s| super::labels::day(t, s, r.code.as_deref())).unwrap_or_default(),
                    first_in: r.first_in.unwrap_or_default(),
                    last_out: r.last_out.unwrap_or_default(),
                    id: r.person_id,
                    number: r.employee_number,
                    name: r.full_name,
                }
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_fill_the_width_in_order() {
        let c = TodayCounts { on_time: 2, late: 1, on_leave: 0, not_yet_in: 1, off: 0 };
        let p = pieces(&c);
        assert_eq!(p.iter().map(|p| p.class).collect::<Vec<_>>(), ["on-time", "late", "not-yet"]);
        assert_eq!(p.iter().map(|p| p.width).sum::<f64>(), 100.0);
        assert_eq!((p[1].x, p[2].x), (50.0, 75.0));
        assert!(pieces(&TodayCounts::default()).is_empty());
    }
}
