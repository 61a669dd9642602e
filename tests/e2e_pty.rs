//! The real `xingtu-dash` binary in a pseudo-terminal (100x30), driven by keystrokes as a
//! person would, with a wiremock fake API behind it. A reader thread feeds everything the
//! program writes into a vt100 parser and wakes waiters through a condition variable, so
//! tests wait for what the screen shows, never for a fixed time.
//!
//! The environment is cleared except PATH; HOME and every XDG directory are fresh temp dirs.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc as std_mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{ChildKiller, CommandBuilder, ExitStatus, PtySize, native_pty_system};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ENDPOINT: &str = "/api/douyin-xingtu/gw/api/data_sp/item_report_detail/v1";
const TREND: &str = "/api/douyin-xingtu/gw/api/data_sp/item_report_trend/v1";
const ID: &str = "7566200471448779514";
const TOKEN: &str = "tok-SECRET-e2e";
const ROWS: u16 = 30;
const COLS: u16 = 100;
/// How long the screen may take to show something.
const SCREEN_WAIT: Duration = Duration::from_secs(15);
/// How long the program may take to exit once asked.
const EXIT_WAIT: Duration = Duration::from_secs(5);

/// What the program has written so far.
struct Output {
    parser: vt100::Parser,
    raw: Vec<u8>,
    /// The PTY reached end of file (every handle on the terminal side is closed).
    closed: bool,
}

struct Term {
    output: Arc<(Mutex<Output>, Condvar)>,
    writer: Box<dyn Write + Send>,
    killer: Box<dyn ChildKiller + Send + Sync>,
    exited: std_mpsc::Receiver<std::io::Result<ExitStatus>>,
    dirs: tempfile::TempDir,
    pid: Option<u32>,
}

impl Term {
    /// Starts the binary with `args` and the extra environment `vars`.
    fn spawn(args: &[&str], vars: &[(&str, &str)]) -> Term {
        Term::spawn_with_config(args, vars, None)
    }

    /// Starts the binary with `config` (bytes) in the default config file.
    fn spawn_with_config(args: &[&str], vars: &[(&str, &str)], config: Option<&[u8]>) -> Term {
        Term::spawn_sized(args, vars, config, (ROWS, COLS))
    }

