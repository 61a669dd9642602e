//! How fast the dashboard draws and starts: frame render times on TestBackend (the bundled
//! demo, and a 1,000-row watchlist), start to first frame of the release binary in a
//! pseudo-terminal, its idle CPU, opening it over 100,000 stored snapshots, and opening it on
//! 10,000 and 100,000 watched items (first frame, peak RSS, idle CPU; a baseline binary in
//! `XINGTU_DASH_BASELINE` is measured at 10,000 too).
//! Run with `cargo build --release && cargo bench --bench ui`. A missed target prints
//! "MISSED"; nothing here panics on a miss. `UI_BENCH_SHOW=1` also prints the frames drawn.

// A benchmark prints its figures for a person at a terminal.
#![allow(clippy::disallowed_macros)]

use std::error::Error;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use ratatui::{Frame, Terminal};
use xingtu_dash::api::demo::{self, DemoData};
use xingtu_dash::app::layout;
use xingtu_dash::app::state::{Focus, HistoryView, ItemView};
use xingtu_dash::app::{Action, App, update};
use xingtu_dash::fetcher::Fetched;
use xingtu_dash::format::NumberStyle;
use xingtu_dash::item_id::ItemId;
use xingtu_dash::report::{Report, essential};
use xingtu_dash::store::config::WatchEntry;
use xingtu_dash::store::{Record, Snapshot};
use xingtu_dash::ui::theme::Theme;
use xingtu_dash::ui::{self, charts, details, input, lists, status, trend};

type Res<T> = Result<T, Box<dyn Error>>;

const FRAMES: usize = 600;
const WARMUP: usize = 50;
const BIG_LIST: usize = 1_000;
const START_RUNS: usize = 10;
const BIG_START_RUNS: usize = 5;
const IDLE_SECS: u64 = 10;
const ROUNDS: usize = 100;
const CREATOR: &str = "好热的黄彬";
const FIRST_ID: u64 = 7_566_200_471_448_779_514;

fn main() {
    let binary = binary_path();
    if let Err(e) = frames() {
        println!("ui: render benchmarks failed: {e}");
    }
    if !binary.is_file() {
        println!(
            "ui: {} not found: build the release binary first (cargo build --release)",
            binary.display()
        );
        return;
    }
    if let Err(e) = start_demo(&binary) {
        println!("ui: start to first frame (demo) failed: {e}");
    }
    if let Err(e) = idle_cpu(&binary) {
        println!("ui: idle CPU failed: {e}");
    }
    if let Err(e) = start_big(&binary) {
        println!("ui: start with 100,000 snapshots failed: {e}");
    }
    let baseline = std::env::var_os("XINGTU_DASH_BASELINE").map(PathBuf::from);
    for items in [10_000, 100_000] {
        if let Err(e) = dashboard_scale(&binary, baseline.as_deref(), items) {
            println!("ui: dashboard on {items} watched items failed: {e}");
        }
    }
}

