//! Indonesia's time zones (DOMAIN.md §5). None observes daylight saving, so each is a fixed offset
//! and no time-zone database is needed.

use chrono::{DateTime, FixedOffset, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum WorkZone {
    #[serde(rename = "Asia/Jakarta")]
    Jakarta,
    #[serde(rename = "Asia/Pontianak")]
    Pontianak,
    #[serde(rename = "Asia/Makassar")]
    Makassar,
    #[serde(rename = "Asia/Jayapura")]
    Jayapura,
}

impl WorkZone {
    pub const ALL: [WorkZone; 4] = [WorkZone::Jakarta, WorkZone::Pontianak, WorkZone::Makassar, WorkZone::Jayapura];

    pub fn iana(self) -> &'static str {
        match self {
            WorkZone::Jakarta => "Asia/Jakarta",
            WorkZone::Pontianak => "Asia/Pontianak",
            WorkZone::Makassar => "Asia/Makassar",
            WorkZone::Jayapura => "Asia/Jayapura",
        }
    }

    pub fn parse(iana: &str) -> Option<WorkZone> {
        WorkZone::ALL.into_iter().find(|z| z.iana() == iana)
    }

    /// WIB, WITA or WIT: what people in Indonesia call the zone.
    pub fn abbreviation(self) -> &'static str {
        match self {
            WorkZone::Jakarta | WorkZone::Pontianak => "WIB",
            WorkZone::Makassar => "WITA",
            WorkZone::Jayapura => "WIT",
        }
    }

    pub fn offset(self) -> FixedOffset {
        let hours = match self {
            WorkZone::Jakarta | WorkZone::Pontianak => 7,
            WorkZone::Makassar => 8,
            WorkZone::Jayapura => 9,
        };
        FixedOffset::east_opt(hours * 3600).expect("offsets are within a day")
    }

    /// The wall-clock time at the work site for an instant.
    pub fn local(self, instant: DateTime<Utc>) -> NaiveDateTime {
        instant.with_timezone(&self.offset()).naive_local()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_instant_three_wall_clocks() {
        let instant = "2026-03-02T00:30:00Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(WorkZone::Jakarta.local(instant).to_string(), "2026-03-02 07:30:00");
        assert_eq!(WorkZone::Makassar.local(instant).to_string(), "2026-03-02 08:30:00");
        assert_eq!(WorkZone::Jayapura.local(instant).to_string(), "2026-03-02 09:30:00");
    }

    #[test]
    fn iana_round_trip() {
        for zone in WorkZone::ALL {
            assert_eq!(WorkZone::parse(zone.iana()), Some(zone));
        }
        assert_eq!(WorkZone::parse("Europe/Berlin"), None);
    }
}
