//! The one place that decides whether a paid call is made: cache window, coalescing of
//! duplicate in-flight requests, the concurrency bound, retries with backoff, the global
//! slow-down after a rate limit, and the halt after a code that no retry can fix.
//!
//! With a store, the same holds across every process sharing it (see `store::claims`): an
//! item is claimed before it is paid for, an item another process claimed is waited for and
//! read from the store, and a halt is recorded there for everyone.
//!
//! Every front end (`get`, `watch refresh`, the dashboard) goes through a shared `Fetcher`.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures_util::FutureExt;
use futures_util::future::{BoxFuture, Shared};
use serde_json::Value;
use tokio::sync::{Semaphore, mpsc};
use tokio::time::Instant;

use crate::api::{ApiError, Backend, Call, Disposition};
use crate::item_id::ItemId;
use crate::report::Report;
use crate::store::{self, ClaimAsk, ClaimOutcome, SharedHalt, Store};

/// The first wait before asking again about an item another process is calling for; it
/// doubles up to `CLAIM_POLL_MAX` (a call takes from tens of milliseconds to a minute).
const CLAIM_POLL_FIRST: Duration = Duration::from_millis(20);
const CLAIM_POLL_MAX: Duration = Duration::from_millis(200);

#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    /// First backoff; doubles per attempt, plus up to 50 % jitter.
    pub base_delay: Duration,
    /// How long everyone waits after a rate limit when the server does not say.
    pub slow_down: Duration,
    /// A cap on any server-requested wait.
    pub max_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy::with_base(Duration::from_millis(500))
    }
}

impl RetryPolicy {
    pub fn with_base(base_delay: Duration) -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_delay,
            slow_down: base_delay * 10,
            max_wait: Duration::from_secs(60),
        }
    }

    /// The wait before attempt `attempt + 1`; `jitter` is in [0, 1).
    pub fn backoff(&self, attempt: u32, jitter: f64) -> Duration {
        let exp = self.base_delay * 2u32.saturating_pow(attempt.saturating_sub(1));
        (exp + exp.mul_f64(jitter.clamp(0.0, 1.0) * 0.5)).min(self.max_wait)
    }
}

/// A successful lookup, fresh or from the cache window.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub report: Arc<Report>,
    /// The raw `data` object, kept for the cache file.
    pub data: Arc<Value>,
    pub fetched_at: DateTime<Utc>,
    pub from_cache: bool,
}

pub type FetchResult = Result<Fetched, ApiError>;

/// Progress worth showing a person while calls are under way.
#[derive(Debug, Clone, PartialEq)]
pub enum FetchEvent {
    /// A billed call is being sent; `total` counts every call of this process so far, so a
    /// late event can never count a call twice.
    Calling {
        id: ItemId,
        attempt: u32,
        total: u64,
    },
    /// A transient failure; the next attempt follows after `wait`.
    Retrying {
        id: ItemId,
        attempt: u32,
        wait: Duration,
        error: ApiError,
    },
    /// Rate limited: every call waits this long.
    SlowingDown { wait: Duration },
    /// A code no retry can fix, answered to the call for `id`: no further calls until
    /// `clear_halt`. The item's result follows on its own channel, so it may be seen first.
    Halted { id: ItemId, error: ApiError },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// A cached response younger than the cache window will do.
    CacheOk,
    /// Always call (the user asked for it).
    Force,
}

pub struct FetcherConfig {
    pub concurrency: usize,
    pub policy: RetryPolicy,
    pub cache_window: chrono::Duration,
}

type SharedFetch = Shared<BoxFuture<'static, FetchResult>>;

/// One connection to the store for a process's fetcher and its writer: opening costs a few
/// milliseconds, which a one-shot `get` would otherwise pay twice.
pub type SharedStore = Arc<Mutex<Box<dyn Store>>>;

/// Successful responses that the store does not hold yet (all of them without a store, as in
/// the demo), by item id: when fetched, and the `data` a report is built from. Shared with
/// the writer, which takes each out once stored, so this holds only the writer's backlog.
#[derive(Default)]
pub struct Pending(Mutex<HashMap<String, Entry>>);

/// When a response was fetched, and its `data`.
type Entry = (DateTime<Utc>, Arc<Value>);

impl Pending {
    fn get(&self, item_id: &str) -> Option<Entry> {
        lock(&self.0).get(item_id).cloned()
    }

