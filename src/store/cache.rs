//! A response cache that survives restarts.
//!
//! Every API call costs the user money, so the `data` object of each successful response is kept
//! in one JSON file (e.g. `<cache_dir>/responses.json`), keyed by item id. The cache is an
//! optimisation only: an unreadable or corrupt file reads as empty and is replaced by the next
//! write, and write errors are returned for logging, never to fail a lookup.
//!
//! Reads take no lock (writes replace the file by rename, so a reader sees a whole file); writes
//! are read-merge-write under a cross-process lock so concurrent refreshes lose nothing.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::fsutil::{self, PRIVATE_FILE_MODE, SidecarLock};

/// Bumped when the file layout changes; a file with another version reads as empty.
const FORMAT_VERSION: u32 = 1;

/// Entries older than this (relative to the newest entry being written) are dropped on every
/// write so the file does not grow forever. Far longer than any sensible `cache_minutes`.
pub const RETENTION: Duration = Duration::days(7);

#[derive(Debug, Clone)]
pub struct ResponseCache {
    path: PathBuf,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CachedResponse {
    pub fetched_at: DateTime<Utc>,
    /// The `data` object of the API's success envelope, as received.
    pub data: serde_json::Value,
}

#[derive(Serialize, Deserialize)]
struct CacheFile {
    version: u32,
    entries: HashMap<String, CachedResponse>,
}

impl CachedResponse {
    /// Fetched less than `max_age` before `now`. An entry up to `max_age` in the future (the clock
    /// stepped back) still counts: paying again for that would be the worse outcome.
    pub fn is_fresh(&self, max_age: Duration, now: DateTime<Utc>) -> bool {
        let age = now - self.fetched_at;
        age < max_age && age > -max_age
    }
}

impl ResponseCache {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The entry if fetched less than `max_age` before `now`. A missing, corrupt or unreadable
    /// cache file is treated as empty. Reads the whole file: for many ids use [`Self::load_all`].
    pub fn get(
        &self,
        item_id: &str,
        max_age: Duration,
        now: DateTime<Utc>,
    ) -> Option<CachedResponse> {
        self.load_all()
            .remove(item_id)
            .filter(|entry| entry.is_fresh(max_age, now))
    }

    /// Every entry, fresh or not, from one read of the file; filter with
    /// [`CachedResponse::is_fresh`]. Empty if the file is missing, corrupt or unreadable.
    pub fn load_all(&self) -> HashMap<String, CachedResponse> {
        read_entries(&self.path).unwrap_or_default()
    }

    /// Records one entry. The error is for logging only.
    pub fn put(
        &self,
        item_id: &str,
        fetched_at: DateTime<Utc>,
        data: &serde_json::Value,
    ) -> io::Result<()> {
        self.update(|entries| {
            merge(entries, item_id, fetched_at, data);
            prune_entries(entries, fetched_at - RETENTION);
        })
    }

    /// Records a batch with one lock and one write.
    pub fn put_many(&self, batch: &[(String, DateTime<Utc>, serde_json::Value)]) -> io::Result<()> {
        let Some(newest) = batch.iter().map(|(_, at, _)| *at).max() else {
            return Ok(());
        };
        self.update(|entries| {
            for (item_id, fetched_at, data) in batch {
                merge(entries, item_id, *fetched_at, data);
            }
            prune_entries(entries, newest - RETENTION);
        })
    }

    /// Drops entries fetched `max_age` or more before `now`; returns how many were dropped.
    pub fn prune(&self, max_age: Duration, now: DateTime<Utc>) -> io::Result<usize> {
        let mut dropped = 0;
        self.update(|entries| dropped = prune_entries(entries, now - max_age))?;
        Ok(dropped)
    }

