//! `xingtu-dash trend`: Xingtu's daily series against a mock of the trend endpoint: lenient
//! parsing, one JSON line per day and metric, stored so a second request costs nothing, and
//! `get`'s codes, halts and exit statuses.

mod common;

use common::*;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer};

const TREND: &str = "/api/douyin-xingtu/gw/api/data_sp/item_report_trend/v1";

fn trend_ok(date_values: Value) -> Value {
    json!({"code": 0, "message": null, "data": {"base_resp": {"status_code": 0}, "date_values": date_values}})
}

async fn server(body: Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(TREND))
        .respond_with(json_response(200, &body))
        .mount(&server)
        .await;
    server
}

async fn trend(env: &TestEnv, server: &MockServer, args: &[&str]) -> Run {
    let uri = server.uri();
    let mut all = vec!["--base-url", &uri, "--token", TOKEN, "trend"];
    all.extend_from_slice(args);
    env.run_async(all).await
}

#[tokio::test(flavor = "multi_thread")]
async fn strings_numbers_an_unknown_list_and_an_empty_one() {
    let server = server(trend_ok(json!({
        "vv_list": [
            {"visit_date": 20251020, "value": "1234"},
            {"visit_date": 20251021, "value": 99},
            "junk",
            {"visit_date": "bad", "value": 1},
        ],
        "fans_gain_list": [{"visit_date": 20251021, "value": "7"}],
        "like_list": [],
        "oddity": {"not": "a list"},
    })))
    .await;
    let env = TestEnv::new();
    let run = trend(&env, &server, &[EXAMPLE_ID, "--json"]).await;
    run.assert_code(0);
    assert_eq!(
        run.json_lines(),
        vec![
            json!({"item_id": EXAMPLE_ID, "date": "2025-10-20", "metric": "vv", "value": 1234}),
            json!({"item_id": EXAMPLE_ID, "date": "2025-10-21", "metric": "fans_gain", "value": 7}),
            json!({"item_id": EXAMPLE_ID, "date": "2025-10-21", "metric": "vv", "value": 99}),
        ],
        "{}",
        run.describe()
    );
    let sent = &requests(&server).await[0];
    assert_eq!(query_value(sent, "itemId").as_deref(), Some(EXAMPLE_ID));
    assert_eq!(query_value(sent, "token").as_deref(), Some(TOKEN));
}

#[tokio::test(flavor = "multi_thread")]
async fn stored_and_not_paid_twice_until_refresh() {
    let server = server(trend_ok(json!({
        "vv_list": [{"visit_date": 20251028, "value": "31250210"}, {"visit_date": 20251029, "value": "9120554"}],
    })))
    .await;
    let env = TestEnv::new();
    let first = trend(&env, &server, &[EXAMPLE_ID]).await;
    first.assert_code(0);
    assert!(first.stdout.contains("2025-10-28"), "{}", first.describe());
    assert!(first.stdout.contains("(1 call)"), "{}", first.describe());
    assert_eq!(request_count(&server).await, 1);

    // From the store, in every format, without a call; the link form is the same video.
    let link = format!("https://www.douyin.com/video/{EXAMPLE_ID}");
    let again = trend(&env, &server, &[&link, "--json"]).await;
    again.assert_code(0);
    assert_eq!(again.json_lines().len(), 2, "{}", again.describe());
    let human = trend(&env, &server, &[EXAMPLE_ID]).await;
    assert!(
        human.stdout.contains("no call made"),
        "{}",
        human.describe()
    );
    let csv = trend(&env, &server, &[EXAMPLE_ID, "--csv"]).await;
    csv.assert_code(0);
    assert_eq!(
        csv.stdout.lines().collect::<Vec<_>>(),
        vec![
            "item_id,date,metric,value",
            "\"=\"\"7566200471448779514\"\"\",2025-10-28,vv,31250210",
            "\"=\"\"7566200471448779514\"\"\",2025-10-29,vv,9120554",
        ]
    );
    assert_eq!(request_count(&server).await, 1, "stored days cost nothing");

    trend(&env, &server, &[EXAMPLE_ID, "--refresh"])
        .await
        .assert_code(0);
    assert_eq!(request_count(&server).await, 2, "--refresh pays again");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_empty_trend_is_stored_too() {
    let server = server(trend_ok(json!({"vv_list": []}))).await;
    let env = TestEnv::new();
    let run = trend(&env, &server, &[EXAMPLE_ID]).await;
    run.assert_code(0);
    assert!(
        run.stdout.contains("no daily figures"),
        "{}",
        run.describe()
    );
    let json = trend(&env, &server, &[EXAMPLE_ID, "--json"]).await;
    json.assert_code(0);
    assert_eq!(json.stdout, "");
    assert_eq!(request_count(&server).await, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn codes_halts_and_exit_statuses_follow_get() {
    for (code, calls) in [(601, 1), (100, 1), (400, 1), (301, 3)] {
        let server = server(envelope_for_code(code, "boom")).await;
        let env = TestEnv::new();
        let run = trend(&env, &server, &[EXAMPLE_ID, "--json"]).await;
        run.assert_code(1);
        let line = run.single_json();
        assert_eq!(line["ok"], json!(false), "{}", run.describe());
        assert_eq!(line["error"]["code"], json!(code), "{}", run.describe());
        assert!(
            run.stderr.contains(&format!("code {code}")),
            "{}",
            run.describe()
        );
        assert_eq!(request_count(&server).await, calls, "code {code}");
        // Nothing stored: the next request calls again.
        trend(&env, &server, &[EXAMPLE_ID]).await.assert_code(1);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_and_a_missing_token_call_nothing() {
    let server = server(trend_ok(json!({}))).await;
    let env = TestEnv::new();
    trend(&env, &server, &["not-an-id"]).await.assert_code(2);
    let run = env
        .run_async(["--base-url", &server.uri(), "trend", EXAMPLE_ID])
        .await;
    run.assert_code(2);
    assert_eq!(request_count(&server).await, 0);
}
