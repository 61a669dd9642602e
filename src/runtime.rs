//! The dashboard's event loop. Terminal input arrives on one channel (an input task in the
//! real app, a script in tests), results of network and disk work on another; each action
//! goes through `update`, the effects it returns are started as tasks, and a frame is drawn
//! only after the queue is drained — so a burst of events costs one frame, an idle dashboard
//! draws about once a second, and nothing ever waits for the network.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use futures_util::StreamExt;
use ratatui::Terminal;
use ratatui::backend::Backend;
use tokio::sync::mpsc;
use tokio::task::{JoinHandle, JoinSet};
use tokio::time::Instant;

use crate::app::state::HistoryView;
use crate::app::{Action, App, Effect, WatchOp, settle, update};
use crate::fetcher::{FetchEvent, Fetcher};
use crate::platform::Platform;
use crate::shortlink::Resolver;
use crate::store::config::ConfigFile;
use crate::store::history::History;
use crate::ui;

const ANIMATION_TICK: Duration = Duration::from_millis(80);
const IDLE_TICK: Duration = Duration::from_secs(1);
/// How often the history database is checked for snapshots written by another process.
const HISTORY_POLL: Duration = Duration::from_secs(5);
const SPARK_POINTS: usize = 24;

/// Where metric history comes from.
pub enum HistorySource {
    Db(PathBuf),
    /// Demo mode: synthetic snapshots, nothing read from or written to the user's files.
    Demo,
}

/// What effects need to reach the outside world.
pub struct Services {
    pub fetcher: Arc<Fetcher>,
    /// Where watchlist changes are saved; `None` in demo mode.
    pub watch_store: Option<ConfigFile>,
    pub history: HistorySource,
    pub platform: Arc<dyn Platform>,
    /// Tasks the dashboard depends on that run beside it (terminal input, signals): if one
    /// panics, the run ends with the panic's message, like a panic of its own tasks.
    pub tasks: Vec<JoinHandle<()>>,
    /// Short links: free requests to Douyin's short-link host, or off.
    pub resolver: Arc<Resolver>,
}

struct HistoryWorker {
    source: HistorySource,
    db: Option<History>,
    marker: Option<i64>,
}

/// Carries effects out: each becomes a task whose result comes back as an action.
struct Shell {
    fetcher: Arc<Fetcher>,
    /// Watchlist changes, written in order by one worker (two saves racing for the file's
    /// lock could otherwise land an add after the remove that followed it).
    saves: Option<std::sync::mpsc::Sender<WatchOp>>,
    platform: Arc<dyn Platform>,
    resolver: Arc<Resolver>,
    history: Arc<Mutex<HistoryWorker>>,
    tx: mpsc::UnboundedSender<Action>,
    /// A history load is running; loads asked for meanwhile collapse into one more
    /// (`history_again`), so a burst of 1,000 results costs two reads, not 1,000.
    history_busy: Arc<std::sync::atomic::AtomicBool>,
    history_again: std::sync::atomic::AtomicBool,
    /// Every task started for an effect, and the `Services::tasks`. A panic in any of them
    /// ends the run: a dashboard whose fetches or history loads silently died would look
    /// alive and do nothing (and the panic hook has already given the terminal back).
    tasks: JoinSet<()>,
}

