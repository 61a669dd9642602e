//! Shared helpers for the CLI integration tests: an isolated environment for each child
//! process, a runner with a timeout, fixtures, wiremock helpers and a tiny raw-TCP server that
//! measures how many requests are in flight at once.

#![allow(dead_code)]

use std::ffi::OsStr;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;
use tempfile::TempDir;
use wiremock::matchers::{method, path};
use wiremock::{MockBuilder, MockServer, Request, Respond, ResponseTemplate};

pub mod pg;

/// A distinctive token: no output of any run may contain it.
pub const TOKEN: &str = "tok-SECRET-9f8e7d";
/// The item of the provider's published example.
pub const EXAMPLE_ID: &str = "7566200471448779514";
pub const ENDPOINT: &str = "/api/douyin-xingtu/gw/api/data_sp/item_report_detail/v1";
/// Retry backoff base the children run with (the rate-limit slow-down is 10x this).
pub const RETRY_BASE_MS: u64 = 5;
/// How long any one child may run before the test gives up on it.
pub const CHILD_TIMEOUT: Duration = Duration::from_secs(30);

pub const EXAMPLE_OK: &str = include_str!("../fixtures/item_report_detail_ok.json");
pub const ERROR_ENVELOPES: &str = include_str!("../fixtures/error_envelopes.json");

// ---------------------------------------------------------------------------------------------
// The isolated environment
// ---------------------------------------------------------------------------------------------

/// A fresh HOME and XDG tree for one or more runs of the binary. Runs sharing a `TestEnv`
/// share its cache and config, as two runs by one user would.
pub struct TestEnv {
    dir: TempDir,
    /// Strings that must never show up on stdout or stderr of any run.
    secrets: Vec<String>,
    /// Extra environment variables for every run.
    vars: Vec<(String, String)>,
}

impl Default for TestEnv {
    fn default() -> Self {
        Self::new()
    }
}

impl TestEnv {
    pub fn new() -> TestEnv {
        let dir = tempfile::Builder::new()
            .prefix("xingtu-dash-test-")
            .tempdir()
            .expect("create a temp dir");
        for sub in ["home", "config", "data", "state", "cache"] {
            std::fs::create_dir_all(dir.path().join(sub)).expect("create XDG dir");
        }
        TestEnv {
            dir,
            secrets: vec![TOKEN.to_owned()],
            vars: Vec::new(),
        }
    }

    /// Another string that must never be printed (a second token in a precedence test).
    pub fn with_secret(mut self, secret: &str) -> TestEnv {
        self.secrets.push(secret.to_owned());
        self
    }

    /// An environment variable set for every run of this environment.
    pub fn with_var(mut self, key: &str, value: &str) -> TestEnv {
        self.vars.push((key.to_owned(), value.to_owned()));
        self
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn home(&self) -> PathBuf {
        self.root().join("home")
    }

    pub fn config_home(&self) -> PathBuf {
        self.root().join("config")
    }

    pub fn cache_home(&self) -> PathBuf {
        self.root().join("cache")
    }

    /// `$XDG_CONFIG_HOME/xingtu-dash/config.toml`, the default config file.
    pub fn default_config_path(&self) -> PathBuf {
        self.config_home().join("xingtu-dash").join("config.toml")
    }

    /// Writes `contents` to `path` (creating parents) and returns the path.
    pub fn write_file(&self, path: &Path, contents: &str) -> PathBuf {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create parent dir");
        }
        std::fs::write(path, contents).expect("write file");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
        }
        path.to_path_buf()
    }

    /// A command for the binary with a cleared, isolated environment and stdin null.
    pub fn cmd<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_xingtu-dash"));
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home())
            .env("XDG_CONFIG_HOME", self.config_home())
            .env("XDG_DATA_HOME", self.root().join("data"))
            .env("XDG_STATE_HOME", self.root().join("state"))
            .env("XDG_CACHE_HOME", self.cache_home())
            // English and intl numbers whatever CI's locale: env_clear dropped LC_ALL and
            // LC_MESSAGES, and a test that wants Chinese sets LANG with `with_var`.
            .env("LANG", "C.UTF-8")
            .env("XINGTU_DASH_RETRY_BASE_MS", RETRY_BASE_MS.to_string())
            .current_dir(self.root())
            .stdin(Stdio::null())
            .args(args);
        for (k, v) in &self.vars {
            cmd.env(k, v);
        }
        cmd
    }

    /// Runs the binary (blocking) and checks that no secret was printed.
    pub fn run<I, S>(&self, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.run_cmd(self.cmd(args))
    }

    /// Runs a prepared command (blocking) and checks that no secret was printed.
    pub fn run_cmd(&self, cmd: Command) -> Run {
        let run = run_with_timeout(cmd, CHILD_TIMEOUT);
        run.assert_no_secrets(&self.secrets);
        run
    }

    /// Runs the binary off the async runtime's worker threads, so a mock server in the same
    /// test keeps serving.
    pub async fn run_async<I, S>(&self, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.run_cmd_async(self.cmd(args)).await
    }

    pub async fn run_cmd_async(&self, cmd: Command) -> Run {
        let run = tokio::task::spawn_blocking(move || run_with_timeout(cmd, CHILD_TIMEOUT))
            .await
            .expect("the runner thread panicked");
        run.assert_no_secrets(&self.secrets);
        run
    }

    /// `xingtu-dash --base-url BASE --token TOKEN get ARGS...`
    pub async fn get(&self, base: &str, args: &[&str]) -> Run {
        self.run_async(get_args(base, args)).await
    }

    /// `xingtu-dash --base-url BASE --token TOKEN get --json ARGS...`
    pub async fn get_json(&self, base: &str, args: &[&str]) -> Run {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        self.get(base, &all).await
    }
}