    /// [`Self::spawn_with_config`] on a terminal of `(rows, cols)`.
    fn spawn_sized(
        args: &[&str],
        vars: &[(&str, &str)],
        config: Option<&[u8]>,
        (rows, cols): (u16, u16),
    ) -> Term {
        let dirs = tempfile::Builder::new()
            .prefix("xingtu-dash-e2e-")
            .tempdir()
            .unwrap();
        let root = dirs.path();
        for sub in ["home", "config", "data", "state", "cache"] {
            std::fs::create_dir_all(root.join(sub)).unwrap();
        }
        if let Some(bytes) = config {
            let file = root.join("config/xingtu-dash/config.toml");
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, bytes).unwrap();
        }
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_xingtu-dash"));
        cmd.env_clear();
        cmd.env("PATH", std::env::var_os("PATH").unwrap_or_default());
        cmd.env("HOME", root.join("home"));
        cmd.env("XDG_CONFIG_HOME", root.join("config"));
        cmd.env("XDG_DATA_HOME", root.join("data"));
        cmd.env("XDG_STATE_HOME", root.join("state"));
        cmd.env("XDG_CACHE_HOME", root.join("cache"));
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "C.UTF-8");
        for (k, v) in vars {
            cmd.env(k, v);
        }
        cmd.args(args);
        cmd.cwd(root);
        let mut child = pair.slave.spawn_command(cmd).unwrap();
        // Only the child holds the terminal side now, so its exit ends the reader.
        drop(pair.slave);
        let killer = child.clone_killer();
        let pid = child.process_id();
        let (exit_tx, exited) = std_mpsc::channel();
        std::thread::spawn(move || {
            let _ = exit_tx.send(child.wait());
        });

        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let output = Arc::new((
            Mutex::new(Output {
                parser: vt100::Parser::new(rows, cols, 0),
                raw: Vec::new(),
                closed: false,
            }),
            Condvar::new(),
        ));
        let feed = Arc::clone(&output);
        std::thread::spawn(move || {
            // Closing the master early would hang up the child: keep it with the reader.
            let _master = pair.master;
            let mut buf = [0u8; 8192];
            loop {
                let n = reader.read(&mut buf).unwrap_or(0);
                let (lock, cond) = &*feed;
                let mut out = lock.lock().unwrap();
                if n == 0 {
                    out.closed = true;
                    cond.notify_all();
                    return;
                }
                out.parser.process(&buf[..n]);
                out.raw.extend_from_slice(&buf[..n]);
                cond.notify_all();
            }
        });
        Term {
            output,
            writer,
            killer,
            exited,
            dirs,
            pid,
        }
    }

    fn screen(&self) -> String {
        self.output.0.lock().unwrap().parser.screen().contents()
    }

    /// Waits (up to `SCREEN_WAIT`) until `done` holds for the screen; returns the screen.
    fn wait_until(&self, what: &str, done: impl Fn(&str) -> bool) -> String {
        let (lock, cond) = &*self.output;
        let deadline = Instant::now() + SCREEN_WAIT;
        let mut out = lock.lock().unwrap();
        loop {
            let screen = out.parser.screen().contents();
            if done(&screen) {
                return screen;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() || out.closed {
                let why = if out.closed {
                    "the program closed the terminal"
                } else {
                    "timed out"
                };
                drop(out);
                self.kill();
                panic!("{why} waiting for {what}; the screen shows:\n{screen}");
            }
            out = cond.wait_timeout(out, left).unwrap().0;
        }
    }

    /// Waits until the screen shows every one of `texts`.
    fn wait_for(&self, texts: &[&str]) -> String {
        self.wait_until(&format!("{texts:?}"), |s| {
            texts.iter().all(|t| s.contains(t))
        })
    }

    /// Waits until the screen no longer shows `text`.
    fn wait_gone(&self, text: &str) -> String {
        self.wait_until(&format!("{text:?} to go"), |s| !s.contains(text))
    }

    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Waits for the program to exit and returns its exit code.
    fn exit_code(&self) -> u32 {
        match self.exited.recv_timeout(EXIT_WAIT) {
            Ok(status) => status.expect("wait for the child").exit_code(),
            Err(_) => {
                let screen = self.screen();
                self.kill();
                panic!("the dashboard did not exit within {EXIT_WAIT:?}; screen:\n{screen}");
            }
        }
    }

    fn kill(&self) {
        let mut killer = self.killer.clone_killer();
        let _ = killer.kill();
    }

    /// Waits until the reader has seen the end of the output (after the program exited).
    fn wait_closed(&self) {
        let (lock, cond) = &*self.output;
        let deadline = std::time::Instant::now() + EXIT_WAIT;
        let mut out = lock.lock().unwrap();
        while !out.closed {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            assert!(!left.is_zero(), "the terminal was never closed");
            out = cond.wait_timeout(out, left).unwrap().0;
        }
    }

    /// Everything the program wrote to the terminal.
    fn raw_output(&self) -> Vec<u8> {
        self.output.0.lock().unwrap().raw.clone()
    }

    fn root(&self) -> &Path {
        self.dirs.path()
    }

    fn config_file(&self) -> PathBuf {
        self.root().join("config/xingtu-dash/config.toml")
    }
}

impl Drop for Term {
    fn drop(&mut self) {
        // A failed test must not leave a dashboard running.
        if self.exited.try_recv().is_err() {
            self.kill();
        }
    }
}

/// The fake API on its own runtime, so the blocking test thread can drive the terminal.
struct FakeApi {
    server: MockServer,
    runtime: tokio::runtime::Runtime,
}

impl FakeApi {
    /// Answers the example for `TOKEN` only: a call with any other token gets a 100. A test
    /// may mount its own mocks before these with priority 1.
    fn start() -> FakeApi {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let server = runtime.block_on(async {
            let server = MockServer::start().await;
            let example: serde_json::Value =
                serde_json::from_str(include_str!("fixtures/item_report_detail_ok.json")).unwrap();
            Mock::given(method("GET"))
                .and(path(ENDPOINT))
                .and(query_param("token", TOKEN))
                .respond_with(ResponseTemplate::new(200).set_body_json(example))
                .with_priority(2)
                .mount(&server)
                .await;
            let bad_token = serde_json::json!({
                "code": 100, "data": null, "message": "Invalid or Inactive Token"
            });
            Mock::given(method("GET"))
                .and(path(ENDPOINT))
                .respond_with(ResponseTemplate::new(401).set_body_json(bad_token))
                .with_priority(3)
                .mount(&server)
                .await;
            server
        });
        FakeApi { server, runtime }
    }

