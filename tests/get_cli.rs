//! Integration tests for `xingtu-dash get`: the binary run as a child process against a mock
//! of Just One API's item-report endpoint. Every run gets an isolated HOME/XDG tree, and every
//! run's stdout and stderr are checked for the token (see `common::TestEnv::run_cmd`).

mod common;

use std::time::Duration;

use common::*;
use serde_json::{Value, json};
use wiremock::matchers::query_param;
use wiremock::{MockServer, ResponseTemplate};

const VIDEO_LINK: &str = "https://www.douyin.com/video/7566200471448779514";
const SHARE_LINK: &str = "https://www.iesdouyin.com/share/video/7566200471448779514/?region=CN&mid=7566200535087450931&u_code=19f5hj09f&with_sec_did=1&titleType=title&share_version=260800&ts=1773063688&from_aid=1128&from_ssr=1";

// ---------------------------------------------------------------------------------------------
// Helpers local to this file
// ---------------------------------------------------------------------------------------------

/// `get --json` of the example video against a mock API giving `answer`; the server is
/// returned to count its calls.
async fn get_example(answer: impl wiremock::Respond + 'static) -> (MockServer, Run) {
    let server = server_answering(answer).await;
    let run = TestEnv::new().get_json(&server.uri(), &[EXAMPLE_ID]).await;
    (server, run)
}

fn assert_ok_line(line: &Value, id: &str, run: &Run) {
    assert_eq!(
        line["ok"],
        json!(true),
        "expected ok:true\n{}",
        run.describe()
    );
    assert_eq!(line["item_id"], json!(id), "item_id\n{}", run.describe());
}

/// Checks an `ok:false` line and returns its `error` object.
fn assert_err_line<'a>(line: &'a Value, id: &str, kind: &str, run: &Run) -> &'a Value {
    assert_eq!(
        line["ok"],
        json!(false),
        "expected ok:false\n{}",
        run.describe()
    );
    assert_eq!(line["item_id"], json!(id), "item_id\n{}", run.describe());
    let error = &line["error"];
    assert!(error.is_object(), "no error object\n{}", run.describe());
    assert_eq!(error["kind"], json!(kind), "error kind\n{}", run.describe());
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| !m.trim().is_empty()),
        "error.message must be non-empty text\n{}",
        run.describe()
    );
    for key in ["code", "http_status"] {
        assert!(
            error.get(key).is_some_and(|v| v.is_null() || v.is_i64()),
            "error.{key} must be present, an integer or null\n{}",
            run.describe()
        );
    }
    error
}

fn assert_close(actual: &Value, expected: f64, tolerance: f64, what: &str, run: &Run) {
    let a = actual
        .as_f64()
        .unwrap_or_else(|| panic!("{what} is not a number: {actual}\n{}", run.describe()));
    assert!(
        (a - expected).abs() <= tolerance,
        "{what}: expected {expected} (±{tolerance}), got {a}\n{}",
        run.describe()
    );
}

/// The example report, as `get --json` must print it.
fn assert_example_report(line: &Value, run: &Run) {
    assert_ok_line(line, EXAMPLE_ID, run);
    assert_eq!(line["cached"], json!(false), "cached\n{}", run.describe());
    assert!(
        line["fetched_at"].as_str().is_some_and(|s| !s.is_empty()),
        "fetched_at\n{}",
        run.describe()
    );

    let author = &line["author"];
    assert_eq!(author["name"], json!("好热的黄彬"), "{}", run.describe());
    assert_eq!(author["city"], json!("深圳"), "{}", run.describe());
    assert!(
        author["follower"].is_u64(),
        "follower must be a JSON integer\n{}",
        run.describe()
    );
    assert_eq!(author["follower"], json!(1_588_458), "{}", run.describe());

    let video = &line["video"];
    let counts = [
        ("vv_cnt", 45_275_627u64),
        ("like_cnt", 107_089),
        ("comment_cnt", 2_686),
        ("share_cnt", 7_943),
        ("collect_cnt", 10_595),
        ("interact_cnt", 117_718),
    ];
    for (key, n) in counts {
        assert!(
            video[key].is_u64(),
            "video.{key} must be a JSON integer, got {}\n{}",
            video[key],
            run.describe()
        );
        assert_eq!(video[key], json!(n), "video.{key}\n{}", run.describe());
    }
    assert_eq!(
        video["title"],
        json!("少爷,今天陪妹妹去看车啦!#理想L6 #好热的黄彬"),
        "{}",
        run.describe()
    );
    assert_close(
        &video["finish_rate"],
        0.018_999_208_2,
        1e-12,
        "video.finish_rate",
        run,
    );

    let ratios = &line["ratios"];
    let views = 45_275_627f64;
    assert_close(
        &ratios["like_rate"],
        107_089.0 / views,
        1e-9,
        "like_rate",
        run,
    );
    assert_close(
        &ratios["comment_rate"],
        2_686.0 / views,
        1e-9,
        "comment_rate",
        run,
    );
    assert_close(
        &ratios["share_rate"],
        7_943.0 / views,
        1e-9,
        "share_rate",
        run,
    );
    assert_close(
        &ratios["collect_rate"],
        10_595.0 / views,
        1e-9,
        "collect_rate",
        run,
    );
    // The API rounds interact_rate to 0.0026; either that or interact_cnt / vv_cnt will do.
    assert_close(
        &ratios["interact_rate"],
        117_718.0 / views,
        1e-6,
        "interact_rate",
        run,
    );
    assert_close(
        &ratios["finish_rate"],
        0.018_999_208_2,
        1e-12,
        "ratios.finish_rate",
        run,
    );
}

// ---------------------------------------------------------------------------------------------
// Item arguments: what is accepted, what is refused before any call
// ---------------------------------------------------------------------------------------------

async fn check_junk_item(item: &str) {
    let server = server_ok().await;
    let env = TestEnv::new();
    let run = env.get_json(&server.uri(), &[item]).await;
    run.assert_code(2);
    assert!(
        run.stderr.contains("expected"),
        "stderr should say what was expected\n{}",
        run.describe()
    );
    assert_eq!(
        request_count(&server).await,
        0,
        "no call may be made\n{}",
        run.describe()
    );
}

macro_rules! junk_item {
    ($($name:ident: $item:expr,)*) => {$(
        #[tokio::test(flavor = "multi_thread")]
        async fn $name() {
            check_junk_item($item).await;
        }
    )*};
}

