//! `xingtu-dash export`: the watchlist with its latest metrics, rates and the change since
//! the previous snapshot, one row per watched item, as CSV (Excel/WPS-ready) or JSON.

use std::io::Write;
use std::process::ExitCode;

use serde_json::{Value, json};

use super::history::{like_rate, rfc3339};
use super::stored;
use super::{EXIT_FAILED, EXIT_OK, exit};
use crate::cli::{ExportArgs, ExportFormat};
use crate::csv;
use crate::report::Report;
use crate::settings::Settings;
use crate::store::Snapshot;

pub const COLUMNS: [&str; 22] = [
    "item_id",
    "label",
    "title",
    "author",
    "fetched_at",
    "vv_cnt",
    "like_cnt",
    "comment_cnt",
    "share_cnt",
    "collect_cnt",
    "interact_cnt",
    "like_rate",
    "comment_rate",
    "share_rate",
    "collect_rate",
    "interact_rate",
    "finish_rate",
    "follower",
    "previous_fetched_at",
    "vv_change",
    "like_change",
    "url",
];

pub fn run(settings: &Settings, args: &ExportArgs) -> ExitCode {
    let entries = match stored::watchlist(settings) {
        Ok(e) => e,
        Err(e) => {
            crate::errln!("error: {e}");
            return exit(EXIT_FAILED);
        }
    };
    let store = match stored::open(settings) {
        Ok(s) => s,
        Err(e) => {
            crate::errln!("error: {e}");
            return exit(EXIT_FAILED);
        }
    };
    let (sink, path): (Box<dyn Write>, _) = match &args.output {
        Some(path) => match std::fs::File::create(path) {
            Ok(f) => (Box::new(f), Some(path)),
            Err(e) => {
                crate::errln!("error: cannot write {}: {e}", path.display());
                return exit(EXIT_FAILED);
            }
        },
        None => (Box::new(crate::stdio::Stdout), None),
    };
    let mut out = std::io::BufWriter::new(sink);
    // One row at a time: the store hands over one item's figures and report, the row is
    // written, and both are dropped before the next.
    let mut written = match args.format {
        ExportFormat::Json => out.write_all(b"["),
        ExportFormat::Csv if args.no_bom => out.write_all(csv::row(&COLUMNS).as_bytes()),
        ExportFormat::Csv => {
            out.write_all(format!("{}{}", csv::BOM, csv::row(&COLUMNS)).as_bytes())
        }
    };
    for (n, e) in entries.iter().enumerate() {
        if written.is_err() {
            break;
        }
        let item = match store.row(&e.item_id, 0) {
            Ok(item) => item,
            Err(err) => {
                crate::errln!("error: {err}");
                return exit(EXIT_FAILED);
            }
        };
        let report = store
            .latest_report(&e.item_id)
            .ok()
            .flatten()
            .map(|c| Report::from_data(&e.item_id, &c.data));
        let value = row(
            &e.item_id,
            e.label.as_deref(),
            report.as_ref(),
            item.as_ref().map(|r| &r.newest),
            item.as_ref().and_then(|r| r.previous.as_ref()),
        );
        written = match args.format {
            ExportFormat::Json => {
                let sep = if n == 0 { "\n" } else { ",\n" };
                let pretty = serde_json::to_string_pretty(&value).unwrap_or_default();
                let indented = pretty.replace('\n', "\n  ");
                write!(out, "{sep}  {indented}")
            }
            ExportFormat::Csv => out.write_all(csv::typed_row(&csv_cells(&value)).as_bytes()),
        };
    }
    if written.is_ok() && args.format == ExportFormat::Json {
        written = out.write_all(if entries.is_empty() { b"]\n" } else { b"\n]\n" });
    }
    let written = written.and_then(|()| out.flush());
    match written {
        Ok(()) => {
            if let Some(path) = path {
                crate::errln!(
                    "exported {} watched items to {}",
                    entries.len(),
                    path.display()
                );
            }
            exit(EXIT_OK)
        }
        Err(e) => {
            // A closed or failing stdout is reported by `main`, which knows every command's.
            if let Some(path) = path {
                crate::errln!("error: cannot write {}: {e}", path.display());
            }
            exit(EXIT_FAILED)
        }
    }
}

fn row(
    item_id: &str,
    label: Option<&str>,
    report: Option<&Report>,
    newest: Option<&Snapshot>,
    previous: Option<&Snapshot>,
) -> Value {
    let rate = |count: fn(&Snapshot) -> Option<u64>| {
        newest.and_then(|s| crate::report::per_view(count(s), s.vv_cnt))
    };
    let change = |metric: fn(&Snapshot) -> Option<u64>| -> Option<i64> {
        let (n, p) = (metric(newest?)?, metric(previous?)?);
        // Saturating: a bad count from the API must not wrap into a plausible figure.
        let (n, p) = (
            i64::try_from(n).unwrap_or(i64::MAX),
            i64::try_from(p).unwrap_or(i64::MAX),
        );
        Some(n.saturating_sub(p))
    };
    json!({
        "item_id": item_id,
        "label": label,
        "title": report.and_then(|r| r.video.title.clone()),
        "author": report.and_then(|r| r.author.name.clone()),
        "fetched_at": newest.map(|s| rfc3339(s.fetched_at)),
        "vv_cnt": newest.and_then(|s| s.vv_cnt),
        "like_cnt": newest.and_then(|s| s.like_cnt),
        "comment_cnt": newest.and_then(|s| s.comment_cnt),
        "share_cnt": newest.and_then(|s| s.share_cnt),
        "collect_cnt": newest.and_then(|s| s.collect_cnt),
        "interact_cnt": newest.and_then(|s| s.interact_cnt),
        "like_rate": newest.and_then(like_rate),
        "comment_rate": rate(|s| s.comment_cnt),
        "share_rate": rate(|s| s.share_cnt),
        "collect_rate": rate(|s| s.collect_cnt),
        "interact_rate": newest.and_then(|s| s.interact_rate),
        "finish_rate": newest.and_then(|s| s.finish_rate),
        "follower": newest.and_then(|s| s.follower),
        "previous_fetched_at": previous.map(|s| rfc3339(s.fetched_at)),
        "vv_change": change(|s| s.vv_cnt),
        "like_change": change(|s| s.like_cnt),
        "url": report.and_then(|r| r.video.url.clone()),
    })
}

fn csv_cells(r: &Value) -> Vec<(csv::Kind, String)> {
    COLUMNS
        .iter()
        .map(|c| {
            let value = match &r[*c] {
                Value::Null => String::new(),
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            (csv_kind(c), value)
        })
        .collect()
}

/// Labels, titles, creator names and URLs are anyone's text; the rest is ours.
fn csv_kind(column: &str) -> csv::Kind {
    match column {
        "item_id" => csv::Kind::Id,
        "label" | "title" | "author" | "url" => csv::Kind::Text,
        _ => csv::Kind::Number,
    }
}
