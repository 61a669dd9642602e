//! `xingtu-dash get <ITEM>...`: look items up and print them in input order.

use std::collections::{HashMap, HashSet};
use std::process::ExitCode;
use std::sync::Arc;

use chrono::Utc;
use futures_util::StreamExt;

use super::batch::{Batch, Reporting};
use super::costs::Watched;
use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, exit, items};
use crate::cli::GetArgs;
use crate::fetcher::{FetchResult, Fetcher, Freshness};
use crate::item_id::ItemId;
use crate::output;
use crate::session::Session;
use crate::settings::Settings;

pub async fn run(settings: &Settings, args: &GetArgs) -> ExitCode {
    let ids = match items::ids(settings, &args.items, args.from.as_deref()).await {
        Ok(ids) => ids,
        Err(rejected) => return rejected.report(&crate::t!("cli-nothing-looked-up")),
    };
    let max_cost = match super::batch::max_cost_arg(args.max_cost.as_deref()) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let session = match Session::open(
        settings,
        settings.concurrency(args.concurrency.map(usize::from)),
    ) {
        Ok(s) => s,
        Err(e) => {
            super::error(e);
            return exit(EXIT_USAGE);
        }
    };
    let freshness = if args.force {
        Freshness::Force
    } else {
        Freshness::CacheOk
    };
    let printer = Printer::new(settings, args.json, false);
    let fetcher = session.fetcher();
    let report = Reporting { quiet: false };
    let mut batch = Batch::plan(settings, &fetcher, session.store(), &ids, freshness);
    if let Err(code) = batch.check(max_cost, false, &report) {
        return code;
    }
    // One item is a lookup, not a batch: its cost is not worth two balance reads.
    let measured = ids.iter().collect::<HashSet<_>>().len() > 1;
    if measured {
        batch.start(&fetcher, &report).await;
    }
    let outcome = lookup_all(&fetcher, &ids, freshness, |id, result| {
        printer.print(id, result)
    })
    .await;
    let (warnings, alerts) = session.finish_with_alerts().await;
    warnings.iter().for_each(super::warning);
    batch.finish(&fetcher, &report).await;
    super::print_alerts(&alerts, settings);
    match outcome {
        Outcome { failed: 0, .. } => exit(EXIT_OK),
        Outcome { failed, total, .. } => {
            // Items never tried because the reader left are not failures worth a word.
            if !args.json && crate::stdio::lost().is_none() {
                crate::errln!(
                    "{}",
                    crate::t!("cli-get-some-failed", failed = failed, total = total)
                );
            }
            exit(EXIT_FAILED)
        }
    }
}

/// What a batch of lookups came to.
pub struct Outcome {
    pub total: usize,
    pub failed: usize,
    /// The first failure's message, for one-line reports.
    pub first_error: Option<String>,
}

/// Looks every id up (duplicates share one call; the fetcher bounds concurrency) and hands
/// each result to `emit` in input order, as soon as it and everything before it are done.
/// `emit` returns false when output is no longer wanted (stdout closed): from then on no new
/// call starts.
///
/// Streams: only a window of lookups ahead of the output is under way or held at once, and
/// a result is kept past its printing only while a later duplicate still needs it, so memory
/// does not grow with the number of ids.
pub async fn lookup_all(
    fetcher: &Arc<Fetcher>,
    ids: &[ItemId],
    freshness: Freshness,
    mut emit: impl FnMut(&ItemId, &FetchResult) -> bool,
) -> Outcome {
    let mut left: HashMap<&ItemId, usize> = HashMap::new();
    for id in ids {
        *left.entry(id).or_default() += 1;
    }
    let mut seen: HashSet<&ItemId> = HashSet::new();
    let first: Vec<bool> = ids.iter().map(|id| seen.insert(id)).collect();
    drop(seen);
    // Far enough ahead that one slow item (retrying) does not idle the other slots.
    let window = (fetcher.concurrency() * 8).clamp(32, 256);
    let mut results = futures_util::stream::iter(ids.iter().zip(first))
        .map(|(id, first)| {
            let fetcher = Arc::clone(fetcher);
            let id = id.clone();
            async move {
                if first {
                    Some(fetcher.fetch(&id, freshness).await)
                } else {
                    None
                }
            }
        })
        .buffered(window);

    let mut kept: HashMap<&ItemId, FetchResult> = HashMap::new();
    let mut outcome = Outcome {
        total: ids.len(),
        failed: 0,
        first_error: None,
    };
    let mut wanted = true;
    let mut next = 0;
    while let Some(result) = results.next().await {
        let id = &ids[next];
        next += 1;
        let result = match result {
            Some(r) => r,
            None => match kept.get(id) {
                Some(r) => r.clone(),
                None => continue,
            },
        };
        let remaining = left.get_mut(id).map_or(0, |n| {
            *n -= 1;
            *n
        });
        if let Err(e) = &result {
            outcome.failed += 1;
            outcome
                .first_error
                .get_or_insert_with(|| format!("{id}: {e}"));
        }
        if wanted && !emit(id, &result) {
            // Nobody reads on: start no further call. Calls under way finish, so what they
            // cost is kept in the cache and the history.
            wanted = false;
            fetcher.stop();
        }
        if remaining > 0 {
            kept.insert(id, result);
        } else {
            kept.remove(id);
        }
    }
    outcome
}

/// Prints results as `get` does: the aligned report, or JSON Lines; a watched item's
/// campaign, cost and targets after them.
pub struct Printer<'a> {
    json: bool,
    /// Print nothing (cron); failures are summed up by the caller.
    quiet: bool,
    settings: &'a Settings,
    watched: Watched<'a>,
}

impl<'a> Printer<'a> {
    pub fn new(settings: &'a Settings, json: bool, quiet: bool) -> Printer<'a> {
        Printer {
            json,
            quiet,
            settings,
            watched: Watched::of(settings),
        }
    }

    /// False once stdout is closed (piped into `head`).
    pub fn print(&self, id: &ItemId, result: &FetchResult) -> bool {
        if self.quiet {
            return true;
        }
        let item = id.as_str();
        let text = match (result, self.json) {
            (Ok(f), true) => {
                let mut line = output::json_ok(item, f);
                if let Some(fields) = line.as_object_mut() {
                    self.watched.json_extras(&f.report, fields);
                }
                format!("{line}\n")
            }
            (Err(e), true) => format!("{}\n", output::json_err(item, e)),
            (Ok(f), false) => {
                let mut text = output::human_ok(f, self.settings.number_style, Utc::now());
                for (label, value) in self.watched.human_extras(&f.report) {
                    output::line(&mut text, &label, &value);
                }
                format!("{text}\n")
            }
            (Err(e), false) => format!("{}\n", output::human_err(item, e)),
        };
        crate::stdio::print(&text)
    }
}