/// `--base-url BASE --token TOKEN get ARGS...`
pub fn get_args(base: &str, args: &[&str]) -> Vec<String> {
    let mut all: Vec<String> = vec![
        "--base-url".into(),
        base.into(),
        "--token".into(),
        TOKEN.into(),
        "get".into(),
    ];
    all.extend(args.iter().map(|s| s.to_string()));
    all
}

/// What one run of the binary produced.
#[derive(Debug, Clone)]
pub struct Run {
    /// The exit code; `None` when killed by a signal.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

impl Run {
    /// (status code, stdout, stderr)
    pub fn parts(&self) -> (Option<i32>, &str, &str) {
        (self.code, &self.stdout, &self.stderr)
    }

    /// Panics (showing the output) unless the exit code is `expected`.
    pub fn assert_code(&self, expected: i32) -> &Run {
        assert_eq!(
            self.code,
            Some(expected),
            "exit status: expected {expected}\n{}",
            self.describe()
        );
        self
    }

    pub fn assert_no_secrets(&self, secrets: &[String]) {
        for s in secrets {
            assert!(
                !self.stdout.contains(s.as_str()),
                "a secret ({s}) appeared on stdout\n{}",
                self.describe()
            );
            assert!(
                !self.stderr.contains(s.as_str()),
                "a secret ({s}) appeared on stderr\n{}",
                self.describe()
            );
        }
    }

    /// stdout as JSON Lines (blank lines ignored); panics on a line that is not JSON.
    pub fn json_lines(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                serde_json::from_str(l).unwrap_or_else(|e| {
                    panic!("stdout line is not JSON ({e}): {l:?}\n{}", self.describe())
                })
            })
            .collect()
    }

    /// Exactly one JSON line, returned.
    pub fn single_json(&self) -> Value {
        let lines = self.json_lines();
        assert_eq!(
            lines.len(),
            1,
            "expected one JSON line\n{}",
            self.describe()
        );
        lines.into_iter().next().unwrap()
    }

    pub fn describe(&self) -> String {
        format!(
            "--- exit: {:?} after {:?}\n--- stdout:\n{}\n--- stderr:\n{}\n---",
            self.code, self.elapsed, self.stdout, self.stderr
        )
    }
}

