//! Evaluating the rules after each batch of fetches is stored: what the writer calls, with
//! the store it has just written to. The rules and the watchlist (labels, campaigns, prices)
//! come from the config file, re-read when it changes, so a rule added while the dashboard
//! is open applies from its next fetch.

use std::collections::{HashMap, HashSet};
use std::time::SystemTime;

use super::{Alert, Rule, Subject, observe};
use crate::store::config::{Config, ConfigFile};
use crate::store::{Store, StoreError};

/// What the watchlist says about an item.
#[derive(Debug, Clone, Default)]
struct Entry {
    label: Option<String>,
    campaign: Option<String>,
    price: Option<f64>,
}

pub struct Watcher {
    rules: Vec<Rule>,
    entries: HashMap<String, Entry>,
    /// The config file followed for changes, and its size and modification time when read.
    follow: Option<(ConfigFile, Option<(u64, SystemTime)>)>,
}

impl Watcher {
    /// The rules of `config`; with `follow`, re-read from that file whenever it changes.
    pub fn new(config: &Config, follow: Option<ConfigFile>) -> Watcher {
        let mut watcher = Watcher {
            rules: Vec::new(),
            entries: HashMap::new(),
            follow: follow.map(|f| {
                let stamp = stamp(&f);
                (f, stamp)
            }),
        };
        watcher.take(config);
        watcher
    }

    fn take(&mut self, config: &Config) {
        self.rules = config.alert_rules.clone();
        // Only rules need the watchlist; a long one is not copied for nothing.
        self.entries = if self.rules.is_empty() {
            HashMap::new()
        } else {
            config
                .watchlist
                .iter()
                .map(|e| {
                    let entry = Entry {
                        label: e.label.clone(),
                        campaign: e.campaign.clone(),
                        price: e.price.map(|p| p.as_f64()),
                    };
                    (e.item_id.to_string(), entry)
                })
                .collect()
        };
    }

    /// Re-reads the config file if it changed; a file that does not read keeps the rules
    /// in force (the dashboard says what is wrong with it).
    fn follow(&mut self) {
        let Some((file, seen)) = &mut self.follow else {
            return;
        };
        let now = stamp(file);
        if now == *seen {
            return;
        }
        *seen = now;
        match file.load() {
            Ok(config) => self.take(&config),
            Err(e) => tracing::warn!("alert rules kept as they were: {e}"),
        }
    }

    /// Evaluates every rule for the items just stored (each once) and returns the alerts
    /// that fire; their crossing state is kept in `store`.
    pub fn after_record(
        &mut self,
        store: &mut dyn Store,
        item_ids: &[String],
    ) -> Result<Vec<Alert>, StoreError> {
        self.follow();
        if self.rules.is_empty() {
            return Ok(Vec::new());
        }
        let mut seen = HashSet::new();
        let mut observations = Vec::new();
        for id in item_ids {
            if !seen.insert(id) {
                continue;
            }
            let Some(row) = store.row(id, 0)? else {
                continue;
            };
            let entry = self.entries.get(id).cloned().unwrap_or_default();
            let subject = Subject {
                newest: row.newest,
                previous: row.previous,
                label: entry.label.or(row.title),
                campaign: entry.campaign,
                price: entry.price,
            };
            observations.extend(observe(&self.rules, &subject));
        }
        if observations.is_empty() {
            return Ok(Vec::new());
        }
        store.observe_alerts(&observations)
    }
}

fn stamp(file: &ConfigFile) -> Option<(u64, SystemTime)> {
    std::fs::metadata(file.path())
        .ok()
        .map(|m| (m.len(), m.modified().unwrap_or(SystemTime::UNIX_EPOCH)))
}
