//! How often one session may ask: a token bucket per session, in this process's memory. A
//! phone, a page or a script gets `burst` requests at once and `per_second` after that; beyond,
//! `429` with the seconds to wait. Sign-in attempts have their own lockout (`throttle`), kiosk
//! tablets their own credential; several `hadir` processes each keep their own buckets, so the
//! limit an installation enforces is per process.

use std::collections::HashMap;
use std::sync::Mutex;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    pub per_second: u32,
    pub burst: u32,
}

impl Default for RateLimit {
    /// Far above what a person's phone or pages ask (a check-in, a sync of a queue, htmx
    /// fragments), low enough to stop a loop or a scraper from holding the server.
    fn default() -> Self {
        RateLimit { per_second: 20, burst: 120 }
    }
}

#[derive(Clone, Copy, Debug)]
struct Bucket {
    tokens: f64,
    at_ms: i64,
}

/// Takes one token from `bucket` at `now_ms`, refilled at `limit.per_second` up to `limit.burst`;
/// when there is none, the milliseconds until there will be.
fn take(bucket: &mut Bucket, now_ms: i64, limit: RateLimit) -> Result<(), i64> {
    let rate = f64::from(limit.per_second) / 1000.0;
    let elapsed = (now_ms - bucket.at_ms).max(0) as f64;
    bucket.tokens = (bucket.tokens + elapsed * rate).min(f64::from(limit.burst));
    bucket.at_ms = now_ms.max(bucket.at_ms);
    if bucket.tokens >= 1.0 {
        bucket.tokens -= 1.0;
        Ok(())
    } else {
        Err(((1.0 - bucket.tokens) / rate).ceil() as i64)
    }
}

/// Buckets idle this long are full again, so they are dropped rather than kept; the sweep that
/// drops them runs at most this often, not on every request (a morning surge holds a bucket for
/// every person checking in).
const IDLE_MS: i64 = 10 * 60 * 1000;

#[derive(Default)]
struct Buckets {
    by_session: HashMap<String, Bucket>,
    swept_at_ms: i64,
}

pub struct Limiter {
    limit: Option<RateLimit>,
    buckets: Mutex<Buckets>,
}

impl Limiter {
    /// `None`: no limit.
    pub fn new(limit: Option<RateLimit>) -> Limiter {
        Limiter { limit: limit.filter(|l| l.per_second > 0 && l.burst > 0), buckets: Mutex::default() }
    }

    /// Whether `session` may ask now; if not, the whole seconds to wait (at least 1).
    pub fn check(&self, session: &str, now_ms: i64) -> Result<(), u64> {
        let Some(limit) = self.limit else { return Ok(()) };
        let Ok(mut buckets) = self.buckets.lock() else { return Ok(()) };
        if now_ms - buckets.swept_at_ms >= IDLE_MS {
            buckets.by_session.retain(|_, b| now_ms - b.at_ms < IDLE_MS);
            buckets.swept_at_ms = now_ms;
        }
        // Looked up by `&str` first: every request passes here, and only a new session needs its
        // key copied.
        if !buckets.by_session.contains_key(session) {
            let full = Bucket { tokens: f64::from(limit.burst), at_ms: now_ms };
            buckets.by_session.insert(session.to_string(), full);
        }
        let Some(bucket) = buckets.by_session.get_mut(session) else { return Ok(()) };
        take(bucket, now_ms, limit).map_err(|wait_ms| u64::try_from(wait_ms).unwrap_or(1).div_ceil(1000).max(1))
    }

    #[cfg(test)]
    fn sessions_held(&self) -> usize {
        self.buckets.lock().map(|b| b.by_session.len()).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMIT: RateLimit = RateLimit { per_second: 2, burst: 3 };

    #[test]
    fn a_burst_passes_then_the_rate_and_the_wait_is_told() {
        let limiter = Limiter::new(Some(LIMIT));
        let at = |ms| limiter.check("s", ms);
        assert_eq!((at(0), at(0), at(0)), (Ok(()), Ok(()), Ok(())));
        assert_eq!(at(0), Err(1), "half a second to the next token, said as a whole second");
        assert_eq!(at(499), Err(1));
        assert_eq!(at(500), Ok(()));
        assert_eq!(at(600), Err(1));
        assert_eq!(
            (at(60_000), at(60_000), at(60_000), at(60_000)),
            (Ok(()), Ok(()), Ok(()), Err(1)),
            "refilled to the burst, no more"
        );
    }

    #[test]
    fn sessions_have_their_own_buckets_and_no_limit_means_none() {
        let limiter = Limiter::new(Some(RateLimit { per_second: 1, burst: 1 }));
        assert_eq!((limiter.check("a", 0), limiter.check("a", 0)), (Ok(()), Err(1)));
        assert_eq!(limiter.check("b", 0), Ok(()));
        let open = Limiter::new(None);
        assert!((0..1000).all(|_| open.check("a", 0).is_ok()));
        assert!(Limiter::new(Some(RateLimit { per_second: 0, burst: 5 })).check("a", 0).is_ok(), "0 turns it off");
    }

    #[test]
    fn idle_sessions_are_swept_now_and_then() {
        let limiter = Limiter::new(Some(LIMIT));
        assert!(limiter.check("morning", IDLE_MS).is_ok(), "the first sweep, of nothing");
        assert!(limiter.check("noon", IDLE_MS + 1_000).is_ok());
        assert_eq!(limiter.sessions_held(), 2, "no sweep before its time");
        assert!(limiter.check("noon", 2 * IDLE_MS + 500).is_ok());
        assert_eq!(limiter.sessions_held(), 1, "the morning's idle bucket is gone, the busy one kept");
    }

    #[test]
    fn a_clock_going_back_takes_nothing_extra() {
        let mut bucket = Bucket { tokens: 0.0, at_ms: 10_000 };
        assert!(take(&mut bucket, 5_000, LIMIT).is_err());
        assert_eq!(bucket.at_ms, 10_000);
    }
}