pub async fn run<B: Backend>(
    terminal: &mut Terminal<B>,
    mut app: App,
    services: Services,
    mut input: mpsc::UnboundedReceiver<Action>,
    mut progress: mpsc::UnboundedReceiver<FetchEvent>,
    initial: Vec<Effect>,
) -> Result<App, String> {
    let (tx, mut results) = mpsc::unbounded_channel::<Action>();
    let (saves, mut save_worker) = match services.watch_store {
        Some(store) => {
            let (queue, worker) = spawn_save_worker(store, tx.clone());
            (Some(queue), Some(worker))
        }
        None => (None, None),
    };
    let mut shell = Shell {
        fetcher: services.fetcher,
        saves,
        platform: services.platform,
        resolver: services.resolver,
        history: Arc::new(Mutex::new(HistoryWorker {
            source: services.history,
            db: None,
            marker: None,
        })),
        tx,
        history_busy: Arc::new(std::sync::atomic::AtomicBool::new(false)),
        history_again: std::sync::atomic::AtomicBool::new(false),
        tasks: JoinSet::new(),
    };
    for task in services.tasks {
        shell.tasks.spawn(async move {
            if let Err(e) = task.await
                && e.is_panic()
            {
                // Re-raised here so the join below reports it; the hook does not run twice.
                std::panic::resume_unwind(e.into_panic());
            }
        });
    }
    if let Ok(size) = terminal.size() {
        update(&mut app, Action::Resize(size.width, size.height));
    }
    shell.execute_all(initial, &app);

    let mut next_tick = Instant::now();
    let mut next_poll = Instant::now() + HISTORY_POLL;
    loop {
        terminal
            .draw(|frame| ui::render(&app, frame))
            .map_err(|e| format!("drawing failed: {e}"))?;
        if app.quit {
            break;
        }
        // A task that ends is no reason to draw; one that panicked ends the run.
        let action = loop {
            tokio::select! {
                Some(a) = input.recv() => break Some(a),
                Some(a) = results.recv() => break Some(a),
                Some(event) = progress.recv() => break Some(Action::Progress(event)),
                Some(joined) = shell.tasks.join_next() => check_task(joined)?,
                joined = wait_for(&mut save_worker), if save_worker.is_some() => {
                    save_worker = None;
                    check_task(joined)?;
                }
                _ = tokio::time::sleep_until(next_tick) => {
                    let period = if app.animating() { ANIMATION_TICK } else { IDLE_TICK };
                    next_tick = Instant::now() + period;
                    if Instant::now() >= next_poll {
                        next_poll = Instant::now() + HISTORY_POLL;
                        shell.load_history(&app, true);
                    }
                    break Some(Action::Tick(Utc::now()));
                }
                else => break None,
            }
        };
        let Some(action) = action else { break };
        let mut effects = update(&mut app, action);
        // Drain whatever else is queued before drawing again.
        loop {
            let next = input
                .try_recv()
                .or_else(|_| results.try_recv())
                .or_else(|_| progress.try_recv().map(Action::Progress));
            match next {
                Ok(a) => effects.extend(update(&mut app, a)),
                Err(_) => break,
            }
        }
        settle(&mut app);
        if app.animating() {
            next_tick = next_tick.min(Instant::now() + ANIMATION_TICK);
        }
        shell.execute_all(effects, &app);
        shell.load_history_if_asked(&app);
    }
    // Quitting waits for the watchlist changes already made, so none made just before `q`
    // is lost.
    drop(shell);
    if let Some(worker) = save_worker {
        check_task(worker.await)?;
    }
    Ok(app)
}

/// An error when the task panicked (its message), else nothing.
fn check_task(joined: Result<(), tokio::task::JoinError>) -> Result<(), String> {
    match joined {
        Err(e) if e.is_panic() => {
            let message = crate::logging::panic_message(e.into_panic().as_ref());
            tracing::error!("a background task panicked: {message}");
            Err(format!(
                "internal error, the dashboard stopped: a background task panicked: {message}"
            ))
        }
        // Cancelled when the run ends: nothing went wrong.
        _ => Ok(()),
    }
}

async fn wait_for(task: &mut Option<JoinHandle<()>>) -> Result<(), tokio::task::JoinError> {
    match task {
        Some(t) => t.await,
        None => std::future::pending().await,
    }
}

impl Shell {
    fn execute_all(&mut self, effects: Vec<Effect>, app: &App) {
        // One batch can ask for the same thing twice (two keys before a frame); history is
        // loaded once for the whole batch.
        let mut history_wanted = false;
        let mut done: Vec<Effect> = Vec::new();
        for effect in effects {
            match effect {
                Effect::LoadHistory => history_wanted = true,
                other if !done.contains(&other) => {
                    done.push(other.clone());
                    self.execute(other);
                }
                _ => {}
            }
        }
        if history_wanted {
            self.load_history(app, false);
        }
    }

