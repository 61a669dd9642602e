//! What the commands that make no call show: the user's watchlist, history and cached
//! reports, or in demo mode the bundled data, which never reads or writes the user's files.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::api::demo::{self, DemoData};
use crate::item_id::ItemId;
use crate::persist::load_cache;
use crate::report::Report;
use crate::settings::Settings;
use crate::store::config::WatchEntry;
use crate::store::history::{History, Snapshot};

/// Newest snapshot and the one before, per item.
pub type Latest = HashMap<String, (Snapshot, Option<Snapshot>)>;

/// The watchlist as the file holds it (or the demo's), or why it cannot be read.
pub fn watchlist(settings: &Settings) -> Result<Vec<WatchEntry>, String> {
    if settings.demo {
        return Ok(DemoData::bundled()
            .ids()
            .into_iter()
            .map(|item_id| WatchEntry {
                item_id,
                label: None,
                added_at: None,
            })
            .collect());
    }
    settings
        .config_file()
        .load()
        .map(|c| c.watchlist)
        .map_err(|e| e.to_string())
}

pub fn latest(settings: &Settings, ids: &[String]) -> Result<Latest, String> {
    if settings.demo {
        return Ok(demo::history_view(ids, None, Utc::now()).latest);
    }
    History::open(&settings.paths.history_db())
        .and_then(|h| h.latest_pairs(ids))
        .map_err(|e| e.to_string())
}

/// One item's snapshots, oldest first.
pub fn series(
    settings: &Settings,
    id: &ItemId,
    since: Option<DateTime<Utc>>,
) -> Result<Vec<Snapshot>, String> {
    if settings.demo {
        let series = demo::history_view(&[], Some(id), Utc::now())
            .series
            .map(|(_, s)| s)
            .unwrap_or_default();
        return Ok(series
            .into_iter()
            .filter(|s| since.is_none_or(|t| s.fetched_at >= t))
            .collect());
    }
    History::open(&settings.paths.history_db())
        .and_then(|h| h.series(id.as_str(), since))
        .map_err(|e| e.to_string())
}

/// Reports by id: titles and creators are not in the history, the response cache has them.
pub fn reports(settings: &Settings) -> HashMap<String, Report> {
    let entries: Vec<(String, serde_json::Value)> = if settings.demo {
        let demo = DemoData::bundled();
        demo.ids()
            .into_iter()
            .filter_map(|id| {
                let data = demo.fetch(&ItemId::parse(&id).ok()?).ok()?;
                Some((id, data))
            })
            .collect()
    } else {
        load_cache(&settings.paths)
            .into_iter()
            .map(|(id, _, data)| (id, data))
            .collect()
    };
    entries
        .into_iter()
        .map(|(id, data)| {
            let report = Report::from_data(&id, &data);
            (id, report)
        })
        .collect()
}