    fn insert(&self, item_id: &str, fetched_at: DateTime<Utc>, data: Arc<Value>) {
        lock(&self.0).insert(item_id.to_owned(), (fetched_at, data));
    }

    /// The fetch of `item_id` at `fetched_at` is in the store now (unless a newer one came).
    pub fn stored(&self, item_id: &str, fetched_at: DateTime<Utc>) {
        let mut map = lock(&self.0);
        if map.get(item_id).is_some_and(|(at, _)| *at == fetched_at) {
            map.remove(item_id);
        }
    }
}

pub struct Fetcher {
    backend: Backend,
    policy: RetryPolicy,
    permits: Semaphore,
    concurrency: usize,
    cache_window: chrono::Duration,
    pending: Arc<Pending>,
    /// Where cache entries are read from when `pending` has none, and paid calls are
    /// coordinated with the other processes sharing it.
    store: Option<SharedStore>,
    /// This process, as claims and halts name it.
    holder: String,
    /// How long a claim of this process lasts unless its answer lands first.
    lease: chrono::Duration,
    inflight: Mutex<HashMap<ItemId, SharedFetch>>,
    slow_until: Mutex<Option<Instant>>,
    halt: Mutex<Option<ApiError>>,
    /// True once no new call may start (see `stop`); a watch so waits can end early.
    stopped: tokio::sync::watch::Sender<bool>,
    calls: AtomicU64,
    /// Fresh reports received (each from a billed call that bought something).
    answers: AtomicU64,
    events: Option<mpsc::UnboundedSender<FetchEvent>>,
    saved: Option<mpsc::UnboundedSender<Fetched>>,
}

impl Fetcher {
    pub fn new(backend: Backend, config: FetcherConfig) -> Fetcher {
        Fetcher {
            backend,
            policy: config.policy,
            permits: Semaphore::new(config.concurrency.max(1)),
            concurrency: config.concurrency.max(1),
            cache_window: config.cache_window,
            pending: Arc::default(),
            store: None,
            holder: store::claims::holder_id(),
            lease: chrono::Duration::zero(),
            inflight: Mutex::new(HashMap::new()),
            slow_until: Mutex::new(None),
            halt: Mutex::new(None),
            stopped: tokio::sync::watch::Sender::new(false),
            calls: AtomicU64::new(0),
            answers: AtomicU64::new(0),
            events: None,
            saved: None,
        }
    }

    /// Progress events go to this channel (the dashboard's status bar).
    pub fn with_events(mut self, events: mpsc::UnboundedSender<FetchEvent>) -> Fetcher {
        self.events = Some(events);
        self
    }

    /// Every fresh success is sent here, for the cache file and the history database.
    pub fn with_sink(mut self, saved: mpsc::UnboundedSender<Fetched>) -> Fetcher {
        self.saved = Some(saved);
        self
    }

    /// Cache entries come from this store (and fresh results go to it through the sink); each
    /// item is claimed there for `lease` before it is paid for (the request timeout and then
    /// some: a holder that died loses its claims after that).
    pub fn with_store(mut self, store: SharedStore, lease: chrono::Duration) -> Fetcher {
        self.store = Some(store);
        self.lease = lease;
        self
    }

    /// The results not stored yet; the writer takes them out as it stores them.
    pub fn pending(&self) -> Arc<Pending> {
        Arc::clone(&self.pending)
    }

    /// How many calls may be under way at once.
    pub fn concurrency(&self) -> usize {
        self.concurrency
    }

    /// How many billed calls this process has sent.
    pub fn calls_made(&self) -> u64 {
        self.calls.load(Ordering::Relaxed)
    }

    /// One read of the account balance, beside the lookups: not counted as a call, never
    /// retried, not stopped by a halt (it is how a user sees a top-up arrive).
    pub async fn balance(&self) -> Result<crate::account::Balance, ApiError> {
        self.backend.balance().await
    }

    /// A cached success younger than this is used instead of a call.
    pub fn cache_window(&self) -> chrono::Duration {
        self.cache_window
    }

    /// How many fresh reports this process received.
    pub fn answers(&self) -> u64 {
        self.answers.load(Ordering::Relaxed)
    }

    /// The error that stopped all calls, if any.
    pub fn halted(&self) -> Option<ApiError> {
        lock(&self.halt).clone()
    }

