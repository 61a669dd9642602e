//! `xingtu-dash export`: the watchlist with its latest metrics, rates and the change since
//! the previous snapshot, one row per watched item, as CSV (Excel/WPS-ready) or JSON.

use std::process::ExitCode;

use serde_json::{Value, json};

use super::history::{like_rate, rfc3339};
use super::stored;
use super::{EXIT_FAILED, EXIT_OK, exit};
use crate::cli::{ExportArgs, ExportFormat};
use crate::csv;
use crate::report::Report;
use crate::settings::Settings;
use crate::store::history::Snapshot;

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
            eprintln!("error: {e}");
            return exit(EXIT_FAILED);
        }
    };
    let ids: Vec<String> = entries.iter().map(|e| e.item_id.clone()).collect();
    let latest = match stored::latest(settings, &ids) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: {e}");
            return exit(EXIT_FAILED);
        }
    };
    let cached = stored::reports(settings);
    let rows: Vec<Value> = entries
        .iter()
        .map(|e| {
            let pair = latest.get(&e.item_id);
            row(
                &e.item_id,
                e.label.as_deref(),
                cached.get(&e.item_id),
                pair.map(|(s, _)| s),
                pair.and_then(|(_, p)| p.as_ref()),
            )
        })
        .collect();
    let text = match args.format {
        ExportFormat::Json => {
            let mut t = serde_json::to_string_pretty(&rows).unwrap_or_default();
            t.push('\n');
            t
        }
        ExportFormat::Csv => to_csv(&rows, !args.no_bom),
    };
    let written = match &args.output {
        Some(path) => std::fs::write(path, text.as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", path.display())),
        None => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())
                .map_err(|e| format!("cannot write to stdout: {e}"))
        }
    };
    match written {
        Ok(()) => {
            if let Some(path) = &args.output {
                eprintln!(
                    "exported {} watched items to {}",
                    rows.len(),
                    path.display()
                );
            }
            exit(EXIT_OK)
        }
        Err(e) => {
            eprintln!("error: {e}");
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
        Some(n as i64 - p as i64)
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

fn to_csv(rows: &[Value], bom: bool) -> String {
    let mut out = String::new();
    if bom {
        out.push_str(csv::BOM);
    }
    out.push_str(&csv::row(&COLUMNS));
    for r in rows {
        let cells: Vec<(csv::Kind, String)> = COLUMNS
            .iter()
            .map(|c| {
                let value = match &r[*c] {
                    Value::Null => String::new(),
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                (csv_kind(c), value)
            })
            .collect();
        out.push_str(&csv::typed_row(&cells));
    }
    out
}

/// Labels, titles, creator names and URLs are anyone's text; the rest is ours.
fn csv_kind(column: &str) -> csv::Kind {
    match column {
        "item_id" => csv::Kind::Id,
        "label" | "title" | "author" | "url" => csv::Kind::Text,
        _ => csv::Kind::Number,
    }
}
