//! Everything that persists between runs: the TOML config (with the watchlist), and the
//! store of fetched results.
//!
//! Every command and the dashboard reach fetched results through [`Store`] only, so another
//! engine (a shared PostgreSQL for a team) can go behind it; SQL and SQLite types stay in
//! this module. The newest stored snapshot of an item is its cache entry: it keeps what a
//! report is built from, for as long as the history is kept.

pub mod claims;
pub mod config;
pub mod copy;
mod fsutil;
pub mod history;
mod known_keys;
mod legacy_cache;
mod location;
pub mod postgres;
pub mod shortlinks;
pub mod status;

use chrono::{DateTime, Utc};
use serde_json::Value;

pub use claims::{ClaimAsk, ClaimOutcome, ClaimRow, SharedHalt};
pub use history::HistoryError as StoreError;
pub use location::{ENV_STORE, StoreLocation};

/// One data point: the figures a successful fetch of one item reported.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Snapshot {
    pub item_id: String,
    pub fetched_at: DateTime<Utc>,
    pub vv_cnt: Option<u64>,
    pub like_cnt: Option<u64>,
    pub comment_cnt: Option<u64>,
    pub share_cnt: Option<u64>,
    pub collect_cnt: Option<u64>,
    pub interact_cnt: Option<u64>,
    pub interact_rate: Option<f64>,
    pub finish_rate: Option<f64>,
    pub follower: Option<u64>,
}

impl Snapshot {
    /// The figures of a report fetched at `fetched_at`.
    pub fn of(report: &crate::report::Report, fetched_at: DateTime<Utc>) -> Snapshot {
        let v = &report.video;
        Snapshot {
            item_id: report.item_id.clone(),
            fetched_at,
            vv_cnt: v.vv_cnt,
            like_cnt: v.like_cnt,
            comment_cnt: v.comment_cnt,
            share_cnt: v.share_cnt,
            collect_cnt: v.collect_cnt,
            interact_cnt: report.interactions(),
            interact_rate: report.ratios().interact_rate,
            finish_rate: v.finish_rate,
            follower: report.author.follower,
        }
    }
}

/// A fetch to store: its figures, and the part of the response a report is built from.
#[derive(Debug, Clone)]
pub struct Record<'a> {
    pub snapshot: Snapshot,
    pub data: &'a Value,
}

/// The newest stored report of an item: when it was fetched, and what it is built from.
#[derive(Debug, Clone, PartialEq)]
pub struct CacheEntry {
    pub fetched_at: DateTime<Utc>,
    pub data: Value,
}

/// What a table row of a watched item shows, and nothing more: a few hundred bytes however
/// large the report.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemRow {
    pub newest: Snapshot,
    pub previous: Option<Snapshot>,
    pub title: Option<String>,
    pub creator: Option<String>,
    /// Views of the newest snapshots that report them, oldest first.
    pub views: Vec<u64>,
}

