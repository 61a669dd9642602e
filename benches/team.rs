//! A team of five on one PostgreSQL: five processes, each with its own XDG directories and
//! the same `--store URL`, run `watch refresh` on the same 300-item watchlist at the same
//! moment against a fake API answering after 50 ms. Prints the paid calls in total (the
//! target: exactly 300) and the wall time, beside one process refreshing the same 300 items
//! alone on a fresh database, and the ratio of the two.
//!
//! Run through `benches/run.sh` (it builds the release binary). Without PostgreSQL's
//! binaries it prints one line saying so and stops.

// A benchmark prints its figures for a person at a terminal.
#![allow(clippy::disallowed_macros)]

#[allow(dead_code)]
mod common;
#[allow(dead_code)]
#[path = "../tests/common/pg.rs"]
mod pg;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use wiremock::MockServer;

const LATENCY: Duration = Duration::from_millis(50);
const ITEMS: usize = 300;
const TEAM: usize = 5;

fn main() {
    let Some(binary) = common::release_binary("team") else {
        return;
    };
    let Some(server) = pg::PgServer::start() else {
        println!(
            "team: skipped, PostgreSQL's initdb/pg_ctl not found (install the postgresql package)"
        );
        return;
    };
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let ids: Vec<String> = (0..ITEMS)
        .map(|i| format!("75662004714487{i:05}"))
        .collect();

    let (team_calls, team_wall) = {
        let api = runtime.block_on(common::fake_api(LATENCY));
        let db = server.database();
        let wall = refresh_together(&binary, &api.uri(), &db.url(), &ids, TEAM);
        (paid_calls(&runtime, &api), wall)
    };
    let (alone_calls, alone_wall) = {
        let api = runtime.block_on(common::fake_api(LATENCY));
        let db = server.database();
        let wall = refresh_together(&binary, &api.uri(), &db.url(), &ids, 1);
        (paid_calls(&runtime, &api), wall)
    };
    println!(
        "team: {TEAM} processes refreshing the same {ITEMS} items at once (50 ms per call, concurrency 4 each): {team_calls} paid calls in total (target {ITEMS}: {}), {} ms wall",
        if team_calls == ITEMS { "met" } else { "MISSED" },
        team_wall.as_millis()
    );
    println!(
        "team: one process alone on the same {ITEMS} items: {alone_calls} paid calls, {} ms wall; the team took {:.2}x the time of one process, paying {:.2}x the calls",
        alone_wall.as_millis(),
        team_wall.as_secs_f64() / alone_wall.as_secs_f64(),
        team_calls as f64 / alone_calls.max(1) as f64
    );
}

fn paid_calls(runtime: &tokio::runtime::Runtime, api: &MockServer) -> usize {
    runtime.block_on(api.received_requests()).map_or(0, |r| {
        r.iter()
            .filter(|r| r.url.path() == common::ENDPOINT)
            .count()
    })
}

/// `n` processes, each in its own XDG directories watching `ids`, refreshing at once; the
/// wall time until the last one exits (each must exit 0).
fn refresh_together(binary: &Path, base: &str, store: &str, ids: &[String], n: usize) -> Duration {
    let homes: Vec<tempfile::TempDir> = (0..n)
        .map(|_| {
            let home = tempfile::tempdir().expect("a temp dir");
            let dir = home.path().join("config/xingtu-dash");
            std::fs::create_dir_all(&dir).expect("config dir");
            let mut config = String::from("[api]\nshow_balance = false\n\n");
            for id in ids {
                config.push_str(&format!("[[watchlist]]\nitem_id = \"{id}\"\n\n"));
            }
            std::fs::write(dir.join("config.toml"), config).expect("config file");
            home
        })
        .collect();
    let start = Instant::now();
    let children: Vec<_> = homes
        .iter()
        .map(|home| {
            let root = home.path();
            Command::new(binary)
                .env_clear()
                .env("PATH", std::env::var_os("PATH").unwrap_or_default())
                .env("HOME", root)
                .env("XDG_CONFIG_HOME", root.join("config"))
                .env("XDG_DATA_HOME", root.join("data"))
                .env("XDG_STATE_HOME", root.join("state"))
                .env("XDG_CACHE_HOME", root.join("cache"))
                .env("LANG", "C.UTF-8")
                .env("JUSTONEAPI_TOKEN", "bench-token")
                .env("JUSTONEAPI_BASE_URL", base)
                .env("XINGTU_DASH_STORE", store)
                .args(["watch", "refresh", "--quiet"])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("start xingtu-dash")
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().expect("wait for xingtu-dash");
        assert!(
            out.status.success(),
            "a refresh failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    start.elapsed()
}
