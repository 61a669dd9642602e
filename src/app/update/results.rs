//! What comes back: fetched reports, fetch progress, halting codes, ticks, daily trends,
//! resolved links and fired alerts.

use chrono::Duration;

use super::lookups::{look_up_new, refresh_watchlist};
use super::navigation::{keep_selections_in_view, resort_later, screen_areas};
use super::set_status;
use super::watchlist::watch_all;
use crate::alerts::command::Notice;
use crate::api::{ApiError, Disposition};
use crate::app::action::{AfterResolve, Effect};
use crate::app::state::{App, Level};
use crate::app::{account, quit};
use crate::fetcher::FetchEvent;
use crate::format;
use crate::item_id::{ItemId, ShortLink};
use crate::keymap::Command;
use crate::shortlink::ResolveError;
use crate::t;

/// How many recent alerts `!` lists.
pub const ALERTS_KEPT: usize = 100;

pub(super) fn on_notice(app: &mut App, notice: Notice) -> Vec<Effect> {
    match notice {
        Notice::Fired(alert) => {
            app.alerted.insert(alert.item_id.clone());
            let count = app.alert_banner.as_ref().map_or(0, |(_, n)| *n) + 1;
            app.alert_banner = Some((alert.clone(), count));
            app.alerts.push(alert);
            if app.alerts.len() > ALERTS_KEPT {
                app.alerts.remove(0);
            }
            // The banner row moves the panes.
            keep_selections_in_view(app);
            if app.bell {
                return vec![Effect::Bell];
            }
        }
        Notice::CommandFailed { alert, error } => set_status(
            app,
            Level::Error,
            t!(
                "ui-msg-alert-command-failed",
                name = alert.name.as_str(),
                error = error.to_string()
            ),
        ),
    }
    Vec::new()
}

pub(super) fn on_resolved(
    app: &mut App,
    link: ShortLink,
    then: AfterResolve,
    result: Result<ItemId, ResolveError>,
) -> Vec<Effect> {
    if let Some(i) = app
        .resolving
        .iter()
        .position(|(l, t)| *l == link && *t == then)
    {
        app.resolving.remove(i);
    }
    match (result, then) {
        (Ok(id), AfterResolve::LookUp) => look_up_new(app, id),
        (Ok(id), AfterResolve::Watch) => watch_all(app, vec![id]),
        (Err(e), AfterResolve::LookUp) => {
            set_status(
                app,
                Level::Error,
                t!("ui-msg-not-looked-up", why = e.to_string()),
            );
            Vec::new()
        }
        (Err(e), AfterResolve::Watch) => {
            set_status(
                app,
                Level::Error,
                t!("ui-msg-not-added", why = e.to_string()),
            );
            Vec::new()
        }
    }
}

pub(super) fn on_tick(app: &mut App, now: chrono::DateTime<chrono::Utc>) -> Vec<Effect> {
    app.now = now;
    quit::check(app);
    if app.quitting.is_some() {
        // No auto-refresh either: quitting starts no call.
        return Vec::new();
    }
    if app.animating() {
        app.spinner = app.spinner.wrapping_add(1);
    }
    if app.slow_until.is_some_and(|t| t <= now) {
        app.slow_until = None;
    }
    let mut effects = account::due_read(app);
    effects.extend(crate::app::store_down::due_try(app));
    let Some(every) = app.refresh_every else {
        return effects;
    };
    let due = app.last_auto_refresh.is_none_or(|last| now - last >= every);
    if !due || app.watch.entries.is_empty() || app.overlay.is_some() {
        return effects;
    }
    app.last_auto_refresh = Some(now);
    if app.halt.is_some() {
        return effects;
    }
    effects.extend(refresh_watchlist(app, &t!("ui-msg-auto-refresh")));
    effects
}

