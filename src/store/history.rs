//! The SQLite store: one row ("snapshot") per successful API fetch, holding the figures
//! the dashboard draws deltas and sparklines from and the part of the response a report is
//! built from (so the newest row of an item is its cache entry).
//!
//! Several processes write here at once (the dashboard, `get`, `watch refresh` from cron), so
//! the database runs in WAL mode, every write transaction is `BEGIN IMMEDIATE` (the busy
//! timeout then applies, instead of a deferred transaction failing when it upgrades its lock)
//! and migrations re-check the schema version under the write lock.
//!
//! Timestamps are stored as unix milliseconds: a `fetched_at` finer than that comes back
//! truncated to the millisecond.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, ErrorCode, OptionalExtension, Row, TransactionBehavior, params};
use serde_json::Value;

mod claims;

pub use super::Snapshot;
use super::{CacheEntry, ClaimAsk, ClaimOutcome, ClaimRow, ItemRow, Record, SharedHalt, Store};
use crate::alerts::{Alert, Observation};
use crate::trend::{DayValue, StoredTrend};

/// What can go wrong with the history; every message names the database file.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error(
        "history database {} is not a readable SQLite database; it was left untouched. \
         Move it aside (mv {} {}) and run again to start a new history.",
        .path.display(), shell_quote(.path), shell_quote(&with_suffix(.path, ".bad"))
    )]
    NotADatabase { path: PathBuf },

    #[error(
        "history database {} was written by a newer xingtu-dash (schema version {found}, \
         this version knows up to {supported}); it was left untouched. Upgrade xingtu-dash to use it.",
        .path.display()
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },

    #[error("cannot create the directory {} for the history database: {source}", .dir.display())]
    CreateDir { dir: PathBuf, source: io::Error },

    #[error("cannot read history database {}: {source}", .path.display())]
    Io { path: PathBuf, source: io::Error },

    #[error("history database {}: {source}", .path.display())]
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },

    #[error(transparent)]
    Postgres(#[from] super::postgres::PgError),
}

impl HistoryError {
    /// The shared store could not be reached: the user's network or server, not the data.
    pub fn is_unreachable(&self) -> bool {
        matches!(self, HistoryError::Postgres(e) if e.is_unreachable())
    }
}

/// How much of the database reads may map (SQLite's own cap applies; 0 would turn it off).
const MMAP_BYTES: i64 = 256 * 1024 * 1024;

/// Schema steps, in order; `PRAGMA user_version` is the number of steps applied.
/// Never edit a released step: append a new one.
const MIGRATIONS: &[&str] = &[
    // 1: the snapshots table.
    "CREATE TABLE snapshots (
         id            INTEGER PRIMARY KEY,
         item_id       TEXT    NOT NULL,
         fetched_at    INTEGER NOT NULL,
         vv_cnt        INTEGER,
         like_cnt      INTEGER,
         comment_cnt   INTEGER,
         share_cnt     INTEGER,
         collect_cnt   INTEGER,
         interact_cnt  INTEGER,
         interact_rate REAL,
         finish_rate   REAL
     );",
    // 2: the author's follower count, and the index every read goes through.
    "ALTER TABLE snapshots ADD COLUMN follower INTEGER;
     CREATE INDEX snapshots_item_time ON snapshots (item_id, fetched_at);",
    // 3: what the report is built from (JSON), so the newest row is the item's cache entry;
    // its title and creator apart, so a table row is read without parsing JSON.
    "ALTER TABLE snapshots ADD COLUMN data TEXT;
     ALTER TABLE snapshots ADD COLUMN title TEXT;
     ALTER TABLE snapshots ADD COLUMN creator TEXT;",
    // 4: Xingtu's daily series (the trend endpoint): when each item's was last fetched, and
    // its days, kept across fetches so the series grows past the endpoint's window.
    "CREATE TABLE IF NOT EXISTS trend_fetches (
         item_id    TEXT PRIMARY KEY,
         fetched_at INTEGER NOT NULL
     );
     CREATE TABLE IF NOT EXISTS trend_days (
         item_id TEXT NOT NULL,
         metric  TEXT NOT NULL,
         day     TEXT NOT NULL,
         value   REAL NOT NULL,
         PRIMARY KEY (item_id, metric, day)
     ) WITHOUT ROWID;",
    // 5: alerts: whether each rule's line is crossed for each item (so an alert fires once
    // per crossing, whichever process fetched), and the alerts fired, newest last.
    "CREATE TABLE IF NOT EXISTS alert_state (
         rule    TEXT NOT NULL,
         item_id TEXT NOT NULL,
         crossed INTEGER NOT NULL,
         PRIMARY KEY (rule, item_id)
     ) WITHOUT ROWID;
     CREATE TABLE IF NOT EXISTS alert_log (
         id    INTEGER PRIMARY KEY,
         at    INTEGER NOT NULL,
         alert TEXT NOT NULL
     );",
    // 6: batches of paid calls: when they ran (to tell overlapping processes apart) and,
    // once measured from the balance, what they cost (ten-thousandths of the currency).
    "CREATE TABLE IF NOT EXISTS spend_batches (
         id          INTEGER PRIMARY KEY,
         started_at  INTEGER NOT NULL,
         finished_at INTEGER,
         calls       INTEGER,
         cost        INTEGER,
         currency    TEXT
     );",
    // 7: coordination between processes (see `store::claims`): who is calling for which
    // item until when (or gave up, with what error), and the halt that stops everyone.
    "CREATE TABLE IF NOT EXISTS claims (
         item_id   TEXT PRIMARY KEY,
         holder    TEXT    NOT NULL,
         until     INTEGER NOT NULL,
         failed_at INTEGER,
         failure   TEXT
     ) WITHOUT ROWID;
     CREATE TABLE IF NOT EXISTS halts (
         id      INTEGER PRIMARY KEY CHECK (id = 1),
         code    INTEGER NOT NULL,
         meaning TEXT    NOT NULL,
         machine TEXT    NOT NULL,
         at      INTEGER NOT NULL
     );",
];