    fn uri(&self) -> String {
        self.server.uri()
    }

    /// Makes the same server Douyin's short-link host too: `/<code>/` redirects to `ID`.
    fn also_short_links(&self, code: &str) {
        self.runtime.block_on(
            Mock::given(method("GET"))
                .and(path(format!("/{code}/")))
                .respond_with(ResponseTemplate::new(302).insert_header(
                    "Location",
                    format!("https://www.iesdouyin.com/share/video/{ID}/?region=CN").as_str(),
                ))
                .mount(&self.server),
        );
    }

    /// Answers Xingtu's daily trend (the shared fixture) too.
    fn also_trend(&self) {
        let trend: serde_json::Value =
            serde_json::from_str(include_str!("fixtures/item_report_trend_ok.json")).unwrap();
        self.runtime.block_on(
            Mock::given(method("GET"))
                .and(path(TREND))
                .and(query_param("token", TOKEN))
                .respond_with(ResponseTemplate::new(200).set_body_json(trend))
                .mount(&self.server),
        );
    }

    /// The requests made, but for balance reads (the dashboard reads it at start).
    fn requests(&self) -> Vec<wiremock::Request> {
        let mut all = self
            .runtime
            .block_on(self.server.received_requests())
            .unwrap_or_default();
        all.retain(|r| r.url.path() != "/user/get-balance");
        all
    }
}

fn spawn_with_api(api: &FakeApi) -> Term {
    let uri = api.uri();
    Term::spawn(
        &[],
        &[
            ("JUSTONEAPI_BASE_URL", uri.as_str()),
            ("JUSTONEAPI_TOKEN", TOKEN),
        ],
    )
}

/// Every file under `dir` whose bytes contain `needle`.
fn files_containing(dir: &Path, needle: &[u8]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(bytes) = std::fs::read(&p)
                && bytes.windows(needle.len()).any(|w| w == needle)
            {
                found.push(p);
            }
        }
    }
    found
}