pub(super) fn on_fetched(
    app: &mut App,
    id: ItemId,
    result: crate::fetcher::FetchResult,
) -> Vec<Effect> {
    let result = match result {
        Err(err) if err.disposition() == Disposition::Halt => {
            return on_halt_result(app, id, err);
        }
        other => other,
    };
    let refetch = app.key_for(Command::Refetch);
    let view = app.items.entry(id.clone()).or_default();
    view.in_flight = false;
    view.retry = None;
    match result {
        Ok(fetched) => {
            let note = if fetched.from_cache {
                t!(
                    "ui-msg-from-cache",
                    id = id.to_string(),
                    ago = format::ago(fetched.fetched_at, app.now),
                    key = refetch.as_str()
                )
            } else {
                app.answers += 1;
                t!("ui-msg-updated", id = id.to_string())
            };
            view.error = None;
            if !fetched.from_cache {
                app.history.record(&fetched);
            }
            // Only the items a person can see keep their full report; a watched row keeps
            // its compact figures (above), so a refresh of 10,000 holds 10,000 small rows.
            let keep = keeps_report(app, &id);
            let view = app.items.entry(id.clone()).or_default();
            view.last_ok = keep.then_some(fetched);
            if app.in_flight() == 0 {
                set_status(app, Level::Info, note);
            }
        }
        // Never sent: the app is quitting. Whatever the item showed stays.
        Err(ApiError::Stopped) => {}
        Err(ApiError::StoreUnavailable { detail }) => {
            view.error = Some(ApiError::StoreUnavailable {
                detail: detail.clone(),
            });
            crate::app::store_down::on_down(app, detail);
        }
        Err(err) => {
            let message = match &err {
                ApiError::Halted { .. } => None,
                other => Some(t!(
                    "ui-msg-item-error",
                    id = id.to_string(),
                    error = other.to_string()
                )),
            };
            view.error = Some(err);
            if let Some(m) = message {
                set_status(app, Level::Error, m);
            }
        }
    }
    quit::check(app);
    resort_later(app);
    account::batch_over(app)
}

/// A call answered with a code that stops every call (100, 303, 600, 601, 602). The fetcher
/// says so twice, on two channels with no order between them: the `Halted` progress event
/// and the item's result. Whichever comes first ends the item's call, stops lookups and says
/// why; the second changes nothing, so the screen never shows "fetching" under the halt
/// banner, a late report never replaces what was said since ("calls are stopped… no call
/// made" for a lookup refused meanwhile), and never brings back a halt `r` has cleared.
fn on_halt(app: &mut App, id: ItemId, err: ApiError) {
    let view = app.items.entry(id.clone()).or_default();
    if !view.in_flight && view.error.as_ref() == Some(&err) {
        return;
    }
    view.in_flight = false;
    view.retry = None;
    view.error = Some(err.clone());
    let text = t!(
        "ui-msg-item-error",
        id = id.to_string(),
        error = err.to_string()
    );
    app.halt = Some(err);
    set_status(app, Level::Error, text);
    quit::check(app);
    resort_later(app);
}

/// A halt ends the item's call; if it was the last of a refresh, the refresh is over.
fn on_halt_result(app: &mut App, id: ItemId, err: ApiError) -> Vec<Effect> {
    on_halt(app, id, err);
    account::batch_over(app)
}

/// The item is on screen or in the recent list, so its full report is worth holding (the
/// demo's handful are all kept, as fetched).
pub(super) fn keeps_report(app: &App, id: &ItemId) -> bool {
    app.demo
        || app.shown.as_ref() == Some(id)
        || app.recent.contains(id)
        || app.mark_of(id).is_some()
}

pub(super) fn on_progress(app: &mut App, event: FetchEvent) {
    match event {
        // Progress travels on its own channel and may arrive after the result: it never
        // marks an item in flight (only `lookup` does), it only annotates one that is.
        FetchEvent::Calling { id, total, .. } => {
            app.calls_made = app.calls_made.max(total);
            if let Some(view) = app.items.get_mut(&id) {
                view.retry = None;
            }
        }
        FetchEvent::Retrying {
            id,
            attempt,
            wait,
            error,
        } => {
            let at = app.now + Duration::from_std(wait).unwrap_or_default();
            if let Some(view) = app.items.get_mut(&id).filter(|v| v.in_flight) {
                view.retry = Some((attempt, at, error.short()));
            }
        }
        FetchEvent::SlowingDown { wait } => {
            app.slow_until = Some(app.now + Duration::from_std(wait).unwrap_or_default());
            set_status(
                app,
                Level::Warn,
                t!(
                    "ui-msg-slowing-down",
                    why = crate::api::error::rate_limited_summary()
                ),
            );
        }
        FetchEvent::Halted { id, error } => on_halt(app, id, error),
    }
}

