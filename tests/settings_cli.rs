//! The config file and the settings at the edges, through the real binary: a file that cannot
//! be read stops every command before any call or write; unknown keys are named; values out
//! of range are refused with the range; `--demo` never touches the user's files; `--quiet`
//! prints nothing on success.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::*;

/// Every file under the XDG data, state and cache dirs, with its bytes: what a run wrote.
fn written(env: &TestEnv) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else {
                out.insert(path.clone(), std::fs::read(&path).unwrap_or_default());
            }
        }
    }
    let mut out = BTreeMap::new();
    for sub in ["data", "state", "cache", "config"] {
        walk(&env.root().join(sub), &mut out);
    }
    out
}

const BROKEN: &str = "[api]\nregion = \"cn\"\n[[watchlist]\nitem_id = \"7566200471448779514\"\n";

fn every_command() -> Vec<Vec<&'static str>> {
    vec![
        vec!["get", EXAMPLE_ID],
        vec!["get", "--json", EXAMPLE_ID],
        vec!["watch", "add", EXAMPLE_ID],
        vec!["watch", "remove", EXAMPLE_ID],
        vec!["watch", "label", EXAMPLE_ID, "x"],
        vec!["watch", "list"],
        vec!["watch", "refresh"],
        vec!["watch", "refresh", "--quiet"],
        vec!["history", EXAMPLE_ID],
        vec!["history", "prune", "--keep-days", "1"],
        vec!["export"],
        vec!["export", "--format", "json"],
    ]
}

