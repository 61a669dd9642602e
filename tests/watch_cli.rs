//! Integration tests for `xingtu-dash watch add|remove|label|list|refresh`: the binary run as a
//! child process with an isolated HOME/XDG tree, against a mock of Just One API on loopback.
//! Only `refresh` may call the API; every other subcommand is checked to make no request.
//! Every run's stdout and stderr are checked for the token (see `common::TestEnv::run_cmd`).

mod common;

use std::path::Path;
use std::time::Duration;

use common::*;
use serde_json::{Value, json};
use wiremock::MockServer;
use wiremock::matchers::query_param;

const VIDEO_LINK: &str = "https://www.douyin.com/video/7566200471448779514";
const SHARE_LINK: &str = "https://www.iesdouyin.com/share/video/7566200471448779514/?region=CN&mid=7566200535087450931&u_code=19f5hj09f&with_sec_did=1&titleType=title&share_version=260800&ts=1773063688&from_aid=1128&from_ssr=1";
const MODAL_LINK: &str = "https://www.douyin.com/discover?modal_id=7566200471448779514";
const AWEME_LINK: &str = "https://www.douyin.com/share?aweme_id=7566200471448779514";
/// Chinese text and an emoji (with a variation selector), as a label.
const FANCY_LABEL: &str = "理想L6 发布会 🚗❄️ 第一周";

// ---------------------------------------------------------------------------------------------
// Helpers local to this file
// ---------------------------------------------------------------------------------------------

async fn server_with_code(code: i64) -> MockServer {
    server_answering(json_response(200, &envelope_for_code(code, "test"))).await
}

/// `--base-url BASE --token TOKEN watch ARGS...`
fn watch_args(base: &str, args: &[&str]) -> Vec<String> {
    let mut all = vec!["watch"];
    all.extend_from_slice(args);
    api_args(base, &all)
}

async fn watch(env: &TestEnv, server: &MockServer, args: &[&str]) -> Run {
    env.run_async(watch_args(&server.uri(), args)).await
}

fn read_bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

fn parse_toml(path: &Path) -> toml::Table {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    toml::from_str(&text)
        .unwrap_or_else(|e| panic!("{} does not parse as TOML: {e}\n{text}", path.display()))
}

/// The watchlist entries of a config file, as TOML tables.
fn watch_entries(path: &Path) -> Vec<toml::Table> {
    match parse_toml(path).get("watchlist") {
        None => Vec::new(),
        Some(toml::Value::Array(entries)) => entries
            .iter()
            .map(|e| e.as_table().expect("watchlist entry is a table").clone())
            .collect(),
        Some(other) => panic!("watchlist is not an array: {other:?}"),
    }
}

fn watched_ids(path: &Path) -> Vec<String> {
    watch_entries(path)
        .iter()
        .map(|e| {
            e.get("item_id")
                .and_then(toml::Value::as_str)
                .expect("item_id is a string")
                .to_owned()
        })
        .collect()
}

/// A config holding `[[watchlist]]` entries for `ids`, nothing else.
fn watchlist_toml(ids: &[String]) -> String {
    let mut text = String::new();
    for id in ids {
        text.push_str(&format!(
            "[[watchlist]]\nitem_id = \"{id}\"\nadded_at = 2026-11-20T08:15:02Z\n\n"
        ));
    }
    text
}

/// A fresh environment whose default config watches `ids`.
fn env_watching(ids: &[String]) -> TestEnv {
    let env = TestEnv::new();
    env.write_file(&env.default_config_path(), &watchlist_toml(ids));
    env
}

fn nonempty_lines(text: &str) -> Vec<&str> {
    text.lines().filter(|l| !l.trim().is_empty()).collect()
}

async fn assert_no_requests(server: &MockServer, run: &Run) {
    assert_eq!(
        request_count(server).await,
        0,
        "no call may be made\n{}",
        run.describe()
    );
}