    /// Read-merge-write under the lock, so concurrent writers never drop each other's entries.
    fn update(&self, change: impl FnOnce(&mut HashMap<String, CachedResponse>)) -> io::Result<()> {
        let _lock = SidecarLock::acquire(&self.path)?;
        // Corrupt or from another version: start afresh, which repairs the file.
        let mut entries = read_entries(&self.path).unwrap_or_default();
        change(&mut entries);
        let file = CacheFile {
            version: FORMAT_VERSION,
            entries,
        };
        let bytes = serde_json::to_vec(&file).map_err(io::Error::other)?;
        fsutil::write_atomic(&self.path, &bytes, PRIVATE_FILE_MODE)
    }
}

/// `None` when the file is missing or unusable; the reason is only worth a debug line.
fn read_entries(path: &Path) -> Option<HashMap<String, CachedResponse>> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return None,
        Err(e) => {
            tracing::debug!(
                "response cache {} unreadable, ignoring it: {e}",
                path.display()
            );
            return None;
        }
    };
    match serde_json::from_slice::<CacheFile>(&bytes) {
        Ok(file) if file.version == FORMAT_VERSION => Some(file.entries),
        Ok(file) => {
            tracing::debug!(
                "response cache {} has version {}, ignoring it",
                path.display(),
                file.version
            );
            None
        }
        Err(e) => {
            tracing::debug!(
                "response cache {} is corrupt, ignoring it: {e}",
                path.display()
            );
            None
        }
    }
}

/// Inserts unless a newer response for the item is already there: two refreshes finishing out of
/// order must not replace fresh data with stale.
fn merge(
    entries: &mut HashMap<String, CachedResponse>,
    item_id: &str,
    fetched_at: DateTime<Utc>,
    data: &serde_json::Value,
) {
    if entries
        .get(item_id)
        .is_some_and(|old| old.fetched_at > fetched_at)
    {
        return;
    }
    let entry = CachedResponse {
        fetched_at,
        data: data.clone(),
    };
    entries.insert(item_id.to_owned(), entry);
}

