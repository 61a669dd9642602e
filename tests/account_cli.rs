//! The account: `balance`, spend measured around a batch, the price per call kept in the
//! store, `--max-cost`, and `[watch] stop_after_days`, against a fake API on loopback.

mod common;

use common::*;
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const BALANCE: &str = "/user/get-balance";

fn balance_mock() -> wiremock::MockBuilder {
    Mock::given(method("GET")).and(path(BALANCE))
}

fn balance_body(balance: Value) -> Value {
    json!({"code": 0, "message": null, "data": {"balance": balance, "currency": "CNY"}})
}

/// Answers the balance reads with `amounts`, in order (the last one from then on).
async fn balances(server: &MockServer, amounts: &[&str]) {
    for (i, amount) in amounts.iter().enumerate() {
        let mock = balance_mock()
            .respond_with(json_response(200, &balance_body(json!(amount))))
            .with_priority(u8::try_from(i + 1).unwrap());
        let mock = if i + 1 < amounts.len() {
            mock.up_to_n_times(1)
        } else {
            mock
        };
        mock.mount(server).await;
    }
}

async fn balance_reads(server: &MockServer) -> usize {
    requests(server)
        .await
        .iter()
        .filter(|r| r.url.path() == BALANCE)
        .count()
}

async fn item_calls(server: &MockServer) -> usize {
    requests(server)
        .await
        .iter()
        .filter(|r| r.url.path() == ENDPOINT)
        .count()
}

fn env_watching(ids: &[String], extra: &str) -> TestEnv {
    let env = TestEnv::new();
    let mut text = extra.to_owned();
    for id in ids {
        text.push_str(&format!(
            "\n[[watchlist]]\nitem_id = \"{id}\"\nadded_at = 2026-11-20T08:15:02Z\n"
        ));
    }
    env.write_file(&env.default_config_path(), &text);
    env
}

async fn run(env: &TestEnv, server: &MockServer, args: &[&str]) -> Run {
    env.run_async(api_args(&server.uri(), args)).await
}

// ---------------------------------------------------------------------------------------------
// balance
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn balance_prints_the_amount_and_json_from_a_string_or_a_number() {
    let server = MockServer::start().await;
    balance_mock()
        .and(query_param("token", TOKEN))
        .respond_with(json_response(200, &balance_body(json!("123.4500"))))
        .mount(&server)
        .await;
    let env = TestEnv::new();
    let human = run(&env, &server, &["balance"]).await;
    human.assert_code(0);
    assert_eq!(human.stdout.trim(), "¥123.45", "{}", human.describe());
    let out = run(&env, &server, &["balance", "--json"]).await;
    out.assert_code(0);
    let value: Value = serde_json::from_str(out.stdout.trim()).unwrap();
    assert_eq!(value, json!({"balance": 123.45, "currency": "CNY"}));
    assert_eq!(item_calls(&server).await, 0, "no paid lookup");

    // Under a base URL with a path prefix (a reverse proxy's mount point).
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/proxy{BALANCE}")))
        .respond_with(json_response(200, &balance_body(json!("7"))))
        .mount(&server)
        .await;
    let out = env
        .run_async(api_args(&format!("{}/proxy/", server.uri()), &["balance"]))
        .await;
    out.assert_code(0);
    assert_eq!(out.stdout.trim(), "¥7.00", "{}", out.describe());

    // A number and no currency at all.
    let server = MockServer::start().await;
    balance_mock()
        .respond_with(json_response(
            200,
            &json!({"code": "0", "data": {"balance": 8.5}}),
        ))
        .mount(&server)
        .await;
    let out = run(&env, &server, &["balance", "--json"]).await;
    out.assert_code(0);
    let value: Value = serde_json::from_str(out.stdout.trim()).unwrap();
    assert_eq!(value, json!({"balance": 8.5, "currency": null}));
}

