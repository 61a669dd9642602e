//! Building the shared fetcher for a run from the settings, and flushing what it fetched to
//! the store when the run ends.

use std::sync::Arc;

use tokio::sync::mpsc;

use crate::alerts::command::{self, Notice};
use crate::alerts::watcher::Watcher;
use crate::api::demo::DemoData;
use crate::api::{ApiClient, Backend};
use crate::fetcher::{FetchEvent, Fetched, Fetcher, FetcherConfig, RetryPolicy, SharedStore};
use crate::persist;
use crate::settings::{Settings, SettingsError};
use crate::shortlink::{Resolver, ResolverConfig};
use crate::store::shortlinks::ShortLinkStore;

/// The short-link resolver for a run: off with the reason when the settings say so.
pub fn resolver(settings: &Settings) -> Resolver {
    let links = &settings.links;
    if let Some(why) = &links.off {
        return Resolver::off(why.clone());
    }
    let config = ResolverConfig {
        base: links.base.clone(),
        timeout: links.timeout,
        store: Some(ShortLinkStore::new(settings.paths.links_db())),
    };
    Resolver::new(config).unwrap_or_else(|e| {
        Resolver::off(crate::t!("settings-no-http-client", error = e.to_string()))
    })
}
use crate::store;

/// How long a claim lasts: a call's timeout, and time to store its answer. A holder that died
/// mid-call loses its claims after that. One still retrying past it may find another process
/// took the item over: the item is then paid for twice, never lost.
fn claim_lease(settings: &Settings) -> chrono::Duration {
    chrono::Duration::from_std(settings.timeout + std::time::Duration::from_secs(30))
        .unwrap_or(chrono::Duration::MAX)
}

pub struct Session {
    fetcher: Arc<Fetcher>,
    persist: Option<persist::Handle>,
    /// The user's store, when it opened (never in demo mode).
    store: Option<SharedStore>,
    /// Fired alerts and failed alert commands, until a dashboard takes them.
    notices: Option<mpsc::UnboundedReceiver<Notice>>,
    /// Runs `[alerts] command` for each alert; done once the writer is.
    notifier: Option<tokio::task::JoinHandle<()>>,
}

impl Session {
    /// A session for one-shot commands.
    pub fn open(settings: &Settings, concurrency: usize) -> Result<Session, SettingsError> {
        // A shared store that is down (or went down since the command checked it) stops the
        // command before any paid call: what it fetched could not be stored for the team.
        if settings.shared_store.is_some() && !settings.demo {
            store::open(&settings.store())
                .map_err(|e| SettingsError::StoreUnavailable(e.to_string()))?;
        }
        Self::open_with_events(settings, concurrency, None, None)
    }

    /// `events`: progress for a status bar; `stored`: the ids of each batch once stored.
    pub fn open_with_events(
        settings: &Settings,
        concurrency: usize,
        events: Option<mpsc::UnboundedSender<FetchEvent>>,
        stored: Option<mpsc::UnboundedSender<Vec<String>>>,
    ) -> Result<Session, SettingsError> {
        let backend = if settings.demo {
            Backend::Demo(DemoData::bundled())
        } else if let Some(why) = &settings.config_error {
            Backend::Off(why.clone())
        } else {
            let token = settings.require_token()?;
            let client =
                ApiClient::new(&settings.base_url, token, settings.timeout).map_err(|e| {
                    SettingsError::BadValue {
                        what: "HTTP client",
                        value: e.to_string(),
                        expected: crate::t!("settings-tls-expected"),
                    }
                })?;
            Backend::Http(client)
        };
        let mut fetcher = Fetcher::new(
            backend,
            FetcherConfig {
                concurrency,
                policy: RetryPolicy::with_base(settings.retry_base),
                cache_window: settings.cache_window(),
            },
        );
        if let Some(events) = events {
            fetcher = fetcher.with_events(events);
        }
        let mut shared = None;
        let (mut notifier, mut notices) = (None, None);
        // The demo neither reads nor writes the user's store: it is not their data.
        let persist = if settings.demo {
            None
        } else {
            let (tx, rx) = mpsc::unbounded_channel::<Fetched>();
            let store = match store::open(&settings.store()) {
                Ok(store) => Some(Arc::new(std::sync::Mutex::new(store))),
                // The writer reports it again when it cannot store either.
                Err(e) => {
                    tracing::warn!("no cache entries: {e}");
                    None
                }
            };
            if let Some(store) = &store {
                fetcher = fetcher.with_store(Arc::clone(store), claim_lease(settings));
            }
            fetcher = fetcher.with_sink(tx);
            shared = store.clone();
            let (fired_tx, fired_rx) = mpsc::unbounded_channel();
            let (notice_tx, notice_rx) = mpsc::unbounded_channel();
            notifier = Some(tokio::spawn(command::notify(
                fired_rx,
                settings.config.alerts.command.clone(),
                command::timeout(),
                notice_tx,
            )));
            notices = Some(notice_rx);
            let watcher = Watcher::new(&settings.config, Some(settings.config_file()));
            Some(persist::spawn(
                settings.store(),
                store,
                settings.config.history.keep_days,
                rx,
                fetcher.pending(),
                stored,
                Some((watcher, fired_tx)),
            ))
        };
        Ok(Session {
            fetcher: Arc::new(fetcher),
            persist,
            store: shared,
            notices,
            notifier,
        })
    }

    /// See `persist::Handle::take_crash_signal`; `None` in demo mode (nothing is saved).
    pub fn take_crash_signal(&mut self) -> Option<tokio::sync::oneshot::Receiver<String>> {
        self.persist.as_mut()?.take_crash_signal()
    }

    /// The store the fetcher reads its cache from; `None` in demo mode or when it did not open.
    pub fn store(&self) -> Option<SharedStore> {
        self.store.clone()
    }

    pub fn fetcher(&self) -> Arc<Fetcher> {
        Arc::clone(&self.fetcher)
    }

    /// Fired alerts and failed alert commands as they come (the dashboard's); `finish` then
    /// returns none.
    pub fn take_notices(&mut self) -> Option<mpsc::UnboundedReceiver<Notice>> {
        self.notices.take()
    }

    /// Waits until everything fetched is in the store, and
    /// returns warnings about anything that could not be saved.
    pub async fn finish(self) -> Vec<String> {
        self.finish_with_alerts().await.0
    }

    /// [`Self::finish`], then waits for the alert commands (each within its timeout) and
    /// returns what became of the alerts that fired.
    pub async fn finish_with_alerts(mut self) -> (Vec<String>, Vec<Notice>) {
        let warnings = match self.persist.take() {
            Some(p) => p.flush().await,
            None => Vec::new(),
        };
        if let Some(notifier) = self.notifier.take() {
            let _ = notifier.await;
        }
        let mut notices = Vec::new();
        if let Some(rx) = &mut self.notices {
            while let Ok(n) = rx.try_recv() {
                notices.push(n);
            }
        }
        (warnings, notices)
    }
}
