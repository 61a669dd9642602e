//! `xingtu-dash watch import FILE|-`: every video a list or spreadsheet names, added to the
//! watchlist in one write. No paid call; short links are resolved (free).

use std::path::Path;
use std::process::ExitCode;

use chrono::Utc;

use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, exit, items};
use crate::item_id::{ItemId, ItemRef};
use crate::item_list::{self, Hint, Layout, TableOptions};
use crate::settings::Settings;
use crate::store::config::SharedKeys;
use crate::t;

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
        t!("cli-items-stdin")
    } else {
        file.display().to_string()
    };
    let bytes = if stdin {
        match items::read_stdin_bytes() {
            Ok(b) => b,
            Err(rejected) => return rejected.report(""),
        }
    } else {
        match std::fs::read(file) {
            Ok(b) => b,
            Err(e) => {
                super::error(items::cannot_read(&name, &e));
                return exit(EXIT_USAGE);
            }
        }
    };
    if let Some(kind) = item_list::binary_spreadsheet(&bytes) {
        super::error(t!("cli-import-spreadsheet", file = name, kind = kind));
        return exit(EXIT_USAGE);
    }
    let decoded = item_list::decode(&bytes);
    if decoded.lossy {
        if options.label_column.is_some() {
            super::error(t!("cli-import-not-utf8-labels", file = name.as_str()));
            return exit(EXIT_USAGE);
        }
        super::warning(t!("cli-import-not-utf8", file = name.as_str()));
    }
    let (layout, rows) = match item_list::read_rows(&decoded.text, Hint::from_name(&name), options)
    {
        Ok(read) => read,
        Err(e) => {
            super::error(t!("cli-import-unreadable", file = name.as_str(), error = e));
            return exit(EXIT_USAGE);
        }
    };
    if rows.is_empty() {
        super::error(t!("cli-import-empty", file = name.as_str()));
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
                reason: match column.as_deref() {
                    Some(column) => t!("cli-import-no-id-in", column = column),
                    None => t!("cli-import-no-id"),
                },
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
    resolver.take_warnings().iter().for_each(super::warning);
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
        super::error(t!(
            "cli-import-all-invalid",
            file = name.as_str(),
            rows = invalid.len()
        ));
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
            super::error(e);
            return exit(EXIT_FAILED);
        }
    };
    let count = added.iter().filter(|a| **a).count();
    let mut summary = vec![
        t!("cli-import-added", count = count),
        t!("cli-import-already", count = added.len() - count),
    ];
    if duplicates > 0 {
        summary.push(t!("cli-import-repeated", count = duplicates));
    }
    if !invalid.is_empty() {
        let lines: Vec<String> = invalid.iter().map(|i| i.line.to_string()).collect();
        summary.push(t!(
            "cli-import-invalid",
            count = invalid.len(),
            lines = lines.join(", ")
        ));
    }
    let source = match &layout {
        Layout::Lines => String::new(),
        Layout::Table {
            column,
            label_column,
            ..
        } => match label_column {
            Some(l) => t!(
                "cli-import-columns",
                ids = format!("{column:?}"),
                labels = format!("{l:?}")
            ),
            None => t!("cli-import-column", ids = format!("{column:?}")),
        },
    };
    let written = if count > 0 {
        t!(
            "cli-import-written",
            file = config.path().display().to_string()
        )
    } else {
        t!("cli-import-unchanged")
    };
    crate::outln!(
        "{}",
        t!(
            "cli-import-done",
            file = name,
            source = source,
            summary = summary.join(&t!("cli-list-separator")),
            written = written
        )
    );
    if invalid.is_empty() {
        exit(EXIT_OK)
    } else {
        exit(EXIT_FAILED)
    }
}