#[tokio::test(flavor = "multi_thread")]
async fn balance_errors_follow_the_code_table() {
    for (code, kind, words) in [
        (100, "invalid_token", "check your API token"),
        (303, "quota_exceeded", "daily quota"),
        (600, "permission_denied", "no access"),
        (601, "insufficient_balance", "top up"),
        (602, "token_limit_exceeded", "spending limit"),
    ] {
        let server = MockServer::start().await;
        balance_mock()
            .respond_with(json_response(200, &envelope_for_code(code, "nope")))
            .mount(&server)
            .await;
        let env = TestEnv::new();
        let out = run(&env, &server, &["balance"]).await;
        out.assert_code(1);
        assert!(
            out.stderr.contains(&format!("code {code}")),
            "{}",
            out.describe()
        );
        assert!(out.stderr.contains(words), "{}", out.describe());
        assert!(out.stdout.is_empty(), "{}", out.describe());
        let out = run(&env, &server, &["balance", "--json"]).await;
        out.assert_code(1);
        let value: Value = serde_json::from_str(out.stdout.trim()).unwrap();
        assert_eq!(value["error"]["code"], code);
        assert_eq!(value["error"]["kind"], kind);
        assert_eq!(balance_reads(&server).await, 2, "never retried");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn balance_reports_a_proxy_page_a_cut_body_and_a_missing_token() {
    let server = MockServer::start().await;
    balance_mock()
        .respond_with(
            ResponseTemplate::new(502)
                .set_body_raw("<html><body>502 Bad Gateway</body></html>", "text/html"),
        )
        .mount(&server)
        .await;
    let env = TestEnv::new();
    let out = run(&env, &server, &["balance"]).await;
    out.assert_code(1);
    assert!(
        out.stderr.contains("HTML") && out.stderr.contains("502"),
        "{}",
        out.describe()
    );

    let server = MockServer::start().await;
    balance_mock()
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(r#"{"code":0,"data":{"balance":"12"#, "application/json"),
        )
        .mount(&server)
        .await;
    let out = run(&env, &server, &["balance"]).await;
    out.assert_code(1);
    assert!(out.stderr.contains("cut off"), "{}", out.describe());

    let server = MockServer::start().await;
    balance_mock()
        .respond_with(json_response(
            200,
            &json!({"code": 0, "data": {"balance": "lots"}}),
        ))
        .mount(&server)
        .await;
    let out = run(&env, &server, &["balance"]).await;
    out.assert_code(1);
    assert!(out.stderr.contains("not an amount"), "{}", out.describe());

    let demo = env.run_async(["--demo", "balance"]).await;
    demo.assert_code(2);
    assert!(demo.stderr.contains("no account"), "{}", demo.describe());

    let out = env
        .run_async(["--base-url", &server.uri(), "balance"])
        .await;
    out.assert_code(2);
    assert!(out.stderr.contains("no API token"), "{}", out.describe());
    assert_eq!(balance_reads(&server).await, 1, "no call without a token");
}

// ---------------------------------------------------------------------------------------------
// spend
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn a_refresh_measures_its_cost_and_the_price_per_call_is_kept() {
    let server = server_ok().await;
    balances(&server, &["10.0000", "9.8000"]).await;
    let ids = distinct_ids(4);
    let env = env_watching(&ids, "");
    let out = run(&env, &server, &["watch", "refresh"]).await;
    out.assert_code(0);
    assert!(
        out.stderr
            .contains("about to call: 4 calls (price per call not known yet)"),
        "{}",
        out.describe()
    );
    assert!(
        out.stderr.contains("cost ¥0.20 for 4 calls"),
        "{}",
        out.describe()
    );
    assert!(out.stderr.contains("¥0.05 per call"), "{}", out.describe());
    assert_eq!(balance_reads(&server).await, 2, "before and after");
    assert_eq!(item_calls(&server).await, 4);

    // The price is kept: the next batch is estimated, and --max-cost holds it to a budget.
    let refused = run(
        &env,
        &server,
        &["watch", "refresh", "--force", "--max-cost", "0.19"],
    )
    .await;
    refused.assert_code(2);
    assert!(
        refused.stderr.contains("--max-cost ¥0.19")
            && refused.stderr.contains("estimated ¥0.20")
            && refused.stderr.contains("nothing was called"),
        "{}",
        refused.describe()
    );
    assert_eq!(item_calls(&server).await, 4, "nothing paid");
    assert_eq!(balance_reads(&server).await, 2, "not even the balance read");

    let out = run(
        &env,
        &server,
        &["get", "--force", "--max-cost", "0.2", &ids[0], &ids[1]],
    )
    .await;
    out.assert_code(0);
    assert!(!out.stderr.contains("about to call"), "{}", out.describe());
    assert!(
        out.stderr.contains("cost ¥0.00 for 2 calls"),
        "the balance stayed at ¥9.80\n{}",
        out.describe()
    );
    assert_eq!(item_calls(&server).await, 6);
    let out = run(&env, &server, &["watch", "refresh", "--force"]).await;
    assert!(
        out.stderr
            .contains("about to call: 4 calls, about ¥0.20 at ¥0.05 per call"),
        "{}",
        out.describe()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn max_cost_refuses_while_no_price_is_known_and_passes_when_nothing_is_needed() {
    let server = server_ok().await;
    balances(&server, &["10"]).await;
    let ids = distinct_ids(3);
    let env = env_watching(&ids, "");
    let out = run(&env, &server, &["watch", "refresh", "--max-cost", "100"]).await;
    out.assert_code(2);
    assert!(out.stderr.contains("not known yet"), "{}", out.describe());
    assert_eq!(requests(&server).await.len(), 0, "{}", out.describe());
    let bad = run(&env, &server, &["watch", "refresh", "--max-cost", "-1"]).await;
    bad.assert_code(2);
    assert!(bad.stderr.contains("not an amount"), "{}", bad.describe());

    // Everything cached: no call is needed, so any budget passes.
    run(&env, &server, &["watch", "refresh"])
        .await
        .assert_code(0);
    let calls = item_calls(&server).await;
    let out = run(&env, &server, &["watch", "refresh", "--max-cost", "0"]).await;
    out.assert_code(0);
    assert_eq!(item_calls(&server).await, calls);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_top_up_or_a_failed_balance_read_leaves_the_cost_unknown_and_learns_nothing() {
    let server = server_ok().await;
    balances(&server, &["1.00", "101.00"]).await;
    let ids = distinct_ids(2);
    let env = env_watching(&ids, "");
    let out = run(&env, &server, &["watch", "refresh"]).await;
    out.assert_code(0);
    assert!(
        out.stderr.contains("cost unknown") && out.stderr.contains("top-up"),
        "{}",
        out.describe()
    );
    let refused = run(
        &env,
        &server,
        &["watch", "refresh", "--force", "--max-cost", "5"],
    )
    .await;
    refused.assert_code(2);
    assert!(
        refused.stderr.contains("not known yet"),
        "{}",
        refused.describe()
    );

    // The balance endpoint fails: the batch still runs, read once, and says so.
    let server = server_ok().await;
    balance_mock()
        .respond_with(json_response(500, &envelope_for_code(500, "boom")))
        .mount(&server)
        .await;
    let env = env_watching(&ids, "");
    let out = run(&env, &server, &["watch", "refresh"]).await;
    out.assert_code(0);
    assert!(
        out.stderr
            .contains("cost unknown: the balance could not be read (code 500"),
        "{}",
        out.describe()
    );
    assert_eq!(item_calls(&server).await, 2);
    assert_eq!(
        balance_reads(&server).await,
        1,
        "no second read once the first failed"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn quiet_says_nothing_of_spend_and_show_balance_false_reads_no_balance() {
    let server = server_ok().await;
    balances(&server, &["10.0000", "9.9000"]).await;
    let ids = distinct_ids(2);
    let env = env_watching(&ids, "");
    let out = run(&env, &server, &["watch", "refresh", "--quiet"]).await;
    out.assert_code(0);
    assert_eq!((out.stdout.as_str(), out.stderr.as_str()), ("", ""));
    assert_eq!(balance_reads(&server).await, 2, "measured all the same");

    let env = env_watching(&ids, "[api]\nshow_balance = false\n");
    let server = server_ok().await;
    let out = run(&env, &server, &["watch", "refresh"]).await;
    out.assert_code(0);
    assert_eq!(balance_reads(&server).await, 0, "{}", out.describe());
    assert!(
        !out.stderr.contains("warning: unknown key"),
        "{}",
        out.describe()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_balance_that_cannot_cover_the_estimate_is_warned_about_even_in_quiet_mode() {
    let server = server_ok().await;
    balances(&server, &["1.00", "0.50", "0.60", "0.40"]).await;
    let ids = distinct_ids(2);
    let env = env_watching(&ids, "");
    run(&env, &server, &["watch", "refresh"])
        .await
        .assert_code(0);
    // ¥0.25 per call learned; the balance is ¥0.60 and 4 calls would cost ¥1.00.
    let more = distinct_ids(4);
    let out = run(
        &env,
        &server,
        &[
            "get", "--force", "--json", &more[0], &more[1], &more[2], &more[3],
        ],
    )
    .await;
    out.assert_code(0);
    assert!(
        out.stderr
            .contains("warning: the balance, ¥0.60, may not cover 4 calls (about ¥1.00)"),
        "{}",
        out.describe()
    );
    assert_eq!(out.json_lines().len(), 4, "stdout holds only the results");
}

// ---------------------------------------------------------------------------------------------
// stop_after_days
// ---------------------------------------------------------------------------------------------

/// The example report, published `days` days ago for ids ending in 1, years ago otherwise.
fn published_by_id(request: &Request) -> ResponseTemplate {
    let id = query_value(request, "itemId").unwrap_or_default();
    let mut envelope = example_envelope();
    if id.ends_with('1') {
        let recent = chrono::Utc::now().timestamp() - 86_400;
        envelope["data"]["video_info"]["create_time"] = json!(recent.to_string());
    }
    json_response(200, &envelope)
}

#[tokio::test(flavor = "multi_thread")]
async fn settled_videos_are_skipped_by_refresh_unless_forced_and_marked_in_the_list() {
    let server = server_answering(published_by_id).await;
    let ids = distinct_ids(2);
    let (old, recent) = (&ids[0], &ids[1]);
    assert!(recent.ends_with('1') && !old.ends_with('1'));
    let env = env_watching(&ids, "[api]\nshow_balance = false\n");
    run(&env, &server, &["watch", "refresh"])
        .await
        .assert_code(0);
    assert_eq!(item_calls(&server).await, 2);

    let config = "[api]\nshow_balance = false\n[watch]\ncache_minutes = 0\nstop_after_days = 45\n";
    let env2 = env;
    env2.write_file(
        &env2.default_config_path(),
        &format!(
            "{config}\n[[watchlist]]\nitem_id = \"{old}\"\n\n[[watchlist]]\nitem_id = \"{recent}\"\n"
        ),
    );
    let out = run(&env2, &server, &["watch", "refresh"]).await;
    out.assert_code(0);
    assert!(
        out.stderr.contains("skipped 1 settled item"),
        "{}",
        out.describe()
    );
    assert_eq!(
        request_count_for(&server, old).await,
        1,
        "the settled one is not called"
    );
    assert_eq!(request_count_for(&server, recent).await, 2);

    let out = run(&env2, &server, &["watch", "refresh", "--force"]).await;
    out.assert_code(0);
    assert!(!out.stderr.contains("skipped"), "{}", out.describe());
    assert_eq!(request_count_for(&server, old).await, 2);

    let list = run(&env2, &server, &["watch", "list"]).await;
    list.assert_code(0);
    let line_of = |id: &str| {
        list.stdout
            .lines()
            .find(|l| l.starts_with(id))
            .unwrap_or_default()
            .to_owned()
    };
    assert!(line_of(old).contains("settled"), "{}", list.describe());
    assert!(!line_of(recent).contains("settled"), "{}", list.describe());
    let json = run(&env2, &server, &["watch", "list", "--json"]).await;
    let rows = json.json_lines();
    assert_eq!(rows[0]["settled"], true);
    assert_eq!(rows[1]["settled"], false);

    // Off by default: nothing is settled, nothing skipped.
    env2.write_file(
        &env2.default_config_path(),
        &format!("[watch]\ncache_minutes = 0\n\n[[watchlist]]\nitem_id = \"{old}\"\n"),
    );
    let list = run(&env2, &server, &["watch", "list", "--json"]).await;
    assert_eq!(
        list.json_lines()[0]["settled"],
        false,
        "{}",
        list.describe()
    );
    let out = run(&env2, &server, &["watch", "refresh", "--quiet"]).await;
    out.assert_code(0);
    assert_eq!(request_count_for(&server, old).await, 3);
}
