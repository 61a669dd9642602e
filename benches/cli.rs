//! The one-shot commands against a fake API on loopback that answers every request after
//! 50 ms, as the issues' targets ask:
//! - one lookup, process wall time: `xingtu-dash get` vs `curl` vs the provider's Python SDK;
//! - 200 distinct ids: `get` (concurrency 4) vs the SDK in a loop, and vs the ideal
//!   200 x 50 ms / 4;
//! - `watch refresh` of 1,000 watched items at concurrency 8: wall time vs the ideal
//!   1,000 x 50 ms / 8, peak RSS, calls made, and a second run inside the cache window;
//! - 10,000 watched items: forced and cached refresh, peak RSS and calls (and the same for a
//!   baseline binary given in `XINGTU_DASH_BASELINE`, with the ratios); 2,000 items at 50 ms
//!   against the ideal; 100,000 watched items: refresh, `export`, `watch list`.
//!
//! Run through `benches/run.sh` (it builds the release binary and the SDK's venv). A missed
//! target prints "MISSED"; nothing here fails on a miss.

// A benchmark prints its figures for a person at a terminal.
#![allow(clippy::disallowed_macros)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{ENDPOINT, median};
const LATENCY: Duration = Duration::from_millis(50);
const TOKEN: &str = "bench-token";
const FIRST_ID: u64 = 7_566_200_471_448_779_514;
const RUNS: usize = 20;

fn main() {
    let Some(binary) = common::release_binary("cli") else {
        return;
    };
    let target = binary
        .parent()
        .and_then(Path::parent)
        .expect("target/release/xingtu-dash");
    let python = target.join("bench-venv/bin/python");
    let sdk = sdk_ready(&python).then_some(python.as_path());
    if sdk.is_none() {
        println!(
            "cli: the provider's SDK is unavailable (benches/run.sh installs it into target/bench-venv); SDK figures skipped"
        );
    }

    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let server = runtime.block_on(common::fake_api(LATENCY));
    let base = server.uri();
    let requests = || {
        runtime
            .block_on(server.received_requests())
            .map_or(0, |r| r.len())
    };

    one_lookup(&binary, &base, sdk);
    many_ids(&binary, &base, sdk);
    refresh(&binary, &base, &requests);

    // The scale figures of issue 9, against a fake that answers at once (the 10,000-item
    // runs measure memory and calls, not latency) and the 50 ms one (wall time vs ideal).
    let fast = runtime.block_on(common::fake_api(Duration::ZERO));
    let fast_requests = || {
        runtime
            .block_on(fast.received_requests())
            .map_or(0, |r| r.len())
    };
    let baseline = std::env::var_os("XINGTU_DASH_BASELINE").map(PathBuf::from);
    if let Some(b) = &baseline {
        println!(
            "cli: baseline binary {} (ratios are this build / baseline)",
            b.display()
        );
    }
    scale(&binary, baseline.as_deref(), &fast.uri(), &fast_requests);
    refresh_at_latency(&binary, &base, &requests);
    huge_watchlist(&binary, &fast.uri(), &fast_requests);
}

/// Fresh XDG directories: no cache, no history, no config.
struct Home(tempfile::TempDir);

impl Home {
    fn new() -> Home {
        Home(tempfile::tempdir().expect("a temp dir"))
    }

    fn command(&self, binary: &Path, base: &str) -> Command {
        let mut cmd = Command::new(binary);
        let root = self.0.path();
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", root)
            .env("XDG_CONFIG_HOME", root.join("config"))
            .env("XDG_DATA_HOME", root.join("data"))
            .env("XDG_STATE_HOME", root.join("state"))
            .env("XDG_CACHE_HOME", root.join("cache"))
            .env("LANG", "C.UTF-8")
            .env("JUSTONEAPI_TOKEN", TOKEN)
            .env("JUSTONEAPI_BASE_URL", base)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        cmd
    }
}

fn timed(mut cmd: Command) -> Duration {
    let start = Instant::now();
    let status = cmd.status().expect("the command runs");
    let elapsed = start.elapsed();
    if !status.success() {
        println!("cli: warning: {cmd:?} exited with {status}");
    }
    elapsed
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

fn verdict(ok: bool) -> &'static str {
    if ok { "" } else { "  MISSED" }
}