    /// Starts no call from now on: calls under way finish (their answers are paid for, and
    /// are kept); every lookup waiting for its turn, a backoff or a slow-down ends at once,
    /// as `Stopped` or with its last error. For a reader that has gone, or quitting.
    pub fn stop(&self) {
        self.stopped.send_replace(true);
    }

    fn is_stopped(&self) -> bool {
        *self.stopped.borrow()
    }

    /// Runs `fut` unless (or until) calls are stopped.
    async fn unless_stopped<T>(&self, fut: impl std::future::Future<Output = T>) -> Option<T> {
        let mut stopped = self.stopped.subscribe();
        tokio::select! {
            biased;
            _ = stopped.wait_for(|s| *s) => None,
            out = fut => Some(out),
        }
    }

    /// The user acted on a halt (new token, topped up); calls may go out again, for every
    /// process sharing the store.
    pub fn clear_halt(&self) {
        *lock(&self.halt) = None;
        if let Some(store) = &self.store
            && let Err(e) = lock(store).clear_halt()
        {
            tracing::warn!("the shared halt was not cleared: {e}");
        }
    }

    /// A cached success younger than the cache window, without any call.
    pub fn cached(&self, id: &ItemId) -> Option<Fetched> {
        self.cached_any(id)
            .filter(|hit| store::is_fresh(hit.fetched_at, self.cache_window, Utc::now()))
    }

    /// The newest report of the item, however old, to show while nothing is fetched: one
    /// not yet stored, else the store's.
    pub fn cached_any(&self, id: &ItemId) -> Option<Fetched> {
        let (fetched_at, data) = self.pending.get(id.as_str()).or_else(|| {
            let store = lock(self.store.as_ref()?);
            match store.latest_report(id.as_str()) {
                Ok(entry) => entry.map(|e| (e.fetched_at, Arc::new(e.data))),
                Err(e) => {
                    tracing::warn!("cache lookup of {id} failed: {e}");
                    None
                }
            }
        })?;
        Some(Fetched {
            report: Arc::new(Report::from_data(id.as_str(), &data)),
            data,
            fetched_at,
            from_cache: true,
        })
    }

    /// Looks one item up. Concurrent requests for the same id share one call.
    pub async fn fetch(self: &Arc<Self>, id: &ItemId, freshness: Freshness) -> FetchResult {
        if freshness == Freshness::CacheOk
            && let Some(hit) = self.cached(id)
        {
            return Ok(hit);
        }
        let shared = {
            let mut inflight = lock(&self.inflight);
            match inflight.get(id) {
                Some(existing) => existing.clone(),
                None => {
                    let this = Arc::clone(self);
                    let key = id.clone();
                    let fut = async move {
                        let result = this.fetch_with_retries(&key, freshness).await;
                        lock(&this.inflight).remove(&key);
                        result
                    }
                    .boxed()
                    .shared();
                    inflight.insert(id.clone(), fut.clone());
                    fut
                }
            }
        };
        shared.await
    }

