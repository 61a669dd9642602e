//! The app's own changes to the file, made with `toml_edit` on the watchlist only: an entry
//! added where a person would put it, keys set or cleared in place, comments kept.

use super::ConfigFile;
use super::errors::ConfigError;
use super::schema::{KeyChanges, SharedKeys};
use crate::item_id::ItemId;
use crate::price::Price;
use chrono::{DateTime, Timelike, Utc};
use toml_edit::{ArrayOfTables, DocumentMut, InlineTable, Item, Table, TableLike, Value};

fn non_empty(label: Option<&str>) -> Option<&str> {
    label.filter(|l| !l.trim().is_empty())
}

/// The id of a watchlist entry as loading reads it (a string or a bare integer, a link
/// read as its id), so an edit finds every entry the loaded watchlist holds.
fn entry_id(item: Option<&Item>) -> Option<ItemId> {
    let value = item?.as_value()?;
    let raw = value
        .as_str()
        .map(str::to_owned)
        .or_else(|| value.as_integer().map(|i| i.to_string()))?;
    ItemId::parse(&raw).ok()
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
                id.is_none_or(|id| id != item_id)
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
        if entry_id(table.get("item_id")).is_some_and(|id| id == item_id) {
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

impl ConfigFile {
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
                if entry_id(entry.get("item_id")).is_some_and(|id| id == item_id) {
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
}

#[cfg(all(test, unix))]
mod tests {

    use std::fs;

    use crate::price::Price;

    use crate::store::config::schema::{KeyChanges, SharedKeys};
    use crate::store::config::testing::{at, golden_setup, setup};

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

    #[test]
    fn add_without_label_and_empty_label() {
        let (_dir, file) = setup(None);
        file.add_watch("7000000000000000001", None, at("2026-01-02T03:04:05Z"))
            .unwrap();
        file.add_watch("7000000000000000002", Some(""), at("2026-01-02T03:04:06Z"))
            .unwrap();
        assert_eq!(
            fs::read_to_string(file.path()).unwrap(),
            "[[watchlist]]\nitem_id = \"7000000000000000001\"\nadded_at = 2026-01-02T03:04:05Z\n\n\
             [[watchlist]]\nitem_id = \"7000000000000000002\"\nadded_at = 2026-01-02T03:04:06Z\n"
        );
    }

    #[test]
    fn add_to_a_file_without_final_newline_or_with_only_comments() {
        let (_dir, file) = setup(Some("a = 1"));
        file.add_watch("7000000000000000001", None, at("2026-01-01T00:00:00Z"))
            .unwrap();
        assert_eq!(
            fs::read_to_string(file.path()).unwrap(),
            "a = 1\n\n[[watchlist]]\nitem_id = \"7000000000000000001\"\nadded_at = 2026-01-01T00:00:00Z\n"
        );
        let (_dir, file) = setup(Some("# just a header\n\n"));
        file.add_watch("7000000000000000001", None, at("2026-01-01T00:00:00Z"))
            .unwrap();
        assert_eq!(
            fs::read_to_string(file.path()).unwrap(),
            "# just a header\n\n[[watchlist]]\nitem_id = \"7000000000000000001\"\nadded_at = 2026-01-01T00:00:00Z\n"
        );
    }

    #[test]
    fn comments_after_the_last_entry_stay_above_a_new_one() {
        let text = "[[watchlist]]\nitem_id = \"7000000000000000001\"\n# label = \"old\"\n";
        let (_dir, file) = setup(Some(text));
        file.add_watch("7000000000000000002", None, at("2026-01-01T00:00:00Z"))
            .unwrap();
        assert_eq!(
            fs::read_to_string(file.path()).unwrap(),
            format!(
                "{text}\n[[watchlist]]\nitem_id = \"7000000000000000002\"\nadded_at = 2026-01-01T00:00:00Z\n"
            )
        );
    }

    #[test]
    fn remove_drops_every_matching_entry() {
        let (_dir, file) = setup(Some(
            "[[watchlist]]\nitem_id = \"7000000000000000001\"\n[[watchlist]]\nitem_id = \"7000000000000000002\"\n[[watchlist]]\nitem_id = \"7000000000000000001\"\n",
        ));
        assert!(file.remove_watch("7000000000000000001").unwrap());
        assert_eq!(
            fs::read_to_string(file.path()).unwrap(),
            "[[watchlist]]\nitem_id = \"7000000000000000002\"\n"
        );
        assert!(file.remove_watch("7000000000000000002").unwrap());
        assert_eq!(fs::read_to_string(file.path()).unwrap(), "");
        assert!(file.load().unwrap().watchlist.is_empty());
    }

    #[test]
    fn set_label_sets_replaces_and_clears() {
        let (_dir, file) = setup(Some("[[watchlist]]\nitem_id = \"7000000000000000001\"\n"));
        assert!(file.set_label("7000000000000000001", Some("a")).unwrap());
        assert_eq!(
            file.load().unwrap().watchlist[0].label.as_deref(),
            Some("a")
        );
        assert!(file.set_label("7000000000000000001", Some("b")).unwrap());
        assert_eq!(
            file.load().unwrap().watchlist[0].label.as_deref(),
            Some("b")
        );
        assert!(file.set_label("7000000000000000001", Some("")).unwrap());
        assert_eq!(
            fs::read_to_string(file.path()).unwrap(),
            "[[watchlist]]\nitem_id = \"7000000000000000001\"\n"
        );
        assert!(file.set_label("7000000000000000001", Some("c")).unwrap());
        assert!(file.set_label("7000000000000000001", None).unwrap());
        assert_eq!(file.load().unwrap().watchlist[0].label, None);
    }

    #[test]
    fn inline_array_watchlists_are_edited_in_place() {
        let (_dir, file) = setup(Some(
            "watchlist = [{ item_id = \"7000000000000000001\" }]\n",
        ));
        assert!(
            file.add_watch("7000000000000000002", Some("b"), at("2026-01-01T00:00:00Z"))
                .unwrap()
        );
        assert!(file.set_label("7000000000000000001", Some("a")).unwrap());
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
                ("7000000000000000001".into(), Some("a".into())),
                ("7000000000000000002".into(), Some("b".into()))
            ]
        );
        assert!(file.remove_watch("7000000000000000001").unwrap());
        assert_eq!(
            fs::read_to_string(file.path()).unwrap(),
            "watchlist = [{ item_id = \"7000000000000000002\", label = \"b\", added_at = 2026-01-01T00:00:00Z }]\n"
        );
    }

    #[test]
    fn campaign_and_price_are_added_set_and_cleared_in_place() {
        let (_dir, file) = setup(Some(
            "[[watchlist]]\nitem_id = \"7000000000000000001\"\nprice = 5 # was 4\n",
        ));
        let shared = SharedKeys {
            campaign: Some("秋季".into()),
            price: Some(Price::Decimal(99.5)),
        };
        file.add_watches(
            &[("7000000000000000002", Some("b"))],
            &shared,
            at("2026-01-01T00:00:00Z"),
        )
        .unwrap();
        let change = |price| KeyChanges {
            price: Some(price),
            ..KeyChanges::default()
        };
        assert!(
            file.set_keys("7000000000000000001", &change(Some(Price::Whole(7))))
                .unwrap()
        );
        assert!(!file.set_keys("7000000000000000003", &change(None)).unwrap());
        assert_eq!(
            fs::read_to_string(file.path()).unwrap(),
            "[[watchlist]]\nitem_id = \"7000000000000000001\"\nprice = 7 # was 4\n\n[[watchlist]]\nitem_id = \"7000000000000000002\"\n\
             label = \"b\"\ncampaign = \"秋季\"\nprice = 99.5\nadded_at = 2026-01-01T00:00:00Z\n"
        );
        assert!(file.set_keys("7000000000000000001", &change(None)).unwrap());
        let loaded = file.load().unwrap().watchlist;
        assert_eq!(loaded[0].price, None);
        assert_eq!(loaded[1].price, Some(Price::Decimal(99.5)));
        assert_eq!(loaded[1].campaign.as_deref(), Some("秋季"));
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
            file.add_watch(
                "7000000000000000001",
                Some("first"),
                at("2026-12-01T00:00:00Z")
            )
            .unwrap()
        );
        assert!(
            file.add_watch("7000000000000000002", None, at("2026-12-02T00:00:00Z"))
                .unwrap()
        );
        assert_golden(
            "no_watchlist_add",
            &fs::read_to_string(file.path()).unwrap(),
        );
    }
}
