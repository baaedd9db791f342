//! Callers' resolved access, reused for a short while. Without it every request would first read the
//! caller's employee record (and a unit head's unit) from the database, which costs more than answering
//! a small query. A change of someone's unit or position reaches their requests within the time to live.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use kinerja_domain::Role;
use kinerja_store::{Actor, Scope};

/// Entries kept before the stale ones are dropped (and all of them, should none be stale).
const MOST_CALLERS: usize = 100_000;

type Entries = HashMap<(String, Role), (Instant, Actor, Scope)>;

pub(crate) struct AccessCache {
    time_to_live: Duration,
    entries: Mutex<Entries>,
}

impl AccessCache {
    /// A cache keeping entries for `time_to_live`; zero turns it off.
    pub(crate) fn new(time_to_live: Duration) -> Self {
        Self { time_to_live, entries: Mutex::new(HashMap::new()) }
    }

    pub(crate) fn get(&self, nip: &str, role: Role) -> Option<(Actor, Scope)> {
        if self.time_to_live.is_zero() {
            return None;
        }
        let entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let (resolved, actor, scope) = entries.get(&(nip.to_owned(), role))?;
        (resolved.elapsed() < self.time_to_live).then(|| (actor.clone(), scope.clone()))
    }

    pub(crate) fn put(&self, nip: &str, role: Role, actor: &Actor, scope: &Scope) {
        if self.time_to_live.is_zero() {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if entries.len() >= MOST_CALLERS {
            entries.retain(|_, (resolved, ..)| resolved.elapsed() < self.time_to_live);
            if entries.len() >= MOST_CALLERS {
                entries.clear();
            }
        }
        entries.insert((nip.to_owned(), role), (Instant::now(), actor.clone(), scope.clone()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kinerja_store::Scope;

    fn actor() -> Actor {
        Actor {
            employee_id: uuid::Uuid::nil(),
            nip: kinerja_domain::Nip::parse("199001012015011001").unwrap(),
            role: Some(Role::HrAdmin),
        }
    }

    #[test]
    fn entries_expire_and_a_zero_time_to_live_keeps_nothing() {
        let cache = AccessCache::new(Duration::from_millis(50));
        cache.put("199001012015011001", Role::HrAdmin, &actor(), &Scope::unrestricted());
        assert!(cache.get("199001012015011001", Role::HrAdmin).is_some());
        assert!(cache.get("199001012015011001", Role::Employee).is_none(), "another role is another entry");
        std::thread::sleep(Duration::from_millis(60));
        assert!(cache.get("199001012015011001", Role::HrAdmin).is_none());

        let off = AccessCache::new(Duration::ZERO);
        off.put("199001012015011001", Role::HrAdmin, &actor(), &Scope::unrestricted());
        assert!(off.get("199001012015011001", Role::HrAdmin).is_none());
    }
}
