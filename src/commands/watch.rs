//! `xingtu-dash watch add|remove|label|set|list|refresh`: the watchlist in the config file
//! (`watch import` is in `import`). Only `refresh` makes paid calls.

use std::collections::HashSet;
use std::process::ExitCode;

use chrono::Utc;
use serde_json::json;

use super::batch::{Batch, Reporting};
use super::costs;
use super::get::{Printer, lookup_all};
use super::stored::{self, watchlist};
use super::{EXIT_ALERT, EXIT_FAILED, EXIT_OK, EXIT_USAGE, exit, items, refuse_in_demo};
use crate::account::Amount;
use crate::cli::WatchCommand;
use crate::fetcher::Freshness;
use crate::format;
use crate::item_id::ItemId;
use crate::item_list::TableOptions;
use crate::price::Price;
use crate::session::Session;
use crate::settings::Settings;
use crate::store::config::{KeyChanges, SharedKeys, WatchEntry};
use crate::store::{Snapshot, Store};
use crate::targets::{self, Metric};

pub async fn run(settings: &Settings, command: &WatchCommand) -> ExitCode {
    match command {
        WatchCommand::Add { .. } if settings.demo => refuse_in_demo("watch add"),
        WatchCommand::Remove { .. } if settings.demo => refuse_in_demo("watch remove"),
        WatchCommand::Label { .. } if settings.demo => refuse_in_demo("watch label"),
        WatchCommand::Import { .. } if settings.demo => refuse_in_demo("watch import"),
        WatchCommand::Set { .. } if settings.demo => refuse_in_demo("watch set"),
        WatchCommand::Add {
            items,
            label,
            campaign,
            price,
        } => match shared_keys(campaign.as_deref(), price.as_deref()) {
            Ok(shared) => add(settings, items, label.as_deref(), &shared).await,
            Err(code) => code,
        },
        WatchCommand::Import {
            file,
            column,
            label_column,
            campaign,
            price,
        } => match shared_keys(campaign.as_deref(), price.as_deref()) {
            Ok(shared) => {
                let options = TableOptions {
                    column: column.as_deref(),
                    label_column: label_column.as_deref(),
                };
                super::import::run(settings, file, &options, &shared).await
            }
            Err(code) => code,
        },
        WatchCommand::Set {
            item,
            label,
            campaign,
            price,
        } => {
            let changes = match key_changes(label, campaign, price) {
                Ok(changes) => changes,
                Err(code) => return code,
            };
            match items::one_id(settings, item).await {
                Ok(id) => set_keys(settings, &id, &changes),
                Err(code) => exit(code),
            }
        }
        WatchCommand::Remove { item } => match items::one_id(settings, item).await {
            Ok(id) => remove(settings, &id),
            Err(code) => exit(code),
        },
        WatchCommand::Label { item, text } => match items::one_id(settings, item).await {
            Ok(id) => set_label(settings, &id, text),
            Err(code) => exit(code),
        },
        WatchCommand::List { json, campaign } => list(settings, *json, campaign.as_deref()),
        WatchCommand::Refresh {
            force,
            json,
            quiet,
            concurrency,
            max_cost,
        } => match super::batch::max_cost_arg(max_cost.as_deref()) {
            Ok(max_cost) => {
                let options = RefreshOptions {
                    force: *force,
                    json: *json,
                    quiet: *quiet,
                    concurrency: *concurrency,
                    max_cost,
                };
                refresh(settings, &options).await
            }
            Err(code) => code,
        },
    }
}

/// `--price` as typed, or a usage error that says what a price looks like.
fn price_arg(text: &str) -> Result<Price, ExitCode> {
    Price::parse(text).map_err(|e| {
        crate::errln!("error: --price {e}; nothing was changed");
        exit(EXIT_USAGE)
    })
}

