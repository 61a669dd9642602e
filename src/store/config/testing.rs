//! Shared setup of the config tests: a config file in a temporary directory, file modes,
//! parse errors taken apart, the documented example.

use crate::store::config::errors::ConfigError;
use crate::store::config::{ConfigFile, WatchEntry};
use chrono::{DateTime, Utc};
use std::fmt;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

pub(super) const TOKEN: &str = "tok-SECRET-123";

pub(super) fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

pub(super) fn setup(contents: Option<&str>) -> (tempfile::TempDir, ConfigFile) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    if let Some(contents) = contents {
        fs::write(&path, contents).unwrap();
    }
    (dir, ConfigFile::new(path))
}

pub(super) fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

pub(super) fn chmod(path: &Path, mode: u32) {
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

pub(super) fn parse_err(result: Result<impl fmt::Debug, ConfigError>) -> (usize, usize, String) {
    match result {
        Err(ConfigError::Parse {
            line,
            column,
            message,
            ..
        }) => (line, column, message),
        other => panic!("expected a parse error, got {other:?}"),
    }
}

pub(super) fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/config")
}

pub(super) fn golden_setup(input: &str) -> (tempfile::TempDir, ConfigFile) {
    setup(Some(&fs::read_to_string(golden_dir().join(input)).unwrap()))
}

pub(super) const EXAMPLE: &str = r#"# my settings
[api]
token = "abc"            # secret!
base_url = "https://api.justoneapi.com"   # optional
region = "cn"            # optional: "global" | "cn"
timeout = 60             # seconds, optional

[ui]
number_style = "cn"      # "cn" | "intl", optional
mouse = true             # optional

[watch]
refresh_interval = "1h"  # optional, string like "30m", "1h", "1h30m"
concurrency = 4          # optional
cache_minutes = 10       # optional

[history]
keep_days = 90           # optional

[[watchlist]]
item_id = "7566200471448779514"
label = "理想L6 launch"        # optional
added_at = 2026-11-20T08:15:02Z

[[watchlist]]
item_id = "7566200471448779515"
added_at = 2026-11-21T09:00:00Z
"#;

impl WatchEntry {
    pub(super) fn into_pair(self) -> (String, Option<String>) {
        (self.item_id.to_string(), self.label)
    }
}
