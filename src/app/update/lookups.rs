//! The calls a person asks for: a typed or pasted item, `r`, `R` and the auto-refresh, the
//! daily trend, short links to resolve. Each says first why it makes no call, when it makes none.

use super::navigation::remember_recent;
use super::set_status;
use crate::app::account;
use crate::app::action::{AfterResolve, Effect};
use crate::app::state::{App, Focus, Level, Overlay};
use crate::fetcher::Freshness;
use crate::item_id::{ItemId, ItemRef, ShortLink};
use crate::keymap::Command;
use crate::t;

pub(super) fn look_up_all(app: &mut App, items: Vec<ItemRef>) -> Vec<Effect> {
    app.focus = Focus::Recent;
    let n = items.len();
    // Several lookups at once are a batch: measured like a refresh.
    let mut effects = if n > 1 {
        account::begin_batch(app, n as u64, t!("ui-msg-batch-lookups"))
    } else {
        Vec::new()
    };
    let mut lookups = Vec::new();
    // Backwards, so the first pasted item ends up on top of the recent list and on screen.
    for r in items.into_iter().rev() {
        match r {
            ItemRef::Id(id) => lookups.extend(look_up_new(app, id)),
            ItemRef::Short(link) => lookups.extend(resolve(app, link, AfterResolve::LookUp)),
        }
    }
    if !lookups.iter().any(|e| matches!(e, Effect::Fetch { .. })) {
        app.account.batch = None;
        effects.clear();
    }
    effects.extend(lookups);
    if app.halt.is_none() && app.resolving.is_empty() {
        set_status(app, Level::Info, t!("ui-msg-looking-up-pasted", count = n));
    }
    effects
}

/// Asks for a short link to be resolved, unless it already is being for the same purpose.
pub(super) fn resolve(app: &mut App, link: ShortLink, then: AfterResolve) -> Vec<Effect> {
    if let Some(why) = &app.resolve_off {
        // The reason first: the status bar is one line.
        let text = t!("ui-msg-short-link-off", why = why.as_str());
        set_status(app, Level::Error, text);
        return Vec::new();
    }
    let pending = (link, then);
    if app.resolving.contains(&pending) {
        return Vec::new();
    }
    let (link, then) = pending.clone();
    app.resolving.push(pending);
    vec![Effect::Resolve { link, then }]
}

pub(super) fn submit(app: &mut App) -> Vec<Effect> {
    let item = match app.input_parse() {
        None => return Vec::new(),
        Some(Err(e)) => {
            set_status(
                app,
                Level::Error,
                t!("ui-msg-not-looked-up", why = e.to_string()),
            );
            return Vec::new();
        }
        Some(Ok(item)) => item,
    };
    if let (ItemRef::Short(link), Some(_)) = (&item, &app.resolve_off) {
        // Kept in the box, so the user can replace it with the full link.
        return resolve(app, link.clone(), AfterResolve::LookUp);
    }
    app.input.clear();
    // Back to the lists, so `r`, `a`, `y` and `q` act on the result right away.
    app.focus = Focus::Recent;
    match item {
        ItemRef::Id(id) => look_up_new(app, id),
        ItemRef::Short(link) => resolve(app, link, AfterResolve::LookUp),
    }
}

/// A video given on the command line: looked up as if typed into the box.
pub(super) fn look_up_shown(app: &mut App, id: ItemId) -> Vec<Effect> {
    app.focus = Focus::Recent;
    look_up_new(app, id)
}

/// Shows a newly asked-for item and looks it up.
pub(super) fn look_up_new(app: &mut App, id: ItemId) -> Vec<Effect> {
    remember_recent(app, &id);
    app.shown = Some(id.clone());
    lookup(app, id, Freshness::CacheOk)
}