/// The dashboard opened on `items` watched items, each with a stored report: start to first
/// frame, to the rows' titles, peak RSS after scrolling to the end, and idle CPU. The store
/// is filled by the binary's own `watch refresh --force` against an instant fake API, so a
/// baseline binary (`XINGTU_DASH_BASELINE`) opens files in its own format; it runs only at
/// 10,000 items.
fn dashboard_scale(binary: &Path, baseline: Option<&Path>, items: usize) -> Res<()> {
    let runtime = tokio::runtime::Runtime::new()?;
    let server = runtime.block_on(instant_api());
    let measure = |bin: &Path| -> Res<(Duration, Duration, f64, f64)> {
        let home = tempfile::tempdir()?;
        let config_dir = home.path().join("config/xingtu-dash");
        std::fs::create_dir_all(&config_dir)?;
        let mut config = format!(
            "[api]\ntoken = \"bench-token\"\nbase_url = \"{}\"\n\n",
            server.uri()
        );
        for i in 0..items {
            config.push_str(&format!(
                "[[watchlist]]\nitem_id = \"{}\"\nadded_at = 2026-11-20T08:15:02Z\n\n",
                FIRST_ID + 1_000_000 + i as u64
            ));
        }
        let config_path = config_dir.join("config.toml");
        std::fs::write(&config_path, config)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&config_path, std::fs::Permissions::from_mode(0o600))?;
        }
        let filled = std::process::Command::new(bin)
            .args([
                "watch",
                "refresh",
                "--force",
                "--quiet",
                "--concurrency",
                "8",
            ])
            .env("HOME", home.path())
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("XDG_CACHE_HOME", home.path().join("cache"))
            .env("XDG_STATE_HOME", home.path().join("state"))
            .env_remove("JUSTONEAPI_TOKEN")
            .env_remove("JUSTONEAPI_BASE_URL")
            .env_remove("XINGTU_DASH_CONFIG")
            .status()?;
        if !filled.success() {
            return Err(format!("filling the store failed: {filled}").into());
        }
        let title = format!("Watchlist ({items})");
        // A row with its stored title and mark (before its row loads, a row shows the id).
        let needles = [title.as_str(), "✓ 少爷"];
        let mut run = spawn(bin, home.path(), &[], &needles)?;
        let (_, found) = run.wait_for(needles.len(), Duration::from_secs(60));
        let (Some(first), Some(rows)) = (found[0], found[1]) else {
            run.stop();
            return Err("the watchlist or its titles never showed".into());
        };
        // Scroll to the end and back: the rows on screen change, memory must not grow.
        for key in [&b"G"[..], b"g", b"G"] {
            run.writer.write_all(key)?;
            run.writer.flush()?;
            std::thread::sleep(Duration::from_millis(300));
        }
        std::thread::sleep(Duration::from_millis(500));
        let pid = run.pid().ok_or("no child pid")?;
        let peak = peak_rss_mb(pid)?;
        let before = cpu_ticks(pid)?;
        let t0 = Instant::now();
        std::thread::sleep(Duration::from_secs(5));
        let cpu = cpu_ticks(pid)?.saturating_sub(before) as f64
            / clock_ticks()
            / t0.elapsed().as_secs_f64()
            * 100.0;
        run.stop();
        Ok((first, rows, peak, cpu))
    };
    let (first, rows, peak, cpu) = measure(binary)?;
    let old = match baseline {
        Some(b) if items <= 10_000 => Some(measure(b)?),
        _ => None,
    };
    let versus = |now: f64, before: Option<f64>| match before {
        Some(b) if b > 0.0 => format!("   (baseline {b:.1} -> {:.2}x)", now / b),
        _ => String::new(),
    };
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let (first_target, rss_target) = if items <= 10_000 {
        (Some(100.0), Some(40.0))
    } else {
        (None, None)
    };
    println!(
        "ui: dashboard on {items} watched: first frame {:.1} ms{}{}",
        ms(first),
        first_target.map_or(String::new(), |t| format!(
            " (target <= {t} ms){}",
            missed(ms(first) <= t)
        )),
        versus(ms(first), old.map(|o| ms(o.0)))
    );
    println!(
        "ui: dashboard on {items} watched: rows with titles at {:.1} ms{}",
        ms(rows),
        versus(ms(rows), old.map(|o| ms(o.1)))
    );
    println!(
        "ui: dashboard on {items} watched: peak RSS {peak:.1} MB{}{}",
        rss_target.map_or(String::new(), |t| format!(
            " (target <= {t} MB){}",
            missed(peak <= t)
        )),
        versus(peak, old.map(|o| o.2))
    );
    println!(
        "ui: dashboard on {items} watched: idle CPU {cpu:.2} % of a core (target < 1 %){}",
        missed(cpu < 1.0)
    );
    Ok(())
}

/// A fake API on loopback that answers every item at once with the provider's example.
async fn instant_api() -> wiremock::MockServer {
    let server = wiremock::MockServer::start().await;
    let body: serde_json::Value =
        serde_json::from_str(include_str!("../tests/fixtures/item_report_detail_ok.json"))
            .expect("the example envelope");
    wiremock::Mock::given(wiremock::matchers::method("GET"))
        .respond_with(wiremock::ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    server
}

/// The process's peak resident set (VmHWM), in MB.
fn peak_rss_mb(pid: u32) -> Res<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or("no VmHWM")?;
    Ok(kb / 1024.0)
}

