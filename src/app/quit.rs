//! Quitting never throws away an answer already paid for: `q` with calls under way starts
//! no new call and waits for those answers (they reach the cache and the history), at most
//! until the request timeout; a second `q`, or Ctrl-C (quit at once), abandons them.
//! A signal (SIGTERM, SIGHUP) quits at once: what has arrived is saved, nothing waited for.

use super::action::Effect;
use super::state::App;

/// The user asked to quit.
pub fn request(app: &mut App) -> Vec<Effect> {
    if app.quitting.is_some() || app.answers_awaited() == 0 {
        app.quit = true;
        return Vec::new();
    }
    // Every call under way started before now, so each answers or times out by then.
    app.quitting = Some(app.now + app.request_timeout);
    vec![Effect::StopCalls]
}

/// Ends the wait once nothing is in flight or the deadline has passed.
pub fn check(app: &mut App) {
    if let Some(deadline) = app.quitting
        && (app.answers_awaited() == 0 || app.now >= deadline)
    {
        app.quit = true;
    }
}

/// The status line while waiting: "waiting for 2 calls… 57s (q again to abandon)".
pub fn waiting_text(app: &App) -> Option<String> {
    let deadline = app.quitting?;
    let n = app.answers_awaited();
    let secs = (deadline - app.now).num_seconds().max(0);
    Some(format!(
        "waiting for {n} call{}… {secs}s (q again to abandon)",
        if n == 1 { "" } else { "s" }
    ))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::{Duration, TimeZone, Utc};
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use super::waiting_text;
    use crate::api::ApiError;
    use crate::app::{Action, App, Effect, update};
    use crate::fetcher::Fetched;
    use crate::format::NumberStyle;
    use crate::item_id::ItemId;
    use crate::report::Report;

    const ID: &str = "7566200471448779514";
    const OTHER: &str = "7566200471448779515";

    fn app() -> App {
        let mut app = App::new(
            Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).unwrap(),
            NumberStyle::Cn,
        );
        update(&mut app, Action::Resize(100, 30));
        app
    }

    fn key(code: KeyCode) -> Action {
        Action::Key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    fn ctrl_c() -> Action {
        Action::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL))
    }

    /// Looks `ids` up from the box; leaves the focus on the lists.
    fn look_up(app: &mut App, ids: &[&str]) {
        for id in ids {
            update(app, key(KeyCode::Char('/')));
            for c in id.chars() {
                update(app, key(KeyCode::Char(c)));
            }
            update(app, key(KeyCode::Enter));
        }
    }

    fn answer(app: &mut App, id: &str, result: Result<Fetched, ApiError>) {
        update(
            app,
            Action::Fetched {
                id: ItemId::parse(id).unwrap(),
                result,
                calls_made: 2,
            },
        );
    }

    fn report(id: &str) -> Fetched {
        let data = serde_json::json!({"video_info": {"vv_cnt": 10}});
        Fetched {
            report: Arc::new(Report::from_data(id, &data)),
            data: Arc::new(data),
            fetched_at: Utc::now(),
            from_cache: false,
        }
    }

    #[test]
    fn q_with_nothing_in_flight_quits_at_once() {
        let mut app = app();
        assert!(update(&mut app, key(KeyCode::Char('q'))).is_empty());
        assert!(app.quit);
    }

    #[test]
    fn q_waits_for_the_calls_under_way_and_starts_no_new_one() {
        let mut app = app();
        look_up(&mut app, &[ID, OTHER]);
        let effects = update(&mut app, key(KeyCode::Char('q')));
        assert_eq!(effects, vec![Effect::StopCalls]);
        assert!(!app.quit, "answers are on their way");
        assert_eq!(app.quitting, Some(app.now + Duration::seconds(60)));
        assert_eq!(
            waiting_text(&app).as_deref(),
            Some("waiting for 2 calls… 60s (q again to abandon)")
        );
        // Keys other than q and Ctrl-C do nothing meanwhile (no refetch, no typing).
        assert!(update(&mut app, key(KeyCode::Char('r'))).is_empty());
        assert!(update(&mut app, key(KeyCode::Char('R'))).is_empty());
        answer(&mut app, ID, Ok(report(ID)));
        assert!(!app.quit);
        assert_eq!(
            waiting_text(&app).as_deref(),
            Some("waiting for 1 call… 60s (q again to abandon)")
        );
        answer(&mut app, OTHER, Err(ApiError::Stopped));
        assert!(app.quit, "the last answer ends the wait");
        assert_eq!(app.answers, 1);
    }

    #[test]
    fn a_second_q_or_ctrl_c_abandons_the_wait() {
        for second in [key(KeyCode::Char('q')), ctrl_c()] {
            let mut app = app();
            look_up(&mut app, &[ID]);
            update(&mut app, key(KeyCode::Char('q')));
            assert!(!app.quit);
            update(&mut app, second);
            assert!(app.quit);
        }
        // Ctrl-C is "quit at once": it never waits.
        let mut app = app();
        look_up(&mut app, &[ID]);
        assert!(update(&mut app, ctrl_c()).is_empty());
        assert!(app.quit);
    }

    #[test]
    fn the_wait_ends_at_the_request_timeout() {
        let mut app = app();
        app.request_timeout = Duration::seconds(30);
        look_up(&mut app, &[ID]);
        update(&mut app, key(KeyCode::Char('q')));
        let start = app.now;
        update(&mut app, Action::Tick(start + Duration::seconds(29)));
        assert!(!app.quit);
        assert_eq!(
            waiting_text(&app).as_deref(),
            Some("waiting for 1 call… 1s (q again to abandon)")
        );
        update(&mut app, Action::Tick(start + Duration::seconds(30)));
        assert!(app.quit);
    }

    #[test]
    fn no_auto_refresh_while_waiting_to_quit() {
        let mut app = app();
        app.refresh_every = Some(Duration::minutes(5));
        app.last_auto_refresh = Some(app.now - Duration::hours(1));
        update(
            &mut app,
            Action::WatchlistLoaded {
                entries: vec![crate::store::config::WatchEntry {
                    item_id: ItemId::parse(OTHER).unwrap(),
                    label: None,
                    campaign: None,
                    price: None,
                    added_at: None,
                }],
                read_only: None,
            },
        );
        look_up(&mut app, &[ID]);
        update(&mut app, key(KeyCode::Char('q')));
        let later = app.now + Duration::seconds(1);
        let effects = update(&mut app, Action::Tick(later));
        assert!(effects.is_empty(), "{effects:?}");
        assert_eq!(app.in_flight(), 1);
    }

    #[test]
    fn a_signal_quits_at_once_even_with_calls_in_flight() {
        let mut first = app();
        look_up(&mut first, &[ID]);
        update(&mut first, Action::Terminate);
        assert!(first.quit);
        let mut waiting = app();
        look_up(&mut waiting, &[ID]);
        update(&mut waiting, key(KeyCode::Char('q')));
        update(&mut waiting, Action::Terminate);
        assert!(waiting.quit);
    }
}
