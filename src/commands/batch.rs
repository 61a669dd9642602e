//! A batch of paid lookups as the CLI runs it (`watch refresh`, a `get` of several items):
//! the estimate and `--max-cost` before any call, the balance read before and after, what the
//! batch cost, and the price per call learned from it.

use std::collections::HashSet;

use chrono::Utc;

use super::{EXIT_USAGE, exit};
use crate::account::{self, Amount, Balance, PricePerCall, Spend};
use crate::fetcher::{Fetcher, Freshness, SharedStore};
use crate::item_id::ItemId;
use crate::settings::Settings;
use crate::t;

/// How a batch is reported: `quiet` prints only what is wrong (the rest goes to the log).
pub struct Reporting {
    pub quiet: bool,
}

impl Reporting {
    pub fn say(&self, text: &str) {
        if self.quiet {
            tracing::info!("{text}");
        } else {
            crate::errln!("{text}");
        }
    }

    fn warn(&self, text: &str) {
        super::warning(text);
    }
}

/// `--max-cost AMOUNT` as typed, or a usage error.
pub fn max_cost_arg(text: Option<&str>) -> Result<Option<Amount>, std::process::ExitCode> {
    let Some(text) = text else { return Ok(None) };
    match Amount::parse(text) {
        Some(a) if !a.is_negative() => Ok(Some(a)),
        _ => {
            super::error(t!("cli-max-cost-bad", value = format!("{text:?}")));
            Err(exit(EXIT_USAGE))
        }
    }
}

/// A batch about to be run: how many calls it needs and what they should cost.
pub struct Batch {
    store: Option<SharedStore>,
    /// Calls the batch needs: items not answered from the cache window, each once.
    calls: u64,
    price: Option<PricePerCall>,
    /// Whether the balance is read around the batch (`[api] show_balance`, a real account).
    measure: bool,
    before: Option<Result<Balance, String>>,
    id: Option<i64>,
    answers_before: u64,
    calls_before: u64,
}

impl Batch {
    /// Counts the calls `ids` need (none for items inside the cache window, unless forced).
    pub fn plan(
        settings: &Settings,
        fetcher: &Fetcher,
        store: Option<SharedStore>,
        ids: &[ItemId],
        freshness: Freshness,
    ) -> Batch {
        let mut unique: Vec<String> = Vec::new();
        let mut seen = HashSet::new();
        for id in ids {
            if seen.insert(id) {
                unique.push(id.to_string());
            }
        }
        drop(seen);
        let mut fresh = 0u64;
        let mut price = None;
        if let Some(store) = &store {
            let store = lock(store);
            if freshness == Freshness::CacheOk {
                let since = Utc::now() - fetcher.cache_window();
                if let Err(e) = store.each_fresh(&unique, since, &mut |_| fresh += 1) {
                    tracing::warn!("cache check before the batch failed: {e}");
                }
            }
            price = store
                .price_per_call()
                .map_err(|e| tracing::warn!("price per call unavailable: {e}"))
                .ok()
                .flatten();
        }
        Batch {
            store,
            calls: (unique.len() as u64).saturating_sub(fresh),
            price,
            measure: !settings.demo && settings.config.api.show_balance != Some(false),
            before: None,
            id: None,
            answers_before: fetcher.answers(),
            calls_before: fetcher.calls_made(),
        }
    }

