//! An institution's attendance policy: how many phones a person may use, and for each fraud
//! signal whether it rejects a check-in or accepts it for review. Signals are always recorded on
//! the event; the policy only decides what happens next.

use crate::explain::{Explain, Lang};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Signal {
    OutsideGeofence,
    PoorAccuracy,
    ImpossibleTravel,
    UnregisteredDevice,
    ReplayedQr,
    ForeignQr,
    ClockSkew,
    StaleOffline,
    DuplicatePhoto,
    MockLocation,
    /// A selfie mode without a selfie, because the person has not given (or has withdrawn) the
    /// consent their institution bases selfies on: a supervisor confirms the check-in instead.
    /// Always reviewed, never refused: exercising a right must not cost the day.
    NoPhoto,
}

impl Signal {
    /// The signals whose action each institution chooses (all but [`Signal::NoPhoto`]).
    pub const ALL: [Signal; 10] = [
        Signal::OutsideGeofence,
        Signal::PoorAccuracy,
        Signal::ImpossibleTravel,
        Signal::UnregisteredDevice,
        Signal::ReplayedQr,
        Signal::ForeignQr,
        Signal::ClockSkew,
        Signal::StaleOffline,
        Signal::DuplicatePhoto,
        Signal::MockLocation,
    ];
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SignalAction {
    Reject,
    /// Accept the check-in as `needs_review` for a supervisor.
    Review,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AttendancePolicy {
    /// Approved phones a person may have at once; approving one more retires the oldest.
    pub max_active_devices: u8,
    /// How long after the attempt an offline check-in may still be synced.
    pub offline_window_hours: u32,
    /// GPS accuracy worse than this (metres) raises `poor_accuracy`.
    pub max_accuracy_m: u32,
    /// Device clock further than this from the server's raises `clock_skew`.
    pub max_clock_skew_secs: u32,
    /// Travel faster than this between two events raises `impossible_travel`.
    pub max_speed_kmh: u32,
    pub actions: BTreeMap<Signal, SignalAction>,
    /// A flagged check-in approved by the supervisor waits for a second approval by another
    /// administrator of the person's unit before it counts.
    pub second_review: bool,
}

impl Default for AttendancePolicy {
    fn default() -> Self {
        use Signal::*;
        use SignalAction::*;
        let actions = [
            (OutsideGeofence, Review),
            (PoorAccuracy, Review),
            (ImpossibleTravel, Review),
            (UnregisteredDevice, Reject),
            (ReplayedQr, Reject),
            (ForeignQr, Reject),
            (ClockSkew, Review),
            (StaleOffline, Reject),
            (DuplicatePhoto, Review),
            (MockLocation, Review),
        ];
        AttendancePolicy {
            max_active_devices: 1,
            offline_window_hours: 24,
            max_accuracy_m: 100,
            max_clock_skew_secs: 300,
            max_speed_kmh: 200,
            actions: actions.into_iter().collect(),
            second_review: false,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    #[error("max_active_devices must be between 1 and 5")]
    Devices,
    #[error("offline_window_hours must be between 1 and 168")]
    OfflineWindow,
    #[error("max_accuracy_m, max_clock_skew_secs and max_speed_kmh must be above zero")]
    Threshold,
    #[error("no_photo is always reviewed: a check-in without a selfie for want of consent cannot be refused")]
    NoPhotoRefused,
}

impl Explain for PolicyError {
    fn code(&self) -> &'static str {
        match self {
            PolicyError::Devices => "policy_max_active_devices",
            PolicyError::OfflineWindow => "policy_offline_window",
            PolicyError::Threshold => "policy_threshold",
            PolicyError::NoPhotoRefused => "policy_no_photo",
        }
    }

    fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.to_string(),
            Lang::Id => match self {
                PolicyError::Devices => "Jumlah perangkat aktif harus antara 1 dan 5".into(),
                PolicyError::OfflineWindow => "Batas sinkron luring harus antara 1 dan 168 jam".into(),
                PolicyError::Threshold => "Ambang akurasi, selisih jam dan kecepatan harus di atas nol".into(),
                PolicyError::NoPhotoRefused => {
                    "no_photo selalu diperiksa atasan: presensi tanpa swafoto karena persetujuan tidak diberikan tidak boleh ditolak".into()
                }
            },
        }
    }
}

impl AttendancePolicy {
    pub fn validate(&self) -> Result<(), PolicyError> {
        if !(1..=5).contains(&self.max_active_devices) {
            return Err(PolicyError::Devices);
        }
        if !(1..=168).contains(&self.offline_window_hours) {
            return Err(PolicyError::OfflineWindow);
        }
        if self.max_accuracy_m == 0 || self.max_clock_skew_secs == 0 || self.max_speed_kmh == 0 {
            return Err(PolicyError::Threshold);
        }
        if self.actions.get(&Signal::NoPhoto) == Some(&SignalAction::Reject) {
            return Err(PolicyError::NoPhotoRefused);
        }
        Ok(())
    }

    /// What a signal does; a signal missing from `actions` is reviewed, never silently accepted.
    pub fn action(&self, signal: Signal) -> SignalAction {
        if signal == Signal::NoPhoto {
            return SignalAction::Review;
        }
        self.actions.get(&signal).copied().unwrap_or(SignalAction::Review)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_cover_every_signal() {
        let policy = AttendancePolicy::default();
        assert_eq!(policy.validate(), Ok(()));
        assert_eq!(policy.actions.len(), Signal::ALL.len());
        assert_eq!(policy.action(Signal::ReplayedQr), SignalAction::Reject);
        assert_eq!(policy.action(Signal::OutsideGeofence), SignalAction::Review);
    }

    #[test]
    fn partial_json_keeps_defaults_and_unknown_signals_are_refused() {
        let policy: AttendancePolicy =
            serde_json::from_str(r#"{"max_active_devices":2,"actions":{"outside_geofence":"reject"}}"#).unwrap();
        assert_eq!(policy.max_active_devices, 2);
        assert_eq!(policy.offline_window_hours, 24);
        assert_eq!(policy.action(Signal::OutsideGeofence), SignalAction::Reject);
        assert_eq!(policy.action(Signal::ClockSkew), SignalAction::Review, "absent from the map: reviewed");
        assert!(serde_json::from_str::<AttendancePolicy>(r#"{"actions":{"teleport":"reject"}}"#).is_err());
        let bad = AttendancePolicy { max_active_devices: 0, ..AttendancePolicy::default() };
        assert_eq!(bad.validate(), Err(PolicyError::Devices));
        let refusing: AttendancePolicy = serde_json::from_str(r#"{"actions":{"no_photo":"reject"}}"#).unwrap();
        assert_eq!(refusing.validate(), Err(PolicyError::NoPhotoRefused));
        assert_eq!(refusing.action(Signal::NoPhoto), SignalAction::Review, "even if stored");
    }
}
