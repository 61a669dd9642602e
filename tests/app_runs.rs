//! Whole-app runs: the real event loop (`runtime::run`) on a TestBackend, with scripted
//! input and a wiremock fake API behind the real client. Tests wait for frames (the backend
//! signals every flush), never for wall-clock time.

use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::{Backend, ClearType, TestBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use secrecy::SecretString;
use tokio::sync::{mpsc, watch};
use url::Url;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
use xingtu_dash::api::{ApiClient, Backend as ApiBackend};
use xingtu_dash::app::{Action, App};
use xingtu_dash::fetcher::{Fetcher, FetcherConfig, RetryPolicy};
use xingtu_dash::format::NumberStyle;
use xingtu_dash::platform::Platform;
use xingtu_dash::runtime::{self, HistorySource, Services};
use xingtu_dash::store::config::ConfigFile;

const ENDPOINT: &str = "/api/douyin-xingtu/gw/api/data_sp/item_report_detail/v1";
const ID: &str = "7566200471448779514";

/// A TestBackend shared with the test, announcing every flushed frame.
#[derive(Clone)]
struct Shared {
    inner: Arc<Mutex<TestBackend>>,
    frames: Arc<watch::Sender<u64>>,
}

impl Backend for Shared {
    type Error = Infallible;

    fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        self.inner.lock().unwrap().draw(content)
    }
    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.lock().unwrap().hide_cursor()
    }
    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.lock().unwrap().show_cursor()
    }
    fn get_cursor_position(&mut self) -> Result<Position, Self::Error> {
        self.inner.lock().unwrap().get_cursor_position()
    }
    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> Result<(), Self::Error> {
        self.inner.lock().unwrap().set_cursor_position(position)
    }
    fn clear(&mut self) -> Result<(), Self::Error> {
        self.inner.lock().unwrap().clear()
    }
    fn clear_region(&mut self, clear_type: ClearType) -> Result<(), Self::Error> {
        self.inner.lock().unwrap().clear_region(clear_type)
    }
    fn size(&self) -> Result<Size, Self::Error> {
        self.inner.lock().unwrap().size()
    }
    fn window_size(&mut self) -> Result<WindowSize, Self::Error> {
        self.inner.lock().unwrap().window_size()
    }
    fn flush(&mut self) -> Result<(), Self::Error> {
        self.inner.lock().unwrap().flush()?;
        self.frames.send_modify(|n| *n += 1);
        Ok(())
    }
}

#[derive(Default)]
struct Recorder {
    calls: Mutex<Vec<String>>,
}

impl Platform for Recorder {
    fn open_url(&self, url: &str) -> Result<(), String> {
        self.calls.lock().unwrap().push(format!("open {url}"));
        Ok(())
    }
    fn copy(&self, text: &str) -> Result<(), String> {
        self.calls.lock().unwrap().push(format!("copy {text}"));
        Ok(())
    }
}

struct Run {
    input: mpsc::UnboundedSender<Action>,
    frames: watch::Receiver<u64>,
    backend: Arc<Mutex<TestBackend>>,
    task: tokio::task::JoinHandle<Result<App, String>>,
    platform: Arc<Recorder>,
    dir: tempfile::TempDir,
}

impl Run {
    async fn start(server: &MockServer) -> Run {
        let dir = tempfile::tempdir().unwrap();
        let (progress_tx, progress_rx) = mpsc::unbounded_channel();
        let client = ApiClient::new(
            &Url::parse(&server.uri()).unwrap(),
            SecretString::from("tok-app-runs"),
            Duration::from_secs(60),
        )
        .unwrap();
        let fetcher = Fetcher::new(
            ApiBackend::Http(client),
            FetcherConfig {
                concurrency: 4,
                policy: RetryPolicy::with_base(Duration::from_millis(5)),
                cache_window: chrono::Duration::minutes(10),
            },
        )
        .with_events(progress_tx);
        let platform = Arc::new(Recorder::default());
        let services = Services {
            fetcher: Arc::new(fetcher),
            watch_store: Some(ConfigFile::new(dir.path().join("config.toml"))),
            history: HistorySource::Db(dir.path().join("history.sqlite3")),
            platform: platform.clone(),
        };
        let inner = Arc::new(Mutex::new(TestBackend::new(100, 30)));
        let (frames_tx, frames) = watch::channel(0);
        let shared = Shared {
            inner: inner.clone(),
            frames: Arc::new(frames_tx),
        };
        let (input, input_rx) = mpsc::unbounded_channel();
        let mut app = App::new(Utc::now(), NumberStyle::Cn);
        app.color = false;
        let task = tokio::spawn(async move {
            let mut terminal = Terminal::new(shared).unwrap();
            runtime::run(
                &mut terminal,
                app,
                services,
                input_rx,
                progress_rx,
                Vec::new(),
            )
            .await
        });
        Run {
            input,
            frames,
            backend: inner,
            task,
            platform,
            dir,
        }
    }

    fn screen(&self) -> String {
        format!("{}", self.backend.lock().unwrap())
    }

    /// Waits for a frame showing every one of `texts`.
    async fn wait_for(&mut self, texts: &[&str]) -> String {
        let waiting = async {
            loop {
                let screen = self.screen();
                if texts.iter().all(|t| screen.contains(t)) {
                    return screen;
                }
                self.frames.changed().await.unwrap();
            }
        };
        match tokio::time::timeout(Duration::from_secs(10), waiting).await {
            Ok(screen) => screen,
            Err(_) => panic!("never showed {texts:?}:\n{}", self.screen()),
        }
    }

    fn key(&self, code: KeyCode) {
        self.input
            .send(Action::Key(KeyEvent::new(code, KeyModifiers::NONE)))
            .unwrap();
    }