/// Polls a file (there is no notification to wait on) until it contains `needle`.
fn wait_file_contains(path: &Path, needle: &str) -> String {
    let deadline = Instant::now() + SCREEN_WAIT;
    loop {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        if text.contains(needle) {
            return text;
        }
        assert!(
            Instant::now() < deadline,
            "{} never contained {needle:?}; it holds:\n{text}",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn type_an_id_read_the_report_and_quit() {
    let api = FakeApi::start();
    let mut term = spawn_with_api(&api);
    term.wait_for(&["Look up", "0 calls · 0 answers"]);
    term.send(ID);
    term.wait_for(&["✓ video id 7566200471448779514"]);
    term.send("\r");
    term.wait_for(&["好热的黄彬", "0.237%", ": updated"]);
    // A lone Esc, then wait for its effect (it clears the status) before the next key:
    // Esc and a key in one read are Alt+key.
    term.send("\x1b");
    term.wait_gone(": updated");
    term.send("q");
    assert_eq!(term.exit_code(), 0);
    term.wait_closed();

    let requests = api.requests();
    assert_eq!(requests.len(), 1, "one lookup, one call");
    // The dashboard's fetch is recorded in the history, as every fetch path's is.
    let db = term.root().join("data/xingtu-dash/history.sqlite3");
    let history = xingtu_dash::store::history::History::open(&db).unwrap();
    assert_eq!(history.series(ID, None).unwrap().len(), 1);
    let url = &requests[0].url;
    assert!(url.query_pairs().any(|(k, v)| k == "itemId" && v == ID));

    let output = term.raw_output();
    assert!(
        !output.windows(TOKEN.len()).any(|w| w == TOKEN.as_bytes()),
        "the token reached the terminal"
    );
    // Nor any file the program wrote (log, cache, history).
    let leaked = files_containing(term.root(), TOKEN.as_bytes());
    assert!(leaked.is_empty(), "the token was written to {leaked:?}");
    // The terminal is given back: alternate screen left, cursor shown.
    let text = String::from_utf8_lossy(&output);
    let tail = &text[text.rfind("\x1b[?1049l").expect("alternate screen left")..];
    assert!(!tail.contains("\x1b[?1049h"), "re-entered after leaving");
}

/// `xingtu-dash <id>` (no `get`): the dashboard opens on that video, looked up at once.
#[test]
fn an_id_instead_of_a_command_opens_the_dashboard_on_it() {
    let api = FakeApi::start();
    let uri = api.uri();
    let link = format!("https://www.douyin.com/video/{ID}");
    let mut term = Term::spawn(
        &[&link],
        &[
            ("JUSTONEAPI_BASE_URL", uri.as_str()),
            ("JUSTONEAPI_TOKEN", TOKEN),
        ],
    );
    term.wait_for(&["好热的黄彬", "0.237%", ": updated", "1 call · 1 answer "]);
    term.send("q");
    assert_eq!(term.exit_code(), 0);
    term.wait_closed();
    let requests = api.requests();
    assert_eq!(requests.len(), 1);
    assert!(
        requests[0]
            .url
            .query_pairs()
            .any(|(k, v)| k == "itemId" && v == ID)
    );
}

#[test]
fn paste_share_text_with_a_short_link_and_see_the_creator() {
    let api = FakeApi::start();
    api.also_short_links("iRNBho6u");
    let uri = api.uri();
    let mut term = Term::spawn(
        &[],
        &[
            ("JUSTONEAPI_BASE_URL", uri.as_str()),
            ("JUSTONEAPI_TOKEN", TOKEN),
            ("XINGTU_DASH_SHORTLINK_BASE", uri.as_str()),
        ],
    );
    term.wait_for(&["Look up", "0 calls · 0 answers"]);
    // A bracketed paste, as a terminal sends one.
    term.send(
        "\x1b[200~7.92 复制打开抖音，看看【好热的黄彬的作品】少爷,今天陪妹妹去看车啦!… https://v.douyin.com/iRNBho6u/ 01/20 xSj:/ a@b.Ok\x1b[201~",
    );
    term.wait_for(&["short link: will be resolved (free)"]);
    term.send("\r");
    term.wait_for(&["好热的黄彬", "0.237%", ": updated", "1 call · 1 answer"]);
    term.send("q");
    assert_eq!(term.exit_code(), 0);
    term.wait_closed();

    let requests = api.requests();
    let short: Vec<_> = requests
        .iter()
        .filter(|r| r.url.path() == "/iRNBho6u/")
        .collect();
    assert_eq!(short.len(), 1, "one free request to the short-link host");
    assert_eq!(
        short[0].url.query(),
        None,
        "no token sent to the short-link host"
    );
    let calls: Vec<_> = requests
        .iter()
        .filter(|r| r.url.path() == ENDPOINT)
        .collect();
    assert_eq!(calls.len(), 1);
    assert!(
        calls[0]
            .url
            .query_pairs()
            .any(|(k, v)| k == "itemId" && v == ID)
    );
}

#[test]
fn demo_shows_the_example_help_and_quits_on_ctrl_c() {
    let mut term = Term::spawn(&["--demo"], &[]);
    // No typing: the demo opens on the provider's example.
    term.wait_for(&["好热的黄彬", "DEMO"]);
    term.send("?");
    term.wait_for(&["Keys", "Esc or ? closes", "refresh all"]);
    term.send("\x1b");
    let screen = term.wait_gone("Esc or ? closes");
    assert!(screen.contains("好热的黄彬"), "{screen}");
    term.send("\x03");
    assert_eq!(term.exit_code(), 0);
    // Demo mode writes no file: no config, no cache, no history, not even a log.
    for sub in ["config", "data", "state", "cache"] {
        let left: Vec<_> = std::fs::read_dir(term.root().join(sub)).unwrap().collect();
        assert!(left.is_empty(), "the demo wrote into {sub}: {left:?}");
    }
}

/// A Chinese locale opens the dashboard in Chinese: Xingtu's own words on screen, the help
/// translated, the key names as they are.
#[test]
fn a_chinese_locale_shows_the_demo_in_chinese() {
    let mut term = Term::spawn(&["--demo"], &[("LANG", "zh_CN.UTF-8")]);
    let screen = term.wait_for(&["好热的黄彬", "点赞", "播放", "演示 · 不计费"]);
    for english in ["Views", "Likes", "Watchlist", "DEMO"] {
        assert!(!screen.contains(english), "{english} in Chinese:\n{screen}");
    }
    term.send("?");
    term.wait_for(&[
        "按键 · 按 Esc 或 ? 关闭",
        "全部刷新（可用缓存）",
        "Shift-Tab",
    ]);
    term.send("\x1b");
    term.wait_gone("按键 ·");
    term.send("\x03");
    assert_eq!(term.exit_code(), 0);
}

/// Space marks two rows, `c` opens them side by side, Esc closes; `]` shows a campaign's
/// tab and its summary.
#[test]
fn mark_two_rows_and_compare_them_in_the_demo() {
    let mut term = Term::spawn(&["--demo"], &[]);
    // The demo fetches its watchlist first; its last answer writes the status line.
    term.wait_for(&["[All 5]", "理想L6 上市 3", ": updated"]);
    term.send(" ");
    term.wait_for(&["marked 1 of 8"]);
    term.send("j ");
    term.wait_for(&["marked 2 of 8"]);
    term.send("c");
    let screen = term.wait_for(&["Compare · 2 videos", "Esc close"]);
    for title in [
        "1 少爷,今天陪妹妹",
        "2 刚发布：开箱新手机",
        "好热的黄彬",
        "新号测试",
    ] {
        assert!(screen.contains(title), "{title}\n{screen}");
    }
    assert!(
        screen.contains('★'),
        "the best of a row is starred\n{screen}"
    );
    term.send("\x1b");
    term.wait_gone("Compare ·");
    term.send("]");
    term.wait_for(&[
        "Campaign 理想L6 上市",
        "over 2 of 3 videos",
        "ranked by CPM",
    ]);
    term.send("\x03");
    assert_eq!(term.exit_code(), 0);
}

#[test]
fn a_config_that_does_not_parse_opens_with_a_banner_and_lookups_off() {
    let api = FakeApi::start();
    let uri = api.uri();
    let broken = format!("[api]\nbase_url = \"{uri}\"\n[[watchlist]\nitem_id = \"{ID}\"\n");
    let mut term =
        Term::spawn_with_config(&[], &[("JUSTONEAPI_TOKEN", TOKEN)], Some(broken.as_bytes()));
    term.wait_for(&[
        "config file error: lookups off, watchlist read-only; fix it and restart",
        "config.toml:3:13",
        "READ-",
    ]);
    term.send(ID);
    term.send("\r");
    term.wait_for(&["no call made: lookups off"]);
    term.send("\x1b");
    term.send("R");
    term.send("q");
    assert_eq!(term.exit_code(), 0);
    assert_eq!(
        std::fs::read(term.config_file()).unwrap(),
        broken.as_bytes(),
        "the file is untouched"
    );
    assert!(api.requests().is_empty(), "no call is made");
}

#[test]
fn add_to_the_watchlist_and_find_it_in_the_config_file() {
    let api = FakeApi::start();
    let mut term = spawn_with_api(&api);
    term.wait_for(&["Look up", "Watchlist (0)"]);
    term.send(ID);
    term.wait_for(&["✓ video id 7566200471448779514"]);
    term.send("\r");
    term.wait_for(&["好热的黄彬", "0.237%", ": updated"]);
    term.send("\x1b");
    term.wait_gone(": updated");
    term.send("a");
    term.wait_for(&["added", "Watchlist (1)"]);
    term.send("q");
    assert_eq!(term.exit_code(), 0);
    // Quitting waits for the save, so the file holds the entry once the program is gone.
    let config = std::fs::read_to_string(term.config_file()).unwrap_or_default();
    assert!(
        config.contains(&format!("item_id = \"{ID}\"")),
        "config file:\n{config}"
    );
    assert!(!config.contains(TOKEN), "{config}");
    assert_eq!(api.requests().len(), 1, "watching costs no call");
}

#[test]
fn a_watched_item_opens_from_the_cache_after_a_restart() {
    let api = FakeApi::start();
    let mut term = spawn_with_api(&api);
    term.wait_for(&["Look up"]);
    term.send(ID);
    term.wait_for(&["✓ video id"]);
    term.send("\r");
    term.wait_for(&["好热的黄彬", ": updated"]);
    term.send("a");
    term.wait_for(&["Watchlist (1)"]);
    wait_file_contains(&term.config_file(), ID);
    term.send("q");
    assert_eq!(term.exit_code(), 0);
    assert_eq!(api.requests().len(), 1);

    // Same user, second start: the watchlist is back and opening it costs nothing.
    let uri = api.uri();
    let mut again = Term::spawn(
        &[],
        &[
            ("JUSTONEAPI_BASE_URL", uri.as_str()),
            ("JUSTONEAPI_TOKEN", TOKEN),
            (
                "XDG_CONFIG_HOME",
                term.root().join("config").to_str().unwrap(),
            ),
            ("XDG_DATA_HOME", term.root().join("data").to_str().unwrap()),
            (
                "XDG_CACHE_HOME",
                term.root().join("cache").to_str().unwrap(),
            ),
            (
                "XDG_STATE_HOME",
                term.root().join("state").to_str().unwrap(),
            ),
        ],
    );
    // The row shows the cached figures at once.
    again.wait_for(&["Watchlist (1)", "少爷", "0.237%", "0 calls · 0 answers"]);
    // Enter shows the selected row in the detail panes, from the cache.
    again.send("\r");
    again.wait_for(&["好热的黄彬", "0 calls · 0 answers"]);
    again.send("q");
    assert_eq!(again.exit_code(), 0);
    assert_eq!(api.requests().len(), 1, "a restart makes no call");
}

/// SIGTERM does not wait for a call under way (a service manager wants the process gone),
/// but what has already arrived is saved.
#[test]
fn sigterm_with_a_call_under_way_exits_promptly_and_keeps_what_arrived() {
    const SLOW_ID: &str = "7566200471448779515";
    let api = FakeApi::start();
    api.runtime.block_on(
        Mock::given(method("GET"))
            .and(path(ENDPOINT))
            .and(query_param("itemId", SLOW_ID))
            .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(60)))
            .with_priority(1)
            .mount(&api.server),
    );
    let mut term = spawn_with_api(&api);
    term.wait_for(&["Look up"]);
    term.send(ID);
    term.wait_for(&["✓ video id"]);
    term.send("\r");
    term.wait_for(&["好热的黄彬", ": updated"]);
    term.send(SLOW_ID);
    term.wait_for(&["✓ video id 7566200471448779515"]);
    term.send("\r");
    term.wait_for(&["fetching 1 item"]);
    let pid = term.pid.expect("the child's pid");
    let started = Instant::now();
    let sent = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    assert_eq!(term.exit_code(), 0);
    assert!(started.elapsed() < EXIT_WAIT, "SIGTERM waited for the call");
    term.wait_closed();
    let db = term.root().join("data/xingtu-dash/history.sqlite3");
    let history = xingtu_dash::store::history::History::open(&db).unwrap();
    assert_eq!(history.series(ID, None).unwrap().len(), 1, "kept");
    assert_eq!(history.series(SLOW_ID, None).unwrap().len(), 0);
    let output = String::from_utf8_lossy(&term.raw_output()).into_owned();
    assert!(
        output.contains("\x1b[?1049l"),
        "the alternate screen was left"
    );
}

/// `q` with a call under way waits for its answer (a countdown on the status bar), then
/// records it and exits.
#[test]
fn q_with_a_call_under_way_waits_and_records_the_answer() {
    let api = FakeApi::start();
    let example: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/item_report_detail_ok.json")).unwrap();
    api.runtime.block_on(
        Mock::given(method("GET"))
            .and(path(ENDPOINT))
            .and(query_param("token", TOKEN))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(example)
                    .set_delay(Duration::from_secs(3)),
            )
            .with_priority(1)
            .mount(&api.server),
    );
    let mut term = spawn_with_api(&api);
    term.wait_for(&["Look up"]);
    term.send(ID);
    term.wait_for(&["✓ video id"]);
    term.send("\r");
    term.wait_for(&["fetching 1 item"]);
    term.send("q");
    term.wait_for(&["waiting for 1 call…", "q again to abandon"]);
    assert_eq!(term.exit_code(), 0);
    let db = term.root().join("data/xingtu-dash/history.sqlite3");
    let history = xingtu_dash::store::history::History::open(&db).unwrap();
    assert_eq!(
        history.series(ID, None).unwrap().len(),
        1,
        "the answer is kept"
    );
    assert_eq!(api.requests().len(), 1);
}

