//! Alerts from the command line: `[[alert]]` rules evaluated after every stored fetch, once
//! per crossing (state in the store, across runs), printed even by `watch refresh --quiet`
//! (exit status 3), and `[alerts] command` given each alert as JSON, within its timeout.

mod common;

use common::*;
use serde_json::{Value, json};
use wiremock::MockServer;

/// The example report with `views` views.
fn with_views(views: u64) -> Value {
    let mut env = example_envelope();
    env["data"]["video_info"]["vv_cnt"] = json!(views.to_string());
    env
}

async fn server_with_views(views: u64) -> MockServer {
    server_answering(json_response(200, &with_views(views))).await
}

fn config(env: &TestEnv, rest: &str) {
    let text = format!(
        "[[watchlist]]\nitem_id = \"{EXAMPLE_ID}\"\nlabel = \"理想 L6 🚗\"\ncampaign = \"autumn\"\nprice = 20000\n\n{rest}"
    );
    env.write_file(&env.default_config_path(), &text);
}

const RULE: &str = "[[alert]]\nname = \"viral\"\nmetric = \"views\"\nabove = 50000000\n";

async fn refresh(env: &TestEnv, server: &MockServer, extra: &[&str]) -> Run {
    let uri = server.uri();
    let mut args = vec![
        "--base-url",
        &uri,
        "--token",
        TOKEN,
        "watch",
        "refresh",
        "--force",
    ];
    args.extend_from_slice(extra);
    env.run_async(args).await
}

