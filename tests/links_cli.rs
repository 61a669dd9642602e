//! Short links (`v.douyin.com/<code>`) resolved through a fake short-link host on loopback,
//! and many items at once: `get -`, `get --from`, `watch add` with many items, `watch import`.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use common::*;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ID2: &str = "7566200471448779515";
const ID3: &str = "7566200471448779516";
const SHARE: &str = "7.92 复制打开抖音，看看【好热的黄彬的作品】少爷,今天陪妹妹去看车啦!… https://v.douyin.com/iRNBho6u/ 01/20 xSj:/ a@b.Ok";
/// How long the slow short link takes to answer; the child's timeout is far below it.
const SLOW: Duration = Duration::from_secs(20);

fn redirect(status: u16, location: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).insert_header("Location", location)
}

/// The fake short-link host: every kind of answer the real one gives, and a slow one.
async fn short_link_host() -> MockServer {
    let server = MockServer::start().await;
    let routes = [
        (
            "/iRNBho6u/",
            redirect(
                302,
                &format!(
                    "https://www.iesdouyin.com/share/video/{EXAMPLE_ID}/?region=CN&mid=7566200535087450931&u_code=19f5hj09f"
                ),
            ),
        ),
        (
            "/perm301/",
            redirect(301, &format!("https://www.douyin.com/video/{ID2}")),
        ),
        (
            "/third/",
            redirect(302, &format!("https://www.douyin.com/note/{ID3}?x=1")),
        ),
        ("/gone404/", ResponseTemplate::new(404)),
        (
            "/userpg/",
            redirect(302, "https://www.douyin.com/user/MS4wLjABAAAAxyz"),
        ),
        (
            "/slow/",
            redirect(302, &format!("https://www.douyin.com/video/{ID2}")).set_delay(SLOW),
        ),
    ];
    for (p, template) in routes {
        Mock::given(method("GET"))
            .and(path(p))
            .respond_with(template)
            .mount(&server)
            .await;
    }
    server
}

/// The short-link host, a mock API answering every call with the example report, and a
/// run environment that resolves short links on that host.
async fn short_links_and_api() -> (MockServer, MockServer, TestEnv) {
    let links = short_link_host().await;
    let api = server_ok().await;
    let env = env_for(&links);
    (links, api, env)
}

fn env_for(links: &MockServer) -> TestEnv {
    TestEnv::new()
        .with_var("XINGTU_DASH_SHORTLINK_BASE", &links.uri())
        .with_var("XINGTU_DASH_SHORTLINK_TIMEOUT_MS", "300")
}

/// Paths the short-link host was asked for, in order.
async fn short_requests(links: &MockServer) -> Vec<String> {
    requests(links)
        .await
        .iter()
        .map(|r| r.url.path().to_owned())
        .collect()
}

