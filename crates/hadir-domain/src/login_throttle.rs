//! Throttling of failed logins, per account and per client address: after too many failures in a
//! window, further attempts are refused until the lockout ends ("try again in N minutes").

use chrono::{DateTime, Duration, Utc};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ThrottlePolicy {
    pub max_failures: u32,
    pub window: Duration,
    pub lockout: Duration,
}

impl ThrottlePolicy {
    /// Per account: 5 failures in 15 minutes lock the account's logins for 15 minutes.
    pub fn per_account() -> ThrottlePolicy {
        ThrottlePolicy { max_failures: 5, window: Duration::minutes(15), lockout: Duration::minutes(15) }
    }

    /// Per client address: higher, since a whole office may share one NAT address.
    pub fn per_address() -> ThrottlePolicy {
        ThrottlePolicy { max_failures: 30, window: Duration::minutes(15), lockout: Duration::minutes(15) }
    }
}

/// What is remembered about one key's recent failures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ThrottleState {
    pub failures: u32,
    pub window_start: DateTime<Utc>,
    pub locked_until: Option<DateTime<Utc>>,
}

/// Refusal with the time left, rounded up to whole minutes for people.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Locked {
    pub retry_after: Duration,
}

impl Locked {
    pub fn minutes(self) -> i64 {
        (self.retry_after.num_seconds() + 59) / 60
    }
}

/// May an attempt go ahead now?
pub fn check(state: Option<&ThrottleState>, now: DateTime<Utc>) -> Result<(), Locked> {
    match state.and_then(|s| s.locked_until) {
        Some(until) if until > now => Err(Locked { retry_after: until - now }),
        _ => Ok(()),
    }
}

/// The state after one more failure at `now`.
pub fn after_failure(state: Option<ThrottleState>, policy: ThrottlePolicy, now: DateTime<Utc>) -> ThrottleState {
    let fresh = ThrottleState { failures: 0, window_start: now, locked_until: None };
    let mut next = match state {
        Some(s) if now - s.window_start < policy.window && s.locked_until.is_none_or(|u| u > now) => s,
        _ => fresh,
    };
    next.failures += 1;
    if next.failures >= policy.max_failures {
        next.locked_until = Some(now + policy.lockout);
    }
    next
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minute: i64) -> DateTime<Utc> {
        DateTime::<Utc>::UNIX_EPOCH + Duration::days(20_000) + Duration::minutes(minute)
    }

    #[test]
    fn fifth_failure_locks_for_fifteen_minutes() {
        let policy = ThrottlePolicy::per_account();
        let mut state = None;
        for minute in 0..4 {
            state = Some(after_failure(state, policy, at(minute)));
            assert_eq!(check(state.as_ref(), at(minute)), Ok(()));
        }
        state = Some(after_failure(state, policy, at(4)));
        let locked = check(state.as_ref(), at(4)).unwrap_err();
        assert_eq!(locked.minutes(), 15);
        assert_eq!(check(state.as_ref(), at(18)).unwrap_err().minutes(), 1);
        assert_eq!(check(state.as_ref(), at(19)), Ok(()));
    }

    #[test]
    fn failures_outside_the_window_start_over() {
        let policy = ThrottlePolicy::per_account();
        let mut state = None;
        for minute in [0, 1, 2, 3] {
            state = Some(after_failure(state, policy, at(minute)));
        }
        let state = after_failure(state, policy, at(16));
        assert_eq!(state.failures, 1);
        assert_eq!(check(Some(&state), at(16)), Ok(()));
    }

    #[test]
    fn after_a_lockout_ends_the_count_starts_over() {
        let policy = ThrottlePolicy::per_account();
        let mut state = None;
        for minute in 0..5 {
            state = Some(after_failure(state, policy, at(minute)));
        }
        let state = after_failure(state, policy, at(20));
        assert_eq!(state.failures, 1);
        assert_eq!(state.locked_until, None);
    }
}
