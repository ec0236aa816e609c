//! The unit tree in the admin console: every unit in the admin's reach, indented under its
//! parent, each row editable in place; a form adds one.

use super::login::Chrome;
use super::render;
use super::session::{Page, failed, saved};
use crate::AppState;
use crate::guard::Admin;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use hadir_app::AppError;
use hadir_app::units::{self, UnitInput, UnitPatch, UnitView};
use serde::Deserialize;

pub struct UnitLine {
    pub id: String,
    pub depth: usize,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub parent: String,
    pub active: bool,
}

impl UnitLine {
    /// The indentation that shows the tree (a CSS class per level; the CSP allows no inline style).
    pub fn indent(&self) -> usize {
        self.depth.min(5)
    }
}

#[derive(Template)]
#[template(path = "admin_units.html")]
struct UnitsPage {
    c: Chrome,
    rows: Vec<UnitLine>,
    /// The units a new or moved unit may sit under: id → "code · name".
    parents: Vec<(String, String)>,
    /// An institution administrator may add top-level units; a unit administrator only below theirs.
    top_level: bool,
}

/// Units in tree order: each parent followed by its children, by code; a unit whose parent is
/// not in the list (outside the admin's reach) starts a tree of its own.
pub fn tree_order(units: &[UnitView]) -> Vec<(usize, &UnitView)> {
    let known = |id: &Option<String>| id.as_ref().is_some_and(|p| units.iter().any(|u| &u.id == p));
    let mut roots: Vec<&UnitView> = units.iter().filter(|u| !known(&u.parent_id)).collect();
    roots.sort_by(|a, b| a.code.cmp(&b.code));
    let mut out = Vec::with_capacity(units.len());
    let mut stack: Vec<(usize, &UnitView)> = roots.into_iter().rev().map(|u| (0, u)).collect();
    while let Some((depth, unit)) = stack.pop() {
        // A cycle cannot be stored (the use case refuses one), but a page must never loop.
        if out.iter().any(|(_, u): &(usize, &UnitView)| u.id == unit.id) {
            continue;
        }
        out.push((depth, unit));
        let mut children: Vec<&UnitView> =
            units.iter().filter(|c| c.parent_id.as_deref() == Some(unit.id.as_str())).collect();
        children.sort_by(|a, b| b.code.cmp(&a.code));
        stack.extend(children.into_iter().map(|c| (depth + 1, c)));
    }
    // Units caught in a cycle have no root to hang from; they are still listed.
    let left: Vec<&UnitView> = units.iter().filter(|u| !out.iter().any(|(_, o)| o.id == u.id)).collect();
    out.extend(left.into_iter().map(|u| (0, u)));
    out
}

pub async fn list(State(state): State<AppState>, page: Page<Admin>) -> Response {
    let loaded = async {
        let all = units::list(&state.app, &page.principal).await?;
        Ok::<_, AppError>((page.own_name(&state.app).await?, all))
    };
    let (name, all) = match loaded.await {
        Ok(v) => v,
        Err(e) => return failed(page.t, e),
    };
    let p = &page.principal;
    let mine: Vec<UnitView> = all.into_iter().filter(|u| p.admin_scope.covers_unit(Some(&u.id))).collect();
    let ordered = tree_order(&mine);
    render(&UnitsPage {
        c: Chrome::of(&page, name, "/admin/unit"),
        // New and moved units go under active ones only.
        parents: ordered
            .iter()
            .filter(|(_, u)| u.active)
            .map(|(d, u)| (u.id.clone(), format!("{}{} · {}", "· ".repeat(*d), u.code, u.name)))
            .collect(),
        rows: ordered
            .iter()
            .map(|(depth, u)| UnitLine {
                id: u.id.clone(),
                depth: *depth,
                code: u.code.clone(),
                name: u.name.clone(),
                kind: u.kind.clone(),
                parent: u.parent_id.clone().unwrap_or_default(),
                active: u.active,
            })
            .collect(),
        top_level: p.is_institution_admin(),
    })
}

/// The add and edit forms' fields.
#[derive(Deserialize)]
pub struct UnitFields {
    code: String,
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    parent_id: String,
    /// `true` or `false` (the row's status); absent in the add form.
    #[serde(default)]
    active: Option<String>,
}

/// Adds a unit; the page reloads to show it in its place in the tree.
pub async fn create(State(state): State<AppState>, page: Page<Admin>, Form(f): Form<UnitFields>) -> Response {
    let kind = Some(f.kind.trim().to_string()).filter(|k| !k.is_empty()).unwrap_or_else(|| "unit".into());
    let input = UnitInput { code: f.code, name: f.name, kind, parent_id: Some(f.parent_id).filter(|p| !p.is_empty()) };
    match units::create(&state.app, &page.principal, input, &page.meta).await {
        Ok(_) => {
            let mut response = saved(page.t);
            response.headers_mut().insert("hx-refresh", axum::http::HeaderValue::from_static("true"));
            response
        }
        Err(e) => failed(page.t, e),
    }
}

/// Saves one row's changes (code, name, kind, parent).
pub async fn update(
    State(state): State<AppState>,
    page: Page<Admin>,
    Path(id): Path<String>,
    Form(f): Form<UnitFields>,
) -> Response {
    let patch = UnitPatch {
        code: Some(f.code),
        name: Some(f.name),
        kind: Some(f.kind),
        parent_id: Some(Some(f.parent_id).filter(|p| !p.is_empty())),
        active: f.active.map(|a| a == "true"),
    };
    match units::update(&state.app, &page.principal, &id, patch, &page.meta).await {
        Ok(_) => saved(page.t),
        Err(e) => failed(page.t, e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(id: &str, parent: Option<&str>, code: &str) -> UnitView {
        UnitView {
            id: id.into(),
            parent_id: parent.map(Into::into),
            code: code.into(),
            name: code.into(),
            kind: "unit".into(),
            active: true,
            created_at: 0,
            updated_at: 0,
        }
    }

    fn codes(units: &[UnitView]) -> Vec<(usize, String)> {
        tree_order(units).into_iter().map(|(d, u)| (d, u.code.clone())).collect()
    }

    #[test]
    fn children_follow_their_parent_by_code() {
        let units = vec![
            unit("b", None, "B"),
            unit("a2", Some("a"), "A.2"),
            unit("a", None, "A"),
            unit("a1", Some("a"), "A.1"),
            unit("a1x", Some("a1"), "A.1.x"),
        ];
        let expected = [(0, "A"), (1, "A.1"), (2, "A.1.x"), (1, "A.2"), (0, "B")];
        assert_eq!(codes(&units), expected.map(|(d, c)| (d, c.to_string())));
    }

    #[test]
    fn a_unit_whose_parent_is_out_of_reach_is_a_root_and_a_cycle_ends() {
        let units = vec![unit("x", Some("elsewhere"), "X"), unit("p", Some("q"), "P"), unit("q", Some("p"), "Q")];
        // X's parent is not listed; P and Q point at each other (never stored, still listed).
        assert_eq!(codes(&units), [(0, "X"), (0, "P"), (0, "Q")].map(|(d, c)| (d, c.to_string())));
    }
}