fn sdk_ready(python: &Path) -> bool {
    python.is_file()
        && Command::new(python)
            .args(["-c", "import justoneapi"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
}

/// The SDK call the issue names, over `ids`, in one Python process.
fn sdk_command(python: &Path, base: &str, ids: &[String]) -> Command {
    let script = format!(
        "from justoneapi import JustOneAPIClient\n\
         c = JustOneAPIClient({TOKEN:?}, base_url={base:?})\n\
         for i in {ids:?}:\n    c.douyin_xingtu.gw_api_data_sp_item_report_detail_v1(item_id=i)\n"
    );
    let mut cmd = Command::new(python);
    cmd.args(["-c", &script])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

fn one_lookup(binary: &Path, base: &str, sdk: Option<&Path>) {
    let id = FIRST_ID.to_string();
    let home = Home::new();
    let ours = || {
        let mut cmd = home.command(binary, base);
        cmd.args(["get", &id, "--force"]);
        cmd
    };
    let url = format!("{base}{ENDPOINT}?token={TOKEN}&itemId={id}");
    let curl = || {
        let mut cmd = Command::new("curl");
        cmd.args(["-s", "-o", "/dev/null", &url]);
        cmd
    };
    for _ in 0..2 {
        timed(ours());
        timed(curl());
    }
    let xingtu = median((0..RUNS).map(|_| timed(ours())).collect());
    let curl_time = median((0..RUNS).map(|_| timed(curl())).collect());
    let sdk_time = sdk.map(|python| {
        median(
            (0..RUNS)
                .map(|_| timed(sdk_command(python, base, std::slice::from_ref(&id))))
                .collect(),
        )
    });
    let ratio = xingtu.as_secs_f64() / curl_time.as_secs_f64();
    println!(
        "cli: one lookup (median of {RUNS})   xingtu-dash {}   curl {}   sdk {}   ratio vs curl {ratio:.2}x (target <= 1.5x){}",
        ms(xingtu),
        ms(curl_time),
        sdk_time.map_or("n/a".into(), ms),
        verdict(ratio <= 1.5)
    );
}

fn many_ids(binary: &Path, base: &str, sdk: Option<&Path>) {
    let ids: Vec<String> = (0..200).map(|i| (FIRST_ID + i).to_string()).collect();
    let loop_time = sdk.map(|python| timed(sdk_command(python, base, &ids)));
    if let Some(t) = loop_time {
        println!(
            "cli: 200 ids, the SDK in a loop       {:.2} s",
            t.as_secs_f64()
        );
    }
    // The default concurrency (4) and a wider one: against a fixed 50 ms per call, the
    // speedup over a sequential loop cannot exceed the concurrency.
    for concurrency in [4u32, 8] {
        let ideal = LATENCY * 200 / concurrency;
        let runs: Vec<Duration> = (0..3)
            .map(|_| {
                let home = Home::new();
                let mut cmd = home.command(binary, base);
                cmd.args(["get", "--concurrency", &concurrency.to_string()])
                    .args(&ids);
                timed(cmd)
            })
            .collect();
        let xingtu = median(runs);
        let vs_ideal = xingtu.as_secs_f64() / ideal.as_secs_f64();
        let speedup = loop_time.map_or("sdk n/a".into(), |t| {
            let x = t.as_secs_f64() / xingtu.as_secs_f64();
            format!("speedup {x:.1}x (target >= 6x){}", verdict(x >= 6.0))
        });
        println!(
            "cli: 200 ids, get --concurrency {concurrency}   {:.2} s   {speedup}   vs ideal {:.2} s: {vs_ideal:.2}x (target <= 1.3x){}",
            xingtu.as_secs_f64(),
            ideal.as_secs_f64(),
            verdict(vs_ideal <= 1.3)
        );
    }
}

fn refresh(binary: &Path, base: &str, requests: &dyn Fn() -> usize) {
    const ITEMS: u64 = 1_000;
    let home = Home::new();
    let config_dir = home.0.path().join("config/xingtu-dash");
    std::fs::create_dir_all(&config_dir).expect("config dir");
    let mut config = String::from("[watch]\nconcurrency = 8\n");
    for i in 0..ITEMS {
        config.push_str(&format!(
            "\n[[watchlist]]\nitem_id = \"{}\"\nadded_at = 2026-11-20T08:15:02Z\n",
            FIRST_ID + 10_000 + i
        ));
    }
    std::fs::write(config_dir.join("config.toml"), config).expect("config file");
    let ideal = LATENCY * ITEMS as u32 / 8;

    let rss_file = home.0.path().join("rss");
    let before = requests();
    let cold = match Path::new("/usr/bin/time").is_file() {
        true => {
            let mut cmd = home.command(Path::new("/usr/bin/time"), base);
            cmd.args(["-f", "%M", "-o"])
                .arg(&rss_file)
                .arg(binary)
                .args(["watch", "refresh", "--quiet"]);
            timed(cmd)
        }
        false => {
            let mut cmd = home.command(binary, base);
            cmd.args(["watch", "refresh", "--quiet"]);
            timed(cmd)
        }
    };
    let calls = requests() - before;
    let rss_mb = std::fs::read_to_string(&rss_file)
        .ok()
        .and_then(|s| s.trim().lines().last()?.trim().parse::<f64>().ok())
        .map(|kb| kb / 1024.0);
    let vs_ideal = cold.as_secs_f64() / ideal.as_secs_f64();
    println!(
        "cli: watch refresh, 1000 items, c=8  {:.2} s   vs ideal {:.2} s: {vs_ideal:.2}x (target <= 1.3x){}   calls {calls} (expect 1000)",
        cold.as_secs_f64(),
        ideal.as_secs_f64(),
        verdict(vs_ideal <= 1.3)
    );
    match rss_mb {
        Some(mb) => println!(
            "cli: watch refresh peak RSS          {mb:.1} MB (target < 50 MB){}",
            verdict(mb < 50.0)
        ),
        None => println!(
            "cli: watch refresh peak RSS          n/a (/usr/bin/time missing: apt-get install time)"
        ),
    }

    let before = requests();
    let mut cmd = home.command(binary, base);
    cmd.args(["watch", "refresh", "--quiet"]);
    let warm = timed(cmd);
    println!(
        "cli: watch refresh again (cached)   {}   calls {} (expect 0: within the cache window)",
        ms(warm),
        requests() - before
    );
}

/// A home whose config watches `items` ids (concurrency 8).
fn watching(items: u64) -> Home {
    let home = Home::new();
    let config_dir = home.0.path().join("config/xingtu-dash");
    std::fs::create_dir_all(&config_dir).expect("config dir");
    let mut config = String::from("[watch]\nconcurrency = 8\n");
    for i in 0..items {
        config.push_str(&format!(
            "\n[[watchlist]]\nitem_id = \"{}\"\nadded_at = 2026-11-20T08:15:02Z\n",
            FIRST_ID + 100_000 + i
        ));
    }
    std::fs::write(config_dir.join("config.toml"), config).expect("config file");
    home
}

/// Wall time and peak RSS (MB, when /usr/bin/time is there) of one run.
fn measured(home: &Home, binary: &Path, base: &str, args: &[&str]) -> (Duration, Option<f64>) {
    let rss_file = home.0.path().join("rss");
    let _ = std::fs::remove_file(&rss_file);
    let cmd = if Path::new("/usr/bin/time").is_file() {
        let mut cmd = home.command(Path::new("/usr/bin/time"), base);
        cmd.args(["-f", "%M", "-o"])
            .arg(&rss_file)
            .arg(binary)
            .args(args);
        cmd
    } else {
        let mut cmd = home.command(binary, base);
        cmd.args(args);
        cmd
    };
    let wall = timed(cmd);
    let rss = std::fs::read_to_string(&rss_file)
        .ok()
        .and_then(|s| s.trim().lines().last()?.trim().parse::<f64>().ok())
        .map(|kb| kb / 1024.0);
    (wall, rss)
}

fn mb(rss: Option<f64>) -> String {
    rss.map_or("n/a".into(), |m| format!("{m:.1} MB"))
}

fn versus(now: Option<f64>, before: Option<f64>) -> String {
    match (now, before) {
        (Some(n), Some(b)) if b > 0.0 => format!("   baseline {b:.1} MB -> {:.2}x", n / b),
        _ => String::new(),
    }
}

/// 10,000 watched items: a forced refresh (exactly 10,000 calls) and a cached one (none),
/// each with its peak RSS, for this build and the baseline.
fn scale(binary: &Path, baseline: Option<&Path>, base: &str, requests: &dyn Fn() -> usize) {
    const ITEMS: u64 = 10_000;
    let run = |bin: &Path| {
        let home = watching(ITEMS);
        let before = requests();
        let forced = measured(
            &home,
            bin,
            base,
            &[
                "watch",
                "refresh",
                "--force",
                "--quiet",
                "--concurrency",
                "8",
            ],
        );
        let forced_calls = requests() - before;
        let before = requests();
        let cached = measured(&home, bin, base, &["watch", "refresh", "--quiet"]);
        let cached_calls = requests() - before;
        (forced, forced_calls, cached, cached_calls)
    };
    let ((f_wall, f_rss), f_calls, (c_wall, c_rss), c_calls) = run(binary);
    let old = baseline.map(run);
    println!(
        "cli: forced refresh, 10000 items, c=8   {:.2} s   peak RSS {} (target <= 40 MB){}   calls {f_calls} (expect 10000){}{}",
        f_wall.as_secs_f64(),
        mb(f_rss),
        verdict(f_rss.is_none_or(|m| m <= 40.0)),
        verdict(f_calls == 10_000),
        versus(f_rss, old.as_ref().and_then(|o| o.0.1)),
    );
    println!(
        "cli: cached refresh, 10000 items        {:.2} s   peak RSS {} (target <= 30 MB){}   calls {c_calls} (expect 0){}{}",
        c_wall.as_secs_f64(),
        mb(c_rss),
        verdict(c_rss.is_none_or(|m| m <= 30.0)),
        verdict(c_calls == 0),
        versus(c_rss, old.as_ref().and_then(|o| o.2.1)),
    );
}

/// 2,000 items at 50 ms a call, concurrency 8, against the ideal N x latency / concurrency.
fn refresh_at_latency(binary: &Path, base: &str, requests: &dyn Fn() -> usize) {
    const ITEMS: u64 = 2_000;
    let home = watching(ITEMS);
    let ideal = LATENCY * ITEMS as u32 / 8;
    let before = requests();
    let (wall, rss) = measured(
        &home,
        binary,
        base,
        &["watch", "refresh", "--quiet", "--concurrency", "8"],
    );
    let ratio = wall.as_secs_f64() / ideal.as_secs_f64();
    println!(
        "cli: refresh 2000 items at 50 ms, c=8   {:.2} s   vs ideal {:.2} s: {ratio:.2}x (target <= 1.1x){}   calls {}   peak RSS {}",
        wall.as_secs_f64(),
        ideal.as_secs_f64(),
        verdict(ratio <= 1.1),
        requests() - before,
        mb(rss),
    );
}

/// 100,000 watched items: nothing quadratic anywhere. Forced and cached refresh, `export`
/// and `watch list`, with times and peak RSS.
fn huge_watchlist(binary: &Path, base: &str, requests: &dyn Fn() -> usize) {
    const ITEMS: u64 = 100_000;
    let home = watching(ITEMS);
    let before = requests();
    let (wall, rss) = measured(
        &home,
        binary,
        base,
        &[
            "watch",
            "refresh",
            "--force",
            "--quiet",
            "--concurrency",
            "8",
        ],
    );
    println!(
        "cli: 100000 items, forced refresh       {:.2} s   peak RSS {}   calls {}",
        wall.as_secs_f64(),
        mb(rss),
        requests() - before
    );
    let export = home.0.path().join("export.csv");
    let export = export.to_string_lossy();
    let workbook = home.0.path().join("export.xlsx");
    let workbook = workbook.to_string_lossy();
    for (what, args) in [
        ("cached refresh", &["watch", "refresh", "--quiet"][..]),
        ("export (CSV)", &["export", "--output", &export][..]),
        ("export (xlsx)", &["export", "--output", &workbook][..]),
        ("watch list --json", &["watch", "list", "--json"][..]),
    ] {
        let before = requests();
        let (wall, rss) = measured(&home, binary, base, args);
        println!(
            "cli: 100000 items, {what:<20} {:.2} s   peak RSS {}   calls {}",
            wall.as_secs_f64(),
            mb(rss),
            requests() - before
        );
    }
}