/// Starts a lookup unless the config file could not be read, calls are halted, or one is
/// already under way for the item.
pub(super) fn lookup(app: &mut App, id: ItemId, freshness: Freshness) -> Vec<Effect> {
    if app.watch.read_only.is_some() {
        set_status(app, Level::Error, t!("ui-msg-lookups-off"));
        return vec![Effect::Peek(id)];
    }
    if let Some(halt) = &app.halt {
        let text = t!(
            "ui-msg-halted-item",
            halt = halt.to_string(),
            key = app.key_for(Command::Refetch),
            id = id.to_string()
        );
        set_status(app, Level::Error, text);
        return vec![Effect::Peek(id)];
    }
    if let Some(text) = crate::app::store_down::refusal(app) {
        set_status(app, Level::Error, text);
        return vec![Effect::Peek(id)];
    }
    let view = app.items.entry(id.clone()).or_default();
    if view.in_flight {
        return Vec::new();
    }
    view.in_flight = true;
    vec![Effect::Fetch { id, freshness }]
}

/// `T`: Xingtu's daily series of the item on screen. A stored one is shown for free; `T`
/// again right after fetches it anew (one paid call), as does `T` when none is stored.
pub(super) fn daily_trend(app: &mut App) -> Vec<Effect> {
    let key = app.key_for(Command::DailyTrend);
    let Some(id) = app.shown.clone() else {
        let text = t!("ui-msg-daily-nothing-shown", key = key);
        set_status(app, Level::Info, text);
        return Vec::new();
    };
    if app.daily_in_flight.is_some() {
        set_status(app, Level::Info, t!("ui-msg-daily-on-its-way"));
        return Vec::new();
    }
    let refresh = app.daily_refresh_armed.take().as_ref() == Some(&id);
    // Reading a stored series costs nothing, so only a fresh call is refused here (without a
    // stored one, the fetcher refuses it the same way).
    if refresh {
        if app.watch.read_only.is_some() {
            set_status(app, Level::Error, t!("ui-msg-lookups-off"));
            return Vec::new();
        }
        if let Some(halt) = &app.halt {
            let text = t!(
                "ui-msg-halted",
                halt = halt.to_string(),
                key = app.key_for(Command::Refetch)
            );
            set_status(app, Level::Error, text);
            return Vec::new();
        }
        if let Some(text) = crate::app::store_down::refusal(app) {
            set_status(app, Level::Error, text);
            return Vec::new();
        }
    }
    app.daily_in_flight = Some(id.clone());
    let text = if refresh {
        t!("ui-msg-daily-refetching", id = id.to_string())
    } else {
        t!("ui-msg-daily-fetching", id = id.to_string())
    };
    set_status(app, Level::Info, text);
    vec![Effect::FetchDaily { id, refresh }]
}

pub(super) fn refetch_target(app: &mut App) -> Vec<Effect> {
    let Some(id) = app.target() else {
        set_status(
            app,
            Level::Info,
            t!(
                "ui-msg-nothing-selected",
                key = app.key_for(Command::FocusBox)
            ),
        );
        return Vec::new();
    };
    let mut effects = Vec::new();
    if app.halt.take().is_some() {
        effects.push(Effect::ClearHalt);
    }
    app.shown = Some(id.clone());
    effects.extend(lookup(app, id, Freshness::Force));
    effects
}

/// `R` (or the auto-refresh): every watched item that is not settled, answered from the
/// cache window where it can be. Says what the calls should cost first, and asks when the
/// known balance cannot cover them.
pub(super) fn refresh_watchlist(app: &mut App, verb: &str) -> Vec<Effect> {
    let plan = account::plan_refresh(app);
    if plan.ids.is_empty() {
        let text = if plan.skipped > 0 {
            t!(
                "ui-msg-all-settled",
                count = plan.skipped,
                key = app.key_for(Command::Refetch)
            )
        } else {
            t!("ui-msg-watchlist-empty", key = app.key_for(Command::Add))
        };
        set_status(app, Level::Info, text);
        return Vec::new();
    }
    if plan.calls > 0
        && app.halt.is_none()
        && app.watch.read_only.is_none()
        && let Some(read) = account::read_before(app)
    {
        set_status(app, Level::Info, t!("ui-msg-balance-before-refresh"));
        return read;
    }
    if let (Some(price), Some(balance)) = (&app.account.price, &app.account.balance)
        && plan.calls > 0
        && app.halt.is_none()
        && price.estimate(plan.calls) > balance.amount
    {
        app.overlay = Some(Overlay::ConfirmSpend {
            calls: plan.calls,
            estimate: price.estimate(plan.calls),
            balance: balance.clone(),
            skipped: plan.skipped,
        });
        return Vec::new();
    }
    start_refresh(app, plan, verb)
}