    fn type_text(&self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    /// Quits with `q`; returns the final state and the run's directory (config, history).
    async fn quit(self) -> (App, tempfile::TempDir) {
        self.key(KeyCode::Char('q'));
        let app = tokio::time::timeout(Duration::from_secs(5), self.task)
            .await
            .expect("the dashboard did not stop")
            .unwrap()
            .unwrap();
        (app, self.dir)
    }
}

fn example() -> serde_json::Value {
    serde_json::from_str(include_str!("fixtures/item_report_detail_ok.json")).unwrap()
}

async fn api(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(ENDPOINT))
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.map_or(0, |r| r.len())
}

/// The status bar counts a call as it is sent, a moment before the server sees it.
async fn wait_requests(server: &MockServer, n: usize) {
    let waiting = async {
        while requests(server).await < n {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(5), waiting)
        .await
        .expect("the call never reached the server");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lookup_shows_the_creator_and_the_like_rate() {
    let server = api(ResponseTemplate::new(200).set_body_json(example())).await;
    let mut run = Run::start(&server).await;
    run.type_text(ID);
    run.key(KeyCode::Enter);
    run.wait_for(&["好热的黄彬", "0.237%", "4527.6万"]).await;
    assert_eq!(requests(&server).await, 1);
    run.key(KeyCode::Esc);
    run.wait_for(&["r refetch"]).await;
    run.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn junk_never_costs_a_call() {
    let server = api(ResponseTemplate::new(200).set_body_json(example())).await;
    let mut run = Run::start(&server).await;
    run.key(KeyCode::Char('/'));
    run.type_text("hello 123");
    run.wait_for(&["✗"]).await;
    run.key(KeyCode::Enter);
    run.wait_for(&["not looked up"]).await;
    assert_eq!(requests(&server).await, 0);
    run.key(KeyCode::Esc);
    run.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fatal_code_shows_a_banner_and_blocks_calls_until_r() {
    let body = serde_json::json!({"code": 601, "data": null, "message": "Insufficient Balance"});
    let server = api(ResponseTemplate::new(200).set_body_json(body)).await;
    let mut run = Run::start(&server).await;
    run.type_text(ID);
    run.key(KeyCode::Enter);
    run.wait_for(&["calls stopped", "601", "top up"]).await;
    run.type_text("7566200471448779515");
    run.key(KeyCode::Enter);
    run.wait_for(&["calls are stopped"]).await;
    assert_eq!(requests(&server).await, 1, "no call while halted");
    run.key(KeyCode::Esc);
    run.key(KeyCode::Char('r'));
    run.wait_for(&["2 billed calls"]).await;
    wait_requests(&server, 2).await;
    run.wait_for(&["calls stopped"]).await;
    assert_eq!(requests(&server).await, 2, "r resumes with one call");
    run.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ui_answers_keys_while_a_slow_call_is_pending() {
    let slow = ResponseTemplate::new(200)
        .set_body_json(example())
        .set_delay(Duration::from_secs(30));
    let server = api(slow).await;
    let mut run = Run::start(&server).await;
    run.type_text(ID);
    run.key(KeyCode::Enter);
    run.wait_for(&["fetching 1 item"]).await;
    run.key(KeyCode::Esc);
    run.key(KeyCode::Char('?'));
    run.wait_for(&["Keys", "refresh all"]).await;
    run.key(KeyCode::Esc);
    run.key(KeyCode::Tab);
    run.wait_for(&["s/S sort"]).await;
    let started = std::time::Instant::now();
    run.quit().await;
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transient_failures_retry_then_show_the_report() {
    let server = MockServer::start().await;
    let failed = serde_json::json!({"code": 301, "data": null, "message": "Collection Failed. Please Retry."});
    Mock::given(method("GET"))
        .and(path(ENDPOINT))
        .respond_with(ResponseTemplate::new(200).set_body_json(failed))
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(ENDPOINT))
        .respond_with(ResponseTemplate::new(200).set_body_json(example()))
        .with_priority(2)
        .mount(&server)
        .await;
    let mut run = Run::start(&server).await;
    run.type_text(ID);
    run.key(KeyCode::Enter);
    run.wait_for(&["好热的黄彬", "3 billed calls"]).await;
    assert_eq!(requests(&server).await, 3);
    run.key(KeyCode::Esc);
    run.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn copy_open_watch_and_resize() {
    let server = api(ResponseTemplate::new(200).set_body_json(example())).await;
    let mut run = Run::start(&server).await;
    run.type_text(ID);
    run.key(KeyCode::Enter);
    run.wait_for(&["好热的黄彬"]).await;
    run.key(KeyCode::Esc);
    run.key(KeyCode::Char('y'));
    run.key(KeyCode::Char('o'));
    run.key(KeyCode::Char('a'));
    run.wait_for(&["Watchlist (1)"]).await;
    let calls = run.platform.calls.lock().unwrap().clone();
    assert_eq!(calls[0], format!("copy {ID}"));
    assert!(calls[1].starts_with("open https://www.iesdouyin.com/share/video/7566200471448779514"));

    run.backend.lock().unwrap().resize(50, 12);
    run.input.send(Action::Resize(50, 12)).unwrap();
    run.wait_for(&["terminal too small"]).await;
    run.backend.lock().unwrap().resize(120, 36);
    run.input.send(Action::Resize(120, 36)).unwrap();
    run.wait_for(&["好热的黄彬", "Watchlist (1)"]).await;

    let (app, dir) = run.quit().await;
    assert!(app.is_watched(&xingtu_dash::item_id::ItemId::parse(ID).unwrap()));
    let text = std::fs::read_to_string(dir.path().join("config.toml")).unwrap();
    assert!(text.contains(ID), "{text}");
    assert_eq!(requests(&server).await, 1);
}
