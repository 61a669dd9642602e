//! `xingtu-dash watch add|remove|label|list|refresh`: the watchlist in the config file.
//! Only `refresh` makes paid calls.

use std::process::ExitCode;

use chrono::Utc;
use serde_json::json;

use super::get::{Printer, lookup_all};
use super::stored::{self, watchlist};
use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, exit, refuse_in_demo};
use crate::cli::WatchCommand;
use crate::fetcher::Freshness;
use crate::format;
use crate::item_id::ItemId;
use crate::session::Session;
use crate::settings::Settings;
use crate::store::Snapshot;

pub async fn run(settings: &Settings, command: &WatchCommand) -> ExitCode {
    match command {
        WatchCommand::Add { .. } if settings.demo => refuse_in_demo("watch add"),
        WatchCommand::Remove { .. } if settings.demo => refuse_in_demo("watch remove"),
        WatchCommand::Label { .. } if settings.demo => refuse_in_demo("watch label"),
        WatchCommand::Add { item, label } => {
            with_id(item, |id| add(settings, id, label.as_deref()))
        }
        WatchCommand::Remove { item } => with_id(item, |id| remove(settings, id)),
        WatchCommand::Label { item, text } => with_id(item, |id| set_label(settings, id, text)),
        WatchCommand::List { json } => list(settings, *json),
        WatchCommand::Refresh {
            force,
            json,
            quiet,
            concurrency,
        } => refresh(settings, *force, *json, *quiet, *concurrency).await,
    }
}

fn with_id(item: &str, f: impl FnOnce(&ItemId) -> ExitCode) -> ExitCode {
    match ItemId::parse(item) {
        Ok(id) => f(&id),
        Err(e) => {
            eprintln!("error: {e}");
            exit(EXIT_USAGE)
        }
    }
}

fn add(settings: &Settings, id: &ItemId, label: Option<&str>) -> ExitCode {
    let file = settings.config_file();
    let label = label.map(str::trim).filter(|l| !l.is_empty());
    match file.add_watch(id.as_str(), label, Utc::now()) {
        Ok(true) => {
            println!(
                "added {id} to the watchlist in {} (no call made; `xingtu-dash watch refresh` fetches it)",
                file.path().display()
            );
            exit(EXIT_OK)
        }
        Ok(false) => {
            println!("{id} is already in the watchlist (nothing changed)");
            exit(EXIT_OK)
        }
        Err(e) => {
            eprintln!("error: {e}");
            exit(EXIT_FAILED)
        }
    }
}

fn remove(settings: &Settings, id: &ItemId) -> ExitCode {
    match settings.config_file().remove_watch(id.as_str()) {
        Ok(true) => {
            println!("removed {id} from the watchlist");
            exit(EXIT_OK)
        }
        Ok(false) => {
            eprintln!("error: {id} is not in the watchlist (nothing changed)");
            exit(EXIT_USAGE)
        }
        Err(e) => {
            eprintln!("error: {e}");
            exit(EXIT_FAILED)
        }
    }
}

fn set_label(settings: &Settings, id: &ItemId, text: &str) -> ExitCode {
    let label = Some(text.trim()).filter(|l| !l.is_empty());
    match settings.config_file().set_label(id.as_str(), label) {
        Ok(true) => {
            match label {
                Some(l) => println!("labelled {id} “{l}”"),
                None => println!("cleared the label of {id}"),
            }
            exit(EXIT_OK)
        }
        Ok(false) => {
            eprintln!(
                "error: {id} is not in the watchlist: add it first with `xingtu-dash watch add {id}`"
            );
            exit(EXIT_USAGE)
        }
        Err(e) => {
            eprintln!("error: {e}");
            exit(EXIT_FAILED)
        }
    }
}