#[test]
fn sigterm_restores_the_terminal_and_exits_cleanly() {
    let term = Term::spawn(&["--demo"], &[]);
    term.wait_for(&["好热的黄彬"]);
    let pid = term.pid.expect("the child's pid");
    let sent = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    assert_eq!(term.exit_code(), 0);
    term.wait_closed();
    let output = String::from_utf8_lossy(&term.raw_output()).into_owned();
    // Leaving the alternate screen is the guard's last step.
    assert!(
        output.contains("\x1b[?1049l"),
        "the alternate screen was not left"
    );
}

/// The binary run once to completion with the terminal's directories (no PTY).
fn run_cli(term: &Term, args: &[&str]) -> std::process::Output {
    let root = term.root();
    std::process::Command::new(env!("CARGO_BIN_EXE_xingtu-dash"))
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", root.join("home"))
        .env("XDG_CONFIG_HOME", root.join("config"))
        .env("XDG_DATA_HOME", root.join("data"))
        .env("XDG_STATE_HOME", root.join("state"))
        .env("XDG_CACHE_HOME", root.join("cache"))
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn an_item_added_by_another_process_appears_in_the_open_dashboard() {
    let api = FakeApi::start();
    let mut term = spawn_with_api(&api);
    term.wait_for(&["Look up", "Watchlist (0)"]);
    let added = run_cli(&term, &["watch", "add", ID, "--label", "shell"]);
    assert!(added.status.success(), "{added:?}");
    term.wait_for(&["Watchlist (1)", "shell"]);
    // And one removed elsewhere goes away.
    let removed = run_cli(&term, &["watch", "remove", ID]);
    assert!(removed.status.success(), "{removed:?}");
    term.wait_for(&["Watchlist (0)"]);
    term.send("q");
    assert_eq!(term.exit_code(), 0);
    assert!(
        api.requests().is_empty(),
        "following the file costs no call"
    );
}

#[test]
fn a_broken_then_fixed_config_file_shows_a_banner_and_recovers() {
    let api = FakeApi::start();
    let mut term = spawn_with_api(&api);
    term.wait_for(&["Look up", "Watchlist (0)"]);
    let added = run_cli(&term, &["watch", "add", ID, "--label", "campaign"]);
    assert!(added.status.success(), "{added:?}");
    term.wait_for(&["Watchlist (1)", "campaign"]);

    let good = std::fs::read_to_string(term.config_file()).unwrap();
    std::fs::write(term.config_file(), format!("{good}\n[[watchlist]\n")).unwrap();
    let screen = term.wait_for(&["config file error", "read-only"]);
    assert!(
        screen.contains("campaign"),
        "the last good list stays:\n{screen}"
    );

    std::fs::write(term.config_file(), &good).unwrap();
    term.wait_gone("read-only");
    term.wait_for(&["Watchlist (1)", "campaign"]);
    term.send("q");
    assert_eq!(term.exit_code(), 0);
    assert_eq!(std::fs::read_to_string(term.config_file()).unwrap(), good);
}

#[test]
fn ten_thousand_watched_items_open_and_scroll() {
    const ITEMS: u64 = 10_000;
    let api = FakeApi::start();
    // The config file is there before the dashboard starts.
    let mut term = {
        let dirs = tempfile::Builder::new()
            .prefix("xingtu-dash-e2e-big-")
            .tempdir()
            .unwrap();
        let config_dir = dirs.path().join("xingtu-dash");
        std::fs::create_dir_all(&config_dir).unwrap();
        let mut config = String::new();
        let first: u64 = ID.parse().unwrap();
        for i in 0..ITEMS {
            config.push_str(&format!(
                "[[watchlist]]\nitem_id = \"{}\"\nlabel = \"row {i}\"\n\n",
                first + i
            ));
        }
        std::fs::write(config_dir.join("config.toml"), config).unwrap();
        let uri = api.uri();
        let term = Term::spawn(
            &[],
            &[
                ("JUSTONEAPI_BASE_URL", uri.as_str()),
                ("JUSTONEAPI_TOKEN", TOKEN),
                ("XDG_CONFIG_HOME", dirs.path().to_str().unwrap()),
            ],
        );
        (term, dirs)
    };
    let (term, _config) = &mut term;
    term.wait_for(&["Watchlist (10000)", "row 0", "row 1"]);
    // The end of the list, then back to the top: only the rows on screen are drawn.
    term.send("G");
    term.wait_for(&["row 9999"]);
    term.send("g");
    term.wait_for(&["row 0"]);
    for _ in 0..3 {
        term.send("\x1b[6~"); // Page Down
    }
    term.wait_gone("row 0 ");
    term.send("q");
    assert_eq!(term.exit_code(), 0);
    assert!(
        api.requests().is_empty(),
        "opening and scrolling cost no call"
    );
}

/// `export --format xlsx` with the terminal as its output refuses (a workbook is binary and
/// would garble it) and says what to do instead; to a file or a pipe it writes (`pipe_cli`,
/// `spreadsheet`).
#[test]
fn an_xlsx_export_refuses_to_write_to_a_terminal() {
    let term = Term::spawn(&["--demo", "export", "--format", "xlsx"], &[]);
    assert_eq!(term.exit_code(), 2);
    term.wait_closed();
    let raw = term.raw_output();
    assert!(
        !raw.windows(2).any(|w| w == b"PK"),
        "no zip on the terminal"
    );
    let screen = term.screen();
    assert!(screen.contains("--output FILE.xlsx"), "{screen}");
}

/// On a terminal tall enough for the trend chart: a refresh that crosses an alert's line
/// shows the banner and marks the row; `T` fetches Xingtu's daily trend once and draws it
/// as bars, with a legend telling them from the snapshots.
#[test]
fn an_alert_banner_after_a_refresh_and_t_draws_the_daily_bars() {
    let api = FakeApi::start();
    api.also_trend();
    let uri = api.uri();
    let config = format!(
        "[[watchlist]]\nitem_id = \"{ID}\"\nlabel = \"理想 L6\"\n\n[[alert]]\nname = \"viral\"\nmetric = \"views\"\nabove = 40000000\n"
    );
    let mut term = Term::spawn_sized(
        &[],
        &[
            ("JUSTONEAPI_BASE_URL", uri.as_str()),
            ("JUSTONEAPI_TOKEN", TOKEN),
        ],
        Some(config.as_bytes()),
        (50, 140),
    );
    term.wait_for(&["Watchlist (1)", "理想 L6"]);
    term.send("R");
    let screen = term.wait_for(&["⚑ viral: “理想 L6” views 45.3M above 40.0M", "! lists"]);
    assert!(screen.contains("! 理想 L6"), "{screen}");

    term.send("\r");
    term.send("T");
    let screen = term.wait_for(&[
        "▇ Xingtu daily",
        "views per day",
        "5 days of views, drawn as bars in the trend chart",
    ]);
    // The bars: block marks on the chart rows below the legend.
    let legend = screen
        .lines()
        .position(|l| l.contains("▇ Xingtu daily"))
        .unwrap();
    let bars = screen
        .lines()
        .skip(legend + 1)
        .take(8)
        .filter(|l| l.contains('█') || l.contains('▄') || l.contains('▀'))
        .count();
    assert!(bars >= 2, "no bars under the legend:\n{screen}");
    term.send("q");
    assert_eq!(term.exit_code(), 0);
    let trend_calls = api
        .requests()
        .iter()
        .filter(|r| r.url.path() == TREND)
        .count();
    assert_eq!(trend_calls, 1);
}

/// A hang-up in the middle of a measured refresh: the dashboard exits, and the refresh's
/// note in the history database is closed, so other processes do not count it as running.
#[test]
fn a_hang_up_mid_refresh_closes_the_refresh_note() {
    let api = FakeApi::start();
    api.runtime.block_on(async {
        Mock::given(method("GET"))
            .and(path(ENDPOINT))
            .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(60)))
            .with_priority(1)
            .mount(&api.server)
            .await;
        Mock::given(method("GET"))
            .and(path("/user/get-balance"))
            .respond_with(ResponseTemplate::new(200).set_body_json(
                serde_json::json!({"code": 0, "data": {"balance": "5.00", "currency": "CNY"}}),
            ))
            .mount(&api.server)
            .await;
    });
    let uri = api.uri();
    let config = format!("[[watchlist]]\nitem_id = \"{ID}\"\n");
    let mut term = Term::spawn_with_config(
        &[],
        &[
            ("JUSTONEAPI_BASE_URL", uri.as_str()),
            ("JUSTONEAPI_TOKEN", TOKEN),
        ],
        Some(config.as_bytes()),
    );
    term.wait_for(&["¥5.00"]);
    term.send("R");
    term.wait_for(&["fetching 1 item"]);
    let db = term.root().join("data/xingtu-dash/history.sqlite3");
    let open_notes = || -> i64 {
        rusqlite::Connection::open(&db)
            .unwrap()
            .query_row(
                "SELECT count(*) FROM spend_batches WHERE finished_at IS NULL",
                [],
                |row| row.get(0),
            )
            .unwrap()
    };
    let deadline = Instant::now() + Duration::from_secs(10);
    while open_notes() == 0 {
        assert!(Instant::now() < deadline, "the refresh was never noted");
        std::thread::sleep(Duration::from_millis(20));
    }
    let pid = term.pid.expect("the child's pid");
    let sent = std::process::Command::new("kill")
        .args(["-HUP", &pid.to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    assert_eq!(term.exit_code(), 0);
    term.wait_closed();
    assert_eq!(open_notes(), 0);
}
