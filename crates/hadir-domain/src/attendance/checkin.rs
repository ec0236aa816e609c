//! Evaluating one check-in attempt: which work location it matches, which fraud signals it
//! raises, and — by the institution's policy — whether it is accepted, sent for review or
//! rejected. Server time is authoritative; the phone's clock is only compared with it.

use super::policy::{AttendancePolicy, Signal, SignalAction};
use super::status::CheckMode;
use crate::geo::{GeoPoint, Geofence};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// Checking in (*absen masuk*) or out (*absen pulang*).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    In,
    Out,
}

impl EventKind {
    /// The name stored in the database, the same as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::In => "in",
            EventKind::Out => "out",
        }
    }
}

/// What the phone reports.
#[derive(Clone, Debug, PartialEq)]
pub struct Attempt {
    pub mode: CheckMode,
    pub point: Option<GeoPoint>,
    pub accuracy_m: Option<f64>,
    /// The phone says the location comes from a mock provider.
    pub mock_location: bool,
    /// The phone's clock when it sent the attempt.
    pub device_time: DateTime<Utc>,
    /// When an offline attempt was made, by the phone's clock; `None` for a live attempt.
    pub offline_at: Option<DateTime<Utc>>,
}

/// An assigned work location.
#[derive(Clone, Copy, Debug)]
pub struct Site<'a> {
    pub id: &'a str,
    pub fence: &'a Geofence,
}

/// The result of checking a scanned kiosk token (see [`super::qr`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QrCheck {
    /// Made with this institution's secret for the current or previous slot.
    Valid { location_id: String, already_used: bool },
    /// Forged, from another institution, or expired.
    Invalid,
}

/// What the server knows when the attempt arrives.
#[derive(Clone, Debug)]
pub struct Context<'a> {
    pub now: DateTime<Utc>,
    pub sites: &'a [Site<'a>],
    /// The phone is one of the person's approved devices.
    pub registered_device: bool,
    /// The person's previous accepted event: when and where.
    pub previous: Option<(DateTime<Utc>, GeoPoint)>,
    pub qr: Option<QrCheck>,
    /// The photo's bytes equal an earlier event's.
    pub duplicate_photo: bool,
    /// The person has not given the consent selfies rest on: none is taken (see
    /// [`crate::consent::photos_allowed`]).
    pub photo_withheld: bool,
    pub policy: &'a AttendancePolicy,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Accepted,
    NeedsReview,
    Rejected,
}

impl Outcome {
    /// The outcomes of the events that count: all but a rejection.
    pub const COUNTED: [Outcome; 2] = [Outcome::Accepted, Outcome::NeedsReview];

    /// The name stored in the database, the same as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Accepted => "accepted",
            Outcome::NeedsReview => "needs_review",
            Outcome::Rejected => "rejected",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Evaluation {
    pub location_id: Option<String>,
    /// Distance to the matched or nearest location's reference point, in metres.
    pub distance_m: Option<f64>,
    pub signals: Vec<Signal>,
    pub outcome: Outcome,
    /// When the attendance happened: now, or the offline attempt's time.
    pub occurred_at: DateTime<Utc>,
    pub offline: bool,
}

/// A jump of more than this within the same second is impossible at any speed.
const SAME_MOMENT_TOLERANCE_M: f64 = 100.0;

fn impossible_travel(previous: (DateTime<Utc>, GeoPoint), at: DateTime<Utc>, point: GeoPoint, max_kmh: u32) -> bool {
    let metres = previous.1.distance_m(point);
    let seconds = (at - previous.0).num_milliseconds().abs() as f64 / 1000.0;
    if seconds < 1.0 {
        return metres > SAME_MOMENT_TOLERANCE_M;
    }
    metres / seconds * 3.6 > f64::from(max_kmh)
}

/// The first site containing the point, or else the nearest one with `inside = false`.
fn match_site<'a>(sites: &[Site<'a>], point: GeoPoint) -> Option<(&'a str, f64, bool)> {
    if let Some(site) = sites.iter().find(|s| s.fence.contains(point)) {
        return Some((site.id, site.fence.distance_to_center_m(point), true));
    }
    sites.iter().map(|s| (s.id, s.fence.distance_to_center_m(point), false)).min_by(|a, b| a.1.total_cmp(&b.1))
}