/// The price per call pools this many of the newest measured batches, so it follows a
/// change of the provider's price within a few runs.
pub(super) const PRICE_BATCHES: i64 = 20;

/// A batch never marked finished (its process was killed) stops counting as running after
/// this long.
pub(super) const STALE_BATCH_MS: i64 = 2 * 3_600_000;

const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Well above the few milliseconds a write holds the lock, so a cron job and the dashboard
/// writing at the same moment wait for each other instead of failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

pub(super) const MS_PER_DAY: i64 = 86_400_000;

const COLUMNS: &str = "item_id, fetched_at, vv_cnt, like_cnt, comment_cnt, share_cnt, \
                       collect_cnt, interact_cnt, interact_rate, finish_rate, follower";

/// The snapshot history, backed by one SQLite connection.
pub struct History {
    conn: Connection,
    path: PathBuf,
    _open: OpenHere,
}

/// The databases this process has connections to, with how many. Closing any file
/// descriptor of a file drops every POSIX lock the process holds on it, SQLite's included,
/// and another process may then take the database for unused (seen as "disk I/O error"). So
/// the header check, which opens and closes the file itself, runs only while this process
/// has no connection to it.
static OPEN_HERE: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

/// One entry in [`OPEN_HERE`], removed on drop.
struct OpenHere(PathBuf);

impl Drop for OpenHere {
    fn drop(&mut self) {
        let mut open = OPEN_HERE
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(i) = open.iter().position(|p| *p == self.0) {
            open.swap_remove(i);
        }
    }
}

impl History {
    /// Opens (creating parent directories and the database if missing) and migrates the
    /// history at `path`.
    ///
    /// An existing file that is not a readable SQLite database, or whose schema is newer than
    /// this binary knows, is never written to: the check only reads it.
    pub fn open(path: &Path) -> Result<History, HistoryError> {
        create_parent_dir(path)?;
        let (conn, open_here) = {
            let mut open = OPEN_HERE
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if !open.iter().any(|p| p == path) {
                check_header(path)?;
            }
            let conn = Connection::open(path).map_err(|e| open_error(path, e))?;
            open.push(path.to_owned());
            (conn, OpenHere(path.to_owned()))
        };
        conn.busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| sqlite_error(path, e))?;
        // Reads map the file instead of copying each page out of the kernel: a long
        // watchlist's rows lie on pages all over it.
        conn.pragma_update(None, "mmap_size", MMAP_BYTES)
            .map_err(|e| sqlite_error(path, e))?;
        let mut history = History {
            conn,
            path: path.to_owned(),
            _open: open_here,
        };
        history.ensure_readable()?;
        history.enable_wal()?;
        history.migrate()?;
        Ok(history)
    }

    /// Every snapshot of one item, oldest first; with `since`, only those at or after it.
    pub fn series(
        &self,
        item_id: &str,
        since: Option<DateTime<Utc>>,
    ) -> Result<Vec<Snapshot>, HistoryError> {
        let mut all = Vec::new();
        self.each_snapshot(item_id, since, &mut |s| {
            all.push(s);
            true
        })?;
        Ok(all)
    }

    /// Adds imported rows (see `legacy_cache`) in one transaction: a snapshot already stored
    /// for the same item and time only gains its report, so an import run twice, or a cache
    /// entry whose snapshot is already there, stores nothing twice.
    pub(super) fn import(&mut self, records: &[Record<'_>]) -> Result<usize, HistoryError> {
        self.write(|tx| {
            let mut fill = tx.prepare_cached(
                "UPDATE snapshots SET data = ?3, title = ?4, creator = ?5
                 WHERE item_id = ?1 AND fetched_at = ?2 AND data IS NULL",
            )?;
            let mut exists = tx.prepare_cached(
                "SELECT 1 FROM snapshots WHERE item_id = ?1 AND fetched_at = ?2 LIMIT 1",
            )?;
            let mut insert = tx.prepare_cached(INSERT)?;
            let mut added = 0;
            for r in records {
                let (id, at) = (
                    &r.snapshot.item_id,
                    r.snapshot.fetched_at.timestamp_millis(),
                );
                let data = r.data.to_string();
                let (title, creator) = texts_of(r.data);
                if fill.execute(params![id, at, data, title, creator])? > 0
                    || exists.exists(params![id, at])?
                {
                    continue;
                }
                insert_record(&mut insert, r)?;
                added += 1;
            }
            Ok(added)
        })
    }
}

const INSERT: &str = "INSERT INTO snapshots (item_id, fetched_at, vv_cnt, like_cnt, comment_cnt, \
     share_cnt, collect_cnt, interact_cnt, interact_rate, finish_rate, follower, data, title, \
     creator) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";

/// The title and creator name a report shows, as the API sent them.
pub(super) fn texts_of(data: &Value) -> (Option<&str>, Option<&str>) {
    (
        data.pointer("/video_info/title").and_then(Value::as_str),
        data.pointer("/author_info/name").and_then(Value::as_str),
    )
}

