//! Writing fresh results to disk off the hot path: the response cache (so a refresh within
//! the cache window costs nothing, across restarts) and the history database (one snapshot
//! per successful fetch). Results are batched, so refreshing 1,000 items rewrites the cache
//! file a handful of times rather than 1,000.

use chrono::{DateTime, Utc};
use serde_json::Value;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use crate::fetcher::Fetched;
use crate::settings::Paths;
use crate::store::cache::ResponseCache;
use crate::store::history::{History, Snapshot};

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

/// Every cached response on disk, for seeding the fetcher's cache window.
pub fn load_cache(paths: &Paths) -> Vec<(String, DateTime<Utc>, Value)> {
    ResponseCache::new(paths.cache_file())
        .load_all()
        .into_iter()
        .map(|(id, entry)| (id, entry.fetched_at, entry.data))
        .collect()
}

/// `keep_days`: the history retention; snapshots older than that are pruned once per run,
/// after the first write.
pub fn spawn(paths: Paths, keep_days: Option<u32>, rx: mpsc::UnboundedReceiver<Fetched>) -> Handle {
    let (stop, stop_rx) = oneshot::channel();
    let (crash_tx, crashed) = oneshot::channel();
    let (batches, queued) = std::sync::mpsc::channel::<Vec<Fetched>>();
    // One dedicated thread does all the writing: writes never overlap, and the memory they
    // churn through stays in one allocator arena instead of one per pool thread.
    let writer = std::thread::spawn(move || {
        let mut writer = Writer {
            paths,
            keep_days,
            history: None,
            warnings: Vec::new(),
        };
        let crash = write_supervised(&queued, |batch| writer.write(batch), crash_tx);
        if let Some(message) = crash {
            writer.warnings.push(format!(
                "results after an internal error were not saved: {message}"
            ));
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
    paths: Paths,
    /// Pending retention; taken (so it runs once) after the first successful write.
    keep_days: Option<u32>,
    history: Option<History>,
    warnings: Vec<String>,
}

impl Writer {
    fn write(&mut self, batch: &[Fetched]) {
        let entries: Vec<(String, DateTime<Utc>, Value)> = batch
            .iter()
            .map(|f| (f.report.item_id.clone(), f.fetched_at, (*f.data).clone()))
            .collect();
        if let Err(e) = ResponseCache::new(self.paths.cache_file()).put_many(&entries) {
            tracing::warn!("cache write failed: {e}");
            self.warn_once(format!(
                "could not write the response cache {}: {e}",
                self.paths.cache_file().display()
            ));
        }
        let snapshots: Vec<Snapshot> = batch.iter().map(snapshot_of).collect();
        if self.history.is_none() {
            match History::open(&self.paths.history_db()) {
                Ok(h) => self.history = Some(h),
                Err(e) => {
                    tracing::warn!("history unavailable: {e}");
                    self.warn_once(format!("snapshots not recorded: {e}"));
                    return;
                }
            }
        }
        let Some(history) = &mut self.history else {
            return;
        };
        if let Err(e) = history.record(&snapshots) {
            tracing::warn!("history write failed: {e}");
            self.warn_once(format!("snapshots not recorded: {e}"));
            return;
        }
        if let Some(days) = self.keep_days.take() {
            match history.prune(days, chrono::Utc::now()) {
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

pub fn snapshot_of(f: &Fetched) -> Snapshot {
    let r = &f.report;
    let v = &r.video;
    Snapshot {
        item_id: r.item_id.clone(),
        fetched_at: f.fetched_at,
        vv_cnt: v.vv_cnt,
        like_cnt: v.like_cnt,
        comment_cnt: v.comment_cnt,
        share_cnt: v.share_cnt,
        collect_cnt: v.collect_cnt,
        interact_cnt: r.interactions(),
        interact_rate: r.ratios().interact_rate,
        finish_rate: v.finish_rate,
        follower: r.author.follower,
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