/// `--campaign` and `--price` of `watch add` and `watch import`; an empty one is left out.
fn shared_keys(campaign: Option<&str>, price: Option<&str>) -> Result<SharedKeys, ExitCode> {
    let price = price.map(str::trim).filter(|p| !p.is_empty());
    Ok(SharedKeys {
        campaign: campaign
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_owned),
        price: price.map(price_arg).transpose()?,
    })
}

fn key_changes(
    label: &Option<String>,
    campaign: &Option<String>,
    price: &Option<String>,
) -> Result<KeyChanges, ExitCode> {
    if label.is_none() && campaign.is_none() && price.is_none() {
        crate::errln!(
            "error: nothing to set: give --label TEXT, --campaign NAME or --price AMOUNT (an empty value removes the key)"
        );
        return Err(exit(EXIT_USAGE));
    }
    let text = |v: &Option<String>| {
        v.as_deref()
            .map(|v| Some(v.trim().to_owned()).filter(|v| !v.is_empty()))
    };
    let price = match price.as_deref().map(str::trim) {
        None => None,
        Some("") => Some(None),
        Some(p) => Some(Some(price_arg(p)?)),
    };
    Ok(KeyChanges {
        label: text(label),
        campaign: text(campaign),
        price,
    })
}

async fn add(
    settings: &Settings,
    items: &[String],
    label: Option<&str>,
    shared: &SharedKeys,
) -> ExitCode {
    let ids = match items::ids(settings, items, None).await {
        Ok(ids) => ids,
        Err(rejected) => {
            for m in rejected.messages {
                // "Looked up" is the wrong word here: nothing was added.
                crate::errln!(
                    "error: {}",
                    m.replace("nothing was looked up", "nothing was added")
                );
            }
            return exit(rejected.code);
        }
    };
    let file = settings.config_file();
    let label = label.map(str::trim).filter(|l| !l.is_empty());
    let entries: Vec<(&str, Option<&str>)> = ids.iter().map(|id| (id.as_str(), label)).collect();
    let added = match file.add_watches(&entries, shared, Utc::now()) {
        Ok(added) => added,
        Err(e) => {
            crate::errln!("error: {e}");
            return exit(EXIT_FAILED);
        }
    };
    let mut reported = std::collections::HashSet::new();
    for (id, added) in ids.iter().zip(&added) {
        if !reported.insert(id) {
            continue;
        }
        if *added {
            crate::outln!("added {id} to the watchlist");
        } else {
            crate::outln!(
                "{id} is already in the watchlist (nothing changed; `xingtu-dash watch set {id}` changes its keys)"
            );
        }
    }
    let count = added.iter().filter(|a| **a).count();
    if count > 0 {
        crate::outln!(
            "{} in {} (no call made; `xingtu-dash watch refresh` fetches {})",
            plural(count, "video added", "videos added"),
            file.path().display(),
            if count == 1 { "it" } else { "them" }
        );
    }
    exit(EXIT_OK)
}

/// The watched items published more than `days` days before `now` (as their newest stored
/// report says): Xingtu no longer updates their figures.
pub fn settled_ids(
    store: &dyn Store,
    ids: &[String],
    days: u32,
    now: chrono::DateTime<Utc>,
) -> HashSet<String> {
    let mut settled = HashSet::new();
    let result = store.each_published(ids, &mut |id, published| {
        if crate::report::is_settled(published, days, now) {
            settled.insert(id.to_owned());
        }
    });
    if let Err(e) = result {
        tracing::warn!("publication dates unavailable, nothing skipped: {e}");
    }
    settled
}

pub(super) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn remove(settings: &Settings, id: &ItemId) -> ExitCode {
    match settings.config_file().remove_watch(id.as_str()) {
        Ok(true) => {
            crate::outln!("removed {id} from the watchlist");
            exit(EXIT_OK)
        }
        Ok(false) => {
            crate::errln!("error: {id} is not in the watchlist (nothing changed)");
            exit(EXIT_USAGE)
        }
        Err(e) => {
            crate::errln!("error: {e}");
            exit(EXIT_FAILED)
        }
    }
}

