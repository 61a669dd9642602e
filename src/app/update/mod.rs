//! `update(app, action) -> effects`: every state change of the dashboard, and nothing else.
//! No I/O, no clock, no terminal: the runtime feeds actions in and carries effects out.
//!
//! This file dispatches each action; the work is split by concern: `keys` (keyboard, mouse,
//! paste and pop-up keys), `lookups` (the calls a person asks for), `results` (what comes
//! back: fetches, progress, halts, ticks, daily trends, alerts), `watchlist` (adding,
//! removing, editing, marking) and `navigation` (selection, focus, tabs, sorting, scrolling).

mod keys;
mod lookups;
mod navigation;
mod results;
#[cfg(test)]
mod testing;
mod watchlist;

pub use navigation::settle;
pub use results::ALERTS_KEPT;

use crossterm::event::KeyEventKind;

use super::account;
use super::action::{Action, AfterResolve, Effect};
use super::state::{App, Focus, Level, Status};
use crate::item_id::ItemRef;
use keys::{on_key, on_mouse, on_paste};
use lookups::{look_up_shown, refresh_watchlist, resolve};
use navigation::{keep_selections_in_view, resort, resort_later};
use results::{keeps_report, on_daily, on_fetched, on_notice, on_progress, on_resolved, on_tick};

pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::Key(key) if key.kind != KeyEventKind::Release => on_key(app, key),
        Action::Key(_) => Vec::new(),
        Action::Paste(text) => on_paste(app, &text),
        Action::Mouse(m) => on_mouse(app, m),
        Action::Resize(w, h) => {
            app.size = (w, h);
            keep_selections_in_view(app);
            Vec::new()
        }
        Action::Tick(now) => on_tick(app, now),
        Action::StoreDown(detail) => {
            super::store_down::on_down(app, detail);
            Vec::new()
        }
        Action::StoreBack => super::store_down::on_back(app),
        Action::Fetched {
            id,
            result,
            calls_made,
        } => {
            app.calls_made = app.calls_made.max(calls_made);
            on_fetched(app, id, result)
        }
        Action::Peeked { id, fetched } => {
            // A peek for a row the selection has already left is not worth keeping.
            if keeps_report(app, &id) {
                let view = app.items.entry(id).or_default();
                if view.last_ok.is_none() {
                    view.last_ok = Some(fetched);
                }
            }
            Vec::new()
        }
        Action::Progress(event) => {
            on_progress(app, event);
            Vec::new()
        }
        Action::WatchlistLoaded { entries, read_only } => {
            app.watch.entries = entries;
            app.watch.read_only = read_only;
            resort(app);
            vec![Effect::LoadHistory]
        }
        Action::ConfigChanged(Ok(entries)) => {
            if app.watch.read_only.take().is_some() {
                set_status(
                    app,
                    Level::Info,
                    "the config file reads again: the watchlist can be changed".into(),
                );
            }
            // Changes made on screen and not saved yet are in flight to the file, and the list
            // it holds after saving them (merged under its lock) arrives with `WatchSaved`.
            if app.watch.unsaved == 0 {
                app.watch.entries = entries;
                resort(app);
            }
            vec![Effect::LoadHistory]
        }
        Action::TargetsChanged(targets) => {
            app.targets = targets;
            Vec::new()
        }
        Action::ConfigChanged(Err(why)) => {
            // The last good watchlist stays on screen, read-only, until the file is fixed.
            app.watch.read_only = Some(why);
            Vec::new()
        }
        Action::WatchSaved(saved) => {
            app.watch.unsaved = app.watch.unsaved.saturating_sub(1);
            match saved {
                Ok(entries) if app.watch.unsaved == 0 => {
                    app.watch.entries = entries;
                    resort(app);
                    return vec![Effect::LoadHistory];
                }
                Ok(_) => {}
                Err(message) => set_status(app, Level::Error, message),
            }
            Vec::new()
        }
        Action::Failed(message) => {
            set_status(app, Level::Error, message);
            Vec::new()
        }
        Action::HistoryLoaded(history) => {
            app.history = history;
            resort_later(app);
            Vec::new()
        }
        Action::RowsLoaded(rows) => {
            app.history.merge(rows);
            resort_later(app);
            Vec::new()
        }
        Action::Resolved { link, then, result } => on_resolved(app, link, then, result),
        Action::LookUp(ItemRef::Id(id)) => look_up_shown(app, id),
        Action::LookUp(ItemRef::Short(link)) => {
            app.focus = Focus::Recent;
            resolve(app, link, AfterResolve::LookUp)
        }
        Action::DailyTrend {
            id,
            result,
            calls_made,
        } => {
            app.calls_made = app.calls_made.max(calls_made);
            on_daily(app, id, result);
            Vec::new()
        }
        Action::Notice(notice) => on_notice(app, notice),
        Action::AlertsLoaded(Ok(alerts)) => {
            // The store has this session's alerts too, unless it could not keep them.
            if !alerts.is_empty() || app.alerts.is_empty() {
                app.alerts = alerts;
            }
            Vec::new()
        }
        Action::AlertsLoaded(Err(why)) => {
            set_status(
                app,
                Level::Warn,
                format!("alerts of other runs unavailable: {why}"),
            );
            Vec::new()
        }
        Action::Terminate => {
            app.quit = true;
            Vec::new()
        }
        Action::BalanceRead(result) => {
            let mut effects = account::on_balance(app, result);
            if std::mem::take(&mut app.account.refresh_waiting) {
                effects.extend(refresh_watchlist(app, "refreshing"));
            }
            effects
        }
        Action::BatchNoted(id) => {
            if let Some(batch) = &mut app.account.batch {
                batch.noted = Some(id);
            }
            Vec::new()
        }
        Action::PriceKnown { price, shared } => {
            app.account.price = price;
            if shared {
                set_status(
                    app,
                    Level::Warn,
                    "refresh cost unknown: another xingtu-dash made calls on the account at the same time".into(),
                );
            }
            Vec::new()
        }
    }
}