    async fn fetch_with_retries(&self, id: &ItemId, freshness: Freshness) -> FetchResult {
        let Some(store) = &self.store else {
            let data = self.call_with_retries(Call::Report, id, None).await?;
            return Ok(self.remember(id, data));
        };
        let asked_at = Utc::now();
        let mut poll = CLAIM_POLL_FIRST;
        let permit = loop {
            // The slot is taken before the claim, so that a process claims only what it is
            // about to call for, and the others take the rest.
            let permit = self.unless_stopped(self.acquire_slot()).await;
            let (Some(permit), false) = (permit, self.is_stopped()) else {
                return Err(ApiError::Stopped);
            };
            if let Some(err) = self.halted() {
                return Err(halted(&err));
            }
            let ask = Ask {
                item_id: id.to_string(),
                holder: self.holder.clone(),
                lease: self.lease,
                window: (freshness == Freshness::CacheOk).then_some(self.cache_window),
                asked_at,
            };
            // Dated once the store is this thread's: an answer stored while it waited for
            // the store must not look like one from the future.
            let outcome = blocking(store, move |s| s.claim(&ask.at(Utc::now()))).await;
            match outcome {
                // The claim waited on the store: the reader may have gone meanwhile.
                Ok(ClaimOutcome::Taken) if self.is_stopped() => {
                    let (key, holder) = (id.to_string(), self.holder.clone());
                    let _ =
                        blocking(store, move |s| s.release(&key, &holder, None, Utc::now())).await;
                    return Err(ApiError::Stopped);
                }
                Ok(ClaimOutcome::Taken) => break permit,
                Ok(ClaimOutcome::Fresh(entry)) => {
                    let data = Arc::new(entry.data);
                    return Ok(Fetched {
                        report: Arc::new(Report::from_data(id.as_str(), &data)),
                        data,
                        fetched_at: entry.fetched_at,
                        from_cache: true,
                    });
                }
                Ok(ClaimOutcome::Failed(error)) => {
                    return Err(serde_json::from_str(&error).unwrap_or_else(|e| {
                        ApiError::StoreUnavailable {
                            detail: format!("another process's error for {id} is unreadable: {e}"),
                        }
                    }));
                }
                Ok(ClaimOutcome::Halted(halt)) => return Err(self.halted_elsewhere(id, halt)),
                Ok(ClaimOutcome::Held { .. }) => {
                    drop(permit);
                    if self
                        .unless_stopped(tokio::time::sleep(poll))
                        .await
                        .is_none()
                    {
                        return Err(ApiError::Stopped);
                    }
                    poll = (poll * 2).min(CLAIM_POLL_MAX);
                }
                Err(e) => {
                    tracing::warn!("claim of {id} failed: {e}");
                    return Err(ApiError::StoreUnavailable {
                        detail: e.to_string(),
                    });
                }
            }
        };
        match self.call_with_retries(Call::Report, id, Some(permit)).await {
            // Storing the answer releases the claim (see `Store::record`).
            Ok(data) => Ok(self.remember(id, data)),
            Err(err) => {
                // Those waiting report the error; a stop leaves the item to the next asker.
                let failure = (err != ApiError::Stopped)
                    .then(|| serde_json::to_string(&err).ok())
                    .flatten();
                let (key, holder) = (id.to_string(), self.holder.clone());
                let released = blocking(store, move |s| {
                    s.release(&key, &holder, failure.as_deref(), Utc::now())
                })
                .await;
                if let Err(e) = released {
                    tracing::warn!("claim of {id} not released (it expires with its lease): {e}");
                }
                Err(err)
            }
        }
    }

    /// Another process recorded a halt: this one stops as if it had got the code itself.
    fn halted_elsewhere(&self, id: &ItemId, halt: SharedHalt) -> ApiError {
        let err = ApiError::HaltedElsewhere {
            code: halt.code,
            machine: halt.machine,
            at: halt.at,
        };
        *lock(&self.halt) = Some(err.clone());
        self.emit(FetchEvent::Halted {
            id: id.clone(),
            error: err.clone(),
        });
        err
    }

    /// Xingtu's daily series of one item: one paid call (retried, slowed down and halted
    /// like every lookup, a halt recorded by another process included), never cached here;
    /// the caller stores it.
    pub async fn fetch_trend(&self, id: &ItemId) -> Result<Value, ApiError> {
        if let Some(store) = &self.store {
            match blocking(store, |s| s.shared_halt()).await {
                Ok(Some(halt)) => return Err(self.halted_elsewhere(id, halt)),
                Ok(None) => {}
                Err(e) => {
                    return Err(ApiError::StoreUnavailable {
                        detail: e.to_string(),
                    });
                }
            }
        }
        self.call_with_retries(Call::Trend, id, None).await
    }