junk_item! {
    junk_word_is_rejected: "hello",
    junk_short_number_is_rejected: "12345",
    junk_nine_digits_are_rejected: "756620047",
    junk_twenty_one_digits_are_rejected: "756620047144877951412",
    junk_digits_with_letter_are_rejected: "7566200471448779514x",
    junk_foreign_link_is_rejected: "https://www.youtube.com/watch?v=1",
    junk_douyin_link_without_id_is_rejected: "https://www.douyin.com/user/MS4wLjABAAAA",
    junk_blank_item_is_rejected: "   ",
}

#[tokio::test(flavor = "multi_thread")]
async fn one_junk_item_among_good_ones_stops_everything() {
    let server = server_ok().await;
    let env = TestEnv::new();
    let run = env
        .get_json(
            &server.uri(),
            &[EXAMPLE_ID, "hello", VIDEO_LINK, "7566200471448779515"],
        )
        .await;
    run.assert_code(2);
    assert!(run.stderr.contains("expected"), "{}", run.describe());
    assert_eq!(request_count(&server).await, 0, "{}", run.describe());
}

async fn check_valid_item(item: &str) {
    let server = MockServer::start().await;
    endpoint()
        .and(query_param("itemId", EXAMPLE_ID))
        .and(query_param("token", TOKEN))
        .respond_with(ok_response())
        .mount(&server)
        .await;
    let env = TestEnv::new();
    let run = env.get_json(&server.uri(), &[item]).await;
    run.assert_code(0);
    assert_ok_line(&run.single_json(), EXAMPLE_ID, &run);
    assert_eq!(request_count(&server).await, 1, "{}", run.describe());
}

macro_rules! valid_item {
    ($($name:ident: $item:expr,)*) => {$(
        #[tokio::test(flavor = "multi_thread")]
        async fn $name() {
            check_valid_item($item).await;
        }
    )*};
}

valid_item! {
    item_bare_id: EXAMPLE_ID,
    item_bare_id_with_surrounding_whitespace: "  7566200471448779514 \n",
    item_share_link: SHARE_LINK,
    item_video_link: VIDEO_LINK,
    item_video_link_with_whitespace: "\t https://www.douyin.com/video/7566200471448779514  ",
    item_modal_id_link: "https://www.douyin.com/discover?modal_id=7566200471448779514",
    item_aweme_id_link: "https://www.douyin.com/search/car?aweme_id=7566200471448779514&type=general",
    item_share_text_with_one_link: "7.94 复制打开抖音，看看【好热的黄彬的作品】少爷,今天陪妹妹去看车啦! https://www.iesdouyin.com/share/video/7566200471448779514/?region=CN&mid=7566200535087450931 复制此链接，打开Dou音搜索，直接观看视频！",
}

#[tokio::test(flavor = "multi_thread")]
async fn duplicates_cost_one_call_but_each_input_gets_a_line() {
    let server = server_ok().await;
    let env = TestEnv::new();
    let run = env
        .get_json(
            &server.uri(),
            &[EXAMPLE_ID, VIDEO_LINK, SHARE_LINK, " 7566200471448779514 "],
        )
        .await;
    run.assert_code(0);
    let lines = run.json_lines();
    assert_eq!(lines.len(), 4, "one line per input\n{}", run.describe());
    for line in &lines {
        assert_ok_line(line, EXAMPLE_ID, &run);
    }
    assert_eq!(request_count(&server).await, 1, "{}", run.describe());
}

#[tokio::test(flavor = "multi_thread")]
async fn duplicates_among_distinct_items_keep_input_order() {
    let server = server_ok().await;
    let ids = distinct_ids(2);
    let (a, b) = (ids[0].as_str(), ids[1].as_str());
    let env = TestEnv::new();
    let run = env.get_json(&server.uri(), &[a, b, a, b, a]).await;
    run.assert_code(0);
    let lines = run.json_lines();
    let order: Vec<&str> = lines
        .iter()
        .map(|l| l["item_id"].as_str().unwrap_or("?"))
        .collect();
    assert_eq!(order, [a, b, a, b, a], "{}", run.describe());
    assert_eq!(request_count(&server).await, 2, "{}", run.describe());
    assert_eq!(request_count_for(&server, a).await, 1);
    assert_eq!(request_count_for(&server, b).await, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn output_follows_input_order_even_when_answers_arrive_out_of_order() {
    let server = MockServer::start().await;
    let ids = distinct_ids(3);
    endpoint()
        .and(query_param("itemId", ids[0].as_str()))
        .respond_with(ok_response().set_delay(Duration::from_millis(400)))
        .with_priority(1)
        .mount(&server)
        .await;
    endpoint().respond_with(ok_response()).mount(&server).await;
    let env = TestEnv::new();
    let args: Vec<&str> = ids.iter().map(String::as_str).collect();
    let run = env.get_json(&server.uri(), &args).await;
    run.assert_code(0);
    let lines = run.json_lines();
    assert_eq!(lines.len(), 3, "{}", run.describe());
    for (line, id) in lines.iter().zip(&ids) {
        assert_ok_line(line, id, &run);
    }
    assert_eq!(request_count(&server).await, 3);
}

// ---------------------------------------------------------------------------------------------
// Token, base URL, config file
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn missing_token_is_a_usage_error_naming_all_three_ways() {
    let server = server_ok().await;
    let env = TestEnv::new();
    let run = env
        .run_async(["--base-url", &server.uri(), "get", "--json", EXAMPLE_ID])
        .await;
    run.assert_code(2);
    for needle in ["--token", "JUSTONEAPI_TOKEN", "[api]"] {
        assert!(
            run.stderr.contains(needle),
            "stderr should mention {needle}\n{}",
            run.describe()
        );
    }
    assert_eq!(request_count(&server).await, 0, "{}", run.describe());
}

#[tokio::test(flavor = "multi_thread")]
async fn request_carries_token_item_and_user_agent() {
    let (server, run) = get_example(ok_response()).await;
    run.assert_code(0);
    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 1);
    let req = &reqs[0];
    assert_eq!(req.method.as_str(), "GET");
    assert_eq!(req.url.path(), ENDPOINT);
    assert_eq!(query_value(req, "token").as_deref(), Some(TOKEN));
    assert_eq!(query_value(req, "itemId").as_deref(), Some(EXAMPLE_ID));
    let ua = req
        .headers
        .get("user-agent")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(ua.starts_with("xingtu-dash/"), "User-Agent was {ua:?}");
}

/// Runs `get --json EXAMPLE_ID` against a server that accepts any token, and returns the token
/// the one call carried.
async fn token_used(env: &TestEnv, global_args: &[&str]) -> String {
    let server = server_ok().await;
    let mut args: Vec<String> = vec!["--base-url".into(), server.uri()];
    args.extend(global_args.iter().map(|s| s.to_string()));
    args.extend(["get".into(), "--json".into(), EXAMPLE_ID.into()]);
    let run = env.run_async(&args).await;
    run.assert_code(0);
    assert_ok_line(&run.single_json(), EXAMPLE_ID, &run);
    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 1, "{}", run.describe());
    query_value(&reqs[0], "token").unwrap_or_default()
}

