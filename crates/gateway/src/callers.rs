//! Callers' verified tokens and resolved access, reused for a short while. Without it every request
//! would first verify its token's signature and read the caller's employee record (and a unit head's
//! unit) from the database, which costs more than answering a small query. A change of someone's unit
//! or position reaches their requests within the time to live; a token is never used past its expiry.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use kinerja_store::{Actor, Scope};

/// Entries kept before the stale ones are dropped (and all of them, should none be stale).
const MOST_CALLERS: usize = 100_000;

struct Entry {
    resolved: Instant,
    /// Unix time after which the token is refused.
    valid_until: i64,
    actor: Actor,
    scope: Scope,
}

pub(crate) struct AccessCache {
    time_to_live: Duration,
    entries: Mutex<HashMap<String, Entry>>,
}

pub(crate) fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX))
}

impl AccessCache {
    /// A cache keeping entries for `time_to_live`; zero turns it off.
    pub(crate) fn new(time_to_live: Duration) -> Self {
        Self { time_to_live, entries: Mutex::new(HashMap::new()) }
    }

    /// The actor and scope resolved for `token` and the token's expiry (Unix seconds), while both the
    /// entry and the token are fresh.
    pub(crate) fn get(&self, token: &str) -> Option<(Actor, Scope, i64)> {
        if self.time_to_live.is_zero() {
            return None;
        }
        let entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let entry = entries.get(token)?;
        let fresh = entry.resolved.elapsed() < self.time_to_live && unix_now() <= entry.valid_until;
        fresh.then(|| (entry.actor.clone(), entry.scope.clone(), entry.valid_until))
    }

    pub(crate) fn put(&self, token: &str, valid_until: i64, actor: &Actor, scope: &Scope) {
        if self.time_to_live.is_zero() {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if entries.len() >= MOST_CALLERS {
            entries.retain(|_, entry| entry.resolved.elapsed() < self.time_to_live);
            if entries.len() >= MOST_CALLERS {
                entries.clear();
            }
        }
        let entry = Entry { resolved: Instant::now(), valid_until, actor: actor.clone(), scope: scope.clone() };
        entries.insert(token.to_owned(), entry);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kinerja_domain::Role;

    fn actor() -> Actor {
        Actor {
            employee_id: uuid::Uuid::nil(),
            nip: kinerja_domain::Nip::parse("199001012015011001").unwrap(),
            role: Some(Role::HrAdmin),
        }
    }

    #[test]
    fn entries_expire_with_their_time_to_live_or_their_token() {
        let cache = AccessCache::new(Duration::from_millis(50));
        let later = unix_now() + 600;
        cache.put("token-a", later, &actor(), &Scope::unrestricted());
        assert!(cache.get("token-a").is_some());
        assert!(cache.get("token-b").is_none(), "another token is another entry");
        std::thread::sleep(Duration::from_millis(60));
        assert!(cache.get("token-a").is_none(), "stale after the time to live");

        let long = AccessCache::new(Duration::from_secs(60));
        long.put("expired", unix_now() - 1, &actor(), &Scope::unrestricted());
        assert!(long.get("expired").is_none(), "never past the token's expiry");

        let off = AccessCache::new(Duration::ZERO);
        off.put("token-a", later, &actor(), &Scope::unrestricted());
        assert!(off.get("token-a").is_none());
    }
}
