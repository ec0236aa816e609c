//! Points and geofences on the Earth's surface.

use crate::explain::{Explain, Lang};
use serde::{Deserialize, Serialize};

/// Mean Earth radius used by the haversine distance, in metres.
const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// A WGS84 position. Constructed only through [`GeoPoint::new`], so it is never NaN or out of range.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawPoint", into = "RawPoint")]
pub struct GeoPoint {
    lat: f64,
    lon: f64,
}

/// An unchecked position as received; becomes a [`GeoPoint`] only through [`GeoPoint::new`].
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RawPoint {
    pub lat: f64,
    pub lon: f64,
}

#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum GeoError {
    #[error("latitude must be a number between -90 and 90")]
    Latitude,
    #[error("longitude must be a number between -180 and 180")]
    Longitude,
    #[error("radius must be between {MIN_RADIUS_M} and {MAX_RADIUS_M} metres")]
    Radius,
    #[error("a polygon needs between 3 and {MAX_POLYGON_POINTS} distinct points")]
    PolygonPoints,
}

impl Explain for GeoError {
    fn code(&self) -> &'static str {
        match self {
            GeoError::Latitude => "geo_latitude",
            GeoError::Longitude => "geo_longitude",
            GeoError::Radius => "geo_radius",
            GeoError::PolygonPoints => "geo_polygon_points",
        }
    }

    fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.to_string(),
            Lang::Id => match self {
                GeoError::Latitude => "Lintang harus angka antara -90 dan 90".into(),
                GeoError::Longitude => "Bujur harus angka antara -180 dan 180".into(),
                GeoError::Radius => {
                    format!("Radius harus antara {MIN_RADIUS_M} dan {MAX_RADIUS_M} meter")
                }
                GeoError::PolygonPoints => {
                    format!("Poligon memerlukan 3 sampai {MAX_POLYGON_POINTS} titik berbeda")
                }
            },
        }
    }
}

impl TryFrom<RawPoint> for GeoPoint {
    type Error = GeoError;
    fn try_from(raw: RawPoint) -> Result<Self, GeoError> {
        GeoPoint::new(raw.lat, raw.lon)
    }
}

impl From<GeoPoint> for RawPoint {
    fn from(p: GeoPoint) -> Self {
        RawPoint { lat: p.lat, lon: p.lon }
    }
}

impl GeoPoint {
    pub fn new(lat: f64, lon: f64) -> Result<GeoPoint, GeoError> {
        if !(-90.0..=90.0).contains(&lat) {
            return Err(GeoError::Latitude);
        }
        if !(-180.0..=180.0).contains(&lon) {
            return Err(GeoError::Longitude);
        }
        Ok(GeoPoint { lat, lon })
    }

    pub fn lat(self) -> f64 {
        self.lat
    }

    pub fn lon(self) -> f64 {
        self.lon
    }

    /// Great-circle distance in metres (haversine).
    pub fn distance_m(self, other: GeoPoint) -> f64 {
        let (phi1, phi2) = (self.lat.to_radians(), other.lat.to_radians());
        let d_phi = phi2 - phi1;
        let d_lambda = (other.lon - self.lon).to_radians();
        let a = (d_phi / 2.0).sin().powi(2) + phi1.cos() * phi2.cos() * (d_lambda / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_M * a.sqrt().min(1.0).asin()
    }
}

pub const MIN_RADIUS_M: f64 = 10.0;
pub const MAX_RADIUS_M: f64 = 5_000.0;
pub const MAX_POLYGON_POINTS: usize = 200;

/// Where a check-in counts as "at the work location".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "shape", rename_all = "snake_case")]
pub enum Geofence {
    Circle {
        center: GeoPoint,
        radius_m: f64,
    },
    /// A simple polygon, vertices in order; the closing edge back to the first point is implied.
    Polygon {
        points: Vec<GeoPoint>,
    },
}

/// A geofence as received from a client, before its rules are checked; parsing it with
/// [`Geofence::try_from`] reports the broken rule as a [`GeoError`] people can read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "shape", rename_all = "snake_case")]
pub enum GeofenceInput {
    Circle { center: RawPoint, radius_m: f64 },
    Polygon { points: Vec<RawPoint> },
}

impl TryFrom<GeofenceInput> for Geofence {
    type Error = GeoError;
    fn try_from(input: GeofenceInput) -> Result<Geofence, GeoError> {
        match input {
            GeofenceInput::Circle { center, radius_m } => Geofence::circle(GeoPoint::try_from(center)?, radius_m),
            GeofenceInput::Polygon { points } => {
                Geofence::polygon(points.into_iter().map(GeoPoint::try_from).collect::<Result<_, _>>()?)
            }
        }
    }
}

impl Geofence {
    pub fn circle(center: GeoPoint, radius_m: f64) -> Result<Geofence, GeoError> {
        let fence = Geofence::Circle { center, radius_m };
        fence.validate()?;
        Ok(fence)
    }

    pub fn polygon(points: Vec<GeoPoint>) -> Result<Geofence, GeoError> {
        let fence = Geofence::Polygon { points };
        fence.validate()?;
        Ok(fence)
    }

