//! What the commands that make no call read: the user's watchlist and store, or in demo mode
//! the bundled data behind the same `Store` interface, which never reads or writes the
//! user's files.

use chrono::{DateTime, Utc};

use crate::api::demo::DemoData;
use crate::item_id::ItemId;
use crate::settings::Settings;
use crate::store::config::WatchEntry;
use crate::store::{
    self, CacheEntry, ClaimAsk, ClaimOutcome, ClaimRow, ItemRow, Record, SharedHalt, Snapshot,
    Store, StoreError,
};

/// The watchlist as the file holds it (or the demo's), or why it cannot be read.
pub fn watchlist(settings: &Settings) -> Result<Vec<WatchEntry>, String> {
    if settings.demo {
        return Ok(crate::app::demo_history::watchlist(None));
    }
    settings
        .config_file()
        .load()
        .map(|c| c.watchlist)
        .map_err(|e| e.to_string())
}

/// The user's store, or in demo mode the bundled data.
pub fn open(settings: &Settings) -> Result<Box<dyn Store>, String> {
    if settings.demo {
        return Ok(Box::new(DemoStore { now: Utc::now() }));
    }
    store::open(&settings.store()).map_err(|e| e.to_string())
}

/// One item's snapshots, oldest first.
pub fn series(
    settings: &Settings,
    id: &ItemId,
    since: Option<DateTime<Utc>>,
) -> Result<Vec<Snapshot>, String> {
    let store = open(settings)?;
    let mut all = Vec::new();
    store
        .each_snapshot(id.as_str(), since, &mut |s| {
            all.push(s);
            true
        })
        .map_err(|e| e.to_string())?;
    Ok(all)
}

/// The demo's synthetic history and bundled reports, read-only.
struct DemoStore {
    now: DateTime<Utc>,
}

impl Store for DemoStore {
    fn record(&mut self, _records: &[Record<'_>]) -> Result<(), StoreError> {
        Ok(())
    }

    fn latest_report(&self, item_id: &str) -> Result<Option<CacheEntry>, StoreError> {
        let data = ItemId::parse(item_id)
            .ok()
            .and_then(|id| DemoData::bundled().fetch(&id).ok());
        Ok(data.map(|data| CacheEntry {
            fetched_at: self.now,
            data,
        }))
    }

    fn each_snapshot(
        &self,
        item_id: &str,
        since: Option<DateTime<Utc>>,
        each: &mut dyn FnMut(Snapshot) -> bool,
    ) -> Result<(), StoreError> {
        let Ok(id) = ItemId::parse(item_id) else {
            return Ok(());
        };
        let series = crate::app::demo_history::history_view(&[], Some(&id), self.now)
            .series
            .map(|(_, s)| s)
            .unwrap_or_default();
        for s in series {
            if since.is_none_or(|t| s.fetched_at >= t) && !each(s) {
                break;
            }
        }
        Ok(())
    }

    fn each_row(
        &self,
        item_ids: &[String],
        spark_points: usize,
        each: &mut dyn FnMut(ItemRow),
    ) -> Result<(), StoreError> {
        let mut view = crate::app::demo_history::history_view(item_ids, None, self.now);
        for id in item_ids {
            let Some((newest, previous)) = view.latest.remove(id) else {
                continue;
            };
            let text = view.texts.remove(id).unwrap_or_default();
            let mut views = view.sparks.remove(id).unwrap_or_default();
            views.drain(..views.len().saturating_sub(spark_points));
            each(ItemRow {
                newest,
                previous,
                title: text.title,
                creator: text.creator,
                views,
            });
        }
        Ok(())
    }

    fn change_marker(&self) -> Result<i64, StoreError> {
        Ok(0)
    }

    fn changed_since(&self, marker: i64) -> Result<(i64, Vec<String>), StoreError> {
        Ok((marker, Vec::new()))
    }

    fn record_trend(
        &mut self,
        _item_id: &str,
        _fetched_at: DateTime<Utc>,
        _days: &[crate::trend::DayValue],
    ) -> Result<(), StoreError> {
        Ok(())
    }

    /// The demo keeps nothing: its trend comes from the bundled data each time, free.
    fn trend(&self, _item_id: &str) -> Result<Option<crate::trend::StoredTrend>, StoreError> {
        Ok(None)
    }

    /// The demo evaluates no alerts: it stores nothing.
    fn observe_alerts(
        &mut self,
        _observations: &[crate::alerts::Observation],
    ) -> Result<Vec<crate::alerts::Alert>, StoreError> {
        Ok(Vec::new())
    }

    fn recent_alerts(&self, _limit: usize) -> Result<Vec<crate::alerts::Alert>, StoreError> {
        Ok(Vec::new())
    }

    fn prune(&mut self, _keep_days: u32, _now: DateTime<Utc>) -> Result<usize, StoreError> {
        Ok(0)
    }

    /// The demo's calls are free and no other process shares its data: nothing to wait for.
    fn claim(&mut self, _ask: &ClaimAsk<'_>) -> Result<ClaimOutcome, StoreError> {
        Ok(ClaimOutcome::Taken)
    }

    fn release(
        &mut self,
        _item_id: &str,
        _holder: &str,
        _failure: Option<&str>,
        _now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        Ok(())
    }

    fn live_claims(&self, _now: DateTime<Utc>) -> Result<Vec<(String, ClaimRow)>, StoreError> {
        Ok(Vec::new())
    }

    /// The demo's halts stay in its own run: they are not the user's.
    fn record_halt(&mut self, _halt: &SharedHalt) -> Result<(), StoreError> {
        Ok(())
    }

    fn shared_halt(&self) -> Result<Option<SharedHalt>, StoreError> {
        Ok(None)
    }

    fn clear_halt(&mut self) -> Result<Option<SharedHalt>, StoreError> {
        Ok(None)
    }
}