fn insert_record(
    insert: &mut rusqlite::CachedStatement<'_>,
    r: &Record<'_>,
) -> rusqlite::Result<()> {
    let s = &r.snapshot;
    let count = |field: &str, v: Option<u64>| fit_count(&s.item_id, field, v);
    let (title, creator) = texts_of(r.data);
    insert.execute(params![
        s.item_id,
        s.fetched_at.timestamp_millis(),
        count("vv_cnt", s.vv_cnt),
        count("like_cnt", s.like_cnt),
        count("comment_cnt", s.comment_cnt),
        count("share_cnt", s.share_cnt),
        count("collect_cnt", s.collect_cnt),
        count("interact_cnt", s.interact_cnt),
        s.interact_rate,
        s.finish_rate,
        count("follower", s.follower),
        r.data.to_string(),
        title,
        creator,
    ])?;
    Ok(())
}

/// SQLite integers are i64: a larger count (a bad value from the API) is stored as absent,
/// so it neither fails the batch nor reads back as a different number.
pub(super) fn fit_count(item_id: &str, field: &str, value: Option<u64>) -> Option<i64> {
    let value = value?;
    match i64::try_from(value) {
        Ok(v) => Some(v),
        Err(_) => {
            tracing::warn!(
                item = item_id,
                field,
                value,
                "count too large to store (above {}); stored as absent",
                i64::MAX
            );
            None
        }
    }
}

