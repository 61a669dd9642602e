//! Resolved short links: short code → item id. A code always means the same video, so a link
//! resolved once never costs a request again, in any process.
//!
//! Its own small SQLite file (`links.sqlite3` in the data dir) rather than a table in the
//! history: losing or damaging it costs only a re-resolution, and it never touches the
//! history's schema. Several processes may resolve at once, hence SQLite and a busy timeout.

use std::path::PathBuf;
use std::time::Duration;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::fsutil::create_private_dir_all;

const SCHEMA: &str = "CREATE TABLE IF NOT EXISTS short_links (
    code        TEXT    PRIMARY KEY,
    item_id     TEXT    NOT NULL,
    resolved_at INTEGER NOT NULL
)";

const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, thiserror::Error)]
#[error("short-link store {}: {detail}", path.display())]
pub struct ShortLinkStoreError {
    path: PathBuf,
    detail: String,
}

/// Handle on the store's path; every call opens the file briefly, so a damaged or missing
/// file only ever costs that call.
#[derive(Debug, Clone)]
pub struct ShortLinkStore {
    path: PathBuf,
}

impl ShortLinkStore {
    pub fn new(path: impl Into<PathBuf>) -> ShortLinkStore {
        ShortLinkStore { path: path.into() }
    }

    /// The item id stored for `code`, if the code was resolved before. A missing file is
    /// simply empty (and is not created by a read).
    pub fn get(&self, code: &str) -> Result<Option<String>, ShortLinkStoreError> {
        if !self.path.exists() {
            return Ok(None);
        }
        let conn = self.open()?;
        conn.query_row(
            "SELECT item_id FROM short_links WHERE code = ?1",
            [code],
            |row| row.get(0),
        )
        .optional()
        .map_err(|e| self.error(e))
    }

    /// Remembers that `code` leads to `item_id`.
    pub fn put(
        &self,
        code: &str,
        item_id: &str,
        resolved_at: DateTime<Utc>,
    ) -> Result<(), ShortLinkStoreError> {
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            create_private_dir_all(dir).map_err(|e| self.error(e))?;
        }
        let conn = self.open()?;
        conn.execute(
            "INSERT OR REPLACE INTO short_links (code, item_id, resolved_at) VALUES (?1, ?2, ?3)",
            params![code, item_id, resolved_at.timestamp_millis()],
        )
        .map(|_| ())
        .map_err(|e| self.error(e))
    }

    fn open(&self) -> Result<Connection, ShortLinkStoreError> {
        let conn = Connection::open(&self.path).map_err(|e| self.error(e))?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(|e| self.error(e))?;
        conn.execute_batch(SCHEMA).map_err(|e| self.error(e))?;
        Ok(conn)
    }

    fn error(&self, e: impl std::fmt::Display) -> ShortLinkStoreError {
        ShortLinkStoreError {
            path: self.path.clone(),
            detail: e.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_codes_across_handles() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("links.sqlite3");
        let store = ShortLinkStore::new(&path);
        assert_eq!(store.get("iRNBho6u").unwrap(), None);
        assert!(!path.exists(), "a read must not create the file");
        store
            .put("iRNBho6u", "7566200471448779514", Utc::now())
            .unwrap();
        let again = ShortLinkStore::new(&path);
        assert_eq!(
            again.get("iRNBho6u").unwrap().as_deref(),
            Some("7566200471448779514")
        );
        assert_eq!(
            again.get("irnbho6u").unwrap(),
            None,
            "codes are case-sensitive"
        );
    }

    #[test]
    fn a_damaged_file_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("links.sqlite3");
        std::fs::write(
            &path,
            b"this is not a database, just text that is long enough",
        )
        .unwrap();
        let store = ShortLinkStore::new(&path);
        let err = store.get("abc").unwrap_err().to_string();
        assert!(err.contains("links.sqlite3"), "{err}");
    }
}
