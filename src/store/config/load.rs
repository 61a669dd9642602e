//! From the file's text to a checked `Config`: one `toml_edit` parse, the typed sections
//! deserialized from that document, unknown-key warnings, the `[keys]` and `[[alert]]`
//! checks, and a long watchlist read a chunk at a time.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde_spanned::Spanned;
use toml_edit::DocumentMut;

use super::ConfigFile;
use super::errors::ConfigError;
use super::schema::{Config, KeyNames, RawAlert, RawConfig, WatchEntry};
use crate::alerts::{Direction, Rule, Scope};
use crate::keymap::Keymap;
use crate::store::known_keys::Offset;

/// The typed value of a parsed document, borrowing its text (spans stay byte offsets in it).
fn from_document<T: serde::de::DeserializeOwned>(
    doc: toml_edit::Document<&str>,
) -> Result<T, toml_edit::de::Error> {
    T::deserialize(toml_edit::de::Deserializer::from(doc))
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
    let rest_doc = toml_edit::Document::parse(rest.as_str()).ok()?;
    let mut unknown = crate::store::known_keys::warnings(&rest_doc, &rest, Offset::default(), path);
    let mut raw: RawConfig = from_document(rest_doc).ok()?;
    if !raw.watchlist.is_empty() {
        return None;
    }
    raw.watchlist.reserve(headers);
    // Each chunk is parsed as it is; warnings count its lines from where it starts. (Padding
    // it with the lines before would make the parser walk those again for every chunk.)
    for (i, (first_line, chunk)) in chunks.into_iter().enumerate() {
        let doc = toml_edit::Document::parse(chunk.as_str()).ok()?;
        if !crate::store::known_keys::plainly_known_entries(&chunk) {
            let offset = Offset {
                lines: first_line,
                entries: i * CHUNK_ENTRIES,
            };
            unknown.extend(crate::store::known_keys::warnings(
                &doc, &chunk, offset, path,
            ));
        }
        let part: Entries = from_document(doc).ok()?;
        raw.watchlist.extend(part.watchlist);
    }
    Some((raw, unknown, rest))
}

impl ConfigFile {
    /// The document the writes edit and the typed config read from it: one parser, so a
    /// file that loads is exactly a file the app can edit.
    pub(super) fn parse(&self, text: &str) -> Result<(DocumentMut, Config), ConfigError> {
        let doc = self.document(text)?;
        let unknown = crate::store::known_keys::warnings(&doc, text, Offset::default(), &self.path);
        let config = self.typed(text, doc.clone(), unknown)?;
        Ok((doc.into_mut(), config))
    }

    /// [`Self::parse`] for reading only: a long watchlist is parsed a chunk at a time.
    pub(super) fn parse_config(&self, text: &str) -> Result<Config, ConfigError> {
        if let Some((raw, unknown, rest)) = parse_in_chunks(text, &self.path) {
            let keys = self.keymap(&rest, &raw.keys)?;
            let rules = self.alert_rules(&rest, &raw.alert)?;
            return Ok(self.build_config(raw, keys, rules, unknown));
        }
        let doc = self.document(text)?;
        let unknown = crate::store::known_keys::warnings(&doc, text, Offset::default(), &self.path);
        self.typed(text, doc, unknown)
    }

