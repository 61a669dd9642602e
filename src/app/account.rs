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
        let Ok(id) = ItemId::parse(&entry.item_id) else {
            continue;
        };
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
                format!(
                    "the balance is read at most once a minute: the next read goes out in {wait}s"
                )
            }
            _ => "reading the balance…".to_owned(),
        };
        set_status(app, Level::Info, text);
    } else {
        set_status(app, Level::Info, "reading the balance…".into());
    }
    effects
}

/// A refresh needing `calls` calls starts: measured when the balance before it is exact
/// (read with no call sent since). Returns the effect that notes it in the store.
pub fn begin_batch(app: &mut App, calls: u64) -> Vec<Effect> {
    if !app.account.enabled || calls == 0 || app.account.batch.is_some() {
        return Vec::new();
    }
    let before = match (&app.account.balance, app.account.read_calls) {
        (Some(b), Some(c)) if c == app.calls_made && app.in_flight() == 0 => Some((b.clone(), c)),
        _ => None,
    };
    app.account.batch = Some(BatchView {
        before,
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
    if let Some(batch) = &mut app.account.batch {
        batch.done = true;
    }
    // Within a minute of the last read, it goes out once the minute is over (`due_read`).
    request_read(app)
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
            && app.status.as_ref().is_some_and(|s| s.text == "reading the balance…")
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
        let mut text = format!("refresh {}", spend.describe());
        if let Ok(balance) = &result {
            text.push_str(&format!(" · balance {balance}"));
        }
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
