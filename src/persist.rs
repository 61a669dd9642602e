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
}

impl Handle {
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
