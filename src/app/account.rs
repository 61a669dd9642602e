//! The account in the dashboard (helpers of `update`): reading the balance at most once a
//! minute, what a refresh needs and should cost, and measuring what it did cost from the
//! balance before and after it.

use super::action::Effect;
use super::state::{App, BALANCE_EVERY, BatchView, Level};
use super::update::set_status;
use crate::account::{self, Balance, Spend};
use crate::item_id::ItemId;
use crate::store::is_fresh;

/// What a refresh of the watchlist would do.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The watched items to look up: all but the settled ones.
    pub ids: Vec<ItemId>,
    /// How many of them are outside the cache window, so need a paid call.
    pub calls: u64,
    /// Settled items left out.
    pub skipped: usize,
}

pub fn plan_refresh(app: &App) -> Plan {
    let mut plan = Plan {
        ids: Vec::new(),
        calls: 0,
        skipped: 0,
    };
    for entry in &app.watch.entries {
        let id = entry.item_id.clone();
        if app.is_settled(id.as_str()) {
            plan.skipped += 1;
            continue;
        }
        let cached = app
            .history
            .latest
            .get(id.as_str())
            .is_some_and(|(newest, _)| is_fresh(newest.fetched_at, app.stale_after, app.now));
        if !cached && !plan.ids.contains(&id) {
            plan.calls += 1;
        }
        if !plan.ids.contains(&id) {
            plan.ids.push(id);
        }
    }
    plan
}

/// A read of the balance, unless reads are off, one is under way, or the last went out less
/// than a minute ago (then it is due once the minute is over).
pub fn request_read(app: &mut App) -> Vec<Effect> {
    let idle = app.in_flight() == 0;
    let account = &mut app.account;
    if !account.enabled {
        return Vec::new();
    }
    let recent = account
        .read_at
        .is_some_and(|at| app.now - at < BALANCE_EVERY);
    if account.reading || recent {
        account.due = true;
        return Vec::new();
    }
    account.reading = true;
    account.due = false;
    account.read_at = Some(app.now);
    // With calls under way the balance may or may not include them: not a "before" figure.
    account.read_calls = idle.then_some(app.calls_made);
    vec![Effect::ReadBalance]
}

/// On a tick: the read that was asked for within the minute, once it is over and no call
/// is under way.
pub fn due_read(app: &mut App) -> Vec<Effect> {
    if app.account.due && !app.account.reading && app.in_flight() == 0 {
        let effects = request_read(app);
        if !effects.is_empty() {
            return effects;
        }
    }
    Vec::new()
}

/// `$`: read the balance now, or say when the next read may go out.
pub fn on_key(app: &mut App) -> Vec<Effect> {
    if !app.account.enabled {
        let why = if app.demo {
            "demo mode: no account, no balance"
        } else {
            "the balance is not read: [api] show_balance = false (or lookups are off)"
        };
        set_status(app, Level::Info, why.into());
        return Vec::new();
    }
    let effects = request_read(app);
    if effects.is_empty() {
        let text = match app.account.read_at {
            Some(at) if !app.account.reading => {
                let wait = (at + BALANCE_EVERY - app.now).num_seconds().max(1);
                format!("balance: next read in {wait}s (once a minute at most)")
            }
            _ => "reading the balance…".to_owned(),
        };
        set_status(app, Level::Info, text);
    } else {
        set_status(app, Level::Info, "reading the balance…".into());
    }
    effects
}

/// Before a refresh: when the balance is not known exactly (calls went out since it was
/// read) and may be read now, read it first; the refresh starts when it answers. `None`:
/// go ahead.
pub fn read_before(app: &mut App) -> Option<Vec<Effect>> {
    if !app.account.enabled || app.account.batch.is_some() || exact_before(app).is_some() {
        return None;
    }
    if app.account.reading {
        app.account.refresh_waiting = true;
        return Some(Vec::new());
    }
    let allowed = app
        .account
        .read_at
        .is_none_or(|at| app.now - at >= BALANCE_EVERY);
    if !allowed {
        return None;
    }
    app.account.refresh_waiting = true;
    Some(request_read(app))
}

/// The balance, and the calls sent by then, when no call has gone out since it was read
/// (and no newer read is under way: `read_calls` already describes that one).
fn exact_before(app: &App) -> Option<(Balance, u64)> {
    if app.account.reading {
        return None;
    }
    match (&app.account.balance, app.account.read_calls) {
        (Some(b), Some(c)) if c == app.calls_made && app.in_flight() == 0 => Some((b.clone(), c)),
        _ => None,
    }
}