const ENV_TOKEN_VALUE: &str = "tok-SECRET-env-5c4b3a";
const CFG_TOKEN_VALUE: &str = "tok-SECRET-cfg-2a1b0c";
const CFG2_TOKEN_VALUE: &str = "tok-SECRET-cfg2-77aa11";

fn config_with_token(token: &str) -> String {
    format!("[api]\ntoken = \"{token}\"\n")
}

#[tokio::test(flavor = "multi_thread")]
async fn token_from_env_var() {
    let env = TestEnv::new().with_var("JUSTONEAPI_TOKEN", TOKEN);
    assert_eq!(token_used(&env, &[]).await, TOKEN);
}

#[tokio::test(flavor = "multi_thread")]
async fn token_from_default_config_file() {
    let env = TestEnv::new();
    env.write_file(&env.default_config_path(), &config_with_token(TOKEN));
    assert_eq!(token_used(&env, &[]).await, TOKEN);
}

#[tokio::test(flavor = "multi_thread")]
async fn token_from_config_flag() {
    let env = TestEnv::new();
    let path = env.write_file(
        &env.root().join("elsewhere/my.toml"),
        &config_with_token(TOKEN),
    );
    let path = path.to_str().unwrap().to_owned();
    assert_eq!(token_used(&env, &["--config", &path]).await, TOKEN);
}

#[tokio::test(flavor = "multi_thread")]
async fn token_from_config_env_var() {
    let env = TestEnv::new();
    let path = env.write_file(
        &env.root().join("elsewhere/env.toml"),
        &config_with_token(TOKEN),
    );
    let env = env.with_var("XINGTU_DASH_CONFIG", path.to_str().unwrap());
    assert_eq!(token_used(&env, &[]).await, TOKEN);
}

#[tokio::test(flavor = "multi_thread")]
async fn token_flag_beats_env_and_config() {
    let env = TestEnv::new()
        .with_secret(ENV_TOKEN_VALUE)
        .with_secret(CFG_TOKEN_VALUE)
        .with_var("JUSTONEAPI_TOKEN", ENV_TOKEN_VALUE);
    env.write_file(
        &env.default_config_path(),
        &config_with_token(CFG_TOKEN_VALUE),
    );
    assert_eq!(token_used(&env, &["--token", TOKEN]).await, TOKEN);
}

#[tokio::test(flavor = "multi_thread")]
async fn token_env_beats_config() {
    let env = TestEnv::new()
        .with_secret(ENV_TOKEN_VALUE)
        .with_secret(CFG_TOKEN_VALUE)
        .with_var("JUSTONEAPI_TOKEN", ENV_TOKEN_VALUE);
    env.write_file(
        &env.default_config_path(),
        &config_with_token(CFG_TOKEN_VALUE),
    );
    assert_eq!(token_used(&env, &[]).await, ENV_TOKEN_VALUE);
}

#[tokio::test(flavor = "multi_thread")]
async fn config_flag_beats_config_env_var_and_default_file() {
    let env = TestEnv::new()
        .with_secret(CFG_TOKEN_VALUE)
        .with_secret(CFG2_TOKEN_VALUE);
    env.write_file(
        &env.default_config_path(),
        &config_with_token(CFG2_TOKEN_VALUE),
    );
    let by_env = env.write_file(
        &env.root().join("a/env.toml"),
        &config_with_token(CFG_TOKEN_VALUE),
    );
    let by_flag = env.write_file(&env.root().join("b/flag.toml"), &config_with_token(TOKEN));
    let env = env.with_var("XINGTU_DASH_CONFIG", by_env.to_str().unwrap());
    let flag = by_flag.to_str().unwrap().to_owned();
    assert_eq!(token_used(&env, &["--config", &flag]).await, TOKEN);
}

