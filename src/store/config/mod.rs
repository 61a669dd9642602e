//! The user's TOML config file, which also holds their watchlist.
//!
//! The file is hand-edited, so the app's own writes (watchlist add/remove/label) go through
//! `toml_edit` and touch only the watchlist: comments, ordering and unknown keys survive. Two
//! processes (the dashboard and a cron job) may write at once, so every write is a
//! read-modify-write under a cross-process lock, replaced atomically.
//!
//! By concern: `schema` (the sections and how each value is checked), `load` (text to a
//! checked `Config`), `file` (reading, the lock, read-modify-write, file modes), `edit` (the
//! `toml_edit` changes to the watchlist) and `errors` (what a bad file is told as).

mod edit;
mod errors;
mod file;
mod load;
mod schema;
#[cfg(all(test, unix))]
mod testing;

pub use errors::ConfigError;
pub(in crate::store) use errors::line_column;
pub use schema::{
    AlertsSection, ApiSection, CACHE_MINUTES, CONCURRENCY, Config, HistorySection, KEEP_DAYS,
    KeyChanges, LinksSection, REFRESH_MAX, REFRESH_MIN, STOP_AFTER_DAYS, SharedKeys, TIMEOUT_SECS,
    UiSection, WatchEntry, WatchSection, parse_duration,
};

use std::path::{Path, PathBuf};

/// Handle on a config file path. Cheap; every call reads the file afresh so that changes made by
/// other processes or by hand are always seen.
#[derive(Debug, Clone)]
pub struct ConfigFile {
    path: PathBuf,
}

impl ConfigFile {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}
