//! The response cache file of earlier versions (`responses.json` in the cache dir), imported
//! into the store once and then renamed aside: never deleted, and never read again.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;

use super::history::{History, HistoryError};
use super::{Record, Snapshot};
use crate::report::{Report, essential};

/// The only layout that was ever written.
const FORMAT_VERSION: u32 = 1;
/// Rows per transaction while importing.
const CHUNK: usize = 1_000;

#[derive(Deserialize)]
struct CacheFile {
    version: u32,
    entries: HashMap<String, Entry>,
}

#[derive(Deserialize)]
struct Entry {
    fetched_at: DateTime<Utc>,
    data: Value,
}

/// Imports `path` into `history` if it exists, then renames it to `<name>.imported` (or, when
/// it cannot be read as a cache, to `<name>.unreadable`). A store error leaves the file where
/// it is, so the next run tries again.
pub(super) fn import(history: &mut History, path: &Path) -> Result<(), HistoryError> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => {
            tracing::warn!(
                "old response cache {} unreadable, left alone: {e}",
                path.display()
            );
            return Ok(());
        }
    };
    let parsed = serde_json::from_slice::<CacheFile>(&bytes)
        .map_err(|e| e.to_string())
        .and_then(|file| match file.version {
            FORMAT_VERSION => Ok(file.entries),
            other => Err(format!("unknown version {other}")),
        });
    drop(bytes);
    let suffix = match parsed {
        Ok(entries) => {
            let count = entries.len();
            let mut added = 0;
            let mut chunk: Vec<(Snapshot, Value)> = Vec::with_capacity(CHUNK.min(count));
            for (item_id, entry) in entries {
                let data = essential(&entry.data);
                let report = Report::from_data(&item_id, &data);
                chunk.push((Snapshot::of(&report, entry.fetched_at), data));
                if chunk.len() == CHUNK {
                    added += import_chunk(history, &mut chunk)?;
                }
            }
            added += import_chunk(history, &mut chunk)?;
            tracing::info!(
                "imported {count} cached responses from {} ({added} new snapshots)",
                path.display()
            );
            ".imported"
        }
        Err(e) => {
            tracing::warn!(
                "old response cache {} is not a cache file ({e}); moved aside, not imported",
                path.display()
            );
            ".unreadable"
        }
    };
    let aside = with_suffix(path, suffix);
    if let Err(e) = std::fs::rename(path, &aside) {
        tracing::warn!("cannot move {} to {}: {e}", path.display(), aside.display());
    }
    // The lock file beside it only ever served that file.
    let _ = std::fs::remove_file(with_suffix(path, ".lock"));
    Ok(())
}

fn import_chunk(
    history: &mut History,
    chunk: &mut Vec<(Snapshot, Value)>,
) -> Result<usize, HistoryError> {
    let records: Vec<Record<'_>> = chunk
        .iter()
        .map(|(snapshot, data)| Record {
            snapshot: snapshot.clone(),
            data,
        })
        .collect();
    let added = history.import(&records)?;
    drop(records);
    chunk.clear();
    Ok(added)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}
