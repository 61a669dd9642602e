//! `xingtu-dash history <ITEM>` (every stored snapshot, oldest first) and `history prune`.

use std::io::Write;
use std::process::ExitCode;

use chrono::{DateTime, Local, NaiveDate, TimeZone, Utc};

use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, exit};
use crate::cli::{HistoryArgs, HistoryCommand};
use crate::csv;
use crate::format;
use crate::item_id::ItemId;
use crate::settings::Settings;
use crate::store::{self, Snapshot};

pub fn run(settings: &Settings, args: &HistoryArgs) -> ExitCode {
    if let Some(HistoryCommand::Prune { keep_days }) = &args.command {
        return prune(settings, *keep_days);
    }
    let Some(item) = &args.item else {
        eprintln!(
            "error: which video? usage: xingtu-dash history <ITEM> [--json | --csv] [--since DATE], or xingtu-dash history prune"
        );
        return exit(EXIT_USAGE);
    };
    let id = match ItemId::parse(item) {
        Ok(id) => id,
        Err(e) => {
            eprintln!("error: {e}");
            return exit(EXIT_USAGE);
        }
    };
    let since = match args.since.as_deref().map(parse_since).transpose() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return exit(EXIT_USAGE);
        }
    };
    let store = match store::open(&settings.paths) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return exit(EXIT_FAILED);
        }
    };
    // Snapshots are printed as they are read, so a long history never sits in memory.
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut count = 0usize;
    let mut write_error = None;
    if args.csv {
        write_error = write!(out, "{}", csv::row(&CSV_HEADER)).err();
    }
    let read = store.each_snapshot(id.as_str(), since, &mut |s| {
        if count == 0 && !args.json && !args.csv {
            write_error = writeln!(out, "{}", table_line(table_head())).err();
        }
        count += 1;
        let written = if args.json {
            writeln!(out, "{}", snapshot_json(&s))
        } else if args.csv {
            write!(out, "{}", csv::row(&snapshot_csv(&s)))
        } else {
            writeln!(
                out,
                "{}",
                table_line(table_cells(&s, settings.number_style))
            )
        };
        write_error = write_error.take().or(written.err());
        write_error.is_none()
    });
    if let Err(e) = read {
        let _ = out.flush();
        eprintln!("error: {e}");
        return exit(EXIT_FAILED);
    }
    if count == 0 && !args.json && !args.csv {
        write_error = writeln!(
            out,
            "no snapshots of {id} yet: every successful `get`, `watch refresh` or dashboard lookup records one"
        )
        .err();
    }
    match write_error.map_or_else(|| out.flush(), Err) {
        Ok(()) => exit(EXIT_OK),
        // The reader went away (`| head`): nothing more to say.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => exit(EXIT_OK),
        Err(e) => {
            eprintln!("error: cannot write to stdout: {e}");
            exit(EXIT_FAILED)
        }
    }
}

/// `2026-11-20` (local midnight) or an RFC 3339 timestamp.
pub fn parse_since(raw: &str) -> Result<DateTime<Utc>, String> {
    let raw = raw.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        return Ok(t.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .and_then(|t| Local.from_local_datetime(&t).earliest())
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| {
            format!("--since {raw:?} is not a date: expected 2026-11-20 or 2026-11-20T08:00:00Z")
        })
}

pub const CSV_HEADER: [&str; 12] = [
    "item_id",
    "fetched_at",
    "vv_cnt",
    "like_cnt",
    "comment_cnt",
    "share_cnt",
    "collect_cnt",
    "interact_cnt",
    "interact_rate",
    "finish_rate",
    "follower",
    "like_rate",
];

fn snapshot_json(s: &Snapshot) -> serde_json::Value {
    let mut v = serde_json::to_value(s).unwrap_or_default();
    if let Some(o) = v.as_object_mut() {
        o.insert("fetched_at".into(), rfc3339(s.fetched_at).into());
        o.insert("like_rate".into(), like_rate(s).into());
    }
    v
}

fn snapshot_csv(s: &Snapshot) -> Vec<String> {
    let n = |v: Option<u64>| v.map(|v| v.to_string()).unwrap_or_default();
    let f = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    vec![
        s.item_id.clone(),
        rfc3339(s.fetched_at),
        n(s.vv_cnt),
        n(s.like_cnt),
        n(s.comment_cnt),
        n(s.share_cnt),
        n(s.collect_cnt),
        n(s.interact_cnt),
        f(s.interact_rate),
        f(s.finish_rate),
        n(s.follower),
        f(like_rate(s)),
    ]
}

pub fn like_rate(s: &Snapshot) -> Option<f64> {
    crate::report::per_view(s.like_cnt, s.vv_cnt)
}

pub fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

const TABLE_WIDTHS: [usize; 8] = [16, 10, 9, 9, 9, 9, 8, 8];

fn table_head() -> [String; 8] {
    [
        "FETCHED (local)",
        "VIEWS",
        "LIKES",
        "COMMENTS",
        "SHARES",
        "SAVES",
        "LIKE%",
        "ENGAGE%",
    ]
    .map(str::to_owned)
}

fn table_cells(s: &Snapshot, style: format::NumberStyle) -> [String; 8] {
    let c = |v: Option<u64>| format::opt_count(v, style);
    [
        s.fetched_at
            .with_timezone(&Local)
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        c(s.vv_cnt),
        c(s.like_cnt),
        c(s.comment_cnt),
        c(s.share_cnt),
        c(s.collect_cnt),
        format::opt_percent(like_rate(s)),
        format::opt_percent(s.interact_rate),
    ]
}

fn table_line(cells: [String; 8]) -> String {
    let mut out = format::pad_right(&cells[0], TABLE_WIDTHS[0]);
    for (cell, w) in cells.iter().zip(TABLE_WIDTHS).skip(1) {
        out.push_str("  ");
        out.push_str(&format::pad_left(cell, w));
    }
    out.trim_end().to_owned()
}

fn prune(settings: &Settings, keep_days: Option<u32>) -> ExitCode {
    let Some(days) = keep_days.or(settings.config.history.keep_days) else {
        eprintln!(
            "error: nothing to prune: history is kept forever unless you set `keep_days = N` under [history] in {} or pass --keep-days N",
            settings.paths.config_file.display()
        );
        return exit(EXIT_USAGE);
    };
    match store::open(&settings.paths).and_then(|mut s| s.prune(days, Utc::now())) {
        Ok(n) => {
            println!(
                "deleted {n} snapshot{} older than {days} days",
                if n == 1 { "" } else { "s" }
            );
            exit(EXIT_OK)
        }
        Err(e) => {
            eprintln!("error: {e}");
            exit(EXIT_FAILED)
        }
    }
}