/// A batch needing `calls` calls starts: measured when the balance before it is exact
/// (read with no call sent since). Returns the effect that notes it in the store.
pub fn begin_batch(app: &mut App, calls: u64, what: &'static str) -> Vec<Effect> {
    if !app.account.enabled || calls == 0 || app.account.batch.is_some() {
        return Vec::new();
    }
    app.account.batch = Some(BatchView {
        what,
        before: exact_before(app),
        answers_before: app.answers,
        noted: None,
        done: false,
    });
    vec![Effect::BeginBatch]
}

/// After a result: when it was the last call of a measured refresh, read the balance after.
pub fn batch_over(app: &mut App) -> Vec<Effect> {
    let over = app
        .account
        .batch
        .as_ref()
        .is_some_and(|b| !b.done && app.in_flight() == 0);
    if !over {
        return Vec::new();
    }
    let mut what = "";
    if let Some(batch) = &mut app.account.batch {
        batch.done = true;
        what = batch.what;
    }
    let effects = request_read(app);
    // Within a minute of the last read, it goes out once the minute is over (`due_read`).
    if effects.is_empty()
        && let Some(at) = app.account.read_at
    {
        let wait = (at + BALANCE_EVERY - app.now).num_seconds().max(1);
        let text = format!("{what} done · cost in {wait}s (next balance read)");
        set_status(app, Level::Info, text);
    }
    effects
}

/// A balance read answered.
pub fn on_balance(app: &mut App, result: Result<Balance, String>) -> Vec<Effect> {
    let account = &mut app.account;
    account.reading = false;
    match &result {
        Ok(balance) => {
            account.balance = Some(balance.clone());
            account.error = None;
        }
        Err(why) => {
            account.error = Some(why.clone());
            account.read_calls = None;
        }
    }
    let measuring = account.batch.as_ref().is_some_and(|b| b.done);
    if !measuring {
        if let Err(why) = &result
            && app.status.is_none()
        {
            set_status(app, Level::Warn, format!("balance not read: {why}"));
        } else if let Ok(balance) = &result
            && app
                .status
                .as_ref()
                .is_some_and(|s| s.text == "reading the balance…")
        {
            set_status(app, Level::Info, format!("balance {balance}"));
        }
        return Vec::new();
    }
    let Some(batch) = app.account.batch.take() else {
        return Vec::new();
    };
    let own_fetches = app.answers - batch.answers_before;
    let after_calls = app.account.read_calls;
    let spend = match (&batch.before, &result, after_calls) {
        (Some((before, calls_before)), Ok(after), Some(calls_after)) => {
            Spend::measure(Ok(before), Ok(after), calls_after - calls_before, false)
        }
        (None, _, _) => Spend::Unknown("the balance before it was not known".into()),
        (_, Err(why), _) => Spend::Unknown(format!("the balance could not be read ({why})")),
        (_, _, None) => Spend::Unknown("calls were under way when the balance was read".into()),
    };
    let calls = match &spend {
        Spend::Measured { calls, .. } => *calls,
        Spend::Unknown(_) => 1,
    };
    if calls > 0 {
        // The balance itself is on the status bar's right.
        let text = format!("{} {}", batch.what, spend.describe());
        let level = match spend {
            Spend::Measured { .. } => Level::Info,
            Spend::Unknown(_) => Level::Warn,
        };
        set_status(app, level, text);
    }
    let learn = spend.learnable().map(|(cost, n)| {
        let currency = result.as_ref().ok().and_then(|b| b.currency.clone());
        (cost, n, currency)
    });
    match batch.noted {
        Some(id) => vec![Effect::FinishBatch {
            id,
            own_fetches,
            learn,
        }],
        None => Vec::new(),
    }
}