#[tokio::test(flavor = "multi_thread")]
async fn fires_once_per_crossing_with_exit_status_3_even_when_quiet() {
    let env = TestEnv::new();
    config(&env, RULE);
    let below = server_with_views(45_275_627).await;
    let above = server_with_views(60_000_000).await;

    refresh(&env, &below, &["--quiet"]).await.assert_code(0);

    let run = refresh(&env, &above, &["--quiet"]).await;
    run.assert_code(3);
    assert_eq!(run.stdout, "", "{}", run.describe());
    assert_eq!(
        run.stderr,
        "alert: viral: 7566200471448779514 “理想 L6 🚗” views 60.0M above 50.0M\n",
        "{}",
        run.describe()
    );

    // Still above: no second alert.
    refresh(&env, &above, &["--quiet"]).await.assert_code(0);
    // Back below re-arms it; across again fires again.
    refresh(&env, &below, &["--quiet"]).await.assert_code(0);
    let again = refresh(&env, &above, &["--json"]).await;
    again.assert_code(3);
    assert_eq!(again.json_lines().len(), 1, "stdout keeps only the reports");
    assert!(
        again.stderr.contains("alert: viral:"),
        "{}",
        again.describe()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn get_evaluates_the_rules_too_and_keeps_its_exit_status() {
    let env = TestEnv::new();
    config(
        &env,
        "[[alert]]\nname = \"cheap\"\nmetric = \"cpm\"\nbelow = 1\ncampaign = \"autumn\"\n\n[[alert]]\nname = \"other item\"\nmetric = \"views\"\nabove = 1\nitem = \"7562222333344445555\"\n",
    );
    let server = server_with_views(45_275_627).await;
    let run = env.get(&server.uri(), &[EXAMPLE_ID]).await;
    run.assert_code(0);
    // 20000 / 45,275,627 views × 1000 = ¥0.44 per thousand views.
    assert!(run.stderr.contains("alert: cheap:"), "{}", run.describe());
    assert!(
        run.stderr.contains("cpm ¥0.44 below ¥1.00"),
        "{}",
        run.describe()
    );
    assert!(!run.stderr.contains("other item"), "{}", run.describe());
}

#[tokio::test(flavor = "multi_thread")]
async fn the_command_gets_the_alert_as_json_and_never_the_token() {
    let env = TestEnv::new().with_var("JUSTONEAPI_TOKEN", TOKEN);
    let got = env.root().join("alert.json");
    let seen_env = env.root().join("env.txt");
    config(
        &env,
        &format!(
            "{RULE}\n[alerts]\ncommand = \"env > '{}'; cat > '{}'\"\n",
            seen_env.display(),
            got.display()
        ),
    );
    let server = server_with_views(60_000_000).await;
    let uri = server.uri();
    let run = env
        .run_async(["--base-url", &uri, "watch", "refresh", "--quiet"])
        .await;
    run.assert_code(3);
    let alert: Value = serde_json::from_str(&std::fs::read_to_string(&got).unwrap()).unwrap();
    let at = alert["at"].as_str().unwrap().to_owned();
    assert!(at.ends_with('Z'), "{at}");
    assert_eq!(
        alert,
        json!({
            "name": "viral", "item_id": EXAMPLE_ID, "label": "理想 L6 🚗", "campaign": "autumn",
            "metric": "views", "value": 60000000, "threshold": 50000000, "direction": "above",
            "at": at,
        })
    );
    let environment = std::fs::read_to_string(&seen_env).unwrap();
    assert!(
        !environment.contains(TOKEN),
        "the token reached the command"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hung_or_failing_command_is_killed_and_told_and_the_alert_still_counts() {
    let env = TestEnv::new().with_var("XINGTU_DASH_ALERT_TIMEOUT_MS", "300");
    config(&env, &format!("{RULE}\n[alerts]\ncommand = \"sleep 30\"\n"));
    let server = server_with_views(60_000_000).await;
    let run = refresh(&env, &server, &["--quiet"]).await;
    run.assert_code(3);
    assert!(
        run.elapsed < std::time::Duration::from_secs(10),
        "{}",
        run.describe()
    );
    assert!(
        run.stderr.contains("the alert command failed for “viral”")
            && run.stderr.contains("killed"),
        "{}",
        run.describe()
    );

    let env = TestEnv::new();
    config(
        &env,
        &format!("{RULE}\n[alerts]\ncommand = \"echo 'webhook: 403' >&2; exit 22\"\n"),
    );
    let run = refresh(&env, &server, &[]).await;
    run.assert_code(3);
    assert!(
        run.stderr.contains("exited with status 22: webhook: 403"),
        "{}",
        run.describe()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_metric_is_a_config_error_that_lists_the_known_ones() {
    let env = TestEnv::new();
    config(
        &env,
        "[[alert]]\nname = \"x\"\nmetric = \"viewz\"\nabove = 1\n",
    );
    let server = server_with_views(1).await;
    let run = refresh(&env, &server, &[]).await;
    run.assert_code(2);
    assert!(
        run.stderr.contains("config.toml:9:10"),
        "{}",
        run.describe()
    );
    assert!(
        run.stderr.contains("\"viewz\"")
            && run
                .stderr
                .contains("views, likes, comments, shares, saves, like_rate")
            && run.stderr.contains("views_per_hour, cpm, cpe"),
        "{}",
        run.describe()
    );
    assert_eq!(request_count(&server).await, 0);

    for (rule, says) in [
        ("metric = \"views\"\n", "needs `above = N` or `below = N`"),
        (
            "metric = \"views\"\nabove = 1\nbelow = 2\n",
            "both `above` and `below`",
        ),
        ("metric = \"likes\"\nabove = \"lots\"\n", "neither"),
    ] {
        config(&env, &format!("[[alert]]\n{rule}"));
        let run = refresh(&env, &server, &[]).await;
        run.assert_code(2);
        assert!(run.stderr.contains(says), "{rule}\n{}", run.describe());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_lookup_makes_it_1_but_the_alert_is_still_printed() {
    let env = TestEnv::new();
    let other = "7562222333344445555";
    config(
        &env,
        &format!("[[watchlist]]\nitem_id = \"{other}\"\n\n{RULE}"),
    );
    let server = MockServer::start().await;
    endpoint()
        .and(wiremock::matchers::query_param("itemId", other))
        .respond_with(json_response(
            200,
            &envelope_for_code(400, "Invalid Parameters"),
        ))
        .with_priority(1)
        .mount(&server)
        .await;
    endpoint()
        .respond_with(json_response(200, &with_views(60_000_000)))
        .mount(&server)
        .await;
    let run = refresh(&env, &server, &["--quiet"]).await;
    run.assert_code(1);
    assert!(run.stderr.contains("alert: viral:"), "{}", run.describe());
    assert!(
        run.stderr.contains("1 of 2 items failed"),
        "{}",
        run.describe()
    );
}
