//! `xingtu-dash watch import FILE|-`: every video a list or spreadsheet names, added to the
//! watchlist in one write. No paid call; short links are resolved (free).

use std::path::Path;
use std::process::ExitCode;

use chrono::Utc;

use super::watch::plural;
use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, exit, items};
use crate::item_id::{ItemId, ItemRef};
use crate::item_list::{self, Hint, Layout, TableOptions};
use crate::settings::Settings;
use crate::store::config::SharedKeys;

/// One row of an import that cannot be added, and why.
struct Invalid {
    line: usize,
    reason: String,
}

pub async fn run(
    settings: &Settings,
    file: &Path,
    options: &TableOptions<'_>,
    shared: &SharedKeys,
) -> ExitCode {
    let stdin = file.as_os_str() == "-";
    let name = if stdin {
        "stdin".to_owned()
    } else {
        file.display().to_string()
    };
    let bytes = if stdin {
        match items::read_stdin_bytes() {
            Ok(b) => b,
            Err(rejected) => {
                rejected
                    .messages
                    .iter()
                    .for_each(|m| crate::errln!("error: {m}"));
                return exit(rejected.code);
            }
        }
    } else {
        match std::fs::read(file) {
            Ok(b) => b,
            Err(e) => {
                crate::errln!("error: cannot read {name}: {e}");
                return exit(EXIT_USAGE);
            }
        }
    };
    if let Some(kind) = item_list::binary_spreadsheet(&bytes) {
        crate::errln!(
            "error: {name} is {kind}: save it as \"CSV UTF-8\" (File → Save As) and import that; nothing was added"
        );
        return exit(EXIT_USAGE);
    }
    let decoded = item_list::decode(&bytes);
    if decoded.lossy {
        if options.label_column.is_some() {
            crate::errln!(
                "error: {name} is not UTF-8 text (Excel's plain \"CSV\" saves in the local code page), so its labels cannot be read: save it as \"CSV UTF-8\" (or \"Unicode text\") and import again; nothing was added"
            );
            return exit(EXIT_USAGE);
        }
        crate::errln!(
            "warning: {name} is not UTF-8 text: ids and links are read, other text is not (save it as \"CSV UTF-8\" to keep Chinese text)"
        );
    }
    let (layout, rows) = match item_list::read_rows(&decoded.text, Hint::from_name(&name), options)
    {
        Ok(read) => read,
        Err(e) => {
            crate::errln!("error: {name}: {e}; nothing was added");
            return exit(EXIT_USAGE);
        }
    };
    if rows.is_empty() {
        crate::errln!("error: {name} holds no items (blank lines and # comments are skipped)");
        return exit(EXIT_USAGE);
    }
    let column = match &layout {
        Layout::Table { column, .. } => Some(column.clone()),
        Layout::Lines => None,
    };

    let mut invalid: Vec<Invalid> = Vec::new();
    let mut parsed: Vec<(usize, ItemRef, Option<String>)> = Vec::new();
    for row in rows {
        if row.item.is_empty() {
            invalid.push(Invalid {
                line: row.line,
                reason: format!(
                    "no id or link in {}",
                    column.as_deref().unwrap_or("this row")
                ),
            });
            continue;
        }
        match ItemRef::parse(&row.item) {
            Ok(r) => parsed.push((row.line, r, row.label)),
            Err(e) => invalid.push(Invalid {
                line: row.line,
                reason: e.to_string(),
            }),
        }
    }
    let resolver = crate::session::resolver(settings);
    let refs: Vec<ItemRef> = parsed.iter().map(|(_, r, _)| r.clone()).collect();
    let resolved = resolver.resolve_all(&refs).await;
    for warning in resolver.take_warnings() {
        crate::errln!("warning: {warning}");
    }
    let mut valid: Vec<(usize, ItemId, Option<String>)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut duplicates = 0;
    for ((line, _, label), result) in parsed.into_iter().zip(resolved) {
        match result {
            Ok(id) if !seen.insert(id.clone()) => duplicates += 1,
            Ok(id) => valid.push((line, id, label)),
            Err(e) => invalid.push(Invalid {
                line,
                reason: e.to_string(),
            }),
        }
    }
    invalid.sort_by_key(|i| i.line);
    for i in &invalid {
        crate::errln!("{name}:{}: {}", i.line, i.reason);
    }
    if valid.is_empty() {
        crate::errln!(
            "error: every row of {name} is invalid ({}); nothing was added",
            plural(invalid.len(), "row", "rows")
        );
        return exit(EXIT_USAGE);
    }

    let config = settings.config_file();
    let entries: Vec<(&str, Option<&str>)> = valid
        .iter()
        .map(|(_, id, label)| (id.as_str(), label.as_deref()))
        .collect();
    let added = match config.add_watches(&entries, shared, Utc::now()) {
        Ok(added) => added,
        Err(e) => {
            crate::errln!("error: {e}");
            return exit(EXIT_FAILED);
        }
    };
    let count = added.iter().filter(|a| **a).count();
    let mut summary = vec![
        format!("{count} added"),
        format!("{} already watched", added.len() - count),
    ];
    if duplicates > 0 {
        summary.push(plural(duplicates, "repeated row", "repeated rows"));
    }
    if !invalid.is_empty() {
        let lines: Vec<String> = invalid.iter().map(|i| i.line.to_string()).collect();
        summary.push(format!(
            "{} (line{} {})",
            plural(invalid.len(), "invalid row", "invalid rows"),
            if invalid.len() == 1 { "" } else { "s" },
            lines.join(", ")
        ));
    }
    let source = match &layout {
        Layout::Lines => String::new(),
        Layout::Table {
            column,
            label_column,
            ..
        } => match label_column {
            Some(l) => format!(" (ids from {column:?}, labels from {l:?})"),
            None => format!(" (ids from {column:?})"),
        },
    };
    let written = if count > 0 {
        format!("written to {}", config.path().display())
    } else {
        "the watchlist is unchanged".to_owned()
    };
    crate::outln!(
        "imported {name}{source}: {}; {written} (no call made)",
        summary.join(", ")
    );
    if invalid.is_empty() {
        exit(EXIT_OK)
    } else {
        exit(EXIT_FAILED)
    }
}
