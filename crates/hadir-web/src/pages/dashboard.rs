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
use axum::extract::State;
use axum::response::Response;
use hadir_app::recap::today::TodayCounts;
use hadir_app::{AppError, units};

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