impl Store for History {
    fn record(&mut self, records: &[Record<'_>]) -> Result<(), HistoryError> {
        if records.is_empty() {
            return Ok(());
        }
        self.write(|tx| {
            let mut insert = tx.prepare_cached(INSERT)?;
            let mut release = tx.prepare_cached("DELETE FROM claims WHERE item_id = ?1")?;
            for r in records {
                insert_record(&mut insert, r)?;
                release.execute([&r.snapshot.item_id])?;
            }
            Ok(())
        })
    }

    fn claim(&mut self, ask: &ClaimAsk<'_>) -> Result<ClaimOutcome, HistoryError> {
        claims::claim(self, ask)
    }

    fn release(
        &mut self,
        item_id: &str,
        holder: &str,
        failure: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), HistoryError> {
        claims::release(self, item_id, holder, failure, now)
    }

    fn live_claims(&self, now: DateTime<Utc>) -> Result<Vec<(String, ClaimRow)>, HistoryError> {
        claims::live_claims(self, now)
    }

    fn record_halt(&mut self, halt: &SharedHalt) -> Result<(), HistoryError> {
        claims::record_halt(self, halt)
    }

    fn shared_halt(&self) -> Result<Option<SharedHalt>, HistoryError> {
        claims::shared_halt(self)
    }

    fn clear_halt(&mut self) -> Result<Option<SharedHalt>, HistoryError> {
        claims::clear_halt(self)
    }

    fn latest_report(&self, item_id: &str) -> Result<Option<CacheEntry>, HistoryError> {
        let row = self.run(|conn| {
            conn.prepare_cached(
                "SELECT fetched_at, data FROM snapshots WHERE item_id = ?1 AND data IS NOT NULL
                 ORDER BY fetched_at DESC, id DESC LIMIT 1",
            )?
            .query_row([item_id], |row| {
                Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?))
            })
            .optional()
        })?;
        Ok(row.and_then(|(millis, text)| {
            let fetched_at = DateTime::from_timestamp_millis(millis)?;
            match serde_json::from_str::<Value>(&text) {
                Ok(data) => Some(CacheEntry { fetched_at, data }),
                Err(e) => {
                    tracing::warn!(item = item_id, "stored report unreadable, ignoring it: {e}");
                    None
                }
            }
        }))
    }

    fn each_snapshot(
        &self,
        item_id: &str,
        since: Option<DateTime<Utc>>,
        each: &mut dyn FnMut(Snapshot) -> bool,
    ) -> Result<(), HistoryError> {
        let since_ms = since.map_or(i64::MIN, |t| t.timestamp_millis());
        self.run(|conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM snapshots
                 WHERE item_id = ?1 AND fetched_at >= ?2
                 ORDER BY fetched_at, id"
            ))?;
            let mut rows = stmt.query(params![item_id, since_ms])?;
            while let Some(row) = rows.next()? {
                if !each(snapshot_from_row(row)?) {
                    break;
                }
            }
            Ok(())
        })
    }

    fn each_newest(
        &self,
        item_ids: &[String],
        each: &mut dyn FnMut(Snapshot),
    ) -> Result<(), HistoryError> {
        self.run(|conn| {
            // One read transaction: per statement, SQLite would lock and check the file again.
            let read = conn.unchecked_transaction()?;
            let mut newest = conn.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM snapshots WHERE item_id = ?1
                 ORDER BY fetched_at DESC, id DESC LIMIT 1"
            ))?;
            for id in item_ids {
                if let Some(snapshot) = newest.query_row([id], snapshot_from_row).optional()? {
                    each(snapshot);
                }
            }
            drop(newest);
            read.commit()
        })
    }

    fn each_row(
        &self,
        item_ids: &[String],
        spark_points: usize,
        each: &mut dyn FnMut(ItemRow),
    ) -> Result<(), HistoryError> {
        let limit = i64::try_from(spark_points).unwrap_or(i64::MAX);
        self.run(|conn| {
            // One read transaction for all the rows: per statement, SQLite would take and
            // drop its shared lock and check the file again (most of the time for 10,000).
            let read = conn.unchecked_transaction()?;
            let mut newest_two = conn.prepare_cached(&format!(
                "SELECT {COLUMNS}, title, creator, data IS NOT NULL
                 FROM snapshots WHERE item_id = ?1
                 ORDER BY fetched_at DESC, id DESC LIMIT 2"
            ))?;
            let mut texts = conn.prepare_cached(
                "SELECT title, creator
                 FROM snapshots WHERE item_id = ?1 AND data IS NOT NULL
                 ORDER BY fetched_at DESC, id DESC LIMIT 1",
            )?;
            let mut views = conn.prepare_cached(
                "SELECT vv_cnt FROM snapshots WHERE item_id = ?1 AND vv_cnt IS NOT NULL
                 ORDER BY fetched_at DESC, id DESC LIMIT ?2",
            )?;
            for id in item_ids {
                let mut rows = newest_two.query([id])?;
                let Some(first) = rows.next()? else { continue };
                let newest = snapshot_from_row(first)?;
                let mut text: (Option<String>, Option<String>) =
                    (text_at(first, 11), text_at(first, 12));
                let has_report: bool = first.get(13)?;
                let previous = rows.next()?.map(snapshot_from_row).transpose()?;
                drop(rows);
                if !has_report {
                    text = texts
                        .query_row([id], |r| Ok((text_at(r, 0), text_at(r, 1))))
                        .optional()?
                        .unwrap_or_default();
                }
                // No points wanted, no query (SQLite re-plans it for every id it is bound to).
                let mut recent: Vec<u64> = if limit == 0 {
                    Vec::new()
                } else {
                    views
                        .query_map(params![id, limit], |row| row.get::<_, u64>(0))?
                        .collect::<rusqlite::Result<_>>()?
                };
                recent.reverse();
                each(ItemRow {
                    newest,
                    previous,
                    title: text.0,
                    creator: text.1,
                    views: recent,
                });
            }
            drop((newest_two, texts, views));
            read.commit()
        })
    }

    /// The newest row id, one index lookup. Pruning old rows does not move it; nothing on
    /// the watchlist depends on them.
    fn change_marker(&self) -> Result<i64, HistoryError> {
        self.run(|conn| {
            conn.query_row("SELECT coalesce(max(id), 0) FROM snapshots", [], |row| {
                row.get(0)
            })
        })
    }

    fn changed_since(&self, marker: i64) -> Result<(i64, Vec<String>), HistoryError> {
        self.run(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT item_id, max(id) FROM snapshots WHERE id > ?1 GROUP BY item_id",
            )?;
            let mut newest = marker;
            let ids = stmt
                .query_map([marker], |row| {
                    Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?))
                })?
                .map(|r| {
                    r.map(|(id, max)| {
                        newest = newest.max(max);
                        id
                    })
                })
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok((newest, ids))
        })
    }

    fn record_trend(
        &mut self,
        item_id: &str,
        fetched_at: DateTime<Utc>,
        days: &[DayValue],
    ) -> Result<(), HistoryError> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO trend_fetches (item_id, fetched_at) VALUES (?1, ?2)
                 ON CONFLICT (item_id) DO UPDATE SET fetched_at = excluded.fetched_at",
                params![item_id, fetched_at.timestamp_millis()],
            )?;
            let mut upsert = tx.prepare_cached(
                "INSERT INTO trend_days (item_id, metric, day, value) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (item_id, metric, day) DO UPDATE SET value = excluded.value",
            )?;
            for d in days {
                upsert.execute(params![
                    item_id,
                    d.metric,
                    d.date.format("%Y-%m-%d").to_string(),
                    d.value
                ])?;
            }
            Ok(())
        })
    }

    fn trend(&self, item_id: &str) -> Result<Option<StoredTrend>, HistoryError> {
        self.run(|conn| {
            let fetched: Option<i64> = conn
                .prepare_cached("SELECT fetched_at FROM trend_fetches WHERE item_id = ?1")?
                .query_row([item_id], |row| row.get(0))
                .optional()?;
            let Some(fetched_at) = fetched.and_then(DateTime::from_timestamp_millis) else {
                return Ok(None);
            };
            let mut stmt = conn.prepare_cached(
                "SELECT day, metric, value FROM trend_days WHERE item_id = ?1 ORDER BY day, metric",
            )?;
            let days = stmt
                .query_map([item_id], |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, f64>(2)?,
                    ))
                })?
                .filter_map(|r| match r {
                    Ok((day, metric, value)) => {
                        let date = chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d").ok()?;
                        Some(Ok(DayValue {
                            date,
                            metric,
                            value,
                        }))
                    }
                    Err(e) => Some(Err(e)),
                })
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(Some(StoredTrend { fetched_at, days }))
        })
    }

    fn observe_alerts(&mut self, observations: &[Observation]) -> Result<Vec<Alert>, HistoryError> {
        // One write transaction: two processes observing the same crossing at once fire it
        // once between them.
        self.write(|tx| {
            let mut read = tx.prepare_cached(
                "SELECT crossed FROM alert_state WHERE rule = ?1 AND item_id = ?2",
            )?;
            let mut set = tx.prepare_cached(
                "INSERT INTO alert_state (rule, item_id, crossed) VALUES (?1, ?2, ?3)
                 ON CONFLICT (rule, item_id) DO UPDATE SET crossed = excluded.crossed",
            )?;
            let mut log = tx.prepare_cached("INSERT INTO alert_log (at, alert) VALUES (?1, ?2)")?;
            let mut fired = Vec::new();
            for o in observations {
                let id = &o.alert.item_id;
                let crossed: bool = read
                    .query_row(params![o.rule, id], |row| row.get(0))
                    .optional()?
                    .unwrap_or(false);
                let (now, fires) = crate::alerts::step(crossed, o.over);
                if now != crossed {
                    set.execute(params![o.rule, id, now])?;
                }
                if fires {
                    let text = serde_json::to_string(&o.alert).unwrap_or_default();
                    log.execute(params![o.alert.at.timestamp_millis(), text])?;
                    fired.push(o.alert.clone());
                }
            }
            Ok(fired)
        })
    }

    fn recent_alerts(&self, limit: usize) -> Result<Vec<Alert>, HistoryError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut alerts: Vec<Alert> = self.run(|conn| {
            let mut stmt =
                conn.prepare_cached("SELECT alert FROM alert_log ORDER BY id DESC LIMIT ?1")?;
            let texts = stmt
                .query_map([limit], |row| row.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(texts
                .iter()
                .filter_map(|t| serde_json::from_str(t).ok())
                .collect())
        })?;
        alerts.reverse();
        Ok(alerts)
    }

    fn each_fresh(
        &self,
        item_ids: &[String],
        since: DateTime<Utc>,
        each: &mut dyn FnMut(&str),
    ) -> Result<(), HistoryError> {
        self.run(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT 1 FROM snapshots
                 WHERE item_id = ?1 AND fetched_at >= ?2 AND data IS NOT NULL LIMIT 1",
            )?;
            let since = since.timestamp_millis();
            for id in item_ids {
                if stmt.exists(params![id, since])? {
                    each(id);
                }
            }
            Ok(())
        })
    }

    fn each_published(
        &self,
        item_ids: &[String],
        each: &mut dyn FnMut(&str, DateTime<Utc>),
    ) -> Result<(), HistoryError> {
        self.run(|conn| {
            // From the newest stored report; a string of digits is read as well as a number.
            let mut stmt = conn.prepare_cached(
                "SELECT CAST(json_extract(data, '$.video_info.create_time') AS INTEGER)
                 FROM snapshots WHERE item_id = ?1 AND data IS NOT NULL
                 ORDER BY fetched_at DESC, id DESC LIMIT 1",
            )?;
            for id in item_ids {
                let secs: Option<i64> =
                    stmt.query_row([id], |row| row.get(0)).optional()?.flatten();
                if let Some(at) = secs
                    .filter(|s| *s > 0)
                    .and_then(|s| DateTime::from_timestamp(s, 0))
                {
                    each(id, at);
                }
            }
            Ok(())
        })
    }

    fn begin_batch(&mut self, started_at: DateTime<Utc>) -> Result<i64, HistoryError> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO spend_batches (started_at) VALUES (?1)",
                [started_at.timestamp_millis()],
            )?;
            Ok(tx.last_insert_rowid())
        })
    }

    fn finish_batch(
        &mut self,
        id: i64,
        finished_at: DateTime<Utc>,
        own_fetches: u64,
    ) -> Result<bool, HistoryError> {
        let end = finished_at.timestamp_millis();
        self.write(|tx| {
            tx.execute(
                "UPDATE spend_batches SET finished_at = ?2 WHERE id = ?1",
                params![id, end],
            )?;
            let start: i64 = tx.query_row(
                "SELECT started_at FROM spend_batches WHERE id = ?1",
                [id],
                |row| row.get(0),
            )?;
            let others: i64 = tx.query_row(
                "SELECT count(*) FROM spend_batches
                 WHERE id != ?1 AND started_at <= ?3
                   AND (finished_at >= ?2 OR (finished_at IS NULL AND started_at >= ?4))",
                params![id, start, end, end - STALE_BATCH_MS],
                |row| row.get(0),
            )?;
            let stored: i64 = tx.query_row(
                "SELECT count(*) FROM snapshots WHERE fetched_at >= ?1 AND fetched_at <= ?2",
                params![start, end],
                |row| row.get(0),
            )?;
            Ok(others > 0 || u64::try_from(stored).unwrap_or(0) > own_fetches)
        })
    }

    fn learn_price(
        &mut self,
        id: i64,
        cost: crate::account::Amount,
        calls: u64,
        currency: Option<&str>,
    ) -> Result<(), HistoryError> {
        let calls = i64::try_from(calls).unwrap_or(i64::MAX);
        self.write(|tx| {
            tx.execute(
                "UPDATE spend_batches SET calls = ?2, cost = ?3, currency = ?4 WHERE id = ?1",
                params![id, calls, cost.0, currency],
            )
            .map(drop)
        })
    }

    fn price_per_call(&self) -> Result<Option<crate::account::PricePerCall>, HistoryError> {
        self.run(|conn| {
            // The newest batches in the newest batch's currency.
            conn.query_row(
                "WITH newest AS (
                     SELECT cost, calls, currency FROM spend_batches
                     WHERE cost > 0 AND calls > 0
                       AND currency IS (SELECT currency FROM spend_batches
                                        WHERE cost > 0 AND calls > 0 ORDER BY id DESC LIMIT 1)
                     ORDER BY id DESC LIMIT ?1)
                 SELECT sum(cost), sum(calls), count(*), max(currency) FROM newest",
                [PRICE_BATCHES],
                |row| {
                    let cost: Option<i64> = row.get(0)?;
                    let calls: Option<i64> = row.get(1)?;
                    Ok(cost
                        .zip(calls)
                        .map(|(cost, calls)| crate::account::PricePerCall {
                            cost: crate::account::Amount(cost),
                            calls: u64::try_from(calls).unwrap_or(0),
                            batches: row.get::<_, i64>(2).map_or(0, |n| n as u64),
                            currency: row.get(3).ok().flatten(),
                        }))
                },
            )
        })
    }

    fn prune(&mut self, keep_days: u32, now: DateTime<Utc>) -> Result<usize, HistoryError> {
        // u32::MAX days fits comfortably in i64 milliseconds; only the subtraction can overflow.
        let cutoff = now
            .timestamp_millis()
            .saturating_sub(i64::from(keep_days) * MS_PER_DAY);
        self.write(|tx| {
            // The alert log ages with the history it was fired from.
            tx.execute("DELETE FROM alert_log WHERE at < ?1", [cutoff])?;
            tx.execute("DELETE FROM snapshots WHERE fetched_at < ?1", [cutoff])
        })
    }
}