    fn execute(&mut self, effect: Effect) {
        let tx = &self.tx;
        match effect {
            Effect::Fetch { id, freshness } => {
                let fetcher = Arc::clone(&self.fetcher);
                let tx = tx.clone();
                self.tasks.spawn(async move {
                    let result = fetcher.fetch(&id, freshness).await;
                    let calls_made = fetcher.calls_made();
                    let _ = tx.send(Action::Fetched {
                        id,
                        result,
                        calls_made,
                    });
                });
            }
            Effect::Peek(id) => {
                if let Some(fetched) = self.fetcher.cached_any(&id) {
                    let _ = tx.send(Action::Peeked { id, fetched });
                }
            }
            Effect::ClearHalt => self.fetcher.clear_halt(),
            Effect::StopCalls => self.fetcher.stop(),
            Effect::OpenUrl(url) => {
                if let Err(e) = self.platform.open_url(&url) {
                    let _ = tx.send(Action::Failed(e));
                }
            }
            Effect::Copy(text) => {
                if let Err(e) = self.platform.copy(&text) {
                    let _ = tx.send(Action::Failed(e));
                }
            }
            Effect::Watch(op) => self.save_watch(op),
            Effect::Resolve { link, then } => {
                let resolver = Arc::clone(&self.resolver);
                let tx = tx.clone();
                tokio::spawn(async move {
                    let result = resolver.resolve_link(&link).await;
                    for warning in resolver.take_warnings() {
                        let _ = tx.send(Action::Failed(warning));
                    }
                    let _ = tx.send(Action::Resolved { link, then, result });
                });
            }
            Effect::LoadHistory => {}
        }
    }

    fn save_watch(&self, op: WatchOp) {
        let Some(saves) = &self.saves else {
            // Demo mode: nothing is written, and nothing is pending.
            let _ = self.tx.send(Action::WatchSaved(Err(
                "demo mode: watchlist changes are not saved".into(),
            )));
            return;
        };
        if saves.send(op).is_err() {
            let _ = self.tx.send(Action::WatchSaved(Err(
                "the watchlist change was not saved: the writer stopped (it is kept for this session)".into(),
            )));
        }
    }

    /// Starts the history load that was asked for while another was running, once that one
    /// is done.
    fn load_history_if_asked(&mut self, app: &App) {
        use std::sync::atomic::Ordering;
        if !self.history_busy.load(Ordering::Acquire)
            && self.history_again.swap(false, Ordering::AcqRel)
        {
            self.load_history(app, false);
        }
    }

    /// Loads what the watchlist and the trend chart need. With `only_if_changed`, first
    /// checks the database's change marker, so polling costs one cheap query.
    fn load_history(&mut self, app: &App, only_if_changed: bool) {
        use std::sync::atomic::Ordering;
        if self.history_busy.swap(true, Ordering::AcqRel) {
            if !only_if_changed {
                self.history_again.store(true, Ordering::Release);
            }
            return;
        }
        let busy = Arc::clone(&self.history_busy);
        let ids: Vec<String> = app
            .watch
            .entries
            .iter()
            .map(|e| e.item_id.clone())
            .collect();
        let shown = app.shown.clone();
        let now = app.now;
        let history = Arc::clone(&self.history);
        let tx = self.tx.clone();
        self.tasks.spawn_blocking(move || {
            let view = {
                let mut worker = history
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                worker.read(&ids, shown.as_ref(), now, only_if_changed)
            };
            busy.store(false, Ordering::Release);
            if let Some(view) = view {
                let _ = tx.send(Action::HistoryLoaded(view));
            }
        });
    }
}

impl HistoryWorker {
    /// The history view, or `None` when polling found nothing new.
    fn read(
        &mut self,
        ids: &[String],
        shown: Option<&crate::item_id::ItemId>,
        now: chrono::DateTime<Utc>,
        only_if_changed: bool,
    ) -> Option<HistoryView> {
        let path = match &self.source {
            HistorySource::Demo if only_if_changed => return None,
            HistorySource::Demo => return Some(crate::api::demo::history_view(ids, shown, now)),
            HistorySource::Db(path) => path,
        };
        if self.db.is_none() {
            match History::open(path) {
                Ok(db) => self.db = Some(db),
                Err(e) if only_if_changed => {
                    tracing::debug!("history unavailable: {e}");
                    return None;
                }
                Err(e) => {
                    return Some(HistoryView {
                        error: Some(e.to_string()),
                        ..HistoryView::default()
                    });
                }
            }
        }
        let db = self.db.as_ref()?;
        let marker = db.change_marker().ok();
        if only_if_changed && marker == self.marker {
            return None;
        }
        self.marker = marker;
        Some(read_view(db, ids, shown))
    }
}