    /// Checks what deserialisation cannot: radius bounds and polygon size.
    pub fn validate(&self) -> Result<(), GeoError> {
        match self {
            Geofence::Circle { radius_m, .. } => {
                if (MIN_RADIUS_M..=MAX_RADIUS_M).contains(radius_m) {
                    Ok(())
                } else {
                    Err(GeoError::Radius)
                }
            }
            Geofence::Polygon { points } => {
                let mut distinct = points.clone();
                distinct.dedup();
                if distinct.first() == distinct.last() && distinct.len() > 1 {
                    distinct.pop();
                }
                if (3..=MAX_POLYGON_POINTS).contains(&distinct.len()) { Ok(()) } else { Err(GeoError::PolygonPoints) }
            }
        }
    }

    pub fn contains(&self, p: GeoPoint) -> bool {
        match self {
            Geofence::Circle { center, radius_m } => center.distance_m(p) <= *radius_m,
            Geofence::Polygon { points } => polygon_contains(points, p),
        }
    }

    /// Distance from `p` to the fence's reference point: the centre of a circle, the vertex mean of a
    /// polygon. Good enough to tell a person "you are 240 m from the office".
    pub fn distance_to_center_m(&self, p: GeoPoint) -> f64 {
        match self {
            Geofence::Circle { center, .. } => center.distance_m(p),
            Geofence::Polygon { points } => {
                let n = points.len() as f64;
                let lat = points.iter().map(|q| q.lat).sum::<f64>() / n;
                let lon = points.iter().map(|q| q.lon).sum::<f64>() / n;
                GeoPoint { lat, lon }.distance_m(p)
            }
        }
    }
}

/// Ray casting on the lat/lon plane: exact enough for office-sized polygons, which never straddle
/// the antimeridian in Indonesia.
fn polygon_contains(points: &[GeoPoint], p: GeoPoint) -> bool {
    let mut inside = false;
    let mut j = points.len() - 1;
    for i in 0..points.len() {
        let (a, b) = (points[i], points[j]);
        if (a.lat > p.lat) != (b.lat > p.lat) {
            let lon_at = a.lon + (p.lat - a.lat) / (b.lat - a.lat) * (b.lon - a.lon);
            if p.lon < lon_at {
                inside = !inside;
            }
        }
        j = i;
    }
    inside
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pt(lat: f64, lon: f64) -> GeoPoint {
        GeoPoint::new(lat, lon).unwrap()
    }

    #[test]
    fn rejects_nan_and_out_of_range() {
        assert_eq!(GeoPoint::new(f64::NAN, 0.0), Err(GeoError::Latitude));
        assert_eq!(GeoPoint::new(0.0, f64::NAN), Err(GeoError::Longitude));
        assert_eq!(GeoPoint::new(90.1, 0.0), Err(GeoError::Latitude));
        assert_eq!(GeoPoint::new(0.0, -180.5), Err(GeoError::Longitude));
        assert!(serde_json::from_str::<GeoPoint>(r#"{"lat":91,"lon":1}"#).is_err());
    }

    #[test]
    fn distance_between_two_bengkulu_offices() {
        // Kantor Gubernur Bengkulu to Simpang Lima Bengkulu: about 4 km apart (3.2 km north, 2.4 km west).
        let d = pt(-3.8214, 102.2872).distance_m(pt(-3.7928, 102.2656));
        assert!((3_950.0..4_020.0).contains(&d), "{d}");
    }

    #[test]
    fn circle_boundary() {
        let center = pt(-3.8214, 102.2872);
        let fence = Geofence::circle(center, 100.0).unwrap();
        // 0.0008° of latitude is ~89 m; 0.001° is ~111 m.
        assert!(fence.contains(pt(-3.8222, 102.2872)));
        assert!(!fence.contains(pt(-3.8224, 102.2872)));
        assert_eq!(Geofence::circle(center, 5.0), Err(GeoError::Radius));
        assert_eq!(Geofence::circle(center, f64::NAN), Err(GeoError::Radius));
    }

    #[test]
    fn polygon_inside_outside_and_concave() {
        // An L-shaped compound.
        let l = Geofence::polygon(vec![
            pt(0.0, 0.0),
            pt(0.0, 0.002),
            pt(0.001, 0.002),
            pt(0.001, 0.001),
            pt(0.002, 0.001),
            pt(0.002, 0.0),
        ])
        .unwrap();
        assert!(l.contains(pt(0.0005, 0.0015)));
        assert!(l.contains(pt(0.0015, 0.0005)));
        assert!(!l.contains(pt(0.0015, 0.0015)), "the notch of the L is outside");
        assert!(!l.contains(pt(-0.0001, 0.0005)));
        assert_eq!(Geofence::polygon(vec![pt(0.0, 0.0), pt(0.0, 0.001), pt(0.0, 0.0)]), Err(GeoError::PolygonPoints));
    }

    #[test]
    fn input_is_checked_on_conversion() {
        let input: GeofenceInput =
            serde_json::from_str(r#"{"shape":"circle","center":{"lat":95,"lon":102.3},"radius_m":150}"#).unwrap();
        assert_eq!(Geofence::try_from(input), Err(GeoError::Latitude));
        let input = GeofenceInput::Polygon { points: vec![RawPoint { lat: 0.0, lon: 0.0 }] };
        assert_eq!(Geofence::try_from(input), Err(GeoError::PolygonPoints));
    }

    #[test]
    fn geofence_json_shape() {
        let json = r#"{"shape":"circle","center":{"lat":-3.8,"lon":102.3},"radius_m":150}"#;
        let fence: Geofence = serde_json::from_str(json).unwrap();
        assert!(fence.validate().is_ok());
        assert_eq!(serde_json::to_string(&fence).unwrap(), json.replace("150", "150.0"));
    }
}