// ---------------------------------------------------------------------------------------
// 1 and 2: render times on TestBackend
// ---------------------------------------------------------------------------------------

fn frames() -> Res<()> {
    let app = demo_app(200, 60);
    let times = render_times(&app, 200, 60)?;
    report_ms("full frame 200x60 (demo)", &times, 1.0);
    breakdown(&app, 200, 60)?;

    for (w, h) in [(200, 60), (80, 24)] {
        let app = big_app(w, h);
        let times = render_times(&app, w, h)?;
        report_ms(
            &format!("full frame {w}x{h} (1000-row watchlist)"),
            &times,
            2.0,
        );
        breakdown(&app, w, h)?;
    }
    // One campaign of all 1,000, half of them priced: its tab, and the summary pooling
    // every row each frame.
    for (w, h) in [(200, 60), (80, 24)] {
        let app = big_campaign_app(w, h);
        let times = render_times(&app, w, h)?;
        report_ms(
            &format!("full frame {w}x{h} (1000-video campaign tab and summary)"),
            &times,
            2.0,
        );
    }
    update_costs();
    Ok(())
}

/// What `update` spends on 1,000 results arriving in one burst (each is drained before the
/// next frame, so the sum is the delay of that frame): peeks of cached reports at start, and
/// the results of a refresh of the whole watchlist.
fn update_costs() {
    let full = big_app(200, 60);
    let mut empty = full.clone();
    let mut results: Vec<(ItemId, Fetched)> = Vec::with_capacity(BIG_LIST);
    for (id, view) in empty.items.drain() {
        if let Some(f) = view.last_ok {
            results.push((id, f));
        }
    }
    let runs = 5;
    let mut peeks = Vec::new();
    let mut fetches = Vec::new();
    for _ in 0..runs {
        let mut app = empty.clone();
        let started = Instant::now();
        for (id, fetched) in &results {
            update(
                &mut app,
                Action::Peeked {
                    id: id.clone(),
                    fetched: fetched.clone(),
                },
            );
        }
        peeks.push(started.elapsed());

        let mut app = empty.clone();
        for (id, _) in &results {
            app.items.entry(id.clone()).or_default().in_flight = true;
        }
        let started = Instant::now();
        for (i, (id, fetched)) in results.iter().enumerate() {
            update(
                &mut app,
                Action::Fetched {
                    id: id.clone(),
                    result: Ok(fetched.clone()),
                    calls_made: i as u64 + 1,
                },
            );
        }
        fetches.push(started.elapsed());
    }
    report_median("update: 1000 Peeked in one burst (total)", &mut peeks, None);
    report_median(
        "update: 1000 Fetched in one burst (total)",
        &mut fetches,
        None,
    );
}

fn fixed_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).unwrap()
}

fn fetched(id: &str, data: &serde_json::Value, at: DateTime<Utc>) -> Fetched {
    Fetched {
        report: Arc::new(Report::from_data(id, data)),
        data: Arc::new(data.clone()),
        fetched_at: at,
        from_cache: false,
    }
}

/// The demo as it opens, everything fetched, the example shown, demo history loaded
/// (as in tests/screens.rs, but with colour on, as people run it).
fn demo_app(w: u16, h: u16) -> App {
    let now = fixed_now();
    let mut app = App::new(now, NumberStyle::Cn);
    app.demo = true;
    let demo = DemoData::bundled();
    let ids = demo.ids();
    let entries: Vec<WatchEntry> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| WatchEntry {
            label: (i == 0).then(|| "理想L6 launch 🚗".to_owned()),
            added_at: Some(now - TimeDelta::days(i as i64 + 1)),
            ..WatchEntry::new(ItemId::parse(id).unwrap())
        })
        .collect();
    update(&mut app, Action::Resize(w, h));
    update(
        &mut app,
        Action::WatchlistLoaded {
            entries,
            read_only: None,
        },
    );
    for (i, id) in ids.iter().enumerate() {
        let item = ItemId::parse(id).unwrap();
        let data = demo.fetch(&item).unwrap();
        update(
            &mut app,
            Action::Fetched {
                id: item,
                result: Ok(fetched(
                    id,
                    &data,
                    now - TimeDelta::minutes(3 + i as i64 * 20),
                )),
                calls_made: i as u64 + 1,
            },
        );
    }
    let example = ItemId::parse(demo::EXAMPLE_ID).unwrap();
    app.recent = ids.iter().map(|i| ItemId::parse(i).unwrap()).collect();
    app.shown = Some(example.clone());
    app.history = xingtu_dash::app::demo_history::history_view(&ids, Some(&example), now);
    app.status = None;
    app.focus = Focus::Watchlist;
    app
}

