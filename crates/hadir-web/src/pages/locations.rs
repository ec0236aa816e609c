//! Work locations in the admin console: the list, and a form for a circle (centre and radius)
//! or a polygon (one "latitude, longitude" corner per line) whose preview is redrawn as the
//! administrator types.

use super::fence_map;
use super::login::Chrome;
use super::session::{Page, escape, failed, saved};
use super::{Tr, render};
use crate::AppState;
use crate::guard::Admin;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use hadir_app::locations::{self, LocationInput, LocationView};
use hadir_app::{AppError, FieldProblem, Rule, units};
use hadir_domain::Explain;
use hadir_domain::geo::{Geofence, GeofenceInput, RawPoint};
use hadir_domain::time_zone::WorkZone;
use serde::Deserialize;

pub struct LocationLine {
    pub id: String,
    pub name: String,
    pub zone: &'static str,
    pub shape: String,
    pub unit: String,
}

fn shape_summary(t: Tr, fence: &Geofence) -> String {
    match fence {
        Geofence::Circle { radius_m, .. } => format!("{} {radius_m:.0} m", t.get("fence-circle")),
        Geofence::Polygon { points } => {
            format!("{} · {} {}", t.get("fence-polygon"), points.len(), t.get("fence-corners"))
        }
    }
}

#[derive(Template)]
#[template(path = "admin_locations.html")]
struct ListPage {
    c: Chrome,
    rows: Vec<LocationLine>,
}

/// The locations in the admin's reach (those of their units, and the institution's shared ones
/// for an institution administrator).
pub async fn list(State(state): State<AppState>, page: Page<Admin>) -> Response {
    let (t, p) = (page.t, &page.principal);
    let loaded = async {
        let all = locations::list(&state.app, p).await?;
        let units = units::list(&state.app, p).await?;
        Ok::<_, AppError>((page.own_name(&state.app).await?, all, units))
    };
    let (name, all, units) = match loaded.await {
        Ok(v) => v,
        Err(e) => return failed(t, e),
    };
    let rows = all
        .into_iter()
        .filter(|l| p.admin_scope.covers_unit(l.unit_id.as_ref()))
        .map(|l| LocationLine {
            zone: l.time_zone.abbreviation(),
            shape: shape_summary(t, &l.geofence),
            unit: l
                .unit_id
                .as_ref()
                .and_then(|u| units.iter().find(|x| &x.id == u))
                .map(|u| u.code.clone())
                .unwrap_or_default(),
            name: l.name,
            id: l.id,
        })
        .collect();
    render(&ListPage { c: Chrome::of(&page, name, "/admin/lokasi"), rows })
}

/// The location form as typed.
#[derive(Default, Deserialize)]
pub struct LocationFields {
    #[serde(default)]
    name: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    unit_id: String,
    #[serde(default)]
    time_zone: String,
    /// `circle` or `polygon`.
    #[serde(default)]
    shape: String,
    #[serde(default)]
    lat: String,
    #[serde(default)]
    lon: String,
    #[serde(default)]
    radius_m: String,
    /// One "lat, lon" per line.
    #[serde(default)]
    points: String,
}

fn number(field: &str, text: &str) -> Result<f64, FieldProblem> {
    text.trim()
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite())
        .ok_or_else(|| FieldProblem::new(field, &Rule::NotANumber))
}

/// The typed shape as the use case's input; a number that is not one is that field's problem.
fn fence_input(f: &LocationFields) -> Result<GeofenceInput, FieldProblem> {
    if f.shape == "polygon" {
        let points = f
            .points
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|line| {
                let (lat, lon) = line.split_once([',', ';', ' ', '\t']).unwrap_or((line, ""));
                Ok(RawPoint { lat: number("points", lat)?, lon: number("points", lon)? })
            })
            .collect::<Result<Vec<_>, _>>()?;
        return Ok(GeofenceInput::Polygon { points });
    }
    let center = RawPoint { lat: number("lat", &f.lat)?, lon: number("lon", &f.lon)? };
    Ok(GeofenceInput::Circle { center, radius_m: number("radius_m", &f.radius_m)? })
}

fn input_of(f: LocationFields) -> Result<LocationInput, AppError> {
    let geofence = fence_input(&f).map_err(|p| AppError::Invalid(vec![p]))?;
    let time_zone = WorkZone::parse(&f.time_zone).ok_or_else(|| AppError::field("time_zone", &Rule::UnknownChoice))?;
    Ok(LocationInput {
        name: f.name,
        address: Some(f.address),
        unit_id: Some(f.unit_id).filter(|u| !u.is_empty()),
        time_zone,
        geofence,
    })
}

#[derive(Template)]
#[template(path = "admin_location.html")]
struct FormPage {
    c: Chrome,
    id: Option<String>,
    f: LocationFields,
    units: Vec<(String, String)>,
    zones: Vec<&'static str>,
    preview: String,
}

async fn form_page(state: &AppState, page: &Page<Admin>, id: Option<String>, f: LocationFields) -> Response {
    let p = &page.principal;
    let loaded = async {
        let units = units::list(&state.app, p).await?;
        Ok::<_, AppError>((page.own_name(&state.app).await?, units))
    };
    let (name, units) = match loaded.await {
        Ok(v) => v,
        Err(e) => return failed(page.t, e),
    };
    let preview = preview_of(state, page.t, &f);
    render(&FormPage {
        c: Chrome::of(page, name, "/admin/lokasi"),
        id,
        f,
        units: units
            .into_iter()
            .filter(|u| p.admin_scope.covers_unit(Some(&u.id)))
            .map(|u| (u.id, format!("{} · {}", u.code, u.name)))
            .collect(),
        zones: WorkZone::ALL.iter().map(|z| z.iana()).collect(),
        preview,
    })
}