fn list(settings: &Settings, json: bool) -> ExitCode {
    let entries = match watchlist(settings) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: {e}");
            return exit(EXIT_FAILED);
        }
    };
    // Last known figures come from the store, one row at a time; no call is made.
    let store = stored::open(settings)
        .map_err(|e| tracing::warn!("watch list without figures: {e}"))
        .ok();
    let latest = |item_id: &str| -> Option<Snapshot> {
        store
            .as_ref()?
            .row(item_id, 0)
            .ok()
            .flatten()
            .map(|r| r.newest)
    };
    if json {
        for e in &entries {
            let snapshot = latest(&e.item_id);
            let line = json!({
                "item_id": e.item_id,
                "label": e.label,
                "added_at": e.added_at.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
                "latest": snapshot,
            });
            println!("{line}");
        }
        return exit(EXIT_OK);
    }
    if entries.is_empty() {
        println!(
            "the watchlist is empty: add a video with `xingtu-dash watch add <ITEM>` (file: {})",
            settings.paths.config_file.display()
        );
        return exit(EXIT_OK);
    }
    let style = settings.number_style;
    let now = Utc::now();
    let label_width = entries
        .iter()
        .map(|e| format::width(e.label.as_deref().unwrap_or("—")))
        .max()
        .unwrap_or(5)
        .clamp(5, 30);
    println!(
        "{}  {}  {}  {}  UPDATED",
        format::pad_right("ITEM", 19),
        format::pad_right("LABEL", label_width),
        format::pad_left("VIEWS", 9),
        format::pad_left("LIKE%", 8),
    );
    for e in &entries {
        let s = latest(&e.item_id);
        let s = s.as_ref();
        let like_rate = s.and_then(super::history::like_rate);
        println!(
            "{}  {}  {}  {}  {}",
            format::pad_right(&e.item_id, 19),
            format::pad_right(
                &format::clean(e.label.as_deref().unwrap_or("—")),
                label_width
            ),
            format::pad_left(&format::opt_count(s.and_then(|s| s.vv_cnt), style), 9),
            format::pad_left(&format::opt_percent(like_rate), 8),
            s.map_or("never".into(), |s| format::ago(s.fetched_at, now)),
        );
    }
    exit(EXIT_OK)
}

async fn refresh(
    settings: &Settings,
    force: bool,
    json: bool,
    quiet: bool,
    concurrency: Option<u16>,
) -> ExitCode {
    let entries = match watchlist(settings) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("watch refresh: {e}");
            return exit(EXIT_FAILED);
        }
    };
    let mut ids = Vec::new();
    for e in &entries {
        match ItemId::parse(&e.item_id) {
            Ok(id) => ids.push(id),
            Err(err) => eprintln!(
                "warning: skipping watchlist entry {:?}: {err} (fix it in {})",
                e.item_id,
                settings.paths.config_file.display()
            ),
        }
    }
    if ids.is_empty() {
        if !quiet {
            println!("the watchlist is empty: add a video with `xingtu-dash watch add <ITEM>`");
        }
        return exit(EXIT_OK);
    }
    let concurrency = concurrency
        .map(usize::from)
        .or(settings.config.watch.concurrency)
        .unwrap_or(4)
        .clamp(1, 64);
    let session = match Session::open(settings, concurrency) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("watch refresh: {e}");
            return exit(EXIT_USAGE);
        }
    };
    let freshness = if force {
        Freshness::Force
    } else {
        Freshness::CacheOk
    };
    let printer = Printer {
        json,
        quiet,
        settings,
    };
    let fetcher = session.fetcher();
    let outcome = lookup_all(&fetcher, &ids, freshness, |id, r| printer.print(id, r)).await;
    let calls = fetcher.calls_made();
    for warning in session.finish().await {
        eprintln!("warning: {warning}");
    }
    if outcome.failed > 0 {
        eprintln!(
            "watch refresh: {} of {} items failed ({} calls made); first: {}",
            outcome.failed,
            outcome.total,
            calls,
            outcome.first_error.unwrap_or_default()
        );
        return exit(EXIT_FAILED);
    }
    if !quiet && !json && settings.demo {
        eprintln!(
            "refreshed {} items from the bundled demo data (nothing billed)",
            outcome.total
        );
    } else if !quiet && !json {
        eprintln!(
            "refreshed {} items with {calls} paid call{} (items fetched within the cache window are not called again)",
            outcome.total,
            if calls == 1 { "" } else { "s" }
        );
    }
    exit(EXIT_OK)
}