/// 1,000 watched items, each with a report built from a demo envelope under its own id and
/// the demo's history under that id (so the delta and trend columns draw), the middle row
/// selected, the watchlist focused.
/// `big_app` with every row in one campaign, every other one priced, on that campaign's
/// tab.
fn big_campaign_app(w: u16, h: u16) -> App {
    let mut app = big_app(w, h);
    let entries = app
        .watch
        .entries
        .iter()
        .enumerate()
        .map(|(i, e)| WatchEntry {
            campaign: Some("双11 大促 🛒".to_owned()),
            price: (i % 2 == 0).then_some(xingtu_dash::price::Price::Whole(5_000 + i as i64)),
            ..e.clone()
        })
        .collect();
    update(
        &mut app,
        Action::WatchlistLoaded {
            entries,
            read_only: None,
        },
    );
    update(
        &mut app,
        Action::Key(crossterm::event::KeyEvent::new(
            crossterm::event::KeyCode::Char(']'),
            crossterm::event::KeyModifiers::NONE,
        )),
    );
    assert!(app.shows_summary(), "the campaign's tab is shown");
    app
}

fn big_app(w: u16, h: u16) -> App {
    let now = fixed_now();
    let mut app = App::new(now, NumberStyle::Cn);
    let demo = DemoData::bundled();
    let demo_ids = demo.ids();
    let envelopes: Vec<serde_json::Value> = demo_ids
        .iter()
        .map(|id| demo.fetch(&ItemId::parse(id).unwrap()).unwrap())
        .collect();
    let example = ItemId::parse(demo::EXAMPLE_ID).unwrap();
    let demo_history = xingtu_dash::app::demo_history::history_view(&demo_ids, Some(&example), now);
    let mut history = HistoryView {
        series: demo_history.series.clone(),
        ..HistoryView::default()
    };
    let mut entries = Vec::with_capacity(BIG_LIST);
    for i in 0..BIG_LIST {
        let id = (FIRST_ID + i as u64).to_string();
        let source = &demo_ids[i % demo_ids.len()];
        let item = ItemId::parse(&id).unwrap();
        let view = ItemView {
            last_ok: Some(fetched(
                &id,
                &envelopes[i % envelopes.len()],
                now - TimeDelta::minutes(i as i64 % 30),
            )),
            ..ItemView::default()
        };
        app.items.insert(item.clone(), view);
        if let Some((new, old)) = demo_history.latest.get(source) {
            let rename = |s: &Snapshot| Snapshot {
                item_id: id.clone(),
                ..s.clone()
            };
            history
                .latest
                .insert(id.clone(), (rename(new), old.as_ref().map(rename)));
        }
        if let Some(spark) = demo_history.sparks.get(source) {
            history.sparks.insert(id.clone(), spark.clone());
        }
        entries.push(WatchEntry {
            label: (i % 3 == 0).then(|| format!("campaign {i} 🚗")),
            added_at: Some(now - TimeDelta::minutes(i as i64)),
            ..WatchEntry::new(item)
        });
    }
    update(&mut app, Action::Resize(w, h));
    update(
        &mut app,
        Action::WatchlistLoaded {
            entries,
            read_only: None,
        },
    );
    app.history = history;
    app.recent = demo_ids.iter().map(|i| ItemId::parse(i).unwrap()).collect();
    app.shown = Some(example);
    app.focus = Focus::Watchlist;
    app.watch.selected = BIG_LIST / 2;
    // A resize re-runs the scroll logic, bringing the selection into view.
    update(&mut app, Action::Resize(w, h));
    app.status = None;
    app
}

