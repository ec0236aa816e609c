//! Short-lived, per-process memory of what hot paths read on nearly every request (the attendance
//! policy, a person's check-in profile). A change made through this process forgets the entry at
//! once; one made through another process is seen when the entry expires.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Entries beyond this are swept on the next insert, so the map cannot grow without bound.
const SWEEP_ABOVE: usize = 100_000;

pub struct Recent<K, V> {
    ttl: Duration,
    entries: Mutex<HashMap<K, (Instant, V)>>,
}

impl<K: Eq + Hash, V: Clone> Recent<K, V> {
    pub fn new(ttl: Duration) -> Self {
        Recent { ttl, entries: Mutex::new(HashMap::new()) }
    }

    /// The entry under `key`, looked up by a borrowed form (`&str` for a `String` key) so that a
    /// hit allocates nothing.
    pub fn get<Q: Eq + Hash + ?Sized>(&self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        let map = self.entries.lock().ok()?;
        map.get(key).filter(|(at, _)| at.elapsed() < self.ttl).map(|(_, v)| v.clone())
    }

    pub fn put(&self, key: K, value: V) {
        if let Ok(mut map) = self.entries.lock() {
            if map.len() >= SWEEP_ABOVE {
                let ttl = self.ttl;
                map.retain(|_, (at, _)| at.elapsed() < ttl);
                if map.len() >= SWEEP_ABOVE {
                    map.clear();
                }
            }
            map.insert(key, (Instant::now(), value));
        }
    }

    /// Forgets every entry whose key matches, e.g. all of one institution's.
    pub fn forget(&self, matches: impl Fn(&K) -> bool) {
        if let Ok(mut map) = self.entries.lock() {
            map.retain(|k, _| !matches(k));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_and_can_be_forgotten() {
        let cache = Recent::new(Duration::from_millis(50));
        cache.put(("a", 1), "one");
        cache.put(("b", 1), "two");
        assert_eq!(cache.get(&("a", 1)), Some("one"));
        cache.forget(|k| k.0 == "a");
        assert_eq!(cache.get(&("a", 1)), None);
        assert_eq!(cache.get(&("b", 1)), Some("two"));
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(cache.get(&("b", 1)), None, "expired");
    }
}