/// Starts the lookups of a refresh, measured when the balance before it is known.
pub(super) fn start_refresh(app: &mut App, plan: account::Plan, verb: &str) -> Vec<Effect> {
    let mut effects = account::begin_batch(app, plan.calls, t!("ui-msg-batch-refresh"));
    let n = plan.ids.len();
    let lookups: Vec<Effect> = plan
        .ids
        .into_iter()
        .flat_map(|id| lookup(app, id, Freshness::CacheOk))
        .collect();
    if !lookups.iter().any(|e| matches!(e, Effect::Fetch { .. })) {
        // Nothing went out (calls are halted, lookups are off): nothing to measure.
        app.account.batch = None;
        effects.clear();
    }
    effects.extend(lookups);
    if app.halt.is_none() {
        let cost = match plan.calls {
            0 => t!("ui-msg-all-cached"),
            calls => crate::account::estimate_short(calls, app.account.price.as_ref()),
        };
        let skipped = match plan.skipped {
            0 => String::new(),
            s => t!("ui-msg-settled-skipped", count = s),
        };
        set_status(
            app,
            Level::Info,
            t!(
                "ui-msg-refresh-started",
                verb = verb,
                count = n,
                cost = cost,
                skipped = skipped
            ),
        );
    }
    effects
}

#[cfg(test)]
mod tests {
    use chrono::Duration;
    use crossterm::event::KeyCode;

    use crate::app::action::{Action, AfterResolve, Effect};
    use crate::app::state::{Focus, Level};
    use crate::app::update::testing::{ID, app, id, key, short, type_text, watch};
    use crate::app::update::update;
    use crate::fetcher::Freshness;
    use crate::shortlink::ResolveError;

    #[test]
    fn enter_on_a_valid_id_fetches_once_and_clears_the_box() {
        let mut app = app();
        update(&mut app, key(KeyCode::Char('/')));
        type_text(&mut app, &format!("  https://www.douyin.com/video/{ID}  "));
        let effects = update(&mut app, key(KeyCode::Enter));
        assert_eq!(
            effects,
            vec![Effect::Fetch {
                id: id(ID),
                freshness: Freshness::CacheOk
            }]
        );
        assert!(app.input.is_empty());
        assert_eq!(app.shown, Some(id(ID)));
        assert_eq!(app.recent, vec![id(ID)]);
        assert_eq!(app.focus, Focus::Recent, "the keys act on the result next");
        // A second Enter while it is in flight costs nothing.
        update(&mut app, key(KeyCode::Char('/')));
        type_text(&mut app, ID);
        assert!(update(&mut app, key(KeyCode::Enter)).is_empty());
    }

    #[test]
    fn junk_makes_no_call_and_says_why() {
        let mut app = app();
        app.focus = Focus::Input;
        type_text(&mut app, "hello");
        assert!(update(&mut app, key(KeyCode::Enter)).is_empty());
        let status = app.status.clone().unwrap();
        assert_eq!(status.level, Level::Error);
        assert!(status.text.contains("expected"), "{}", status.text);
        assert_eq!(app.input.text(), "hello", "the input is kept for fixing");
        assert_eq!(app.focus, Focus::Input);
        assert!(update(&mut app, key(KeyCode::Enter)).is_empty());
    }