/// Spawns `cmd`, collects its output, and kills it (then panics) if it outlives `timeout`.
pub fn run_with_timeout(mut cmd: Command, timeout: Duration) -> Run {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let start = Instant::now();
    let mut child = cmd.spawn().expect("spawn xingtu-dash");
    let mut out = child.stdout.take().expect("piped stdout");
    let mut err = child.stderr.take().expect("piped stderr");
    let out_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = out.read_to_end(&mut buf);
        buf
    });
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = err.read_to_end(&mut buf);
        buf
    });
    let mut timed_out = false;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for the child") {
            break status;
        }
        if start.elapsed() > timeout {
            timed_out = true;
            let _ = child.kill();
            break child.wait().expect("wait for the killed child");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let elapsed = start.elapsed();
    let stdout = String::from_utf8_lossy(&out_reader.join().unwrap_or_default()).into_owned();
    let stderr = String::from_utf8_lossy(&err_reader.join().unwrap_or_default()).into_owned();
    let run = Run {
        code: status.code(),
        stdout,
        stderr,
        elapsed,
    };
    assert!(
        !timed_out,
        "xingtu-dash did not finish within {timeout:?}\n{}",
        run.describe()
    );
    run
}

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

/// The provider's published success envelope (counts as strings).
pub fn example_envelope() -> Value {
    serde_json::from_str(EXAMPLE_OK).expect("fixture parses")
}

/// The example envelope with every digit-string count turned into a JSON number.
pub fn example_envelope_numeric() -> Value {
    let mut env = example_envelope();
    let author = env["data"]["author_info"].as_object_mut().unwrap();
    for key in ["follower", "ink_cnt", "link_cnt"] {
        let n: u64 = author[key].as_str().unwrap().parse().unwrap();
        author.insert(key.into(), n.into());
    }
    let video = env["data"]["video_info"].as_object_mut().unwrap();
    for key in [
        "vv_cnt",
        "like_cnt",
        "comment_cnt",
        "share_cnt",
        "collect_cnt",
        "interact_cnt",
        "create_time",
    ] {
        let n: u64 = video[key].as_str().unwrap().parse().unwrap();
        video.insert(key.into(), n.into());
    }
    env
}

/// One of the fixture error envelopes, by key ("100", "301", ...).
pub fn error_envelope(key: &str) -> Value {
    let all: Value = serde_json::from_str(ERROR_ENVELOPES).expect("fixture parses");
    all.get(key)
        .unwrap_or_else(|| panic!("no fixture envelope {key}"))
        .clone()
}

/// An error envelope for any code (the fixture's one when there is one).
pub fn envelope_for_code(code: i64, message: &str) -> Value {
    let all: Value = serde_json::from_str(ERROR_ENVELOPES).expect("fixture parses");
    match all.get(code.to_string()) {
        Some(v) => v.clone(),
        None => serde_json::json!({
            "code": code,
            "data": null,
            "message": message,
            "recordTime": "2026-11-20T08:15:02Z",
            "requestId": format!("req-{code}-test"),
        }),
    }
}

/// `n` distinct, well-formed 19-digit item ids.
pub fn distinct_ids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("75662004714487{i:05}")).collect()
}

// ---------------------------------------------------------------------------------------------
// wiremock helpers
// ---------------------------------------------------------------------------------------------

/// `GET {ENDPOINT}`: the start of every mock in these tests.
pub fn endpoint() -> MockBuilder {
    wiremock::Mock::given(method("GET")).and(path(ENDPOINT))
}

/// A JSON response with `status` and `body`.
pub fn json_response(status: u16, body: &Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_string().into_bytes(), "application/json")
}

pub fn ok_response() -> ResponseTemplate {
    json_response(200, &example_envelope())
}

/// A mock API answering every report call with `answer` (a response, or a function of the
/// request).
pub async fn server_answering(answer: impl wiremock::Respond + 'static) -> MockServer {
    let server = MockServer::start().await;
    endpoint().respond_with(answer).mount(&server).await;
    server
}

/// A mock API answering every report call with the example report.
pub async fn server_ok() -> MockServer {
    server_answering(ok_response()).await
}

/// A mock API answering the first `times` report calls with `first`, every later one with
/// `then`.
pub async fn server_answering_first(
    times: u64,
    first: impl wiremock::Respond + 'static,
    then: impl wiremock::Respond + 'static,
) -> MockServer {
    let server = MockServer::start().await;
    endpoint()
        .respond_with(first)
        .up_to_n_times(times)
        .with_priority(1)
        .mount(&server)
        .await;
    endpoint()
        .respond_with(then)
        .with_priority(2)
        .mount(&server)
        .await;
    server
}

/// Every request the server received.
pub async fn requests(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
}