fn set_label(settings: &Settings, id: &ItemId, text: &str) -> ExitCode {
    let label = Some(text.trim()).filter(|l| !l.is_empty());
    match settings.config_file().set_label(id.as_str(), label) {
        Ok(true) => {
            match label {
                Some(l) => crate::outln!("labelled {id} “{l}”"),
                None => crate::outln!("cleared the label of {id}"),
            };
            exit(EXIT_OK)
        }
        Ok(false) => {
            crate::errln!(
                "error: {id} is not in the watchlist: add it first with `xingtu-dash watch add {id}`"
            );
            exit(EXIT_USAGE)
        }
        Err(e) => {
            crate::errln!("error: {e}");
            exit(EXIT_FAILED)
        }
    }
}

fn set_keys(settings: &Settings, id: &ItemId, changes: &KeyChanges) -> ExitCode {
    match settings.config_file().set_keys(id.as_str(), changes) {
        Ok(true) => {
            let mut done = Vec::new();
            let mut say = |key: &str, change: Option<Option<String>>| match change {
                Some(Some(v)) => done.push(format!("{key} “{v}”")),
                Some(None) => done.push(format!("no {key}")),
                None => {}
            };
            say("label", changes.label.clone());
            say("campaign", changes.campaign.clone());
            say("price", changes.price.map(|p| p.map(|p| format!("¥{p}"))));
            crate::outln!("{id}: {}", done.join(", "));
            exit(EXIT_OK)
        }
        Ok(false) => {
            crate::errln!(
                "error: {id} is not in the watchlist: add it first with `xingtu-dash watch add {id}`"
            );
            exit(EXIT_USAGE)
        }
        Err(e) => {
            crate::errln!("error: {e}");
            exit(EXIT_FAILED)
        }
    }
}

