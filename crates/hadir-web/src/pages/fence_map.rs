//! The geofence preview: a circle or polygon drawn as SVG on the server, with a scale bar, over
//! map tiles when the operator configured a tile URL. Without one nothing leaves the
//! installation; with one, the administrator's browser (never the server) fetches the tiles.
//!
//! Everything is projected with Web Mercator at a zoom chosen so the shape fills the picture,
//! the projection slippy-map tiles use, so the shape sits where the tiles show it.

use hadir_domain::geo::{GeoPoint, Geofence};
use std::f64::consts::PI;
use std::fmt::Write;

/// The picture's side, in screen pixels.
const SIDE: f64 = 480.0;
const TILE: f64 = 256.0;
const MAX_ZOOM: i32 = 19;
/// Metres per pixel at the equator at zoom 0 (Web Mercator, 256-pixel tiles).
const EQUATOR_MPP: f64 = 156_543.033_92;

/// A tile URL template such as `https://tile.openstreetmap.org/{z}/{x}/{y}.png`.
#[derive(Clone, Debug, PartialEq)]
pub struct MapTiles {
    template: String,
    origin: String,
}

impl MapTiles {
    /// Checks the template: `https://` (or `http://`), a host, and `{z}`, `{x}`, `{y}`.
    pub fn parse(template: &str) -> Result<MapTiles, String> {
        let template = template.trim();
        let rest = template
            .strip_prefix("https://")
            .or_else(|| template.strip_prefix("http://"))
            .ok_or("map_tiles must start with https:// (or http://)")?;
        let host = rest.split('/').next().unwrap_or_default();
        let host_ok = !host.is_empty()
            && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
        if !host_ok {
            return Err("map_tiles needs a host name, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png".into());
        }
        if ["{z}", "{x}", "{y}"].iter().any(|p| !template.contains(p)) {
            return Err("map_tiles must contain {z}, {x} and {y}".into());
        }
        if template.contains(['"', '\'', '<', '>', ' ', '\\']) {
            return Err("map_tiles must not contain quotes, spaces or angle brackets".into());
        }
        let scheme_len = template.len() - rest.len();
        Ok(MapTiles { origin: template[..scheme_len + host.len()].to_string(), template: template.to_string() })
    }

    /// `https://host[:port]`: what the pages' Content-Security-Policy lets images come from.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    fn url(&self, z: i32, x: i64, y: i64) -> String {
        self.template.replace("{z}", &z.to_string()).replace("{x}", &x.to_string()).replace("{y}", &y.to_string())
    }
}

/// A position in world pixels at zoom `z`.
fn project(lat: f64, lon: f64, z: i32) -> (f64, f64) {
    let world = TILE * 2f64.powi(z);
    let x = (lon + 180.0) / 360.0 * world;
    let phi = lat.to_radians();
    let y = (1.0 - (phi.tan() + 1.0 / phi.cos()).ln() / PI) / 2.0 * world;
    (x, y)
}

fn metres_per_pixel(lat: f64, z: i32) -> f64 {
    EQUATOR_MPP * lat.to_radians().cos() / 2f64.powi(z)
}

/// Where a check-in was, with the accuracy its phone reported: drawn over the fence as evidence.
#[derive(Clone, Copy, Debug)]
pub struct Marker {
    pub at: GeoPoint,
    pub accuracy_m: f64,
}

/// The extent of what is drawn: (south, west, north, east) in degrees.
fn bounds(fence: &Geofence, marker: Option<Marker>) -> (f64, f64, f64, f64) {
    let (s, w, n, e) = fence_bounds(fence);
    let Some(m) = marker else { return (s, w, n, e) };
    let dlat = m.accuracy_m / 111_320.0;
    let dlon = m.accuracy_m / (111_320.0 * m.at.lat().to_radians().cos());
    (s.min(m.at.lat() - dlat), w.min(m.at.lon() - dlon), n.max(m.at.lat() + dlat), e.max(m.at.lon() + dlon))
}

fn fence_bounds(fence: &Geofence) -> (f64, f64, f64, f64) {
    match fence {
        Geofence::Circle { center, radius_m } => {
            let dlat = radius_m / 111_320.0;
            let dlon = radius_m / (111_320.0 * center.lat().to_radians().cos());
            (center.lat() - dlat, center.lon() - dlon, center.lat() + dlat, center.lon() + dlon)
        }
        Geofence::Polygon { points } => {
            points.iter().fold((f64::MAX, f64::MAX, f64::MIN, f64::MIN), |(s, w, n, e), p| {
                (s.min(p.lat()), w.min(p.lon()), n.max(p.lat()), e.max(p.lon()))
            })
        }
    }
}