pub(super) fn on_daily(
    app: &mut App,
    id: ItemId,
    result: Result<(crate::trend::StoredTrend, bool), ApiError>,
) {
    if app.daily_in_flight.as_ref() == Some(&id) {
        app.daily_in_flight = None;
    }
    let key = app.key_for(Command::DailyTrend);
    match result {
        Ok((trend, fresh)) => {
            let days = trend.series(crate::trend::VIEWS).len();
            // The status line is short at 80 columns: what matters comes first.
            let shown_where = if screen_areas(app).is_some_and(|a| a.trend.is_some()) {
                t!("ui-msg-daily-in-trend")
            } else {
                app.daily_pane = Some(id.clone());
                t!("ui-msg-daily-in-rates")
            };
            let text = if fresh {
                app.answers += 1;
                t!(
                    "ui-msg-daily-fetched",
                    days = days,
                    shown = shown_where,
                    id = id.to_string()
                )
            } else {
                app.daily_refresh_armed = Some(id.clone());
                t!(
                    "ui-msg-daily-stored",
                    ago = format::ago(trend.fetched_at, app.now),
                    days = days,
                    key = key.as_str()
                )
            };
            app.history.daily = Some((id, trend));
            set_status(app, Level::Info, text);
        }
        Err(err) if err.disposition() == Disposition::Halt => on_halt(app, id, err),
        Err(ApiError::Stopped) => {}
        Err(err) => set_status(
            app,
            Level::Error,
            t!(
                "ui-msg-daily-failed",
                id = id.to_string(),
                error = err.to_string()
            ),
        ),
    }
    quit::check(app);
}

#[cfg(test)]
mod tests {
    use chrono::Duration;
    use crossterm::event::KeyCode;

    use crate::api::ApiError;
    use crate::app::action::{Action, Effect};
    use crate::app::state::{Focus, Level};
    use crate::app::update::testing::{
        ID, answer, app, business, drawn, fetched, id, key, look_up, type_text, watch,
    };
    use crate::app::update::update;
    use crate::fetcher::{FetchEvent, Freshness};

    #[test]
    fn results_update_the_item_and_keep_the_last_success_on_failure() {
        let mut app = app();
        look_up(&mut app, ID);
        let effects = answer(&mut app, ID, Ok(fetched(ID, 1000)));
        assert!(effects.is_empty(), "{effects:?}");
        // The row's figures move at once, before any reload from the store.
        assert_eq!(app.history.latest[ID].0.vv_cnt, Some(1000));
        let view = app.view(&id(ID)).unwrap();
        assert!(!view.in_flight && view.last_ok.is_some() && view.error.is_none());
        assert_eq!(app.calls_made, 1);

        update(
            &mut app,
            Action::Fetched {
                id: id(ID),
                result: Err(business(500)),
                calls_made: 4,
            },
        );
        let view = app.view(&id(ID)).unwrap();
        assert!(view.last_ok.is_some(), "the last success stays on screen");
        assert_eq!(view.error.as_ref().and_then(ApiError::code), Some(500));
        assert_eq!(app.status.as_ref().unwrap().level, Level::Error);
    }

    #[test]
    fn a_fatal_code_halts_lookups_until_r() {
        let mut app = app();
        look_up(&mut app, ID);
        answer(&mut app, ID, Err(business(601)));
        assert!(app.halt.is_some() && app.has_banner());
        type_text(&mut app, "7566200471448779515");
        assert_eq!(app.focus, Focus::Input, "a digit starts typing an id");
        let effects = update(&mut app, key(KeyCode::Enter));
        assert!(
            effects.iter().all(|e| matches!(e, Effect::Peek(_))),
            "{effects:?}"
        );
        assert!(app.status.as_ref().unwrap().text.contains("601"));
        update(&mut app, key(KeyCode::Esc));
        let effects = update(&mut app, key(KeyCode::Char('r')));
        assert_eq!(effects[0], Effect::ClearHalt);
        assert!(matches!(
            effects[1],
            Effect::Fetch {
                freshness: Freshness::Force,
                ..
            }
        ));
        assert!(app.halt.is_none());
    }

