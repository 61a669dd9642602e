//! Writing fresh results to the store off the hot path: one snapshot row per successful
//! fetch (which is also the item's cache entry), batched into transactions by one writer
//! thread, so a refresh of 10,000 items costs 10,000 row inserts and a few hundred commits.

use std::sync::{Arc, Mutex};

use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use crate::alerts::Alert;
use crate::alerts::watcher::Watcher;
use crate::fetcher::{Fetched, Pending, SharedStore};
use crate::store::StoreLocation;
use crate::store::{self, Record, Snapshot};

pub struct Handle {
    stop: oneshot::Sender<()>,
    task: JoinHandle<Vec<String>>,
    crashed: Option<oneshot::Receiver<String>>,
}

impl Handle {
    /// Resolves with the message of a panic in the writer, which saves nothing after it; a
    /// dashboard must end then. Closed without a message when the writer ends normally.
    pub fn take_crash_signal(&mut self) -> Option<oneshot::Receiver<String>> {
        self.crashed.take()
    }

    /// Waits until every result sent so far is written; returns warnings worth showing
    /// (a history database that could not be opened, a cache that could not be written).
    pub async fn flush(self) -> Vec<String> {
        let _ = self.stop.send(());
        self.task.await.unwrap_or_default()
    }
}

/// `keep_days`: the history retention; snapshots older than that are pruned once per run,
/// after the first write. Results leave `pending` once stored; the ids of each stored batch
/// go to `stored` (the dashboard redraws their rows at once).
pub fn spawn(
    location: StoreLocation,
    store: Option<SharedStore>,
    keep_days: Option<u32>,
    rx: mpsc::UnboundedReceiver<Fetched>,
    pending: Arc<Pending>,
    stored: Option<mpsc::UnboundedSender<Vec<String>>>,
    alerts: Option<(Watcher, mpsc::UnboundedSender<Alert>)>,
) -> Handle {
    let (stop, stop_rx) = oneshot::channel();
    let (crash_tx, crashed) = oneshot::channel();
    let (batches, queued) = std::sync::mpsc::channel::<Vec<Fetched>>();
    // One dedicated thread does all the writing: writes never overlap, and the memory they
    // churn through stays in one allocator arena instead of one per pool thread.
    let writer = std::thread::spawn(move || {
        let mut writer = Writer {
            location,
            keep_days,
            store,
            pending,
            stored,
            alerts,
            warnings: Vec::new(),
        };
        let crash = write_supervised(&queued, |batch| writer.write(batch), crash_tx);
        if let Some(message) = crash {
            let message = message.to_string();
            writer
                .warnings
                .push(crate::t!("cli-results-not-saved", error = message));
        }
        writer.warnings
    });
    let task = tokio::spawn(async move {
        forward(rx, stop_rx, batches).await;
        tokio::task::spawn_blocking(move || writer.join().unwrap_or_default())
            .await
            .unwrap_or_default()
    });
    Handle {
        stop,
        task,
        crashed: Some(crashed),
    }
}

/// Writes batches as they come (with whatever queued up meanwhile) until the sender is
/// gone. A panic stops the writing; its message goes to `crashed` and is returned.
fn write_supervised<T>(
    queued: &std::sync::mpsc::Receiver<Vec<T>>,
    mut write: impl FnMut(&[T]),
    crashed: oneshot::Sender<String>,
) -> Option<String> {
    let drained = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        while let Ok(mut batch) = queued.recv() {
            while let Ok(more) = queued.try_recv() {
                batch.extend(more);
            }
            write(&batch);
        }
    }));
    let payload = drained.err()?;
    let message = crate::logging::panic_message(payload.as_ref());
    tracing::error!("the result writer panicked: {message}");
    let _ = crashed.send(message.clone());
    Some(message)
}

/// Hands results to the writer thread as they come, until told to stop and drained.
async fn forward(
    mut rx: mpsc::UnboundedReceiver<Fetched>,
    mut stop: oneshot::Receiver<()>,
    batches: std::sync::mpsc::Sender<Vec<Fetched>>,
) {
    let mut stopping = false;
    loop {
        let first = if stopping {
            rx.recv().await
        } else {
            tokio::select! {
                m = rx.recv() => m,
                _ = &mut stop => {
                    stopping = true;
                    rx.close();
                    continue;
                }
            }
        };
        let Some(first) = first else { break };
        let mut batch = vec![first];
        while let Ok(more) = rx.try_recv() {
            batch.push(more);
        }
        if batches.send(batch).is_err() {
            tracing::error!("the result writer stopped; results are no longer saved");
            break;
        }
    }
}

