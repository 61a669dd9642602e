//! The user's TOML config file, which also holds their watchlist.
//!
//! The file is hand-edited, so the app's own writes (watchlist add/remove/label) go through
//! `toml_edit` and touch only the watchlist: comments, ordering and unknown keys survive. Two
//! processes (the dashboard and a cron job) may write at once, so every write is a
//! read-modify-write under a cross-process lock, replaced atomically.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Timelike, Utc};
use secrecy::SecretString;
use serde::Deserialize;
use serde::de::{Deserializer, Error as _};
use toml_edit::{ArrayOfTables, DocumentMut, InlineTable, Item, Table, TableLike, Value};

use super::fsutil::{self, PRIVATE_FILE_MODE, SidecarLock};
use super::known_keys::Offset;
use crate::alerts::{Direction, Metric, Rule, Scope};
use crate::keymap::Keymap;
use crate::price::Price;
use crate::targets::{Metric as TargetMetric, TargetSet, Targets};

/// Handle on a config file path. Cheap; every call reads the file afresh so that changes made by
/// other processes or by hand are always seen.
#[derive(Debug, Clone)]
pub struct ConfigFile {
    path: PathBuf,
}

/// The parsed config. Every setting is optional: the file is optional and so is every key.
#[derive(Debug, Default, Clone)]
pub struct Config {
    pub api: ApiSection,
    pub ui: UiSection,
    pub watch: WatchSection,
    pub history: HistorySection,
    pub links: LinksSection,
    pub watchlist: Vec<WatchEntry>,
    /// `[targets]` with each `[targets.campaign."NAME"]` merged over it.
    pub targets: Targets,
    /// The dashboard's keys, with `[keys]` applied.
    pub keys: Keymap,
    /// `[alerts]`: where fired alerts go.
    pub alerts: AlertsSection,
    /// The `[[alert]]` rules, checked.
    pub alert_rules: Vec<Rule>,
    /// Problems the user should hear about that do not stop the app (e.g. file permissions).
    pub warnings: Vec<String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct ApiSection {
    /// Wrapped at once so that no Debug output, log line or error can print it.
    #[serde(deserialize_with = "de_token")]
    pub token: Option<SecretString>,
    pub base_url: Option<String>,
    /// `"global"` or `"cn"` (any case), checked here.
    #[serde(deserialize_with = "de_region")]
    pub region: Option<String>,
    /// Seconds.
    #[serde(deserialize_with = "de_timeout")]
    pub timeout: Option<u64>,
    /// `false`: no balance reads of the app's own accord (status bar, spend measuring).
    pub show_balance: Option<bool>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct UiSection {
    /// `"cn"` or `"intl"` (or what `NumberStyle::parse` accepts), checked here.
    #[serde(deserialize_with = "de_number_style")]
    pub number_style: Option<String>,
    /// `"zh"` or `"en"`, checked here.
    #[serde(deserialize_with = "de_language")]
    pub language: Option<String>,
    pub mouse: Option<bool>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct WatchSection {
    /// A duration such as `"30m"`, `"1h"`, `"1h30m"`; checked here, used by the caller.
    #[serde(deserialize_with = "de_refresh_interval")]
    pub refresh_interval: Option<String>,
    #[serde(deserialize_with = "de_concurrency")]
    pub concurrency: Option<usize>,
    #[serde(deserialize_with = "de_cache_minutes")]
    pub cache_minutes: Option<u64>,
    /// Items published more than this many days ago are settled: refreshes skip them.
    #[serde(deserialize_with = "de_stop_after_days")]
    pub stop_after_days: Option<u32>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct HistorySection {
    #[serde(deserialize_with = "de_keep_days")]
    pub keep_days: Option<u32>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct AlertsSection {
    /// `false` keeps the dashboard's terminal bell quiet when an alert fires.
    pub bell: Option<bool>,
    /// Run through the shell for each fired alert, with the alert as JSON on stdin.
    #[serde(deserialize_with = "de_command")]
    pub command: Option<String>,
}

/// One `[[alert]]` as written; `Rule` once checked.
#[derive(Deserialize)]
struct RawAlert {
    #[serde(default, deserialize_with = "de_label")]
    name: Option<String>,
    #[serde(deserialize_with = "de_metric")]
    metric: Metric,
    #[serde(default, deserialize_with = "de_threshold")]
    above: Option<f64>,
    #[serde(default, deserialize_with = "de_threshold")]
    below: Option<f64>,
    #[serde(default, deserialize_with = "de_alert_item")]
    item: Option<String>,
    #[serde(default, deserialize_with = "de_label")]
    campaign: Option<String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct LinksSection {
    /// `false` turns short-link resolution off.
    pub resolve: Option<bool>,
}

/// `[targets]`: a minimum for each rate (a fraction of views), a maximum for each cost (CNY);
/// `campaign` holds the per-campaign overrides, in the same shape.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
struct TargetsSection {
    #[serde(deserialize_with = "de_rate_target")]
    like_rate: Option<f64>,
    #[serde(deserialize_with = "de_rate_target")]
    comment_rate: Option<f64>,
    #[serde(deserialize_with = "de_rate_target")]
    share_rate: Option<f64>,
    #[serde(deserialize_with = "de_rate_target")]
    interact_rate: Option<f64>,
    #[serde(deserialize_with = "de_rate_target")]
    finish_rate: Option<f64>,
    #[serde(deserialize_with = "de_cost_target")]
    cpm: Option<f64>,
    #[serde(deserialize_with = "de_cost_target")]
    cpe: Option<f64>,
    campaign: BTreeMap<String, TargetsSection>,
}

impl TargetsSection {
    fn values(&self) -> TargetSet {
        let mut set = TargetSet::default();
        for (metric, value) in [
            (TargetMetric::LikeRate, self.like_rate),
            (TargetMetric::CommentRate, self.comment_rate),
            (TargetMetric::ShareRate, self.share_rate),
            (TargetMetric::InteractRate, self.interact_rate),
            (TargetMetric::FinishRate, self.finish_rate),
            (TargetMetric::Cpm, self.cpm),
            (TargetMetric::Cpe, self.cpe),
        ] {
            set.set(metric, value);
        }
        set
    }

    /// A `campaign` table inside a campaign's is warned about as an unknown key, not used.
    fn targets(&self) -> Targets {
        let overrides = self
            .campaign
            .iter()
            .map(|(name, section)| (name.clone(), section.values()))
            .collect();
        Targets::new(self.values(), overrides)
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct WatchEntry {
    #[serde(deserialize_with = "de_item_id")]
    pub item_id: String,
    #[serde(default, deserialize_with = "de_label")]
    pub label: Option<String>,
    #[serde(default, deserialize_with = "de_label")]
    pub campaign: Option<String>,
    /// The fee paid for the video, in CNY.
    #[serde(default, deserialize_with = "de_price")]
    pub price: Option<Price>,
    /// A TOML local date-time (no offset) is taken as UTC, the zone the app writes in.
    #[serde(default, deserialize_with = "de_added_at")]
    pub added_at: Option<DateTime<Utc>>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file is not valid TOML or a value has the wrong type. Writes refuse to touch such a
    /// file, so the user has to fix it.
    #[error(
        "{}:{line}:{column}: {message} — fix the file by hand (the app will not overwrite it)",
        path.display()
    )]
    Parse {
        path: PathBuf,
        /// 1-based.
        line: usize,
        /// 1-based, in characters.
        column: usize,
        /// The parser's description, without any quoted source.
        message: String,
    },
    #[error("config file {}: cannot {action}: {source}", path.display())]
    Io {
        path: PathBuf,
        action: &'static str,
        #[source]
        source: io::Error,
    },
}

/// The keys `watch add` and `watch import` give every entry they add.
#[derive(Debug, Default, Clone)]
pub struct SharedKeys {
    pub campaign: Option<String>,
    pub price: Option<Price>,
}

/// What `watch set` changes: `None` leaves a key alone, `Some(None)` (or an empty text)
/// removes it.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct KeyChanges {
    pub label: Option<Option<String>>,
    pub campaign: Option<Option<String>>,
    pub price: Option<Option<Price>>,
}

/// Top-level shape used for deserializing; `Config` adds warnings and drops duplicates.
#[derive(Default, Deserialize)]
#[serde(default)]
struct RawConfig {
    api: ApiSection,
    ui: UiSection,
    watch: WatchSection,
    history: HistorySection,
    links: LinksSection,
    watchlist: Vec<WatchEntry>,
    targets: TargetsSection,
    keys: BTreeMap<String, toml::Spanned<KeyNames>>,
    alerts: AlertsSection,
    alert: Vec<toml::Spanned<RawAlert>>,
}

/// `refetch = "f"` or `refetch = ["f", "F5"]`.
struct KeyNames(Vec<String>);

impl<'de> Deserialize<'de> for KeyNames {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        const HINT: &str =
            r#"a key is written like "f", "Ctrl-R" or "F5", or a list like ["f", "F5"]"#;
        match toml::Value::deserialize(d)? {
            toml::Value::String(key) => Ok(KeyNames(vec![key])),
            toml::Value::Array(keys) => keys
                .into_iter()
                .map(|k| match k {
                    toml::Value::String(key) => Ok(key),
                    _ => Err(D::Error::custom(HINT)),
                })
                .collect::<Result<_, _>>()
                .map(KeyNames),
            _ => Err(D::Error::custom(HINT)),
        }
    }
}

/// Watchlist entries per parse when a long watchlist is read in chunks.
const CHUNK_ENTRIES: usize = 512;

/// A TOML parser holds the whole document as a tree several times the size of the typed
/// result, which for 100,000 watched items is hundreds of megabytes at once. A long
/// watchlist written as `[[watchlist]]` tables is therefore parsed a chunk of entries at a
/// time, and the rest of the file on its own (the chunks' lines left blank, so warnings
/// name the right line; a chunk's warnings are counted from the line it starts on). `None` means "parse it
/// whole": a short file, another shape of `watchlist`, or any parse error (the whole parse
/// then reports it). A header-like line inside a multi-line string leaves that string
/// unterminated in its chunk, which is such an error, so the split never changes the meaning.
/// Returns the typed config, the unknown-key warnings and the rest of the file.
fn parse_in_chunks(text: &str, path: &Path) -> Option<(RawConfig, Vec<String>, String)> {
    #[derive(Deserialize)]
    struct Entries {
        watchlist: Vec<WatchEntry>,
    }
    let mut rest = String::with_capacity(text.len());
    // Each chunk: the line it starts on, and its text.
    let mut chunks: Vec<(usize, String)> = Vec::new();
    let mut in_watchlist = false;
    let mut entries_in_chunk = 0;
    let mut headers = 0;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            let header = trimmed.split('#').next().unwrap_or_default().trim();
            in_watchlist = header == "[[watchlist]]";
            if !in_watchlist && header.contains("watchlist") {
                return None;
            }
            if in_watchlist {
                headers += 1;
                if chunks.is_empty() || entries_in_chunk == CHUNK_ENTRIES {
                    chunks.push((n, String::new()));
                    entries_in_chunk = 0;
                }
                entries_in_chunk += 1;
            }
        }
        match chunks.last_mut() {
            Some((_, chunk)) if in_watchlist => {
                chunk.push_str(line);
                rest.push('\n');
            }
            _ => rest.push_str(line),
        }
    }
    if headers <= CHUNK_ENTRIES {
        return None;
    }
    let mut unknown = super::known_keys::warnings(
        &toml_edit::Document::parse(rest.as_str()).ok()?,
        &rest,
        Offset::default(),
        path,
    );
    let mut raw: RawConfig = toml::from_str(&rest).ok()?;
    if !raw.watchlist.is_empty() {
        return None;
    }
    raw.watchlist.reserve(headers);
    // Each chunk is parsed as it is; warnings count its lines from where it starts. (Padding
    // it with the lines before would make the parser walk those again for every chunk.)
    for (i, (first_line, chunk)) in chunks.into_iter().enumerate() {
        if !super::known_keys::plainly_known_entries(&chunk) {
            let doc = toml_edit::Document::parse(chunk.as_str()).ok()?;
            let offset = Offset {
                lines: first_line,
                entries: i * CHUNK_ENTRIES,
            };
            unknown.extend(super::known_keys::warnings(&doc, &chunk, offset, path));
        }
        let part: Entries = toml::from_str(&chunk).ok()?;
        raw.watchlist.extend(part.watchlist);
    }
    Some((raw, unknown, rest))
}

impl ConfigFile {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Missing file => `Ok(Config::default())` (not an error). Never writes.
    pub fn load(&self) -> Result<Config, ConfigError> {
        let Some(text) = self.read_text(&self.path)? else {
            return Ok(Config::default());
        };
        // Reading needs no editable document (which costs several times the typed config).
        let mut config = self.parse_config(&text)?;
        if config.api.token.is_some() {
            let mode = fsutil::file_mode(&self.path).map_err(|e| self.io_error("read", e))?;
            if let Some(mode) = mode.filter(|m| m & 0o077 != 0) {
                config.warnings.push(self.permission_warning(mode));
            }
        }
        Ok(config)
    }

    /// Adds an entry; returns `Ok(false)` (and writes nothing) if `item_id` is already present.
    pub fn add_watch(
        &self,
        item_id: &str,
        label: Option<&str>,
        added_at: DateTime<Utc>,
    ) -> Result<bool, ConfigError> {
        self.add_watches(&[(item_id, label)], &SharedKeys::default(), added_at)
            .map(|added| added.first().copied().unwrap_or(false))
    }

    /// Adds every entry whose `item_id` is not present yet, each with its label and the
    /// `shared` keys, in one write (or none, when all are); returns for each entry whether it
    /// was added. An id given twice is added once. A present entry is left as it is.
    pub fn add_watches(
        &self,
        entries: &[(&str, Option<&str>)],
        shared: &SharedKeys,
        added_at: DateTime<Utc>,
    ) -> Result<Vec<bool>, ConfigError> {
        let mut added = vec![false; entries.len()];
        let campaign = non_empty(shared.campaign.as_deref());
        self.modify(|doc, config| {
            let mut present: std::collections::HashSet<&str> = config
                .watchlist
                .iter()
                .map(|e| e.item_id.as_str())
                .collect();
            for (i, (item_id, label)) in entries.iter().enumerate() {
                if present.insert(item_id) {
                    let mut keys = vec![("item_id", Value::from(*item_id))];
                    keys.extend(non_empty(*label).map(|l| ("label", Value::from(l))));
                    keys.extend(campaign.map(|c| ("campaign", Value::from(c))));
                    keys.extend(shared.price.map(|p| ("price", p.to_toml())));
                    keys.push(("added_at", Value::from(toml_datetime(added_at))));
                    append_entry(doc, keys).map_err(|message| self.invalid(message))?;
                    added[i] = true;
                }
            }
            Ok(added.contains(&true))
        })?;
        Ok(added)
    }

    /// Removes every entry with that `item_id`; `Ok(false)` if none.
    pub fn remove_watch(&self, item_id: &str) -> Result<bool, ConfigError> {
        self.modify(|doc, _| Ok(remove_entries(doc, item_id)))
    }

    /// Sets (`Some`) or clears (`None` / empty string) the label; `Ok(false)` if the item is not
    /// in the list.
    pub fn set_label(&self, item_id: &str, label: Option<&str>) -> Result<bool, ConfigError> {
        self.set_keys(
            item_id,
            &KeyChanges {
                label: Some(label.map(str::to_owned)),
                ..KeyChanges::default()
            },
        )
    }

    /// Applies `changes` to every entry of `item_id`; `Ok(false)` (nothing written) if the
    /// item is not in the list.
    pub fn set_keys(&self, item_id: &str, changes: &KeyChanges) -> Result<bool, ConfigError> {
        let text = |change: &Option<Option<String>>| {
            change
                .as_ref()
                .map(|v| non_empty(v.as_deref()).map(Value::from))
        };
        let edits = [
            ("label", text(&changes.label)),
            ("campaign", text(&changes.campaign)),
            ("price", changes.price.map(|p| p.map(Price::to_toml))),
        ];
        self.modify(|doc, _| {
            let mut found = false;
            for entry in entries_mut(doc) {
                if entry_id(entry.get("item_id")).as_deref() == Some(item_id) {
                    for (key, edit) in &edits {
                        if let Some(value) = edit {
                            set_entry_value(entry, key, value.clone());
                        }
                    }
                    found = true;
                }
            }
            Ok(found)
        })
    }

    /// Read-modify-write under the lock. `edit` returns whether it changed anything; nothing is
    /// written when it did not.
    fn modify(
        &self,
        edit: impl FnOnce(&mut DocumentMut, &Config) -> Result<bool, ConfigError>,
    ) -> Result<bool, ConfigError> {
        let _lock =
            SidecarLock::acquire(&self.path).map_err(|e| self.io_error("save changes", e))?;
        let target = self.write_target();
        let existing_mode = fsutil::file_mode(&target).map_err(|e| self.io_error("read", e))?;
        // Re-read under the lock so a concurrent writer's change is never lost.
        let text = self.read_text(&target)?.unwrap_or_default();
        let (mut doc, config) = self.parse(&text)?;
        if !edit(&mut doc, &config)? {
            return Ok(false);
        }
        let mode = match existing_mode {
            Some(mode) if config.api.token.is_none() => mode,
            _ => PRIVATE_FILE_MODE,
        };
        fsutil::write_atomic(&target, doc.to_string().as_bytes(), mode)
            .map_err(|e| self.io_error("write", e))?;
        Ok(true)
    }

    /// Where writes go: through a symlink (dotfile managers) to the real file, so the rename does
    /// not replace the link with a copy.
    fn write_target(&self) -> PathBuf {
        match fs::symlink_metadata(&self.path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                fs::canonicalize(&self.path).unwrap_or_else(|_| self.path.clone())
            }
            _ => self.path.clone(),
        }
    }

    /// The file's text, `None` if it does not exist.
    fn read_text(&self, path: &Path) -> Result<Option<String>, ConfigError> {
        let bytes = match fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(self.io_error("read", e)),
        };
        match String::from_utf8(bytes) {
            Ok(text) => Ok(Some(text)),
            Err(e) => {
                let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
                let valid = String::from_utf8_lossy(valid);
                Err(self.parse_error(&valid, valid.len(), "the file is not valid UTF-8".into()))
            }
        }
    }