#[tokio::test(flavor = "multi_thread")]
async fn a_config_that_does_not_parse_stops_every_command_before_any_call_or_write() {
    let server = server_ok().await;
    let env = TestEnv::new();
    let config = env.write_file(&env.default_config_path(), BROKEN);
    let before = written(&env);
    for args in every_command() {
        let run = env.run_async(api_args(&server.uri(), &args)).await;
        run.assert_code(2);
        let place = format!("{}:3:13", config.display());
        assert!(
            run.stderr.contains(&place),
            "`{}` must name {place}\n{}",
            args.join(" "),
            run.describe()
        );
        assert!(
            run.stderr.contains("nothing was called or written"),
            "{}",
            run.describe()
        );
        assert_eq!(run.stdout, "", "{}", run.describe());
        assert_eq!(
            written(&env),
            before,
            "`{}` wrote a file\n{}",
            args.join(" "),
            run.describe()
        );
    }
    assert_eq!(request_count(&server).await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_config_that_cannot_be_read_stops_every_command() {
    let server = server_ok().await;
    let env = TestEnv::new();
    // A directory where the file should be: unreadable even for root.
    std::fs::create_dir_all(env.default_config_path()).unwrap();
    for args in every_command() {
        let run = env.run_async(api_args(&server.uri(), &args)).await;
        run.assert_code(2);
        assert!(
            run.stderr.contains("cannot read"),
            "`{}`\n{}",
            args.join(" "),
            run.describe()
        );
    }
    assert_eq!(request_count(&server).await, 0);
    assert!(written(&env).is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_value_of_the_wrong_type_or_out_of_range_is_a_config_error() {
    let server = server_ok().await;
    for (text, expected) in [
        (
            "[watch]\ncache_minutes = 9223372036854775807\n",
            ":2:17: [watch] cache_minutes must be from 0 to 10080 (7 days)",
        ),
        (
            "[watch]\nrefresh_interval = \"99999999999999d\"\n",
            ":2:20: [watch] refresh_interval must be from 5m to 7d",
        ),
        (
            "[api]\ntimeout = 0\n",
            ":2:11: [api] timeout must be from 1 to 3600 seconds",
        ),
        (
            "[watch]\nconcurrency = 500\n",
            ":2:15: [watch] concurrency must be from 1 to 64",
        ),
        (
            "[history]\nkeep_days = 0\n",
            ":2:13: [history] keep_days must be from 1 to 36500",
        ),
    ] {
        let env = TestEnv::new();
        env.write_file(&env.default_config_path(), text);
        let run = env
            .run_async(api_args(&server.uri(), &["get", EXAMPLE_ID]))
            .await;
        run.assert_code(2);
        assert!(run.stderr.contains(expected), "{text}\n{}", run.describe());
        assert!(!run.stderr.contains("panicked"), "{}", run.describe());
    }
    assert_eq!(request_count(&server).await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn timeout_flag_states_its_range_correctly() {
    let env = TestEnv::new();
    for bad in ["0", "-1", "3601", "NaN", "inf"] {
        let flag = format!("--timeout={bad}");
        let run = env
            .run_async(api_args("http://127.0.0.1:9", &[&flag, "get", EXAMPLE_ID]))
            .await;
        run.assert_code(2);
        assert!(
            run.stderr.contains("above 0 and at most 3600"),
            "{bad}\n{}",
            run.describe()
        );
        assert!(!run.stderr.contains("between 0"), "{}", run.describe());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_misspelt_token_key_is_named_with_the_nearest_known_key() {
    let env = TestEnv::new();
    let config = env.write_file(
        &env.default_config_path(),
        &format!("[api]\n# mine\ntokn = \"{TOKEN}\"\n\n[[watchlist]]\nitem_id = \"{EXAMPLE_ID}\"\nlable = \"x\"\n"),
    );
    let run = env.run_async(["get", EXAMPLE_ID]).await;
    run.assert_code(2);
    let path = config.display();
    assert!(
        run.stderr.contains(&format!(
            "warning: unknown key `tokn` in [api] of {path}:3:1; did you mean `token`?"
        )),
        "{}",
        run.describe()
    );
    assert!(
        run.stderr.contains(&format!(
            "warning: unknown key `lable` in [[watchlist]] entry 1 of {path}:7:1; did you mean `label`?"
        )),
        "{}",
        run.describe()
    );
    assert!(run.stderr.contains("no API token"), "{}", run.describe());
}

#[tokio::test(flavor = "multi_thread")]
async fn demo_commands_never_touch_the_users_files() {
    let env = TestEnv::new();
    let watched = "7566200471448700001";
    let config = env.write_file(
        &env.default_config_path(),
        &format!("# mine\n[[watchlist]]\nitem_id = \"{watched}\"\nlabel = \"real\"\n"),
    );
    let before = written(&env);
    for args in [
        ["watch", "add", EXAMPLE_ID].as_slice(),
        &["watch", "remove", watched],
        &["watch", "label", watched, "x"],
        &["history", "prune", "--keep-days", "1"],
    ] {
        let mut all = vec!["--demo"];
        all.extend_from_slice(args);
        let run = env.run_async(&all).await;
        run.assert_code(2);
        assert!(run.stderr.contains("--demo"), "{}", run.describe());
    }
    let run = env.run_async(["--demo", "watch", "list", "--json"]).await;
    run.assert_code(0);
    let ids: Vec<String> = run
        .json_lines()
        .iter()
        .map(|l| l["item_id"].as_str().unwrap().to_owned())
        .collect();
    assert!(ids.contains(&EXAMPLE_ID.to_owned()), "{}", run.describe());
    assert!(!ids.contains(&watched.to_owned()), "{}", run.describe());
    assert!(
        run.json_lines().iter().all(|l| l["latest"].is_object()),
        "the demo list shows demo figures\n{}",
        run.describe()
    );

    let run = env
        .run_async(["--demo", "watch", "refresh", "--json"])
        .await;
    run.assert_code(0);
    let lines = run.json_lines();
    assert_eq!(lines.len(), ids.len(), "{}", run.describe());
    assert!(lines.iter().all(|l| l["ok"] == true), "{}", run.describe());

    let run = env
        .run_async(["--demo", "history", EXAMPLE_ID, "--json"])
        .await;
    run.assert_code(0);
    assert!(run.json_lines().len() > 1, "{}", run.describe());
    let run = env.run_async(["--demo", "history", watched]).await;
    run.assert_code(0);

    let run = env
        .run_async(["--demo", "export", "--format", "json"])
        .await;
    run.assert_code(0);
    assert!(run.stdout.contains(EXAMPLE_ID), "{}", run.describe());
    assert!(!run.stdout.contains(watched), "{}", run.describe());

    let run = env.run_async(["--demo", "get", EXAMPLE_ID]).await;
    run.assert_code(0);

    assert_eq!(written(&env), before, "a demo command wrote a file");
    assert_eq!(std::fs::read(&config).unwrap(), before[&config]);
}

#[tokio::test(flavor = "multi_thread")]
async fn demo_goes_on_with_a_broken_config_and_says_so() {
    let env = TestEnv::new();
    let config = env.write_file(&env.default_config_path(), BROKEN);
    let before = written(&env);
    let run = env.run_async(["--demo", "get", EXAMPLE_ID]).await;
    run.assert_code(0);
    assert!(
        run.stderr.contains(&format!("{}:3:13", config.display())),
        "{}",
        run.describe()
    );
    assert!(
        run.stderr.contains("demo mode goes on without it"),
        "{}",
        run.describe()
    );
    assert_eq!(written(&env), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn quiet_refresh_prints_nothing_and_logs_the_plain_http_warning() {
    let env = TestEnv::new();
    env.write_file(
        &env.default_config_path(),
        &format!("[api]\nbase_url = \"http://example.invalid\"\ntoken = \"{TOKEN}\"\n[ui]\nmose = false\n"),
    );
    let run = env.run_async(["watch", "refresh", "--quiet"]).await;
    run.assert_code(0);
    assert_eq!(run.stdout, "", "{}", run.describe());
    assert_eq!(run.stderr, "", "{}", run.describe());
    let log = std::fs::read_to_string(
        env.root()
            .join("state")
            .join("xingtu-dash")
            .join("xingtu-dash.log"),
    )
    .unwrap_or_default();
    assert!(
        log.contains("plain HTTP"),
        "the warning goes to the log: {log}"
    );
    assert!(log.contains("unknown key `mose`"), "{log}");
    assert!(!log.contains(TOKEN));
    // Without --quiet the warning is printed.
    let run = env.run_async(["watch", "refresh"]).await;
    assert!(run.stderr.contains("plain HTTP"), "{}", run.describe());
}

#[tokio::test(flavor = "multi_thread")]
async fn times_are_local_and_tz_changes_them() {
    // The example video was published at 2025-10-28T10:43:xxZ.
    for (tz, shown) in [
        ("UTC", "Published  2025-10-28 10:43"),
        ("Asia/Shanghai", "Published  2025-10-28 18:43"),
        ("CST-8", "Published  2025-10-28 18:43"),
    ] {
        let env = TestEnv::new().with_var("TZ", tz);
        let run = env.run_async(["--demo", "get", EXAMPLE_ID]).await;
        run.assert_code(0);
        assert!(run.stdout.contains(shown), "TZ={tz}\n{}", run.describe());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_huge_retry_base_is_bounded_not_a_panic() {
    let server = server_answering(json_response(200, &envelope_for_code(100, "bad token"))).await;
    let env = TestEnv::new().with_var("XINGTU_DASH_RETRY_BASE_MS", "18446744073709551615");
    let run = env
        .run_async(api_args(&server.uri(), &["get", EXAMPLE_ID]))
        .await;
    run.assert_code(1);
    assert!(!run.stderr.contains("panicked"), "{}", run.describe());
}

#[test]
fn messages_follow_the_locale_and_lang_overrides_it() {
    let env = TestEnv::new().with_var("LANG", "zh_CN.UTF-8");
    env.write_file(&env.default_config_path(), BROKEN);
    let zh = env.run(["balance"]);
    zh.assert_code(2);
    assert!(
        zh.stderr.starts_with("错误：") && zh.stderr.contains("未发起任何调用"),
        "{}",
        zh.describe()
    );
    // The fixed text around the file's place is translated, the place is not.
    assert!(zh.stderr.contains(":3:13：") && zh.stderr.contains("请手动修改该文件"));
    let en = env.run(["--lang", "en", "balance"]);
    en.assert_code(2);
    assert!(
        en.stderr.starts_with("error: ") && en.stderr.contains("nothing was called or written"),
        "{}",
        en.describe()
    );
    // LC_ALL outranks LANG, as POSIX says.
    let c = env.run_cmd({
        let mut cmd = env.cmd(["balance"]);
        cmd.env("LC_ALL", "C");
        cmd
    });
    assert!(c.stderr.starts_with("error: "), "{}", c.describe());
}

#[test]
fn lang_and_the_language_key_accept_only_zh_and_en() {
    let env = TestEnv::new();
    let flag = env.run(["--lang", "fr", "balance"]);
    flag.assert_code(2);
    assert!(flag.stderr.contains("--lang"), "{}", flag.describe());
    env.write_file(&env.default_config_path(), "[ui]\nlanguage = \"fr\"\n");
    let key = env.run(["balance"]);
    key.assert_code(2);
    assert!(
        key.stderr
            .contains("[ui] language must be \"zh\" or \"en\""),
        "{}",
        key.describe()
    );
}

#[test]
fn the_language_key_is_used_when_no_flag_says_otherwise() {
    let env = TestEnv::new();
    env.write_file(&env.default_config_path(), "[ui]\nlanguage = \"zh\"\n");
    // The config's own warnings are written in the language it names.
    env.write_file(
        &env.default_config_path(),
        "[ui]\nlanguage = \"zh\"\n[api]\ntokn = \"x\"\n",
    );
    let warned = env.run(["watch", "list"]);
    assert!(
        warned.stderr.contains("警告：") && warned.stderr.contains("是不是想写 `token`"),
        "{}",
        warned.describe()
    );
    env.write_file(&env.default_config_path(), "[ui]\nlanguage = \"zh\"\n");
    let added = env.run(["watch", "add", "7312345678901234567", "7312345678901234568"]);
    added.assert_code(0);
    assert!(
        added.stdout.contains("中添加 2 个视频"),
        "{}",
        added.describe()
    );
}

#[test]
fn clap_help_stays_english_and_mentions_lang() {
    let env = TestEnv::new().with_var("LANG", "zh_CN.UTF-8");
    let run = env.run(["--help"]);
    run.assert_code(0);
    assert!(run.stdout.contains("--lang <LANG>"), "{}", run.describe());
    assert!(run.stdout.contains("Usage:"), "{}", run.describe());
    assert!(!run.stdout.contains("用法"), "{}", run.describe());
}