/// Paid calls the server received (balance reads around a batch are not counted).
pub async fn request_count(server: &MockServer) -> usize {
    requests(server)
        .await
        .iter()
        .filter(|r| r.url.path() != "/user/get-balance")
        .count()
}

/// Requests whose `itemId` query parameter is `id`.
pub async fn request_count_for(server: &MockServer, id: &str) -> usize {
    requests(server)
        .await
        .iter()
        .filter(|r| query_value(r, "itemId").as_deref() == Some(id))
        .count()
}

pub fn query_value(request: &Request, key: &str) -> Option<String> {
    request
        .url
        .query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

/// A responder that notes when each request arrived, then answers with `template`.
#[derive(Clone)]
pub struct Timed {
    pub arrivals: Arc<Mutex<Vec<Instant>>>,
    template: ResponseTemplate,
}

impl Timed {
    pub fn new(template: ResponseTemplate) -> Timed {
        Timed {
            arrivals: Arc::new(Mutex::new(Vec::new())),
            template,
        }
    }

    /// Another responder recording into the same list of arrivals.
    pub fn also(&self, template: ResponseTemplate) -> Timed {
        Timed {
            arrivals: Arc::clone(&self.arrivals),
            template,
        }
    }

    pub fn count(&self) -> usize {
        self.arrivals.lock().unwrap().len()
    }

    /// Gaps between consecutive arrivals.
    pub fn gaps(&self) -> Vec<Duration> {
        let times = self.arrivals.lock().unwrap();
        times.windows(2).map(|w| w[1] - w[0]).collect()
    }
}

impl Respond for Timed {
    fn respond(&self, _request: &Request) -> ResponseTemplate {
        self.arrivals.lock().unwrap().push(Instant::now());
        self.template.clone()
    }
}

/// A port on 127.0.0.1 that nothing listens on (bound, noted, released).
pub fn refused_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    port
}

// ---------------------------------------------------------------------------------------------
// A raw-TCP server that measures concurrency
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Default)]
pub struct InFlight {
    pub current: AtomicUsize,
    pub max: AtomicUsize,
    pub total: AtomicUsize,
}

/// An HTTP/1.1 server that holds each request for `hold`, counting requests in flight, then
/// answers 200 with the example envelope (keep-alive, with a Content-Length).
pub struct CountingServer {
    pub url: String,
    pub stats: Arc<InFlight>,
    task: tokio::task::JoinHandle<()>,
}

impl CountingServer {
    pub async fn start(hold: Duration) -> CountingServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let stats = Arc::new(InFlight::default());
        let body: Arc<[u8]> = EXAMPLE_OK.as_bytes().into();
        let task = {
            let stats = Arc::clone(&stats);
            tokio::spawn(async move {
                loop {
                    let Ok((stream, _)) = listener.accept().await else {
                        return;
                    };
                    tokio::spawn(serve_connection(
                        stream,
                        Arc::clone(&stats),
                        Arc::clone(&body),
                        hold,
                    ));
                }
            })
        };
        CountingServer { url, stats, task }
    }

    pub fn max_in_flight(&self) -> usize {
        self.stats.max.load(Ordering::SeqCst)
    }

    pub fn total(&self) -> usize {
        self.stats.total.load(Ordering::SeqCst)
    }
}