/// Alternates the number style so every frame changes many cells and the diff is never
/// empty.
fn render_times(app: &App, w: u16, h: u16) -> Res<Vec<Duration>> {
    let mut apps = [app.clone(), app.clone()];
    apps[1].number_style = match app.number_style {
        NumberStyle::Cn => NumberStyle::Intl,
        NumberStyle::Intl => NumberStyle::Cn,
    };
    let mut terminal = Terminal::new(TestBackend::new(w, h))?;
    for i in 0..WARMUP {
        terminal.draw(|f| ui::render(&apps[i % 2], f))?;
    }
    let mut times = Vec::with_capacity(FRAMES);
    for i in 0..FRAMES {
        let started = Instant::now();
        terminal.draw(|f| ui::render(&apps[i % 2], f))?;
        times.push(started.elapsed());
    }
    if std::env::var_os("UI_BENCH_SHOW").is_some() {
        println!("{}", terminal.backend());
    }
    Ok(times)
}

type PaneFn = fn(&App, &mut Frame, Rect, &Theme);

/// Median time of each pane's render call alone (no diff), to say where a frame goes.
fn breakdown(app: &App, w: u16, h: u16) -> Res<()> {
    let Some(areas) = layout::areas(Rect::new(0, 0, w, h), app.has_banner()) else {
        return Ok(());
    };
    let mut panes: Vec<(&str, PaneFn, Rect)> = vec![
        ("input", input::render, areas.input),
        ("watchlist", lists::render_watchlist, areas.watchlist),
        ("recent", lists::render_recent, areas.recent),
        ("creator", details::render_creator, areas.creator),
        ("video", details::render_video, areas.video),
        ("charts", charts::render, areas.charts),
        ("status", status::render, areas.status),
        ("hints", status::hints, areas.hints),
    ];
    if let Some(rect) = areas.trend {
        panes.push(("trend", trend::render, rect));
    }
    let theme = Theme::new(app.color);
    let mut terminal = Terminal::new(TestBackend::new(w, h))?;
    let mut parts = Vec::new();
    for (name, pane, rect) in panes {
        let mut times = Vec::with_capacity(FRAMES / 2);
        for i in 0..(WARMUP + FRAMES / 2) {
            let mut took = Duration::ZERO;
            terminal.draw(|f| {
                let started = Instant::now();
                pane(app, f, rect, &theme);
                took = started.elapsed();
            })?;
            if i >= WARMUP {
                times.push(took);
            }
        }
        times.sort();
        parts.push(format!(
            "{name} {:.0}",
            times[times.len() / 2].as_secs_f64() * 1e6
        ));
    }
    println!("ui:   panes alone, median µs: {}", parts.join(" · "));
    Ok(())
}

// ---------------------------------------------------------------------------------------
// 3, 4, 5: the release binary in a pseudo-terminal
// ---------------------------------------------------------------------------------------

fn binary_path() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("release").join("xingtu-dash")
}

enum Event {
    FirstByte(Instant),
    Found(usize, Instant),
    Closed,
}