pub fn evaluate(attempt: &Attempt, ctx: &Context<'_>) -> Evaluation {
    let policy = ctx.policy;
    let mut signals = Vec::new();
    let occurred_at = attempt.offline_at.unwrap_or(ctx.now);
    if attempt.offline_at.is_some_and(|at| ctx.now - at > Duration::hours(i64::from(policy.offline_window_hours))) {
        signals.push(Signal::StaleOffline);
    }
    let skew = (attempt.device_time - ctx.now).num_seconds().abs();
    let future_offline =
        attempt.offline_at.is_some_and(|at| at - ctx.now > Duration::seconds(i64::from(policy.max_clock_skew_secs)));
    if skew > i64::from(policy.max_clock_skew_secs) || future_offline {
        signals.push(Signal::ClockSkew);
    }
    if !ctx.registered_device {
        signals.push(Signal::UnregisteredDevice);
    }
    if attempt.mock_location {
        signals.push(Signal::MockLocation);
    }
    if attempt.accuracy_m.is_some_and(|a| a > f64::from(policy.max_accuracy_m)) {
        signals.push(Signal::PoorAccuracy);
    }
    if let (Some(previous), Some(point)) = (ctx.previous, attempt.point)
        && impossible_travel(previous, occurred_at, point, policy.max_speed_kmh)
    {
        signals.push(Signal::ImpossibleTravel);
    }
    if ctx.duplicate_photo {
        signals.push(Signal::DuplicatePhoto);
    }

    let (mut location_id, mut distance_m) = (None, None);
    match attempt.mode {
        CheckMode::Qr => match &ctx.qr {
            Some(QrCheck::Valid { location_id: scanned, already_used }) => {
                if ctx.sites.iter().any(|s| s.id == scanned) {
                    location_id = Some(scanned.clone());
                } else {
                    signals.push(Signal::ForeignQr);
                }
                if *already_used {
                    signals.push(Signal::ReplayedQr);
                }
            }
            Some(QrCheck::Invalid) | None => signals.push(Signal::ForeignQr),
        },
        CheckMode::Office | CheckMode::Wfh | CheckMode::Duty => {
            if ctx.photo_withheld {
                signals.push(Signal::NoPhoto);
            }
            match attempt.point.and_then(|p| match_site(ctx.sites, p)) {
                Some((id, distance, inside)) => {
                    location_id = inside.then(|| id.to_string());
                    distance_m = Some(distance);
                    if !inside {
                        signals.push(Signal::OutsideGeofence);
                    }
                }
                None => signals.push(Signal::OutsideGeofence),
            }
        }
    }
    signals.sort();
    signals.dedup();
    let outcome = if signals.iter().any(|s| policy.action(*s) == SignalAction::Reject) {
        Outcome::Rejected
    } else if signals.is_empty() {
        Outcome::Accepted
    } else {
        Outcome::NeedsReview
    };
    Evaluation { location_id, distance_m, signals, outcome, occurred_at, offline: attempt.offline_at.is_some() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_names_are_the_json_names() {
        let json = |v: serde_json::Value| v.as_str().unwrap().to_string();
        for kind in [EventKind::In, EventKind::Out] {
            assert_eq!(kind.as_str(), json(serde_json::to_value(kind).unwrap()));
        }
        for outcome in [Outcome::Accepted, Outcome::NeedsReview, Outcome::Rejected] {
            assert_eq!(outcome.as_str(), json(serde_json::to_value(outcome).unwrap()));
        }
        for mode in [CheckMode::Office, CheckMode::Wfh, CheckMode::Duty, CheckMode::Qr] {
            assert_eq!(mode.as_str(), json(serde_json::to_value(mode).unwrap()));
            assert_eq!(CheckMode::parse(mode.as_str()), Some(mode));
        }
        assert_eq!(CheckMode::parse("Office"), None);
    }

    #[test]
    fn every_outcome_but_a_rejection_counts() {
        for outcome in [Outcome::Accepted, Outcome::NeedsReview, Outcome::Rejected] {
            // A new outcome stops this compiling until it is put on one side.
            let counts = match outcome {
                Outcome::Accepted | Outcome::NeedsReview => true,
                Outcome::Rejected => false,
            };
            assert_eq!(Outcome::COUNTED.contains(&outcome), counts, "{outcome:?}");
        }
    }

    fn now() -> DateTime<Utc> {
        "2026-03-02T00:25:00Z".parse().unwrap()
    }

    fn office() -> Geofence {
        Geofence::circle(GeoPoint::new(-3.8215, 102.287).unwrap(), 150.0).unwrap()
    }

    fn attempt(lat: f64, lon: f64) -> Attempt {
        Attempt {
            mode: CheckMode::Office,
            point: Some(GeoPoint::new(lat, lon).unwrap()),
            accuracy_m: Some(12.0),
            mock_location: false,
            device_time: now(),
            offline_at: None,
        }
    }

    fn run(a: &Attempt, tweak: impl FnOnce(&mut Context)) -> Evaluation {
        run_under(&AttendancePolicy::default(), a, tweak)
    }

    fn run_under(policy: &AttendancePolicy, a: &Attempt, tweak: impl FnOnce(&mut Context)) -> Evaluation {
        let fence = office();
        let sites = [Site { id: "kantor", fence: &fence }];
        let mut ctx = Context {
            now: now(),
            sites: &sites,
            registered_device: true,
            previous: None,
            qr: None,
            duplicate_photo: false,
            photo_withheld: false,
            policy,
        };
        tweak(&mut ctx);
        evaluate(a, &ctx)
    }

    #[test]
    fn inside_the_fence_on_a_registered_phone_is_accepted() {
        let e = run(&attempt(-3.8216, 102.2871), |_| {});
        assert_eq!((e.outcome, e.location_id.as_deref(), e.signals.len()), (Outcome::Accepted, Some("kantor"), 0));
        assert!(e.distance_m.unwrap() < 20.0);
    }

    #[test]
    fn each_signal_is_raised_and_the_policy_decides() {
        // ~1.1 km away: outside, reviewed by default.
        let e = run(&attempt(-3.8315, 102.287), |_| {});
        assert_eq!((e.outcome, e.signals.clone()), (Outcome::NeedsReview, vec![Signal::OutsideGeofence]));
        assert!(e.location_id.is_none() && e.distance_m.unwrap() > 1000.0);

        let e = run(&attempt(-3.8216, 102.2871), |c| c.registered_device = false);
        assert_eq!((e.outcome, e.signals.clone()), (Outcome::Rejected, vec![Signal::UnregisteredDevice]));

        let mut a = attempt(-3.8216, 102.2871);
        a.accuracy_m = Some(250.0);
        a.mock_location = true;
        a.device_time = now() + Duration::minutes(10);
        let e = run(&a, |c| c.duplicate_photo = true);
        assert_eq!(
            e.signals,
            vec![Signal::PoorAccuracy, Signal::ClockSkew, Signal::DuplicatePhoto, Signal::MockLocation]
        );
        assert_eq!(e.outcome, Outcome::NeedsReview);
    }

    #[test]
    fn a_selfie_withheld_for_want_of_consent_goes_to_the_supervisor_even_where_refusals_are_strict() {
        let mut policy = AttendancePolicy::default();
        policy.actions.insert(Signal::NoPhoto, SignalAction::Reject);
        let e = run_under(&policy, &attempt(-3.8216, 102.2871), |c| c.photo_withheld = true);
        assert_eq!(
            (e.outcome, e.signals, e.location_id.as_deref()),
            (Outcome::NeedsReview, vec![Signal::NoPhoto], Some("kantor"))
        );
        // The kiosk's code needs no selfie: nothing to confirm.
        let mut qr = attempt(-3.8216, 102.2871);
        qr.mode = CheckMode::Qr;
        let e = run_under(&policy, &qr, |c| {
            c.photo_withheld = true;
            c.qr = Some(QrCheck::Valid { location_id: "kantor".into(), already_used: false });
        });
        assert_eq!(e.outcome, Outcome::Accepted);
    }

    #[test]
    fn offline_attempts_keep_their_time_within_the_window() {
        let mut a = attempt(-3.8216, 102.2871);
        a.offline_at = Some(now() - Duration::hours(3));
        let e = run(&a, |_| {});
        assert_eq!((e.outcome, e.offline, e.occurred_at), (Outcome::Accepted, true, now() - Duration::hours(3)));
        a.offline_at = Some(now() - Duration::hours(25));
        let e = run(&a, |_| {});
        assert_eq!((e.outcome, e.signals), (Outcome::Rejected, vec![Signal::StaleOffline]));
        a.offline_at = Some(now() + Duration::hours(1));
        assert!(run(&a, |_| {}).signals.contains(&Signal::ClockSkew), "made in the future");
    }

    #[test]
    fn impossible_travel_from_the_previous_event() {
        let a = attempt(-3.8216, 102.2871);
        // 5 minutes after an event in Jakarta, ~650 km away.
        let jakarta = GeoPoint::new(-6.2, 106.8167).unwrap();
        let e = run(&a, |c| c.previous = Some((now() - Duration::minutes(5), jakarta)));
        assert!(e.signals.contains(&Signal::ImpossibleTravel));
        let e = run(&a, |c| c.previous = Some((now() - Duration::hours(6), jakarta)));
        assert!(!e.signals.contains(&Signal::ImpossibleTravel), "a flight's worth of time");
    }

    #[test]
    fn qr_tokens_match_assigned_locations_once() {
        let mut a = attempt(-3.8216, 102.2871);
        a.mode = CheckMode::Qr;
        a.point = None;
        let valid = |used| Some(QrCheck::Valid { location_id: "kantor".into(), already_used: used });
        let e = run(&a, |c| c.qr = valid(false));
        assert_eq!((e.outcome, e.location_id.as_deref()), (Outcome::Accepted, Some("kantor")));
        let e = run(&a, |c| c.qr = valid(true));
        assert_eq!((e.outcome, e.signals), (Outcome::Rejected, vec![Signal::ReplayedQr]));
        let e = run(&a, |c| c.qr = Some(QrCheck::Valid { location_id: "gudang".into(), already_used: false }));
        assert_eq!((e.outcome, e.signals), (Outcome::Rejected, vec![Signal::ForeignQr]));
        let e = run(&a, |c| c.qr = Some(QrCheck::Invalid));
        assert_eq!(e.signals, vec![Signal::ForeignQr]);
    }
}