    /// Parses both ways: `toml_edit` for the document the writes edit, serde for typed values.
    /// Checking both on every load means a file that loads is also a file the app can edit.
    fn parse(&self, text: &str) -> Result<(DocumentMut, Config), ConfigError> {
        let doc = self.document(text)?;
        let unknown = super::known_keys::warnings(&doc, text, Offset::default(), &self.path);
        Ok((doc.into_mut(), self.typed(text, unknown)?))
    }

    /// [`Self::parse`] for reading only: a long watchlist is parsed a chunk at a time.
    fn parse_config(&self, text: &str) -> Result<Config, ConfigError> {
        if let Some((raw, unknown, rest)) = parse_in_chunks(text, &self.path) {
            let keys = self.keymap(&rest, &raw.keys)?;
            let rules = self.alert_rules(&rest, &raw.alert)?;
            return Ok(self.build_config(raw, keys, rules, unknown));
        }
        let unknown =
            super::known_keys::warnings(&self.document(text)?, text, Offset::default(), &self.path);
        self.typed(text, unknown)
    }

    fn document<'t>(&self, text: &'t str) -> Result<toml_edit::Document<&'t str>, ConfigError> {
        let doc = toml_edit::Document::parse(text).map_err(|e| {
            self.parse_error(
                text,
                e.span().map_or(0, |s| s.start),
                e.message().to_owned(),
            )
        })?;
        // `[alert]` (one bracket) parses as a table, which serde would report only as "a
        // map, expected a sequence".
        if let Some((key, item)) = doc.as_table().get_key_value("alert")
            && !item.is_array_of_tables()
            && !item.is_array()
        {
            return Err(self.parse_error(
                text,
                key.span().map_or(0, |s| s.start),
                "alert rules are written [[alert]], with double brackets (one such table per rule)"
                    .into(),
            ));
        }
        Ok(doc)
    }

    fn typed(&self, text: &str, unknown: Vec<String>) -> Result<Config, ConfigError> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            self.parse_error(
                text,
                e.span().map_or(0, |s| s.start),
                e.message().to_owned(),
            )
        })?;
        let keys = self.keymap(text, &raw.keys)?;
        let rules = self.alert_rules(text, &raw.alert)?;
        Ok(self.build_config(raw, keys, rules, unknown))
    }

    /// Each `[[alert]]` needs exactly one of `above` and `below`, and at most one of `item`
    /// and `campaign`; the error points at the rule.
    fn alert_rules(
        &self,
        text: &str,
        raw: &[toml::Spanned<RawAlert>],
    ) -> Result<Vec<Rule>, ConfigError> {
        raw.iter()
            .enumerate()
            .map(|(n, spanned)| {
                let a = spanned.get_ref();
                let which = match &a.name {
                    Some(name) => format!("[[alert]] {name:?}"),
                    None => format!("[[alert]] number {}", n + 1),
                };
                let fail = |why: String| self.parse_error(text, spanned.span().start, why);
                let (direction, threshold) = match (a.above, a.below) {
                    (Some(t), None) => (Direction::Above, t),
                    (None, Some(t)) => (Direction::Below, t),
                    (Some(_), Some(_)) => {
                        return Err(fail(format!(
                            "{which} has both `above` and `below`: give one (two rules watch both sides)"
                        )));
                    }
                    (None, None) => {
                        return Err(fail(format!(
                            "{which} needs `above = N` or `below = N`"
                        )));
                    }
                };
                let scope = match (&a.item, &a.campaign) {
                    (Some(_), Some(_)) => {
                        return Err(fail(format!(
                            "{which} has both `item` and `campaign`: give one, or neither for every item"
                        )));
                    }
                    (Some(item), None) => Scope::Item(item.clone()),
                    (None, Some(c)) => Scope::Campaign(c.clone()),
                    (None, None) => Scope::All,
                };
                let name = a.name.clone().unwrap_or_else(|| {
                    format!("{} {} {}", a.metric.name(), direction.name(), threshold)
                });
                Ok(Rule {
                    name,
                    metric: a.metric,
                    direction,
                    threshold,
                    scope,
                })
            })
            .collect()
    }

    /// A `[keys]` entry that names no command, or binds a key twice, is an error in the file.
    fn keymap(
        &self,
        text: &str,
        entries: &BTreeMap<String, toml::Spanned<KeyNames>>,
    ) -> Result<Keymap, ConfigError> {
        let overrides = entries
            .iter()
            .map(|(name, keys)| (name.clone(), keys.get_ref().0.clone()))
            .collect();
        Keymap::with_overrides(&overrides).map_err(|e| {
            let offset = e
                .command_names()
                .into_iter()
                .find_map(|name| entries.get(name))
                .map_or(0, |keys| keys.span().start);
            self.parse_error(text, offset, e.to_string())
        })
    }

    fn build_config(
        &self,
        raw: RawConfig,
        keys: Keymap,
        alert_rules: Vec<Rule>,
        mut warnings: Vec<String>,
    ) -> Config {
        let mut watchlist: Vec<WatchEntry> = Vec::with_capacity(raw.watchlist.len());
        let mut seen: std::collections::HashSet<String> =
            std::collections::HashSet::with_capacity(raw.watchlist.len());
        for entry in raw.watchlist {
            if !seen.insert(entry.item_id.clone()) {
                warnings.push(format!(
                    "config file {}: item {} is in the watchlist twice; using the first entry",
                    self.path.display(),
                    entry.item_id
                ));
            } else {
                watchlist.push(entry);
            }
        }
        Config {
            api: raw.api,
            ui: raw.ui,
            watch: raw.watch,
            history: raw.history,
            links: raw.links,
            watchlist,
            targets: raw.targets.targets(),
            keys,
            alerts: raw.alerts,
            alert_rules,
            warnings,
        }
    }

    fn parse_error(&self, text: &str, offset: usize, message: String) -> ConfigError {
        let (line, column) = line_column(text, offset);
        let line_text = text.lines().nth(line - 1).unwrap_or_default();
        ConfigError::Parse {
            path: self.path.clone(),
            line,
            column,
            message: clean_message(&message, line_text),
        }
    }

    /// A watchlist shape that passed type checking but that the editor cannot handle.
    fn invalid(&self, message: String) -> ConfigError {
        ConfigError::Parse {
            path: self.path.clone(),
            line: 1,
            column: 1,
            message,
        }
    }

    fn io_error(&self, action: &'static str, source: io::Error) -> ConfigError {
        ConfigError::Io {
            path: self.path.clone(),
            action,
            source,
        }
    }

    fn permission_warning(&self, mode: u32) -> String {
        let path = self.path.display();
        format!(
            "config file {path} holds your API token but is readable by other users \
             (mode {mode:04o}): run chmod 600 {path}"
        )
    }
}