/// The release binary running in a 120x40 pseudo-terminal with its own XDG directories.
/// A reader thread drains the output (so the child never blocks on a full PTY), feeds a
/// vt100 parser and reports when each needle first appears on screen.
struct Running {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    events: mpsc::Receiver<Event>,
    started: Instant,
    // Kept open until the child is gone, so its reads of the terminal do not fail.
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

fn spawn(binary: &Path, home: &Path, args: &[&str], needles: &[&str]) -> Res<Running> {
    let pty = native_pty_system();
    let pair = pty.openpty(PtySize {
        rows: 40,
        cols: 120,
        pixel_width: 0,
        pixel_height: 0,
    })?;
    let mut cmd = CommandBuilder::new(binary);
    cmd.args(args);
    cmd.cwd(home);
    cmd.env("HOME", home);
    for (var, dir) in [
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_STATE_HOME", "state"),
    ] {
        cmd.env(var, home.join(dir));
    }
    cmd.env("TERM", "xterm-256color");
    for var in [
        "JUSTONEAPI_TOKEN",
        "JUSTONEAPI_BASE_URL",
        "XINGTU_DASH_CONFIG",
        "XINGTU_DASH_RETRY_BASE_MS",
        "NO_COLOR",
        "RUST_LOG",
    ] {
        cmd.env_remove(var);
    }
    let mut reader = pair.master.try_clone_reader()?;
    let writer = pair.master.take_writer()?;
    let (tx, events) = mpsc::channel();
    let needles: Vec<String> = needles.iter().map(|s| (*s).to_owned()).collect();

    let started = Instant::now();
    let child = pair.slave.spawn_command(cmd)?;
    drop(pair.slave);
    std::thread::spawn(move || {
        let mut parser = vt100::Parser::new(40, 120, 0);
        let mut found = vec![false; needles.len()];
        let mut first = true;
        let mut buf = [0u8; 16 * 1024];
        loop {
            let n = match reader.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            let at = Instant::now();
            if first {
                first = false;
                let _ = tx.send(Event::FirstByte(at));
            }
            if found.iter().all(|f| *f) {
                continue; // only draining now
            }
            parser.process(&buf[..n]);
            let screen = parser.screen().contents();
            for (i, needle) in needles.iter().enumerate() {
                if !found[i] && screen.contains(needle.as_str()) {
                    found[i] = true;
                    let _ = tx.send(Event::Found(i, at));
                }
            }
        }
        let _ = tx.send(Event::Closed);
    });
    Ok(Running {
        child,
        writer,
        events,
        started,
        _master: pair.master,
    })
}

impl Running {
    /// Waits until every needle has shown up (or `limit` passes); returns the time from
    /// spawn to the first byte and to each needle.
    fn wait_for(
        &mut self,
        needles: usize,
        limit: Duration,
    ) -> (Option<Duration>, Vec<Option<Duration>>) {
        let deadline = self.started + limit;
        let mut first = None;
        let mut found = vec![None; needles];
        while found.iter().any(Option::is_none) {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.events.recv_timeout(left) {
                Ok(Event::FirstByte(at)) => first = Some(at - self.started),
                Ok(Event::Found(i, at)) => found[i] = Some(at - self.started),
                Ok(Event::Closed) | Err(_) => break,
            }
        }
        (first, found)
    }

    fn pid(&self) -> Option<u32> {
        self.child.process_id()
    }

    /// Ctrl-C (the dashboard quits on it from any pane), then a kill if it lingers.
    /// Returns whether it quit by itself.
    fn stop(mut self) -> bool {
        let _ = self.writer.write_all(b"\x03");
        let _ = self.writer.flush();
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        false
    }
}

fn start_demo(binary: &Path) -> Res<()> {
    let mut first_bytes = Vec::new();
    let mut frames = Vec::new();
    let mut failures = 0;
    let mut killed = 0;
    for _ in 0..START_RUNS {
        let home = tempfile::tempdir()?;
        let mut run = spawn(binary, home.path(), &["--demo"], &[CREATOR])?;
        let (first, found) = run.wait_for(1, Duration::from_secs(10));
        if !run.stop() {
            killed += 1;
        }
        if let Some(d) = first {
            first_bytes.push(d);
        }
        match found[0] {
            Some(d) => frames.push(d),
            None => failures += 1,
        }
    }
    report_median(
        "start to first byte (--demo, 120x40)",
        &mut first_bytes,
        None,
    );
    report_median(
        &format!("start to first frame with {CREATOR} (--demo)"),
        &mut frames,
        Some(100.0),
    );
    if failures > 0 {
        println!("ui:   {failures} of {START_RUNS} runs never showed {CREATOR} within 10 s");
    }
    if killed > 0 {
        println!("ui:   {killed} of {START_RUNS} runs did not quit on Ctrl-C within 3 s (killed)");
    }
    Ok(())
}

fn clock_ticks() -> f64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse::<f64>().ok())
        .filter(|t| *t > 0.0)
        .unwrap_or(100.0)
}