struct Writer {
    location: StoreLocation,
    /// Pending retention; taken (so it runs once) after the first successful write.
    keep_days: Option<u32>,
    /// Shared with the fetcher; opened on the first write when the session could not.
    store: Option<SharedStore>,
    pending: Arc<Pending>,
    stored: Option<mpsc::UnboundedSender<Vec<String>>>,
    /// The alert rules, evaluated after each stored batch, and where fired alerts go.
    alerts: Option<(Watcher, mpsc::UnboundedSender<Alert>)>,
    warnings: Vec<String>,
}

impl Writer {
    fn write(&mut self, batch: &[Fetched]) {
        if self.store.is_none() {
            match store::open(&self.location) {
                Ok(s) => self.store = Some(Arc::new(Mutex::new(s))),
                Err(e) => {
                    tracing::warn!("store unavailable: {e}");
                    self.warn_once(crate::t!(
                        "cli-snapshots-not-recorded",
                        error = e.to_string()
                    ));
                    return;
                }
            }
        }
        let Some(shared) = self.store.clone() else {
            return;
        };
        let mut store = shared
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let records: Vec<Record<'_>> = batch
            .iter()
            .map(|f| Record {
                snapshot: Snapshot::of(&f.report, f.fetched_at),
                data: &f.data,
            })
            .collect();
        if let Err(e) = store.record(&records) {
            tracing::warn!("store write failed: {e}");
            self.warn_once(crate::t!(
                "cli-snapshots-not-recorded",
                error = e.to_string()
            ));
            return;
        }
        drop(records);
        for f in batch {
            self.pending.stored(&f.report.item_id, f.fetched_at);
        }
        let ids: Vec<String> = batch.iter().map(|f| f.report.item_id.clone()).collect();
        if let Some((watcher, fired)) = &mut self.alerts {
            match watcher.after_record(&mut **store, &ids) {
                Ok(alerts) => {
                    for alert in alerts {
                        let _ = fired.send(alert);
                    }
                }
                Err(e) => {
                    tracing::warn!("alerts not evaluated: {e}");
                    let message = crate::t!("cli-alerts-not-evaluated", error = e.to_string());
                    if !self.warnings.contains(&message) {
                        self.warnings.push(message);
                    }
                }
            }
        }
        if let Some(stored) = &self.stored {
            let _ = stored.send(ids);
        }
        if let Some(days) = self.keep_days.take() {
            match store.prune(days, chrono::Utc::now()) {
                Ok(n) if n > 0 => tracing::info!("pruned {n} snapshots older than {days} days"),
                Ok(_) => {}
                Err(e) => tracing::warn!("pruning history failed: {e}"),
            }
        }
    }

    fn warn_once(&mut self, message: String) {
        if !self.warnings.contains(&message) {
            self.warnings.push(message);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_are_written_in_order_merging_what_queued_up() {
        let (tx, rx) = std::sync::mpsc::channel::<Vec<u32>>();
        tx.send(vec![1]).unwrap();
        tx.send(vec![2, 3]).unwrap();
        drop(tx);
        let (crashed, _) = oneshot::channel();
        let mut seen = Vec::new();
        let outcome = write_supervised(&rx, |batch: &[u32]| seen.push(batch.to_vec()), crashed);
        assert_eq!(outcome, None);
        assert_eq!(seen, vec![vec![1, 2, 3]]);
    }

    /// A dashboard must learn at once that nothing is saved any more (and the panic hook has
    /// already given the terminal back), so the writer says so instead of dying silently.
    #[test]
    fn a_panic_while_writing_is_reported_at_once() {
        let (tx, rx) = std::sync::mpsc::channel::<Vec<u32>>();
        tx.send(vec![7]).unwrap();
        let (crashed, mut told) = oneshot::channel();
        let outcome = write_supervised(&rx, |_: &[u32]| panic!("disk on fire"), crashed);
        assert_eq!(outcome.as_deref(), Some("disk on fire"));
        assert_eq!(told.try_recv().as_deref(), Ok("disk on fire"));
        drop(tx);
    }
}
