//! The keys the config file knows, and warnings for the ones it does not: a misspelt
//! `tokn = "…"` would otherwise be dropped without a word and surface as "no API token".

use std::path::Path;

use toml_edit::{Item, Key, TableLike, Value};

use crate::t;

/// Every table and its keys, in the order README documents them.
const TABLES: [(&str, &[&str]); 8] = [
    (
        "api",
        &["token", "base_url", "region", "timeout", "show_balance"],
    ),
    ("ui", &["number_style", "language", "mouse"]),
    (
        "watch",
        &[
            "refresh_interval",
            "concurrency",
            "cache_minutes",
            "stop_after_days",
        ],
    ),
    ("history", &["keep_days"]),
    ("links", &["resolve"]),
    ("store", &["url"]),
    ("targets", TARGET_KEYS),
    ("alerts", &["bell", "command"]),
];
/// A campaign's overrides take the same keys as `[targets]`, less `campaign`.
const TARGET_KEYS: &[&str] = TARGETS_TABLE_KEYS.split_at(7).0;
const TARGETS_TABLE_KEYS: &[&str] = &[
    "like_rate",
    "comment_rate",
    "share_rate",
    "interact_rate",
    "finish_rate",
    "cpm",
    "cpe",
    "campaign",
];
/// `[[alert]]` rules.
const ALERT: &str = "alert";
const ALERT_KEYS: &[&str] = &["name", "metric", "above", "below", "item", "campaign"];
const WATCHLIST: &str = "watchlist";
/// `[keys]` names commands; the keymap refuses an unknown one as an error, not a warning.
const KEYS: &str = "keys";
const ENTRY_KEYS: &[&str] = &["item_id", "label", "campaign", "price", "added_at"];

/// Where a part of the file starts: the lines and watchlist entries before it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Offset {
    pub lines: usize,
    pub entries: usize,
}

/// One warning per unknown key or table, in file order within each table. `text` is the file
/// as read (or the part of it that starts at `offset`), for line and column numbers.
pub fn warnings(
    doc: &toml_edit::Document<&str>,
    text: &str,
    offset: Offset,
    path: &Path,
) -> Vec<String> {
    let mut out = Vec::new();
    let at = |key: &Key| {
        let (line, column) = super::config::line_column(text, key.span().map_or(0, |s| s.start));
        format!("{}:{}:{column}", path.display(), line + offset.lines)
    };
    let root = doc.as_table();
    for (name, item) in root.iter() {
        let Some((key, _)) = root.get_key_value(name) else {
            continue;
        };
        if name == KEYS {
            continue;
        }
        if name == WATCHLIST {
            for (n, entry) in entries(item).into_iter().enumerate() {
                let place = t!("config-in-entry", n = offset.entries + n + 1);
                unknown_in(entry, ENTRY_KEYS, &place, &at, &mut out);
            }
            continue;
        }
        if name == ALERT {
            for (n, rule) in entries(item).into_iter().enumerate() {
                let place = t!("config-in-alert", n = n + 1);
                unknown_in(rule, ALERT_KEYS, &place, &at, &mut out);
            }
            continue;
        }
        match TABLES.iter().find(|(t, _)| *t == name) {
            Some((_, keys)) => {
                if let Some(table) = item.as_table_like() {
                    let targets = name == "targets";
                    let keys = if targets { TARGETS_TABLE_KEYS } else { keys };
                    let place = t!("config-in-table", table = format!("[{name}]"));
                    unknown_in(table, keys, &place, &at, &mut out);
                    if targets {
                        campaign_targets(table, &at, &mut out);
                    }
                }
            }
            None if item.is_table_like() || item.is_array_of_tables() => {
                let known: Vec<&str> = TABLES
                    .iter()
                    .map(|(t, _)| *t)
                    .chain([WATCHLIST, KEYS, ALERT])
                    .collect();
                let hint = match nearest(name, &known) {
                    Some(near) => t!("config-did-you-mean", name = near),
                    None => t!("config-known-tables", known = known.join(", ")),
                };
                out.push(t!(
                    "config-unknown-table",
                    name = name,
                    at = at(key),
                    hint = hint
                ));
            }
            None => {
                let hint = home_of(name).map_or_else(
                    || t!("config-ignored"),
                    |t| t!("config-did-you-mean-under", name = name, table = t),
                );
                out.push(t!(
                    "config-unknown-top-key",
                    name = name,
                    at = at(key),
                    hint = hint
                ));
            }
        }
    }
    out
}