/// The deepest zoom at which the shape (and the marker), with a margin, fit in the picture.
fn zoom_for(fence: &Geofence, marker: Option<Marker>) -> i32 {
    let (s, w, n, e) = bounds(fence, marker);
    let lat = (s + n) / 2.0;
    let height_m = (n - s) * 111_320.0;
    let width_m = (e - w) * 111_320.0 * lat.to_radians().cos();
    let extent_m = height_m.max(width_m).max(30.0) * 1.5;
    let fit = (SIDE * EQUATOR_MPP * lat.to_radians().cos() / extent_m).log2().floor();
    (fit as i32).clamp(1, MAX_ZOOM)
}

/// A scale bar no longer than a third of the picture: 1, 2 or 5 times a power of ten metres.
fn scale_bar(mpp: f64) -> (f64, String) {
    let longest = SIDE / 3.0 * mpp;
    let power = 10f64.powf(longest.log10().floor());
    let metres = [5.0, 2.0, 1.0].into_iter().map(|f| f * power).find(|m| *m <= longest).unwrap_or(power);
    let label = if metres >= 1000.0 { format!("{} km", metres / 1000.0) } else { format!("{metres} m") };
    (metres / mpp, label)
}

/// The preview's SVG markup (classes style it; the pages' CSP allows no inline style).
pub fn draw(fence: &Geofence, tiles: Option<&MapTiles>) -> String {
    draw_with(fence, None, tiles)
}