    /// The fetcher reports a halting code twice, as a progress event and as the item's
    /// result, on two channels with no order between them, and the dashboard draws between
    /// any two actions. Every order, with a refused lookup typed in between, shows the same.
    #[test]
    fn a_halt_reads_the_same_whichever_report_arrives_first() {
        const OTHER: &str = "7566200471448779515";
        for code in [100, 303, 600, 601, 602] {
            let report = |as_result: bool| {
                if as_result {
                    Action::Fetched {
                        id: id(ID),
                        result: Err(business(code)),
                        calls_made: 1,
                    }
                } else {
                    Action::Progress(FetchEvent::Halted {
                        id: id(ID),
                        error: business(code),
                    })
                }
            };
            let mut screens = Vec::new();
            for (result_first, second_late) in
                [(false, false), (false, true), (true, false), (true, true)]
            {
                let case = format!(
                    "code {code}, result first: {result_first}, second after a lookup: {second_late}"
                );
                let mut app = app();
                update(&mut app, Action::Resize(80, 24));
                look_up(&mut app, ID);
                // Sent before `Halted`, on the same channel.
                update(
                    &mut app,
                    Action::Progress(FetchEvent::Calling {
                        id: id(ID),
                        attempt: 1,
                        total: 1,
                    }),
                );
                update(&mut app, report(result_first));
                let after_first = drawn(&app);
                assert!(
                    after_first.contains(&format!("{ID}: code {code}"))
                        && after_first.contains("calls stopped")
                        && !after_first.contains("fetching"),
                    "{case}\n{after_first}"
                );
                assert!(!app.view(&id(ID)).unwrap().in_flight, "{case}");
                if !second_late {
                    update(&mut app, report(!result_first));
                    assert_eq!(drawn(&app), after_first, "{case}");
                }
                // A lookup refused while halted says so; a late report must not hide it.
                update(&mut app, key(KeyCode::Char('/')));
                look_up(&mut app, OTHER);
                let refused = drawn(&app);
                assert!(refused.contains("calls are stopped"), "{case}\n{refused}");
                if second_late {
                    update(&mut app, report(!result_first));
                    assert_eq!(drawn(&app), refused, "{case}");
                }
                assert_eq!(app.halt, Some(business(code)), "{case}");
                screens.push((case, refused));
            }
            for (case, screen) in &screens[1..] {
                assert_eq!(screen, &screens[0].1, "{case} against {}", screens[0].0);
            }
        }
    }

    /// `r` right after the first report of a halt, before the second: the late one neither
    /// halts again nor ends the new call.
    #[test]
    fn a_late_report_of_a_halt_does_not_undo_r() {
        const OTHER: &str = "7566200471448779515";
        for result_first in [false, true] {
            let report = |as_result: bool| {
                if as_result {
                    Action::Fetched {
                        id: id(ID),
                        result: Err(business(601)),
                        calls_made: 1,
                    }
                } else {
                    Action::Progress(FetchEvent::Halted {
                        id: id(ID),
                        error: business(601),
                    })
                }
            };
            let mut app = app();
            look_up(&mut app, ID);
            update(&mut app, report(result_first));
            look_up(&mut app, OTHER);
            update(&mut app, key(KeyCode::Esc));
            let effects = update(&mut app, key(KeyCode::Char('r')));
            assert_eq!(
                effects,
                vec![
                    Effect::ClearHalt,
                    Effect::Fetch {
                        id: id(OTHER),
                        freshness: Freshness::Force
                    }
                ]
            );
            update(&mut app, report(!result_first));
            assert!(app.halt.is_none() && !app.has_banner(), "{result_first}");
            assert!(app.view(&id(OTHER)).unwrap().in_flight);
        }
    }

    #[test]
    fn the_token_spending_cap_halts_like_an_empty_balance() {
        let mut app = app();
        look_up(&mut app, ID);
        answer(&mut app, ID, Err(business(602)));
        assert_eq!(app.halt.as_ref().and_then(ApiError::code), Some(602));
        assert!(app.has_banner());
        type_text(&mut app, "7566200471448779515");
        let effects = update(&mut app, key(KeyCode::Enter));
        assert!(
            effects.iter().all(|e| matches!(e, Effect::Peek(_))),
            "no call while the cap is reached: {effects:?}"
        );
    }