    /// One call with the retry policy, the global slow-down and the halt: the envelope's
    /// `data` on success. `first` is a slot already taken for the first attempt.
    async fn call_with_retries(
        &self,
        call: Call,
        id: &ItemId,
        mut first: Option<tokio::sync::SemaphorePermit<'_>>,
    ) -> Result<Value, ApiError> {
        let mut attempt = 0;
        // What a stop reports: the last failure, if this item had one.
        let mut last_error = None;
        loop {
            attempt += 1;
            let permit = match first.take() {
                Some(permit) => Some(permit),
                None => self.unless_stopped(self.acquire_slot()).await,
            };
            let (Some(_permit), false) = (permit, self.is_stopped()) else {
                return Err(last_error.unwrap_or(ApiError::Stopped));
            };
            if let Some(err) = self.halted() {
                return Err(halted(&err));
            }
            let total = self.calls.fetch_add(1, Ordering::Relaxed) + 1;
            self.emit(FetchEvent::Calling {
                id: id.clone(),
                attempt,
                total,
            });
            let result = self.backend.call(call, id).await;
            drop(_permit);
            let err = match result {
                Ok(data) => return Ok(data),
                Err(err) => err,
            };
            tracing::info!(item = %id, attempt, code = ?err.code(), kind = err.kind(), "call failed");
            match err.disposition() {
                Disposition::Halt => {
                    *lock(&self.halt) = Some(err.clone());
                    self.share_halt(&err).await;
                    self.emit(FetchEvent::Halted {
                        id: id.clone(),
                        error: err.clone(),
                    });
                    return Err(err);
                }
                Disposition::Fail => return Err(err),
                _ if attempt >= self.policy.max_attempts => return Err(err),
                Disposition::SlowDown => {
                    let wait = err
                        .retry_after()
                        .unwrap_or(self.policy.slow_down)
                        .min(self.policy.max_wait);
                    self.slow_down(wait);
                    self.emit(FetchEvent::SlowingDown { wait });
                    self.emit(FetchEvent::Retrying {
                        id: id.clone(),
                        attempt,
                        wait,
                        error: err.clone(),
                    });
                    last_error = Some(err);
                }
                Disposition::Retry => {
                    let wait = self.policy.backoff(attempt, fastrand::f64());
                    self.emit(FetchEvent::Retrying {
                        id: id.clone(),
                        attempt,
                        wait,
                        error: err.clone(),
                    });
                    if self
                        .unless_stopped(tokio::time::sleep(wait))
                        .await
                        .is_none()
                    {
                        return Err(err);
                    }
                    last_error = Some(err);
                }
            }
        }
    }

    /// A concurrency slot, taken only outside any global slow-down: a rate limit seen by one
    /// request holds back every request of the run.
    async fn acquire_slot(&self) -> tokio::sync::SemaphorePermit<'_> {
        loop {
            self.wait_out_slow_down().await;
            let permit = self
                .permits
                .acquire()
                .await
                .unwrap_or_else(|_| unreachable!("the semaphore is never closed"));
            if self.slow_down_remaining().is_none() {
                return permit;
            }
        }
    }

    fn slow_down(&self, wait: Duration) {
        let until = Instant::now() + wait;
        let mut slot = lock(&self.slow_until);
        if slot.is_none_or(|current| current < until) {
            *slot = Some(until);
        }
    }

    fn slow_down_remaining(&self) -> Option<Instant> {
        let until = (*lock(&self.slow_until))?;
        (until > Instant::now()).then_some(until)
    }

    async fn wait_out_slow_down(&self) {
        while let Some(until) = self.slow_down_remaining() {
            tokio::time::sleep_until(until).await;
        }
    }

    fn remember(&self, id: &ItemId, data: Value) -> Fetched {
        self.answers.fetch_add(1, Ordering::Relaxed);
        let fetched_at = Utc::now();
        let data = Arc::new(crate::report::essential(&data));
        self.pending
            .insert(id.as_str(), fetched_at, Arc::clone(&data));
        let fetched = Fetched {
            report: Arc::new(Report::from_data(id.as_str(), &data)),
            data,
            fetched_at,
            from_cache: false,
        };
        if let Some(saved) = &self.saved {
            let _ = saved.send(fetched.clone());
        }
        fetched
    }

    /// Records the halt for every process sharing the store.
    async fn share_halt(&self, err: &ApiError) {
        let Some(store) = &self.store else { return };
        let code = err.code().unwrap_or_default();
        let halt = SharedHalt {
            code,
            // Stored for others to read, so in the language of logs and JSON.
            meaning: crate::i18n::scoped(crate::i18n::Lang::En, || {
                crate::api::error::code_meaning(code)
            })
            .unwrap_or_else(|| "unknown code".to_owned()),
            machine: self.holder.clone(),
            at: Utc::now(),
        };
        if let Err(e) = blocking(store, move |s| s.record_halt(&halt)).await {
            tracing::warn!("the halt was not shared with the other processes: {e}");
        }
    }

    fn emit(&self, event: FetchEvent) {
        if let Some(events) = &self.events {
            let _ = events.send(event);
        }
    }
}