#[tokio::test(flavor = "multi_thread")]
async fn base_url_from_env_var() {
    let server = server_ok().await;
    let env = TestEnv::new().with_var("JUSTONEAPI_BASE_URL", &server.uri());
    let run = env
        .run_async(["--token", TOKEN, "get", "--json", EXAMPLE_ID])
        .await;
    run.assert_code(0);
    assert_ok_line(&run.single_json(), EXAMPLE_ID, &run);
    assert_eq!(request_count(&server).await, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn base_url_flag_beats_env_var() {
    let server = server_ok().await;
    let dead = format!("http://127.0.0.1:{}", refused_port());
    let env = TestEnv::new().with_var("JUSTONEAPI_BASE_URL", &dead);
    let run = env.get_json(&server.uri(), &[EXAMPLE_ID]).await;
    run.assert_code(0);
    assert_ok_line(&run.single_json(), EXAMPLE_ID, &run);
    assert_eq!(request_count(&server).await, 1);
}

#[test]
fn bad_base_url_is_a_usage_error() {
    for bad in [
        "not a url",
        "ftp://example.com/",
        "api.justoneapi.com",
        "https://",
    ] {
        let env = TestEnv::new();
        let run = env.run([
            "--base-url",
            bad,
            "--token",
            TOKEN,
            "get",
            "--json",
            EXAMPLE_ID,
        ]);
        assert_eq!(
            run.code,
            Some(2),
            "--base-url {bad:?} must be a usage error\n{}",
            run.describe()
        );
        assert!(!run.stderr.trim().is_empty(), "{}", run.describe());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrency_zero_is_a_usage_error() {
    let server = server_ok().await;
    let env = TestEnv::new();
    let run = env
        .get_json(&server.uri(), &["--concurrency", "0", EXAMPLE_ID])
        .await;
    run.assert_code(2);
    assert_eq!(request_count(&server).await, 0);
}

// ---------------------------------------------------------------------------------------------
// Plain-HTTP warning
// ---------------------------------------------------------------------------------------------

#[test]
fn region_cn_warns_that_the_token_travels_unencrypted() {
    let env = TestEnv::new();
    let run = env.run(["--region", "cn", "--token", TOKEN, "get", "--json", "hello"]);
    run.assert_code(2);
    assert!(run.stderr.contains("unencrypted"), "{}", run.describe());
}

#[test]
fn plain_http_remote_base_url_warns() {
    let env = TestEnv::new();
    let run = env.run(get_args("http://example.invalid", &["--json", "hello"]));
    run.assert_code(2);
    assert!(run.stderr.contains("unencrypted"), "{}", run.describe());
}

#[test]
fn https_base_url_does_not_warn() {
    let env = TestEnv::new();
    let run = env.run(get_args("https://example.invalid", &["--json", "hello"]));
    run.assert_code(2);
    assert!(!run.stderr.contains("unencrypted"), "{}", run.describe());
}

#[tokio::test(flavor = "multi_thread")]
async fn loopback_http_base_url_does_not_warn() {
    let (_server, run) = get_example(ok_response()).await;
    run.assert_code(0);
    assert!(!run.stderr.contains("unencrypted"), "{}", run.describe());
}

// ---------------------------------------------------------------------------------------------
// Successful reports
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn json_success_has_the_documented_shape() {
    let (_server, run) = get_example(ok_response()).await;
    run.assert_code(0);
    assert_example_report(&run.single_json(), &run);
}

#[tokio::test(flavor = "multi_thread")]
async fn counts_sent_as_numbers_give_the_same_report() {
    let (_server, run) = get_example(json_response(200, &example_envelope_numeric())).await;
    run.assert_code(0);
    assert_example_report(&run.single_json(), &run);
}

#[tokio::test(flavor = "multi_thread")]
async fn string_code_zero_is_success() {
    let mut envelope = example_envelope();
    envelope["code"] = json!("0");
    let (_server, run) = get_example(json_response(200, &envelope)).await;
    run.assert_code(0);
    assert_example_report(&run.single_json(), &run);
}

#[tokio::test(flavor = "multi_thread")]
async fn code_zero_on_an_http_error_status_is_still_success() {
    let (server, run) = get_example(json_response(503, &example_envelope())).await;
    run.assert_code(0);
    assert_example_report(&run.single_json(), &run);
    assert_eq!(request_count(&server).await, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn missing_author_info_gives_nulls() {
    let mut envelope = example_envelope();
    envelope["data"]
        .as_object_mut()
        .unwrap()
        .remove("author_info");
    let (_server, run) = get_example(json_response(200, &envelope)).await;
    run.assert_code(0);
    let line = run.single_json();
    assert_ok_line(&line, EXAMPLE_ID, &run);
    assert!(line["author"]["name"].is_null(), "{}", run.describe());
    assert!(line["author"]["follower"].is_null(), "{}", run.describe());
    assert_eq!(
        line["video"]["vv_cnt"],
        json!(45_275_627),
        "{}",
        run.describe()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn missing_video_info_gives_nulls() {
    let mut envelope = example_envelope();
    envelope["data"]
        .as_object_mut()
        .unwrap()
        .remove("video_info");
    let (_server, run) = get_example(json_response(200, &envelope)).await;
    run.assert_code(0);
    let line = run.single_json();
    assert_ok_line(&line, EXAMPLE_ID, &run);
    for key in [
        "vv_cnt",
        "like_cnt",
        "comment_cnt",
        "share_cnt",
        "collect_cnt",
        "title",
    ] {
        assert!(
            line["video"][key].is_null(),
            "video.{key}\n{}",
            run.describe()
        );
    }
    for key in [
        "like_rate",
        "comment_rate",
        "share_rate",
        "collect_rate",
        "finish_rate",
    ] {
        assert!(
            line["ratios"][key].is_null(),
            "ratios.{key}\n{}",
            run.describe()
        );
    }
    assert_eq!(
        line["author"]["name"],
        json!("好热的黄彬"),
        "{}",
        run.describe()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn missing_music_info_is_fine() {
    let mut envelope = example_envelope();
    envelope["data"]["video_info"]
        .as_object_mut()
        .unwrap()
        .remove("music_info");
    let (_server, run) = get_example(json_response(200, &envelope)).await;
    run.assert_code(0);
    assert_example_report(&run.single_json(), &run);
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_extra_fields_are_ignored() {
    let mut envelope = example_envelope();
    envelope["brandNewTopLevel"] = json!({"nested": [1, 2, 3]});
    envelope["data"]["brand_new_section"] = json!([{"x": "y"}]);
    envelope["data"]["author_info"]["brand_new_field"] = json!("z");
    envelope["data"]["video_info"]["brand_new_metric"] = json!("12345");
    envelope["data"]["video_info"]["music_info"]["brand_new"] = json!(null);
    let (_server, run) = get_example(json_response(200, &envelope)).await;
    run.assert_code(0);
    assert_example_report(&run.single_json(), &run);
}

#[tokio::test(flavor = "multi_thread")]
async fn envelope_with_only_base_resp_succeeds_with_nulls() {
    let envelope = error_envelope("string_code_success_example_envelope_only");
    let (_server, run) = get_example(json_response(200, &envelope)).await;
    run.assert_code(0);
    let line = run.single_json();
    assert_ok_line(&line, EXAMPLE_ID, &run);
    assert!(line["author"]["name"].is_null(), "{}", run.describe());
    assert!(line["video"]["vv_cnt"].is_null(), "{}", run.describe());
}

#[tokio::test(flavor = "multi_thread")]
async fn several_distinct_items_all_ok_exit_0() {
    let server = server_ok().await;
    let ids = distinct_ids(3);
    let args: Vec<&str> = ids.iter().map(String::as_str).collect();
    let env = TestEnv::new();
    let run = env.get_json(&server.uri(), &args).await;
    run.assert_code(0);
    let lines = run.json_lines();
    assert_eq!(lines.len(), 3, "{}", run.describe());
    for (line, id) in lines.iter().zip(&ids) {
        assert_ok_line(line, id, &run);
    }
    assert_eq!(request_count(&server).await, 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn human_output_with_chinese_number_style() {
    let server = server_ok().await;
    let env = TestEnv::new();
    let run = env
        .get(&server.uri(), &["--number-style", "cn", EXAMPLE_ID])
        .await;
    run.assert_code(0);
    for needle in ["好热的黄彬", "4527.6万", "0.237%"] {
        assert!(
            run.stdout.contains(needle),
            "stdout should contain {needle}\n{}",
            run.describe()
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn human_output_with_international_number_style() {
    let server = server_ok().await;
    let env = TestEnv::new();
    let run = env
        .get(&server.uri(), &["--number-style", "intl", EXAMPLE_ID])
        .await;
    run.assert_code(0);
    for needle in ["好热的黄彬", "45.3M", "0.237%"] {
        assert!(
            run.stdout.contains(needle),
            "stdout should contain {needle}\n{}",
            run.describe()
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn human_output_failure_exits_1() {
    let server = server_answering(json_response(400, &error_envelope("400"))).await;
    let env = TestEnv::new();
    let run = env.get(&server.uri(), &[EXAMPLE_ID]).await;
    run.assert_code(1);
    assert_eq!(request_count(&server).await, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn fractional_timeout_is_accepted() {
    let server = server_ok().await;
    let env = TestEnv::new();
    let run = env
        .get_json(&server.uri(), &["--timeout", "0.5", EXAMPLE_ID])
        .await;
    // `--timeout` is global: also accepted before `get`.
    run.assert_code(0);
    assert_ok_line(&run.single_json(), EXAMPLE_ID, &run);
}

// ---------------------------------------------------------------------------------------------
// Business codes: kind, code, http_status and how many calls each costs
// ---------------------------------------------------------------------------------------------

async fn check_business_code(code: i64, http_status: u16, kind: &str, calls: usize) {
    let envelope = envelope_for_code(code, "Service Unavailable");
    let (server, run) = get_example(json_response(http_status, &envelope)).await;
    run.assert_code(1);
    let line = run.single_json();
    let error = assert_err_line(&line, EXAMPLE_ID, kind, &run);
    assert_eq!(error["code"], json!(code), "error.code\n{}", run.describe());
    assert_eq!(
        error["http_status"],
        json!(http_status),
        "error.http_status\n{}",
        run.describe()
    );
    assert_eq!(
        request_count(&server).await,
        calls,
        "calls made for code {code}\n{}",
        run.describe()
    );
}

macro_rules! business_code {
    ($($name:ident: $code:expr, $status:expr, $kind:expr, $calls:expr;)*) => {$(
        #[tokio::test(flavor = "multi_thread")]
        async fn $name() {
            check_business_code($code, $status, $kind, $calls).await;
        }
    )*};
}

business_code! {
    code_100_invalid_token_is_not_retried: 100, 401, "invalid_token", 1;
    code_301_collection_failed_is_tried_three_times: 301, 200, "collection_failed", 3;
    code_302_rate_limited_is_tried_three_times: 302, 429, "rate_limited", 3;
    code_302_on_http_200_is_tried_three_times: 302, 200, "rate_limited", 3;
    code_303_quota_exceeded_is_not_retried_even_on_http_429: 303, 429, "quota_exceeded", 1;
    code_400_invalid_params_is_not_retried: 400, 400, "invalid_params", 1;
    code_400_on_http_200_is_not_retried: 400, 200, "invalid_params", 1;
    code_500_server_error_is_tried_three_times: 500, 500, "server_error", 3;
    code_503_service_unavailable_is_tried_three_times: 503, 503, "service_unavailable", 3;
    code_600_permission_denied_is_not_retried: 600, 403, "permission_denied", 1;
    code_601_insufficient_balance_is_not_retried: 601, 200, "insufficient_balance", 1;
    code_602_token_limit_exceeded_is_not_retried: 602, 200, "token_limit_exceeded", 1;
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_code_names_the_code_and_the_server_message() {
    let envelope = json!({"code": 777, "data": null, "message": "Something brand new happened"});
    let (_server, run) = get_example(json_response(200, &envelope)).await;
    run.assert_code(1);
    let line = run.single_json();
    let error = assert_err_line(&line, EXAMPLE_ID, "unknown_code", &run);
    assert_eq!(error["code"], json!(777), "{}", run.describe());
    let message = error["message"].as_str().unwrap_or_default();
    assert!(message.contains("777"), "{}", run.describe());
    assert!(
        message.contains("Something brand new happened"),
        "{}",
        run.describe()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn undocumented_enum_code_101_is_unknown_code() {
    let envelope = json!({"code": 101, "data": null, "message": "Token Disabled"});
    let (_server, run) = get_example(json_response(200, &envelope)).await;
    run.assert_code(1);
    let line = run.single_json();
    let error = assert_err_line(&line, EXAMPLE_ID, "unknown_code", &run);
    assert_eq!(error["code"], json!(101), "{}", run.describe());
    let message = error["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("101") && message.contains("Token Disabled"),
        "{}",
        run.describe()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn string_error_code_is_understood() {
    let mut envelope = error_envelope("601");
    envelope["code"] = json!("601");
    let (server, run) = get_example(json_response(200, &envelope)).await;
    run.assert_code(1);
    let line = run.single_json();
    let error = assert_err_line(&line, EXAMPLE_ID, "insufficient_balance", &run);
    assert_eq!(error["code"], json!(601), "{}", run.describe());
    assert_eq!(request_count(&server).await, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn invalid_params_fails_only_that_item() {
    let server = MockServer::start().await;
    let ids = distinct_ids(3);
    endpoint()
        .and(query_param("itemId", ids[1].as_str()))
        .respond_with(json_response(400, &error_envelope("400")))
        .with_priority(1)
        .mount(&server)
        .await;
    endpoint().respond_with(ok_response()).mount(&server).await;
    let env = TestEnv::new();
    let args: Vec<&str> = ids.iter().map(String::as_str).collect();
    let run = env
        .get_json(
            &server.uri(),
            &[&["--concurrency", "1"][..], &args].concat(),
        )
        .await;
    run.assert_code(1);
    let lines = run.json_lines();
    assert_eq!(lines.len(), 3, "{}", run.describe());
    assert_ok_line(&lines[0], &ids[0], &run);
    let error = assert_err_line(&lines[1], &ids[1], "invalid_params", &run);
    assert_eq!(error["code"], json!(400));
    assert_ok_line(&lines[2], &ids[2], &run);
    assert_eq!(
        request_count_for(&server, &ids[1]).await,
        1,
        "{}",
        run.describe()
    );
    assert_eq!(request_count(&server).await, 3, "{}", run.describe());
}

// ---------------------------------------------------------------------------------------------
// Codes that stop the whole run
// ---------------------------------------------------------------------------------------------

async fn check_halt(code: i64, kind: &str) {
    let server = server_answering(json_response(200, &envelope_for_code(code, "stop"))).await;
    let ids = distinct_ids(5);
    let mut args = vec!["--concurrency", "1"];
    args.extend(ids.iter().map(String::as_str));
    let env = TestEnv::new();
    let run = env.get_json(&server.uri(), &args).await;
    run.assert_code(1);
    assert_eq!(
        request_count(&server).await,
        1,
        "code {code} must stop every further call\n{}",
        run.describe()
    );
    let lines = run.json_lines();
    assert_eq!(lines.len(), 5, "one line per item\n{}", run.describe());
    let mut real = 0;
    let mut halted = 0;
    for (line, id) in lines.iter().zip(&ids) {
        assert_eq!(
            line["item_id"],
            json!(id),
            "input order\n{}",
            run.describe()
        );
        assert_eq!(line["ok"], json!(false), "{}", run.describe());
        let error = &line["error"];
        assert_eq!(error["code"], json!(code), "error.code\n{}", run.describe());
        match error["kind"].as_str() {
            Some(k) if k == kind => real += 1,
            Some("halted") => halted += 1,
            other => panic!("unexpected kind {other:?}\n{}", run.describe()),
        }
    }
    assert_eq!((real, halted), (1, 4), "{}", run.describe());
}

macro_rules! halting_code {
    ($($name:ident: $code:expr, $kind:expr;)*) => {$(
        #[tokio::test(flavor = "multi_thread")]
        async fn $name() {
            check_halt($code, $kind).await;
        }
    )*};
}

halting_code! {
    halt_on_100_invalid_token: 100, "invalid_token";
    halt_on_303_quota_exceeded: 303, "quota_exceeded";
    halt_on_600_permission_denied: 600, "permission_denied";
    halt_on_601_insufficient_balance: 601, "insufficient_balance";
    halt_on_602_token_limit_exceeded: 602, "token_limit_exceeded";
}

// ---------------------------------------------------------------------------------------------
// Retries, slow-downs, transport failures
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn collection_failed_twice_then_success_costs_three_calls() {
    let timed = Timed::new(json_response(200, &error_envelope("301")));
    let server = server_answering_first(2, timed.clone(), timed.also(ok_response())).await;
    let env = TestEnv::new();
    let run = env.get_json(&server.uri(), &[EXAMPLE_ID]).await;
    run.assert_code(0);
    assert_example_report(&run.single_json(), &run);
    assert_eq!(request_count(&server).await, 3, "{}", run.describe());
    for gap in timed.gaps() {
        assert!(
            gap >= Duration::from_millis(RETRY_BASE_MS),
            "retries must back off (gap {gap:?})"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn rate_limit_302_slows_down_then_succeeds() {
    let timed = Timed::new(json_response(200, &error_envelope("302")));
    let server = server_answering_first(1, timed.clone(), timed.also(ok_response())).await;
    let env = TestEnv::new();
    let run = env.get_json(&server.uri(), &[EXAMPLE_ID]).await;
    run.assert_code(0);
    assert_ok_line(&run.single_json(), EXAMPLE_ID, &run);
    assert_eq!(request_count(&server).await, 2, "{}", run.describe());
    let gaps = timed.gaps();
    assert_eq!(gaps.len(), 1);
    assert!(
        gaps[0] >= Duration::from_millis(RETRY_BASE_MS * 10),
        "a rate limit must slow down by 10x the retry base: gap {:?}",
        gaps[0]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn http_429_without_json_slows_down_and_gives_up_after_three_calls() {
    let server = MockServer::start().await;
    let timed =
        Timed::new(ResponseTemplate::new(429).set_body_raw("Too Many Requests", "text/plain"));
    endpoint().respond_with(timed.clone()).mount(&server).await;
    let env = TestEnv::new();
    let run = env.get_json(&server.uri(), &[EXAMPLE_ID]).await;
    run.assert_code(1);
    let line = run.single_json();
    let error = assert_err_line(&line, EXAMPLE_ID, "http_error", &run);
    assert_eq!(error["http_status"], json!(429), "{}", run.describe());
    assert!(error["code"].is_null(), "{}", run.describe());
    assert_eq!(request_count(&server).await, 3, "{}", run.describe());
    for gap in timed.gaps() {
        assert!(
            gap >= Duration::from_millis(RETRY_BASE_MS * 10),
            "HTTP 429 must slow down by 10x the retry base: gap {gap:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn html_502_page_is_http_error_tried_three_times() {
    let page = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";
    let (server, run) =
        get_example(ResponseTemplate::new(502).set_body_raw(page, "text/html")).await;
    run.assert_code(1);
    let line = run.single_json();
    let error = assert_err_line(&line, EXAMPLE_ID, "http_error", &run);
    assert!(error["code"].is_null(), "{}", run.describe());
    assert_eq!(error["http_status"], json!(502), "{}", run.describe());
    assert!(
        error["message"]
            .as_str()
            .unwrap_or_default()
            .contains("502"),
        "{}",
        run.describe()
    );
    assert_eq!(request_count(&server).await, 3, "{}", run.describe());
}

#[tokio::test(flavor = "multi_thread")]
async fn html_page_with_http_200_is_http_error() {
    let page = "<html><body>Please log in to the captive portal</body></html>";
    let (_server, run) =
        get_example(ResponseTemplate::new(200).set_body_raw(page, "text/html")).await;
    run.assert_code(1);
    let line = run.single_json();
    let error = assert_err_line(&line, EXAMPLE_ID, "http_error", &run);
    assert_eq!(error["http_status"], json!(200), "{}", run.describe());
    assert!(
        error["message"]
            .as_str()
            .unwrap_or_default()
            .contains("200"),
        "{}",
        run.describe()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn plain_text_404_is_http_error_naming_the_status() {
    let server = server_answering(
        ResponseTemplate::new(404).set_body_raw("404 page not found", "text/plain"),
    )
    .await;
    let env = TestEnv::new();
    let run = env.get_json(&server.uri(), &[EXAMPLE_ID]).await;
    run.assert_code(1);
    let line = run.single_json();
    let error = assert_err_line(&line, EXAMPLE_ID, "http_error", &run);
    assert_eq!(error["http_status"], json!(404), "{}", run.describe());
    assert!(
        error["message"]
            .as_str()
            .unwrap_or_default()
            .contains("404"),
        "{}",
        run.describe()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn html_page_echoing_the_token_does_not_leak_it() {
    let page = format!(
        "<html><body>Blocked: GET {ENDPOINT}?token={TOKEN}&itemId={EXAMPLE_ID}</body></html>"
    );
    let server = server_answering(ResponseTemplate::new(403).set_body_raw(page, "text/html")).await;
    let env = TestEnv::new();
    // Both output modes; `run_cmd` checks every run for the token.
    let run = env.get_json(&server.uri(), &[EXAMPLE_ID]).await;
    run.assert_code(1);
    assert_err_line(&run.single_json(), EXAMPLE_ID, "http_error", &run);
    let run = env.get(&server.uri(), &[EXAMPLE_ID]).await;
    run.assert_code(1);
}

#[tokio::test(flavor = "multi_thread")]
async fn server_message_echoing_the_token_does_not_leak_it() {
    let envelope = json!({
        "code": 777,
        "data": null,
        "message": format!("token {TOKEN} is not allowed to call this"),
    });
    let server = server_answering(json_response(200, &envelope)).await;
    let env = TestEnv::new();
    let run = env.get_json(&server.uri(), &[EXAMPLE_ID]).await;
    run.assert_code(1);
    let error = assert_err_line(&run.single_json(), EXAMPLE_ID, "unknown_code", &run).clone();
    assert!(
        error["message"]
            .as_str()
            .unwrap_or_default()
            .contains("777"),
        "{}",
        run.describe()
    );
    let run = env.get(&server.uri(), &[EXAMPLE_ID]).await;
    run.assert_code(1);
}

#[tokio::test(flavor = "multi_thread")]
async fn truncated_json_is_bad_response() {
    let cut = EXAMPLE_OK.find("\"base_resp\"").expect("fixture layout");
    let server = server_answering(
        ResponseTemplate::new(200)
            .set_body_raw(EXAMPLE_OK.as_bytes()[..cut].to_vec(), "application/json"),
    )
    .await;
    let env = TestEnv::new();
    let run = env.get_json(&server.uri(), &[EXAMPLE_ID]).await;
    run.assert_code(1);
    let line = run.single_json();
    let error = assert_err_line(&line, EXAMPLE_ID, "bad_response", &run);
    assert_eq!(error["http_status"], json!(200), "{}", run.describe());
}

#[tokio::test(flavor = "multi_thread")]
async fn timeout_is_tried_three_times_and_returns_quickly() {
    let server = server_answering(ok_response().set_delay(Duration::from_secs(3))).await;
    let env = TestEnv::new();
    let run = env
        .get_json(&server.uri(), &["--timeout", "0.3", EXAMPLE_ID])
        .await;
    run.assert_code(1);
    let line = run.single_json();
    let error = assert_err_line(&line, EXAMPLE_ID, "timeout", &run);
    assert!(error["code"].is_null(), "{}", run.describe());
    assert!(error["http_status"].is_null(), "{}", run.describe());
    assert_eq!(request_count(&server).await, 3, "{}", run.describe());
    assert!(
        run.elapsed < Duration::from_secs(4),
        "three 0.3 s attempts must not wait out the 3 s server delay\n{}",
        run.describe()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn connection_refused_is_network_error() {
    let base = format!("http://127.0.0.1:{}", refused_port());
    let env = TestEnv::new();
    let run = env.get_json(&base, &[EXAMPLE_ID]).await;
    run.assert_code(1);
    let line = run.single_json();
    let error = assert_err_line(&line, EXAMPLE_ID, "network", &run);
    assert!(error["code"].is_null(), "{}", run.describe());
    assert!(error["http_status"].is_null(), "{}", run.describe());
}

#[tokio::test(flavor = "multi_thread")]
async fn connection_refused_in_human_mode_does_not_leak_the_token() {
    let base = format!("http://127.0.0.1:{}", refused_port());
    let env = TestEnv::new();
    let run = env.get(&base, &[EXAMPLE_ID]).await;
    run.assert_code(1);
}

#[tokio::test(flavor = "multi_thread")]
async fn junk_item_error_does_not_leak_the_token() {
    let server = server_ok().await;
    let env = TestEnv::new();
    // Human mode, a junk item next to the token on the command line.
    let run = env.get(&server.uri(), &["not-an-item"]).await;
    run.assert_code(2);
    assert_eq!(request_count(&server).await, 0);
}

// ---------------------------------------------------------------------------------------------
// The response cache
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn second_get_within_the_window_is_served_from_cache() {
    let server = server_ok().await;
    let env = TestEnv::new();
    let first = env.get_json(&server.uri(), &[EXAMPLE_ID]).await;
    first.assert_code(0);
    assert_eq!(
        first.single_json()["cached"],
        json!(false),
        "{}",
        first.describe()
    );
    assert_eq!(request_count(&server).await, 1);

    let second = env.get_json(&server.uri(), &[EXAMPLE_ID]).await;
    second.assert_code(0);
    let line = second.single_json();
    assert_ok_line(&line, EXAMPLE_ID, &second);
    assert_eq!(line["cached"], json!(true), "{}", second.describe());
    assert_eq!(
        line["video"]["vv_cnt"],
        json!(45_275_627),
        "{}",
        second.describe()
    );
    assert_eq!(
        request_count(&server).await,
        1,
        "the second run must not call again\n{}",
        second.describe()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn cache_hit_by_link_after_fetch_by_id() {
    let server = server_ok().await;
    let env = TestEnv::new();
    env.get_json(&server.uri(), &[EXAMPLE_ID])
        .await
        .assert_code(0);
    let second = env.get_json(&server.uri(), &[SHARE_LINK]).await;
    second.assert_code(0);
    let line = second.single_json();
    assert_ok_line(&line, EXAMPLE_ID, &second);
    assert_eq!(line["cached"], json!(true), "{}", second.describe());
    assert_eq!(request_count(&server).await, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn force_calls_again_despite_the_cache() {
    let server = server_ok().await;
    let env = TestEnv::new();
    env.get_json(&server.uri(), &[EXAMPLE_ID])
        .await
        .assert_code(0);
    let forced = env.get_json(&server.uri(), &["--force", EXAMPLE_ID]).await;
    forced.assert_code(0);
    let line = forced.single_json();
    assert_ok_line(&line, EXAMPLE_ID, &forced);
    assert_eq!(line["cached"], json!(false), "{}", forced.describe());
    assert_eq!(request_count(&server).await, 2, "{}", forced.describe());
}

#[tokio::test(flavor = "multi_thread")]
async fn separate_environments_do_not_share_a_cache() {
    let server = server_ok().await;
    TestEnv::new()
        .get_json(&server.uri(), &[EXAMPLE_ID])
        .await
        .assert_code(0);
    let other = TestEnv::new();
    let run = other.get_json(&server.uri(), &[EXAMPLE_ID]).await;
    run.assert_code(0);
    assert_eq!(
        run.single_json()["cached"],
        json!(false),
        "{}",
        run.describe()
    );
    assert_eq!(request_count(&server).await, 2);
}

// ---------------------------------------------------------------------------------------------
// The concurrency bound
// ---------------------------------------------------------------------------------------------

async fn max_in_flight(concurrency: Option<&str>) -> usize {
    let server = CountingServer::start(Duration::from_millis(150)).await;
    let ids = distinct_ids(12);
    let mut args: Vec<&str> = Vec::new();
    if let Some(n) = concurrency {
        args.extend(["--concurrency", n]);
    }
    args.extend(ids.iter().map(String::as_str));
    let env = TestEnv::new();
    let run = env.get_json(&server.url, &args).await;
    run.assert_code(0);
    let lines = run.json_lines();
    assert_eq!(lines.len(), 12, "{}", run.describe());
    for (line, id) in lines.iter().zip(&ids) {
        assert_ok_line(line, id, &run);
    }
    assert_eq!(server.total(), 12, "{}", run.describe());
    server.max_in_flight()
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrency_3_keeps_exactly_3_calls_in_flight() {
    assert_eq!(max_in_flight(Some("3")).await, 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn default_concurrency_is_4() {
    assert_eq!(max_in_flight(None).await, 4);
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrency_1_is_sequential() {
    let server = CountingServer::start(Duration::from_millis(30)).await;
    let ids = distinct_ids(4);
    let mut args = vec!["--concurrency", "1"];
    args.extend(ids.iter().map(String::as_str));
    let env = TestEnv::new();
    let run = env.get_json(&server.url, &args).await;
    run.assert_code(0);
    assert_eq!(server.total(), 4);
    assert_eq!(server.max_in_flight(), 1);
}

// ---------------------------------------------------------------------------------------------
// JSON field order (README: `item_id` and `ok` first, then as documented)
// ---------------------------------------------------------------------------------------------

fn key_order(value: &Value) -> Vec<&str> {
    value
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {value}"))
        .keys()
        .map(String::as_str)
        .collect()
}

/// Keys as they appear in the printed text, so the check does not depend on how a parser
/// orders a map.
fn printed_order<'a>(line: &str, keys: &[&'a str]) -> Vec<&'a str> {
    let mut found: Vec<(usize, &str)> = keys
        .iter()
        .filter_map(|k| line.find(&format!("\"{k}\":")).map(|at| (at, *k)))
        .collect();
    found.sort();
    found.into_iter().map(|(_, k)| k).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn json_fields_come_in_the_documented_order() {
    let server = server_ok().await;
    let env = TestEnv::new();
    let run = env.get_json(&server.uri(), &[EXAMPLE_ID]).await;
    run.assert_code(0);
    let line = &run.json_lines()[0];
    let top = [
        "item_id",
        "ok",
        "author",
        "video",
        "ratios",
        "fetched_at",
        "cached",
    ];
    assert_eq!(key_order(line), top, "{}", run.describe());
    let text = run.stdout.lines().next().unwrap();
    assert!(text.starts_with(r#"{"item_id":"#), "{text}");
    assert_eq!(
        key_order(&line["ratios"]),
        [
            "like_rate",
            "comment_rate",
            "share_rate",
            "collect_rate",
            "interact_rate",
            "finish_rate"
        ]
    );
    let author = [
        "author_id",
        "core_user_id",
        "name",
        "avatar_uri",
        "city",
        "gender",
        "follower",
        "is_star",
        "link_cnt",
        "ink_cnt",
        "content_tags",
        "industry_tags",
    ];
    assert_eq!(key_order(&line["author"]), author);
    let video = [
        "item_id",
        "video_id",
        "title",
        "url",
        "create_time",
        "duration",
        "vv_cnt",
        "like_cnt",
        "comment_cnt",
        "share_cnt",
        "collect_cnt",
        "interact_cnt",
        "interact_rate",
        "finish_rate",
        "content_theme_labels",
        "head_image_uri",
        "music_info",
    ];
    assert_eq!(key_order(&line["video"]), video);

    // A failure and the rows a halt leaves unattempted.
    let server = server_answering(json_response(200, &envelope_for_code(601, "no money"))).await;
    let ids = distinct_ids(2);
    let run = env
        .get_json(&server.uri(), &["--concurrency", "1", &ids[0], &ids[1]])
        .await;
    run.assert_code(1);
    let lines = run.json_lines();
    assert_eq!(lines[1]["error"]["kind"], "halted", "{}", run.describe());
    for (line, text) in lines.iter().zip(run.stdout.lines()) {
        assert_eq!(key_order(line), ["item_id", "ok", "error"], "{text}");
        let error = ["code", "kind", "message", "http_status"];
        assert_eq!(key_order(&line["error"]), error, "{text}");
        assert_eq!(
            printed_order(text, &["item_id", "ok", "error"]),
            ["item_id", "ok", "error"]
        );
    }
}

/// Not a command and not an id or link: clap's own error, its suggestion, exit 2, no call.
#[tokio::test(flavor = "multi_thread")]
async fn junk_instead_of_a_command_is_a_usage_error_with_a_suggestion() {
    let server = server_ok().await;
    let env = TestEnv::new();
    let uri = server.uri();
    for (args, hint) in [
        (vec!["gett", EXAMPLE_ID], "'get'"),
        (vec!["hello"], "unrecognized subcommand"),
        (vec!["12345"], "unrecognized subcommand"),
    ] {
        let mut full = vec!["--base-url", uri.as_str(), "--token", "t"];
        full.extend(args);
        let run = env.run_async(full).await;
        run.assert_code(2);
        assert!(run.stderr.contains(hint), "{}", run.describe());
        assert!(run.stdout.is_empty(), "{}", run.describe());
    }
    assert_eq!(request_count(&server).await, 0);
}