fn list(settings: &Settings, json: bool, campaign: Option<&str>) -> ExitCode {
    let all = match watchlist(settings) {
        Ok(e) => e,
        Err(e) => {
            crate::errln!("error: {e}");
            return exit(EXIT_FAILED);
        }
    };
    let entries: Vec<WatchEntry> = match campaign {
        None => all,
        Some(name) => match super::campaign::select(&all, name) {
            Ok(chosen) => chosen.into_iter().cloned().collect(),
            Err(e) => {
                crate::errln!("error: {e}");
                return exit(EXIT_USAGE);
            }
        },
    };
    let targets = &settings.config.targets;
    let price_of = |e: &WatchEntry| e.price.map(|p| p.as_f64());
    // Last known figures come from the store, one row at a time; no call is made.
    let store = stored::open(settings)
        .map_err(|e| tracing::warn!("watch list without figures: {e}"))
        .ok();
    let settled = match (&store, settings.config.watch.stop_after_days) {
        (Some(store), Some(days)) => {
            let ids: Vec<String> = entries.iter().map(|e| e.item_id.to_string()).collect();
            settled_ids(&**store, &ids, days, Utc::now())
        }
        _ => HashSet::new(),
    };
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
            let snapshot = latest(e.item_id.as_str());
            let measures = snapshot.as_ref().map(|s| costs::measures(s, price_of(e)));
            let mut line = json!({
                "item_id": e.item_id,
                "label": e.label,
                "added_at": e.added_at.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
                "latest": snapshot,
                "campaign": e.campaign,
                "price": e.price,
                "cpm": measures.and_then(|m| m.cpm),
                "cpe": measures.and_then(|m| m.cpe),
                "settled": settled.contains(e.item_id.as_str()),
            });
            let checks = targets
                .for_campaign(e.campaign.as_deref())
                .check(&measures.unwrap_or_default());
            if !checks.is_empty() {
                line["targets"] = targets::to_json(&checks);
            }
            if !crate::outln!("{line}") {
                break;
            }
        }
        return exit(EXIT_OK);
    }
    if entries.is_empty() && campaign.is_some() {
        // `select` found the campaign, so this is "(none)" in a list where every video has one.
        crate::outln!("no video without a campaign");
        return exit(EXIT_OK);
    }
    if entries.is_empty() {
        crate::outln!(
            "the watchlist is empty: add a video with `xingtu-dash watch add <ITEM>` (file: {})",
            settings.paths.config_file.display()
        );
        return exit(EXIT_OK);
    }
    let style = settings.number_style;
    let now = Utc::now();
    let width_of = |text: fn(&WatchEntry) -> Option<&str>, header: usize| {
        entries
            .iter()
            .map(|e| format::width(&format::clean(text(e).unwrap_or("—"))))
            .max()
            .unwrap_or(header)
            .clamp(header, 30)
    };
    let label_width = width_of(|e| e.label.as_deref(), 5);
    // Campaign and price only take room once some entry has them.
    let campaign_width = entries
        .iter()
        .any(|e| e.campaign.is_some())
        .then(|| width_of(|e| e.campaign.as_deref(), 8));
    let prices: Vec<Option<String>> = entries
        .iter()
        .map(|e| e.price.map(|p| format!("¥{p}")))
        .collect();
    let price_width = prices
        .iter()
        .flatten()
        .map(|p| format::width(p))
        .max()
        .map(|w| w.max(5));
    let optional = |e: Option<&WatchEntry>, price: Option<&str>| {
        let mut cells = String::new();
        if let Some(w) = campaign_width {
            let text = e.map_or("CAMPAIGN".into(), |e| {
                format::clean(e.campaign.as_deref().unwrap_or("—"))
            });
            cells.push_str(&format::pad_right(&text, w));
            cells.push_str("  ");
        }
        if let Some(w) = price_width {
            let text = if e.is_some() {
                price.unwrap_or("—")
            } else {
                "PRICE"
            };
            cells.push_str(&format::pad_left(text, w));
            cells.push_str("  ");
        }
        cells
    };
    // CPM and CPE once some entry has a price; TARGETS once some target is set.
    let costs_shown = price_width.is_some();
    let targets_shown = !targets.is_empty();
    let money = |cpm: String, cpe: String, checked: String| {
        let mut cells = String::new();
        if costs_shown {
            cells.push_str(&format!(
                "{}  {}  ",
                format::pad_left(&cpm, 10),
                format::pad_left(&cpe, 10)
            ));
        }
        if targets_shown {
            cells.push_str(&format::pad_right(&checked, 16));
            cells.push_str("  ");
        }
        cells
    };
    crate::outln!(
        "{}  {}  {}{}  {}  {}UPDATED",
        format::pad_right("ITEM", 19),
        format::pad_right("LABEL", label_width),
        optional(None, None),
        format::pad_left("VIEWS", 9),
        format::pad_left("LIKE%", 8),
        money("CPM".into(), "CPE".into(), "TARGETS".into()),
    );
    for (e, price) in entries.iter().zip(&prices) {
        let s = latest(e.item_id.as_str());
        let s = s.as_ref();
        let like_rate = s.and_then(super::history::like_rate);
        let label = format::clean(e.label.as_deref().unwrap_or("—"));
        let set = targets.for_campaign(e.campaign.as_deref());
        let m = s
            .map(|s| costs::measures(s, price_of(e)))
            .unwrap_or_default();
        let cost = |x: Option<f64>, metric| {
            costs::marked(costs::opt_yuan(x), x.and_then(|x| set.meets(metric, x)))
        };
        let shown = crate::outln!(
            "{}  {}  {}{}  {}  {}{}",
            format::pad_right(e.item_id.as_str(), 19),
            format::pad_right(&label, label_width),
            optional(Some(e), price.as_deref()),
            format::pad_left(&format::opt_count(s.and_then(|s| s.vv_cnt), style), 9),
            format::pad_left(&format::opt_percent(like_rate), 8),
            money(
                cost(m.cpm, Metric::Cpm),
                cost(m.cpe, Metric::Cpe),
                costs::summary(&set.check(&m))
            ),
            match (s, settled.contains(e.item_id.as_str())) {
                (None, _) => "never".into(),
                (Some(s), false) => format::ago(s.fetched_at, now),
                (Some(s), true) => format!("{} · settled", format::ago(s.fetched_at, now)),
            },
        );
        if !shown {
            break;
        }
    }
    exit(EXIT_OK)
}

