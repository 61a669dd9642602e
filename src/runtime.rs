//! The dashboard's event loop. Terminal input arrives on one channel (an input task in the
//! real app, a script in tests), results of network and disk work on another; each action
//! goes through `update`, the effects it returns are started as tasks, and a frame is drawn
//! only after the queue is drained — so a burst of events costs one frame, an idle dashboard
//! draws about once a second, and nothing ever waits for the network.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use futures_util::StreamExt;
use ratatui::Terminal;
use ratatui::backend::Backend;
use tokio::sync::mpsc;
use tokio::task::{JoinHandle, JoinSet};
use tokio::time::Instant;

use crate::alerts::command::Notice;
use crate::app::state::{HistoryView, RowText, SPARK_POINTS};
use crate::app::{Action, App, Effect, WatchOp, settle, update};
use crate::fetcher::{FetchEvent, Fetcher};
use crate::item_id::ItemId;
use crate::platform::Platform;
use crate::shortlink::Resolver;
use crate::store::config::{ConfigError, ConfigFile, SharedKeys};
use crate::store::{self, ItemRow, Store, StoreLocation};
use crate::t;
use crate::trend::StoredTrend;
use crate::ui;

const ANIMATION_TICK: Duration = Duration::from_millis(80);
const IDLE_TICK: Duration = Duration::from_secs(1);
/// How often a store that does not tell of changes (SQLite) is checked for snapshots written
/// by another process.
const HISTORY_POLL: Duration = Duration::from_secs(5);
/// How often the config file's size and modification time are compared, so a change made
/// elsewhere (`watch add` in a shell, cron, an editor) shows within 2 s.
const CONFIG_POLL: Duration = Duration::from_secs(1);
/// Rows per message of a full history load (about 40 ms of reading each).
const FULL_LOAD_CHUNK: usize = 1_000;

/// Where metric history comes from.
pub enum HistorySource {
    Db(StoreLocation),
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
    /// The ids of each batch of results once stored (their rows are reloaded at once).
    pub stored: Option<mpsc::UnboundedReceiver<Vec<String>>>,
    /// Fetches stored by any process, as the store tells of them (PostgreSQL's `NOTIFY`);
    /// `None`: the store is polled for them instead (SQLite).
    pub changes: Option<mpsc::UnboundedReceiver<store::StoreChange>>,
    /// Tasks the dashboard depends on that run beside it (terminal input, signals): if one
    /// panics, the run ends with the panic's message, like a panic of its own tasks.
    pub tasks: Vec<JoinHandle<()>>,
    /// Short links: free requests to Douyin's short-link host, or off.
    pub resolver: Arc<Resolver>,
    /// Alerts fired after this dashboard's fetches were stored, and failed alert commands.
    pub notices: Option<mpsc::UnboundedReceiver<Notice>>,
}

struct HistoryWorker {
    source: HistorySource,
    db: Option<Box<dyn Store>>,
    marker: i64,
}

/// What a history load reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Load {
    /// Every watched row, and the series of the item on screen.
    Full,
    /// The row and series of the item on screen.
    Series,
    /// The rows of items stored since the last load (by anyone).
    Changed,
}

impl Load {
    const ALL: [Load; 3] = [Load::Full, Load::Series, Load::Changed];
}

/// The config file as last seen: a change in size or modification time means a re-read.
#[derive(Debug, Clone, PartialEq)]
struct FileStamp(Option<(u64, std::time::SystemTime)>);