pub(super) fn set_status(app: &mut App, level: Level, text: String) {
    app.status = Some(Status { text, level });
}

#[cfg(test)]
mod tests {
    use crossterm::event::KeyCode;

    use super::*;
    use crate::app::action::{Action, Effect};
    use crate::app::state::Focus;
    use crate::app::update::testing::{ID, app, id, key, type_text, watch};
    use crate::store::config::WatchEntry;

    #[test]
    fn an_unreadable_config_turns_every_lookup_off() {
        let mut app = app();
        update(
            &mut app,
            Action::WatchlistLoaded {
                entries: vec![],
                read_only: Some("config.toml:1:2: bad".into()),
            },
        );
        type_text(&mut app, ID);
        let fetches = |effects: Vec<Effect>| {
            effects
                .iter()
                .filter(|e| matches!(e, Effect::Fetch { .. }))
                .count()
        };
        assert_eq!(fetches(update(&mut app, key(KeyCode::Enter))), 0);
        assert!(app.status.as_ref().unwrap().text.contains("lookups off"));
        app.shown = Some(id(ID));
        app.focus = Focus::Recent;
        assert_eq!(fetches(update(&mut app, key(KeyCode::Char('r')))), 0);
        app.watch.entries = vec![WatchEntry::new(id(ID))];
        assert_eq!(fetches(update(&mut app, key(KeyCode::Char('R')))), 0);
        app.refresh_every = Some(chrono::Duration::minutes(5));
        let later = app.now + chrono::Duration::hours(1);
        assert_eq!(fetches(update(&mut app, Action::Tick(later))), 0);
    }

    #[test]
    fn config_changes_merge_and_a_broken_file_keeps_the_last_good_list() {
        let mut app = app();
        watch(&mut app, &[ID]);
        let other = WatchEntry::new(id("7566200471448779599"));
        let broken = update(
            &mut app,
            Action::ConfigChanged(Err("config.toml:3:1: bad".into())),
        );
        assert!(broken.is_empty());
        assert_eq!(app.watch.entries.len(), 1, "the last good list stays");
        assert!(app.has_banner());

        let mut both = app.watch.entries.clone();
        both.push(other.clone());
        let effects = update(&mut app, Action::ConfigChanged(Ok(both.clone())));
        assert_eq!(effects, vec![Effect::LoadHistory]);
        assert!(app.watch.read_only.is_none() && !app.has_banner());
        assert_eq!(app.watch.entries, both);

        // A change made on screen and not saved yet is not overwritten by the file's list.
        app.watch.unsaved = 1;
        update(&mut app, Action::ConfigChanged(Ok(vec![other])));
        assert_eq!(app.watch.entries, both);
    }
}