    #[test]
    fn a_short_link_is_resolved_then_looked_up() {
        let mut app = app();
        update(
            &mut app,
            Action::Paste("看看 https://v.douyin.com/iRNBho6u/ 复制".into()),
        );
        let effects = update(&mut app, key(KeyCode::Enter));
        let resolve = Effect::Resolve {
            link: short("iRNBho6u"),
            then: AfterResolve::LookUp,
        };
        assert_eq!(effects, vec![resolve.clone()]);
        assert!(app.animating(), "the status bar shows the resolution");
        // The same link again while it resolves asks for nothing more.
        update(&mut app, Action::Paste("v.douyin.com/iRNBho6u".into()));
        assert!(update(&mut app, key(KeyCode::Enter)).is_empty());
        let effects = update(
            &mut app,
            Action::Resolved {
                link: short("iRNBho6u"),
                then: AfterResolve::LookUp,
                result: Ok(id(ID)),
            },
        );
        assert_eq!(
            effects,
            vec![Effect::Fetch {
                id: id(ID),
                freshness: Freshness::CacheOk
            }]
        );
        assert!(app.resolving.is_empty());
        assert_eq!(app.shown, Some(id(ID)));

        let failed = update(
            &mut app,
            Action::Resolved {
                link: short("gone"),
                then: AfterResolve::LookUp,
                result: Err(ResolveError::NotFound {
                    link: "https://v.douyin.com/gone/".into(),
                    status: 404,
                }),
            },
        );
        assert!(failed.is_empty());
        assert!(app.status.clone().unwrap().text.contains("404"));
    }

    #[test]
    fn with_resolution_off_a_short_link_stays_in_the_box() {
        let mut app = app();
        app.resolve_off = Some("link resolution is off (--no-resolve)".into());
        update(&mut app, Action::Paste("v.douyin.com/iRNBho6u".into()));
        assert!(update(&mut app, key(KeyCode::Enter)).is_empty());
        assert!(app.status.clone().unwrap().text.contains("--no-resolve"));
        assert_eq!(app.input.text(), "v.douyin.com/iRNBho6u");
    }

    #[test]
    fn refresh_all_respects_the_cache_and_selection_never_calls() {
        let mut app = app();
        watch(&mut app, &[ID, "7566200471448779515"]);
        app.focus = Focus::Watchlist;
        let effects = update(&mut app, key(KeyCode::Char('R')));
        assert_eq!(effects.len(), 2);
        assert!(effects.iter().all(|e| matches!(
            e,
            Effect::Fetch {
                freshness: Freshness::CacheOk,
                ..
            }
        )));
        let effects = update(&mut app, key(KeyCode::Down));
        assert!(
            effects
                .iter()
                .all(|e| matches!(e, Effect::Peek(_) | Effect::LoadSeries)),
            "{effects:?}"
        );
        assert_eq!(app.shown, Some(id("7566200471448779515")));
    }

    #[test]
    fn daily_trend_reads_the_store_first_and_pays_only_when_asked_again() {
        let mut app = app();
        update(&mut app, key(KeyCode::Esc));
        assert!(update(&mut app, key(KeyCode::Char('T'))).is_empty());
        assert!(
            app.status
                .as_ref()
                .unwrap()
                .text
                .contains("look an item up first")
        );

        app.shown = Some(id(ID));
        let want = |refresh| {
            vec![Effect::FetchDaily {
                id: id(ID),
                refresh,
            }]
        };
        assert_eq!(update(&mut app, key(KeyCode::Char('T'))), want(false));
        assert!(
            update(&mut app, key(KeyCode::Char('T'))).is_empty(),
            "one at a time"
        );
        let trend = crate::trend::StoredTrend {
            fetched_at: app.now - Duration::hours(2),
            days: crate::trend::parse(&serde_json::json!({"date_values": {"vv_list": [
                {"visit_date": 20261120, "value": "5"}, {"visit_date": 20261121, "value": 7},
            ]}})),
        };
        let stored = Action::DailyTrend {
            id: id(ID),
            result: Ok((trend.clone(), false)),
            calls_made: 0,
        };
        update(&mut app, stored);
        assert!(app.daily_in_flight.is_none());
        assert_eq!(app.history.daily, Some((id(ID), trend.clone())));
        let status = app.status.clone().unwrap().text;
        assert!(
            status.contains("2 days (no call)") && status.contains("T again"),
            "{status}"
        );
        // T again right after a stored one fetches anew; after a fresh one it reads the store.
        assert_eq!(update(&mut app, key(KeyCode::Char('T'))), want(true));
        let fresh = Action::DailyTrend {
            id: id(ID),
            result: Ok((trend, true)),
            calls_made: 1,
        };
        update(&mut app, fresh);
        assert_eq!(app.calls_made, 1);
        assert_eq!(update(&mut app, key(KeyCode::Char('T'))), want(false));
    }
}