    pub(super) fn document<'t>(
        &self,
        text: &'t str,
    ) -> Result<toml_edit::Document<&'t str>, ConfigError> {
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

    /// The checked config of a parsed document (`text` is its source, for error positions).
    pub(super) fn typed(
        &self,
        text: &str,
        doc: toml_edit::Document<&str>,
        unknown: Vec<String>,
    ) -> Result<Config, ConfigError> {
        let raw: RawConfig = from_document(doc).map_err(|e| {
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
    pub(super) fn alert_rules(
        &self,
        text: &str,
        raw: &[Spanned<RawAlert>],
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
        entries: &BTreeMap<String, Spanned<KeyNames>>,
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
        let mut seen: std::collections::HashSet<crate::item_id::ItemId> =
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
            store: raw.store,
            watchlist,
            targets: raw.targets.targets(),
            keys,
            alerts: raw.alerts,
            alert_rules,
            warnings,
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use std::fs;
    use std::path::Path;

    use chrono::Utc;
    use secrecy::ExposeSecret;

    use super::*;
    use crate::alerts::{Direction, Metric, Scope};
    use crate::store::config::ConfigFile;
    use crate::store::config::schema::{RawConfig, WatchEntry};
    use crate::store::config::testing::{
        EXAMPLE, TOKEN, at, chmod, golden_setup, parse_err, setup,
    };
    use crate::targets::Metric as TargetMetric;

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
        let whole: RawConfig = toml_edit::de::from_str(&plain).unwrap();
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
                    label: Some("理想L6 launch".into()),
                    added_at: Some(at("2026-11-20T08:15:02Z")),
                    ..WatchEntry::new(crate::item_id::ItemId::parse("7566200471448779514").unwrap())
                },
                WatchEntry {
                    added_at: Some(at("2026-11-21T09:00:00Z")),
                    ..WatchEntry::new(crate::item_id::ItemId::parse("7566200471448779515").unwrap())
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
             [[watchlist]]\nitem_id = \"7000000000000000001\"\ncolor = \"red\"\n",
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
                    "unknown table `plugins` of {path}:5:3 (ignored; known tables: api, ui, watch, history, links, store, targets, alerts, watchlist, keys, alert)"
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
             [history]\nkeepdays = 3\n[[watchlist]]\nitem_id = \"7000000000000000001\"\n[[watchlist]]\nitem_id = \"7000000000000000002\"\nlable = \"x\"\n\
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
            "api = { tokn = \"x\" }\nui.mouse = true\nui.mose = false\nwatchlist = [{ item_id = \"7000000000000000001\", lable = \"y\" }]\n",
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
    fn a_bad_item_id_is_an_error_at_its_entry_and_the_file_is_kept() {
        let text = "[[watchlist]]\nitem_id = \"7566200471448779514\"\n\n\
                    [[watchlist]]\nitem_id = \"75662OO471448779515\"\nlabel = \"typo\"\n";
        let (_dir, file) = setup(Some(text));
        let (line, column, message) = parse_err(file.load());
        assert_eq!((line, column), (5, 11), "{message}");
        assert!(
            message
                .starts_with("watchlist entry: item_id \"75662OO471448779515\" is not a video id"),
            "{message}"
        );
        parse_err(file.add_watch("7566200471448779516", None, Utc::now()));
        assert_eq!(fs::read_to_string(file.path()).unwrap(), text);
    }

    #[test]
    fn a_link_as_item_id_is_read_as_its_id_and_edited_by_it() {
        let (_dir, file) = setup(Some(
            "[[watchlist]]\nitem_id = \"https://www.douyin.com/video/7566200471448779514\"\n",
        ));
        let c = file.load().unwrap();
        assert_eq!(c.watchlist[0].item_id, "7566200471448779514");
        assert!(file.set_label("7566200471448779514", Some("理想")).unwrap());
        assert!(file.remove_watch("7566200471448779514").unwrap());
        assert!(file.load().unwrap().watchlist.is_empty());
    }

    #[test]
    fn duplicate_ids_keep_the_first_and_warn() {
        let (_dir, file) = setup(Some(
            "[[watchlist]]\nitem_id = \"7000000000000000001\"\nlabel = \"a\"\n[[watchlist]]\nitem_id = \"7000000000000000001\"\nlabel = \"b\"\n",
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
    fn invalid_utf8_is_a_parse_error() {
        let (_dir, file) = setup(None);
        fs::write(file.path(), b"[ui]\nmouse = \xff\n").unwrap();
        let (line, column, message) = parse_err(file.load());
        assert_eq!((line, column), (2, 9));
        assert!(message.contains("UTF-8"));
    }

    #[test]
    fn golden_inputs_still_load() {
        for name in ["base.toml", "no_watchlist.toml"] {
            let (_dir, file) = golden_setup(name);
            file.load().unwrap();
        }
    }
}