/// A text column that may be NULL or, in a damaged report, not text at all.
fn text_at(row: &Row<'_>, i: usize) -> Option<String> {
    row.get::<_, Option<String>>(i).ok().flatten()
}

impl History {
    /// Reads the header and the schema before anything writes, so a damaged file is reported
    /// without having been changed (setting WAL mode would rewrite its header).
    fn ensure_readable(&self) -> Result<(), HistoryError> {
        self.conn
            .query_row("SELECT count(*) FROM sqlite_schema", [], |row| {
                row.get::<_, i64>(0)
            })
            .map_err(|e| open_error(&self.path, e))?;
        self.check_not_newer(self.user_version()?)
    }

    /// WAL lets the dashboard read while cron writes. On file systems without shared memory
    /// the mode stays "delete", which still works, only with readers and writers taking turns.
    fn enable_wal(&self) -> Result<(), HistoryError> {
        // Two connections switching a new database at the same moment get SQLITE_BUSY at once
        // (the busy timeout does not cover a journal mode change), so retry until it would
        // have expired.
        let deadline = Instant::now() + BUSY_TIMEOUT;
        loop {
            let switched = self.run(|conn| {
                conn.query_row("PRAGMA journal_mode = WAL", [], |row| {
                    row.get::<_, String>(0)
                })
            });
            match switched {
                Err(e) if is_busy(&e) && Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(10));
                }
                other => break other.map(drop),
            }
        }?;
        // In WAL mode NORMAL cannot corrupt the database; a power cut may lose the last
        // commit, which is one data point.
        self.run(|conn| conn.pragma_update(None, "synchronous", "NORMAL"))
    }

    fn migrate(&mut self) -> Result<(), HistoryError> {
        // The common case (already current) takes no write lock, so frequent cron runs do not
        // queue behind each other just to open the database.
        if self.user_version()? == SCHEMA_VERSION {
            return Ok(());
        }
        let applied = self.write(|tx| {
            // Another process may have migrated while this one waited for the lock.
            let applied = read_user_version(tx)?;
            if applied < SCHEMA_VERSION {
                for step in &MIGRATIONS[usize::try_from(applied).unwrap_or(0)..] {
                    tx.execute_batch(step)?;
                }
                tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
            }
            Ok(applied)
        })?;
        self.check_not_newer(applied)
    }

    /// Runs `f` on the connection, naming this database in any error.
    pub(super) fn run<T>(
        &self,
        f: impl FnOnce(&Connection) -> rusqlite::Result<T>,
    ) -> Result<T, HistoryError> {
        f(&self.conn).map_err(|e| self.sqlite_error(e))
    }

    /// Runs `f` inside a `BEGIN IMMEDIATE` transaction and commits it.
    fn write<T>(
        &mut self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> rusqlite::Result<T>,
    ) -> Result<T, HistoryError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| sqlite_error(&self.path, e))?;
        f(&tx)
            .and_then(|value| tx.commit().map(|()| value))
            .map_err(|e| sqlite_error(&self.path, e))
    }

    pub(super) fn user_version(&self) -> Result<i64, HistoryError> {
        read_user_version(&self.conn).map_err(|e| self.sqlite_error(e))
    }

    fn check_not_newer(&self, found: i64) -> Result<(), HistoryError> {
        check_not_newer(&self.path, found)
    }

    fn sqlite_error(&self, source: rusqlite::Error) -> HistoryError {
        sqlite_error(&self.path, source)
    }
}

