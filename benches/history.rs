//! How the snapshot history holds up at a realistic size: 1,000 watched items refreshed 100
//! times (100,000 snapshots). Run with `cargo bench --bench history`.

// A benchmark prints its figures for a person at a terminal.
#![allow(clippy::disallowed_macros)]

use std::error::Error;
use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, Utc};
use xingtu_dash::report::essential;
use xingtu_dash::store::{self, Record, Snapshot, StoreLocation};

const ITEMS: usize = 1_000;
const ROUNDS: usize = 100;
const SNAPSHOTS: usize = ITEMS * ROUNDS;
const SERIES_RUNS: usize = 50;
const WATCHLIST_RUNS: usize = 10;
const SINGLE_COMMITS: usize = 200;

fn main() -> Result<(), Box<dyn Error>> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("history.sqlite3");
    let ids: Vec<String> = (0..ITEMS)
        .map(|i| (7_566_200_471_448_779_514_u64 + i as u64).to_string())
        .collect();

    let insert = build(&path, &ids)?;
    report(
        "insert (100 refreshes x 1000 items)",
        format!(
            "{:.0} snapshots/s  ({:.2} s total)",
            SNAPSHOTS as f64 / insert.as_secs_f64(),
            insert.as_secs_f64()
        ),
        "",
    );
    report(
        "insert (1 snapshot per commit)",
        format!("median {}", ms(single_commit_median(dir.path())?)),
        "",
    );
    // `build` closed its connection, which checkpoints the WAL into the main file.
    let bytes = std::fs::metadata(&path)?.len();
    report(
        "file size",
        format!(
            "{:.1} MB, {} bytes/snapshot",
            bytes as f64 / 1e6,
            bytes / SNAPSHOTS as u64
        ),
        "",
    );

    let history = store::open_db(&StoreLocation::sqlite(&path))?;
    let mut rng = fastrand::Rng::with_seed(1);
    let series = median_of(SERIES_RUNS, || {
        let id = &ids[rng.usize(..ITEMS)];
        let mut rows = 0;
        history.each_snapshot(id, None, &mut |_| {
            rows += 1;
            true
        })?;
        check(rows == ROUNDS, "series length")
    })?;
    report(
        "series(1 item, 100 rows)",
        format!("median {}", ms(series)),
        "(target < 10 ms)",
    );

    let watchlist = median_of(WATCHLIST_RUNS, || {
        // A fresh connection, as at dashboard start.
        let history = store::open_db(&StoreLocation::sqlite(&path))?;
        let mut rows = 0;
        history.each_row(&ids, 24, &mut |row| {
            rows += usize::from(row.views.len() == 24 && row.title.is_some());
        })?;
        check(rows == ITEMS, "watchlist size")
    })?;
    report(
        "open + each_row (24 views, title), 1000 ids",
        format!("median {}", ms(watchlist)),
        "(target < 300 ms)",
    );

    let marker = median_of(SERIES_RUNS, || {
        history.change_marker().map(drop).map_err(Into::into)
    })?;
    report("change_marker", format!("median {}", ms(marker)), "");
    Ok(())
}

/// Records the history the way `watch refresh` does: every item once per refresh, one
/// transaction per refresh, refreshes 15 minutes apart. Returns the time spent recording.
fn build(path: &Path, ids: &[String]) -> Result<Duration, Box<dyn Error>> {
    let mut history = store::open_db(&StoreLocation::sqlite(path))?;
    let data = report_data();
    let start_at = Utc::now() - TimeDelta::days(30);
    let started = Instant::now();
    for round in 0..ROUNDS {
        let at = start_at + TimeDelta::minutes(15 * round as i64);
        let records: Vec<Record<'_>> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| Record {
                snapshot: snapshot(id, at, (round * 1_000 + i) as u64),
                data: &data,
            })
            .collect();
        history.record(&records)?;
    }
    Ok(started.elapsed())
}

/// What a one-off `get` pays to store its result: one snapshot, one commit.
fn single_commit_median(dir: &Path) -> Result<Duration, Box<dyn Error>> {
    let mut history = store::open_db(&StoreLocation::sqlite(dir.join("single.sqlite3")))?;
    let data = report_data();
    let mut n = 0;
    median_of(SINGLE_COMMITS, || {
        n += 1;
        history.record(&[Record {
            snapshot: snapshot("7566200471448779514", Utc::now(), n),
            data: &data,
        }])?;
        Ok(())
    })
}

/// What a snapshot keeps of the provider's example response.
fn report_data() -> serde_json::Value {
    let envelope: serde_json::Value =
        serde_json::from_str(include_str!("../tests/fixtures/item_report_detail_ok.json"))
            .expect("the example envelope");
    essential(&envelope["data"])
}

fn snapshot(id: &str, at: DateTime<Utc>, views: u64) -> Snapshot {
    Snapshot {
        item_id: id.to_owned(),
        fetched_at: at,
        vv_cnt: Some(1_000_000 + views * 37),
        like_cnt: Some(20_000 + views),
        comment_cnt: Some(900 + views / 3),
        share_cnt: Some(400 + views / 5),
        collect_cnt: Some(700 + views / 4),
        interact_cnt: Some(22_000 + views * 2),
        interact_rate: Some(0.0213),
        finish_rate: Some(0.42),
        follower: Some(3_250_000),
    }
}

fn median_of(
    runs: usize,
    mut f: impl FnMut() -> Result<(), Box<dyn Error>>,
) -> Result<Duration, Box<dyn Error>> {
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        f()?;
        times.push(started.elapsed());
    }
    times.sort();
    Ok(times[runs / 2])
}

fn check(ok: bool, what: &str) -> Result<(), Box<dyn Error>> {
    if ok {
        Ok(())
    } else {
        Err(format!("unexpected {what}").into())
    }
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn report(what: &str, figure: String, target: &str) {
    println!("history: {what:<50} {figure:<32} {target}");
}