fn unknown_in(
    table: &dyn TableLike,
    known: &[&str],
    place: &str,
    at: &dyn Fn(&Key) -> String,
    out: &mut Vec<String>,
) {
    for (name, _) in table.iter() {
        if known.contains(&name) {
            continue;
        }
        let Some((key, _)) = table.get_key_value(name) else {
            continue;
        };
        let hint = match (nearest(name, known), home_of(name)) {
            (Some(near), _) => t!("config-did-you-mean", name = near),
            (None, Some(t)) => t!("config-did-you-mean-under", name = name, table = t),
            (None, None) => t!("config-known-keys", known = known.join(", ")),
        };
        out.push(t!(
            "config-unknown-key",
            name = name,
            place = place,
            at = at(key),
            hint = hint
        ));
    }
}

/// Whether a run of `[[watchlist]]` entries plainly holds known keys only: every line a
/// header, a blank, a comment or `known_key = …`. Then its document needs no walk looking
/// for unknown ones; anything else (a multi-line string, a dotted key) is looked at in full.
pub fn plainly_known_entries(text: &str) -> bool {
    text.lines().all(|line| {
        let line = line.trim_start();
        if line.is_empty() || line.starts_with('#') {
            return true;
        }
        if let Some(after) = line.strip_prefix("[[watchlist]]") {
            let after = after.trim_start();
            return after.is_empty() || after.starts_with('#');
        }
        line.split_once('=')
            .is_some_and(|(key, _)| ENTRY_KEYS.contains(&key.trim_end()))
    })
}

/// Each `[targets.campaign."NAME"]` holds the same keys as `[targets]`, but no `campaign`.
fn campaign_targets(targets: &dyn TableLike, at: &dyn Fn(&Key) -> String, out: &mut Vec<String>) {
    let Some(campaigns) = targets.get("campaign").and_then(Item::as_table_like) else {
        return;
    };
    for (name, item) in campaigns.iter() {
        if let Some(table) = item.as_table_like() {
            let place = t!(
                "config-in-table",
                table = format!("[targets.campaign.{name:?}]")
            );
            unknown_in(table, TARGET_KEYS, &place, at, out);
        }
    }
}

/// The watchlist's entries, whether `[[watchlist]]` tables or an inline array.
fn entries(item: &Item) -> Vec<&dyn TableLike> {
    match item {
        Item::ArrayOfTables(tables) => tables.iter().map(|t| t as &dyn TableLike).collect(),
        Item::Value(Value::Array(array)) => array
            .iter()
            .filter_map(Value::as_inline_table)
            .map(|t| t as &dyn TableLike)
            .collect(),
        _ => Vec::new(),
    }
}

/// The table a known key belongs to, for a key written in the wrong place.
fn home_of(name: &str) -> Option<&'static str> {
    TABLES
        .iter()
        .find(|(_, keys)| keys.contains(&name))
        .map(|(t, _)| *t)
}

/// The known name closest to `name`, if it is close enough to be a slip of the keyboard:
/// a third of the length in edits, at least one.
fn nearest<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    let name = name.to_ascii_lowercase().replace('-', "_");
    let limit = (name.chars().count() / 3).max(1);
    known
        .iter()
        .map(|k| (distance(&name, k), *k))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Edit distance counting a swap of two neighbours as one edit (optimal string alignment).
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = d;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_entries_are_told_from_ones_worth_a_full_look() {
        let plain =
            "[[watchlist]]  # one\nitem_id = \"1\"\n\n# note\n  label = \"a = b\"\nprice=5\n";
        assert!(plainly_known_entries(plain));
        for odd in [
            "[[watchlist]]\ncolor = \"red\"\n",
            "[[watchlist]]\nlabel = '''\nx\n'''\n",
            "[[watchlist]]\nlabel.x = 1\n",
            "[[watchlist]] x\n",
            "[watch]\n",
        ] {
            assert!(!plainly_known_entries(odd), "{odd:?}");
        }
    }

    #[test]
    fn distances() {
        assert_eq!(distance("tokn", "token"), 1);
        assert_eq!(distance("toekn", "token"), 1);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(
            nearest("Base-URL", &["token", "base_url"]),
            Some("base_url")
        );
        assert_eq!(nearest("colour", &["item_id", "label", "added_at"]), None);
    }
}