/// 1-based line and character column of a byte offset.
pub(super) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Parser messages can span lines and quote the offending value. On the line that holds the
/// token a quoted value may be the token itself, so quotes are cut there.
fn clean_message(message: &str, line_text: &str) -> String {
    let joined = message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ");
    if line_text.contains("token") {
        strip_quoted(&joined)
    } else {
        joined
    }
}

/// Replaces every `` `...` `` and `"..."` span longer than a few characters (a token cannot be
/// that short; punctuation such as `` `=` `` is worth keeping) with an ellipsis.
fn strip_quoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut quoted: Option<(char, String)> = None;
    for c in message.chars() {
        match &mut quoted {
            Some((q, inner)) if c == *q => {
                if inner.chars().count() <= 3 {
                    out.push(c);
                    out.push_str(inner);
                    out.push(c);
                } else {
                    out.push('…');
                }
                quoted = None;
            }
            Some((_, inner)) => inner.push(c),
            None if c == '`' || c == '"' => quoted = Some((c, String::new())),
            None => out.push(c),
        }
    }
    // An unterminated quote is dropped with its content.
    if quoted.is_some() {
        out.push('…');
    }
    out
}

fn non_empty(label: Option<&str>) -> Option<&str> {
    label.filter(|l| !l.trim().is_empty())
}

/// The accepted range of every numeric setting, stated in the error when a value is outside.
pub const TIMEOUT_SECS: (u64, u64) = (1, 3600);
pub const CONCURRENCY: (usize, usize) = (1, 64);
/// A week: the response cache keeps nothing older (`cache::RETENTION`).
pub const CACHE_MINUTES: (u64, u64) = (0, 7 * 24 * 60);
/// Xingtu's own figure is 45; a day at least, ten years at most.
pub const STOP_AFTER_DAYS: (u32, u32) = (1, 3650);
/// At least a day: history is pruned on every run, so 0 would delete it all each time.
pub const KEEP_DAYS: (u32, u32) = (1, 36500);
/// Auto-refresh: paid calls every few seconds would drain a balance by accident; more than a
/// week apart is not a dashboard refresh.
pub const REFRESH_MIN: chrono::Duration = chrono::Duration::minutes(5);
pub const REFRESH_MAX: chrono::Duration = chrono::Duration::days(7);

/// A whole number in `lo..=hi`, or an error that states the range.
fn whole_in_range<'de, D, T>(
    d: D,
    what: &str,
    (lo, hi): (T, T),
    unit: &str,
) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<i64> + PartialOrd + Copy + std::fmt::Display,
{
    let range = format!("{what} must be from {lo} to {hi}{unit}");
    match toml::Value::deserialize(d)? {
        toml::Value::Integer(i) => T::try_from(i)
            .ok()
            .filter(|v| *v >= lo && *v <= hi)
            .map(Some)
            .ok_or_else(|| D::Error::custom(format!("{range}; {i} is out of range"))),
        other => Err(D::Error::custom(format!(
            "{range}; a {} is not a whole number",
            other.type_str()
        ))),
    }
}

/// A string that `accept` takes, or an error that names the choices.
fn one_of<'de, D: Deserializer<'de>>(
    d: D,
    what: &str,
    choices: &str,
    accept: fn(&str) -> bool,
) -> Result<Option<String>, D::Error> {
    match toml::Value::deserialize(d)? {
        toml::Value::String(s) if accept(&s) => Ok(Some(s)),
        _ => Err(D::Error::custom(format!("{what} must be {choices}"))),
    }
}

fn de_region<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    one_of(d, "[api] region", "\"global\" or \"cn\"", |s| {
        matches!(s.trim().to_ascii_lowercase().as_str(), "global" | "cn")
    })
}

fn de_number_style<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    one_of(d, "[ui] number_style", "\"cn\" or \"intl\"", |s| {
        crate::format::NumberStyle::parse(s).is_some()
    })
}

fn de_language<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    one_of(d, "[ui] language", "\"zh\" or \"en\"", |s| {
        crate::i18n::Lang::parse(s).is_some()
    })
}

fn de_timeout<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    whole_in_range(d, "[api] timeout", TIMEOUT_SECS, " seconds")
}

fn de_concurrency<'de, D: Deserializer<'de>>(d: D) -> Result<Option<usize>, D::Error> {
    whole_in_range(d, "[watch] concurrency", CONCURRENCY, "")
}

fn de_cache_minutes<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    whole_in_range(d, "[watch] cache_minutes", CACHE_MINUTES, " (7 days)")
}

fn de_stop_after_days<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    whole_in_range(d, "[watch] stop_after_days", STOP_AFTER_DAYS, "")
}

fn de_keep_days<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    whole_in_range(d, "[history] keep_days", KEEP_DAYS, "")
}

/// Below the minimum is raised to it with a note (`settings::refresh_interval`); above the
/// maximum, or not a duration, is an error.
fn de_refresh_interval<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    const SHAPE: &str =
        "[watch] refresh_interval must be a duration like \"30m\", \"1h\" or \"1h30m\"";
    let raw = match toml::Value::deserialize(d)? {
        toml::Value::String(s) => s,
        other => {
            return Err(D::Error::custom(format!(
                "{SHAPE}, not a {}",
                other.type_str()
            )));
        }
    };
    // Digits and units that are no positive duration are zero or too large: out of range.
    let shaped = raw
        .trim()
        .chars()
        .all(|c| c.is_ascii_digit() || c.is_whitespace() || "dhmsDHMS".contains(c))
        && raw.trim().starts_with(|c: char| c.is_ascii_digit());
    match parse_duration(&raw) {
        Some(every) if every <= REFRESH_MAX => Ok(Some(raw)),
        None if !shaped => Err(D::Error::custom(SHAPE)),
        _ => Err(D::Error::custom(
            "[watch] refresh_interval must be from 5m to 7d; leave it out to turn auto-refresh off",
        )),
    }
}

/// "1h30m", "45m", "90s", "2d", or a bare number of minutes (any unit humantime knows,
/// in any case: "45M" is minutes here, never months). `None` when it is not a positive
/// duration or too large for a date calculation.
pub fn parse_duration(raw: &str) -> Option<chrono::Duration> {
    let s = raw.trim().to_ascii_lowercase();
    if let Ok(minutes) = s.parse::<i64>() {
        return chrono::Duration::try_minutes(minutes).filter(|d| *d > chrono::Duration::zero());
    }
    let std = humantime::parse_duration(&s).ok()?;
    chrono::Duration::from_std(std)
        .ok()
        .filter(|d| *d > chrono::Duration::zero())
}

fn de_token<'de, D: Deserializer<'de>>(d: D) -> Result<Option<SecretString>, D::Error> {
    Ok(Option::<String>::deserialize(d)?.map(SecretString::from))
}

fn de_label<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<String>::deserialize(d)?.filter(|l| !l.trim().is_empty()))
}

/// A metric an alert can watch, or an error that lists them.
fn de_metric<'de, D: Deserializer<'de>>(d: D) -> Result<Metric, D::Error> {
    let known = Metric::names();
    match toml::Value::deserialize(d)? {
        toml::Value::String(s) => Metric::from_name(&s).ok_or_else(|| {
            D::Error::custom(format!(
                "[[alert]] metric {s:?} is not one the app knows; known metrics: {known}"
            ))
        }),
        other => Err(D::Error::custom(format!(
            "[[alert]] metric must be a string, one of: {known}; not a {}",
            other.type_str()
        ))),
    }
}

/// A number (`1000000`, `0.02`), or a percentage as a string (`"2%"` = 0.02).
fn de_threshold<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    const SHAPE: &str =
        "[[alert]] above and below take a number (1000000, 0.02) or a percentage (\"2%\")";
    let value = match toml::Value::deserialize(d)? {
        toml::Value::Integer(i) => i as f64,
        toml::Value::Float(f) => f,
        toml::Value::String(s) => s
            .trim()
            .strip_suffix('%')
            .and_then(|p| p.trim().parse::<f64>().ok())
            .map(|p| p / 100.0)
            .ok_or_else(|| D::Error::custom(format!("{SHAPE}; {s:?} is neither")))?,
        other => {
            return Err(D::Error::custom(format!(
                "{SHAPE}; not a {}",
                other.type_str()
            )));
        }
    };
    if value.is_finite() {
        Ok(Some(value))
    } else {
        Err(D::Error::custom(format!("{SHAPE}; {value} is not one")))
    }
}

/// A video id or a link with one in it (a short link would need a request to resolve).
fn de_alert_item<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let raw = match toml::Value::deserialize(d)? {
        toml::Value::String(s) => s,
        toml::Value::Integer(i) => i.to_string(),
        other => {
            return Err(D::Error::custom(format!(
                "[[alert]] item must be a video id like \"7566200471448779514\", not a {}",
                other.type_str()
            )));
        }
    };
    match crate::item_id::ItemRef::parse(&raw) {
        Ok(crate::item_id::ItemRef::Id(id)) => Ok(Some(id.to_string())),
        Ok(crate::item_id::ItemRef::Short(_)) => Err(D::Error::custom(
            "[[alert]] item: give the video id (a short link is not resolved here)",
        )),
        Err(e) => Err(D::Error::custom(format!("[[alert]] item: {e}"))),
    }
}