fn create_parent_dir(path: &Path) -> Result<(), HistoryError> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => {
            std::fs::create_dir_all(dir).map_err(|source| HistoryError::CreateDir {
                dir: dir.to_owned(),
                source,
            })
        }
        _ => Ok(()),
    }
}

/// Rejects an existing non-empty file whose first 100 bytes are not a SQLite header, before
/// SQLite itself opens it. An empty file is what SQLite calls an empty database, so it passes.
fn check_header(path: &Path) -> Result<(), HistoryError> {
    let mut file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(source) => {
            return Err(HistoryError::Io {
                path: path.to_owned(),
                source,
            });
        }
    };
    let io_error = |source| HistoryError::Io {
        path: path.to_owned(),
        source,
    };
    let len = file.metadata().map_err(io_error)?.len();
    if len == 0 {
        return Ok(());
    }
    let mut header = [0u8; 100];
    let readable = len >= header.len() as u64 && file.read_exact(&mut header).is_ok();
    if readable && header_is_plausible(&header, len, has_journal(path)) {
        Ok(())
    } else {
        Err(HistoryError::NotADatabase {
            path: path.to_owned(),
        })
    }
}

/// The magic string, a legal page size, and a file of whole pages. SQLite itself rejects a
/// file shorter than its header says, but reads a partial last page as zeros and would only
/// notice once a query reached it, after this open had already written to the file. A journal
/// beside the file may still complete a torn write, so it gets the benefit of the doubt.
fn header_is_plausible(header: &[u8; 100], file_len: u64, has_journal: bool) -> bool {
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65_536,
        n => u64::from(n),
    };
    header.starts_with(b"SQLite format 3\0")
        && page_size.is_power_of_two()
        && (512..=65_536).contains(&page_size)
        && (has_journal || file_len.is_multiple_of(page_size))
}