/// What a lookup refused under a halt reports: a halt seen elsewhere is told as it is (which
/// machine, when), since "earlier in this run" would not be true.
fn halted(cause: &ApiError) -> ApiError {
    match cause {
        ApiError::HaltedElsewhere { .. } => cause.clone(),
        _ => ApiError::Halted {
            code: cause.code().unwrap_or_default(),
        },
    }
}

/// A claim asked for from a blocking thread: owned, since the thread outlives no borrow.
struct Ask {
    item_id: String,
    holder: String,
    lease: chrono::Duration,
    /// The cache window; none for a forced lookup, which wants an answer newer than itself.
    window: Option<chrono::Duration>,
    asked_at: DateTime<Utc>,
}

impl Ask {
    fn at(&self, now: DateTime<Utc>) -> ClaimAsk<'_> {
        ClaimAsk {
            item_id: &self.item_id,
            holder: &self.holder,
            now,
            lease: self.lease,
            fresh_since: self.window.map_or(self.asked_at, |w| now - w),
            asked_at: self.asked_at,
        }
    }
}

/// Runs `f` on the store off the async threads: a store shared over the network, or a
/// SQLite file another process is writing, may make it wait.
async fn blocking<T: Send + 'static>(
    store: &SharedStore,
    f: impl FnOnce(&mut dyn Store) -> Result<T, store::StoreError> + Send + 'static,
) -> Result<T, store::StoreError> {
    let store = Arc::clone(store);
    match tokio::task::spawn_blocking(move || f(&mut **lock(&store))).await {
        Ok(result) => result,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}

/// A poisoned lock only means another task panicked mid-update of plain data; the data is
/// still usable, and refusing every later lookup would be worse.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_bounded_jitter() {
        let p = RetryPolicy::with_base(Duration::from_millis(100));
        assert_eq!(p.backoff(1, 0.0), Duration::from_millis(100));
        assert_eq!(p.backoff(2, 0.0), Duration::from_millis(200));
        assert_eq!(p.backoff(3, 0.0), Duration::from_millis(400));
        assert_eq!(p.backoff(2, 0.999_999).as_millis(), 299);
        assert_eq!(p.backoff(40, 0.5), p.max_wait);
    }

    #[tokio::test]
    async fn after_stop_no_call_starts_but_the_cache_still_answers() {
        let demo = crate::api::demo::DemoData::bundled();
        let other = ItemId::parse(&demo.ids()[1]).unwrap();
        let fetcher = Arc::new(Fetcher::new(
            Backend::Demo(demo),
            FetcherConfig {
                concurrency: 1,
                policy: RetryPolicy::with_base(Duration::from_millis(1)),
                cache_window: chrono::Duration::minutes(10),
            },
        ));
        let id = ItemId::parse(crate::api::demo::EXAMPLE_ID).unwrap();
        fetcher.fetch(&id, Freshness::CacheOk).await.unwrap();
        fetcher.stop();
        let err = fetcher.fetch(&other, Freshness::CacheOk).await.unwrap_err();
        assert_eq!(err, ApiError::Stopped);
        assert_eq!(err.kind(), "stopped");
        assert!(
            fetcher
                .fetch(&id, Freshness::CacheOk)
                .await
                .unwrap()
                .from_cache
        );
        assert_eq!(
            fetcher.fetch(&id, Freshness::Force).await.unwrap_err(),
            ApiError::Stopped
        );
        assert_eq!(fetcher.calls_made(), 1);
    }

    /// Another process (a second handle on the same file) holds the item: this one makes no
    /// call, and reports the other's answer once it is stored.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_item_another_process_claimed_is_read_from_the_store_not_paid_for() {
        let dir = tempfile::tempdir().unwrap();
        let path = store::StoreLocation::sqlite(dir.path().join("history.sqlite3"));
        let mut other = store::open_db(&path).unwrap();
        let ours: SharedStore = Arc::new(Mutex::new(store::open_db(&path).unwrap()));
        let demo = crate::api::demo::DemoData::bundled();
        let id = ItemId::parse(crate::api::demo::EXAMPLE_ID).unwrap();
        let data = demo.fetch(&id).unwrap();
        let now = Utc::now();
        let claimed = other
            .claim(&ClaimAsk {
                item_id: id.as_str(),
                holder: "other-laptop:7",
                now,
                lease: chrono::Duration::minutes(1),
                fresh_since: now,
                asked_at: now,
            })
            .unwrap();
        assert_eq!(claimed, ClaimOutcome::Taken);
        let fetcher = Arc::new(
            Fetcher::new(
                Backend::Demo(demo),
                FetcherConfig {
                    concurrency: 2,
                    policy: RetryPolicy::with_base(Duration::from_millis(1)),
                    cache_window: chrono::Duration::minutes(10),
                },
            )
            .with_store(ours, chrono::Duration::minutes(1)),
        );
        let lookup = tokio::spawn({
            let (fetcher, id) = (Arc::clone(&fetcher), id.clone());
            async move { fetcher.fetch(&id, Freshness::CacheOk).await }
        });
        // The other's answer lands after this process has asked (it polls meanwhile).
        tokio::time::sleep(Duration::from_millis(50)).await;
        let fetched_at = Utc::now();
        let report = Report::from_data(id.as_str(), &data);
        other
            .record(&[store::Record {
                snapshot: store::Snapshot::of(&report, fetched_at),
                data: &data,
            }])
            .unwrap();
        let got = lookup.await.unwrap().unwrap();
        assert!(got.from_cache);
        assert_eq!(
            got.fetched_at.timestamp_millis(),
            fetched_at.timestamp_millis()
        );
        assert_eq!(fetcher.calls_made(), 0);
    }

    /// A halt another process recorded stops this one before it pays; lifting it here (the
    /// dashboard's refetch key) lifts it for everyone.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_shared_halt_stops_calls_until_cleared_for_everyone() {
        let dir = tempfile::tempdir().unwrap();
        let path = store::StoreLocation::sqlite(dir.path().join("history.sqlite3"));
        let mut other = store::open_db(&path).unwrap();
        let ours: SharedStore = Arc::new(Mutex::new(store::open_db(&path).unwrap()));
        let at = Utc::now();
        other
            .record_halt(&SharedHalt {
                code: 601,
                meaning: "Insufficient Balance".into(),
                machine: "laptop-3:4242".into(),
                at,
            })
            .unwrap();
        let (events, mut seen) = mpsc::unbounded_channel();
        let fetcher = Arc::new(
            Fetcher::new(
                Backend::Demo(crate::api::demo::DemoData::bundled()),
                FetcherConfig {
                    concurrency: 1,
                    policy: RetryPolicy::with_base(Duration::from_millis(1)),
                    cache_window: chrono::Duration::minutes(10),
                },
            )
            .with_store(ours, chrono::Duration::minutes(1))
            .with_events(events),
        );
        let id = ItemId::parse(crate::api::demo::EXAMPLE_ID).unwrap();
        let err = fetcher.fetch(&id, Freshness::CacheOk).await.unwrap_err();
        let expected = ApiError::HaltedElsewhere {
            code: 601,
            machine: "laptop-3:4242".into(),
            at: DateTime::from_timestamp_millis(at.timestamp_millis()).unwrap(),
        };
        assert_eq!(err, expected);
        assert_eq!(err.disposition(), Disposition::Halt);
        assert!(matches!(seen.try_recv(), Ok(FetchEvent::Halted { .. })));
        assert_eq!(fetcher.calls_made(), 0);
        fetcher.clear_halt();
        assert_eq!(other.shared_halt().unwrap(), None);
        assert!(fetcher.fetch(&id, Freshness::CacheOk).await.is_ok());
        assert_eq!(fetcher.calls_made(), 1);
    }

    #[tokio::test]
    async fn demo_backend_goes_through_the_same_path() {
        let fetcher = Arc::new(Fetcher::new(
            Backend::Demo(crate::api::demo::DemoData::bundled()),
            FetcherConfig {
                concurrency: 2,
                policy: RetryPolicy::with_base(Duration::from_millis(1)),
                cache_window: chrono::Duration::minutes(10),
            },
        ));
        let id = ItemId::parse(crate::api::demo::EXAMPLE_ID).unwrap();
        let first = fetcher.fetch(&id, Freshness::CacheOk).await.unwrap();
        assert!(!first.from_cache);
        let again = fetcher.fetch(&id, Freshness::CacheOk).await.unwrap();
        assert!(again.from_cache);
        assert_eq!(fetcher.calls_made(), 1);
        fetcher.fetch(&id, Freshness::Force).await.unwrap();
        assert_eq!(fetcher.calls_made(), 2);
    }
}