/// The fence with a check-in's position and its accuracy circle, framed to show both.
pub fn draw_with(fence: &Geofence, marker: Option<Marker>, tiles: Option<&MapTiles>) -> String {
    let z = zoom_for(fence, marker);
    let (s, w, n, e) = bounds(fence, marker);
    let (cx, cy) = project((s + n) / 2.0, (w + e) / 2.0, z);
    let (left, top) = (cx - SIDE / 2.0, cy - SIDE / 2.0);
    let mpp = metres_per_pixel((s + n) / 2.0, z);
    let mut svg = format!(
        "<svg class=\"fence-map\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"{left:.1} {top:.1} {SIDE} {SIDE}\" \
         role=\"img\"><rect class=\"map-ground\" x=\"{left:.1}\" y=\"{top:.1}\" width=\"{SIDE}\" height=\"{SIDE}\"/>"
    );
    if let Some(tiles) = tiles {
        let last = 2i64.pow(z as u32) - 1;
        let range = |from: f64| {
            ((from / TILE).floor() as i64).clamp(0, last)..=(((from + SIDE) / TILE).floor() as i64).clamp(0, last)
        };
        for ty in range(top) {
            for tx in range(left) {
                let _ = write!(
                    svg,
                    "<image href=\"{}\" x=\"{}\" y=\"{}\" width=\"{TILE}\" height=\"{TILE}\"/>",
                    tiles.url(z, tx, ty),
                    tx as f64 * TILE,
                    ty as f64 * TILE
                );
            }
        }
    }
    match fence {
        Geofence::Circle { center, radius_m } => {
            let (x, y) = project(center.lat(), center.lon(), z);
            let _ = write!(svg, "<circle class=\"fence\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{:.1}\"/>", radius_m / mpp);
        }
        Geofence::Polygon { points } => {
            let corners: Vec<String> = points
                .iter()
                .map(|p| {
                    let (x, y) = project(p.lat(), p.lon(), z);
                    format!("{x:.1},{y:.1}")
                })
                .collect();
            let _ = write!(svg, "<polygon class=\"fence\" points=\"{}\"/>", corners.join(" "));
        }
    }
    if let Some(m) = marker {
        let (x, y) = project(m.at.lat(), m.at.lon(), z);
        let _ = write!(
            svg,
            "<circle class=\"accuracy\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{:.1}\"/>\
             <circle class=\"marker\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"9\"/>",
            m.accuracy_m / mpp
        );
    } else {
        let _ = write!(svg, "<circle class=\"fence-centre\" cx=\"{cx:.1}\" cy=\"{cy:.1}\" r=\"3\"/>");
    }
    let (bar, label) = scale_bar(mpp);
    let (x0, y0) = (left + 16.0, top + SIDE - 16.0);
    let _ = write!(
        svg,
        "<line class=\"scale\" x1=\"{x0:.1}\" y1=\"{y0:.1}\" x2=\"{:.1}\" y2=\"{y0:.1}\"/>\
         <text class=\"scale\" x=\"{x0:.1}\" y=\"{:.1}\">{label}</text></svg>",
        x0 + bar,
        y0 - 6.0
    );
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use hadir_domain::geo::GeoPoint;
    use proptest::prelude::*;

    fn circle(lat: f64, lon: f64, r: f64) -> Geofence {
        Geofence::circle(GeoPoint::new(lat, lon).unwrap(), r).unwrap()
    }

    fn view_box(svg: &str) -> Vec<f64> {
        let start = svg.find("viewBox=\"").unwrap() + 9;
        svg[start..].split('"').next().unwrap().split(' ').map(|n| n.parse().unwrap()).collect()
    }

    #[test]
    fn the_projection_puts_null_island_mid_world_and_north_up() {
        assert_eq!(project(0.0, 0.0, 0), (128.0, 128.0));
        let (_, north) = project(10.0, 0.0, 3);
        let (_, south) = project(-10.0, 0.0, 3);
        assert!(north < south);
    }

    #[test]
    fn an_office_circle_fills_the_picture_at_street_zoom() {
        let svg = draw(&circle(-3.8215, 102.287, 150.0), None);
        let z = zoom_for(&circle(-3.8215, 102.287, 150.0), None);
        assert_eq!(z, 17);
        let r: f64 = svg.split("r=\"").nth(1).unwrap().split('"').next().unwrap().parse().unwrap();
        assert!((r - 150.0 / metres_per_pixel(-3.8215, z)).abs() < 0.1);
        assert!(r > SIDE / 6.0 && r < SIDE / 2.0, "the circle is neither a dot nor cut off: {r}");
        assert!(!svg.contains("<image"), "no tiles unless configured");
        assert!(svg.contains(">100 m</text>"), "{svg}");
    }

    #[test]
    fn tiles_cover_the_picture_and_come_from_the_template() {
        let tiles = MapTiles::parse("https://tile.example.org/{z}/{x}/{y}.png").unwrap();
        assert_eq!(tiles.origin(), "https://tile.example.org");
        let svg = draw(&circle(-6.1754, 106.8272, 200.0), Some(&tiles));
        let z = zoom_for(&circle(-6.1754, 106.8272, 200.0), None);
        let (x, y) = project(-6.1754, 106.8272, z);
        let centre_tile = format!("https://tile.example.org/{z}/{}/{}.png", (x / TILE) as i64, (y / TILE) as i64);
        assert!(svg.contains(&centre_tile), "{svg}");
        let count = svg.matches("<image").count();
        assert!((4..=9).contains(&count), "{count} tiles for a {SIDE} px picture");
    }

    #[test]
    fn a_check_in_far_outside_is_framed_with_its_fence() {
        let fence = circle(-3.8215, 102.287, 150.0);
        let far = Marker { at: GeoPoint::new(-3.8315, 102.287).unwrap(), accuracy_m: 25.0 };
        let svg = draw_with(&fence, Some(far), None);
        let z = zoom_for(&fence, Some(far));
        assert!(z < 17, "zoomed out to show a point 1.1 km away: {z}");
        let vb = view_box(&svg);
        let (x, y) = project(far.at.lat(), far.at.lon(), z);
        assert!(x >= vb[0] && x <= vb[0] + vb[2] && y >= vb[1] && y <= vb[1] + vb[3]);
        assert!(svg.contains("class=\"marker\"") && svg.contains("class=\"accuracy\""));
        assert!(!svg.contains("fence-centre"));
    }

    #[test]
    fn a_tile_template_must_be_a_web_address_with_all_three_numbers() {
        assert!(MapTiles::parse("tile.example.org/{z}/{x}/{y}.png").is_err());
        assert!(MapTiles::parse("https://tile.example.org/{z}/{x}.png").is_err());
        assert!(MapTiles::parse("https:///{z}/{x}/{y}.png").is_err());
        assert!(MapTiles::parse("https://t.example.org/{z}/{x}/{y}.png\"onload=\"x").is_err());
        let local = MapTiles::parse("http://127.0.0.1:8081/tiles/{z}/{x}/{y}.png").unwrap();
        assert_eq!(local.origin(), "http://127.0.0.1:8081");
    }

    #[test]
    fn scale_bars_are_round_numbers_no_longer_than_a_third() {
        assert_eq!(scale_bar(1.0).1, "100 m");
        assert_eq!(scale_bar(0.5).1, "50 m");
        assert_eq!(scale_bar(20.0).1, "2 km");
    }

    proptest! {
        /// Any valid fence anywhere in Indonesia is drawn inside the picture.
        #[test]
        fn every_vertex_lands_inside_the_picture(
            lat in -11.0f64..6.0, lon in 95.0f64..141.0,
            offsets in prop::collection::vec((-0.02f64..0.02, -0.02f64..0.02), 3..8),
        ) {
            let points: Vec<GeoPoint> =
                offsets.iter().map(|(a, b)| GeoPoint::new(lat + a, lon + b).unwrap()).collect();
            let Ok(fence) = Geofence::polygon(points.clone()) else { return Ok(()) };
            let svg = draw(&fence, None);
            let vb = view_box(&svg);
            let z = zoom_for(&fence, None);
            for p in points {
                let (x, y) = project(p.lat(), p.lon(), z);
                prop_assert!(x >= vb[0] && x <= vb[0] + vb[2] && y >= vb[1] && y <= vb[1] + vb[3]);
            }
        }
    }
}