impl Drop for CountingServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve_connection(
    stream: tokio::net::TcpStream,
    stats: Arc<InFlight>,
    body: Arc<[u8]>,
    hold: Duration,
) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

    let mut stream = BufReader::new(stream);
    loop {
        // Request line and headers, up to the blank line (GET: no body).
        let mut request_line = String::new();
        match stream.read_line(&mut request_line).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        if request_line.trim().is_empty() {
            continue;
        }
        let mut close = false;
        loop {
            let mut header = String::new();
            match stream.read_line(&mut header).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            let lower = header.to_ascii_lowercase();
            if lower.starts_with("connection:") && lower.contains("close") {
                close = true;
            }
        }

        // A balance read (before and after a batch) is answered at once, and not counted.
        if !request_line.contains("/user/get-balance") {
            let now = stats.current.fetch_add(1, Ordering::SeqCst) + 1;
            stats.max.fetch_max(now, Ordering::SeqCst);
            stats.total.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(hold).await;
            // Leave the count before answering: a client cannot start its next call before
            // it has this response, so a correct client never pushes the count above its bound.
            stats.current.fetch_sub(1, Ordering::SeqCst);
        }

        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: {}\r\n\r\n",
            body.len(),
            if close { "close" } else { "keep-alive" }
        );
        let stream_mut = stream.get_mut();
        if stream_mut.write_all(head.as_bytes()).await.is_err()
            || stream_mut.write_all(&body).await.is_err()
            || stream_mut.flush().await.is_err()
        {
            return;
        }
        if close {
            return;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers for the watch and history tests
// ---------------------------------------------------------------------------------------------

impl TestEnv {
    /// `$XDG_DATA_HOME/xingtu-dash/history.sqlite3`, the default history database.
    pub fn history_db_path(&self) -> PathBuf {
        self.root()
            .join("data")
            .join("xingtu-dash")
            .join("history.sqlite3")
    }

    /// `$XDG_CACHE_HOME/xingtu-dash/responses.json`, where earlier versions kept the
    /// response cache.
    pub fn legacy_cache_path(&self) -> PathBuf {
        self.cache_home().join("xingtu-dash").join("responses.json")
    }

    /// Runs every command at the same moment (each on its own thread, released together by a
    /// barrier), waits for all, checks none printed a secret, and returns the runs in order.
    pub fn run_all_at_once(&self, cmds: Vec<Command>) -> Vec<Run> {
        let runs = run_all_at_once(cmds);
        for run in &runs {
            run.assert_no_secrets(&self.secrets);
        }
        runs
    }

    /// [`TestEnv::run_all_at_once`] off the async runtime's worker threads, so a mock server
    /// in the same test keeps serving.
    pub async fn run_all_at_once_async(&self, cmds: Vec<Command>) -> Vec<Run> {
        let runs = tokio::task::spawn_blocking(move || run_all_at_once(cmds))
            .await
            .expect("the runner thread panicked");
        for run in &runs {
            run.assert_no_secrets(&self.secrets);
        }
        runs
    }
}

/// Spawns every command at once (threads released by a barrier) and waits for all of them.
pub fn run_all_at_once(cmds: Vec<Command>) -> Vec<Run> {
    let barrier = Arc::new(std::sync::Barrier::new(cmds.len()));
    let threads: Vec<_> = cmds
        .into_iter()
        .map(|cmd| {
            let barrier = Arc::clone(&barrier);
            std::thread::spawn(move || {
                barrier.wait();
                run_with_timeout(cmd, CHILD_TIMEOUT)
            })
        })
        .collect();
    threads
        .into_iter()
        .map(|t| match t.join() {
            Ok(run) => run,
            Err(panic) => std::panic::resume_unwind(panic),
        })
        .collect()
}

/// `--base-url BASE --token TOKEN ARGS...` (any command).
pub fn api_args(base: &str, args: &[&str]) -> Vec<String> {
    let mut all: Vec<String> = vec![
        "--base-url".into(),
        base.into(),
        "--token".into(),
        TOKEN.into(),
    ];
    all.extend(args.iter().map(|s| s.to_string()));
    all
}

/// The permission bits of a file (`mode & 0o777`).
#[cfg(unix)]
pub fn file_mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("stat {}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

#[cfg(unix)]
pub fn set_file_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .unwrap_or_else(|e| panic!("chmod {}: {e}", path.display()));
}

/// The example envelope with `vv_cnt` and `like_cnt` replaced (as digit strings, as the API
/// sends them).
pub fn example_envelope_with_counts(vv_cnt: u64, like_cnt: u64) -> Value {
    let mut env = example_envelope();
    let video = env["data"]["video_info"].as_object_mut().unwrap();
    video.insert("vv_cnt".into(), Value::String(vv_cnt.to_string()));
    video.insert("like_cnt".into(), Value::String(like_cnt.to_string()));
    env
}

/// CSV rows read by the `csv` crate, an independent reader (ours only writes): quoted
/// fields with doubled quotes, commas and line breaks inside, CRLF or LF line ends, rows
/// of any length. A leading byte order mark may or may not stay on the first cell.
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| {
            r.unwrap_or_else(|e| panic!("not CSV: {e}: {text:?}"))
                .iter()
                .map(str::to_owned)
                .collect()
        })
        .collect()
}