fn de_command<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match toml::Value::deserialize(d)? {
        toml::Value::String(s) if s.trim().is_empty() => Ok(None),
        toml::Value::String(s) => Ok(Some(s)),
        other => Err(D::Error::custom(format!(
            "[alerts] command must be a string (a shell command), not a {}",
            other.type_str()
        ))),
    }
}

/// Ids are strings, but a hand-written bare number is accepted: it fits in an i64.
fn de_item_id<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match toml::Value::deserialize(d)? {
        toml::Value::String(s) => Ok(s),
        toml::Value::Integer(i) => Ok(i.to_string()),
        other => Err(D::Error::custom(format!(
            "item_id must be a string like \"7566200471448779514\", not a {}",
            other.type_str()
        ))),
    }
}

fn de_price<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Price>, D::Error> {
    match toml::Value::deserialize(d)? {
        toml::Value::Integer(n) => Price::from_whole(n).map(Some),
        toml::Value::Float(x) => Price::from_decimal(x).map(Some),
        other => Err(format!(
            "price must be a number of CNY like 1200 or 1200.50, not a {}",
            other.type_str()
        )),
    }
    .map_err(D::Error::custom)
}

/// A rate target: a fraction of views (`0.02`) or a percentage (`"2%"`), from 0 to 1.
fn de_rate_target<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    const SHAPE: &str = "a rate target is a fraction of views from 0 to 1, like 0.02 or \"2%\"";
    let value = match toml::Value::deserialize(d)? {
        toml::Value::Integer(n) => n as f64,
        toml::Value::Float(x) => x,
        toml::Value::String(s) => {
            let text = s.trim();
            let number = |t: &str| t.trim().parse::<f64>().ok().filter(|x| x.is_finite());
            match text.strip_suffix(['%', '％']) {
                Some(percent) => number(percent).map(|x| x / 100.0),
                None => number(text),
            }
            .ok_or_else(|| D::Error::custom(format!("{SHAPE}; {s:?} is not one")))?
        }
        other => {
            return Err(D::Error::custom(format!(
                "{SHAPE}, not a {}",
                other.type_str()
            )));
        }
    };
    if !(0.0..=1.0).contains(&value) {
        let hint = if value > 1.0 && value <= 100.0 {
            format!(" (for {value}% write \"{value}%\" or {})", value / 100.0)
        } else {
            String::new()
        };
        return Err(D::Error::custom(format!(
            "{SHAPE}; {value} is out of range{hint}"
        )));
    }
    Ok(Some(value))
}

/// A cost target (CPM or CPE): a fee in CNY, written as a number or as `--price` takes it.
fn de_cost_target<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    match toml::Value::deserialize(d)? {
        toml::Value::Integer(n) => Price::from_whole(n),
        toml::Value::Float(x) => Price::from_decimal(x),
        toml::Value::String(s) => Price::parse(&s),
        other => Err(format!(
            "a cost target is an amount in CNY like 30 or 2.5, not a {}",
            other.type_str()
        )),
    }
    .map(|p| Some(p.as_f64()))
    .map_err(|e| D::Error::custom(format!("cost target: {e}")))
}

fn de_added_at<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    const HINT: &str = "added_at must be a date-time like 2026-11-20T08:15:02Z";
    match toml::Value::deserialize(d)? {
        toml::Value::Datetime(dt) => toml_to_utc(&dt)
            .map(Some)
            .ok_or_else(|| D::Error::custom(HINT)),
        toml::Value::String(s) => DateTime::parse_from_rfc3339(s.trim())
            .map(|dt| Some(dt.with_timezone(&Utc)))
            .map_err(|_| D::Error::custom(HINT)),
        _ => Err(D::Error::custom(HINT)),
    }
}

/// Offset and local date-times, or a bare date (midnight); a bare time has no date to use.
fn toml_to_utc(dt: &toml::value::Datetime) -> Option<DateTime<Utc>> {
    let date = dt.date?;
    let date = NaiveDate::from_ymd_opt(date.year.into(), date.month.into(), date.day.into())?;
    let naive = match dt.time {
        Some(t) => date.and_hms_nano_opt(
            t.hour.into(),
            t.minute.into(),
            t.second.unwrap_or(0).into(),
            t.nanosecond.unwrap_or(0),
        )?,
        None => date.and_hms_opt(0, 0, 0)?,
    };
    let offset_minutes = match dt.offset {
        Some(toml::value::Offset::Custom { minutes }) => i64::from(minutes),
        Some(toml::value::Offset::Z) | None => 0,
    };
    Some(naive.and_utc() - chrono::Duration::minutes(offset_minutes))
}

/// The id of a watchlist entry as the serde side reads it (string or bare integer).
fn entry_id(item: Option<&Item>) -> Option<String> {
    let value = item?.as_value()?;
    value
        .as_str()
        .map(str::to_owned)
        .or_else(|| value.as_integer().map(|i| i.to_string()))
}

/// Every watchlist entry, whether written as `[[watchlist]]` tables or an inline array.
fn entries_mut(doc: &mut DocumentMut) -> Vec<&mut dyn TableLike> {
    match doc.get_mut("watchlist") {
        Some(Item::ArrayOfTables(tables)) => {
            tables.iter_mut().map(|t| t as &mut dyn TableLike).collect()
        }
        Some(Item::Value(Value::Array(array))) => array
            .iter_mut()
            .filter_map(Value::as_inline_table_mut)
            .map(|t| t as &mut dyn TableLike)
            .collect(),
        _ => Vec::new(),
    }
}

fn set_entry_value(entry: &mut dyn TableLike, key: &str, new: Option<Value>) {
    let Some(new) = new else {
        entry.remove(key);
        return;
    };
    match entry.get_mut(key) {
        // Replace the value only, so an inline comment after it survives.
        Some(Item::Value(value)) => {
            let decor = value.decor().clone();
            *value = new;
            *value.decor_mut() = decor;
        }
        _ => {
            entry.insert(key, Item::Value(new));
        }
    }
}

/// Appends an entry holding `keys`, in that order.
fn append_entry(doc: &mut DocumentMut, keys: Vec<(&str, Value)>) -> Result<(), String> {
    let doc_end = max_position(doc.as_table());
    // A document with any key prints something; only a keyless one (maybe comments alone)
    // needs printing to tell. Rendering every time would make an import of n items O(n²).
    let was_empty = doc.as_table().is_empty() && doc.to_string().trim().is_empty();
    match doc.get("watchlist") {
        Some(Item::ArrayOfTables(tables)) => {
            let ends_doc = tables.iter().map(max_position).max() == Some(doc_end);
            let prefix = entry_prefix(doc, ends_doc, was_empty);
            let mut table = new_entry_table(keys);
            table.decor_mut().set_prefix(prefix);
            if let Some(Item::ArrayOfTables(tables)) = doc.get_mut("watchlist") {
                tables.push(table);
            }
        }
        Some(Item::Value(Value::Array(_))) => {
            let mut table = InlineTable::new();
            for (key, value) in keys {
                table.insert(key, value);
            }
            if let Some(Item::Value(Value::Array(array))) = doc.get_mut("watchlist") {
                array.push(table);
            }
        }
        None => {
            let prefix = entry_prefix(doc, true, was_empty);
            let mut table = new_entry_table(keys);
            table.decor_mut().set_prefix(prefix);
            // Without an explicit position a new table lands after the last table *visited*,
            // which is not the end of the file when sub-tables are declared out of order.
            table.set_position(Some(doc_end + 1));
            let mut tables = ArrayOfTables::new();
            tables.push(table);
            doc.insert("watchlist", Item::ArrayOfTables(tables));
        }
        Some(_) => return Err("`watchlist` must be a list of [[watchlist]] tables".into()),
    }
    Ok(())
}

/// What goes above a new `[[watchlist]]` header: a blank line, unless the file is empty. Comments
/// after the last table are kept as the document's trailing text, which is printed after every
/// table, so a table appended at the very end takes them over or it would land above them.
fn entry_prefix(doc: &mut DocumentMut, at_doc_end: bool, doc_was_empty: bool) -> String {
    if doc_was_empty {
        doc.set_trailing("");
        return String::new();
    }
    if !at_doc_end {
        return "\n".into();
    }
    let trailing = doc.trailing().as_str().unwrap_or_default().to_owned();
    doc.set_trailing("");
    if trailing.trim().is_empty() {
        "\n".into()
    } else {
        format!("{}\n\n", trailing.trim_end())
    }
}

fn new_entry_table(keys: Vec<(&str, Value)>) -> Table {
    let mut table = Table::new();
    for (key, value) in keys {
        table.insert(key, Item::Value(value));
    }
    table
}

/// Whole seconds in UTC with a `Z`: the form a person would type.
fn toml_datetime(at: DateTime<Utc>) -> toml_edit::Datetime {
    use chrono::Datelike;
    let date = at.date_naive();
    let time = at.time();
    toml_edit::Datetime {
        date: Some(toml_edit::Date {
            // chrono's year range is wider than TOML's four digits; clamp rather than fail.
            year: u16::try_from(date.year().clamp(0, 9999)).unwrap_or(0),
            month: date.month() as u8,
            day: date.day() as u8,
        }),
        time: Some(toml_edit::Time {
            hour: time.hour() as u8,
            minute: time.minute() as u8,
            // A leap second shows as second 59 + 1e9 ns in chrono; TOML allows 60.
            second: Some(time.second() as u8),
            nanosecond: None,
        }),
        offset: Some(toml_edit::Offset::Z),
    }
}

fn max_position(table: &Table) -> isize {
    let mut max = table.position().unwrap_or(0);
    for (_, item) in table.iter() {
        let sub = match item {
            Item::Table(t) => max_position(t),
            Item::ArrayOfTables(a) => a.iter().map(max_position).max().unwrap_or(0),
            _ => 0,
        };
        max = max.max(sub);
    }
    max
}

/// Removes the matching entries. A comment block above a removed `[[watchlist]]` header that is
/// separated from it by a blank line is a heading for the list, not a note on that entry, so it
/// moves to the next entry instead of disappearing.
fn remove_entries(doc: &mut DocumentMut, item_id: &str) -> bool {
    match doc.get_mut("watchlist") {
        Some(Item::ArrayOfTables(tables)) => remove_tables(tables, item_id),
        Some(Item::Value(Value::Array(array))) => {
            let before = array.len();
            // The first element's spacing differs from the rest (`[{` vs `, {`); keep it first.
            let first_prefix = array.get(0).and_then(|v| v.decor().prefix().cloned());
            array.retain(|v| {
                let id = v
                    .as_inline_table()
                    .and_then(|t| entry_id(TableLike::get(t, "item_id")));
                id.as_deref() != Some(item_id)
            });
            if let (Some(first), Some(prefix)) = (array.get_mut(0), first_prefix) {
                first.decor_mut().set_prefix(prefix);
            }
            before != array.len()
        }
        _ => false,
    }
}

fn remove_tables(tables: &mut ArrayOfTables, item_id: &str) -> bool {
    let mut removed = false;
    let mut carried = String::new();
    let mut i = 0;
    while i < tables.len() {
        let Some(table) = tables.get_mut(i) else {
            break;
        };
        if entry_id(table.get("item_id")).as_deref() == Some(item_id) {
            carried.push_str(detached_comments(&prefix_of(table)));
            tables.remove(i);
            removed = true;
            continue;
        }
        if !carried.is_empty() {
            let prefix = format!("{}\n{}", carried.trim_end(), prefix_of(table));
            table.decor_mut().set_prefix(prefix);
            carried.clear();
        }
        i += 1;
    }
    removed
}