pub async fn new_form(State(state): State<AppState>, page: Page<Admin>) -> Response {
    let f = LocationFields {
        time_zone: WorkZone::Jakarta.iana().into(),
        shape: "circle".into(),
        radius_m: "100".into(),
        ..LocationFields::default()
    };
    form_page(&state, &page, None, f).await
}

pub async fn edit_form(State(state): State<AppState>, page: Page<Admin>, Path(id): Path<String>) -> Response {
    let location = match locations::get(&state.app, &page.principal, &id).await {
        Ok(l) if page.principal.admin_scope.covers_unit(l.unit_id.as_ref()) => l,
        Ok(_) => return failed(page.t, AppError::NotFound("work_location")),
        Err(e) => return failed(page.t, e),
    };
    form_page(&state, &page, Some(id), fields_of(location)).await
}

fn fields_of(l: LocationView) -> LocationFields {
    let mut f = LocationFields {
        name: l.name,
        address: l.address.unwrap_or_default(),
        unit_id: l.unit_id.unwrap_or_default(),
        time_zone: l.time_zone.iana().into(),
        ..LocationFields::default()
    };
    match l.geofence {
        Geofence::Circle { center, radius_m } => {
            f.shape = "circle".into();
            (f.lat, f.lon, f.radius_m) = (center.lat().to_string(), center.lon().to_string(), radius_m.to_string());
        }
        Geofence::Polygon { points } => {
            f.shape = "polygon".into();
            f.points = points.iter().map(|p| format!("{}, {}", p.lat(), p.lon())).collect::<Vec<_>>().join("\n");
        }
    }
    f
}

/// The preview for what is typed: the drawing, or why there is none yet.
fn preview_of(state: &AppState, t: Tr, f: &LocationFields) -> String {
    let nothing_typed = f.lat.trim().is_empty() && f.points.trim().is_empty();
    if nothing_typed {
        return format!("<p class=\"muted\">{}</p>", escape(&t.get("fence-preview-empty")));
    }
    match fence_input(f)
        .map_err(|p| p.message(t.lang).to_string())
        .and_then(|input| Geofence::try_from(input).map_err(|e| e.message(t.lang)))
    {
        Ok(fence) => fence_map::draw(&fence, state.config.map_tiles.as_ref()),
        Err(message) => format!("<p class=\"error\">{}</p>", escape(&message)),
    }
}

/// Redraws the preview as the form changes.
pub async fn preview(State(state): State<AppState>, page: Page<Admin>, Form(f): Form<LocationFields>) -> Response {
    Html(preview_of(&state, page.t, &f)).into_response()
}

/// Saved, and on to the location's own page.
fn created(t: Tr, id: &str) -> Response {
    let mut response = saved(t);
    if let Ok(to) = axum::http::HeaderValue::from_str(&format!("/admin/lokasi/{id}")) {
        response.headers_mut().insert("hx-redirect", to);
    }
    response
}

pub async fn create(State(state): State<AppState>, page: Page<Admin>, Form(f): Form<LocationFields>) -> Response {
    let result = async { locations::create(&state.app, &page.principal, input_of(f)?, &page.meta).await };
    match result.await {
        Ok(l) => created(page.t, &l.id),
        Err(e) => failed(page.t, e),
    }
}

pub async fn update(
    State(state): State<AppState>,
    page: Page<Admin>,
    Path(id): Path<String>,
    Form(f): Form<LocationFields>,
) -> Response {
    let result = async { locations::update(&state.app, &page.principal, &id, input_of(f)?, &page.meta).await };
    match result.await {
        Ok(_) => saved(page.t),
        Err(e) => failed(page.t, e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(shape: &str, lat: &str, lon: &str, radius: &str, points: &str) -> LocationFields {
        LocationFields {
            shape: shape.into(),
            lat: lat.into(),
            lon: lon.into(),
            radius_m: radius.into(),
            points: points.into(),
            ..LocationFields::default()
        }
    }

    #[test]
    fn a_circle_takes_decimal_commas_and_names_the_field_that_is_not_a_number() {
        let ok = fence_input(&typed("circle", "-3,8215", "102.287", "150", "")).unwrap();
        assert_eq!(ok, GeofenceInput::Circle { center: RawPoint { lat: -3.8215, lon: 102.287 }, radius_m: 150.0 });
        assert_eq!(fence_input(&typed("circle", "-3.8", "x", "150", "")).unwrap_err().field, "lon");
        assert_eq!(fence_input(&typed("circle", "-3.8", "102", "", "")).unwrap_err().field, "radius_m");
    }

    #[test]
    fn a_polygon_reads_one_corner_per_line_with_any_separator() {
        let lines = "-3.82, 102.28\n\n-3.83;102.29\n-3.81 102.29\r\n";
        let GeofenceInput::Polygon { points } = fence_input(&typed("polygon", "", "", "", lines)).unwrap() else {
            panic!("a polygon")
        };
        assert_eq!(points.len(), 3);
        assert_eq!(points[1], RawPoint { lat: -3.83, lon: 102.29 });
        assert_eq!(fence_input(&typed("polygon", "", "", "", "-3.82\n")).unwrap_err().field, "points");
    }
}
