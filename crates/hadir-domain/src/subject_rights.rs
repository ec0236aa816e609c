//! Data-subject requests (UU PDP Ps 5–13, recorded as Ps 14 requires): the kinds, the deadlines
//! the law sets (3×24 hours, counted in hours, weekends included), and the life of a request.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    /// Access and a copy, with the processing that happened (Ps 7, Ps 32).
    Access,
    /// Correct or complete data (Ps 6, Ps 30).
    Rectification,
    /// End processing, erase, destroy (Ps 8, Ps 42–44).
    Erasure,
    /// Delay or restrict processing (Ps 11, Ps 41).
    Restriction,
    /// Object to decisions made solely by automated processing (Ps 10).
    Objection,
    /// A machine-readable copy to take elsewhere (Ps 13).
    Portability,
    /// Withdraw consent (Ps 9, Ps 40).
    ConsentWithdrawal,
}

impl RequestKind {
    pub const ALL: [RequestKind; 7] = [
        RequestKind::Access,
        RequestKind::Rectification,
        RequestKind::Erasure,
        RequestKind::Restriction,
        RequestKind::Objection,
        RequestKind::Portability,
        RequestKind::ConsentWithdrawal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RequestKind::Access => "access",
            RequestKind::Rectification => "rectification",
            RequestKind::Erasure => "erasure",
            RequestKind::Restriction => "restriction",
            RequestKind::Objection => "objection",
            RequestKind::Portability => "portability",
            RequestKind::ConsentWithdrawal => "consent_withdrawal",
        }
    }

    pub fn parse(s: &str) -> Option<RequestKind> {
        RequestKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The deadline the law sets, if it sets one: 3×24 hours for access, rectification,
    /// restriction and stopping processing after a withdrawal. Erasure, objection and
    /// portability have none stated (act without undue delay).
    pub fn deadline(self) -> Option<Duration> {
        match self {
            RequestKind::Access
            | RequestKind::Rectification
            | RequestKind::Restriction
            | RequestKind::ConsentWithdrawal => Some(Duration::hours(3 * 24)),
            RequestKind::Erasure | RequestKind::Objection | RequestKind::Portability => None,
        }
    }

    pub fn due_at(self, filed: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.deadline().map(|d| filed + d)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    Received,
    InProgress,
    /// Done, with an answer that says what was done.
    Answered,
    /// Refused, with the reason (e.g. Ps 15 exceptions, Ps 33).
    Refused,
}

impl RequestStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RequestStatus::Received => "received",
            RequestStatus::InProgress => "in_progress",
            RequestStatus::Answered => "answered",
            RequestStatus::Refused => "refused",
        }
    }

    pub fn parse(s: &str) -> Option<RequestStatus> {
        [RequestStatus::Received, RequestStatus::InProgress, RequestStatus::Answered, RequestStatus::Refused]
            .into_iter()
            .find(|k| k.as_str() == s)
    }

    pub fn is_open(self) -> bool {
        matches!(self, RequestStatus::Received | RequestStatus::InProgress)
    }

    /// Whether a request may move from `self` to `next`: forward only, and a closed request stays
    /// closed (a new request is filed instead).
    pub fn may_become(self, next: RequestStatus) -> bool {
        matches!(
            (self, next),
            (RequestStatus::Received, RequestStatus::InProgress | RequestStatus::Answered | RequestStatus::Refused)
                | (RequestStatus::InProgress, RequestStatus::Answered | RequestStatus::Refused)
        )
    }
}

/// Overdue: still open after its due time.
pub fn overdue(status: RequestStatus, due: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    status.is_open() && due.is_some_and(|d| now > d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    #[test]
    fn deadlines_are_counted_in_hours_through_weekends() {
        // Filed on Friday 16:30 WIB: due Monday 16:30 WIB, not three working days later.
        let filed = at("2026-03-06T09:30:00Z");
        assert_eq!(RequestKind::Access.due_at(filed), Some(at("2026-03-09T09:30:00Z")));
        assert_eq!(RequestKind::Rectification.due_at(filed), Some(at("2026-03-09T09:30:00Z")));
        assert_eq!(RequestKind::Erasure.due_at(filed), None, "no deadline stated");
        let due = RequestKind::Access.due_at(filed);
        assert!(!overdue(RequestStatus::Received, due, at("2026-03-09T09:30:00Z")), "at the minute");
        assert!(overdue(RequestStatus::InProgress, due, at("2026-03-09T09:30:01Z")));
        assert!(!overdue(RequestStatus::Answered, due, at("2026-03-20T00:00:00Z")), "answered is never overdue");
    }

    #[test]
    fn requests_move_forward_only() {
        use RequestStatus::*;
        assert!(Received.may_become(InProgress) && Received.may_become(Refused) && InProgress.may_become(Answered));
        assert!(!Answered.may_become(InProgress) && !Refused.may_become(Answered) && !InProgress.may_become(Received));
        for kind in RequestKind::ALL {
            assert_eq!(RequestKind::parse(kind.as_str()), Some(kind));
        }
    }
}