fn prefix_of(table: &Table) -> String {
    table
        .decor()
        .prefix()
        .and_then(|p| p.as_str())
        .unwrap_or_default()
        .to_owned()
}

/// The part of a header's prefix up to its last blank line, if it holds a comment.
fn detached_comments(prefix: &str) -> &str {
    let mut end = 0;
    let mut pos = 0;
    for line in prefix.split_inclusive('\n') {
        pos += line.len();
        if line.trim().is_empty() && line.ends_with('\n') {
            end = pos;
        }
    }
    let detached = &prefix[..end];
    if detached.contains('#') { detached } else { "" }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use secrecy::ExposeSecret;
    use std::fmt;
    use std::os::unix::fs::PermissionsExt;

    const TOKEN: &str = "tok-SECRET-123";

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    /// A long watchlist in the shapes people write: comments, Chinese labels with `[`,
    /// literal and multi-line strings, local times, tables after the list.
    fn long_config(entries: usize) -> String {
        let mut text = String::from("# my list\n[api]\nbase_url = \"http://127.0.0.1:9\"\n\n");
        for i in 0..entries {
            let id = 7_566_200_471_448_779_514u64 + i as u64;
            text.push_str(&format!("[[watchlist]]  # entry {i}\nitem_id = \"{id}\"\n"));
            match i % 4 {
                0 => text.push_str("label = \"理想L6 [launch] 🚗\"\n"),
                1 => text
                    .push_str("label = '''\n[not a header]\n'''\nadded_at = 2026-11-20T08:15:02\n"),
                2 => text.push_str("added_at = 2026-11-20T08:15:02Z\n\n"),
                _ => {}
            }
        }
        text.push_str("\n[watch]\nconcurrency = 8\n");
        text
    }

    #[test]
    fn a_long_watchlist_read_in_chunks_equals_the_whole_parse() {
        let plain = long_config(3 * CHUNK_ENTRIES + 7).replace("[not a header]", "text");
        let (chunked, unknown, _) =
            parse_in_chunks(&plain, Path::new("config.toml")).expect("read in chunks");
        assert!(unknown.is_empty(), "{unknown:?}");
        let whole: RawConfig = toml::from_str(&plain).unwrap();
        assert_eq!(chunked.watchlist.len(), 3 * CHUNK_ENTRIES + 7);
        assert_eq!(chunked.watchlist, whole.watchlist);
        assert_eq!(chunked.api.base_url, whole.api.base_url);
        assert_eq!(chunked.watch.concurrency, Some(8));

        // A header-like line inside a string, short files, other shapes and anything that
        // does not parse go the whole way, and the whole parse is right.
        let tricky = long_config(3 * CHUNK_ENTRIES + 7);
        assert!(parse_in_chunks(&tricky, Path::new("c")).is_none());
        let config = ConfigFile::new("/nonexistent")
            .parse_config(&tricky)
            .unwrap();
        assert_eq!(config.watchlist.len(), 3 * CHUNK_ENTRIES + 7);
        assert_eq!(
            config.watchlist[1].label.as_deref(),
            Some("[not a header]\n")
        );
        assert!(parse_in_chunks(&long_config(10), Path::new("c")).is_none());
        let mut sub_table = plain.clone();
        sub_table.push_str("[watchlist.meta]\nx = 1\n");
        assert!(parse_in_chunks(&sub_table, Path::new("c")).is_none());
    }

    #[test]
    fn chunks_name_unknown_keys_at_their_line_in_the_file() {
        let plain = long_config(3 * CHUNK_ENTRIES + 7).replace("[not a header]", "text");
        let marker = format!("item_id = \"{}\"\n", 7_566_200_471_448_779_514u64 + 1500);
        let text = plain.replacen(&marker, &format!("{marker}colour = \"red\"\n"), 1);
        let line = text[..text.find("colour").unwrap()].matches('\n').count() + 1;
        let (_, unknown, _) = parse_in_chunks(&text, Path::new("c.toml")).expect("in chunks");
        assert_eq!(
            unknown,
            vec![format!(
                "unknown key `colour` in [[watchlist]] entry 1501 of c.toml:{line}:1 (ignored; known keys: item_id, label, campaign, price, added_at)"
            )]
        );
    }

    fn setup(contents: Option<&str>) -> (tempfile::TempDir, ConfigFile) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        if let Some(contents) = contents {
            fs::write(&path, contents).unwrap();
        }
        (dir, ConfigFile::new(path))
    }

    fn mode(path: &Path) -> u32 {
        fs::metadata(path).unwrap().permissions().mode() & 0o7777
    }

    fn chmod(path: &Path, mode: u32) {
        fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
    }

    fn parse_err(result: Result<impl fmt::Debug, ConfigError>) -> (usize, usize, String) {
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

    fn golden_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/config")
    }

    /// The file after an edit against its insta snapshot (`cargo insta review` shows a
    /// change). insta ignores how a snapshot ends, so the one final line break every input
    /// has is checked here.
    fn assert_golden(name: &str, actual: &str) {
        assert!(
            actual.ends_with('\n') && !actual.ends_with("\n\n"),
            "{name}: the file must end with exactly one line break:\n{actual:?}"
        );
        insta::assert_snapshot!(name, actual);
    }

    fn golden_setup(input: &str) -> (tempfile::TempDir, ConfigFile) {
        setup(Some(&fs::read_to_string(golden_dir().join(input)).unwrap()))
    }

    const EXAMPLE: &str = r#"# my settings
[api]
token = "abc"            # secret!
base_url = "https://api.justoneapi.com"   # optional
region = "cn"            # optional: "global" | "cn"
timeout = 60             # seconds, optional

