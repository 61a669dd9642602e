//! `store migrate`: this machine's SQLite store copied into the shared one, in chunks, each
//! landing whole. What the shared store already holds is kept, so running it again copies
//! nothing twice.

use rusqlite::params;

use super::StoreError;
use super::history::{History, HistoryError, snapshot_from_row};
use super::postgres::PgStore;
use super::postgres::copy::{self, BatchRow, TrendRows};
use super::postgres::snapshots::{self, COLUMNS, Rows};
use crate::trend::DayValue;

/// Snapshots per transaction: one round trip each, a few megabytes of reports at most.
const CHUNK: usize = 2_000;

/// Rows of one kind: how many were copied, and how many the shared store already held.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub copied: u64,
    pub present: u64,
}

impl Tally {
    fn add(&mut self, rows: u64, added: u64) {
        self.copied += added;
        self.present += rows - added.min(rows);
    }
}

/// What was copied, kind by kind.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Copied {
    pub snapshots: Tally,
    pub trend_fetches: Tally,
    pub trend_days: Tally,
    pub alert_states: Tally,
    pub alerts_fired: Tally,
    pub price_batches: Tally,
}

/// Copies everything `from` holds into `to`; `progress` hears (what, done, total) after
/// each chunk.
pub fn copy_all(
    from: &History,
    to: &PgStore,
    progress: &mut dyn FnMut(&str, u64, u64),
) -> Result<Copied, StoreError> {
    let mut copied = Copied::default();
    let total = count(from, "snapshots")?;
    let (mut after, mut done) = (i64::MIN, 0);
    loop {
        let (rows, n, last) = snapshot_chunk(from, after)?;
        if n == 0 {
            break;
        }
        let added = to.call(snapshots::insert(rows))?;
        copied.snapshots.add(n, added);
        done += n;
        after = last;
        progress("snapshots", done, total);
    }

    let trends = trend_rows(from)?;
    let (fetches, days) = (
        trends.len() as u64,
        trends.iter().map(|t| t.days.len() as u64).sum(),
    );
    let (fetches_added, days_added) = to.call(copy::trends(trends))?;
    copied.trend_fetches.add(fetches, fetches_added);
    copied.trend_days.add(days, days_added);
    progress("trend days", days, days);

    let (states, log) = alert_rows(from)?;
    let (state_rows, log_rows) = (states.len() as u64, log.len() as u64);
    let (states_added, log_added) = to.call(copy::alerts(states, log))?;
    copied.alert_states.add(state_rows, states_added);
    copied.alerts_fired.add(log_rows, log_added);
    progress("alerts", log_rows, log_rows);

    let batches = batch_rows(from)?;
    let batch_count = batches.len() as u64;
    let added = to.call(copy::batches(batches))?;
    copied.price_batches.add(batch_count, added);
    progress("price batches", batch_count, batch_count);
    Ok(copied)
}

fn count(from: &History, table: &str) -> Result<u64, HistoryError> {
    from.run(|conn| {
        conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |row| {
            row.get::<_, i64>(0)
        })
    })
    .map(|n| u64::try_from(n).unwrap_or(0))
}

/// Up to [`CHUNK`] snapshots after row id `after`: their rows, how many, and the last id.
fn snapshot_chunk(from: &History, after: i64) -> Result<(Rows, u64, i64), HistoryError> {
    from.run(|conn| {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {COLUMNS}, data, title, creator, id FROM snapshots
             WHERE id > ?1 ORDER BY id LIMIT ?2"
        ))?;
        let mut rows = Rows::default();
        let (mut n, mut last) = (0, after);
        let mut query = stmt.query(params![after, CHUNK as i64])?;
        while let Some(row) = query.next()? {
            let snapshot = snapshot_from_row(row)?;
            rows.push(&snapshot, row.get(11)?, row.get(12)?, row.get(13)?);
            last = row.get(14)?;
            n += 1;
        }
        Ok((rows, n, last))
    })
}

fn trend_rows(from: &History) -> Result<Vec<TrendRows>, HistoryError> {
    from.run(|conn| {
        let mut items: Vec<TrendRows> = conn
            .prepare("SELECT item_id, fetched_at FROM trend_fetches ORDER BY item_id")?
            .query_map([], |row| {
                Ok(TrendRows {
                    item_id: row.get(0)?,
                    fetched_at: row.get(1)?,
                    days: Vec::new(),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut days = conn.prepare(
            "SELECT day, metric, value FROM trend_days WHERE item_id = ?1 ORDER BY day, metric",
        )?;
        for item in &mut items {
            item.days = days
                .query_map([&item.item_id], |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, String>(1)?,
                        row.get(2)?,
                    ))
                })?
                .filter_map(|r| match r {
                    Ok((day, metric, value)) => Some(Ok(DayValue {
                        date: chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d").ok()?,
                        metric,
                        value,
                    })),
                    Err(e) => Some(Err(e)),
                })
                .collect::<rusqlite::Result<_>>()?;
        }
        Ok(items)
    })
}

type AlertRows = (Vec<(String, String, bool)>, Vec<(i64, String)>);

fn alert_rows(from: &History) -> Result<AlertRows, HistoryError> {
    from.run(|conn| {
        let states = conn
            .prepare("SELECT rule, item_id, crossed FROM alert_state")?
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let log = conn
            .prepare("SELECT at, alert FROM alert_log ORDER BY id")?
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok((states, log))
    })
}

/// The measured batches: the ones the price per call is learned from.
fn batch_rows(from: &History) -> Result<Vec<BatchRow>, HistoryError> {
    from.run(|conn| {
        conn.prepare(
            "SELECT started_at, finished_at, calls, cost, currency FROM spend_batches
             WHERE finished_at IS NOT NULL AND calls IS NOT NULL AND cost IS NOT NULL
             ORDER BY id",
        )?
        .query_map([], |row| {
            Ok(BatchRow {
                started_at: row.get(0)?,
                finished_at: row.get(1)?,
                calls: row.get(2)?,
                cost: row.get(3)?,
                currency: row.get(4)?,
            })
        })?
        .collect()
    })
}