/// Saves watchlist changes one after another, each under the config file's lock and after
/// re-reading it, and sends back the list as the file then holds it.
fn spawn_save_worker(
    store: ConfigFile,
    tx: mpsc::UnboundedSender<Action>,
) -> (std::sync::mpsc::Sender<WatchOp>, JoinHandle<()>) {
    let (queue, ops) = std::sync::mpsc::channel::<WatchOp>();
    let worker = tokio::task::spawn_blocking(move || {
        for op in ops {
            let saved = match &op {
                WatchOp::Add { id, label } => store
                    .add_watch(id.as_str(), label.as_deref(), Utc::now())
                    .map(|_| ()),
                WatchOp::AddAll(ids) => {
                    let entries: Vec<(&str, Option<&str>)> =
                        ids.iter().map(|id| (id.as_str(), None)).collect();
                    store.add_watches(&entries, Utc::now()).map(|_| ())
                }
                WatchOp::Remove(id) => store.remove_watch(id.as_str()).map(|_| ()),
                WatchOp::Label { id, label } => {
                    store.set_label(id.as_str(), label.as_deref()).map(|_| ())
                }
            };
            let result = saved
                .and_then(|_| store.load())
                .map(|config| config.watchlist)
                .map_err(|e| {
                    format!("the watchlist change was not saved: {e} (it is kept for this session)")
                });
            let _ = tx.send(Action::WatchSaved(result));
        }
    });
    (queue, worker)
}

fn read_view(db: &History, ids: &[String], shown: Option<&crate::item_id::ItemId>) -> HistoryView {
    let mut view = HistoryView::default();
    let mut wanted: Vec<String> = ids.to_vec();
    if let Some(id) = shown {
        wanted.push(id.to_string());
    }
    let result = (|| -> Result<(), crate::store::history::HistoryError> {
        view.latest = db.latest_pairs(&wanted)?;
        view.sparks = db.recent_views(&wanted, SPARK_POINTS)?;
        if let Some(id) = shown {
            view.series = Some((id.clone(), db.series(id.as_str(), None)?));
        }
        Ok(())
    })();
    if let Err(e) = result {
        view.error = Some(e.to_string());
    }
    view
}

/// Turns terminal events into actions until the receiver is gone.
pub fn spawn_input_task(tx: mpsc::UnboundedSender<Action>) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut events = crossterm::event::EventStream::new();
        while let Some(event) = events.next().await {
            let action = match event {
                Ok(crossterm::event::Event::Key(k)) => Action::Key(k),
                Ok(crossterm::event::Event::Paste(s)) => Action::Paste(s),
                Ok(crossterm::event::Event::Mouse(m)) => Action::Mouse(m),
                Ok(crossterm::event::Event::Resize(w, h)) => Action::Resize(w, h),
                Ok(_) => continue,
                Err(e) => {
                    tracing::error!("terminal input failed: {e}");
                    Action::Terminate
                }
            };
            if tx.send(action).is_err() {
                break;
            }
        }
    })
}

/// SIGTERM, SIGHUP and SIGINT end the dashboard cleanly (the guard restores the terminal).
pub fn spawn_signal_task(tx: mpsc::UnboundedSender<Action>) -> JoinHandle<()> {
    tokio::spawn(async move {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let (Ok(mut term), Ok(mut hup), Ok(mut int)) = (
                signal(SignalKind::terminate()),
                signal(SignalKind::hangup()),
                signal(SignalKind::interrupt()),
            ) else {
                return;
            };
            tokio::select! {
                _ = term.recv() => {}
                _ = hup.recv() => {}
                _ = int.recv() => {}
            }
            let _ = tx.send(Action::Terminate);
        }
        #[cfg(not(unix))]
        drop(tx);
    })
}