/// utime + stime of a process (all its threads), in clock ticks.
fn cpu_ticks(pid: u32) -> Res<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // The command name may hold spaces; the fields after it do not.
    let rest = stat
        .rsplit_once(')')
        .map(|(_, r)| r)
        .ok_or("unexpected /proc stat format")?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
    let utime: u64 = fields.get(11).ok_or("no utime")?.parse()?;
    let stime: u64 = fields.get(12).ok_or("no stime")?.parse()?;
    Ok(utime + stime)
}

fn idle_cpu(binary: &Path) -> Res<()> {
    let home = tempfile::tempdir()?;
    let mut run = spawn(binary, home.path(), &["--demo"], &[CREATOR])?;
    let (_, found) = run.wait_for(1, Duration::from_secs(10));
    let result = (|| -> Res<(f64, u64)> {
        if found[0].is_none() {
            return Err(format!("the demo never showed {CREATOR}").into());
        }
        // Let the demo's own start-up work (fetches, history) finish first.
        std::thread::sleep(Duration::from_millis(500));
        let pid = run.pid().ok_or("no child pid")?;
        let before = cpu_ticks(pid)?;
        let t0 = Instant::now();
        std::thread::sleep(Duration::from_secs(IDLE_SECS));
        let after = cpu_ticks(pid)?;
        let wall = t0.elapsed().as_secs_f64();
        let ticks = after.saturating_sub(before);
        Ok((ticks as f64 / clock_ticks() / wall * 100.0, ticks))
    })();
    if !run.stop() {
        println!("ui:   the idle demo did not quit on Ctrl-C within 3 s (killed)");
    }
    let (percent, ticks) = result?;
    let target = 1.0;
    println!(
        "ui: {:<44} {:>7.2} % of one core ({ticks} ticks in {IDLE_SECS} s)   (target < {target} %){}",
        "idle CPU (--demo, no input)",
        percent,
        missed(percent < target)
    );
    Ok(())
}

fn start_big(binary: &Path) -> Res<()> {
    let home = tempfile::tempdir()?;
    let ids: Vec<String> = (0..BIG_LIST)
        .map(|i| (FIRST_ID + i as u64).to_string())
        .collect();

    let db = home.path().join("data/xingtu-dash/history.sqlite3");
    let built = Instant::now();
    build_history(&db, &ids, ROUNDS)?;
    let build_time = built.elapsed();
    let bytes = std::fs::metadata(&db)?.len();
    let snapshots = (BIG_LIST * ROUNDS) as u64;
    println!(
        "ui: {:<44} {:.1} MB, {} bytes/snapshot (built in {:.2} s)",
        "history DB, 100,000 snapshots",
        bytes as f64 / 1e6,
        bytes / snapshots,
        build_time.as_secs_f64()
    );

    let config_dir = home.path().join("config/xingtu-dash");
    std::fs::create_dir_all(&config_dir)?;
    let mut config =
        String::from("[api]\ntoken = \"bench-token\"\nbase_url = \"http://127.0.0.1:9\"\n\n");
    for id in &ids {
        config.push_str(&format!(
            "[[watchlist]]\nitem_id = \"{id}\"\nadded_at = 2026-11-20T08:15:02Z\n\n"
        ));
    }
    let config_path = config_dir.join("config.toml");
    std::fs::write(&config_path, config)?;
    #[cfg(unix)]
    {
        // The app warns about a token in a file others can read; keep the start quiet.
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&config_path, std::fs::Permissions::from_mode(0o600))?;
    }

    // Every row's title and creator come from the newest stored report.
    big_runs(
        binary,
        home.path(),
        "stored reports",
        "少爷",
        "rows with titles (少爷)",
    )?;
    Ok(())
}

fn big_runs(
    binary: &Path,
    home: &Path,
    variant: &str,
    second: &str,
    second_label: &str,
) -> Res<()> {
    let needles = ["Watchlist (1000)", second];
    let mut titles = Vec::new();
    let mut filled = Vec::new();
    let mut failures = 0;
    let mut killed = 0;
    for _ in 0..BIG_START_RUNS {
        let mut run = spawn(binary, home, &[], &needles)?;
        let (_, found) = run.wait_for(needles.len(), Duration::from_secs(20));
        if !run.stop() {
            killed += 1;
        }
        match found[0] {
            Some(d) => titles.push(d),
            None => failures += 1,
        }
        if let Some(d) = found[1] {
            filled.push(d);
        }
    }
    report_median(
        &format!("start to \"Watchlist (1000)\", {variant}"),
        &mut titles,
        Some(300.0),
    );
    report_median(&format!("start to {second_label} shown"), &mut filled, None);
    if failures > 0 {
        println!(
            "ui:   {failures} of {BIG_START_RUNS} runs never showed \"Watchlist (1000)\" within 20 s"
        );
    }
    if killed > 0 {
        println!(
            "ui:   {killed} of {BIG_START_RUNS} runs did not quit on Ctrl-C within 3 s (killed)"
        );
    }
    Ok(())
}