    #[test]
    fn progress_annotates_but_never_resurrects_an_item() {
        let mut app = app();
        look_up(&mut app, ID);
        update(
            &mut app,
            Action::Progress(FetchEvent::Retrying {
                id: id(ID),
                attempt: 1,
                wait: std::time::Duration::from_secs(2),
                error: business(301),
            }),
        );
        let retry = app.view(&id(ID)).unwrap().retry.clone().unwrap();
        assert_eq!(retry.0, 1);
        assert_eq!(retry.1, app.now + Duration::seconds(2));
        update(
            &mut app,
            Action::Fetched {
                id: id(ID),
                result: Ok(fetched(ID, 10)),
                calls_made: 2,
            },
        );
        update(
            &mut app,
            Action::Progress(FetchEvent::Calling {
                id: id(ID),
                attempt: 2,
                total: 2,
            }),
        );
        assert!(!app.view(&id(ID)).unwrap().in_flight);
        assert!(!app.animating());
        update(
            &mut app,
            Action::Progress(FetchEvent::SlowingDown {
                wait: std::time::Duration::from_secs(5),
            }),
        );
        assert!(app.animating());
        let later = app.now + Duration::seconds(6);
        update(&mut app, Action::Tick(later));
        assert!(app.slow_until.is_none());
    }

    #[test]
    fn a_fetch_moves_the_rows_delta_and_sparkline_at_once() {
        let mut app = app();
        watch(&mut app, &[ID]);
        let mut later = fetched(ID, 1500);
        later.fetched_at += Duration::hours(1);
        for f in [fetched(ID, 1000), later] {
            let effects = answer(&mut app, ID, Ok(f));
            assert!(effects.is_empty(), "no reload needed: {effects:?}");
        }
        let (newest, previous) = &app.history.latest[ID];
        assert_eq!(newest.vv_cnt, Some(1500));
        assert_eq!(previous.as_ref().unwrap().vv_cnt, Some(1000));
        assert_eq!(app.history.sparks[ID], vec![1000, 1500]);
        assert_eq!(
            app.history.texts[ID].title.as_deref(),
            Some(&*format!("t{ID}"))
        );
    }

    #[test]
    fn auto_refresh_runs_on_ticks_when_due() {
        let mut app = app();
        watch(&mut app, &[ID]);
        app.refresh_every = Some(Duration::minutes(30));
        app.last_auto_refresh = Some(app.now);
        let start = app.now;
        let early = start + Duration::minutes(29);
        assert!(update(&mut app, Action::Tick(early)).is_empty());
        let due = start + Duration::minutes(31);
        let effects = update(&mut app, Action::Tick(due));
        assert!(matches!(effects[..], [Effect::Fetch { .. }]));
    }

    #[test]
    fn quitting_waits_for_a_daily_trend_already_paid_for() {
        let mut app = app();
        app.shown = Some(id(ID));
        update(&mut app, key(KeyCode::Esc));
        update(&mut app, key(KeyCode::Char('T')));
        assert_eq!(
            update(&mut app, key(KeyCode::Char('q'))),
            vec![Effect::StopCalls]
        );
        assert!(!app.quit);
        let trend = crate::trend::StoredTrend {
            fetched_at: app.now,
            days: Vec::new(),
        };
        update(
            &mut app,
            Action::DailyTrend {
                id: id(ID),
                result: Ok((trend, true)),
                calls_made: 1,
            },
        );
        assert!(app.quit);
    }

    #[test]
    fn a_halting_code_on_the_daily_trend_stops_calls() {
        let mut app = app();
        app.shown = Some(id(ID));
        update(&mut app, key(KeyCode::Esc));
        update(&mut app, key(KeyCode::Char('T')));
        update(
            &mut app,
            Action::DailyTrend {
                id: id(ID),
                result: Err(business(601)),
                calls_made: 1,
            },
        );
        assert!(app.halt.is_some());
        assert!(app.daily_in_flight.is_none());
        app.daily_refresh_armed = Some(id(ID));
        assert!(update(&mut app, key(KeyCode::Char('T'))).is_empty());
        assert!(
            app.status
                .as_ref()
                .unwrap()
                .text
                .contains("calls are stopped")
        );
    }
}