impl FileStamp {
    fn of(path: &std::path::Path) -> FileStamp {
        FileStamp(
            std::fs::metadata(path)
                .ok()
                .map(|m| (m.len(), m.modified().unwrap_or(std::time::UNIX_EPOCH))),
        )
    }
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
    /// Where daily series are read and stored; `None` in demo mode (nothing is kept).
    daily_db: Option<StoreLocation>,
    tx: mpsc::UnboundedSender<Action>,
    /// A history load is running; loads asked for meanwhile collapse into one more of each
    /// kind (`history_again`), so a burst of 1,000 results costs two reads, not 1,000.
    history_busy: Arc<AtomicBool>,
    history_again: [AtomicBool; 3],
    /// The config file whose watchlist the dashboard follows, and how it last looked.
    config: Option<(ConfigFile, Mutex<FileStamp>)>,
    config_busy: Arc<AtomicBool>,
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
    let config = services.watch_store.as_ref().map(|file| {
        let stamp = FileStamp::of(file.path());
        (file.clone(), Mutex::new(stamp))
    });
    let (saves, mut save_worker) = match services.watch_store {
        Some(store) => {
            let (queue, worker) = spawn_save_worker(store, tx.clone());
            (Some(queue), Some(worker))
        }
        None => (None, None),
    };
    let mut stored = services.stored;
    let mut changes = services.changes;
    // A store that tells of changes is never polled for them.
    let polled = changes.is_none();
    let mut notices = services.notices;
    let daily_db = match &services.history {
        HistorySource::Db(path) => Some(path.clone()),
        HistorySource::Demo => None,
    };
    let mut shell = Shell {
        daily_db,
        fetcher: services.fetcher,
        saves,
        platform: services.platform,
        resolver: services.resolver,
        history: Arc::new(Mutex::new(HistoryWorker {
            source: services.history,
            db: None,
            marker: 0,
        })),
        tx,
        history_busy: Arc::new(AtomicBool::new(false)),
        history_again: Default::default(),
        config,
        config_busy: Arc::new(AtomicBool::new(false)),
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
    let mut next_config_poll = Instant::now() + CONFIG_POLL;
    // The loop ends by quitting or by an error (a terminal gone away fails the draw); what
    // follows it runs either way.
    let outcome: Result<(), String> = async {
        loop {
            terminal
                .draw(|frame| ui::render(&app, frame))
                .map_err(|e| t!("ui-run-drawing-failed", error = e.to_string()))?;
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
                    Some(notice) = recv_notice(&mut notices) => break Some(Action::Notice(notice)),
                    Some(_) = recv_stored(&mut stored) => {
                        // Collapse a burst of stored batches into one load of what changed.
                        while let Some(Ok(_)) = stored.as_mut().map(|s| s.try_recv()) {}
                        shell.load_history(&app, Load::Changed);
                    }
                    Some(change) = recv_change(&mut changes) => match change {
                        store::StoreChange::Stored => shell.load_history(&app, Load::Changed),
                        store::StoreChange::Lost(why) => break Some(Action::StoreDown(why)),
                        // Back, everything is read afresh (see `store_down::on_back`).
                        store::StoreChange::Back => break Some(Action::StoreBack),
                    },
                    _ = tokio::time::sleep_until(next_tick) => {
                        let period = if app.animating() { ANIMATION_TICK } else { IDLE_TICK };
                        next_tick = Instant::now() + period;
                        if polled && Instant::now() >= next_poll {
                            next_poll = Instant::now() + HISTORY_POLL;
                            shell.load_history(&app, Load::Changed);
                        }
                        if Instant::now() >= next_config_poll {
                            next_config_poll = Instant::now() + CONFIG_POLL;
                            shell.follow_config();
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
        Ok(())
    }
    .await;
    // A refresh still being measured is closed in the store, so other processes do not
    // take it for one still running.
    if let Some(batch) = &app.account.batch
        && let Some(id) = batch.noted
    {
        let mut worker = shell
            .history
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(store) = worker.store()
            && let Err(e) = store.finish_batch(id, Utc::now(), app.answers - batch.answers_before)
        {
            tracing::warn!("refresh note not closed: {e}");
        }
    }
    outcome?;
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
            Err(t!("ui-run-task-panicked", message = message))
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
        let mut history_wanted = None;
        let mut done: Vec<Effect> = Vec::new();
        for effect in effects {
            match effect {
                Effect::LoadHistory => history_wanted = Some(Load::Full),
                Effect::LoadSeries => {
                    history_wanted = history_wanted.or(Some(Load::Series));
                }
                other if !done.contains(&other) => {
                    done.push(other.clone());
                    self.execute(other);
                }
                _ => {}
            }
        }
        if let Some(load) = history_wanted {
            self.load_history(app, load);
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
                self.tasks.spawn(async move {
                    let result = resolver.resolve_link(&link).await;
                    for warning in resolver.take_warnings() {
                        let _ = tx.send(Action::Failed(warning));
                    }
                    let _ = tx.send(Action::Resolved { link, then, result });
                });
            }
            Effect::FetchDaily { id, refresh } => {
                let fetcher = Arc::clone(&self.fetcher);
                let db = self.daily_db.clone();
                let tx = tx.clone();
                self.tasks.spawn(async move {
                    let result = daily_trend(&fetcher, db, &id, refresh).await;
                    let calls_made = fetcher.calls_made();
                    let _ = tx.send(Action::DailyTrend {
                        id,
                        result,
                        calls_made,
                    });
                });
            }
            Effect::Bell => {
                if let Err(e) = self.platform.bell() {
                    tracing::debug!("bell: {e}");
                }
            }
            Effect::LoadAlerts => {
                let Some(path) = self.daily_db.clone() else {
                    return;
                };
                let tx = tx.clone();
                self.tasks.spawn_blocking(move || {
                    let alerts = store::open_db(&path)
                        .and_then(|db| db.recent_alerts(crate::app::update::ALERTS_KEPT))
                        .map_err(|e| e.to_string());
                    let _ = tx.send(Action::AlertsLoaded(alerts));
                });
            }
            Effect::ReadBalance => {
                let fetcher = Arc::clone(&self.fetcher);
                let tx = tx.clone();
                self.tasks.spawn(async move {
                    let result = fetcher.balance().await.map_err(|e| e.to_string());
                    let _ = tx.send(Action::BalanceRead(result));
                });
            }
            Effect::LoadPrice | Effect::BeginBatch | Effect::FinishBatch { .. } => {
                self.account_in_store(effect);
            }
            Effect::TryStore => {
                let history = Arc::clone(&self.history);
                let tx = tx.clone();
                self.tasks.spawn_blocking(move || {
                    let answer = history
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .try_store();
                    let _ = tx.send(match answer {
                        Ok(()) => Action::StoreBack,
                        Err(why) => Action::StoreDown(why),
                    });
                });
            }
            Effect::LoadHistory | Effect::LoadSeries => {}
        }
    }

    /// Notes a measured refresh, keeps what it cost and reads the price per call, in the
    /// store (nothing in demo mode).
    fn account_in_store(&mut self, effect: Effect) {
        let history = Arc::clone(&self.history);
        let tx = self.tx.clone();
        self.tasks.spawn_blocking(move || {
            let mut worker = history
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let Some(store) = worker.store() else { return };
            let price = |store: &dyn Store| {
                store
                    .price_per_call()
                    .map_err(|e| tracing::warn!("price per call unavailable: {e}"))
                    .ok()
                    .flatten()
            };
            let action = match effect {
                Effect::BeginBatch => match store.begin_batch(Utc::now()) {
                    Ok(id) => Action::BatchNoted(id),
                    Err(e) => {
                        tracing::warn!("refresh not noted: {e}");
                        return;
                    }
                },
                Effect::FinishBatch {
                    id,
                    own_fetches,
                    learn,
                } => {
                    let shared = store
                        .finish_batch(id, Utc::now(), own_fetches)
                        .map_err(|e| tracing::warn!("refresh note not closed: {e}"))
                        .unwrap_or(false);
                    if let (false, Some((cost, calls, currency))) = (shared, learn)
                        && let Err(e) = store.learn_price(id, cost, calls, currency.as_deref())
                    {
                        tracing::warn!("price per call not kept: {e}");
                    }
                    Action::PriceKnown {
                        price: price(store),
                        shared,
                    }
                }
                _ => Action::PriceKnown {
                    price: price(store),
                    shared: false,
                },
            };
            let _ = tx.send(action);
        });
    }

    fn save_watch(&self, op: WatchOp) {
        let Some(saves) = &self.saves else {
            // Demo mode: nothing is written, and nothing is pending.
            let _ = self
                .tx
                .send(Action::WatchSaved(Err(t!("ui-run-demo-not-saved"))));
            return;
        };
        if saves.send(op).is_err() {
            let _ = self
                .tx
                .send(Action::WatchSaved(Err(t!("ui-run-writer-stopped"))));
        }
    }

    /// Starts the history loads that were asked for while another was running, once that
    /// one is done.
    fn load_history_if_asked(&mut self, app: &App) {
        if self.history_busy.load(Ordering::Acquire) {
            return;
        }
        for (i, load) in Load::ALL.into_iter().enumerate() {
            if self.history_again[i].swap(false, Ordering::AcqRel) {
                self.load_history(app, load);
                return;
            }
        }
    }

    /// Loads what the watchlist rows and the trend chart need, in the background.
    fn load_history(&mut self, app: &App, load: Load) {
        if self.history_busy.swap(true, Ordering::AcqRel) {
            let i = Load::ALL.iter().position(|l| *l == load).unwrap_or(0);
            self.history_again[i].store(true, Ordering::Release);
            return;
        }
        let busy = Arc::clone(&self.history_busy);
        // Only a full load needs every watched id: in display order from the first row on
        // screen, so the rows a person sees come first.
        let ids: Vec<String> = if load == Load::Full {
            let order = &app.watch.order;
            let start = app.watch.offset.min(order.len());
            order[start..]
                .iter()
                .chain(&order[..start])
                .filter_map(|i| app.watch.entries.get(*i))
                .map(|e| e.item_id.to_string())
                .collect()
        } else {
            Vec::new()
        };
        let shown = app.shown.clone();
        let now = app.now;
        let history = Arc::clone(&self.history);
        let tx = self.tx.clone();
        self.tasks.spawn_blocking(move || {
            {
                let mut worker = history
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                worker.read(load, &ids, shown.as_ref(), now, &mut |action| {
                    let _ = tx.send(action);
                });
            }
            busy.store(false, Ordering::Release);
        });
    }

    /// Re-reads the config file when its size or modification time moved, and hands the
    /// watchlist (or why it cannot be read) to the dashboard. Costs one `stat` per poll.
    fn follow_config(&mut self) {
        let Some((file, seen)) = &self.config else {
            return;
        };
        let now = FileStamp::of(file.path());
        {
            let mut seen = seen
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if *seen == now || self.config_busy.swap(true, Ordering::AcqRel) {
                return;
            }
            *seen = now;
        }
        let (file, busy, tx) = (file.clone(), Arc::clone(&self.config_busy), self.tx.clone());
        self.tasks.spawn_blocking(move || {
            let loaded = file.load();
            if let Ok(config) = &loaded {
                let _ = tx.send(Action::TargetsChanged(config.targets.clone()));
            }
            let loaded = loaded.map(|c| c.watchlist).map_err(|e| match e {
                // `file:line:column: problem`, so the place survives a narrow banner.
                ConfigError::Parse {
                    path,
                    line,
                    column,
                    message,
                } => format!("{}:{line}:{column}: {message}", path.display()),
                other => other.to_string(),
            });
            busy.store(false, Ordering::Release);
            let _ = tx.send(Action::ConfigChanged(loaded));
        });
    }
}

/// The stored daily series of `id` unless `refresh` (or none is stored), else one paid call,
/// whose answer is stored before it is shown. `fresh` is true for a call.
async fn daily_trend(
    fetcher: &Fetcher,
    db: Option<StoreLocation>,
    id: &ItemId,
    refresh: bool,
) -> Result<(StoredTrend, bool), crate::api::ApiError> {
    if !refresh && let Some(path) = db.clone() {
        let key = id.to_string();
        let stored = tokio::task::spawn_blocking(move || store::open_db(&path)?.trend(&key)).await;
        match stored {
            Ok(Ok(Some(trend))) => return Ok((trend, false)),
            Ok(Ok(None)) => {}
            Ok(Err(e)) => tracing::warn!("stored daily trend unreadable, calling: {e}"),
            Err(e) => tracing::warn!("reading the daily trend failed, calling: {e}"),
        }
    }
    let data = fetcher.fetch_trend(id).await?;
    let trend = StoredTrend {
        fetched_at: Utc::now(),
        days: crate::trend::parse(&data),
    };
    if let Some(path) = db {
        let (key, fetched_at, days) = (id.to_string(), trend.fetched_at, trend.days.clone());
        let saved = tokio::task::spawn_blocking(move || {
            store::open_db(&path)?.record_trend(&key, fetched_at, &days)
        })
        .await;
        match saved {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::warn!("daily trend of {id} not stored: {e}"),
            Err(e) => tracing::warn!("daily trend of {id} not stored: {e}"),
        }
    }
    Ok((trend, true))
}

async fn recv_notice(notices: &mut Option<mpsc::UnboundedReceiver<Notice>>) -> Option<Notice> {
    match notices {
        Some(rx) => rx.recv().await,
        None => std::future::pending().await,
    }
}

async fn recv_change(
    changes: &mut Option<mpsc::UnboundedReceiver<store::StoreChange>>,
) -> Option<store::StoreChange> {
    match changes {
        Some(rx) => rx.recv().await,
        None => std::future::pending().await,
    }
}

async fn recv_stored(
    stored: &mut Option<mpsc::UnboundedReceiver<Vec<String>>>,
) -> Option<Vec<String>> {
    match stored {
        Some(rx) => rx.recv().await,
        None => std::future::pending().await,
    }
}

impl HistoryWorker {
    /// Whether the store answers a read; a connection that failed is opened afresh.
    fn try_store(&mut self) -> Result<(), String> {
        let HistorySource::Db(path) = &self.source else {
            return Ok(());
        };
        let answered = match &self.db {
            Some(db) => db.change_marker().map(drop),
            None => store::open_db(path).map(|db| self.db = Some(db)),
        };
        answered.map_err(|e| {
            self.db = None;
            e.to_string()
        })
    }

    /// The user's store, opened on first use; `None` in demo mode or when it cannot open.
    fn store(&mut self) -> Option<&mut (dyn Store + 'static)> {
        let HistorySource::Db(path) = &self.source else {
            return None;
        };
        if self.db.is_none() {
            match store::open_db(path) {
                Ok(db) => self.db = Some(db),
                Err(e) => {
                    tracing::warn!("store unavailable: {e}");
                    return None;
                }
            }
        }
        self.db.as_deref_mut()
    }

    /// Sends what `load` read, if anything is new: a full load in chunks (the first replaces
    /// every row, the others add theirs), so on a long watchlist the rows on screen fill in
    /// at once and the rest follows.
    fn read(
        &mut self,
        load: Load,
        ids: &[String],
        shown: Option<&ItemId>,
        now: chrono::DateTime<Utc>,
        send: &mut dyn FnMut(Action),
    ) {
        if let Some(action) = self.read_part(load, ids, shown, now, send) {
            send(action);
        }
    }

    /// [`Self::read`], returning the last (or only) action instead of sending it.
    fn read_part(
        &mut self,
        load: Load,
        ids: &[String],
        shown: Option<&ItemId>,
        now: chrono::DateTime<Utc>,
        send: &mut dyn FnMut(Action),
    ) -> Option<Action> {
        let path = match &self.source {
            HistorySource::Demo => {
                return match load {
                    Load::Full => Some(Action::HistoryLoaded(
                        crate::app::demo_history::history_view(ids, shown, now),
                    )),
                    Load::Series => Some(Action::RowsLoaded(
                        crate::app::demo_history::history_view(&[], shown, now),
                    )),
                    Load::Changed => None,
                };
            }
            HistorySource::Db(path) => path,
        };
        if self.db.is_none() {
            match store::open_db(path) {
                Ok(db) => self.db = Some(db),
                Err(e) if load == Load::Changed => {
                    tracing::debug!("history unavailable: {e}");
                    return Some(Action::StoreDown(e.to_string()));
                }
                Err(e) => {
                    return Some(Action::HistoryLoaded(HistoryView {
                        error: Some(e.to_string()),
                        ..HistoryView::default()
                    }));
                }
            }
        }
        let db = self.db.as_deref()?;
        let result = match load {
            Load::Full => db.change_marker().and_then(|marker| {
                self.marker = marker;
                let mut chunks = ids.chunks(FULL_LOAD_CHUNK);
                let first = read_view(db, chunks.next().unwrap_or_default(), shown, true)?;
                send(Action::HistoryLoaded(first));
                for chunk in chunks {
                    send(Action::RowsLoaded(read_view(db, chunk, None, false)?));
                }
                Ok(HistoryView::default())
            }),
            Load::Series => read_view(db, &[], shown, true),
            Load::Changed => {
                let (marker, changed) = match db.changed_since(self.marker) {
                    Ok(c) => c,
                    Err(e) => {
                        tracing::debug!("history poll failed: {e}");
                        self.db = None;
                        return Some(Action::StoreDown(e.to_string()));
                    }
                };
                if changed.is_empty() {
                    return None;
                }
                self.marker = marker;
                let shown_changed =
                    shown.is_some_and(|id| changed.iter().any(|c| c == id.as_str()));
                read_view(db, &changed, shown.filter(|_| shown_changed), false)
            }
        };
        let view = result.unwrap_or_else(|e| HistoryView {
            error: Some(e.to_string()),
            ..HistoryView::default()
        });
        Some(match load {
            // Everything was sent; an error replaces the rows.
            Load::Full if view.error.is_none() => return None,
            Load::Full => Action::HistoryLoaded(view),
            Load::Series | Load::Changed => Action::RowsLoaded(view),
        })
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
                WatchOp::Add {
                    id,
                    label,
                    campaign,
                } => {
                    let shared = SharedKeys {
                        campaign: campaign.clone(),
                        price: None,
                    };
                    store
                        .add_watches(&[(id.as_str(), label.as_deref())], &shared, Utc::now())
                        .map(|_| ())
                }
                WatchOp::AddAll { ids, campaign } => {
                    let entries: Vec<(&str, Option<&str>)> =
                        ids.iter().map(|id| (id.as_str(), None)).collect();
                    let shared = SharedKeys {
                        campaign: campaign.clone(),
                        price: None,
                    };
                    store.add_watches(&entries, &shared, Utc::now()).map(|_| ())
                }
                WatchOp::Remove(id) => store.remove_watch(id.as_str()).map(|_| ()),
                WatchOp::Set { id, changes } => store.set_keys(id.as_str(), changes).map(|_| ()),
            };
            let result = saved
                .and_then(|_| store.load())
                .map(|config| config.watchlist)
                .map_err(|e| t!("ui-run-not-saved", error = e.to_string()));
            let _ = tx.send(Action::WatchSaved(result));
        }
    });
    (queue, worker)
}