    /// Whether `max_cost` lets the batch run: `Err` (having said why) refuses it before any
    /// call. `announce`: say what the batch should cost (`watch refresh` does; `get` keeps
    /// its standard error for problems and the cost afterwards).
    pub fn check(
        &self,
        max_cost: Option<Amount>,
        announce: bool,
        report: &Reporting,
    ) -> Result<(), std::process::ExitCode> {
        if self.calls == 0 {
            return Ok(());
        }
        let currency = self.price.as_ref().and_then(|p| p.currency.as_deref());
        if let Some(max) = max_cost {
            let limit = account::money(max, currency);
            match &self.price {
                None => {
                    super::error(t!(
                        "cli-max-cost-unknown",
                        limit = limit,
                        calls = self.calls
                    ));
                    return Err(exit(EXIT_USAGE));
                }
                Some(p) if p.estimate(self.calls) > max => {
                    super::error(t!(
                        "cli-max-cost-over",
                        limit = limit,
                        calls = self.calls,
                        cost = account::money(p.estimate(self.calls), currency),
                        price = p.describe()
                    ));
                    return Err(exit(EXIT_USAGE));
                }
                Some(_) => {}
            }
        }
        if announce {
            let estimate = account::estimate_text(self.calls, self.price.as_ref());
            report.say(&t!("cli-batch-about-to-call", estimate = estimate));
        }
        Ok(())
    }

    /// Reads the balance before the first call, and warns when it cannot cover the
    /// estimate. Calls go out whatever the balance read says.
    pub async fn start(&mut self, fetcher: &Fetcher, report: &Reporting) {
        if self.calls == 0 || !self.measure {
            return;
        }
        let before = fetcher.balance().await.map_err(|e| e.to_string());
        if let (Ok(balance), Some(price)) = (&before, &self.price) {
            let estimate = price.estimate(self.calls);
            if estimate > balance.amount {
                report.warn(&t!(
                    "cli-batch-balance-low",
                    balance = balance.to_string(),
                    calls = self.calls,
                    cost = account::money(estimate, balance.currency())
                ));
            }
        }
        self.before = Some(before);
        self.calls_before = fetcher.calls_made();
        self.answers_before = fetcher.answers();
        if let Some(store) = &self.store {
            self.id = lock(store)
                .begin_batch(Utc::now())
                .map_err(|e| tracing::warn!("batch not noted: {e}"))
                .ok();
        }
    }

    /// After the batch (and after its results are stored): reads the balance again, says
    /// what the batch cost and learns the price per call from it.
    /// Once the reader of the output has gone, nothing is read or said, but the batch's
    /// note is closed all the same (an open one would make other processes' batches look
    /// shared for hours).
    pub async fn finish(self, fetcher: &Fetcher, report: &Reporting) {
        let Some(before) = self.before else { return };
        let calls = fetcher.calls_made() - self.calls_before;
        let wanted = calls > 0 && crate::stdio::lost().is_none();
        // A failed first read makes the second pointless (the cost stays unknown).
        let after = match &before {
            Ok(_) if wanted => Some(fetcher.balance().await.map_err(|e| e.to_string())),
            _ => None,
        };
        let answers = fetcher.answers() - self.answers_before;
        let shared = match (&self.store, self.id) {
            (Some(store), Some(id)) => lock(store)
                .finish_batch(id, Utc::now(), answers)
                .map_err(|e| tracing::warn!("batch not closed: {e}"))
                .unwrap_or(false),
            _ => false,
        };
        if !wanted {
            return;
        }
        let after = after.unwrap_or_else(|| before.clone());
        let spend = Spend::measure(
            before.as_ref().map_err(String::as_str),
            after.as_ref().map_err(String::as_str),
            calls,
            shared,
        );
        if let (Some((cost, n)), Some(store), Some(id)) = (spend.learnable(), &self.store, self.id)
        {
            let currency = after.as_ref().ok().and_then(Balance::currency);
            if let Err(e) = lock(store).learn_price(id, cost, n, currency) {
                tracing::warn!("price per call not kept: {e}");
            }
        }
        let price = self
            .store
            .as_ref()
            .and_then(|s| lock(s).price_per_call().ok().flatten());
        let mut text = spend.describe();
        if let Ok(balance) = &after {
            text.push_str(&t!("cli-batch-balance", balance = balance.to_string()));
        }
        if let Some(p) = price {
            text.push_str(&format!("; {}", p.describe()));
        }
        report.say(&text);
    }
}

fn lock(store: &SharedStore) -> std::sync::MutexGuard<'_, Box<dyn crate::store::Store>> {
    store
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
