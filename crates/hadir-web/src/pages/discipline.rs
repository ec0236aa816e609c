//! The discipline table in the admin console: the TL1–TL4 and PSW1–PSW4 windows and what each
//! costs, the TK day, the monthly cap and the make-up rule. A shipped preset is one click; any
//! other table is typed. Each window starts where the one before ends, so the form asks only for
//! each window's last minute. Institution administrators edit; unit administrators read.

use super::login::Chrome;
use super::session::{Page, failed, saved};
use super::{Tr, labels, render};
use crate::AppState;
use crate::guard::{Admin, InstitutionAdmin};
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::HeaderValue;
use axum::response::Response;
use hadir_app::discipline::{self, DisciplineInput, DisciplineView};
use hadir_app::{AppError, FieldProblem, Rule};
use hadir_domain::attendance::{Band, BasisPoints, DisciplineTable, Preset, TableError};
use std::collections::HashMap;

/// One window of a table as the form shows it.
pub struct BandLine {
    pub code: String,
    pub from: u32,
    /// The window's last minute; empty for the last, open-ended one.
    pub to: String,
    pub percent: String,
}

/// A percentage as a form field holds it ("0,5" in Indonesian), without the sign.
fn percent_field(t: Tr, bp: BasisPoints) -> String {
    labels::percent(t, bp.0).trim_end_matches('%').to_string()
}