struct RefreshOptions {
    force: bool,
    json: bool,
    quiet: bool,
    concurrency: Option<u16>,
    max_cost: Option<Amount>,
}

async fn refresh(settings: &Settings, options: &RefreshOptions) -> ExitCode {
    let RefreshOptions {
        force,
        json,
        quiet,
        concurrency,
        max_cost,
    } = *options;
    let entries = match watchlist(settings) {
        Ok(e) => e,
        Err(e) => {
            crate::errln!("watch refresh: {e}");
            return exit(EXIT_FAILED);
        }
    };
    let mut ids: Vec<ItemId> = entries.iter().map(|e| e.item_id.clone()).collect();
    if ids.is_empty() {
        if !quiet {
            crate::outln!(
                "the watchlist is empty: add a video with `xingtu-dash watch add <ITEM>`"
            );
        }
        return exit(EXIT_OK);
    }
    let concurrency = settings.concurrency(concurrency.map(usize::from));
    let session = match Session::open(settings, concurrency) {
        Ok(s) => s,
        Err(e) => {
            crate::errln!("watch refresh: {e}");
            return exit(EXIT_USAGE);
        }
    };
    let freshness = if force {
        Freshness::Force
    } else {
        Freshness::CacheOk
    };
    let report = Reporting {
        quiet: quiet || json,
    };
    let settled = match (settings.config.watch.stop_after_days, force) {
        (Some(days), false) => match session.store() {
            Some(store) => {
                let all: Vec<String> = ids.iter().map(ItemId::to_string).collect();
                let store = store
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                settled_ids(&**store, &all, days, Utc::now())
            }
            None => HashSet::new(),
        },
        _ => HashSet::new(),
    };
    if !settled.is_empty() {
        ids.retain(|id| !settled.contains(id.as_str()));
        report.say(&format!(
            "skipped {} published more than {} days ago ([watch] stop_after_days: Xingtu no longer updates them); --force refreshes them too",
            plural(settled.len(), "settled item", "settled items"),
            settings.config.watch.stop_after_days.unwrap_or_default()
        ));
    }
    let printer = Printer::new(settings, json, quiet);
    let fetcher = session.fetcher();
    let mut batch = Batch::plan(settings, &fetcher, session.store(), &ids, freshness);
    if let Err(code) = batch.check(max_cost, true, &report) {
        return code;
    }
    batch.start(&fetcher, &report).await;
    let outcome = lookup_all(&fetcher, &ids, freshness, |id, r| printer.print(id, r)).await;
    let calls = fetcher.calls_made();
    let (warnings, alerts) = session.finish_with_alerts().await;
    for warning in warnings {
        crate::errln!("warning: {warning}");
    }
    batch.finish(&fetcher, &report).await;
    let fired = super::print_alerts(&alerts, settings);
    if crate::stdio::lost().is_some() {
        // The reader left; `main` exits quietly (items not tried are no failure to report).
        return exit(EXIT_FAILED);
    }
    if outcome.failed > 0 {
        crate::errln!(
            "watch refresh: {} of {} items failed ({} calls made); first: {}",
            outcome.failed,
            outcome.total,
            calls,
            outcome.first_error.unwrap_or_default()
        );
        return exit(EXIT_FAILED);
    }
    if !quiet && !json && settings.demo {
        crate::errln!(
            "refreshed {} items from the bundled demo data (nothing billed)",
            outcome.total
        );
    } else if !quiet && !json {
        crate::errln!(
            "refreshed {} items with {calls} call{} (items fetched within the cache window are not called again)",
            outcome.total,
            if calls == 1 { "" } else { "s" }
        );
    }
    if fired > 0 {
        return exit(EXIT_ALERT);
    }
    exit(EXIT_OK)
}
