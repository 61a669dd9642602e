//! The real binary in a pseudo-terminal, as a person uses it: type an id, read the screen,
//! quit. The screen is rebuilt from the byte stream by a vt100 parser; waiting is on a
//! condition variable fed by the reader thread, never on fixed sleeps.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ENDPOINT: &str = "/api/douyin-xingtu/gw/api/data_sp/item_report_detail/v1";
const ID: &str = "7566200471448779514";
const TOKEN: &str = "tok-SECRET-e2e-4242";
const ROWS: u16 = 30;
const COLS: u16 = 100;

struct Screen {
    parser: vt100::Parser,
    raw: Vec<u8>,
    closed: bool,
}

struct Pty {
    screen: Arc<(Mutex<Screen>, Condvar)>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    _dirs: tempfile::TempDir,
    root: PathBuf,
}

impl Pty {
    fn spawn(args: &[&str], env: &[(&str, &str)]) -> Pty {
        let dirs = tempfile::tempdir().unwrap();
        let root = dirs.path().to_path_buf();
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_xingtu-dash"));
        cmd.env_clear();
        cmd.env("PATH", std::env::var("PATH").unwrap_or_default());
        cmd.env("HOME", &root);
        for (key, sub) in [
            ("XDG_CONFIG_HOME", "config"),
            ("XDG_DATA_HOME", "data"),
            ("XDG_STATE_HOME", "state"),
            ("XDG_CACHE_HOME", "cache"),
        ] {
            cmd.env(key, root.join(sub));
        }
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "C.UTF-8");
        cmd.env("TZ", "UTC");
        for (k, v) in env {
            cmd.env(k, v);
        }
        for a in args {
            cmd.arg(a);
        }
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let screen = Arc::new((
            Mutex::new(Screen {
                parser: vt100::Parser::new(ROWS, COLS, 0),
                raw: Vec::new(),
                closed: false,
            }),
            Condvar::new(),
        ));
        let feed = Arc::clone(&screen);
        std::thread::spawn(move || {
            // The master must outlive the reader, or the child sees a hang-up.
            let _master = pair.master;
            let mut buf = [0u8; 8192];
            loop {
                let n = reader.read(&mut buf).unwrap_or(0);
                let (lock, cond) = &*feed;
                let mut s = lock.lock().unwrap();
                if n == 0 {
                    s.closed = true;
                    cond.notify_all();
                    break;
                }
                s.parser.process(&buf[..n]);
                s.raw.extend_from_slice(&buf[..n]);
                cond.notify_all();
            }
        });
        Pty {
            screen,
            writer,
            child,
            _dirs: dirs,
            root,
        }
    }

    fn contents(&self) -> String {
        self.screen.0.lock().unwrap().parser.screen().contents()
    }

    /// Waits until the screen shows every one of `texts`.
    fn wait_for(&self, texts: &[&str]) -> String {
        let (lock, cond) = &*self.screen;
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut s = lock.lock().unwrap();
        loop {
            let contents = s.parser.screen().contents();
            if texts.iter().all(|t| contents.contains(t)) {
                return contents;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(
                !left.is_zero() && !s.closed,
                "screen never showed {texts:?}; it shows:\n{contents}"
            );
            s = cond.wait_timeout(s, left).unwrap().0;
        }
    }

    /// Waits until the screen no longer shows `text`.
    fn wait_gone(&self, text: &str) {
        let (lock, cond) = &*self.screen;
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut s = lock.lock().unwrap();
        while s.parser.screen().contents().contains(text) {
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(!left.is_zero() && !s.closed, "{text:?} never went away");
            s = cond.wait_timeout(s, left).unwrap().0;
        }
    }

    fn send(&mut self, text: &str) {
        self.writer.write_all(text.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Waits for the process to end and returns its exit code.
    fn exit_code(&mut self) -> u32 {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.exit_code();
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the dashboard did not exit; screen:\n{}", self.contents());
            }
            // A process exit has no notification here that a test can await portably.
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn all_output(&self) -> String {
        String::from_utf8_lossy(&self.screen.0.lock().unwrap().raw).into_owned()
    }

    fn config_file(&self) -> PathBuf {
        self.root.join("config/xingtu-dash/config.toml")
    }
}

/// A fake API on loopback, served from its own runtime for the test's duration.
struct FakeApi {
    server: MockServer,
    runtime: tokio::runtime::Runtime,
}

impl FakeApi {
    fn start() -> FakeApi {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let server = runtime.block_on(async {
            let server = MockServer::start().await;
            let body: serde_json::Value =
                serde_json::from_str(include_str!("fixtures/item_report_detail_ok.json")).unwrap();
            Mock::given(method("GET"))
                .and(path(ENDPOINT))
                .and(query_param("token", TOKEN))
                .respond_with(ResponseTemplate::new(200).set_body_json(body))
                .mount(&server)
                .await;
            server
        });
        FakeApi { server, runtime }
    }

    fn requests(&self) -> usize {
        self.runtime
            .block_on(self.server.received_requests())
            .map_or(0, |r| r.len())
    }
}

fn wait_for_file(path: &Path, needle: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        if text.contains(needle) {
            return text;
        }
        assert!(
            Instant::now() < deadline,
            "{path:?} never contained {needle}"
        );
        // Files give no notification a test can await portably.
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn type_an_id_see_the_report_and_quit() {
    let api = FakeApi::start();
    let mut pty = Pty::spawn(
        &[],
        &[
            ("JUSTONEAPI_BASE_URL", &api.server.uri()),
            ("JUSTONEAPI_TOKEN", TOKEN),
        ],
    );
    pty.wait_for(&["Look up"]);
    pty.send(ID);
    pty.wait_for(&["video id 7566200471448779514"]);
    pty.send("\r");
    pty.wait_for(&["好热的黄彬", "0.237%", "r refetch"]);
    assert_eq!(api.requests(), 1);
    // After a lookup the keys act on the result: q quits at once.
    pty.send("q");
    assert_eq!(pty.exit_code(), 0);
    assert!(
        !pty.all_output().contains(TOKEN),
        "the token reached the screen"
    );
}

#[test]
fn demo_opens_on_the_example_with_help_and_ctrl_c() {
    let mut pty = Pty::spawn(&["--demo"], &[]);
    pty.wait_for(&["好热的黄彬", "DEMO"]);
    pty.send("?");
    pty.wait_for(&["Keys", "Ctrl-U", "refresh all"]);
    // Esc and a key sent together read as Alt+key; let the Esc land first.
    pty.send("\x1b");
    pty.wait_gone("Esc or ? closes");
    pty.send("q");
    assert_eq!(pty.exit_code(), 0);
}

#[test]
fn add_to_the_watchlist_from_the_dashboard() {
    let api = FakeApi::start();
    let mut pty = Pty::spawn(
        &[],
        &[
            ("JUSTONEAPI_BASE_URL", &api.server.uri()),
            ("JUSTONEAPI_TOKEN", TOKEN),
        ],
    );
    pty.wait_for(&["Look up"]);
    pty.send(&format!("/https://www.douyin.com/video/{ID}\r"));
    pty.wait_for(&["好热的黄彬", "r refetch"]);
    pty.send("a");
    pty.wait_for(&["added 7566200471448779514"]);
    let config = wait_for_file(&pty.config_file(), ID);
    assert!(config.contains("[[watchlist]]"), "{config}");
    pty.wait_for(&["Watchlist (1)"]);
    pty.send("q");
    assert_eq!(pty.exit_code(), 0);
    assert_eq!(api.requests(), 1, "adding to the watchlist costs no call");
}

#[test]
fn sigterm_restores_the_terminal() {
    let mut pty = Pty::spawn(&["--demo"], &[]);
    pty.wait_for(&["好热的黄彬"]);
    let pid = pty.child.process_id().unwrap();
    let status = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(pty.exit_code(), 0);
    let output = pty.all_output();
    // Leaving the alternate screen is the last thing the guard does.
    assert!(output.contains("\x1b[?1049l"), "alternate screen not left");
}