/// The storage interface. Reads hand results over one at a time where there can be many, so
/// no caller ever holds a whole watchlist's reports.
pub trait Store: Send {
    /// Stores each fetch as one snapshot, all in one transaction. A count the engine cannot
    /// hold is stored as absent (and logged), never failing the others. The claims of the
    /// items stored are released in the same transaction: their answer is there.
    fn record(&mut self, records: &[Record<'_>]) -> Result<(), StoreError>;

    /// The item's newest stored report, however old; `None` if it was never stored.
    fn latest_report(&self, item_id: &str) -> Result<Option<CacheEntry>, StoreError>;

    /// The item's snapshots oldest first (from `since` on), one at a time until `each`
    /// returns false.
    fn each_snapshot(
        &self,
        item_id: &str,
        since: Option<DateTime<Utc>>,
        each: &mut dyn FnMut(Snapshot) -> bool,
    ) -> Result<(), StoreError>;

    /// The table row of each id that has snapshots, in the order given, one at a time;
    /// `spark_points` bounds the views kept per row.
    fn each_row(
        &self,
        item_ids: &[String],
        spark_points: usize,
        each: &mut dyn FnMut(ItemRow),
    ) -> Result<(), StoreError>;

    /// The newest snapshot of each id that has one, in the order given: the figures only,
    /// for totals over many items.
    fn each_newest(
        &self,
        item_ids: &[String],
        each: &mut dyn FnMut(Snapshot),
    ) -> Result<(), StoreError> {
        self.each_row(item_ids, 0, &mut |row| each(row.newest))
    }

    /// The table row of one item, if it has snapshots.
    fn row(&self, item_id: &str, spark_points: usize) -> Result<Option<ItemRow>, StoreError> {
        let mut found = None;
        self.each_row(&[item_id.to_owned()], spark_points, &mut |row| {
            found = Some(row)
        })?;
        Ok(found)
    }

    /// A value that moves whenever any process stores a fetch.
    fn change_marker(&self) -> Result<i64, StoreError>;

    /// The items stored since `marker`, and the marker to ask with next time.
    fn changed_since(&self, marker: i64) -> Result<(i64, Vec<String>), StoreError>;

    /// Stores Xingtu's daily series of an item as fetched at `fetched_at`: each day replaces
    /// the one stored for the same metric and date; days no longer sent are kept.
    fn record_trend(
        &mut self,
        item_id: &str,
        fetched_at: DateTime<Utc>,
        days: &[crate::trend::DayValue],
    ) -> Result<(), StoreError>;

    /// The item's stored daily series, if it was ever fetched (an empty series counts).
    fn trend(&self, item_id: &str) -> Result<Option<crate::trend::StoredTrend>, StoreError>;

    /// Applies what the alert rules saw (in one transaction) and returns the alerts that
    /// fire: an observation across its line whose rule and item were not crossed already.
    /// Fired alerts are kept for `recent_alerts`.
    fn observe_alerts(
        &mut self,
        observations: &[crate::alerts::Observation],
    ) -> Result<Vec<crate::alerts::Alert>, StoreError>;

    /// Claims an item for a paid call, in one transaction, unless calls are halted, someone's
    /// answer is fresh, another live holder has it, or its holder failed since the ask (see
    /// [`claims::decide`]). Asking again while holding renews the lease.
    fn claim(&mut self, ask: &ClaimAsk<'_>) -> Result<ClaimOutcome, StoreError>;

    /// `holder` gives its claim up without an answer: with `failure` (its error, as JSON)
    /// those waiting report that; without, the next to ask takes the item.
    fn release(
        &mut self,
        item_id: &str,
        holder: &str,
        failure: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// The claims whose lease runs past `now` and whose holder has not given up, by item.
    fn live_claims(&self, now: DateTime<Utc>) -> Result<Vec<(String, ClaimRow)>, StoreError>;

    /// Stops everyone's calls; a halt already recorded is kept (it is what the others saw).
    fn record_halt(&mut self, halt: &SharedHalt) -> Result<(), StoreError>;

    /// The halt that stops every call, if any.
    fn shared_halt(&self) -> Result<Option<SharedHalt>, StoreError>;

    /// Lets calls go out again; returns the halt cleared, if there was one.
    fn clear_halt(&mut self) -> Result<Option<SharedHalt>, StoreError>;

    /// The newest `limit` alerts fired (by any process), oldest first.
    fn recent_alerts(&self, limit: usize) -> Result<Vec<crate::alerts::Alert>, StoreError>;

    /// Deletes snapshots fetched more than `keep_days` days before `now`; returns how many.
    fn prune(&mut self, keep_days: u32, now: DateTime<Utc>) -> Result<usize, StoreError>;

    /// The items among `item_ids` whose newest stored report was fetched at or after
    /// `since` (inside the cache window), one at a time.
    fn each_fresh(
        &self,
        item_ids: &[String],
        since: DateTime<Utc>,
        each: &mut dyn FnMut(&str),
    ) -> Result<(), StoreError> {
        for id in item_ids {
            if self
                .latest_report(id)?
                .is_some_and(|e| e.fetched_at >= since)
            {
                each(id);
            }
        }
        Ok(())
    }

    /// When each item that has a stored report was published (its `create_time`), one at a
    /// time; items never fetched are left out.
    fn each_published(
        &self,
        item_ids: &[String],
        each: &mut dyn FnMut(&str, DateTime<Utc>),
    ) -> Result<(), StoreError> {
        for id in item_ids {
            let published = self
                .latest_report(id)?
                .and_then(|e| e.data.pointer("/video_info/create_time").cloned())
                .and_then(|v| v.as_i64().or_else(|| v.as_str()?.trim().parse().ok()))
                .and_then(|secs| DateTime::from_timestamp(secs, 0));
            if let Some(at) = published {
                each(id, at);
            }
        }
        Ok(())
    }

    /// A batch of paid calls starts: noted so that batches of other processes on the same
    /// account can tell they overlapped. Returns its id.
    fn begin_batch(&mut self, _started_at: DateTime<Utc>) -> Result<i64, StoreError> {
        Ok(0)
    }

    /// The batch `id` is over; `own_fetches` is how many reports it stored. True when
    /// another batch ran at the same time, or reports were stored meanwhile that it did not
    /// fetch: then the balance fell for calls that were not its own.
    fn finish_batch(
        &mut self,
        _id: i64,
        _finished_at: DateTime<Utc>,
        _own_fetches: u64,
    ) -> Result<bool, StoreError> {
        Ok(false)
    }

    /// Keeps what batch `id` cost for `calls` calls, to learn the price per call from.
    fn learn_price(
        &mut self,
        _id: i64,
        _cost: crate::account::Amount,
        _calls: u64,
        _currency: Option<&str>,
    ) -> Result<(), StoreError> {
        Ok(())
    }

    /// The price per call, pooled over the most recent measured batches.
    fn price_per_call(&self) -> Result<Option<crate::account::PricePerCall>, StoreError> {
        Ok(None)
    }
}

/// Opens the user's store: the shared one, or the history database after importing (once)
/// a response cache file that older versions kept beside it.
pub fn open(location: &StoreLocation) -> Result<Box<dyn Store>, StoreError> {
    match location {
        StoreLocation::Sqlite { db, legacy_cache } => {
            let mut history = history::History::open(db)?;
            if let Some(file) = legacy_cache {
                legacy_cache::import(&mut history, file)?;
            }
            Ok(Box::new(history))
        }
        StoreLocation::Postgres(url) => Ok(Box::new(postgres::PgStore::open(url)?)),
    }
}

/// Opens the store without looking for an old cache file (the session that opened it
/// first has imported that already).
pub fn open_db(location: &StoreLocation) -> Result<Box<dyn Store>, StoreError> {
    match location {
        StoreLocation::Sqlite { db, .. } => Ok(Box::new(history::History::open(db)?)),
        StoreLocation::Postgres(url) => Ok(Box::new(postgres::PgStore::open(url)?)),
    }
}

/// What a dashboard hears from a store that tells of changes: snapshots stored (by any
/// process), or the store lost and back again.
#[derive(Debug, Clone, PartialEq)]
pub enum StoreChange {
    Stored,
    Lost(String),
    Back,
}

/// Changes of the store as they happen, for as long as the receiver is kept; `None` for an
/// engine that cannot tell (SQLite: readers poll `changed_since`).
pub fn follow_changes(
    location: &StoreLocation,
) -> Option<tokio::sync::mpsc::UnboundedReceiver<StoreChange>> {
    match location {
        StoreLocation::Sqlite { .. } => None,
        StoreLocation::Postgres(url) => {
            let (changes, heard) = tokio::sync::mpsc::unbounded_channel();
            postgres::listen::follow(url.clone(), changes);
            Some(heard)
        }
    }
}

/// The one freshness rule of the cache: fetched less than `window` before `now`. An entry
/// dated in the future (the clock went back) is stale, since its age is unknown.
pub fn is_fresh(fetched_at: DateTime<Utc>, window: chrono::Duration, now: DateTime<Utc>) -> bool {
    let age = now - fetched_at;
    age >= chrono::Duration::zero() && age < window
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_only_inside_the_window_and_never_from_the_future() {
        let now = DateTime::from_timestamp(1_000_000, 0).unwrap();
        let window = chrono::Duration::minutes(10);
        assert!(is_fresh(now, window, now));
        assert!(is_fresh(now - chrono::Duration::seconds(599), window, now));
        assert!(!is_fresh(now - window, window, now));
        assert!(!is_fresh(now + chrono::Duration::seconds(1), window, now));
        assert!(!is_fresh(now + chrono::Duration::minutes(5), window, now));
    }
}