/// Drops entries fetched at or before `cutoff`; returns how many.
fn prune_entries(entries: &mut HashMap<String, CachedResponse>, cutoff: DateTime<Utc>) -> usize {
    let before = entries.len();
    entries.retain(|_, entry| entry.fetched_at > cutoff);
    before - entries.len()
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use serde_json::json;
    use std::os::unix::fs::PermissionsExt;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn setup() -> (tempfile::TempDir, ResponseCache) {
        let dir = tempfile::tempdir().unwrap();
        let cache = ResponseCache::new(dir.path().join("cache/responses.json"));
        (dir, cache)
    }

    fn mode(path: &Path) -> u32 {
        fs::metadata(path).unwrap().permissions().mode() & 0o7777
    }

    const TEN_MIN: Duration = Duration::minutes(10);

    #[test]
    fn hit_and_miss_by_age() {
        let (_dir, cache) = setup();
        let fetched = t("2026-11-20T08:00:00Z");
        cache.put("1", fetched, &json!({"play": 5})).unwrap();
        let hit = cache.get("1", TEN_MIN, t("2026-11-20T08:09:59Z")).unwrap();
        assert_eq!(hit.fetched_at, fetched);
        assert_eq!(hit.data, json!({"play": 5}));
        assert!(cache.get("1", TEN_MIN, fetched).is_some());
        assert!(cache.get("1", TEN_MIN, t("2026-11-20T08:10:00Z")).is_none());
        assert!(cache.get("2", TEN_MIN, fetched).is_none());
    }

    #[test]
    fn clock_skew_within_max_age_still_hits() {
        let entry = CachedResponse {
            fetched_at: t("2026-11-20T08:05:00Z"),
            data: json!(null),
        };
        assert!(entry.is_fresh(TEN_MIN, t("2026-11-20T08:00:00Z")));
        assert!(!entry.is_fresh(TEN_MIN, t("2026-11-20T07:50:00Z")));
    }

    #[test]
    fn missing_file_is_empty_and_not_created() {
        let (dir, cache) = setup();
        assert!(cache.get("1", TEN_MIN, Utc::now()).is_none());
        assert!(cache.load_all().is_empty());
        assert!(!dir.path().join("cache").exists());
    }

    #[test]
    fn survives_reopen() {
        let (_dir, cache) = setup();
        let fetched = t("2026-11-20T08:00:00Z");
        cache
            .put("1", fetched, &json!({"中文": "理想 🚗"}))
            .unwrap();
        let reopened = ResponseCache::new(cache.path());
        let entry = reopened.get("1", TEN_MIN, fetched).unwrap();
        assert_eq!(entry.data, json!({"中文": "理想 🚗"}));
    }

    #[test]
    fn corrupt_file_reads_as_empty_and_is_repaired_by_put() {
        let (_dir, cache) = setup();
        fs::create_dir_all(cache.path().parent().unwrap()).unwrap();
        fs::write(cache.path(), b"{\"version\":1,\"entries\":{\"1\":").unwrap();
        assert!(cache.load_all().is_empty());
        assert!(cache.get("1", TEN_MIN, Utc::now()).is_none());
        let now = t("2026-11-20T08:00:00Z");
        cache.put("2", now, &json!(2)).unwrap();
        let all = cache.load_all();
        assert_eq!(all.len(), 1);
        assert_eq!(all["2"].data, json!(2));
    }

    #[test]
    fn other_versions_and_unreadable_paths_read_as_empty() {
        let (_dir, cache) = setup();
        fs::create_dir_all(cache.path().parent().unwrap()).unwrap();
        fs::write(cache.path(), br#"{"version":99,"entries":{}}"#).unwrap();
        assert!(cache.load_all().is_empty());
        fs::remove_file(cache.path()).unwrap();
        fs::create_dir(cache.path()).unwrap();
        assert!(cache.get("1", TEN_MIN, Utc::now()).is_none());
        // A write that cannot succeed reports it instead of panicking.
        assert!(cache.put("1", Utc::now(), &json!(1)).is_err());
    }

    #[test]
    fn put_many_writes_a_batch_and_load_all_reads_it_once() {
        let (_dir, cache) = setup();
        let now = t("2026-11-20T08:00:00Z");
        let batch: Vec<_> = (0..50)
            .map(|i| (i.to_string(), now, json!({ "i": i })))
            .collect();
        cache.put_many(&batch).unwrap();
        cache.put_many(&[]).unwrap();
        let all = cache.load_all();
        assert_eq!(all.len(), 50);
        assert!(all.values().all(|e| e.is_fresh(TEN_MIN, now)));
        assert_eq!(all["7"].data, json!({ "i": 7 }));
    }

    #[test]
    fn an_older_response_never_replaces_a_newer_one() {
        let (_dir, cache) = setup();
        cache
            .put("1", t("2026-11-20T08:05:00Z"), &json!("new"))
            .unwrap();
        cache
            .put("1", t("2026-11-20T08:00:00Z"), &json!("old"))
            .unwrap();
        assert_eq!(cache.load_all()["1"].data, json!("new"));
        cache
            .put("1", t("2026-11-20T08:06:00Z"), &json!("newer"))
            .unwrap();
        assert_eq!(cache.load_all()["1"].data, json!("newer"));
    }

    #[test]
    fn writes_drop_entries_past_retention() {
        let (_dir, cache) = setup();
        cache
            .put("old", t("2026-11-01T00:00:00Z"), &json!(1))
            .unwrap();
        cache
            .put("recent", t("2026-11-15T00:00:00Z"), &json!(2))
            .unwrap();
        cache
            .put("now", t("2026-11-20T00:00:00Z"), &json!(3))
            .unwrap();
        let mut ids: Vec<_> = cache.load_all().into_keys().collect();
        ids.sort();
        assert_eq!(ids, ["now", "recent"]);
    }

    #[test]
    fn prune_drops_by_age() {
        let (_dir, cache) = setup();
        let now = t("2026-11-20T08:00:00Z");
        cache
            .put_many(&[
                ("a".into(), now - Duration::hours(2), json!(1)),
                ("b".into(), now - Duration::minutes(5), json!(2)),
            ])
            .unwrap();
        assert_eq!(cache.prune(Duration::hours(1), now).unwrap(), 1);
        assert_eq!(cache.load_all().into_keys().collect::<Vec<_>>(), ["b"]);
    }

    #[test]
    fn concurrent_puts_lose_nothing() {
        let (_dir, cache) = setup();
        let now = t("2026-11-20T08:00:00Z");
        let threads: Vec<_> = (0..8)
            .map(|thread| {
                let cache = ResponseCache::new(cache.path());
                std::thread::spawn(move || {
                    for i in 0..10 {
                        cache
                            .put(&format!("{thread}-{i}"), now, &json!([thread, i]))
                            .unwrap();
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
        let all = cache.load_all();
        assert_eq!(all.len(), 80);
        assert_eq!(all["3-7"].data, json!([3, 7]));
    }

    #[test]
    fn files_are_private() {
        let (dir, cache) = setup();
        cache.put("1", Utc::now(), &json!(1)).unwrap();
        assert_eq!(mode(cache.path()), 0o600);
        assert_eq!(mode(&dir.path().join("cache/responses.json.lock")), 0o600);
        assert_eq!(mode(&dir.path().join("cache")) & 0o777, 0o700);
    }
}