[ui]
number_style = "cn"      # "cn" | "intl", optional
language = "zh"          # "zh" | "en", optional
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

    // ---- load ----

    #[test]
    fn missing_file_loads_as_default_and_creates_nothing() {
        let (dir, file) = setup(None);
        let config = file.load().unwrap();
        assert!(config.api.token.is_none());
        assert!(config.watchlist.is_empty());
        assert!(config.warnings.is_empty());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn alert_rules_load_checked_with_their_scope_and_unknown_keys_named() {
        let (_dir, file) = setup(Some(
            "[alerts]\nbell = false\ncommand = \"curl -d @- https://chat.example/hook\"\n\n\
             [[alert]]\nname = \"viral\"\nmetric = \"views\"\nabove = 1000000\n\n\
             [[alert]]\nmetric = \"Like-Rate\"\nbelow = \"0.5%\"\ncampaign = \"spring\"\n\n\
             [[alert]]\nmetric = \"cpm\"\nabove = 30.5\nitem = \"https://www.douyin.com/video/7566200471448779514\"\nthreshold = 3\n",
        ));
        let config = file.load().unwrap();
        assert_eq!(config.alerts.bell, Some(false));
        assert_eq!(
            config.alerts.command.as_deref(),
            Some("curl -d @- https://chat.example/hook")
        );
        let rules = &config.alert_rules;
        assert_eq!(rules.len(), 3);
        assert_eq!(
            (
                rules[0].name.as_str(),
                rules[0].metric,
                rules[0].direction,
                rules[0].threshold
            ),
            ("viral", Metric::Views, Direction::Above, 1_000_000.0)
        );
        assert_eq!(rules[1].name, "like_rate below 0.005");
        assert_eq!(rules[1].scope, Scope::Campaign("spring".into()));
        assert_eq!(rules[2].scope, Scope::Item("7566200471448779514".into()));
        assert_eq!(rules[2].threshold, 30.5);
        assert_eq!(config.warnings.len(), 1, "{:?}", config.warnings);
        assert!(
            config.warnings[0].contains("unknown key `threshold` in [[alert]] number 3"),
            "{:?}",
            config.warnings
        );

        let (_dir, file) = setup(Some(
            "[ui]\nmouse = true\n[alert]\nmetric = \"views\"\nabove = 1\n",
        ));
        let (line, column, message) = parse_err(file.load());
        assert!(message.contains("written [[alert]]"), "{message}");
        assert_eq!((line, column), (3, 2));

        for (rule, says, at) in [
            (
                "metric = \"viewz\"\nabove = 1",
                "known metrics: views, likes,",
                (2, 10),
            ),
            (
                "metric = \"views\"",
                "needs `above = N` or `below = N`",
                (1, 1),
            ),
            (
                "metric = \"views\"\nabove = 1\nitem = \"7566200471448779514\"\ncampaign = \"c\"",
                "both `item` and `campaign`",
                (1, 1),
            ),
            (
                "metric = \"views\"\nabove = 1\nitem = \"v.douyin.com/iRNBho6u\"",
                "give the video id",
                (4, 8),
            ),
        ] {
            let (_dir, file) = setup(Some(&format!("[[alert]]\n{rule}\n")));
            let (line, column, message) = parse_err(file.load());
            assert!(message.contains(says), "{rule}: {message}");
            assert_eq!((line, column), at, "{rule}: {message}");
        }
    }

    #[test]
    fn loads_the_documented_example() {
        let (dir, file) = setup(Some(EXAMPLE));
        chmod(file.path(), 0o600);
        let c = file.load().unwrap();
        assert_eq!(c.api.token.as_ref().unwrap().expose_secret(), "abc");
        assert_eq!(
            c.api.base_url.as_deref(),
            Some("https://api.justoneapi.com")
        );
        assert_eq!(c.api.region.as_deref(), Some("cn"));
        assert_eq!(c.api.timeout, Some(60));
        assert_eq!(c.ui.number_style.as_deref(), Some("cn"));
        assert_eq!(c.ui.language.as_deref(), Some("zh"));
        assert_eq!(c.ui.mouse, Some(true));
        assert_eq!(c.watch.refresh_interval.as_deref(), Some("1h"));
        assert_eq!(c.watch.concurrency, Some(4));
        assert_eq!(c.watch.cache_minutes, Some(10));
        assert_eq!(c.history.keep_days, Some(90));
        assert_eq!(
            c.watchlist,
            vec![
                WatchEntry {
                    item_id: "7566200471448779514".into(),
                    label: Some("理想L6 launch".into()),
                    campaign: None,
                    price: None,
                    added_at: Some(at("2026-11-20T08:15:02Z")),
                },
                WatchEntry {
                    item_id: "7566200471448779515".into(),
                    label: None,
                    campaign: None,
                    price: None,
                    added_at: Some(at("2026-11-21T09:00:00Z")),
                },
            ]
        );
        assert!(c.warnings.is_empty(), "{:?}", c.warnings);
        // Loading never writes: no lock file either.
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn targets_load_with_campaign_overrides() {
        let (_dir, file) = setup(Some(
            "[targets]\nlike_rate = 0.02\ninteract_rate = \"1%\"\nfinish_rate = 0\ncpm = 30\ncpe = \"¥2.5\"\n\
             [targets.campaign.\"秋季发布会\"]\ncpm = 20.5\nlike_rate = \"3 %\"\n",
        ));
        let c = file.load().unwrap();
        assert!(c.warnings.is_empty(), "{:?}", c.warnings);
        let all = c.targets.for_campaign(None);
        assert_eq!(all.get(TargetMetric::LikeRate), Some(0.02));
        assert_eq!(all.get(TargetMetric::InteractRate), Some(0.01));
        assert_eq!(all.get(TargetMetric::FinishRate), Some(0.0));
        assert_eq!(all.get(TargetMetric::Cpm), Some(30.0));
        assert_eq!(all.get(TargetMetric::Cpe), Some(2.5));
        assert_eq!(all.get(TargetMetric::ShareRate), None);
        let autumn = c.targets.for_campaign(Some("秋季发布会"));
        assert_eq!(autumn.get(TargetMetric::Cpm), Some(20.5));
        assert_eq!(autumn.get(TargetMetric::LikeRate), Some(0.03));
        assert_eq!(autumn.get(TargetMetric::Cpe), Some(2.5));
        assert!(file.load().is_ok());
        let (_dir, none) = setup(Some("[ui]\nmouse = true\n"));
        assert!(none.load().unwrap().targets.is_empty());
    }

    #[test]
    fn bad_target_values_are_errors_at_their_place() {
        for (text, at, says) in [
            (
                "[targets]\nlike_rate = 2\n",
                (2, 13),
                "(for 2% write \"2%\" or 0.02)",
            ),
            ("[targets]\nlike_rate = -0.1\n", (2, 13), "out of range"),
            (
                "[targets]\ncomment_rate = \"lots\"\n",
                (2, 16),
                "\"lots\" is not one",
            ),
            ("[targets]\nshare_rate = true\n", (2, 14), "not a boolean"),
            ("[targets]\nfinish_rate = nan\n", (2, 15), "out of range"),
            ("[targets]\ncpm = -5\n", (2, 7), "from 0 to"),
            ("[targets]\ncpe = \"cheap\"\n", (2, 7), "not a price"),
            (
                "[targets]\n[targets.campaign.\"A\"]\ncpm = 1e12\n",
                (3, 7),
                "out of range",
            ),
            ("[targets]\ncampaign = \"A\"\n", (2, 12), "invalid type"),
        ] {
            let (_dir, file) = setup(Some(text));
            let (line, column, message) = parse_err(file.load());
            assert_eq!((line, column), at, "{text:?}: {message}");
            assert!(message.contains(says), "{text:?}: {message}");
        }
    }

    #[test]
    fn unknown_target_keys_are_named() {
        let (_dir, file) = setup(Some(
            "[targets]\nlike_rat = 0.1\ncpm = 3\n[targets.campaign.\"秋季\"]\ncmp = 3\ncampaign = {}\n",
        ));
        let c = file.load().unwrap();
        let path = file.path().display();
        assert_eq!(
            c.warnings,
            vec![
                format!(
                    "unknown key `like_rat` in [targets] of {path}:2:1; did you mean `like_rate`?"
                ),
                format!(
                    "unknown key `cmp` in [targets.campaign.\"秋季\"] of {path}:5:1; did you mean `cpm`?"
                ),
                format!(
                    "unknown key `campaign` in [targets.campaign.\"秋季\"] of {path}:6:1 (ignored; known keys: like_rate, comment_rate, share_rate, interact_rate, finish_rate, cpm, cpe)"
                ),
            ]
        );
        assert_eq!(
            c.targets.for_campaign(None).get(TargetMetric::Cpm),
            Some(3.0)
        );
    }

    #[test]
    fn unknown_keys_and_tables_are_ignored_and_named() {
        let (_dir, file) = setup(Some(
            "future = 1\n[api]\nregion = \"cn\"\nnew_knob = [1, 2]\n[[plugins]]\nname = \"x\"\n\
             [[watchlist]]\nitem_id = \"1\"\ncolor = \"red\"\n",
        ));
        let c = file.load().unwrap();
        assert_eq!(c.api.region.as_deref(), Some("cn"));
        assert_eq!(c.watchlist.len(), 1);
        let path = file.path().display();
        assert_eq!(
            c.warnings,
            vec![
                format!("unknown key `future` at the top level of {path}:1:1 (ignored)"),
                format!(
                    "unknown key `new_knob` in [api] of {path}:4:1 (ignored; known keys: token, base_url, region, timeout, show_balance)"
                ),
                format!(
                    "unknown table `plugins` of {path}:5:3 (ignored; known tables: api, ui, watch, history, links, targets, alerts, watchlist, keys, alert)"
                ),
                format!(
                    "unknown key `color` in [[watchlist]] entry 1 of {path}:9:1 (ignored; known keys: item_id, label, campaign, price, added_at)"
                ),
            ]
        );
    }

    #[test]
    fn a_misspelt_key_names_the_nearest_known_one_in_every_table() {
        let (_dir, file) = setup(Some(
            "[api]\n# the token\ntokn = \"tok-SECRET-123\"\ntimout = 5\n\
             [ui]\nnumber_stlye = \"cn\"\n[watch]\ncache_minute = 5\nrefresh-interval = \"1h\"\n\
             [history]\nkeepdays = 3\n[[watchlist]]\nitem_id = \"1\"\n[[watchlist]]\nitem_id = \"2\"\nlable = \"x\"\n\
             [wacth]\ntoken = \"tok-SECRET-123\"\n",
        ));
        let c = file.load().unwrap();
        let path = file.path().display();
        assert_eq!(
            c.warnings,
            vec![
                format!("unknown key `tokn` in [api] of {path}:3:1; did you mean `token`?"),
                format!("unknown key `timout` in [api] of {path}:4:1; did you mean `timeout`?"),
                format!(
                    "unknown key `number_stlye` in [ui] of {path}:6:1; did you mean `number_style`?"
                ),
                format!(
                    "unknown key `cache_minute` in [watch] of {path}:8:1; did you mean `cache_minutes`?"
                ),
                format!(
                    "unknown key `refresh-interval` in [watch] of {path}:9:1; did you mean `refresh_interval`?"
                ),
                format!(
                    "unknown key `keepdays` in [history] of {path}:11:1; did you mean `keep_days`?"
                ),
                format!(
                    "unknown key `lable` in [[watchlist]] entry 2 of {path}:16:1; did you mean `label`?"
                ),
                format!("unknown table `wacth` of {path}:17:2; did you mean `watch`?"),
            ]
        );
        assert!(!format!("{:?}", c.warnings).contains(TOKEN));
    }

    #[test]
    fn a_known_key_in_the_wrong_table_says_where_it_belongs() {
        let (_dir, file) = setup(Some("token = \"x\"\n[ui]\ncache_minutes = 5\n"));
        let c = file.load().unwrap();
        let path = file.path().display();
        assert_eq!(
            c.warnings,
            vec![
                format!(
                    "unknown key `token` at the top level of {path}:1:1; did you mean `token` under [api]?"
                ),
                format!(
                    "unknown key `cache_minutes` in [ui] of {path}:3:1; did you mean `cache_minutes` under [watch]?"
                ),
            ]
        );
    }

    #[test]
    fn inline_and_dotted_tables_are_checked_too() {
        let (_dir, file) = setup(Some(
            "api = { tokn = \"x\" }\nui.mouse = true\nui.mose = false\nwatchlist = [{ item_id = \"1\", lable = \"y\" }]\n",
        ));
        let c = file.load().unwrap();
        assert_eq!(c.warnings.len(), 3, "{:?}", c.warnings);
        assert!(
            c.warnings[0].contains("`tokn` in [api]"),
            "{:?}",
            c.warnings
        );
        assert!(c.warnings[1].contains("`mose` in [ui]"), "{:?}", c.warnings);
        assert!(
            c.warnings[1].contains("did you mean `mouse`?"),
            "{:?}",
            c.warnings
        );
        assert!(
            c.warnings[2].contains("`lable` in [[watchlist]] entry 1"),
            "{:?}",
            c.warnings
        );
    }

    #[test]
    fn values_out_of_range_are_errors_that_state_the_range() {
        let cases = [
            (
                "[api]\ntimeout = 0\n",
                (2, 11),
                "[api] timeout must be from 1 to 3600 seconds",
            ),
            (
                "[api]\ntimeout = 3601\n",
                (2, 11),
                "[api] timeout must be from 1 to 3600 seconds",
            ),
            (
                "[api]\ntimeout = -1\n",
                (2, 11),
                "[api] timeout must be from 1 to 3600 seconds",
            ),
            (
                "[watch]\nconcurrency = 0\n",
                (2, 15),
                "[watch] concurrency must be from 1 to 64",
            ),
            (
                "[watch]\nconcurrency = 65\n",
                (2, 15),
                "[watch] concurrency must be from 1 to 64",
            ),
            (
                "[watch]\ncache_minutes = 99999999999999999\n",
                (2, 17),
                "[watch] cache_minutes must be from 0 to 10080 (7 days)",
            ),
            (
                "[watch]\ncache_minutes = -5\n",
                (2, 17),
                "[watch] cache_minutes must be from 0 to 10080 (7 days)",
            ),
            (
                "[watch]\nrefresh_interval = \"999999999999999d\"\n",
                (2, 20),
                "[watch] refresh_interval must be from 5m to 7d",
            ),
            (
                "[watch]\nrefresh_interval = \"8d\"\n",
                (2, 20),
                "[watch] refresh_interval must be from 5m to 7d",
            ),
            (
                "[watch]\nrefresh_interval = \"soon\"\n",
                (2, 20),
                "[watch] refresh_interval must be a duration like \"30m\", \"1h\" or \"1h30m\"",
            ),
            (
                "[watch]\nrefresh_interval = 30\n",
                (2, 20),
                "[watch] refresh_interval must be a duration like \"30m\", \"1h\" or \"1h30m\"",
            ),
            (
                "[history]\nkeep_days = 0\n",
                (2, 13),
                "[history] keep_days must be from 1 to 36500",
            ),
            (
                "[api]\nregion = \"china\"\n",
                (2, 10),
                "[api] region must be \"global\" or \"cn\"",
            ),
            (
                "[api]\nregion = 1\n",
                (2, 10),
                "[api] region must be \"global\" or \"cn\"",
            ),
            (
                "[ui]\nnumber_style = \"wan\"\n",
                (2, 16),
                "[ui] number_style must be \"cn\" or \"intl\"",
            ),
            (
                "[ui]\nlanguage = \"fr\"\n",
                (2, 12),
                "[ui] language must be \"zh\" or \"en\"",
            ),
        ];
        for (text, at, expected) in cases {
            let (_dir, file) = setup(Some(text));
            let (line, column, message) = parse_err(file.load());
            assert_eq!((line, column), at, "{text}");
            assert!(message.starts_with(expected), "{text}: {message}");
        }
        // The edges are accepted.
        let (_dir, file) = setup(Some(
            "[api]\ntimeout = 3600\n[watch]\nconcurrency = 64\ncache_minutes = 0\nrefresh_interval = \"7d\"\n[history]\nkeep_days = 36500\n",
        ));
        let c = file.load().unwrap();
        assert_eq!(c.api.timeout, Some(3600));
        assert_eq!(c.watch.cache_minutes, Some(0));
    }

    #[test]
    fn added_at_accepts_several_forms() {
        let (_dir, file) = setup(Some(
            r#"
[[watchlist]]
item_id = "offset"
added_at = 2026-11-20T08:15:02Z
[[watchlist]]
item_id = "custom-offset"
added_at = 2026-11-20T16:15:02+08:00
[[watchlist]]
item_id = "local"
added_at = 2026-11-20T08:15:02
[[watchlist]]
item_id = "string"
added_at = "2026-11-20T08:15:02Z"
[[watchlist]]
item_id = "string-offset"
added_at = "2026-11-20T03:15:02.5-05:00"
[[watchlist]]
item_id = "date-only"
added_at = 2026-11-20
[[watchlist]]
item_id = "missing"
"#,
        ));
        let c = file.load().unwrap();
        let got: Vec<_> = c
            .watchlist
            .iter()
            .map(|e| (e.item_id.as_str(), e.added_at))
            .collect();
        let t = Some(at("2026-11-20T08:15:02Z"));
        assert_eq!(
            got,
            vec![
                ("offset", t),
                ("custom-offset", t),
                ("local", t),
                ("string", t),
                ("string-offset", Some(at("2026-11-20T08:15:02.5Z"))),
                (
                    "date-only",
                    Some(Utc.with_ymd_and_hms(2026, 11, 20, 0, 0, 0).unwrap())
                ),
                ("missing", None),
            ]
        );
    }

    #[test]
    fn bad_added_at_is_a_parse_error_at_the_value() {
        let (_dir, file) = setup(Some(
            "[[watchlist]]\nitem_id = \"1\"\nadded_at = \"yesterday\"\n",
        ));
        let (line, column, message) = parse_err(file.load());
        assert_eq!((line, column), (3, 12));
        assert!(message.contains("2026-11-20T08:15:02Z"), "{message}");
    }

    #[test]
    fn keys_remap_and_a_conflict_or_unknown_name_is_an_error_at_its_line() {
        use crate::keymap::{Command, Key};
        let (_dir, file) = setup(Some(
            "[keys]\nrefetch = \"f\"\nrefresh_all = [\"F5\", \"Ctrl-R\"]\n",
        ));
        let keys = file.load().unwrap().keys;
        assert_eq!(keys.keys(Command::Refetch), [Key::parse("f").unwrap()]);
        assert_eq!(keys.keys(Command::RefreshAll).len(), 2);

        let (_dir, file) = setup(Some("[ui]\nmouse = true\n\n[keys]\nadd = \"o\"\n"));
        let (line, _, message) = parse_err(file.load());
        assert_eq!(line, 5, "{message}");
        assert!(
            message.contains("add") && message.contains("open"),
            "{message}"
        );

        let (_dir, file) = setup(Some("# mine\n[keys]\nrefetch = \"o\"\n"));
        let (line, _, message) = parse_err(file.load());
        assert_eq!(line, 3, "the entry the user wrote: {message}");

        let (_dir, file) = setup(Some("[keys]\nrefech = \"f\"\n"));
        let (line, _, message) = parse_err(file.load());
        assert_eq!(line, 2);
        assert!(
            message.contains("\"refech\"") && message.contains("refetch"),
            "{message}"
        );

        let (_dir, file) = setup(Some("[keys]\nrefetch = \"Ctrl-\"\n"));
        parse_err(file.load());
        let (_dir, file) = setup(Some("[keys]\nrefetch = 5\n"));
        let (line, _, message) = parse_err(file.load());
        assert_eq!(line, 2);
        assert!(message.contains("Ctrl-R"), "{message}");
    }

    #[test]
    fn numeric_item_ids_and_empty_labels_are_tolerated() {
        let (_dir, file) = setup(Some(
            "[[watchlist]]\nitem_id = 7566200471448779514\nlabel = \"  \"\n",
        ));
        let c = file.load().unwrap();
        assert_eq!(c.watchlist[0].item_id, "7566200471448779514");
        assert_eq!(c.watchlist[0].label, None);
        // ...and the writers find them too.
        assert!(
            !file
                .add_watch("7566200471448779514", None, Utc::now())
                .unwrap()
        );
        assert!(file.set_label("7566200471448779514", Some("x")).unwrap());
        assert!(file.remove_watch("7566200471448779514").unwrap());
        assert!(file.load().unwrap().watchlist.is_empty());
    }

    #[test]
    fn duplicate_ids_keep_the_first_and_warn() {
        let (_dir, file) = setup(Some(
            "[[watchlist]]\nitem_id = \"1\"\nlabel = \"a\"\n[[watchlist]]\nitem_id = \"1\"\nlabel = \"b\"\n",
        ));
        let c = file.load().unwrap();
        assert_eq!(c.watchlist.len(), 1);
        assert_eq!(c.watchlist[0].label.as_deref(), Some("a"));
        assert!(c.warnings[0].contains("twice"), "{:?}", c.warnings);
    }

    #[test]
    fn syntax_error_reports_line_and_column() {
        let (_dir, file) = setup(Some("# comment\n[ui]\nmouse = tru e\n"));
        let (line, column, _) = parse_err(file.load());
        assert_eq!((line, column), (3, 9));
    }

    #[test]
    fn wrong_value_type_is_a_parse_error() {
        let (_dir, file) = setup(Some(
            "[watch]\n# how many at once\nconcurrency = \"four\"\n",
        ));
        let err = file.load().unwrap_err();
        let text = err.to_string();
        assert_eq!(
            text,
            format!(
                "{}:3:15: [watch] concurrency must be from 1 to 64; a string is not a whole number \
                 — fix the file by hand (the app will not overwrite it)",
                file.path().display()
            )
        );
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let (_dir, file) = setup(Some("[ui]\nnumber_style = \"理想\" x\n"));
        let (line, column, _) = parse_err(file.load());
        // `x` is the 21st character but the 25th byte.
        assert_eq!((line, column), (2, 21));
    }

    #[test]
    fn invalid_utf8_is_a_parse_error() {
        let (_dir, file) = setup(None);
        fs::write(file.path(), b"[ui]\nmouse = \xff\n").unwrap();
        let (line, column, message) = parse_err(file.load());
        assert_eq!((line, column), (2, 9));
        assert!(message.contains("UTF-8"));
    }

    // ---- the token stays secret ----

    #[test]
    fn token_never_appears_in_debug_output() {
        let (_dir, file) = setup(Some(&format!("[api]\ntoken = \"{TOKEN}\"\n")));
        let config = file.load().unwrap();
        assert!(!format!("{config:?}").contains(TOKEN));
        assert!(!format!("{:?}", config.clone()).contains(TOKEN));
        assert_eq!(config.api.token.unwrap().expose_secret(), TOKEN);
    }

    #[test]
    fn errors_never_echo_the_token() {
        let cases = [
            format!("[api]\ntoken = {TOKEN}\n"),
            format!("[api]\ntoken = \"{TOKEN}\n"),
            format!("[api]\ntoken = '{TOKEN}' trailing\n"),
            format!("[api]\ntoken = \"{TOKEN}\"\ntimeout = \"sixty\"\n"),
            format!("[api]\ntoken = \"{TOKEN}\"\n[[watchlist]]\nlabel = 1\n"),
            "[api]\ntoken = 123456789\n".to_owned(),
            format!("api = {{ token = \"{TOKEN}\", timeout = \"x\" }}\n"),
        ];
        for case in cases {
            let (_dir, file) = setup(Some(&case));
            let token = if case.contains(TOKEN) {
                TOKEN
            } else {
                "123456789"
            };
            for err in [
                file.load().unwrap_err(),
                file.add_watch("1", None, Utc::now()).unwrap_err(),
            ] {
                assert!(matches!(err, ConfigError::Parse { .. }), "{err:?}");
                assert!(!err.to_string().contains(token), "{case:?} => {err}");
                assert!(!format!("{err:?}").contains(token), "{case:?} => {err:?}");
            }
        }
    }

    #[test]
    fn short_punctuation_survives_quote_stripping() {
        assert_eq!(
            strip_quoted("expected `=`, found \"secret-value\", also `abcd"),
            "expected `=`, found …, also …"
        );
    }

    // ---- permission warnings ----

    #[test]
    fn warns_when_a_token_file_is_readable_by_others() {
        let (_dir, file) = setup(Some("[api]\ntoken = \"t\"\n"));
        chmod(file.path(), 0o644);
        let warnings = file.load().unwrap().warnings;
        let p = file.path().display();
        assert_eq!(
            warnings,
            vec![format!(
                "config file {p} holds your API token but is readable by other users (mode 0644): run chmod 600 {p}"
            )]
        );
        chmod(file.path(), 0o600);
        assert!(file.load().unwrap().warnings.is_empty());
    }

    #[test]
    fn no_warning_for_a_shared_file_without_token() {
        let (_dir, file) = setup(Some("[ui]\nmouse = true\n"));
        chmod(file.path(), 0o644);
        assert!(file.load().unwrap().warnings.is_empty());
    }

    // ---- writes ----

    #[test]
    fn add_creates_a_private_file_and_directories() {
        let dir = tempfile::tempdir().unwrap();
        let file = ConfigFile::new(dir.path().join("xdg/xingtu-dash/config.toml"));
        let added = file
            .add_watch("42", Some("理想 🚗"), at("2026-11-20T08:15:02.999Z"))
            .unwrap();
        assert!(added);
        assert_eq!(
            fs::read_to_string(file.path()).unwrap(),
            "[[watchlist]]\nitem_id = \"42\"\nlabel = \"理想 🚗\"\nadded_at = 2026-11-20T08:15:02Z\n"
        );
        assert_eq!(mode(file.path()), 0o600);
        assert_eq!(mode(&dir.path().join("xdg")) & 0o777, 0o700);
        assert_eq!(mode(&dir.path().join("xdg/xingtu-dash")) & 0o777, 0o700);
        assert_eq!(
            mode(&dir.path().join("xdg/xingtu-dash/config.toml.lock")),
            0o600
        );
        let loaded = file.load().unwrap().watchlist;
        assert_eq!(loaded[0].added_at, Some(at("2026-11-20T08:15:02Z")));
    }

    #[test]
    fn add_without_label_and_empty_label() {
        let (_dir, file) = setup(None);
        file.add_watch("1", None, at("2026-01-02T03:04:05Z"))
            .unwrap();
        file.add_watch("2", Some(""), at("2026-01-02T03:04:06Z"))
            .unwrap();
        assert_eq!(
            fs::read_to_string(file.path()).unwrap(),
            "[[watchlist]]\nitem_id = \"1\"\nadded_at = 2026-01-02T03:04:05Z\n\n\
             [[watchlist]]\nitem_id = \"2\"\nadded_at = 2026-01-02T03:04:06Z\n"
        );
    }

    #[test]
    fn no_op_writes_leave_the_file_alone() {
        let (_dir, file) = setup(Some(EXAMPLE));
        chmod(file.path(), 0o644);
        let before = fs::read(file.path()).unwrap();
        assert!(
            !file
                .add_watch("7566200471448779514", Some("other"), Utc::now())
                .unwrap()
        );
        assert!(!file.remove_watch("nope").unwrap());
        assert!(!file.set_label("nope", Some("x")).unwrap());
        assert_eq!(fs::read(file.path()).unwrap(), before);
        // Not rewritten, so not even re-permissioned.
        assert_eq!(mode(file.path()), 0o644);
    }

    #[test]
    fn add_to_a_file_without_final_newline_or_with_only_comments() {
        let (_dir, file) = setup(Some("a = 1"));
        file.add_watch("1", None, at("2026-01-01T00:00:00Z"))
            .unwrap();
        assert_eq!(
            fs::read_to_string(file.path()).unwrap(),
            "a = 1\n\n[[watchlist]]\nitem_id = \"1\"\nadded_at = 2026-01-01T00:00:00Z\n"
        );
        let (_dir, file) = setup(Some("# just a header\n\n"));
        file.add_watch("1", None, at("2026-01-01T00:00:00Z"))
            .unwrap();
        assert_eq!(
            fs::read_to_string(file.path()).unwrap(),
            "# just a header\n\n[[watchlist]]\nitem_id = \"1\"\nadded_at = 2026-01-01T00:00:00Z\n"
        );
    }

    #[test]
    fn comments_after_the_last_entry_stay_above_a_new_one() {
        let text = "[[watchlist]]\nitem_id = \"1\"\n# label = \"old\"\n";
        let (_dir, file) = setup(Some(text));
        file.add_watch("2", None, at("2026-01-01T00:00:00Z"))
            .unwrap();
        assert_eq!(
            fs::read_to_string(file.path()).unwrap(),
            format!("{text}\n[[watchlist]]\nitem_id = \"2\"\nadded_at = 2026-01-01T00:00:00Z\n")
        );
    }

    #[test]
    fn remove_drops_every_matching_entry() {
        let (_dir, file) = setup(Some(
            "[[watchlist]]\nitem_id = \"1\"\n[[watchlist]]\nitem_id = \"2\"\n[[watchlist]]\nitem_id = \"1\"\n",
        ));
        assert!(file.remove_watch("1").unwrap());
        assert_eq!(
            fs::read_to_string(file.path()).unwrap(),
            "[[watchlist]]\nitem_id = \"2\"\n"
        );
        assert!(file.remove_watch("2").unwrap());
        assert_eq!(fs::read_to_string(file.path()).unwrap(), "");
        assert!(file.load().unwrap().watchlist.is_empty());
    }

    #[test]
    fn set_label_sets_replaces_and_clears() {
        let (_dir, file) = setup(Some("[[watchlist]]\nitem_id = \"1\"\n"));
        assert!(file.set_label("1", Some("a")).unwrap());
        assert_eq!(
            file.load().unwrap().watchlist[0].label.as_deref(),
            Some("a")
        );
        assert!(file.set_label("1", Some("b")).unwrap());
        assert_eq!(
            file.load().unwrap().watchlist[0].label.as_deref(),
            Some("b")
        );
        assert!(file.set_label("1", Some("")).unwrap());
        assert_eq!(
            fs::read_to_string(file.path()).unwrap(),
            "[[watchlist]]\nitem_id = \"1\"\n"
        );
        assert!(file.set_label("1", Some("c")).unwrap());
        assert!(file.set_label("1", None).unwrap());
        assert_eq!(file.load().unwrap().watchlist[0].label, None);
    }

    #[test]
    fn inline_array_watchlists_are_edited_in_place() {
        let (_dir, file) = setup(Some("watchlist = [{ item_id = \"1\" }]\n"));
        assert!(
            file.add_watch("2", Some("b"), at("2026-01-01T00:00:00Z"))
                .unwrap()
        );
        assert!(file.set_label("1", Some("a")).unwrap());
        let ids: Vec<_> = file
            .load()
            .unwrap()
            .watchlist
            .into_iter()
            .map(|e| e.into_pair())
            .collect();
        assert_eq!(
            ids,
            vec![
                ("1".into(), Some("a".into())),
                ("2".into(), Some("b".into()))
            ]
        );
        assert!(file.remove_watch("1").unwrap());
        assert_eq!(
            fs::read_to_string(file.path()).unwrap(),
            "watchlist = [{ item_id = \"2\", label = \"b\", added_at = 2026-01-01T00:00:00Z }]\n"
        );
    }

    #[test]
    fn campaign_and_price_are_added_set_and_cleared_in_place() {
        let (_dir, file) = setup(Some("[[watchlist]]\nitem_id = \"1\"\nprice = 5 # was 4\n"));
        let shared = SharedKeys {
            campaign: Some("秋季".into()),
            price: Some(Price::Decimal(99.5)),
        };
        file.add_watches(&[("2", Some("b"))], &shared, at("2026-01-01T00:00:00Z"))
            .unwrap();
        let change = |price| KeyChanges {
            price: Some(price),
            ..KeyChanges::default()
        };
        assert!(file.set_keys("1", &change(Some(Price::Whole(7)))).unwrap());
        assert!(!file.set_keys("3", &change(None)).unwrap());
        assert_eq!(
            fs::read_to_string(file.path()).unwrap(),
            "[[watchlist]]\nitem_id = \"1\"\nprice = 7 # was 4\n\n[[watchlist]]\nitem_id = \"2\"\n\
             label = \"b\"\ncampaign = \"秋季\"\nprice = 99.5\nadded_at = 2026-01-01T00:00:00Z\n"
        );
        assert!(file.set_keys("1", &change(None)).unwrap());
        let loaded = file.load().unwrap().watchlist;
        assert_eq!(loaded[0].price, None);
        assert_eq!(loaded[1].price, Some(Price::Decimal(99.5)));
        assert_eq!(loaded[1].campaign.as_deref(), Some("秋季"));
    }

    impl WatchEntry {
        fn into_pair(self) -> (String, Option<String>) {
            (self.item_id, self.label)
        }
    }

    #[test]
    fn token_file_becomes_private_on_write() {
        let (_dir, file) = setup(Some("[api]\ntoken = \"t\"\n"));
        chmod(file.path(), 0o644);
        file.add_watch("1", None, Utc::now()).unwrap();
        assert_eq!(mode(file.path()), 0o600);
    }

    #[test]
    fn file_without_token_keeps_its_mode() {
        let (_dir, file) = setup(Some("[ui]\nmouse = true\n"));
        chmod(file.path(), 0o640);
        file.add_watch("1", None, Utc::now()).unwrap();
        assert_eq!(mode(file.path()), 0o640);
    }

    #[test]
    fn corrupt_file_is_never_written() {
        let garbage = "[api\ntoken = \"x\"\n\u{0}\u{1}garbage ☃\n";
        let (_dir, file) = setup(Some(garbage));
        chmod(file.path(), 0o644);
        for result in [
            file.add_watch("1", None, Utc::now()),
            file.remove_watch("1"),
            file.set_label("1", Some("x")),
        ] {
            let (line, column, _) = parse_err(result);
            assert_eq!((line, column), (1, 5));
            assert_eq!(fs::read(file.path()).unwrap(), garbage.as_bytes());
            assert_eq!(mode(file.path()), 0o644);
        }
    }

    #[test]
    fn mistyped_file_is_never_written() {
        let text = "[watch]\nconcurrency = \"four\"\n";
        let (_dir, file) = setup(Some(text));
        let (line, column, _) = parse_err(file.add_watch("1", None, Utc::now()));
        assert_eq!((line, column), (2, 15));
        assert_eq!(fs::read_to_string(file.path()).unwrap(), text);
    }

    #[test]
    fn writes_follow_a_symlink() {
        let (dir, file) = setup(None);
        let real = dir.path().join("dotfiles/config.toml");
        fs::create_dir_all(real.parent().unwrap()).unwrap();
        fs::write(&real, "# mine\n").unwrap();
        std::os::unix::fs::symlink(&real, file.path()).unwrap();
        file.add_watch("1", None, at("2026-01-01T00:00:00Z"))
            .unwrap();
        assert!(
            fs::symlink_metadata(file.path())
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert!(fs::read_to_string(&real).unwrap().starts_with("# mine\n"));
        assert_eq!(file.load().unwrap().watchlist.len(), 1);
    }

    #[test]
    fn concurrent_writers_lose_nothing() {
        let (_dir, file) = setup(Some("# shared\n[ui]\nmouse = true\n"));
        let path = file.path().to_owned();
        let threads: Vec<_> = (0..8)
            .map(|t| {
                let path = path.clone();
                std::thread::spawn(move || {
                    let file = ConfigFile::new(path);
                    for i in 0..10 {
                        let id = format!("{t}-{i}");
                        assert!(file.add_watch(&id, Some("并发"), Utc::now()).unwrap());
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let config = file.load().unwrap();
        assert_eq!(config.watchlist.len(), 80);
        for t in 0..8 {
            for i in 0..10 {
                let id = format!("{t}-{i}");
                assert!(
                    config.watchlist.iter().any(|e| e.item_id == id),
                    "{id} lost"
                );
            }
        }
        assert!(
            fs::read_to_string(&path)
                .unwrap()
                .starts_with("# shared\n[ui]\nmouse = true\n")
        );
    }

    #[test]
    fn toml_1_1_files_load_and_edit_alike() {
        // TOML 1.1: a time without seconds, \e and \xHH escapes, an inline table over
        // several lines with a trailing comma. Reading and editing share one parser, so a
        // file that loads can also be edited.
        let text = "[keys]\nrefetch = \"f\"\n[[watchlist]]\nitem_id = \"1\"\nlabel = \"a\\x41\\e\"\nadded_at = 2026-01-01T08:30Z\n\n[ui]\nx = {\n  a = 1,\n}\n";
        let (_dir, file) = setup(Some(text));
        let loaded = file.load().unwrap();
        assert_eq!(loaded.watchlist[0].label.as_deref(), Some("aA\u{1b}"));
        assert_eq!(
            loaded.watchlist[0].added_at,
            Some(at("2026-01-01T08:30:00Z"))
        );
        assert!(
            file.add_watch("2", None, at("2026-12-02T00:00:00Z"))
                .unwrap()
        );
        assert!(file.set_label("1", Some("b")).unwrap());
        let edited = fs::read_to_string(file.path()).unwrap();
        assert!(edited.contains("added_at = 2026-01-01T08:30Z"), "{edited}");
        assert!(edited.contains("x = {\n  a = 1,\n}"), "{edited}");
        assert_eq!(file.load().unwrap().watchlist.len(), 2);
    }

    // ---- golden files: byte-for-byte preservation of hand-written files ----

    #[test]
    fn golden_add() {
        let (_dir, file) = golden_setup("base.toml");
        assert!(
            file.add_watch(
                "7000000000000000001",
                Some("新品 🎉"),
                at("2026-12-01T12:34:56.789Z")
            )
            .unwrap()
        );
        assert_golden("base_add", &fs::read_to_string(file.path()).unwrap());
    }

    #[test]
    fn golden_remove() {
        let (_dir, file) = golden_setup("base.toml");
        assert!(file.remove_watch("7566200471448779514").unwrap());
        assert_golden(
            "base_remove_first",
            &fs::read_to_string(file.path()).unwrap(),
        );
        let (_dir, file) = golden_setup("base.toml");
        assert!(file.remove_watch("7566200471448779516").unwrap());
        assert_golden(
            "base_remove_last",
            &fs::read_to_string(file.path()).unwrap(),
        );
    }

    #[test]
    fn golden_set_label() {
        let (_dir, file) = golden_setup("base.toml");
        assert!(
            file.set_label("7566200471448779514", Some("理想L6 上市"))
                .unwrap()
        );
        assert!(
            file.set_label("7566200471448779515", Some("第二个 ✨"))
                .unwrap()
        );
        assert!(file.set_label("7566200471448779516", None).unwrap());
        assert_golden("base_set_label", &fs::read_to_string(file.path()).unwrap());
    }

    #[test]
    fn golden_first_add_goes_to_the_end() {
        let (_dir, file) = golden_setup("no_watchlist.toml");
        assert!(
            file.add_watch("1", Some("first"), at("2026-12-01T00:00:00Z"))
                .unwrap()
        );
        assert!(
            file.add_watch("2", None, at("2026-12-02T00:00:00Z"))
                .unwrap()
        );
        assert_golden(
            "no_watchlist_add",
            &fs::read_to_string(file.path()).unwrap(),
        );
    }

    #[test]
    fn golden_inputs_still_load() {
        for name in ["base.toml", "no_watchlist.toml"] {
            let (_dir, file) = golden_setup(name);
            file.load().unwrap();
        }
    }
}
