//! Writing fresh results to the store off the hot path: one snapshot row per successful
//! fetch (which is also the item's cache entry), batched into transactions by one writer
//! thread, so a refresh of 10,000 items costs 10,000 row inserts and a few hundred commits.

use std::sync::{Arc, Mutex};

use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use crate::fetcher::{Fetched, Pending, SharedStore};
use crate::settings::Paths;
use crate::store::{self, Record, Snapshot};

pub struct Handle {
    stop: oneshot::Sender<()>,
    task: JoinHandle<Vec<String>>,
}

impl Handle {
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
    paths: Paths,
    store: Option<SharedStore>,
    keep_days: Option<u32>,
    rx: mpsc::UnboundedReceiver<Fetched>,
    pending: Arc<Pending>,
    stored: Option<mpsc::UnboundedSender<Vec<String>>>,
) -> Handle {
    let (stop, stop_rx) = oneshot::channel();
    let (batches, queued) = std::sync::mpsc::channel::<Vec<Fetched>>();
    // One dedicated thread does all the writing: writes never overlap, and the memory they
    // churn through stays in one allocator arena instead of one per pool thread.
    let writer = std::thread::spawn(move || {
        let mut writer = Writer {
            paths,
            keep_days,
            store,
            pending,
            stored,
            warnings: Vec::new(),
        };
        while let Ok(mut batch) = queued.recv() {
            while let Ok(more) = queued.try_recv() {
                batch.extend(more);
            }
            writer.write(&batch);
        }
        writer.warnings
    });
    let task = tokio::spawn(async move {
        forward(rx, stop_rx, batches).await;
        tokio::task::spawn_blocking(move || writer.join().unwrap_or_default())
            .await
            .unwrap_or_default()
    });
    Handle { stop, task }
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
    paths: Paths,
    /// Pending retention; taken (so it runs once) after the first successful write.
    keep_days: Option<u32>,
    /// Shared with the fetcher; opened on the first write when the session could not.
    store: Option<SharedStore>,
    pending: Arc<Pending>,
    stored: Option<mpsc::UnboundedSender<Vec<String>>>,
    warnings: Vec<String>,
}

impl Writer {
    fn write(&mut self, batch: &[Fetched]) {
        if self.store.is_none() {
            match store::open(&self.paths) {
                Ok(s) => self.store = Some(Arc::new(Mutex::new(s))),
                Err(e) => {
                    tracing::warn!("store unavailable: {e}");
                    self.warn_once(format!("snapshots not recorded: {e}"));
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
            self.warn_once(format!("snapshots not recorded: {e}"));
            return;
        }
        drop(records);
        for f in batch {
            self.pending.stored(&f.report.item_id, f.fetched_at);
        }
        if let Some(stored) = &self.stored {
            let _ = stored.send(batch.iter().map(|f| f.report.item_id.clone()).collect());
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
