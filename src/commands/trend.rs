//! `xingtu-dash trend <ITEM> [--json | --csv] [--refresh]`: Xingtu's own daily series of a
//! video. A separate paid call; once stored, asking again costs nothing unless `--refresh`.

use std::process::ExitCode;

use chrono::{DateTime, Local, Utc};
use serde_json::json;

use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, exit};
use crate::cli::TrendArgs;
use crate::csv;
use crate::format::{self, NumberStyle};
use crate::item_id::ItemId;
use crate::output;
use crate::session::Session;
use crate::settings::Settings;
use crate::t;
use crate::trend::{self, DayValue, StoredTrend};

pub async fn run(settings: &Settings, args: &TrendArgs) -> ExitCode {
    let id = match super::items::one_id(settings, &args.item).await {
        Ok(id) => id,
        Err(code) => return exit(code),
    };
    let store = match super::stored::open(settings) {
        Ok(store) => Some(store),
        Err(e) => {
            super::warning(t!("cli-trend-no-store", error = e.to_string()));
            None
        }
    };
    let stored = if args.refresh {
        None
    } else {
        store.as_ref().and_then(|s| match s.trend(id.as_str()) {
            Ok(t) => t,
            Err(e) => {
                super::warning(e);
                None
            }
        })
    };
    let (trend, fresh) = match stored {
        Some(t) => (t, false),
        None => match fetch(settings, &id, args.json).await {
            Ok(t) => (t, true),
            Err(code) => return code,
        },
    };
    if fresh
        && let Some(mut store) = store
        && let Err(e) = store.record_trend(id.as_str(), trend.fetched_at, &trend.days)
    {
        super::warning(t!("cli-trend-not-stored", error = e.to_string()));
    }
    if args.json {
        for d in &trend.days {
            if !crate::stdio::print(&format!("{}\n", day_json(&id, d))) {
                break;
            }
        }
    } else if args.csv {
        if crate::stdio::print(&csv::row(&CSV_HEADER)) {
            for d in &trend.days {
                if !crate::stdio::print(&csv::typed_row(&day_csv(&id, d))) {
                    break;
                }
            }
        }
    } else {
        print_table(&id, &trend, fresh, settings.demo, settings.number_style);
    }
    exit(EXIT_OK)
}

/// One paid call (or the demo's data), with `get`'s retries and halts; the error is printed
/// as `get` prints it (a JSON line too with `--json`), with `get`'s exit status.
async fn fetch(settings: &Settings, id: &ItemId, json: bool) -> Result<StoredTrend, ExitCode> {
    let session = match Session::open(settings, 1) {
        Ok(s) => s,
        Err(e) => {
            super::error(e);
            return Err(exit(EXIT_USAGE));
        }
    };
    let result = session.fetcher().fetch_trend(id).await;
    session.finish().await.iter().for_each(super::warning);
    match result {
        Ok(data) => Ok(StoredTrend {
            fetched_at: Utc::now(),
            days: trend::parse(&data),
        }),
        Err(e) => {
            if json {
                crate::stdio::print(&format!("{}\n", output::json_err(id.as_str(), &e)));
            }
            crate::errln!("{}", output::human_err(id.as_str(), &e).trim_end());
            Err(exit(EXIT_FAILED))
        }
    }
}

pub const CSV_HEADER: [&str; 4] = ["item_id", "date", "metric", "value"];

/// `{"item_id", "date": "2025-10-20", "metric": "vv", "value": 1234}`
pub fn day_json(id: &ItemId, d: &DayValue) -> serde_json::Value {
    json!({
        "item_id": id.as_str(),
        "date": d.date.format("%Y-%m-%d").to_string(),
        "metric": d.metric,
        "value": d.json_value(),
    })
}

/// The id as a spreadsheet keeps it; the metric is the API's name, text from elsewhere.
fn day_csv(id: &ItemId, d: &DayValue) -> Vec<(csv::Kind, String)> {
    vec![
        (csv::Kind::Id, id.to_string()),
        (csv::Kind::Number, d.date.format("%Y-%m-%d").to_string()),
        (csv::Kind::Text, d.metric.clone()),
        (csv::Kind::Number, d.json_value().to_string()),
    ]
}

/// What a person calls a metric Xingtu names by an abbreviation.
pub fn metric_title(metric: &str) -> String {
    match metric {
        trend::VIEWS => t!("cli-trend-views"),
        other => other.replace('_', " "),
    }
}

fn print_table(id: &ItemId, trend: &StoredTrend, fresh: bool, demo: bool, style: NumberStyle) {
    let when = local_time(trend.fetched_at);
    let source = match (demo, fresh) {
        (true, _) => t!("cli-trend-demo"),
        (false, true) => t!("cli-trend-fetched", when = when),
        (false, false) => t!("cli-trend-stored", when = when),
    };
    crate::outln!(
        "{}",
        t!("cli-trend-title", id = id.as_str(), source = source)
    );
    let metrics = trend.metrics();
    if metrics.is_empty() {
        crate::outln!("  {}", t!("cli-trend-empty"));
        return;
    }
    let titles: Vec<String> = metrics.iter().map(|m| metric_title(m)).collect();
    let widths: Vec<usize> = titles.iter().map(|t| format::width(t).max(9)).collect();
    let mut head = format::pad_right(&t!("cli-trend-date"), 10);
    for (t, w) in titles.iter().zip(&widths) {
        head.push_str("  ");
        head.push_str(&format::pad_left(&t.to_uppercase(), *w));
    }
    crate::outln!("{head}");
    let mut dates: Vec<_> = trend.days.iter().map(|d| d.date).collect();
    dates.dedup();
    for date in dates {
        let mut line = date.format("%Y-%m-%d").to_string();
        for (m, w) in metrics.iter().zip(&widths) {
            let value = trend
                .days
                .iter()
                .find(|d| d.date == date && d.metric == *m)
                .map_or_else(|| "—".to_owned(), |d| value_text(d.value, style));
            line.push_str("  ");
            line.push_str(&format::pad_left(&value, *w));
        }
        if !crate::stdio::print(&format!("{line}\n")) {
            return;
        }
    }
    crate::outln!("  {}", t!("cli-trend-legend"));
}

fn value_text(v: f64, style: NumberStyle) -> String {
    if v.fract() == 0.0 && v >= 0.0 && v < u64::MAX as f64 {
        format::count(v as u64, style)
    } else {
        format!("{v:.2}")
    }
}

fn local_time(t: DateTime<Utc>) -> String {
    t.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string()
}