/// A rollback journal or WAL file next to the database may hold pages the file lacks.
fn has_journal(path: &Path) -> bool {
    ["-journal", "-wal"]
        .iter()
        .any(|suffix| with_suffix(path, suffix).exists())
}

fn read_user_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.pragma_query_value(None, "user_version", |row| row.get(0))
}

fn check_not_newer(path: &Path, found: i64) -> Result<(), HistoryError> {
    if found > SCHEMA_VERSION {
        return Err(HistoryError::TooNew {
            path: path.to_owned(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(())
}

pub(super) fn snapshot_from_row(row: &Row<'_>) -> rusqlite::Result<Snapshot> {
    let millis: i64 = row.get(1)?;
    let fetched_at = DateTime::from_timestamp_millis(millis)
        .ok_or_else(|| rusqlite::Error::IntegralValueOutOfRange(1, millis))?;
    Ok(Snapshot {
        item_id: row.get(0)?,
        fetched_at,
        vv_cnt: row.get(2)?,
        like_cnt: row.get(3)?,
        comment_cnt: row.get(4)?,
        share_cnt: row.get(5)?,
        collect_cnt: row.get(6)?,
        interact_cnt: row.get(7)?,
        interact_rate: row.get(8)?,
        finish_rate: row.get(9)?,
        follower: row.get(10)?,
    })
}

/// While opening, "not a database" and "corrupt" both mean the file is unusable as it is.
fn open_error(path: &Path, source: rusqlite::Error) -> HistoryError {
    match source.sqlite_error_code() {
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => HistoryError::NotADatabase {
            path: path.to_owned(),
        },
        _ => sqlite_error(path, source),
    }
}

fn is_busy(error: &HistoryError) -> bool {
    matches!(error, HistoryError::Sqlite { source, .. }
        if source.sqlite_error_code() == Some(ErrorCode::DatabaseBusy))
}

fn sqlite_error(path: &Path, source: rusqlite::Error) -> HistoryError {
    HistoryError::Sqlite {
        path: path.to_owned(),
        source,
    }
}

/// `path` with `suffix` appended to its file name, as SQLite names its side files.
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Quotes a path for the `mv` hint only when needed: the macOS data directory
/// ("Application Support") has a space in it.
fn shell_quote(path: &Path) -> String {
    let text = path.to_string_lossy();
    let plain = text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+:@%,".contains(c));
    if plain {
        text.into_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tempfile::TempDir;

    /// The figures-only shorthand these tests were written with.
    trait Put {
        fn put(&mut self, snaps: &[Snapshot]) -> Result<(), HistoryError>;
    }

    impl Put for History {
        fn put(&mut self, snaps: &[Snapshot]) -> Result<(), HistoryError> {
            let data = serde_json::json!({});
            let records: Vec<Record<'_>> = snaps
                .iter()
                .map(|s| Record {
                    snapshot: s.clone(),
                    data: &data,
                })
                .collect();
            self.record(&records)
        }
    }

    fn at(ms: i64) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(ms).unwrap()
    }

    fn snap(item: &str, ms: i64, views: u64) -> Snapshot {
        Snapshot {
            item_id: item.to_owned(),
            fetched_at: at(ms),
            vv_cnt: Some(views),
            like_cnt: Some(views / 10),
            comment_cnt: None,
            share_cnt: Some(0),
            collect_cnt: None,
            interact_cnt: Some(views / 8),
            interact_rate: Some(0.125),
            finish_rate: None,
            follower: Some(1_000_000),
        }
    }

    fn temp_db() -> (TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/dir/history.sqlite3");
        (dir, path)
    }

    /// Every file in the directory with its bytes, to prove an open left no trace.
    fn dir_contents(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let path = e.unwrap().path();
                let bytes = std::fs::read(&path).unwrap();
                (path, bytes)
            })
            .collect();
        files.sort();
        files
    }

    fn assert_rejected_untouched(dir: &Path, path: &Path, bytes: &[u8]) {
        std::fs::write(path, bytes).unwrap();
        let before = dir_contents(dir);
        let err = History::open(path)
            .err()
            .expect("damaged file must be rejected");
        assert!(
            matches!(&err, HistoryError::NotADatabase { path: p } if p == path),
            "{err:?}"
        );
        assert_eq!(
            dir_contents(dir),
            before,
            "open must leave the directory as it was"
        );
    }

    /// A real, populated database's bytes (checkpointed into the main file).
    fn real_database_bytes(dir: &Path) -> Vec<u8> {
        let path = dir.join("real.sqlite3");
        let mut history = History::open(&path).unwrap();
        let snaps: Vec<_> = (0..500)
            .map(|i| snap("7566200471448779514", i, i as u64))
            .collect();
        history.put(&snaps).unwrap();
        drop(history);
        let bytes = std::fs::read(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        bytes
    }

    #[test]
    fn open_creates_parent_dirs_and_uses_wal() {
        let (_dir, path) = temp_db();
        let history = History::open(&path).unwrap();
        let mode: String = history
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        assert_eq!(history.user_version().unwrap(), SCHEMA_VERSION);
        drop(history);
        // Reopening an up-to-date database is fine.
        History::open(&path).unwrap();
    }

    #[test]
    fn migrates_a_version_1_database_keeping_its_rows() {
        let (_dir, path) = temp_db();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let v1 = Connection::open(&path).unwrap();
        // Version 1 as an older binary created it, written out rather than taken from
        // MIGRATIONS so that an accidental edit of step 1 shows up here.
        v1.execute_batch(
            "CREATE TABLE snapshots (
                 id INTEGER PRIMARY KEY, item_id TEXT NOT NULL, fetched_at INTEGER NOT NULL,
                 vv_cnt INTEGER, like_cnt INTEGER, comment_cnt INTEGER, share_cnt INTEGER,
                 collect_cnt INTEGER, interact_cnt INTEGER, interact_rate REAL, finish_rate REAL);
             INSERT INTO snapshots (item_id, fetched_at, vv_cnt, like_cnt, comment_cnt, share_cnt,
                 collect_cnt, interact_cnt, interact_rate, finish_rate)
             VALUES ('a', 2000, 20, 2, NULL, 0, NULL, 3, 0.15, 0.5),
                    ('a', 1000, 10, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
             PRAGMA user_version = 1;",
        )
        .unwrap();
        drop(v1);

        let mut history = History::open(&path).unwrap();
        assert_eq!(history.user_version().unwrap(), SCHEMA_VERSION);
        let series = history.series("a", None).unwrap();
        assert_eq!(series.len(), 2);
        assert_eq!(series[0].vv_cnt, Some(10));
        assert_eq!(series[0].like_cnt, None);
        assert_eq!(
            (
                series[1].vv_cnt,
                series[1].interact_rate,
                series[1].finish_rate
            ),
            (Some(20), Some(0.15), Some(0.5))
        );
        assert!(series.iter().all(|s| s.follower.is_none()));

        // The new column works on the migrated database.
        history.put(&[snap("a", 3000, 30)]).unwrap();
        assert_eq!(history.series("a", None).unwrap()[2], snap("a", 3000, 30));
        let index: i64 = history
            .conn
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE name = 'snapshots_item_time'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(index, 1);
    }

    #[test]
    fn newer_schema_is_refused_and_left_untouched() {
        let (dir, path) = temp_db();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let newer = Connection::open(&path).unwrap();
        newer
            .execute_batch("CREATE TABLE future (x); PRAGMA user_version = 99;")
            .unwrap();
        drop(newer);
        let before = dir_contents(path.parent().unwrap());

        let err = History::open(&path)
            .err()
            .expect("newer schema must be refused");
        assert!(
            matches!(err, HistoryError::TooNew { found: 99, .. }),
            "{err:?}"
        );
        let message = err.to_string();
        assert!(message.contains("newer xingtu-dash"), "{message}");
        assert!(message.contains("Upgrade"), "{message}");
        assert_eq!(dir_contents(path.parent().unwrap()), before);
        drop(dir);
    }

    #[test]
    fn random_bytes_are_reported_and_left_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.sqlite3");
        let mut rng = fastrand::Rng::with_seed(7);
        for len in [1, 99, 100, 4096, 3 * 4096 + 17] {
            let bytes: Vec<u8> = std::iter::repeat_with(|| rng.u8(..)).take(len).collect();
            assert_rejected_untouched(dir.path(), &path, &bytes);
        }
    }

    #[test]
    fn damaged_real_databases_are_reported_and_left_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.sqlite3");
        let real = real_database_bytes(dir.path());
        assert!(real.len() >= 3 * 4096, "test needs a multi-page database");

        // Truncated inside the header, just after it, mid-page and at a page boundary.
        for len in [16, 50, 100, 1000, 4096, real.len() - 4096, real.len() - 1] {
            assert_rejected_untouched(dir.path(), &path, &real[..len]);
        }
        // An intact header in front of pages of noise.
        let mut noise = real[..100].to_vec();
        noise.extend(std::iter::repeat_n(0xA5, real.len() - 100));
        assert_rejected_untouched(dir.path(), &path, &noise);
    }

    #[test]
    fn not_a_database_message_says_what_to_do() {
        let err = HistoryError::NotADatabase {
            path: PathBuf::from("/x/history.sqlite3"),
        };
        assert_eq!(
            err.to_string(),
            "history database /x/history.sqlite3 is not a readable SQLite database; it was \
             left untouched. Move it aside (mv /x/history.sqlite3 /x/history.sqlite3.bad) and \
             run again to start a new history."
        );
        let spaced = HistoryError::NotADatabase {
            path: PathBuf::from("/Users/me/Library/Application Support/it's/h.sqlite3"),
        };
        assert!(
            spaced
                .to_string()
                .contains(r"(mv '/Users/me/Library/Application Support/it'\''s/h.sqlite3' ")
        );
    }

    #[test]
    fn an_empty_file_becomes_a_new_history() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.sqlite3");
        std::fs::write(&path, b"").unwrap();
        let mut history = History::open(&path).unwrap();
        history.put(&[snap("a", 1, 1)]).unwrap();
        assert_eq!(history.series("a", None).unwrap().len(), 1);
    }
}