/// What the status bar's right side says of the account: "¥123.45 · ¥0.05/call".
pub fn summary(app: &App, with_price: bool) -> Option<String> {
    let account = &app.account;
    if !account.enabled {
        return None;
    }
    let mut text = match (&account.balance, &account.error) {
        (Some(b), _) => b.to_string(),
        (None, Some(_)) => "balance ?".to_owned(),
        (None, None) => "balance…".to_owned(),
    };
    if with_price && let Some(p) = &account.price {
        let per = account::Amount::from_f64(p.per_call()).unwrap_or(account::Amount(0));
        text.push_str(&format!(
            " · {}/call",
            account::money(per, p.currency.as_deref())
        ));
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::{DateTime, TimeZone, Utc};
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use super::*;
    use crate::account::{Amount, PricePerCall};
    use crate::app::action::Action;
    use crate::app::state::Overlay;
    use crate::app::update;
    use crate::fetcher::{Fetched, Freshness};
    use crate::format::NumberStyle;
    use crate::report::Report;
    use crate::store::config::WatchEntry;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).unwrap()
    }

    fn app(ids: &[String]) -> App {
        let mut app = App::new(t0(), NumberStyle::Cn);
        app.account.enabled = true;
        update(&mut app, Action::Resize(100, 30));
        let entries = ids
            .iter()
            .map(|id| WatchEntry {
                item_id: ItemId::parse(id).unwrap(),
                label: None,
                campaign: None,
                price: None,
                added_at: None,
            })
            .collect();
        update(
            &mut app,
            Action::WatchlistLoaded {
                entries,
                read_only: None,
            },
        );
        app
    }

    fn ids(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("75662004714487{i:05}")).collect()
    }

    fn key(c: char) -> Action {
        Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
    }

    fn cny(x: &str) -> Balance {
        Balance {
            amount: Amount::parse(x).unwrap(),
            currency: Some("CNY".into()),
        }
    }

    fn fetched(id: &str, at: DateTime<Utc>) -> Fetched {
        let published = (at - chrono::Duration::days(1)).timestamp();
        let data = serde_json::json!({"video_info": {"vv_cnt": 10, "create_time": published}});
        Fetched {
            report: Arc::new(Report::from_data(id, &data)),
            data: Arc::new(data),
            fetched_at: at,
            from_cache: false,
        }
    }

    fn status(app: &App) -> String {
        app.status
            .as_ref()
            .map(|s| s.text.clone())
            .unwrap_or_default()
    }

    fn tick(app: &mut App, secs: i64) -> Vec<Effect> {
        update(app, Action::Tick(t0() + chrono::Duration::seconds(secs)))
    }

    #[test]
    fn dollar_reads_the_balance_at_most_once_a_minute() {
        let mut app = app(&[]);
        assert_eq!(update(&mut app, key('$')), vec![Effect::ReadBalance]);
        assert_eq!(status(&app), "reading the balance…");
        // A second press while the first is under way sends nothing more.
        assert!(update(&mut app, key('$')).is_empty());
        update(&mut app, Action::BalanceRead(Ok(cny("123.4500"))));
        assert_eq!(status(&app), "balance ¥123.45");
        assert_eq!(summary(&app, false).as_deref(), Some("¥123.45"));

        assert!(
            tick(&mut app, 30).is_empty(),
            "the read asked for while reading waits"
        );
        assert!(update(&mut app, key('$')).is_empty());
        assert_eq!(
            status(&app),
            "balance: next read in 30s (once a minute at most)"
        );
        assert!(tick(&mut app, 59).is_empty());
        assert_eq!(
            tick(&mut app, 60),
            vec![Effect::ReadBalance],
            "due once the minute is over"
        );
        assert!(tick(&mut app, 200).is_empty(), "and only once");
    }

    #[test]
    fn with_reads_off_dollar_says_why_and_nothing_is_read() {
        let mut app = app(&ids(2));
        app.account.enabled = false;
        assert!(update(&mut app, key('$')).is_empty());
        assert!(
            status(&app).contains("show_balance = false"),
            "{}",
            status(&app)
        );
        let effects = update(&mut app, key('R'));
        assert!(
            effects.iter().all(|e| matches!(e, Effect::Fetch { .. })),
            "no balance read, no batch note: {effects:?}"
        );
        assert_eq!(summary(&app, true), None);
    }

    #[test]
    fn a_refresh_is_measured_from_the_balance_before_and_after_it() {
        let items = ids(4);
        let mut app = app(&items);
        assert_eq!(request_read(&mut app), vec![Effect::ReadBalance]);
        update(&mut app, Action::BalanceRead(Ok(cny("10.00"))));
        let effects = update(&mut app, key('R'));
        assert_eq!(effects[0], Effect::BeginBatch);
        assert_eq!(effects.len(), 5, "{effects:?}");
        assert_eq!(
            status(&app),
            "refreshing 4 watched items: 4 calls, price not known yet"
        );
        update(&mut app, Action::BatchNoted(7));
        tick(&mut app, 20);
        for (n, id) in items.iter().enumerate() {
            let now = app.now;
            let effects = update(
                &mut app,
                Action::Fetched {
                    id: ItemId::parse(id).unwrap(),
                    result: Ok(fetched(id, now)),
                    calls_made: n as u64 + 1,
                },
            );
            // Within a minute of the last read: the read after waits for it.
            assert!(effects.is_empty(), "{effects:?}");
        }
        assert_eq!(
            status(&app),
            "refresh done · cost in 40s (next balance read)"
        );
        assert!(app.account.batch.as_ref().unwrap().done);
        assert_eq!(tick(&mut app, 60), vec![Effect::ReadBalance]);
        let effects = update(&mut app, Action::BalanceRead(Ok(cny("9.80"))));
        assert_eq!(
            effects,
            vec![Effect::FinishBatch {
                id: 7,
                own_fetches: 4,
                learn: Some((Amount(2000), 4, Some("CNY".into()))),
            }]
        );
        assert_eq!(status(&app), "refresh cost ¥0.20 for 4 calls");
        assert!(app.account.batch.is_none());
        let price = PricePerCall {
            cost: Amount(2000),
            calls: 4,
            batches: 1,
            currency: Some("CNY".into()),
        };
        update(
            &mut app,
            Action::PriceKnown {
                price: Some(price),
                shared: false,
            },
        );
        assert_eq!(summary(&app, true).as_deref(), Some("¥9.80 · ¥0.05/call"));
    }

    #[test]
    fn a_refresh_after_other_calls_or_with_a_top_up_learns_nothing() {
        let items = ids(2);
        let mut app = app(&items);
        request_read(&mut app);
        update(&mut app, Action::BalanceRead(Ok(cny("1.00"))));
        // A call since the read: the balance is no longer the figure before the refresh.
        app.calls_made = 1;
        update(&mut app, key('R'));
        update(&mut app, Action::BatchNoted(1));
        tick(&mut app, 61);
        let mut effects = Vec::new();
        for id in &items {
            let now = app.now;
            effects = update(
                &mut app,
                Action::Fetched {
                    id: ItemId::parse(id).unwrap(),
                    result: Ok(fetched(id, now)),
                    calls_made: 3,
                },
            );
        }
        assert_eq!(effects, vec![Effect::ReadBalance]);
        let effects = update(&mut app, Action::BalanceRead(Ok(cny("0.90"))));
        assert_eq!(
            effects,
            vec![Effect::FinishBatch {
                id: 1,
                own_fetches: 2,
                learn: None
            }]
        );
        assert!(status(&app).contains("cost unknown: the balance before it was not known"));
    }

    #[test]
    fn a_refresh_after_other_calls_reads_the_balance_first_when_it_may() {
        let items = ids(2);
        let mut app = app(&items);
        request_read(&mut app);
        update(&mut app, Action::BalanceRead(Ok(cny("1.00"))));
        app.calls_made = 1;
        tick(&mut app, 61);
        assert_eq!(update(&mut app, key('R')), vec![Effect::ReadBalance]);
        assert_eq!(status(&app), "reading the balance before the refresh…");
        let again = update(&mut app, key('R'));
        assert!(again.is_empty(), "no second read: {again:?}");
        let effects = update(&mut app, Action::BalanceRead(Ok(cny("0.95"))));
        assert_eq!(effects[0], Effect::BeginBatch);
        assert_eq!(effects.len(), 3, "{effects:?}");
        let batch = app.account.batch.as_ref().unwrap();
        assert_eq!(batch.before, Some((cny("0.95"), 1)));
        // The read failing instead: the refresh goes ahead, unmeasured.
        let mut app = self::app(&items);
        app.calls_made = 1;
        assert_eq!(update(&mut app, key('R')), vec![Effect::ReadBalance]);
        let effects = update(&mut app, Action::BalanceRead(Err("HTTP 502".into())));
        assert_eq!(effects.len(), 3, "{effects:?}");
        assert_eq!(app.account.batch.as_ref().unwrap().before, None);
    }

    #[test]
    fn a_pasted_list_looked_up_is_a_measured_batch_too() {
        let items = ids(3);
        let mut app = app(&[]);
        request_read(&mut app);
        update(&mut app, Action::BalanceRead(Ok(cny("2.00"))));
        update(&mut app, Action::Paste(items.join("\n")));
        let effects = update(
            &mut app,
            Action::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
        );
        assert_eq!(effects[0], Effect::BeginBatch);
        assert_eq!(effects.len(), 4, "{effects:?}");
        update(&mut app, Action::BatchNoted(3));
        tick(&mut app, 61);
        let mut last = Vec::new();
        for (n, id) in items.iter().enumerate() {
            let now = app.now;
            last = update(
                &mut app,
                Action::Fetched {
                    id: ItemId::parse(id).unwrap(),
                    result: Ok(fetched(id, now)),
                    calls_made: n as u64 + 1,
                },
            );
        }
        assert_eq!(last, vec![Effect::ReadBalance]);
        update(&mut app, Action::BalanceRead(Ok(cny("1.85"))));
        assert_eq!(status(&app), "lookups cost ¥0.15 for 3 calls");
    }

    #[test]
    fn a_refresh_while_calls_are_halted_measures_nothing_and_the_next_one_is_measured() {
        let items = ids(2);
        let mut app = app(&items);
        request_read(&mut app);
        update(&mut app, Action::BalanceRead(Ok(cny("1.00"))));
        app.halt = Some(crate::api::ApiError::Business {
            code: 601,
            message: None,
            http_status: 200,
            retry_after: None,
        });
        let effects = update(&mut app, key('R'));
        assert!(
            effects.iter().all(|e| matches!(e, Effect::Peek(_))),
            "{effects:?}"
        );
        assert!(app.account.batch.is_none());
        app.halt = None;
        assert_eq!(update(&mut app, key('R'))[0], Effect::BeginBatch);
    }

    #[test]
    fn a_balance_too_low_for_the_estimate_asks_first() {
        let items = ids(4);
        let mut app = app(&items);
        app.account.price = Some(PricePerCall {
            cost: Amount(500),
            calls: 1,
            batches: 1,
            currency: Some("CNY".into()),
        });
        app.account.balance = Some(cny("0.10"));
        app.account.read_calls = Some(0);
        assert!(update(&mut app, key('R')).is_empty(), "nothing called yet");
        assert!(matches!(
            app.overlay,
            Some(Overlay::ConfirmSpend {
                calls: 4,
                estimate: Amount(2000),
                ..
            })
        ));
        assert!(
            update(&mut app, key('x')).is_empty(),
            "other keys do nothing"
        );
        assert!(update(&mut app, key('n')).is_empty());
        assert_eq!(app.overlay, None);
        assert_eq!(status(&app), "refresh cancelled: nothing called");

        update(&mut app, key('R'));
        let effects = update(&mut app, key('y'));
        let fetches = effects
            .iter()
            .filter(|e| {
                matches!(
                    e,
                    Effect::Fetch {
                        freshness: Freshness::CacheOk,
                        ..
                    }
                )
            })
            .count();
        assert_eq!(fetches, 4);
        assert!(
            status(&app).contains("4 calls, about ¥0.20"),
            "{}",
            status(&app)
        );

        // Enough balance: no question.
        let mut app = self::app(&items);
        app.account.price = Some(PricePerCall {
            cost: Amount(500),
            calls: 1,
            batches: 1,
            currency: None,
        });
        app.account.balance = Some(cny("0.20"));
        app.account.read_calls = Some(0);
        assert!(!update(&mut app, key('R')).is_empty());
        assert_eq!(app.overlay, None);
    }

    #[test]
    fn settled_items_are_left_out_of_a_refresh_and_cached_ones_cost_nothing() {
        let items = ids(3);
        let mut app = app(&items);
        app.account.enabled = false;
        app.stop_after_days = Some(45);
        app.history
            .published
            .insert(items[0].clone(), t0() - chrono::Duration::days(46));
        app.history
            .published
            .insert(items[1].clone(), t0() - chrono::Duration::days(44));
        app.history.record(&fetched(&items[2], t0()));
        assert!(app.is_settled(&items[0]) && !app.is_settled(&items[1]));
        let plan = plan_refresh(&app);
        assert_eq!(plan.skipped, 1);
        assert_eq!(plan.calls, 1, "the third is within the cache window");
        assert_eq!(plan.ids.len(), 2);
        let effects = update(&mut app, key('R'));
        assert_eq!(effects.len(), 2);
        assert!(
            status(&app).ends_with("; 1 settled skipped"),
            "{}",
            status(&app)
        );

        // Off: nothing is settled.
        app.stop_after_days = None;
        assert_eq!(plan_refresh(&app).skipped, 0);
    }
}
