//! `xingtu-dash` with no command: the full-screen dashboard.

use std::process::ExitCode;
use std::sync::Arc;

use chrono::Utc;
use tokio::sync::mpsc;

use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, exit};
use crate::api::demo::EXAMPLE_ID;
use crate::app::state::{Focus, Level, Status};
use crate::app::{Action, App, Effect};
use crate::fetcher::Freshness;
use crate::item_id::{ItemId, ItemRef};
use crate::platform::{Desktop, Platform};
use crate::runtime::{self, HistorySource, Services};
use crate::session::Session;
use crate::settings::{Settings, refresh_interval};
use crate::terminal::Guard;

/// `open_on`: a video given on the command line, looked up at once as if typed.
pub async fn run(settings: &Settings, open_on: Option<ItemRef>) -> ExitCode {
    let (progress_tx, progress_rx) = mpsc::unbounded_channel();
    let concurrency = settings.concurrency(None);
    let (stored_tx, stored_rx) = mpsc::unbounded_channel();
    let mut session = match Session::open_with_events(
        settings,
        concurrency,
        Some(progress_tx),
        Some(stored_tx),
    ) {
        Ok(s) => s,
        Err(e) => {
            super::error(e);
            return exit(EXIT_USAGE);
        }
    };
    let (app, initial) = initial_state(settings, open_on);
    let mut services = services(settings, &session, Arc::new(Desktop), Some(stored_rx));
    services.notices = session.take_notices();

    let mut guard = match Guard::enter(app.mouse) {
        Ok(g) => g,
        Err(e) => {
            super::error(crate::t!("cli-dashboard-terminal", error = e.to_string()));
            return exit(EXIT_FAILED);
        }
    };
    let (input_tx, input_rx) = mpsc::unbounded_channel();
    services.tasks = vec![
        runtime::spawn_input_task(input_tx.clone()),
        runtime::spawn_signal_task(input_tx),
    ];
    // A dashboard that no longer saves what it fetches must not look as if it did.
    if let Some(crashed) = session.take_crash_signal() {
        services.tasks.push(tokio::spawn(async move {
            if let Ok(message) = crashed.await {
                std::panic::resume_unwind(Box::new(format!("saving results: {message}")));
            }
        }));
    }
    let outcome = runtime::run(
        &mut guard.terminal,
        app,
        services,
        input_rx,
        progress_rx,
        initial,
    )
    .await;
    drop(guard);

    session.finish().await.iter().for_each(super::warning);
    match outcome {
        Ok(_) => exit(EXIT_OK),
        Err(e) => {
            super::error(e);
            exit(EXIT_FAILED)
        }
    }
}

/// What the event loop works with: the session's fetcher, and the user's files unless this
/// is the demo.
/// `stored`: the ids of each batch the session stores (see `Session::open_with_events`).
pub fn services(
    settings: &Settings,
    session: &Session,
    platform: Arc<dyn Platform>,
    stored: Option<mpsc::UnboundedReceiver<Vec<String>>>,
) -> Services {
    Services {
        fetcher: session.fetcher(),
        watch_store: (!settings.demo).then(|| settings.config_file()),
        history: if settings.demo {
            HistorySource::Demo
        } else {
            HistorySource::Db(settings.store())
        },
        platform,
        tasks: Vec::new(),
        resolver: Arc::new(crate::session::resolver(settings)),
        stored,
        changes: if settings.demo {
            None
        } else {
            crate::store::follow_changes(&settings.store())
        },
        notices: None,
    }
}

/// The dashboard as it opens, and the effects that fill it: cached reports of watched items
/// (never a call), history, and in demo mode the provider's example.
pub fn initial_state(settings: &Settings, open_on: Option<ItemRef>) -> (App, Vec<Effect>) {
    let now = Utc::now();
    let mut app = App::new(now, settings.number_style);
    app.demo = settings.demo;
    app.resolve_off = settings.links.off.clone();
    app.keys = Arc::new(settings.config.keys.clone());
    app.targets = settings.config.targets.clone();
    app.mouse = settings.config.ui.mouse.unwrap_or(true);
    app.bell = settings.config.alerts.bell.unwrap_or(true);
    app.color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    app.request_timeout =
        chrono::Duration::from_std(settings.timeout).unwrap_or(app.request_timeout);
    app.stale_after = settings.cache_window();
    app.stop_after_days = settings.config.watch.stop_after_days;
    app.account.enabled = !settings.demo
        && settings.config_error.is_none()
        && settings.config.api.show_balance != Some(false);
    let mut notes: Vec<String> = settings.warnings.clone();
    if let Some(raw) = &settings.config.watch.refresh_interval {
        match refresh_interval(raw) {
            Ok((every, note)) => {
                app.refresh_every = Some(every);
                app.last_auto_refresh = Some(now);
                notes.extend(note);
            }
            Err(e) => notes.push(e),
        }
    }
    if settings.demo {
        app.watch.entries = crate::app::demo_history::watchlist(Some(now));
    } else {
        app.watch.entries = settings.config.watchlist.clone();
        app.watch.read_only = settings.config_error.clone();
    }
    if !app.watch.entries.is_empty() {
        app.focus = Focus::Watchlist;
    }
    // Watched rows come from the store's compact rows (the history load below), never a
    // call; the demo's cost nothing, so it fetches them all.
    let mut effects: Vec<Effect> = Vec::new();
    if settings.demo {
        for id in app.watch.entries.iter().map(|e| e.item_id.clone()) {
            app.items.entry(id.clone()).or_default().in_flight = true;
            effects.push(Effect::Fetch {
                id,
                freshness: Freshness::CacheOk,
            });
        }
    }
    let mut actions = vec![Action::WatchlistLoaded {
        entries: std::mem::take(&mut app.watch.entries),
        read_only: app.watch.read_only.clone(),
    }];
    actions.extend(open_on.map(Action::LookUp));
    if settings.demo
        && let Ok(id) = ItemId::parse(EXAMPLE_ID)
    {
        app.recent.push(id.clone());
        app.shown = Some(id.clone());
    }
    for action in actions.drain(..) {
        effects.extend(crate::app::update(&mut app, action));
    }
    if app.account.enabled {
        effects.extend(crate::app::account::request_read(&mut app));
        effects.push(Effect::LoadPrice);
    }
    // Open on the first watched item's cached report rather than on empty panes.
    if app.shown.is_none() {
        app.shown = app.selected_watch_id();
        if !settings.demo
            && let Some(id) = &app.shown
        {
            effects.push(Effect::Peek(id.clone()));
        }
    }
    if let Some(first) = notes.first() {
        app.status = Some(Status {
            text: first.clone(),
            level: Level::Warn,
        });
    }
    (app, effects)
}