// ---------------------------------------------------------------------------------------------
// watch add
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn add_accepts_links_and_stores_the_bare_id() {
    for link in [VIDEO_LINK, SHARE_LINK, MODAL_LINK, AWEME_LINK, EXAMPLE_ID] {
        let server = server_ok().await;
        let env = TestEnv::new();
        let run = watch(&env, &server, &["add", link]).await;
        run.assert_code(0);
        let config = env.default_config_path();
        assert_eq!(
            watched_ids(&config),
            vec![EXAMPLE_ID.to_owned()],
            "input {link}\n{}",
            run.describe()
        );
        let entry = &watch_entries(&config)[0];
        assert!(
            entry
                .get("added_at")
                .is_some_and(|v| matches!(v, toml::Value::Datetime(_))),
            "added_at must be a TOML date-time: {entry:?}"
        );
        assert_no_requests(&server, &run).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn add_duplicate_is_ignored_and_the_file_is_unchanged() {
    let server = server_ok().await;
    let env = TestEnv::new();
    watch(&env, &server, &["add", EXAMPLE_ID, "--label", "first"])
        .await
        .assert_code(0);
    let config = env.default_config_path();
    let before = read_bytes(&config);
    // The same id again, as an id, as a link, with another label.
    for args in [
        vec!["add", EXAMPLE_ID],
        vec!["add", VIDEO_LINK],
        vec!["add", SHARE_LINK, "--label", "second"],
    ] {
        let run = watch(&env, &server, &args).await;
        run.assert_code(0);
        assert_eq!(
            read_bytes(&config),
            before,
            "a duplicate add must leave the file byte-for-byte unchanged\n{}",
            run.describe()
        );
    }
    assert_eq!(watched_ids(&config), vec![EXAMPLE_ID.to_owned()]);
    assert_eq!(
        watch_entries(&config)[0].get("label"),
        Some(&toml::Value::String("first".into()))
    );
    assert_eq!(request_count(&server).await, 0, "no call may be made");
}

#[tokio::test(flavor = "multi_thread")]
async fn add_junk_is_rejected_and_no_file_is_created() {
    let server = server_ok().await;
    let env = TestEnv::new();
    for junk in [
        "hello",
        "12345",
        "https://www.douyin.com/user/MS4wLjABAAAA",
        "",
    ] {
        let run = watch(&env, &server, &["add", junk]).await;
        run.assert_code(2);
        assert!(
            !run.stderr.trim().is_empty(),
            "a rejection must say why\n{}",
            run.describe()
        );
        assert!(
            !env.default_config_path().exists(),
            "junk {junk:?} must not create the config file\n{}",
            run.describe()
        );
    }
    assert_eq!(request_count(&server).await, 0, "no call may be made");
}

#[tokio::test(flavor = "multi_thread")]
async fn add_junk_leaves_an_existing_file_unchanged() {
    let server = server_ok().await;
    let env = TestEnv::new();
    let config = env.write_file(
        &env.default_config_path(),
        "# mine\n[[watchlist]]\nitem_id = \"7566200471448779514\"\n",
    );
    let before = read_bytes(&config);
    let run = watch(&env, &server, &["add", "not-a-video", "--label", "x"]).await;
    run.assert_code(2);
    assert_eq!(read_bytes(&config), before, "{}", run.describe());
    assert_no_requests(&server, &run).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn add_with_a_label_stores_it() {
    let server = server_ok().await;
    let env = TestEnv::new();
    let run = watch(&env, &server, &["add", VIDEO_LINK, "--label", FANCY_LABEL]).await;
    run.assert_code(0);
    let entries = watch_entries(&env.default_config_path());
    assert_eq!(entries.len(), 1);
    assert_eq!(
        entries[0].get("label"),
        Some(&toml::Value::String(FANCY_LABEL.into())),
        "{}",
        run.describe()
    );
    assert_no_requests(&server, &run).await;
}

// ---------------------------------------------------------------------------------------------
// watch remove
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn remove_takes_the_entry_out() {
    let server = server_ok().await;
    let env = TestEnv::new();
    let ids = distinct_ids(2);
    for id in &ids {
        watch(&env, &server, &["add", id]).await.assert_code(0);
    }
    let link = format!("https://www.douyin.com/video/{}", ids[0]);
    let run = watch(&env, &server, &["remove", &link]).await;
    run.assert_code(0);
    assert_eq!(
        watched_ids(&env.default_config_path()),
        vec![ids[1].clone()],
        "{}",
        run.describe()
    );
    // `rm` is an alias.
    let run = watch(&env, &server, &["rm", &ids[1]]).await;
    run.assert_code(0);
    assert!(watched_ids(&env.default_config_path()).is_empty());
    assert_no_requests(&server, &run).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn remove_of_an_absent_item_is_a_usage_error_with_a_message() {
    let server = server_ok().await;
    let env = TestEnv::new();
    // No file at all: nothing is created.
    let run = watch(&env, &server, &["remove", EXAMPLE_ID]).await;
    run.assert_code(2);
    assert!(
        run.stderr.contains("not in the watchlist"),
        "{}",
        run.describe()
    );
    assert!(!env.default_config_path().exists(), "{}", run.describe());

    // A file holding another id: unchanged.
    let other = &distinct_ids(1)[0];
    watch(&env, &server, &["add", other]).await.assert_code(0);
    let before = read_bytes(&env.default_config_path());
    let run = watch(&env, &server, &["remove", EXAMPLE_ID]).await;
    run.assert_code(2);
    assert!(run.stderr.contains(EXAMPLE_ID), "{}", run.describe());
    assert_eq!(read_bytes(&env.default_config_path()), before);
    assert_no_requests(&server, &run).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn remove_of_junk_is_a_usage_error() {
    let server = server_ok().await;
    let env = TestEnv::new();
    let run = watch(&env, &server, &["remove", "junk"]).await;
    run.assert_code(2);
    assert_no_requests(&server, &run).await;
}

// ---------------------------------------------------------------------------------------------
// watch label
// ---------------------------------------------------------------------------------------------

async fn listed_label(env: &TestEnv, server: &MockServer, id: &str) -> Value {
    let run = watch(env, server, &["list", "--json"]).await;
    run.assert_code(0);
    let lines = run.json_lines();
    let line = lines
        .iter()
        .find(|l| l["item_id"] == json!(id))
        .unwrap_or_else(|| panic!("{id} not listed\n{}", run.describe()));
    line["label"].clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn label_round_trips_chinese_and_emoji_and_empty_clears_it() {
    let server = server_ok().await;
    let env = TestEnv::new();
    watch(&env, &server, &["add", EXAMPLE_ID])
        .await
        .assert_code(0);

    let run = watch(&env, &server, &["label", VIDEO_LINK, FANCY_LABEL]).await;
    run.assert_code(0);
    assert_eq!(
        listed_label(&env, &server, EXAMPLE_ID).await,
        json!(FANCY_LABEL)
    );
    assert_eq!(
        watch_entries(&env.default_config_path())[0].get("label"),
        Some(&toml::Value::String(FANCY_LABEL.into()))
    );

    // Relabel: replaced, not duplicated.
    watch(&env, &server, &["label", EXAMPLE_ID, "第二个, \"引号\""])
        .await
        .assert_code(0);
    assert_eq!(
        listed_label(&env, &server, EXAMPLE_ID).await,
        json!("第二个, \"引号\"")
    );

    // Empty text clears.
    let run = watch(&env, &server, &["label", EXAMPLE_ID, ""]).await;
    run.assert_code(0);
    assert_eq!(
        listed_label(&env, &server, EXAMPLE_ID).await,
        Value::Null,
        "{}",
        run.describe()
    );
    let entry = &watch_entries(&env.default_config_path())[0];
    assert!(
        entry
            .get("label")
            .is_none_or(|l| l.as_str().is_some_and(str::is_empty)),
        "a cleared label must be gone (or empty): {entry:?}"
    );
    assert_no_requests(&server, &run).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn label_of_an_absent_item_is_a_usage_error() {
    let server = server_ok().await;
    let env = TestEnv::new();
    let other = &distinct_ids(1)[0];
    watch(&env, &server, &["add", other]).await.assert_code(0);
    let before = read_bytes(&env.default_config_path());
    let run = watch(&env, &server, &["label", EXAMPLE_ID, "x"]).await;
    run.assert_code(2);
    assert!(
        run.stderr.contains("not in the watchlist"),
        "{}",
        run.describe()
    );
    assert_eq!(read_bytes(&env.default_config_path()), before);
    assert_no_requests(&server, &run).await;
}

// ---------------------------------------------------------------------------------------------
// watch list
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn list_shows_ids_and_labels() {
    let server = server_ok().await;
    let env = TestEnv::new();
    let ids = distinct_ids(3);
    watch(&env, &server, &["add", &ids[0], "--label", "理想L6"])
        .await
        .assert_code(0);
    watch(&env, &server, &["add", &ids[1]]).await.assert_code(0);
    watch(&env, &server, &["add", &ids[2], "--label", "秋冬 🧥"])
        .await
        .assert_code(0);
    let run = watch(&env, &server, &["list"]).await;
    run.assert_code(0);
    for id in &ids {
        assert!(run.stdout.contains(id.as_str()), "{}", run.describe());
    }
    assert!(run.stdout.contains("理想L6"), "{}", run.describe());
    assert!(run.stdout.contains("秋冬"), "{}", run.describe());
    assert!(run.stdout.contains("never"), "{}", run.describe());
    // One line per item, in file order, after the header.
    let positions: Vec<usize> = ids.iter().map(|id| run.stdout.find(id).unwrap()).collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "{}",
        run.describe()
    );
    assert_no_requests(&server, &run).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn list_json_prints_one_object_per_item() {
    let server = server_ok().await;
    let env = TestEnv::new();
    let ids = distinct_ids(3);
    watch(&env, &server, &["add", &ids[0], "--label", FANCY_LABEL])
        .await
        .assert_code(0);
    watch(&env, &server, &["add", &ids[1]]).await.assert_code(0);
    watch(&env, &server, &["add", &ids[2]]).await.assert_code(0);
    let run = watch(&env, &server, &["list", "--json"]).await;
    run.assert_code(0);
    let lines = run.json_lines();
    assert_eq!(lines.len(), 3, "{}", run.describe());
    assert_eq!(
        nonempty_lines(&run.stdout).len(),
        3,
        "one object per line\n{}",
        run.describe()
    );
    for (line, id) in lines.iter().zip(&ids) {
        assert_eq!(line["item_id"], json!(id), "{}", run.describe());
        let keys: Vec<&str> = line
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "item_id", "label", "added_at", "latest", "campaign", "price", "cpm", "cpe",
                "settled"
            ],
            "README's order"
        );
        let added = line["added_at"]
            .as_str()
            .unwrap_or_else(|| panic!("added_at must be a string\n{}", run.describe()));
        chrono::DateTime::parse_from_rfc3339(added)
            .unwrap_or_else(|e| panic!("added_at {added:?} is not RFC 3339: {e}"));
        assert!(line.get("label").is_some(), "label key\n{}", run.describe());
    }
    assert_eq!(lines[0]["label"], json!(FANCY_LABEL));
    assert_eq!(lines[1]["label"], Value::Null);
    assert_eq!(lines[1]["campaign"], Value::Null);
    assert_eq!(lines[1]["price"], Value::Null);
    assert_no_requests(&server, &run).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn list_of_an_empty_watchlist_says_so() {
    let server = server_ok().await;
    let env = TestEnv::new();
    let run = watch(&env, &server, &["list"]).await;
    run.assert_code(0);
    assert!(run.stdout.contains("empty"), "{}", run.describe());
    let run = watch(&env, &server, &["list", "--json"]).await;
    run.assert_code(0);
    assert!(run.json_lines().is_empty(), "{}", run.describe());
    assert!(!env.default_config_path().exists());
    assert_no_requests(&server, &run).await;
}

// ---------------------------------------------------------------------------------------------
// A hand-edited file survives the app's edits
// ---------------------------------------------------------------------------------------------

const HAND_EDITED: &str = r#"# My xingtu-dash config. Edited by hand; keep my notes!

[api]
# the token lives in a password manager; this one is for the test
base_url = "https://api.justoneapi.com"   # default
timeout = 90
future_option = { nested = true, list = [1, 2, 3] }

[ui]
number_style = "cn"
mouse = false

# Campaign: autumn launch
[[watchlist]]
item_id = "7566200471448779514"
label = "理想L6 launch"        # the hero video
added_at = 2026-11-20T08:15:02Z
priority = "high"              # not a key the app knows

[[watchlist]]
# a second one, added in a hurry
item_id = "7566200471448700001"

[history]
keep_days = 90


[unknown_table]
whatever = "stays"
"quoted key" = 'literal'
multi = """
two
lines"""

# trailing comment
"#;

#[tokio::test(flavor = "multi_thread")]
async fn hand_edited_file_is_byte_identical_after_add_then_remove() {
    let server = server_ok().await;
    let env = TestEnv::new();
    let config = env.write_file(&env.default_config_path(), HAND_EDITED);
    let new_id = "7566200471448799999";

    let run = watch(&env, &server, &["add", new_id, "--label", "新的"]).await;
    run.assert_code(0);
    let after_add = std::fs::read_to_string(&config).unwrap();
    // Everything that was there is still there, in order, and the new entry was added.
    for keep in [
        "# My xingtu-dash config. Edited by hand; keep my notes!",
        "# the token lives in a password manager; this one is for the test",
        "base_url = \"https://api.justoneapi.com\"   # default",
        "future_option = { nested = true, list = [1, 2, 3] }",
        "label = \"理想L6 launch\"        # the hero video",
        "priority = \"high\"              # not a key the app knows",
        "# a second one, added in a hurry",
        "[unknown_table]",
        "\"quoted key\" = 'literal'",
        "# trailing comment",
    ] {
        assert!(
            after_add.contains(keep),
            "`watch add` lost {keep:?}\n--- file:\n{after_add}"
        );
    }
    assert_eq!(
        watched_ids(&config),
        vec![
            EXAMPLE_ID.to_owned(),
            "7566200471448700001".to_owned(),
            new_id.to_owned()
        ],
        "--- file:\n{after_add}"
    );

    let run = watch(&env, &server, &["remove", new_id]).await;
    run.assert_code(0);
    let after_remove = std::fs::read_to_string(&config).unwrap();
    assert_eq!(
        after_remove, HAND_EDITED,
        "add then remove of the same id must give back the original bytes"
    );
    assert_no_requests(&server, &run).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn hand_edited_file_keeps_comments_and_unknown_keys_through_label_and_remove() {
    let server = server_ok().await;
    let env = TestEnv::new();
    let config = env.write_file(&env.default_config_path(), HAND_EDITED);
    watch(&env, &server, &["label", "7566200471448700001", "second"])
        .await
        .assert_code(0);
    watch(&env, &server, &["remove", EXAMPLE_ID])
        .await
        .assert_code(0);
    let text = std::fs::read_to_string(&config).unwrap();
    for keep in [
        "# My xingtu-dash config. Edited by hand; keep my notes!",
        "future_option = { nested = true, list = [1, 2, 3] }",
        "# a second one, added in a hurry",
        "[unknown_table]",
        "multi = \"\"\"\ntwo\nlines\"\"\"",
        "keep_days = 90",
        "# trailing comment",
    ] {
        assert!(text.contains(keep), "lost {keep:?}\n--- file:\n{text}");
    }
    assert_eq!(
        watched_ids(&config),
        vec!["7566200471448700001".to_owned()],
        "{text}"
    );
    assert!(!text.contains("the hero video"), "{text}");
    assert!(!text.contains("priority"), "{text}");
}

// ---------------------------------------------------------------------------------------------
// A config file that does not parse is never written
// ---------------------------------------------------------------------------------------------

const CORRUPT: &str = "# hand-edited\n[[watchlist]\nitem_id = \n";

fn assert_names_line_and_column(run: &Run) {
    assert!(
        run.stderr.contains("config.toml:2:13: "),
        "stderr must name the file, line and column of the error (2:13: the end of \
         `[[watchlist]`)\n{}",
        run.describe()
    );
    run.assert_code(2);
}

#[tokio::test(flavor = "multi_thread")]
async fn corrupt_config_is_reported_with_line_and_column_and_never_written() {
    let server = server_ok().await;
    let env = TestEnv::new();
    let config = env.write_file(&env.default_config_path(), CORRUPT);
    let before = read_bytes(&config);

    for args in [
        vec!["add", EXAMPLE_ID],
        vec!["add", EXAMPLE_ID, "--label", "x"],
        vec!["remove", EXAMPLE_ID],
        vec!["label", EXAMPLE_ID, "x"],
    ] {
        let run = watch(&env, &server, &args).await;
        assert!(
            matches!(run.code, Some(c) if c != 0),
            "`watch {}` on a corrupt config must fail\n{}",
            args.join(" "),
            run.describe()
        );
        assert_names_line_and_column(&run);
        assert_eq!(
            read_bytes(&config),
            before,
            "`watch {}` changed a corrupt config\n{}",
            args.join(" "),
            run.describe()
        );
    }

    for json_flag in [false, true] {
        let mut args = vec!["list"];
        if json_flag {
            args.push("--json");
        }
        let run = watch(&env, &server, &args).await;
        assert!(
            matches!(run.code, Some(c) if c != 0),
            "`watch list` must report a corrupt config\n{}",
            run.describe()
        );
        assert_names_line_and_column(&run);
    }

    let run = watch(&env, &server, &["refresh"]).await;
    assert!(
        matches!(run.code, Some(c) if c != 0),
        "`watch refresh` must report a corrupt config\n{}",
        run.describe()
    );
    assert_names_line_and_column(&run);
    assert_eq!(read_bytes(&config), before);
    assert_no_requests(&server, &run).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn refresh_quiet_with_a_corrupt_config_prints_one_line() {
    // Cron: "one line on stderr with a non-zero exit status on failure".
    let server = server_ok().await;
    let env = TestEnv::new();
    env.write_file(&env.default_config_path(), CORRUPT);
    let run = watch(&env, &server, &["refresh", "--quiet"]).await;
    assert!(matches!(run.code, Some(c) if c != 0), "{}", run.describe());
    assert_eq!(run.stdout, "", "{}", run.describe());
    assert_names_line_and_column(&run);
    assert_eq!(
        nonempty_lines(&run.stderr).len(),
        1,
        "`watch refresh --quiet` must print exactly one line on stderr on failure\n{}",
        run.describe()
    );
    assert_no_requests(&server, &run).await;
}

// ---------------------------------------------------------------------------------------------
// File modes
// ---------------------------------------------------------------------------------------------

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn config_created_by_add_is_private() {
    let server = server_ok().await;
    let env = TestEnv::new();
    let run = watch(&env, &server, &["add", EXAMPLE_ID]).await;
    run.assert_code(0);
    assert_eq!(
        file_mode(&env.default_config_path()),
        0o600,
        "{}",
        run.describe()
    );
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn token_bearing_config_readable_by_others_warns_and_add_makes_it_private() {
    let env = TestEnv::new();
    let config = env.write_file(
        &env.default_config_path(),
        &format!("[api]\ntoken = \"{TOKEN}\"\n"),
    );
    set_file_mode(&config, 0o644);

    // Any command warns, naming the fix.
    for args in [
        vec!["watch", "list"],
        vec!["watch", "list", "--json"],
        vec!["export"],
        vec!["history", EXAMPLE_ID],
    ] {
        let run = env.run(&args);
        assert!(
            run.stderr.contains("chmod"),
            "`{}` must warn about a token file readable by others\n{}",
            args.join(" "),
            run.describe()
        );
        assert_eq!(file_mode(&config), 0o644, "a read-only command chmodded");
    }

    let run = env.run(["watch", "add", EXAMPLE_ID]);
    run.assert_code(0);
    assert!(run.stderr.contains("chmod"), "{}", run.describe());
    assert_eq!(
        file_mode(&config),
        0o600,
        "`watch add` must leave a token-bearing config private\n{}",
        run.describe()
    );
    let table = parse_toml(&config);
    assert_eq!(
        table["api"]["token"].as_str(),
        Some(TOKEN),
        "the token must survive the edit"
    );
    assert_eq!(watched_ids(&config), vec![EXAMPLE_ID.to_owned()]);

    // Private now: no more warning.
    let run = env.run(["watch", "list"]);
    run.assert_code(0);
    assert!(!run.stderr.contains("chmod"), "{}", run.describe());
}

// ---------------------------------------------------------------------------------------------
// Concurrent writers
// ---------------------------------------------------------------------------------------------

#[test]
fn concurrent_adds_lose_nothing() {
    let env = TestEnv::new();
    let config = env.default_config_path();
    let ids = distinct_ids(24);
    for (round, chunk) in ids.chunks(8).enumerate() {
        let cmds = chunk
            .iter()
            .map(|id| env.cmd(["watch", "add", id.as_str()]))
            .collect();
        let runs = env.run_all_at_once(cmds);
        for run in &runs {
            run.assert_code(0);
        }
        let mut stored = watched_ids(&config);
        let expected_len = 8 * (round + 1);
        assert_eq!(
            stored.len(),
            expected_len,
            "round {}: every add must be kept\n--- file:\n{}",
            round + 1,
            std::fs::read_to_string(&config).unwrap()
        );
        stored.sort();
        let mut expected: Vec<String> = ids[..expected_len].to_vec();
        expected.sort();
        assert_eq!(stored, expected, "round {}", round + 1);
        #[cfg(unix)]
        assert_eq!(file_mode(&config), 0o600);
    }
}

#[test]
fn concurrent_add_and_remove_lose_nothing() {
    let env = TestEnv::new();
    let config = env.default_config_path();
    let ids = distinct_ids(8);
    env.write_file(&config, &watchlist_toml(&ids[..4]));
    // Remove the first four while adding the last four, all at once.
    let mut cmds: Vec<_> = ids[..4]
        .iter()
        .map(|id| env.cmd(["watch", "remove", id.as_str()]))
        .collect();
    cmds.extend(
        ids[4..]
            .iter()
            .map(|id| env.cmd(["watch", "add", id.as_str()])),
    );
    for run in env.run_all_at_once(cmds) {
        run.assert_code(0);
    }
    let mut stored = watched_ids(&config);
    stored.sort();
    assert_eq!(stored, ids[4..].to_vec());
}

// ---------------------------------------------------------------------------------------------
// watch refresh
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn refresh_fetches_each_item_once_then_uses_the_cache_until_forced() {
    let server = server_ok().await;
    let ids = distinct_ids(5);
    let env = env_watching(&ids);

    let run = watch(&env, &server, &["refresh", "--json"]).await;
    run.assert_code(0);
    let lines = run.json_lines();
    assert_eq!(lines.len(), 5, "{}", run.describe());
    for (line, id) in lines.iter().zip(&ids) {
        assert_eq!(line["item_id"], json!(id), "{}", run.describe());
        assert_eq!(line["ok"], json!(true), "{}", run.describe());
        assert_eq!(line["cached"], json!(false), "{}", run.describe());
        // The `get --json` shape.
        assert!(line["author"].is_object(), "{}", run.describe());
        assert!(line["video"].is_object(), "{}", run.describe());
        assert!(line["ratios"].is_object(), "{}", run.describe());
        assert_eq!(line["video"]["vv_cnt"], json!(45_275_627u64));
        assert!(line["fetched_at"].is_string(), "{}", run.describe());
    }
    assert_eq!(request_count(&server).await, 5, "{}", run.describe());
    for id in &ids {
        assert_eq!(request_count_for(&server, id).await, 1, "{id}");
    }

    // Within the cache window: no call.
    let run = watch(&env, &server, &["refresh", "--json"]).await;
    run.assert_code(0);
    let lines = run.json_lines();
    assert_eq!(lines.len(), 5, "{}", run.describe());
    for (line, id) in lines.iter().zip(&ids) {
        assert_eq!(line["item_id"], json!(id), "{}", run.describe());
        assert_eq!(line["ok"], json!(true), "{}", run.describe());
        assert_eq!(line["cached"], json!(true), "{}", run.describe());
    }
    assert_eq!(
        request_count(&server).await,
        5,
        "a refresh within the cache window must not call\n{}",
        run.describe()
    );

    // Forced: every item again.
    let run = watch(&env, &server, &["refresh", "--json", "--force"]).await;
    run.assert_code(0);
    let lines = run.json_lines();
    assert_eq!(lines.len(), 5, "{}", run.describe());
    assert!(lines.iter().all(|l| l["cached"] == json!(false)));
    assert_eq!(request_count(&server).await, 10, "{}", run.describe());
}

#[tokio::test(flavor = "multi_thread")]
async fn refresh_human_output_names_every_item() {
    let server = server_ok().await;
    let ids = distinct_ids(2);
    let env = env_watching(&ids);
    let run = watch(&env, &server, &["refresh"]).await;
    run.assert_code(0);
    for id in &ids {
        assert!(run.stdout.contains(id.as_str()), "{}", run.describe());
    }
    assert_eq!(request_count(&server).await, 2);
    // Calls are counted, not claimed as billed (whether an error answer is billed is the
    // provider's business).
    assert!(
        run.stderr.contains("refreshed 2 items with 2 calls") && !run.stderr.contains("paid"),
        "{}",
        run.describe()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn refresh_quiet_prints_nothing_on_success() {
    let server = server_ok().await;
    let ids = distinct_ids(5);
    let env = env_watching(&ids);
    for args in [
        vec!["refresh", "--quiet"],
        vec!["refresh", "-q"],
        vec!["refresh", "--quiet", "--force"],
    ] {
        let run = watch(&env, &server, &args).await;
        run.assert_code(0);
        assert_eq!(run.stdout, "", "{}", run.describe());
        assert_eq!(run.stderr, "", "{}", run.describe());
    }
    assert_eq!(request_count(&server).await, 10);
}

async fn check_fatal_code_stops_after_one_call(quiet: bool) {
    check_code_stops_after_one_call(601, quiet).await;
}

async fn check_code_stops_after_one_call(code: i64, quiet: bool) {
    let server = server_with_code(code).await;
    let ids = distinct_ids(5);
    let env = env_watching(&ids);
    let mut args = vec!["refresh", "--concurrency", "1"];
    if quiet {
        args.push("--quiet");
    }
    let run = watch(&env, &server, &args).await;
    run.assert_code(1);
    assert_eq!(
        request_count(&server).await,
        1,
        "{code} must stop all calls at once\n{}",
        run.describe()
    );
    let mut lines = nonempty_lines(&run.stderr);
    if !quiet {
        // Interactive runs also show the estimate before and the spend after the batch.
        lines.retain(|l| !l.starts_with("about to call: ") && !l.starts_with("cost "));
    }
    assert_eq!(
        lines.len(),
        1,
        "stderr must hold exactly one line about the failure\n{}",
        run.describe()
    );
    assert!(lines[0].contains(&code.to_string()), "{}", run.describe());
    if quiet {
        assert_eq!(run.stdout, "", "{}", run.describe());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn refresh_fatal_code_stops_after_one_call() {
    check_fatal_code_stops_after_one_call(false).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn refresh_stops_at_the_token_spending_cap() {
    check_code_stops_after_one_call(602, true).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn refresh_quiet_fatal_code_prints_one_line_on_stderr() {
    check_fatal_code_stops_after_one_call(true).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn refresh_fatal_code_json_reports_halted_items() {
    let server = server_with_code(601).await;
    let ids = distinct_ids(3);
    let env = env_watching(&ids);
    let run = watch(&env, &server, &["refresh", "--json", "--concurrency", "1"]).await;
    run.assert_code(1);
    let lines = run.json_lines();
    assert_eq!(lines.len(), 3, "{}", run.describe());
    assert_eq!(lines[0]["error"]["code"], json!(601), "{}", run.describe());
    assert_eq!(lines[0]["error"]["kind"], json!("insufficient_balance"));
    for line in &lines[1..] {
        assert_eq!(line["ok"], json!(false), "{}", run.describe());
        assert_eq!(line["error"]["kind"], json!("halted"), "{}", run.describe());
    }
    assert_eq!(request_count(&server).await, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn refresh_one_failure_does_not_stop_the_others() {
    let ids = distinct_ids(5);
    let bad = ids[2].clone();
    let server = MockServer::start().await;
    // Mounted first, so it wins for the bad id.
    endpoint()
        .and(query_param("itemId", bad.as_str()))
        .respond_with(json_response(400, &error_envelope("400")))
        .mount(&server)
        .await;
    endpoint().respond_with(ok_response()).mount(&server).await;
    let env = env_watching(&ids);

    let run = watch(&env, &server, &["refresh", "--json"]).await;
    run.assert_code(1);
    let lines = run.json_lines();
    assert_eq!(lines.len(), 5, "{}", run.describe());
    for (line, id) in lines.iter().zip(&ids) {
        assert_eq!(line["item_id"], json!(id), "{}", run.describe());
        if *id == bad {
            assert_eq!(line["ok"], json!(false), "{}", run.describe());
            assert_eq!(line["error"]["code"], json!(400), "{}", run.describe());
            assert_eq!(line["error"]["kind"], json!("invalid_params"));
        } else {
            assert_eq!(line["ok"], json!(true), "{}", run.describe());
        }
    }
    assert_eq!(request_count(&server).await, 5, "400 is not retried");
    assert_eq!(request_count_for(&server, &bad).await, 1);
    assert!(
        run.stderr.contains(bad.as_str()),
        "stderr should name the failed item\n{}",
        run.describe()
    );

    // Quiet: one line on stderr, nothing on stdout; the good ones come from the cache.
    let run = watch(&env, &server, &["refresh", "--quiet"]).await;
    run.assert_code(1);
    assert_eq!(run.stdout, "", "{}", run.describe());
    assert_eq!(nonempty_lines(&run.stderr).len(), 1, "{}", run.describe());
    assert_eq!(
        request_count(&server).await,
        6,
        "only the failed item is called again"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn refresh_of_an_empty_watchlist_exits_0_with_a_message() {
    let server = server_ok().await;
    // No config file at all.
    let env = TestEnv::new();
    let run = watch(&env, &server, &["refresh"]).await;
    run.assert_code(0);
    assert!(
        format!("{}{}", run.stdout, run.stderr).contains("empty"),
        "{}",
        run.describe()
    );
    // A config without a watchlist.
    env.write_file(&env.default_config_path(), "[ui]\nmouse = false\n");
    let run = watch(&env, &server, &["refresh"]).await;
    run.assert_code(0);
    assert!(
        format!("{}{}", run.stdout, run.stderr).contains("empty"),
        "{}",
        run.describe()
    );
    assert_no_requests(&server, &run).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn refresh_without_a_token_is_a_usage_error() {
    let server = server_ok().await;
    let env = env_watching(&distinct_ids(2));
    let run = env
        .run_async([
            "--base-url",
            server.uri().as_str(),
            "watch",
            "refresh",
            "--quiet",
        ])
        .await;
    run.assert_code(2);
    assert!(run.stderr.contains("token"), "{}", run.describe());
    assert_eq!(
        nonempty_lines(&run.stderr).len(),
        1,
        "--quiet: one line on stderr\n{}",
        run.describe()
    );
    assert_no_requests(&server, &run).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn refresh_honours_the_configured_concurrency() {
    let counting = CountingServer::start(Duration::from_millis(150)).await;
    let ids = distinct_ids(6);
    let env = TestEnv::new();
    env.write_file(
        &env.default_config_path(),
        &format!("[watch]\nconcurrency = 2\n\n{}", watchlist_toml(&ids)),
    );
    let run = env
        .run_async(watch_args(&counting.url, &["refresh", "--json"]))
        .await;
    run.assert_code(0);
    assert_eq!(run.json_lines().len(), 6, "{}", run.describe());
    assert_eq!(counting.total(), 6);
    assert_eq!(
        counting.max_in_flight(),
        2,
        "[watch] concurrency = 2 must bound (and allow) two calls in flight\n{}",
        run.describe()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn refresh_flag_concurrency_one_never_overlaps() {
    let counting = CountingServer::start(Duration::from_millis(60)).await;
    let ids = distinct_ids(4);
    let env = TestEnv::new();
    env.write_file(
        &env.default_config_path(),
        &format!("[watch]\nconcurrency = 4\n\n{}", watchlist_toml(&ids)),
    );
    let run = env
        .run_async(watch_args(
            &counting.url,
            &["refresh", "--quiet", "--concurrency", "1"],
        ))
        .await;
    run.assert_code(0);
    assert_eq!(counting.total(), 4);
    assert_eq!(counting.max_in_flight(), 1, "{}", run.describe());
}

// ---------------------------------------------------------------------------------------------
// campaign and price
// ---------------------------------------------------------------------------------------------

/// A hand-written config whose comments must come through every edit byte for byte.
const WITH_NOTES: &str = "# my notes: 秋季 campaign\n[[watchlist]]\nitem_id = \"7566200471448779514\"  # the hero\nlabel = \"理想\"\n";

#[tokio::test(flavor = "multi_thread")]
async fn add_many_with_campaign_and_price_writes_both_and_keeps_comments() {
    let server = server_ok().await;
    let env = TestEnv::new();
    let config = env.write_file(&env.default_config_path(), WITH_NOTES);
    let ids = distinct_ids(3);
    let mut args = vec!["add"];
    args.extend(ids.iter().map(String::as_str));
    args.extend(["--campaign", "双十一 预热", "--price", "¥1,200"]);
    let run = watch(&env, &server, &args).await;
    run.assert_code(0);
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(text.starts_with(WITH_NOTES), "--- file:\n{text}");
    let entries = watch_entries(&config);
    assert_eq!(entries.len(), 4, "{text}");
    for entry in &entries[1..] {
        assert_eq!(
            entry.get("campaign"),
            Some(&toml::Value::String("双十一 预热".into()))
        );
        assert_eq!(
            entry.get("price"),
            Some(&toml::Value::Integer(1200)),
            "{text}"
        );
    }
    assert_eq!(entries[0].get("campaign"), None);

    // An already watched item keeps its keys, says so, and the file is not rewritten.
    let before = read_bytes(&config);
    let run = watch(
        &env,
        &server,
        &["add", EXAMPLE_ID, "--campaign", "other", "--price", "5"],
    )
    .await;
    run.assert_code(0);
    assert!(
        run.stdout.contains("already in the watchlist"),
        "{}",
        run.describe()
    );
    assert_eq!(read_bytes(&config), before);

    let run = watch(
        &env,
        &server,
        &["add", "7566200471448779600", "--price", "99.90"],
    )
    .await;
    run.assert_code(0);
    let added = watch_entries(&config).pop().unwrap();
    assert_eq!(added.get("price"), Some(&toml::Value::Float(99.9)));
    assert_no_requests(&server, &run).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn set_changes_and_clears_keys_and_keeps_comments() {
    let server = server_ok().await;
    let env = TestEnv::new();
    let config = env.write_file(&env.default_config_path(), WITH_NOTES);
    let run = watch(
        &env,
        &server,
        &["set", VIDEO_LINK, "--campaign", "秋季", "--price", "3000"],
    )
    .await;
    run.assert_code(0);
    let entry = &watch_entries(&config)[0];
    assert_eq!(
        entry.get("campaign"),
        Some(&toml::Value::String("秋季".into()))
    );
    assert_eq!(entry.get("price"), Some(&toml::Value::Integer(3000)));
    assert_eq!(
        entry.get("label"),
        Some(&toml::Value::String("理想".into()))
    );

    let run = watch(
        &env,
        &server,
        &["set", EXAMPLE_ID, "--price", "2500.5", "--label", "新"],
    )
    .await;
    run.assert_code(0);
    let entry = &watch_entries(&config)[0];
    assert_eq!(entry.get("price"), Some(&toml::Value::Float(2500.5)));
    assert_eq!(entry.get("label"), Some(&toml::Value::String("新".into())));
    assert_eq!(
        entry.get("campaign"),
        Some(&toml::Value::String("秋季".into()))
    );

    let run = watch(
        &env,
        &server,
        &[
            "set",
            EXAMPLE_ID,
            "--campaign",
            "",
            "--price",
            "",
            "--label",
            "",
        ],
    )
    .await;
    run.assert_code(0);
    assert_eq!(
        std::fs::read_to_string(&config).unwrap(),
        "# my notes: 秋季 campaign\n[[watchlist]]\nitem_id = \"7566200471448779514\"  # the hero\n",
        "clearing every key leaves the entry and its comments\n{}",
        run.describe()
    );
    assert_no_requests(&server, &run).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn set_on_an_absent_item_or_without_keys_is_a_usage_error() {
    let server = server_ok().await;
    let env = TestEnv::new();
    let config = env.write_file(&env.default_config_path(), WITH_NOTES);
    for args in [
        vec!["set", "7566200471448700009", "--price", "10"],
        vec!["set", EXAMPLE_ID],
    ] {
        let run = watch(&env, &server, &args).await;
        run.assert_code(2);
        assert!(run.stderr.contains("error: "), "{}", run.describe());
        assert_eq!(std::fs::read_to_string(&config).unwrap(), WITH_NOTES);
    }
    assert_no_requests(&server, &watch(&env, &server, &["list"]).await).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_price_is_a_usage_error_and_writes_nothing() {
    let server = server_ok().await;
    let env = TestEnv::new();
    let config = env.write_file(&env.default_config_path(), WITH_NOTES);
    let list = env.write_file(&env.root().join("ids.txt"), "7566200471448700009\n");
    for price in ["12x", "-5", "1e3", "999999999999", "nan", "1,20"] {
        for args in [
            vec!["add", "7566200471448700009", "--price", price],
            vec!["set", EXAMPLE_ID, "--price", price],
            vec!["import", list.to_str().unwrap(), "--price", price],
        ] {
            let run = watch(&env, &server, &args).await;
            run.assert_code(2);
            assert!(run.stderr.contains("--price"), "{}", run.describe());
            assert_eq!(std::fs::read_to_string(&config).unwrap(), WITH_NOTES);
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn import_applies_campaign_and_price_to_every_added_row() {
    let server = server_ok().await;
    let env = TestEnv::new();
    let config = env.write_file(&env.default_config_path(), WITH_NOTES);
    let ids = distinct_ids(2);
    let list = env.write_file(
        &env.root().join("ids.csv"),
        &format!(
            "\u{feff}链接,备注\n{},一\n{},二\n{EXAMPLE_ID},旧\n",
            ids[0], ids[1]
        ),
    );
    let run = watch(
        &env,
        &server,
        &[
            "import",
            list.to_str().unwrap(),
            "--label-column",
            "备注",
            "--campaign",
            "年货节",
            "--price",
            "1,200.50元",
        ],
    )
    .await;
    run.assert_code(0);
    let entries = watch_entries(&config);
    assert_eq!(entries.len(), 3, "{}", run.describe());
    // The row that was watched already is left as it was.
    assert_eq!(entries[0].get("price"), None);
    for (entry, label) in entries[1..].iter().zip(["一", "二"]) {
        assert_eq!(entry.get("label"), Some(&toml::Value::String(label.into())));
        assert_eq!(
            entry.get("campaign"),
            Some(&toml::Value::String("年货节".into()))
        );
        assert_eq!(entry.get("price"), Some(&toml::Value::Float(1200.5)));
    }
    assert!(
        std::fs::read_to_string(&config)
            .unwrap()
            .starts_with(WITH_NOTES)
    );
    assert_no_requests(&server, &run).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_price_in_the_file_is_a_config_error_with_line_and_column() {
    let server = server_ok().await;
    for (value, says) in [
        ("-5", "-5 is out of range"),
        ("nan", "not nan or inf"),
        ("1e12", "out of range"),
        ("\"1200\"", "not a string"),
    ] {
        let env = TestEnv::new();
        let text = format!(
            "[[watchlist]]\nitem_id = \"{EXAMPLE_ID}\"\ncampaign = \"秋季\"\nprice = {value}\n"
        );
        let config = env.write_file(&env.default_config_path(), &text);
        for args in [vec!["list"], vec!["set", EXAMPLE_ID, "--price", "1"]] {
            let run = watch(&env, &server, &args).await;
            run.assert_code(2);
            assert!(
                run.stderr.contains("config.toml:4:9: price must") && run.stderr.contains(says),
                "{}",
                run.describe()
            );
            assert_eq!(std::fs::read_to_string(&config).unwrap(), text);
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn list_shows_campaign_and_price_when_any_entry_has_them() {
    let server = server_ok().await;
    let env = TestEnv::new();
    let ids = distinct_ids(2);
    let run = watch(&env, &server, &["list"]).await;
    run.assert_code(0);
    watch(&env, &server, &["add", &ids[0], "--label", FANCY_LABEL])
        .await
        .assert_code(0);
    let run = watch(&env, &server, &["list"]).await;
    assert!(
        !run.stdout.contains("CAMPAIGN") && !run.stdout.contains("PRICE"),
        "{}",
        run.describe()
    );

    watch(
        &env,
        &server,
        &[
            "add",
            &ids[1],
            "--campaign",
            "秋季发布会",
            "--price",
            "12000",
        ],
    )
    .await
    .assert_code(0);
    let run = watch(&env, &server, &["list"]).await;
    run.assert_code(0);
    let lines = nonempty_lines(&run.stdout);
    assert!(
        lines[0].contains("CAMPAIGN") && lines[0].contains("PRICE"),
        "{}",
        run.describe()
    );
    assert!(
        lines[2].contains("秋季发布会") && lines[2].contains("¥12,000"),
        "{}",
        run.describe()
    );
    // Columns line up in terminal cells, Chinese text included.
    let cells = |line: &str, needle: &str| {
        let at = line
            .find(needle)
            .unwrap_or_else(|| panic!("{needle} in {line}"));
        unicode_width::UnicodeWidthStr::width(&line[..at])
    };
    for row in &lines[1..] {
        assert_eq!(
            cells(row, "never"),
            cells(lines[0], "UPDATED"),
            "{}",
            run.describe()
        );
    }
    let end = |line: &str, needle: &str| {
        cells(line, needle) + unicode_width::UnicodeWidthStr::width(needle)
    };
    assert_eq!(
        end(lines[2], "¥12,000"),
        end(lines[0], "PRICE"),
        "{}",
        run.describe()
    );

    let run = watch(&env, &server, &["list", "--json"]).await;
    let json = run.json_lines();
    assert_eq!(json[0]["campaign"], Value::Null);
    assert_eq!(json[0]["price"], Value::Null);
    assert_eq!(json[1]["campaign"], json!("秋季发布会"));
    assert_eq!(json[1]["price"], json!(12000));
    assert_no_requests(&server, &run).await;
}
