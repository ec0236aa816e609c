//! How long each class of personal data is kept (UU PDP Ps 16(2)(f), Ps 43: kept no longer than
//! its purpose needs), configurable per institution, and what is due. Pure: the caller supplies
//! the dates and the holds.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// The retention schedule of an institution, in days. Defaults follow common practice for
/// Indonesian government attendance: selfies only as long as a dispute is plausible, exact
/// coordinates a year, attendance records five years (archives), the access log two years.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RetentionPolicy {
    /// Check-in selfies (and their thumbnails) are deleted after this many days.
    pub checkin_photo_days: u32,
    /// Exact check-in coordinates are removed after this many days; whether the check-in was
    /// inside the fence, and its distance, stay.
    pub exact_location_days: u32,
    /// Check-in events themselves are deleted after this many days.
    pub attendance_record_days: u32,
    /// Entries of the access log are deleted after this many days.
    pub access_log_days: u32,
    /// Supporting documents of leave (doctor's letters: health data) are deleted this many days
    /// after the leave ended; the request itself stays with the leave records.
    pub leave_document_days: u32,
    /// Leave and absence requests are deleted this many days after the leave ended.
    pub leave_record_days: u32,
    /// A retired or rejected phone (and its registration selfie) is deleted this many days after
    /// it stopped being used or was refused.
    pub retired_device_days: u32,
    /// A deactivated person's login (account, sessions, roles) is deleted this many days after
    /// the deactivation; their records follow their own periods.
    pub departed_account_days: u32,
    /// A departed person's consent ledger is deleted this many days after their login was: the
    /// proof of consent (Ps 24) outlives the account by the time a claim could still be made.
    pub consent_ledger_days: u32,
}

impl Default for RetentionPolicy {
    fn default() -> Self {
        RetentionPolicy {
            checkin_photo_days: 90,
            exact_location_days: 365,
            attendance_record_days: 5 * 365,
            access_log_days: 2 * 365,
            leave_document_days: 365,
            leave_record_days: 5 * 365,
            retired_device_days: 90,
            departed_account_days: 90,
            consent_ledger_days: 5 * 365,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("retention periods must be 1-3650 days; photos, locations and documents no longer than their records")]
pub struct RetentionError;

impl crate::Explain for RetentionError {
    fn code(&self) -> &'static str {
        "retention_periods"
    }
    fn message(&self, lang: crate::Lang) -> String {
        match lang {
            crate::Lang::En => self.to_string(),
            crate::Lang::Id => {
                "Masa simpan 1-3650 hari; foto, lokasi dan dokumen tidak lebih lama dari catatannya".into()
            }
        }
    }
}

/// What a retention run removes from an item of a class.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    CheckinPhoto,
    ExactLocation,
    AttendanceRecord,
    AccessLog,
    LeaveDocument,
    LeaveRecord,
    RetiredDevice,
    DepartedAccount,
    /// Counted from the deactivation: the login's period, then the ledger's.
    ConsentLedger,
}

impl RetentionPolicy {
    pub fn validate(&self) -> Result<(), RetentionError> {
        let days = [
            self.checkin_photo_days,
            self.exact_location_days,
            self.attendance_record_days,
            self.access_log_days,
            self.leave_document_days,
            self.leave_record_days,
            self.retired_device_days,
            self.departed_account_days,
            self.consent_ledger_days,
        ];
        let in_range = days.iter().all(|d| (1..=3650).contains(d));
        let nested = self.checkin_photo_days <= self.attendance_record_days
            && self.exact_location_days <= self.attendance_record_days
            && self.leave_document_days <= self.leave_record_days;
        if in_range && nested { Ok(()) } else { Err(RetentionError) }
    }

    pub fn days(&self, class: Class) -> u32 {
        match class {
            Class::CheckinPhoto => self.checkin_photo_days,
            Class::ExactLocation => self.exact_location_days,
            Class::AttendanceRecord => self.attendance_record_days,
            Class::AccessLog => self.access_log_days,
            Class::LeaveDocument => self.leave_document_days,
            Class::LeaveRecord => self.leave_record_days,
            Class::RetiredDevice => self.retired_device_days,
            Class::DepartedAccount => self.departed_account_days,
            Class::ConsentLedger => self.departed_account_days + self.consent_ledger_days,
        }
    }

    /// Items of `class` created before this instant are due, unless held.
    pub fn cutoff(&self, class: Class, now: DateTime<Utc>) -> DateTime<Utc> {
        now - Duration::days(i64::from(self.days(class)))
    }
}

/// Whether an item is due for removal: older than the class's period and not under a legal hold.
pub fn due(policy: &RetentionPolicy, class: Class, created: DateTime<Utc>, now: DateTime<Utc>, held: bool) -> bool {
    !held && created < policy.cutoff(class, now)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    #[test]
    fn items_are_due_after_their_period_unless_held() {
        let p = RetentionPolicy::default();
        let now = at("2026-11-23T00:00:00Z");
        assert!(due(&p, Class::CheckinPhoto, at("2026-08-24T23:59:59Z"), now, false), "91 days old");
        assert!(!due(&p, Class::CheckinPhoto, at("2026-08-25T00:00:00Z"), now, false), "exactly 90 days");
        assert!(!due(&p, Class::CheckinPhoto, at("2026-01-01T00:00:00Z"), now, true), "held");
        assert!(due(&p, Class::ExactLocation, at("2025-11-22T00:00:00Z"), now, false));
        assert!(!due(&p, Class::AttendanceRecord, at("2022-01-01T00:00:00Z"), now, false), "five years");
        assert!(due(&p, Class::AccessLog, at("2024-11-22T00:00:00Z"), now, false));
        // Deactivated 5 years and 90 days ago: the login went after 90 days, the ledger now.
        assert!(due(&p, Class::ConsentLedger, at("2021-08-24T23:59:59Z"), now, false));
        assert!(!due(&p, Class::ConsentLedger, at("2021-08-26T00:00:00Z"), now, false));
    }

    #[test]
    fn schedules_are_validated() {
        assert_eq!(RetentionPolicy::default().validate(), Ok(()));
        let bad = RetentionPolicy { checkin_photo_days: 0, ..RetentionPolicy::default() };
        assert_eq!(bad.validate(), Err(RetentionError));
        let longer = RetentionPolicy { checkin_photo_days: 4000, ..RetentionPolicy::default() };
        assert_eq!(longer.validate(), Err(RetentionError));
        let nested =
            RetentionPolicy { exact_location_days: 2000, attendance_record_days: 1000, ..RetentionPolicy::default() };
        assert_eq!(nested.validate(), Err(RetentionError));
        let letters =
            RetentionPolicy { leave_document_days: 2000, leave_record_days: 1000, ..RetentionPolicy::default() };
        assert_eq!(letters.validate(), Err(RetentionError));
        let stored_before: RetentionPolicy = serde_json::from_str(r#"{"checkin_photo_days": 30}"#).unwrap();
        assert_eq!(stored_before.departed_account_days, 90, "a schedule saved earlier gets the new periods' defaults");
    }
}