fn lines(t: Tr, prefix: &str, bands: &[Band; 4]) -> Vec<BandLine> {
    bands
        .iter()
        .enumerate()
        .map(|(i, b)| BandLine {
            code: format!("{prefix}{}", i + 1),
            from: b.from_minutes,
            to: b.to_minutes.map(|m| m.to_string()).unwrap_or_default(),
            percent: percent_field(t, b.deduction),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "admin_discipline.html")]
struct TablePage {
    c: Chrome,
    /// `kementan`, `kemenkeu`, or empty for a table of the institution's own.
    preset: &'static str,
    late: Vec<BandLine>,
    early: Vec<BandLine>,
    absent: String,
    cap: String,
    make_up: u32,
    edits: bool,
}

pub async fn page(State(state): State<AppState>, page: Page<Admin>) -> Response {
    let t = page.t;
    let loaded = async {
        let view = discipline::get(&state.app, &page.principal).await?;
        Ok::<_, AppError>((page.own_name(&state.app).await?, view))
    };
    let (name, DisciplineView { preset, table }) = match loaded.await {
        Ok(v) => v,
        Err(e) => return failed(t, e),
    };
    render(&TablePage {
        c: Chrome::of(&page, name, "/admin/potongan"),
        preset: preset.map(Preset::as_str).unwrap_or_default(),
        late: lines(t, "TL", &table.late),
        early: lines(t, "PSW", &table.early),
        absent: percent_field(t, table.absent_day),
        cap: percent_field(t, table.monthly_cap),
        make_up: table.make_up_minutes,
        edits: page.principal.is_institution_admin(),
    })
}

/// The windows of one kind from the typed last minutes (`{kind}_to_1..3`) and percentages
/// (`{kind}_pct_1..4`); each problem is named by its input.
fn bands(kind: &str, typed: &HashMap<String, String>, problems: &mut Vec<FieldProblem>) -> [Band; 4] {
    let field = |name: String| typed.get(&name).map(String::as_str).unwrap_or_default().to_string();
    let mut out = [Band { from_minutes: 1, to_minutes: None, deduction: BasisPoints(0) }; 4];
    let mut from = 1;
    for (i, band) in out.iter_mut().enumerate() {
        let n = i + 1;
        band.from_minutes = from;
        let pct = format!("{kind}_pct_{n}");
        match BasisPoints::parse_percent(&field(pct.clone())) {
            Some(bp) if bp > BasisPoints::HUNDRED_PERCENT => {
                problems.push(FieldProblem::new(&pct, &TableError::TooLarge))
            }
            Some(bp) => band.deduction = bp,
            None => problems.push(FieldProblem::new(&pct, &Rule::NotANumber)),
        }
        if n == 4 {
            break;
        }
        let to = format!("{kind}_to_{n}");
        match field(to.clone()).trim().parse::<u32>() {
            Ok(last) if last >= from => {
                band.to_minutes = Some(last);
                from = last + 1;
            }
            Ok(_) => {
                problems.push(FieldProblem::new(&to, &TableError::Gap));
                band.to_minutes = Some(from);
                from += 1;
            }
            Err(_) => {
                problems.push(FieldProblem::new(&to, &Rule::NotANumber));
                band.to_minutes = Some(from);
                from += 1;
            }
        }
    }
    out
}

/// The typed table as the use case's input: a shipped preset when it is exactly one.
fn input_of(pairs: Vec<(String, String)>) -> Result<DisciplineInput, AppError> {
    let typed: HashMap<String, String> = pairs.into_iter().collect();
    let mut problems = Vec::new();
    let late = bands("late", &typed, &mut problems);
    let early = bands("early", &typed, &mut problems);
    let mut percent = |name: &str| {
        let text = typed.get(name).map(String::as_str).unwrap_or_default();
        match BasisPoints::parse_percent(text) {
            Some(bp) if bp <= BasisPoints::HUNDRED_PERCENT => bp,
            Some(_) => {
                problems.push(FieldProblem::new(name, &TableError::TooLarge));
                BasisPoints(0)
            }
            None => {
                problems.push(FieldProblem::new(name, &Rule::NotANumber));
                BasisPoints(0)
            }
        }
    };
    let absent_day = percent("absent_pct");
    let monthly_cap = percent("cap_pct");
    let make_up_minutes = match typed.get("make_up_minutes").map(|m| m.trim()).unwrap_or_default() {
        "" => 0,
        text => text.parse().unwrap_or_else(|_| {
            problems.push(FieldProblem::new("make_up_minutes", &Rule::NotANumber));
            0
        }),
    };
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let table = DisciplineTable { late, early, absent_day, monthly_cap, make_up_minutes };
    Ok(match [Preset::Kementan, Preset::Kemenkeu].into_iter().find(|p| p.table() == table) {
        Some(preset) => DisciplineInput::Preset(preset),
        None => DisciplineInput::Table(table),
    })
}

/// The page again, to show what is now in force.
fn reload(t: Tr) -> Response {
    let mut response = saved(t);
    response.headers_mut().insert("hx-redirect", HeaderValue::from_static("/admin/potongan"));
    response
}

pub async fn save(
    State(state): State<AppState>,
    page: Page<InstitutionAdmin>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let preset = pairs.iter().find(|(k, _)| k == "preset").map(|(_, v)| v.clone());
    let input = match preset.as_deref() {
        Some("kementan") => Ok(DisciplineInput::Preset(Preset::Kementan)),
        Some("kemenkeu") => Ok(DisciplineInput::Preset(Preset::Kemenkeu)),
        Some(_) => Err(AppError::field("preset", &Rule::UnknownChoice)),
        None => input_of(pairs),
    };
    let result = async { discipline::set(&state.app, &page.principal, input?, &page.meta).await };
    match result.await {
        Ok(_) => reload(page.t),
        Err(e) => failed(page.t, e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hadir_domain::Lang;

    const ID: Tr = Tr { lang: Lang::Id };

    /// The form as the page shows a table.
    fn typed(table: &DisciplineTable) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (kind, bands) in [("late", &table.late), ("early", &table.early)] {
            for (i, line) in lines(ID, "", bands).into_iter().enumerate() {
                out.push((format!("{kind}_pct_{}", i + 1), line.percent));
                if i < 3 {
                    out.push((format!("{kind}_to_{}", i + 1), line.to));
                }
            }
        }
        out.push(("absent_pct".into(), percent_field(ID, table.absent_day)));
        out.push(("cap_pct".into(), percent_field(ID, table.monthly_cap)));
        out.push(("make_up_minutes".into(), table.make_up_minutes.to_string()));
        out
    }

    fn set(form: &mut [(String, String)], name: &str, value: &str) {
        form.iter_mut().find(|(k, _)| k == name).unwrap().1 = value.into();
    }

    #[test]
    fn a_preset_typed_back_is_that_preset_and_a_change_makes_a_table_of_ones_own() {
        assert!(matches!(input_of(typed(&DisciplineTable::kemenkeu())), Ok(DisciplineInput::Preset(Preset::Kemenkeu))));
        let mut form = typed(&DisciplineTable::kementan());
        set(&mut form, "late_to_1", "15");
        set(&mut form, "early_pct_3", "1,75");
        let Ok(DisciplineInput::Table(table)) = input_of(form) else { panic!("a table of its own") };
        assert_eq!((table.late[0].to_minutes, table.late[1].from_minutes), (Some(15), 16));
        assert_eq!(table.early[2].deduction, BasisPoints(175));
        assert_eq!(table.late[3].to_minutes, None);
        assert_eq!(table.validate(), Ok(()));
    }

    #[test]
    fn each_problem_names_its_input() {
        let mut form = typed(&DisciplineTable::kementan());
        set(&mut form, "late_to_2", "20");
        set(&mut form, "early_pct_4", "dua");
        set(&mut form, "cap_pct", "150");
        let Err(AppError::Invalid(problems)) = input_of(form) else { panic!("refused") };
        let fields: Vec<_> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["late_to_2", "early_pct_4", "cap_pct"]);
    }
}
