//! `xingtu-dash campaign` over 10,000 watched items in 50 campaigns, built from stored data
//! (two snapshots each, as after two refreshes): the process's wall time for the list of
//! campaigns, one campaign's ranking and the JSON form. Target: ≤ 100 ms. No call is made
//! (the base URL points at a closed port). Run through `benches/run.sh`.

// A benchmark prints its figures for a person at a terminal.
#![allow(clippy::disallowed_macros)]

#[allow(dead_code)]
mod common;

use std::error::Error;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{TimeDelta, Utc};
use xingtu_dash::report::essential;
use xingtu_dash::store::{self, Record, Snapshot};

const ITEMS: u64 = 10_000;
const CAMPAIGNS: u64 = 50;
const RUNS: usize = 15;
const FIRST_ID: u64 = 7_566_200_471_448_779_514;
const TARGET: Duration = Duration::from_millis(100);

fn main() -> Result<(), Box<dyn Error>> {
    let Some(binary) = common::release_binary("campaign") else {
        return Ok(());
    };
    let home = tempfile::tempdir()?;
    build(home.path())?;
    for (what, args) in [
        ("campaign (50 rows)", &["campaign"][..]),
        (
            "campaign NAME (200 videos ranked)",
            &["campaign", "活动 7"][..],
        ),
        ("campaign --json", &["campaign", "--json"][..]),
    ] {
        let samples: Vec<Duration> = (0..RUNS)
            .map(|_| timed(command(&binary, home.path(), args)))
            .collect::<Result<_, _>>()?;
        let median = common::median(samples);
        println!(
            "campaign: {what} over {ITEMS} watched items in {CAMPAIGNS} campaigns: median {:.1} ms (target <= {} ms){}",
            median.as_secs_f64() * 1e3,
            TARGET.as_millis(),
            if median <= TARGET { "" } else { "  MISSED" }
        );
    }
    Ok(())
}

/// The config (watchlist with campaigns and prices) and the store (two snapshots per item).
fn build(home: &Path) -> Result<(), Box<dyn Error>> {
    let config_dir = home.join("config/xingtu-dash");
    std::fs::create_dir_all(&config_dir)?;
    let mut config = String::new();
    for i in 0..ITEMS {
        config.push_str(&format!(
            "[[watchlist]]\nitem_id = \"{}\"\ncampaign = \"活动 {}\"\n",
            FIRST_ID + i,
            i % CAMPAIGNS
        ));
        // Most videos priced, some not: the mixed case the totals must handle.
        if i % 5 != 0 {
            config.push_str(&format!("price = {}\n", 500 + i % 97 * 100));
        }
        config.push_str("added_at = 2026-11-20T08:15:02Z\n\n");
    }
    std::fs::write(config_dir.join("config.toml"), config)?;

    let data_dir = home.join("data/xingtu-dash");
    std::fs::create_dir_all(&data_dir)?;
    let mut history = store::open_db(&store::StoreLocation::sqlite(
        data_dir.join("history.sqlite3"),
    ))?;
    let envelope: serde_json::Value =
        serde_json::from_str(include_str!("../tests/fixtures/item_report_detail_ok.json"))?;
    let data = essential(&envelope["data"]);
    let now = Utc::now();
    for round in 0..2u64 {
        let at = now - TimeDelta::hours(2 - round as i64);
        let records: Vec<Record<'_>> = (0..ITEMS)
            .map(|i| Record {
                snapshot: snapshot(FIRST_ID + i, at, i + round * 1000),
                data: &data,
            })
            .collect();
        history.record(&records)?;
    }
    Ok(())
}

fn snapshot(id: u64, fetched_at: chrono::DateTime<Utc>, n: u64) -> Snapshot {
    Snapshot {
        item_id: id.to_string(),
        fetched_at,
        vv_cnt: Some(100_000 + n * 37),
        like_cnt: Some(2_000 + n % 500),
        comment_cnt: Some(100 + n % 50),
        share_cnt: Some(50 + n % 20),
        collect_cnt: Some(80 + n % 30),
        interact_cnt: Some(2_150 + n % 500 + n % 50 + n % 20),
        interact_rate: Some(0.02),
        finish_rate: Some(0.1 + (n % 10) as f64 / 100.0),
        follower: Some(1_000_000),
    }
}

fn command(binary: &Path, home: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(binary);
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("LANG", "C.UTF-8")
        .env("JUSTONEAPI_TOKEN", "bench-token")
        // Nothing listens there: a call would fail the run.
        .env("JUSTONEAPI_BASE_URL", "http://127.0.0.1:9")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

fn timed(mut cmd: Command) -> Result<Duration, Box<dyn Error>> {
    let start = Instant::now();
    let status = cmd.status()?;
    let elapsed = start.elapsed();
    if !status.success() {
        return Err(format!("{cmd:?} exited with {status}").into());
    }
    Ok(elapsed)
}