/// `rounds` refreshes of `ids`, 15 minutes apart, one transaction per refresh; each
/// snapshot holds a demo report (the store keeps what a report is built from).
fn build_history(path: &Path, ids: &[String], rounds: usize) -> Res<()> {
    let mut store = xingtu_dash::store::open_db(&xingtu_dash::store::StoreLocation::sqlite(path))?;
    let demo = DemoData::bundled();
    let reports: Vec<serde_json::Value> = demo
        .ids()
        .iter()
        .map(|id| essential(&demo.fetch(&ItemId::parse(id).unwrap()).unwrap()))
        .collect();
    let start_at = Utc::now() - TimeDelta::days(2);
    for round in 0..rounds {
        let at = start_at + TimeDelta::minutes(15 * round as i64);
        for (chunk_no, chunk) in ids.chunks(1_000).enumerate() {
            let snaps: Vec<Snapshot> = chunk
                .iter()
                .enumerate()
                .map(|(i, id)| {
                    let n = (round * 1_000 + chunk_no * 1_000 + i) as u64;
                    Snapshot {
                        item_id: id.clone(),
                        fetched_at: at,
                        vv_cnt: Some(1_000_000 + n * 37),
                        like_cnt: Some(20_000 + n),
                        comment_cnt: Some(900 + n / 3),
                        share_cnt: Some(400 + n / 5),
                        collect_cnt: Some(700 + n / 4),
                        interact_cnt: Some(22_000 + n * 2),
                        interact_rate: Some(0.0213),
                        finish_rate: Some(0.42),
                        follower: Some(3_250_000),
                    }
                })
                .collect();
            let records: Vec<Record<'_>> = snaps
                .into_iter()
                .enumerate()
                .map(|(i, snapshot)| Record {
                    snapshot,
                    data: &reports[i % reports.len()],
                })
                .collect();
            store.record(&records)?;
        }
    }
    // Dropping the connection checkpoints the WAL into the main file.
    drop(store);
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Reporting
// ---------------------------------------------------------------------------------------

fn missed(ok: bool) -> &'static str {
    if ok { "" } else { "   MISSED" }
}

fn report_ms(what: &str, times: &[Duration], target_ms: f64) {
    let mut sorted = times.to_vec();
    sorted.sort();
    let median = sorted[sorted.len() / 2].as_secs_f64() * 1e3;
    let p95 = sorted[(sorted.len() * 95 / 100).min(sorted.len() - 1)].as_secs_f64() * 1e3;
    println!(
        "ui: {what:<44} median {median:>7.3} ms   p95 {p95:>7.3} ms   (target < {target_ms} ms){}",
        missed(median < target_ms)
    );
}

fn report_median(what: &str, times: &mut [Duration], target_ms: Option<f64>) {
    if times.is_empty() {
        println!(
            "ui: {what:<44} no measurement{}",
            if target_ms.is_some() { "   MISSED" } else { "" }
        );
        return;
    }
    times.sort();
    let median = times[times.len() / 2].as_secs_f64() * 1e3;
    let min = times[0].as_secs_f64() * 1e3;
    let max = times[times.len() - 1].as_secs_f64() * 1e3;
    let spread = format!("(min {min:.1}, max {max:.1}, n={})", times.len());
    match target_ms {
        Some(t) => println!(
            "ui: {what:<44} median {median:>7.1} ms   {spread}   (target < {t} ms){}",
            missed(median < t)
        ),
        None => println!("ui: {what:<44} median {median:>7.1} ms   {spread}"),
    }
}