/// The rows of `ids` and, with `shown`, that item's row and series. `with_shown_row` adds the
/// shown item's row even when it is not among `ids` (a lookup that is not watched).
fn read_view(
    db: &dyn Store,
    ids: &[String],
    shown: Option<&ItemId>,
    with_shown_row: bool,
) -> Result<HistoryView, store::StoreError> {
    let mut view = HistoryView::default();
    let mut add = |row: ItemRow| {
        let id = row.newest.item_id.clone();
        if !row.views.is_empty() {
            view.sparks.insert(id.clone(), row.views);
        }
        view.texts.insert(
            id.clone(),
            RowText {
                title: row.title,
                creator: row.creator,
            },
        );
        view.latest.insert(id, (row.newest, row.previous));
    };
    db.each_row(ids, SPARK_POINTS, &mut add)?;
    let mut published = |id: &str, at| {
        view.published.insert(id.to_owned(), at);
    };
    db.each_published(ids, &mut published)?;
    if let Some(id) = shown {
        if with_shown_row && !ids.iter().any(|i| i == id.as_str()) {
            db.each_row(&[id.to_string()], SPARK_POINTS, &mut add)?;
            db.each_published(&[id.to_string()], &mut published)?;
        }
        let mut series = Vec::new();
        db.each_snapshot(id.as_str(), None, &mut |s| {
            series.push(s);
            true
        })?;
        view.series = Some((id.clone(), series));
        view.daily = db.trend(id.as_str())?.map(|t| (id.clone(), t));
    }
    Ok(view)
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