fn item_ids(run: &Run) -> Vec<String> {
    run.json_lines()
        .iter()
        .map(|l| l["item_id"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// Runs the binary with `input` on standard input.
async fn run_with_stdin(env: &TestEnv, args: Vec<String>, input: &[u8]) -> Run {
    let mut cmd = env.cmd(args);
    let input = input.to_vec();
    tokio::task::spawn_blocking(move || {
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let start = std::time::Instant::now();
        let mut child = cmd.spawn().expect("spawn xingtu-dash");
        let mut stdin = child.stdin.take().expect("piped stdin");
        stdin.write_all(&input).expect("write stdin");
        drop(stdin);
        let out = child.wait_with_output().expect("wait for xingtu-dash");
        Run {
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            elapsed: start.elapsed(),
        }
    })
    .await
    .expect("runner thread")
}

// ---------------------------------------------------------------------------------------------
// Short links
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn share_text_is_resolved_without_the_token_and_only_once() {
    let (links, api, env) = short_links_and_api().await;
    let run = env
        .run_async(api_args(&api.uri(), &["get", "--json", SHARE]))
        .await;
    run.assert_code(0);
    assert_eq!(item_ids(&run), vec![EXAMPLE_ID], "{}", run.describe());
    assert_eq!(request_count(&api).await, 1);

    let received = requests(&links).await;
    assert_eq!(received.len(), 1, "one request per short link");
    let request = &received[0];
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), "/iRNBho6u/");
    assert_eq!(request.url.query(), None, "nothing but the code is sent");
    let mut seen = request.url.to_string();
    for (name, value) in request.headers.iter() {
        seen.push_str(&format!("\n{name}: {}", value.to_str().unwrap_or_default()));
    }
    assert!(
        !seen.contains(TOKEN),
        "the token reached the short-link host:\n{seen}"
    );
    let agent = request
        .headers
        .get("user-agent")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(agent.starts_with("xingtu-dash/"), "user agent {agent:?}");

    // A second paste, in another process: the stored code answers, no request is made.
    let again = env
        .run_async(api_args(&api.uri(), &["get", "--json", SHARE]))
        .await;
    again.assert_code(0);
    assert_eq!(item_ids(&again), vec![EXAMPLE_ID]);
    assert_eq!(short_requests(&links).await, vec!["/iRNBho6u/"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn short_links_in_every_spelling_resolve() {
    let (links, api, env) = short_links_and_api().await;
    let run = env
        .run_async(api_args(
            &api.uri(),
            &[
                "get",
                "--json",
                "v.douyin.com/perm301",
                "看看这个 https://v.douyin.com/third 复制此链接，打开Dou音搜索",
                "https://v.douyin.com/iRNBho6u/",
                "复制打开抖音v.douyin.com/iRNBho6u/看看",
            ],
        ))
        .await;
    run.assert_code(0);
    assert_eq!(
        item_ids(&run),
        vec![ID2, ID3, EXAMPLE_ID, EXAMPLE_ID],
        "{}",
        run.describe()
    );
    let mut asked = short_requests(&links).await;
    asked.sort();
    assert_eq!(
        asked,
        vec!["/iRNBho6u/", "/perm301/", "/third/"],
        "each code once"
    );
    assert_eq!(request_count(&api).await, 3, "duplicates cost one call");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_short_link_is_a_clear_error_and_nothing_is_called() {
    let (_links, api, env) = short_links_and_api().await;
    let run = env
        .run_async(api_args(
            &api.uri(),
            &["get", EXAMPLE_ID, "https://v.douyin.com/gone404/"],
        ))
        .await;
    run.assert_code(2);
    assert!(
        run.stderr.contains("https://v.douyin.com/gone404/") && run.stderr.contains("404"),
        "{}",
        run.describe()
    );
    assert_eq!(request_count(&api).await, 0, "no paid call");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_redirect_without_an_id_names_the_link_and_where_it_led() {
    let (_links, api, env) = short_links_and_api().await;
    let run = env
        .run_async(api_args(
            &api.uri(),
            &["get", "https://v.douyin.com/userpg/"],
        ))
        .await;
    run.assert_code(2);
    assert!(
        run.stderr.contains("https://v.douyin.com/userpg/")
            && run
                .stderr
                .contains("https://www.douyin.com/user/MS4wLjABAAAAxyz"),
        "{}",
        run.describe()
    );
    assert_eq!(request_count(&api).await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_slow_short_link_host_times_out() {
    let (_links, api, env) = short_links_and_api().await;
    let run = env
        .run_async(api_args(&api.uri(), &["get", "https://v.douyin.com/slow/"]))
        .await;
    run.assert_code(1);
    assert!(
        run.stderr.contains("no answer") && run.stderr.contains("https://v.douyin.com/slow/"),
        "{}",
        run.describe()
    );
    assert!(run.elapsed < SLOW, "the timeout applies: {:?}", run.elapsed);
    assert_eq!(request_count(&api).await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn resolution_can_be_turned_off() {
    let (links, api, env) = short_links_and_api().await;
    let run = env
        .run_async(api_args(&api.uri(), &["--no-resolve", "get", SHARE]))
        .await;
    run.assert_code(2);
    assert!(run.stderr.contains("--no-resolve"), "{}", run.describe());
    assert!(
        run.stderr.contains("https://v.douyin.com/iRNBho6u/"),
        "{}",
        run.describe()
    );

    env.write_file(&env.default_config_path(), "[links]\nresolve = false\n");
    let run = env.run_async(api_args(&api.uri(), &["get", SHARE])).await;
    run.assert_code(2);
    assert!(
        run.stderr.contains("[links] resolve = false"),
        "{}",
        run.describe()
    );
    assert!(!run.stderr.contains("unknown key"), "{}", run.describe());
    let run = env
        .run_async(api_args(&api.uri(), &["watch", "add", SHARE]))
        .await;
    run.assert_code(2);
    assert_eq!(
        std::fs::read_to_string(env.default_config_path()).unwrap(),
        "[links]\nresolve = false\n",
        "nothing added"
    );
    assert!(
        short_requests(&links).await.is_empty(),
        "no request when off"
    );
    assert_eq!(request_count(&api).await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn at_most_four_resolutions_at_once() {
    let host = CountingServer::start(Duration::from_millis(150)).await;
    let api = server_ok().await;
    let env = TestEnv::new().with_var("XINGTU_DASH_SHORTLINK_BASE", &host.url);
    let items: Vec<String> = (0..10)
        .map(|i| format!("https://v.douyin.com/code{i}/"))
        .collect();
    let mut args = vec!["get"];
    args.extend(items.iter().map(String::as_str));
    let run = env.run_async(api_args(&api.uri(), &args)).await;
    // The counting server answers 200 (no redirect): every link fails, but each was asked.
    run.assert_code(2);
    assert_eq!(host.total(), 10, "{}", run.describe());
    assert!(
        host.max_in_flight() <= 4,
        "{} at once",
        host.max_in_flight()
    );
    assert!(host.max_in_flight() >= 2, "resolutions run concurrently");
    assert_eq!(request_count(&api).await, 0);
}

// ---------------------------------------------------------------------------------------------
// get - and get --from
// ---------------------------------------------------------------------------------------------

fn item_lines() -> String {
    format!("# campaign list\n{ID2}\n\n{SHARE}\r\n   \nhttps://www.douyin.com/video/{ID3}\n{ID2}\n")
}

#[tokio::test(flavor = "multi_thread")]
async fn get_reads_items_from_stdin_in_order() {
    let (_links, api, env) = short_links_and_api().await;
    let run = run_with_stdin(
        &env,
        api_args(&api.uri(), &["get", "--json", "-"]),
        item_lines().as_bytes(),
    )
    .await;
    run.assert_code(0);
    assert_eq!(
        item_ids(&run),
        vec![ID2, EXAMPLE_ID, ID3, ID2],
        "{}",
        run.describe()
    );
    assert_eq!(
        request_count(&api).await,
        3,
        "the repeated id costs one call"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn get_reads_items_from_a_file() {
    let (_links, api, env) = short_links_and_api().await;
    let list = env.write_file(&env.root().join("list.txt"), &item_lines());
    let run = env
        .run_async(api_args(
            &api.uri(),
            &["get", "--json", "--from", list.to_str().unwrap()],
        ))
        .await;
    run.assert_code(0);
    assert_eq!(
        item_ids(&run),
        vec![ID2, EXAMPLE_ID, ID3, ID2],
        "{}",
        run.describe()
    );

    let bad = env.write_file(
        &env.root().join("bad.txt"),
        &format!("{ID2}\nhello\n{ID3}\n"),
    );
    let run = env
        .run_async(api_args(
            &api.uri(),
            &["get", "--from", bad.to_str().unwrap()],
        ))
        .await;
    run.assert_code(2);
    assert!(run.stderr.contains("bad.txt:2:"), "{}", run.describe());
    let run = env
        .run_async(api_args(
            &api.uri(),
            &["get", "--from", "/nonexistent/list.txt"],
        ))
        .await;
    run.assert_code(2);
    assert!(
        run.stderr.contains("/nonexistent/list.txt"),
        "{}",
        run.describe()
    );
    assert_eq!(request_count(&api).await, 3, "the bad lists cost nothing");
}

// ---------------------------------------------------------------------------------------------
// watch add with many items, watch import
// ---------------------------------------------------------------------------------------------

fn watch_entries(path: &Path) -> Vec<(String, Option<String>)> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let table: toml::Table = toml::from_str(&text).expect("config parses");
    table
        .get("watchlist")
        .and_then(toml::Value::as_array)
        .map(|entries| {
            entries
                .iter()
                .map(|e| {
                    (
                        e["item_id"].as_str().unwrap().to_owned(),
                        e.get("label").and_then(|l| l.as_str()).map(str::to_owned),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn watch_add_takes_many_items_with_one_label() {
    let (_links, api, env) = short_links_and_api().await;
    let config = env.write_file(
        &env.default_config_path(),
        &format!("# mine\n[[watchlist]]\nitem_id = \"{ID3}\"\n"),
    );
    let run = env
        .run_async(api_args(
            &api.uri(),
            &[
                "watch", "add", EXAMPLE_ID, SHARE, ID2, ID3, "--label", "双11",
            ],
        ))
        .await;
    run.assert_code(0);
    assert!(run.stdout.contains("2 videos added"), "{}", run.describe());
    assert!(
        run.stdout.contains(&format!("{ID3} is already")),
        "{}",
        run.describe()
    );
    assert_eq!(
        watch_entries(&config),
        vec![
            (ID3.to_owned(), None),
            (EXAMPLE_ID.to_owned(), Some("双11".to_owned())),
            (ID2.to_owned(), Some("双11".to_owned())),
        ]
    );
    assert!(
        std::fs::read_to_string(&config)
            .unwrap()
            .starts_with("# mine\n")
    );

    let before = std::fs::read(&config).unwrap();
    let run = env
        .run_async(api_args(&api.uri(), &["watch", "add", ID2, "hello"]))
        .await;
    run.assert_code(2);
    assert!(run.stderr.contains("item 2 of 2"), "{}", run.describe());
    assert_eq!(std::fs::read(&config).unwrap(), before, "nothing written");
    assert_eq!(request_count(&api).await, 0, "adding makes no paid call");
}

async fn import(env: &TestEnv, api: &MockServer, file: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["watch", "import", file.to_str().unwrap()];
    args.extend_from_slice(extra);
    env.run_async(api_args(&api.uri(), &args)).await
}

#[tokio::test(flavor = "multi_thread")]
async fn import_plain_lines() {
    let (links, api, env) = short_links_and_api().await;
    let file = env.write_file(&env.root().join("links.txt"), &item_lines());
    let run = import(&env, &api, &file, &[]).await;
    run.assert_code(0);
    assert!(
        run.stdout.contains("3 added") && run.stdout.contains("0 already watched"),
        "{}",
        run.describe()
    );
    let ids: Vec<String> = watch_entries(&env.default_config_path())
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(ids, vec![ID2, EXAMPLE_ID, ID3]);

    // Again: everything is already watched, and the file is not rewritten.
    let before = std::fs::read(env.default_config_path()).unwrap();
    let run = import(&env, &api, &file, &[]).await;
    run.assert_code(0);
    assert!(
        run.stdout.contains("3 already watched"),
        "{}",
        run.describe()
    );
    assert_eq!(std::fs::read(env.default_config_path()).unwrap(), before);
    assert_eq!(request_count(&api).await, 0, "importing makes no paid call");
    assert_eq!(short_requests(&links).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn import_an_excel_csv_with_bom_and_header() {
    let (_links, api, env) = short_links_and_api().await;
    let csv = format!(
        "\u{feff}序号,视频链接,备注\r\n1,https://www.douyin.com/video/{EXAMPLE_ID},理想L6 首发\r\n2,\"{SHARE}\",\"秋冬, 必备\"\r\n3,{ID3},\r\n"
    );
    let file = env.write_file(&env.root().join("campaign.csv"), &csv);
    let run = import(&env, &api, &file, &["--label-column", "备注"]).await;
    run.assert_code(0);
    assert!(run.stdout.contains("视频链接"), "{}", run.describe());
    // The share text's short link leads to the first row's video: one entry, two rows.
    assert_eq!(
        watch_entries(&env.default_config_path()),
        vec![
            (EXAMPLE_ID.to_owned(), Some("理想L6 首发".to_owned())),
            (ID3.to_owned(), None),
        ]
    );
    assert!(run.stdout.contains("1 repeated row"), "{}", run.describe());
}

#[tokio::test(flavor = "multi_thread")]
async fn import_a_tsv_and_excel_unicode_text() {
    let (_links, api, env) = short_links_and_api().await;
    let tsv = format!("label\tid\nfirst\t{EXAMPLE_ID}\nsecond\t{ID2}\n");
    let file = env.write_file(&env.root().join("list.tsv"), &tsv);
    let run = import(
        &env,
        &api,
        &file,
        &["--column", "id", "--label-column", "label"],
    )
    .await;
    run.assert_code(0);
    assert_eq!(
        watch_entries(&env.default_config_path()),
        vec![
            (EXAMPLE_ID.to_owned(), Some("first".to_owned())),
            (ID2.to_owned(), Some("second".to_owned())),
        ]
    );

    // Excel's "Unicode text": UTF-16LE with a byte order mark, tab-separated, saved as .txt.
    let text = "标签\t链接\r\n第三\thttps://v.douyin.com/third/\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let file = env.root().join("unicode.txt");
    std::fs::write(&file, bytes).unwrap();
    let run = import(&env, &api, &file, &["--label-column", "标签"]).await;
    run.assert_code(0);
    assert_eq!(
        watch_entries(&env.default_config_path()).last(),
        Some(&(ID3.to_owned(), Some("第三".to_owned()))),
        "{}",
        run.describe()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn import_with_invalid_rows_adds_the_valid_ones_and_exits_1() {
    let (_links, api, env) = short_links_and_api().await;
    let csv = format!(
        "link,note\n{EXAMPLE_ID},a\nhello,b\nhttps://v.douyin.com/gone404/,c\n{ID2},d\n,e\n"
    );
    let file = env.write_file(&env.root().join("mixed.csv"), &csv);
    let run = import(&env, &api, &file, &[]).await;
    run.assert_code(1);
    for line in ["mixed.csv:3:", "mixed.csv:4:", "mixed.csv:6:"] {
        assert!(run.stderr.contains(line), "{line}\n{}", run.describe());
    }
    assert!(run.stdout.contains("2 added"), "{}", run.describe());
    assert!(
        run.stdout.contains("3 invalid rows (lines 3, 4, 6)"),
        "{}",
        run.describe()
    );
    let ids: Vec<String> = watch_entries(&env.default_config_path())
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(ids, vec![EXAMPLE_ID, ID2]);
}

#[tokio::test(flavor = "multi_thread")]
async fn import_with_every_row_invalid_writes_nothing_and_exits_2() {
    let (_links, api, env) = short_links_and_api().await;
    let file = env.write_file(
        &env.root().join("junk.txt"),
        "hello\n12345\nhttps://v.douyin.com/userpg/\n",
    );
    let run = import(&env, &api, &file, &[]).await;
    run.assert_code(2);
    assert!(run.stderr.contains("junk.txt:3:"), "{}", run.describe());
    assert!(!env.default_config_path().exists(), "nothing written");

    let workbook = env.root().join("campaign.xlsx");
    std::fs::write(
        &workbook,
        b"PK\x03\x04\x14\x00\x06\x00not really a workbook",
    )
    .unwrap();
    let run = import(&env, &api, &workbook, &[]).await;
    run.assert_code(2);
    assert!(run.stderr.contains("Excel workbook"), "{}", run.describe());
    assert!(!env.default_config_path().exists(), "nothing written");

    let config = env.write_file(&env.default_config_path(), "# keep me\n");
    let run = run_with_stdin(
        &env,
        api_args(&api.uri(), &["watch", "import", "-"]),
        b"nope\n",
    )
    .await;
    run.assert_code(2);
    assert_eq!(std::fs::read_to_string(config).unwrap(), "# keep me\n");
    assert_eq!(request_count(&api).await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn every_command_taking_an_item_takes_a_short_link() {
    let (links, api, env) = short_links_and_api().await;
    let run = env
        .run_async(api_args(&api.uri(), &["watch", "add", SHARE]))
        .await;
    run.assert_code(0);
    let run = env
        .run_async(api_args(&api.uri(), &["watch", "label", SHARE, "理想"]))
        .await;
    run.assert_code(0);
    assert_eq!(
        watch_entries(&env.default_config_path()),
        vec![(EXAMPLE_ID.to_owned(), Some("理想".to_owned()))]
    );
    let run = env
        .run_async(api_args(&api.uri(), &["history", "v.douyin.com/iRNBho6u"]))
        .await;
    run.assert_code(0);
    assert!(run.stdout.contains(EXAMPLE_ID), "{}", run.describe());
    let run = env
        .run_async(api_args(&api.uri(), &["watch", "remove", SHARE]))
        .await;
    run.assert_code(0);
    assert!(watch_entries(&env.default_config_path()).is_empty());
    assert_eq!(
        short_requests(&links).await.len(),
        1,
        "resolved once, stored"
    );
    assert_eq!(request_count(&api).await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_short_link_base_is_a_configuration_error() {
    let api = server_ok().await;
    let env = TestEnv::new().with_var("XINGTU_DASH_SHORTLINK_BASE", "v.douyin.com");
    let run = env
        .run_async(api_args(&api.uri(), &["get", EXAMPLE_ID]))
        .await;
    run.assert_code(2);
    assert!(
        run.stderr.contains("XINGTU_DASH_SHORTLINK_BASE"),
        "{}",
        run.describe()
    );
    assert_eq!(request_count(&api).await, 0);
}
