//! `xingtu-dash history <ITEM>` (every stored snapshot, oldest first) and `history prune`.

use std::process::ExitCode;

use chrono::{DateTime, Local, NaiveDate, TimeZone, Utc};

use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, exit};
use crate::cli::{HistoryArgs, HistoryCommand};
use crate::csv;
use crate::format;
use crate::settings::Settings;
use crate::store::{self, Snapshot};
use crate::t;

pub async fn run(settings: &Settings, args: &HistoryArgs) -> ExitCode {
    if let Some(HistoryCommand::Prune { keep_days }) = &args.command {
        if settings.demo {
            return super::refuse_in_demo("history prune");
        }
        return prune(settings, *keep_days);
    }
    let Some(item) = &args.item else {
        super::error(t!("cli-history-which"));
        return exit(EXIT_USAGE);
    };
    let id = match super::items::one_id(settings, item).await {
        Ok(id) => id,
        Err(code) => return exit(code),
    };
    let since = match args.since.as_deref().map(parse_since).transpose() {
        Ok(s) => s,
        Err(e) => {
            super::error(e);
            return exit(EXIT_USAGE);
        }
    };
    let series = match super::stored::series(settings, &id, since) {
        Ok(s) => s,
        Err(e) => {
            super::error(e);
            return exit(EXIT_FAILED);
        }
    };
    if args.json {
        for s in &series {
            crate::outln!("{}", snapshot_json(s));
        }
    } else if args.csv {
        crate::stdio::print(&csv::row(&CSV_HEADER));
        for s in &series {
            crate::stdio::print(&csv::typed_row(&snapshot_csv(s)));
        }
    } else if series.is_empty() {
        // With --since, "none yet" would be a lie when older snapshots exist.
        let all = match since {
            Some(_) => super::stored::series(settings, &id, None).unwrap_or_default(),
            None => Vec::new(),
        };
        match (since, all.last()) {
            (Some(since), Some(newest)) => crate::outln!(
                "{}",
                t!(
                    "cli-history-none-since",
                    count = all.len(),
                    id = id.as_str(),
                    since = local_time(since),
                    newest = local_time(newest.fetched_at)
                )
            ),
            _ => crate::outln!("{}", t!("cli-history-none", id = id.as_str())),
        };
    } else {
        print_table(&series, settings);
    }
    exit(EXIT_OK)
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
        .ok_or_else(|| t!("cli-history-bad-since", value = format!("{raw:?}")))
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

/// The id is the only cell a spreadsheet would damage; every other one is a figure or a time.
fn snapshot_csv(s: &Snapshot) -> Vec<(csv::Kind, String)> {
    let n = |v: Option<u64>| v.map(|v| v.to_string()).unwrap_or_default();
    let f = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    let mut cells = vec![(csv::Kind::Id, s.item_id.clone())];
    cells.extend(
        [
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
        .map(|v| (csv::Kind::Number, v)),
    );
    cells
}

pub fn like_rate(s: &Snapshot) -> Option<f64> {
    crate::report::per_view(s.like_cnt, s.vv_cnt)
}

pub fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn print_table(series: &[Snapshot], settings: &Settings) {
    let style = settings.number_style;
    let heads = [
        t!("cli-history-col-fetched"),
        t!("cli-col-views"),
        t!("cli-col-likes"),
        t!("cli-col-comments"),
        t!("cli-col-shares"),
        t!("cli-col-saves"),
        t!("cli-col-like-rate"),
        t!("cli-col-engage"),
    ];
    let widths = [16, 10, 9, 9, 9, 9, 8, 8];
    let line = |cells: [String; 8]| {
        let mut out = format::pad_right(&cells[0], widths[0]);
        for (cell, w) in cells.iter().zip(widths).skip(1) {
            out.push_str("  ");
            out.push_str(&format::pad_left(cell, w));
        }
        crate::outln!("{}", out.trim_end());
    };
    line(heads);
    for s in series {
        let c = |v: Option<u64>| format::opt_count(v, style);
        line([
            local_time(s.fetched_at),
            c(s.vv_cnt),
            c(s.like_cnt),
            c(s.comment_cnt),
            c(s.share_cnt),
            c(s.collect_cnt),
            format::opt_percent(like_rate(s)),
            format::opt_percent(s.interact_rate),
        ]);
    }
}

fn local_time(t: DateTime<Utc>) -> String {
    t.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string()
}

fn prune(settings: &Settings, keep_days: Option<u32>) -> ExitCode {
    let Some(days) = keep_days.or(settings.config.history.keep_days) else {
        let file = settings.paths.config_file.display().to_string();
        super::error(t!("cli-prune-nothing", file = file));
        return exit(EXIT_USAGE);
    };
    match store::open(&settings.store()).and_then(|mut s| s.prune(days, Utc::now())) {
        Ok(n) => {
            crate::outln!("{}", t!("cli-prune-done", count = n, days = days));
            exit(EXIT_OK)
        }
        Err(e) => {
            super::error(e);
            exit(EXIT_FAILED)
        }
    }
}
