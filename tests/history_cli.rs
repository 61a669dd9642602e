//! Integration tests for the metric history (`xingtu-dash history`, `history prune`) and
//! `xingtu-dash export`: snapshots written by `get` and `watch refresh`, read back as JSON Lines
//! and CSV, exported with the change since the previous snapshot, under concurrent writers and
//! with a damaged database. The binary runs as a child process with an isolated HOME/XDG tree
//! against a mock of Just One API on loopback; every run's stdout and stderr are checked for the
//! token (see `common::TestEnv::run_cmd`).

mod common;

use std::collections::HashMap;

use chrono::{DateTime, Duration as ChronoDuration, Utc};
use common::*;
use serde_json::{Value, json};
use wiremock::MockServer;
use wiremock::matchers::query_param;

/// A label with Chinese text, a comma, quotes and an emoji: the CSV writer has to quote it.
const TRICKY_LABEL: &str = "理想L6 \"发布会\", 第一周 🚗";

// ---------------------------------------------------------------------------------------------
// Helpers local to this file
// ---------------------------------------------------------------------------------------------

/// Answers the first `first_calls` calls with vv_cnt 1000 / like_cnt 100, every later one with
/// vv_cnt 1500 / like_cnt 150.
async fn server_scripted(first_calls: u64) -> MockServer {
    server_answering_first(
        first_calls,
        json_response(200, &example_envelope_with_counts(1000, 100)),
        json_response(200, &example_envelope_with_counts(1500, 150)),
    )
    .await
}

async fn run_api(env: &TestEnv, server: &MockServer, args: &[&str]) -> Run {
    env.run_async(api_args(&server.uri(), args)).await
}

/// `history ID --json`, checked to exit 0; the snapshot lines.
async fn history_json(env: &TestEnv, id: &str) -> Vec<Value> {
    let run = env.run_async(["history", id, "--json"]).await;
    run.assert_code(0);
    run.json_lines()
}

fn watchlist_toml(entries: &[(&str, Option<&str>)]) -> String {
    let mut text = String::new();
    for (id, label) in entries {
        text.push_str(&format!("[[watchlist]]\nitem_id = \"{id}\"\n"));
        if let Some(label) = label {
            text.push_str(&format!(
                "label = {}\n",
                toml::Value::String((*label).to_owned())
            ));
        }
        text.push_str("added_at = 2026-11-20T08:15:02Z\n\n");
    }
    text
}

fn rfc3339(value: &Value, what: &str) -> DateTime<Utc> {
    let s = value
        .as_str()
        .unwrap_or_else(|| panic!("{what} must be a string, got {value}"));
    DateTime::parse_from_rfc3339(s)
        .unwrap_or_else(|e| panic!("{what} {s:?} is not RFC 3339: {e}"))
        .with_timezone(&Utc)
}

/// Checks the shape of one `history --json` line.
fn assert_snapshot_shape(line: &Value, id: &str) {
    assert_eq!(line["item_id"], json!(id), "{line}");
    rfc3339(&line["fetched_at"], "fetched_at");
    for key in [
        "vv_cnt",
        "like_cnt",
        "comment_cnt",
        "share_cnt",
        "collect_cnt",
        "interact_cnt",
        "follower",
    ] {
        assert!(
            line[key].is_u64(),
            "{key} must be a JSON integer, got {}: {line}",
            line[key]
        );
    }
}

/// A CSV cell as README tells a script to read it back: an id is written `="…"` (so that
/// spreadsheets keep every digit), and text gets a leading `'` when it starts with `=`, `+`,
/// `-`, `@`, tab, CR or `'` (so that they never run it).
fn read_back(cell: &str) -> &str {
    if let Some(id) = cell.strip_prefix("=\"").and_then(|c| c.strip_suffix('"')) {
        return id;
    }
    cell.strip_prefix('\'').unwrap_or(cell)
}

/// A CSV cell compared with the JSON value of the same column: empty = null, numbers compared
/// as numbers (integers exactly), strings exactly.
fn assert_cell_matches(cell: &str, value: &Value, what: &str) {
    if what.ends_with("item_id") && !cell.is_empty() {
        assert!(
            cell.starts_with("=\"") && cell.ends_with('"'),
            "{what}: ids are written =\"…\" for spreadsheets, got {cell:?}"
        );
    }
    let cell = read_back(cell);
    match value {
        Value::Null => assert_eq!(cell, "", "{what}: null must be an empty cell"),
        Value::String(s) => assert_eq!(cell, s, "{what}"),
        Value::Number(n) if n.is_u64() || n.is_i64() => {
            assert_eq!(cell, n.to_string(), "{what}: integers must match exactly")
        }
        Value::Number(n) => {
            let c: f64 = cell
                .parse()
                .unwrap_or_else(|e| panic!("{what}: {cell:?} is not a number: {e}"));
            let j = n.as_f64().unwrap();
            assert!(
                (c - j).abs() <= 1e-12 * j.abs().max(1e-12),
                "{what}: CSV {c} vs JSON {j}"
            );
        }
        Value::Bool(b) => assert_eq!(cell, b.to_string(), "{what}"),
        other => panic!("{what}: unexpected JSON value {other}"),
    }
}

/// CSV rows as maps keyed by the header.
fn csv_records(text: &str) -> (Vec<String>, Vec<HashMap<String, String>>) {
    let rows = parse_csv(text);
    assert!(!rows.is_empty(), "CSV has no header row: {text:?}");
    let header = rows[0].clone();
    let records = rows[1..]
        .iter()
        .map(|row| {
            assert_eq!(
                row.len(),
                header.len(),
                "every row has as many cells as the header: {row:?}"
            );
            header.iter().cloned().zip(row.iter().cloned()).collect()
        })
        .collect();
    (header, records)
}

// ---------------------------------------------------------------------------------------------
// Which fetches are recorded
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn get_records_one_snapshot_per_fetch_and_none_for_cache_hits_or_failures() {
    let ids = distinct_ids(2);
    let (good, bad) = (&ids[0], &ids[1]);
    let server = MockServer::start().await;
    endpoint()
        .and(query_param("itemId", bad.as_str()))
        .respond_with(json_response(400, &error_envelope("400")))
        .mount(&server)
        .await;
    endpoint().respond_with(ok_response()).mount(&server).await;
    let env = TestEnv::new();

    // Nothing yet.
    assert!(history_json(&env, good).await.is_empty());

    // A fresh fetch (the same item twice in one run: one call, one snapshot) and a failure.
    let run = run_api(&env, &server, &["get", "--json", good, good, bad]).await;
    run.assert_code(1);
    assert_eq!(request_count_for(&server, good).await, 1);
    let series = history_json(&env, good).await;
    assert_eq!(series.len(), 1, "one snapshot per fetch\n{series:?}");
    assert_snapshot_shape(&series[0], good);
    assert_eq!(series[0]["vv_cnt"], json!(45_275_627u64));
    assert_eq!(series[0]["like_cnt"], json!(107_089u64));
    assert_eq!(series[0]["follower"], json!(1_588_458u64));
    assert!(
        history_json(&env, bad).await.is_empty(),
        "a failed lookup must not be recorded"
    );

    // From the cache: no call, no snapshot.
    let run = run_api(&env, &server, &["get", "--json", good]).await;
    run.assert_code(0);
    assert_eq!(run.single_json()["cached"], json!(true));
    assert_eq!(request_count_for(&server, good).await, 1);
    assert_eq!(
        history_json(&env, good).await.len(),
        1,
        "a cached result must not be recorded again"
    );

    // Forced: a call and a snapshot.
    let run = run_api(&env, &server, &["get", "--json", "--force", good]).await;
    run.assert_code(0);
    assert_eq!(request_count_for(&server, good).await, 2);
    let series = history_json(&env, good).await;
    assert_eq!(series.len(), 2, "{series:?}");
    // The snapshot's time is the fetch's time.
    assert_eq!(
        series[1]["fetched_at"],
        run.single_json()["fetched_at"],
        "{}",
        run.describe()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn watch_refresh_records_one_snapshot_per_fetched_item() {
    let server = server_ok().await;
    let ids = distinct_ids(3);
    let env = TestEnv::new();
    let entries: Vec<(&str, Option<&str>)> = ids.iter().map(|id| (id.as_str(), None)).collect();
    env.write_file(&env.default_config_path(), &watchlist_toml(&entries));

    run_api(&env, &server, &["watch", "refresh", "--quiet"])
        .await
        .assert_code(0);
    for id in &ids {
        let series = history_json(&env, id).await;
        assert_eq!(series.len(), 1, "{id}: {series:?}");
        assert_snapshot_shape(&series[0], id);
    }
    // Within the cache window: nothing fetched, nothing recorded.
    run_api(&env, &server, &["watch", "refresh", "--quiet"])
        .await
        .assert_code(0);
    for id in &ids {
        assert_eq!(history_json(&env, id).await.len(), 1, "{id}");
    }
    run_api(&env, &server, &["watch", "refresh", "--quiet", "--force"])
        .await
        .assert_code(0);
    for id in &ids {
        assert_eq!(history_json(&env, id).await.len(), 2, "{id}");
    }
    assert_eq!(request_count(&server).await, 6);
}

// ---------------------------------------------------------------------------------------------
// history <ID> --json / --csv / --since
// ---------------------------------------------------------------------------------------------

/// Three snapshots of `EXAMPLE_ID`: vv 1000, then 1500 twice.
async fn env_with_three_snapshots() -> TestEnv {
    let server = server_scripted(1).await;
    let env = TestEnv::new();
    for args in [
        vec!["get", "--json", EXAMPLE_ID],
        vec!["get", "--json", "--force", EXAMPLE_ID],
        vec!["get", "--json", "--force", EXAMPLE_ID],
    ] {
        run_api(&env, &server, &args).await.assert_code(0);
    }
    assert_eq!(request_count(&server).await, 3);
    env
}

#[tokio::test(flavor = "multi_thread")]
async fn history_json_lists_snapshots_oldest_first() {
    let env = env_with_three_snapshots().await;
    let run = env.run_async(["history", EXAMPLE_ID, "--json"]).await;
    run.assert_code(0);
    let lines = run.json_lines();
    assert_eq!(lines.len(), 3, "{}", run.describe());
    assert_eq!(
        run.stdout.lines().filter(|l| !l.trim().is_empty()).count(),
        3,
        "one line per snapshot\n{}",
        run.describe()
    );
    for line in &lines {
        assert_snapshot_shape(line, EXAMPLE_ID);
    }
    let views: Vec<u64> = lines
        .iter()
        .map(|l| l["vv_cnt"].as_u64().unwrap())
        .collect();
    assert_eq!(
        views,
        vec![1000, 1500, 1500],
        "oldest first\n{}",
        run.describe()
    );
    let times: Vec<DateTime<Utc>> = lines
        .iter()
        .map(|l| rfc3339(&l["fetched_at"], "fetched_at"))
        .collect();
    assert!(
        times.windows(2).all(|w| w[0] <= w[1]),
        "fetched_at must not go backwards\n{}",
        run.describe()
    );
    let now = Utc::now();
    assert!(
        times.iter().all(|t| (now - *t).num_seconds().abs() < 120),
        "fetched_at must be the time of the fetch\n{}",
        run.describe()
    );

    // A link works as well as the id; the human table prints too.
    let run = env
        .run_async([
            "history",
            "https://www.douyin.com/video/7566200471448779514",
            "--json",
        ])
        .await;
    run.assert_code(0);
    assert_eq!(run.json_lines(), lines);
    let run = env.run_async(["history", EXAMPLE_ID]).await;
    run.assert_code(0);
    assert!(
        run.stdout.lines().count() >= 4,
        "header + 3 rows\n{}",
        run.describe()
    );
}

/// README: `history --json` has the CSV's columns, in the same order.
const HISTORY_COLUMNS: [&str; 12] = [
    "item_id",
    "fetched_at",
    "vv_cnt",
    "like_cnt",
    "comment_cnt",
    "share_cnt",
    "collect_cnt",
    "interact_cnt",
    "interact_rate",
    "finish_rate",
    "follower",
    "like_rate",
];

/// README: `export` writes these columns (CSV) or fields (JSON), in this order.
const EXPORT_COLUMNS: [&str; 26] = [
    "item_id",
    "label",
    "title",
    "author",
    "fetched_at",
    "vv_cnt",
    "like_cnt",
    "comment_cnt",
    "share_cnt",
    "collect_cnt",
    "interact_cnt",
    "like_rate",
    "comment_rate",
    "share_rate",
    "collect_rate",
    "interact_rate",
    "finish_rate",
    "follower",
    "previous_fetched_at",
    "vv_change",
    "like_change",
    "url",
    "campaign",
    "price",
    "cpm",
    "cpe",
];

#[tokio::test(flavor = "multi_thread")]
async fn history_json_fields_come_in_the_documented_order() {
    let env = env_with_three_snapshots().await;
    let run = env.run_async(["history", EXAMPLE_ID, "--json"]).await;
    run.assert_code(0);
    for line in run.json_lines() {
        let keys: Vec<&str> = line
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, HISTORY_COLUMNS, "{line}");
    }
    let run = env.run_async(["history", EXAMPLE_ID, "--csv"]).await;
    let header = run
        .stdout
        .trim_start_matches('\u{feff}')
        .lines()
        .next()
        .unwrap();
    assert_eq!(header, HISTORY_COLUMNS.join(","));
}

#[tokio::test(flavor = "multi_thread")]
async fn history_csv_round_trips_with_json() {
    let env = env_with_three_snapshots().await;
    let json_lines = history_json(&env, EXAMPLE_ID).await;
    let run = env.run_async(["history", EXAMPLE_ID, "--csv"]).await;
    run.assert_code(0);
    // The contract does not say whether `history --csv` carries a BOM: accept either.
    let body = run.stdout.strip_prefix('\u{feff}').unwrap_or(&run.stdout);
    let (header, records) = csv_records(body);
    assert_eq!(header[0], "item_id", "{}", run.describe());
    assert!(header.contains(&"fetched_at".to_owned()));
    assert!(header.contains(&"vv_cnt".to_owned()));
    assert_eq!(
        records.len(),
        json_lines.len(),
        "header + one row per snapshot\n{}",
        run.describe()
    );
    for (n, (record, line)) in records.iter().zip(&json_lines).enumerate() {
        for column in &header {
            let value = line.get(column).unwrap_or_else(|| {
                panic!("CSV column {column} has no counterpart in --json: {line}")
            });
            assert_cell_matches(&record[column], value, &format!("row {n} {column}"));
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn history_since_filters_and_rejects_junk() {
    let env = env_with_three_snapshots().await;

    let future = (Utc::now() + ChronoDuration::days(2))
        .format("%Y-%m-%d")
        .to_string();
    let run = env
        .run_async(["history", EXAMPLE_ID, "--json", "--since", &future])
        .await;
    run.assert_code(0);
    assert!(run.json_lines().is_empty(), "{}", run.describe());
    let future_rfc =
        (Utc::now() + ChronoDuration::hours(1)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let run = env
        .run_async(["history", EXAMPLE_ID, "--csv", "--since", &future_rfc])
        .await;
    run.assert_code(0);
    let rows = parse_csv(&run.stdout);
    assert_eq!(rows.len(), 1, "header only\n{}", run.describe());

    // Snapshots exist, just none after that date: never "no snapshots yet".
    let run = env
        .run_async(["history", EXAMPLE_ID, "--since", &future])
        .await;
    run.assert_code(0);
    assert!(!run.stdout.contains("yet"), "{}", run.describe());
    assert!(
        run.stdout.contains("none of the 3 snapshots")
            && run.stdout.contains("newer than")
            && run.stdout.contains("the newest is from"),
        "{}",
        run.describe()
    );

    // In the past: everything.
    let run = env
        .run_async(["history", EXAMPLE_ID, "--json", "--since", "2020-01-01"])
        .await;
    run.assert_code(0);
    assert_eq!(run.json_lines().len(), 3, "{}", run.describe());
    let run = env
        .run_async([
            "history",
            EXAMPLE_ID,
            "--json",
            "--since",
            "2020-01-01T00:00:00Z",
        ])
        .await;
    run.assert_code(0);
    assert_eq!(run.json_lines().len(), 3, "{}", run.describe());

    for junk in ["yesterday", "2026-13-45", "20261120", ""] {
        let run = env
            .run_async(["history", EXAMPLE_ID, "--json", "--since", junk])
            .await;
        run.assert_code(2);
        assert!(run.stdout.is_empty(), "{}", run.describe());
        assert!(run.stderr.contains("since"), "{}", run.describe());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn history_of_junk_or_no_item_is_a_usage_error() {
    let env = TestEnv::new();
    env.run(["history", "hello"]).assert_code(2);
    env.run(["history"]).assert_code(2);
    env.run(["history", EXAMPLE_ID, "--json", "--csv"])
        .assert_code(2);
}

// ---------------------------------------------------------------------------------------------
// export
// ---------------------------------------------------------------------------------------------

/// Two watched items with labels, refreshed twice (vv 1000 → 1500, likes 100 → 150), plus one
/// watched item never fetched.
async fn env_for_export() -> (TestEnv, Vec<String>) {
    let ids = distinct_ids(3);
    let env = TestEnv::new();
    env.write_file(
        &env.default_config_path(),
        &watchlist_toml(&[
            (&ids[0], Some(TRICKY_LABEL)),
            (&ids[1], None),
            (&ids[2], Some("later")),
        ]),
    );
    let server = server_scripted(2).await;
    // Only the first two are fetched: the third is added to the file afterwards.
    let mut without_third = std::fs::read_to_string(env.default_config_path()).unwrap();
    let third_at = without_third
        .find(&format!("item_id = \"{}\"", ids[2]))
        .unwrap();
    let header_at = without_third[..third_at].rfind("[[watchlist]]").unwrap();
    let third_entry = without_third.split_off(header_at);
    env.write_file(&env.default_config_path(), &without_third);
    run_api(&env, &server, &["watch", "refresh", "--quiet"])
        .await
        .assert_code(0);
    run_api(&env, &server, &["watch", "refresh", "--quiet", "--force"])
        .await
        .assert_code(0);
    assert_eq!(request_count(&server).await, 4);
    env.write_file(
        &env.default_config_path(),
        &format!("{without_third}{third_entry}"),
    );
    (env, ids)
}

#[tokio::test(flavor = "multi_thread")]
async fn export_json_has_the_latest_metrics_and_the_change() {
    let (env, ids) = env_for_export().await;
    let run = env.run_async(["export", "--format", "json"]).await;
    run.assert_code(0);
    let rows: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("export --format json is not JSON ({e})\n{}", run.describe()));
    let rows = rows
        .as_array()
        .unwrap_or_else(|| panic!("expected a JSON array\n{}", run.describe()));
    assert_eq!(
        rows.len(),
        3,
        "one object per watched item\n{}",
        run.describe()
    );
    for (row, id) in rows.iter().zip(&ids) {
        assert_eq!(row["item_id"], json!(id), "{}", run.describe());
        // README: the same fields, in the same order, as the CSV's columns.
        let keys: Vec<&str> = row
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, EXPORT_COLUMNS, "{row}");
    }
    for row in &rows[..2] {
        assert_eq!(row["vv_cnt"], json!(1500), "{row}");
        assert_eq!(row["like_cnt"], json!(150), "{row}");
        let like_rate = row["like_rate"].as_f64().expect("like_rate is a number");
        assert!((like_rate - 0.1).abs() < 1e-12, "{row}");
        assert_eq!(row["vv_change"], json!(500), "{row}");
        assert_eq!(row["like_change"], json!(50), "{row}");
        assert_eq!(
            row["title"],
            json!("少爷,今天陪妹妹去看车啦!#理想L6 #好热的黄彬"),
            "title from the cache: {row}"
        );
        assert_eq!(
            row["author"],
            json!("好热的黄彬"),
            "author from the cache: {row}"
        );
        rfc3339(&row["fetched_at"], "fetched_at");
        rfc3339(&row["previous_fetched_at"], "previous_fetched_at");
    }
    assert_eq!(rows[0]["label"], json!(TRICKY_LABEL));
    assert_eq!(rows[1]["label"], Value::Null);
    // Never fetched: the row is there, with no figures.
    assert_eq!(rows[2]["label"], json!("later"));
    for key in ["vv_cnt", "like_cnt", "like_rate", "vv_change", "title"] {
        assert_eq!(rows[2][key], Value::Null, "{key}: {}", rows[2]);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn export_csv_has_a_bom_and_round_trips_with_json() {
    let (env, _ids) = env_for_export().await;
    let json_run = env.run_async(["export", "--format", "json"]).await;
    json_run.assert_code(0);
    let json_rows: Vec<Value> = serde_json::from_str(&json_run.stdout).unwrap();

    let run = env.run_async(["export"]).await;
    run.assert_code(0);
    assert!(
        run.stdout.starts_with('\u{feff}'),
        "CSV must start with the UTF-8 BOM\n{}",
        run.describe()
    );
    let explicit = env.run_async(["export", "--format", "csv"]).await;
    explicit.assert_code(0);
    assert_eq!(explicit.stdout, run.stdout, "csv is the default format");

    let body = run.stdout.strip_prefix('\u{feff}').unwrap();
    let (header, records) = csv_records(body);
    assert_eq!(header[0], "item_id");
    for column in [
        "label",
        "vv_cnt",
        "like_cnt",
        "like_rate",
        "vv_change",
        "title",
        "author",
    ] {
        assert!(
            header.iter().any(|h| h == column),
            "CSV lacks {column}: {header:?}"
        );
    }
    assert_eq!(records.len(), json_rows.len(), "{}", run.describe());
    for (n, (record, row)) in records.iter().zip(&json_rows).enumerate() {
        for column in &header {
            let value = row
                .get(column)
                .unwrap_or_else(|| panic!("CSV column {column} is not in the JSON export: {row}"));
            assert_cell_matches(&record[column], value, &format!("row {n} {column}"));
        }
    }
    assert_eq!(records[0]["label"], TRICKY_LABEL);
    assert_eq!(records[0]["vv_change"], "500");

    let run = env.run_async(["export", "--no-bom"]).await;
    run.assert_code(0);
    assert!(!run.stdout.starts_with('\u{feff}'), "{}", run.describe());
    assert_eq!(run.stdout, body, "--no-bom changes nothing but the BOM");
}

#[tokio::test(flavor = "multi_thread")]
async fn export_output_writes_the_file() {
    let (env, _ids) = env_for_export().await;
    let stdout_csv = env.run_async(["export"]).await;
    stdout_csv.assert_code(0);
    let stdout_json = env.run_async(["export", "--format", "json"]).await;
    stdout_json.assert_code(0);

    let csv_path = env.root().join("out").join("..").join("watchlist.csv");
    std::fs::create_dir_all(env.root().join("out")).unwrap();
    let run = env
        .run_async(["export", "--output", csv_path.to_str().unwrap()])
        .await;
    run.assert_code(0);
    assert!(
        run.stdout.is_empty(),
        "the file, not stdout\n{}",
        run.describe()
    );
    assert_eq!(
        std::fs::read_to_string(&csv_path).unwrap(),
        stdout_csv.stdout,
        "the file holds what stdout would"
    );

    let json_path = env.root().join("watchlist.json");
    let run = env
        .run_async([
            "export",
            "--format",
            "json",
            "-o",
            json_path.to_str().unwrap(),
        ])
        .await;
    run.assert_code(0);
    assert_eq!(
        std::fs::read_to_string(&json_path).unwrap(),
        stdout_json.stdout
    );

    // A file that cannot be written: exit 1 with a message.
    let bad = env.root().join("no-such-dir").join("x.csv");
    let run = env
        .run_async(["export", "--output", bad.to_str().unwrap()])
        .await;
    run.assert_code(1);
    assert!(!run.stderr.trim().is_empty(), "{}", run.describe());
}

#[tokio::test(flavor = "multi_thread")]
async fn export_of_an_empty_watchlist_is_an_empty_array_or_a_header() {
    let env = TestEnv::new();
    let run = env.run_async(["export", "--format", "json"]).await;
    run.assert_code(0);
    let rows: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(rows, json!([]), "{}", run.describe());
    let run = env.run_async(["export", "--no-bom"]).await;
    run.assert_code(0);
    assert_eq!(parse_csv(&run.stdout).len(), 1, "{}", run.describe());
}

/// Four watched videos, each answered with the provider's example (45,275,627 views,
/// 107,089 likes, 2,686 comments, 7,943 shares): two in 618大促 (one priced ¥50,000, one not),
/// one in 双11 at ¥1,200.50, one without a campaign at ¥300.
async fn env_with_campaigns() -> (TestEnv, Vec<String>) {
    let ids = distinct_ids(4);
    let env = TestEnv::new();
    env.write_file(
        &env.default_config_path(),
        &format!(
            "[[watchlist]]\nitem_id = \"{}\"\ncampaign = \"618大促\"\nprice = 50000\n\n\
             [[watchlist]]\nitem_id = \"{}\"\ncampaign = \"双11\"\nprice = 1200.5\n\n\
             [[watchlist]]\nitem_id = \"{}\"\ncampaign = \"618大促\"\n\n\
             [[watchlist]]\nitem_id = \"{}\"\nprice = 300\n",
            ids[0], ids[1], ids[2], ids[3]
        ),
    );
    let server = server_ok().await;
    run_api(&env, &server, &["watch", "refresh", "--quiet"])
        .await
        .assert_code(0);
    (env, ids)
}

fn assert_close(value: &Value, expected: f64, what: &str) {
    let got = value
        .as_f64()
        .unwrap_or_else(|| panic!("{what} must be a number, got {value}"));
    assert!(
        (got - expected).abs() <= expected.abs() * 1e-12,
        "{what}: {got} != {expected}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn export_has_each_videos_campaign_price_cpm_and_cpe() {
    let (env, ids) = env_with_campaigns().await;
    let run = env.run_async(["export", "--format", "json"]).await;
    run.assert_code(0);
    let rows: Vec<Value> = serde_json::from_str(&run.stdout).unwrap();
    let got: Vec<(&Value, &Value)> = rows.iter().map(|r| (&r["campaign"], &r["price"])).collect();
    assert_eq!(
        got,
        [
            (&json!("618大促"), &json!(50000)),
            (&json!("双11"), &json!(1200.5)),
            (&json!("618大促"), &Value::Null),
            (&Value::Null, &json!(300)),
        ]
    );
    // CPM = fee ÷ views × 1000; CPE = fee ÷ (likes + comments + shares), saves not counted.
    assert_close(&rows[0]["cpm"], 1.1043469370396573, "cpm of ¥50,000");
    assert_close(&rows[0]["cpe"], 0.42474387944069725, "cpe of ¥50,000");
    assert_close(&rows[1]["cpm"], 0.02651536995832217, "cpm of ¥1,200.50");
    assert_close(&rows[1]["cpe"], 0.01019810054537114, "cpe of ¥1,200.50");
    assert_eq!(
        (&rows[2]["cpm"], &rows[2]["cpe"]),
        (&Value::Null, &Value::Null)
    );

    let csv = env.run_async(["export", "--no-bom"]).await;
    csv.assert_code(0);
    let (header, records) = csv_records(&csv.stdout);
    assert_eq!(header, EXPORT_COLUMNS);
    for (n, (record, row)) in records.iter().zip(&rows).enumerate() {
        for column in ["item_id", "campaign", "price", "cpm", "cpe"] {
            assert_cell_matches(&record[column], &row[column], &format!("row {n} {column}"));
        }
    }
    assert_eq!(records[1]["price"], "1200.5");
    assert_eq!(records[0]["item_id"], format!("=\"{}\"", ids[0]));
}

#[tokio::test(flavor = "multi_thread")]
async fn export_campaign_keeps_only_that_campaigns_videos() {
    let (env, ids) = env_with_campaigns().await;
    let run = env
        .run_async(["export", "--format", "json", "--campaign", "618大促"])
        .await;
    run.assert_code(0);
    let rows: Vec<Value> = serde_json::from_str(&run.stdout).unwrap();
    let got: Vec<&Value> = rows.iter().map(|r| &r["item_id"]).collect();
    assert_eq!(got, [&json!(ids[0]), &json!(ids[2])], "{}", run.describe());

    let file = env.root().join("double11.json");
    let run = env
        .run_async(["export", "--campaign", "双11", "-o", file.to_str().unwrap()])
        .await;
    run.assert_code(0);
    assert!(
        run.stderr
            .contains("exported 1 watched items of campaign \"双11\" to"),
        "{}",
        run.describe()
    );
    let run = env
        .run_async(["export", "--campaign", "双11", "--no-bom"])
        .await;
    run.assert_code(0);
    let (_, records) = csv_records(&run.stdout);
    assert_eq!(records.len(), 1, "{}", run.describe());
    assert_eq!(records[0]["item_id"], format!("=\"{}\"", ids[1]));
    assert_eq!(records[0]["price"], "1200.5");

    // "(none)", as the summary calls them: the videos without a campaign.
    let run = env
        .run_async(["export", "--format", "json", "--campaign", "(none)"])
        .await;
    run.assert_code(0);
    let rows: Vec<Value> = serde_json::from_str(&run.stdout).unwrap();
    let got: Vec<&Value> = rows.iter().map(|r| &r["item_id"]).collect();
    assert_eq!(got, [&json!(ids[3])], "{}", run.describe());
}

#[tokio::test(flavor = "multi_thread")]
async fn export_of_an_unknown_campaign_names_the_known_ones_and_writes_nothing() {
    let (env, _ids) = env_with_campaigns().await;
    let out = env.root().join("campaign.csv");
    for format in ["csv", "json", "xlsx"] {
        let run = env
            .run_async([
                "export",
                "--format",
                format,
                "--campaign",
                "618",
                "-o",
                out.to_str().unwrap(),
            ])
            .await;
        run.assert_code(2);
        assert!(
            run.stderr.contains("\"618\"")
                && run
                    .stderr
                    .contains("\"618大促\", \"双11\", \"(none)\" (the videos without one)"),
            "{}",
            run.describe()
        );
        assert!(!out.exists(), "nothing is written\n{}", run.describe());
        assert_eq!(run.stdout, "");
    }
    // No campaign at all yet: the message says how to give one.
    let empty = TestEnv::new();
    let run = empty.run_async(["export", "--campaign", "618大促"]).await;
    run.assert_code(2);
    assert!(run.stderr.contains("--campaign NAME"), "{}", run.describe());
    assert_eq!(run.stdout, "");
}

#[tokio::test(flavor = "multi_thread")]
async fn export_format_follows_the_output_extension_unless_given() {
    let (env, _ids) = env_with_campaigns().await;
    let book = env.root().join("Report.XLSX");
    env.run_async(["export", "-o", book.to_str().unwrap()])
        .await
        .assert_code(0);
    assert!(
        std::fs::read(&book).unwrap().starts_with(b"PK\x03\x04"),
        "a zip"
    );
    let json_file = env.root().join("report.json");
    env.run_async(["export", "-o", json_file.to_str().unwrap()])
        .await
        .assert_code(0);
    let rows: Value = serde_json::from_slice(&std::fs::read(&json_file).unwrap()).unwrap();
    assert_eq!(rows.as_array().map(Vec::len), Some(4));
    // An explicit --format wins over the extension.
    let run = env
        .run_async([
            "export",
            "--format",
            "csv",
            "-o",
            json_file.to_str().unwrap(),
        ])
        .await;
    run.assert_code(0);
    assert!(
        std::fs::read_to_string(&json_file)
            .unwrap()
            .starts_with("\u{feff}item_id,")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_workbook_replaces_an_older_export_whole_and_leaves_no_partial_file() {
    let (env, _ids) = env_with_campaigns().await;
    let dir = env.root().join("exports");
    std::fs::create_dir_all(&dir).unwrap();
    let old = dir.join("old.xlsx");
    std::fs::write(&old, b"the previous export").unwrap();
    let missing = env.root().join("no-such-dir").join("x.xlsx");
    let run = env
        .run_async(["export", "-o", missing.to_str().unwrap()])
        .await;
    run.assert_code(1);
    assert!(run.stderr.contains("cannot write"), "{}", run.describe());
    assert!(!missing.parent().unwrap().exists());
    // The workbook is complete before it replaces an older export.
    let run = env.run_async(["export", "-o", old.to_str().unwrap()]).await;
    run.assert_code(0);
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, ["old.xlsx"], "no partial file is left");
    assert!(std::fs::read(&old).unwrap().starts_with(b"PK\x03\x04"));
}

// ---------------------------------------------------------------------------------------------
// Concurrent writers
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn concurrent_gets_lose_no_snapshots() {
    let server = server_ok().await;
    let env = TestEnv::new();
    let ids = distinct_ids(3);
    let rounds = 4;
    for round in 1..=rounds {
        let cmds = ids
            .iter()
            .map(|id| env.cmd(api_args(&server.uri(), &["get", "--json", "--force", id])))
            .collect();
        let runs = env.run_all_at_once_async(cmds).await;
        for run in &runs {
            run.assert_code(0);
            for bad in ["locked", "busy", "not recorded", "warning"] {
                assert!(
                    !run.stderr.contains(bad),
                    "round {round}: stderr mentions {bad:?}\n{}",
                    run.describe()
                );
            }
        }
        for id in &ids {
            let series = history_json(&env, id).await;
            assert_eq!(
                series.len(),
                round,
                "round {round}: {id} must have one snapshot per fetch"
            );
        }
    }
    assert_eq!(request_count(&server).await, 3 * rounds);
    // The cache kept all three too: a plain get is answered from it.
    let run = run_api(&env, &server, &["get", "--json", &ids[0], &ids[1], &ids[2]]).await;
    run.assert_code(0);
    assert!(
        run.json_lines().iter().all(|l| l["cached"] == json!(true)),
        "{}",
        run.describe()
    );
    assert_eq!(request_count(&server).await, 3 * rounds);
}

// ---------------------------------------------------------------------------------------------
// A damaged database is reported, never modified
// ---------------------------------------------------------------------------------------------

fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut rng = fastrand::Rng::with_seed(seed);
    (0..len).map(|_| rng.u8(..)).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn damaged_database_is_reported_and_left_untouched() {
    let server = server_ok().await;
    let env = TestEnv::new();
    let db = env.history_db_path();
    std::fs::create_dir_all(db.parent().unwrap()).unwrap();
    let bytes = noise(8192, 0x5eed);
    std::fs::write(&db, &bytes).unwrap();
    let files_before: Vec<_> = std::fs::read_dir(db.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();

    for args in [
        vec!["history", EXAMPLE_ID],
        vec!["history", EXAMPLE_ID, "--json"],
        vec!["history", EXAMPLE_ID, "--csv"],
    ] {
        let run = env.run_async(&args).await;
        assert!(
            matches!(run.code, Some(c) if c != 0),
            "`{}` on a damaged database must fail\n{}",
            args.join(" "),
            run.describe()
        );
        assert!(
            run.stderr.contains("untouched") && run.stderr.contains("history.sqlite3"),
            "stderr must name the file and say it was left untouched\n{}",
            run.describe()
        );
        assert!(run.stdout.is_empty(), "{}", run.describe());
    }

    // A lookup still works; the snapshot is not recorded, with a warning.
    let run = run_api(&env, &server, &["get", "--json", EXAMPLE_ID]).await;
    run.assert_code(0);
    assert_eq!(run.single_json()["ok"], json!(true));
    assert!(
        run.stderr.contains("warning") && run.stderr.contains("not recorded"),
        "stderr must warn that snapshots were not recorded\n{}",
        run.describe()
    );

    // Prune refuses too.
    let run = env
        .run_async(["history", "prune", "--keep-days", "0"])
        .await;
    assert!(matches!(run.code, Some(c) if c != 0), "{}", run.describe());

    assert_eq!(
        std::fs::read(&db).unwrap(),
        bytes,
        "the damaged database must be left byte-for-byte untouched"
    );
    let files_after: Vec<_> = std::fs::read_dir(db.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        files_after, files_before,
        "no journal or WAL file may appear next to it"
    );
}

// ---------------------------------------------------------------------------------------------
// history prune
// ---------------------------------------------------------------------------------------------

/// The first number on stdout is the count of deleted snapshots.
fn assert_deleted_count(run: &Run, expected: u64) {
    let first_number: Option<u64> = run
        .stdout
        .split(|c: char| !c.is_ascii_digit())
        .find(|s| !s.is_empty())
        .and_then(|s| s.parse().ok());
    assert_eq!(
        first_number,
        Some(expected),
        "stdout must report how many snapshots were deleted\n{}",
        run.describe()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn prune_keep_days_0_deletes_older_snapshots() {
    let env = env_with_three_snapshots().await;
    let run = env
        .run_async(["history", "prune", "--keep-days", "0"])
        .await;
    run.assert_code(0);
    assert_deleted_count(&run, 3);
    assert!(history_json(&env, EXAMPLE_ID).await.is_empty());
    let run = env
        .run_async(["history", "prune", "--keep-days", "0"])
        .await;
    run.assert_code(0);
    assert_deleted_count(&run, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn prune_keeps_snapshots_younger_than_keep_days() {
    let env = env_with_three_snapshots().await;
    // Two old snapshots of another item, written through the library.
    let old_id = distinct_ids(1)[0].clone();
    {
        use xingtu_dash::store::{Record, Snapshot};
        let mut store = xingtu_dash::store::open_db(&xingtu_dash::store::StoreLocation::sqlite(
            env.history_db_path(),
        ))
        .expect("open the store");
        let old = |days: i64| Snapshot {
            item_id: old_id.clone(),
            fetched_at: Utc::now() - ChronoDuration::days(days),
            vv_cnt: Some(10),
            like_cnt: Some(1),
            comment_cnt: Some(0),
            share_cnt: Some(0),
            collect_cnt: Some(0),
            interact_cnt: Some(1),
            interact_rate: Some(0.1),
            finish_rate: Some(0.5),
            follower: Some(100),
        };
        let data = serde_json::json!({});
        store
            .record(&[
                Record {
                    snapshot: old(40),
                    data: &data,
                },
                Record {
                    snapshot: old(3),
                    data: &data,
                },
            ])
            .expect("record old snapshots");
    }
    assert_eq!(history_json(&env, &old_id).await.len(), 2);

    // From the config.
    env.write_file(&env.default_config_path(), "[history]\nkeep_days = 30\n");
    let run = env.run_async(["history", "prune"]).await;
    run.assert_code(0);
    assert_deleted_count(&run, 1);
    assert_eq!(history_json(&env, &old_id).await.len(), 1);
    assert_eq!(history_json(&env, EXAMPLE_ID).await.len(), 3);

    // The flag beats the config.
    let run = env
        .run_async(["history", "prune", "--keep-days", "1"])
        .await;
    run.assert_code(0);
    assert_deleted_count(&run, 1);
    assert!(history_json(&env, &old_id).await.is_empty());
    assert_eq!(history_json(&env, EXAMPLE_ID).await.len(), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn prune_without_keep_days_is_a_usage_error() {
    let env = env_with_three_snapshots().await;
    let run = env.run_async(["history", "prune"]).await;
    run.assert_code(2);
    assert!(
        run.stderr.contains("keep_days") || run.stderr.contains("--keep-days"),
        "the message must say how to set it\n{}",
        run.describe()
    );
    assert_eq!(
        history_json(&env, EXAMPLE_ID).await.len(),
        3,
        "nothing deleted"
    );
    env.run(["history", "prune", "--keep-days", "-1"])
        .assert_code(2);
    env.run(["history", "prune", "--keep-days", "many"])
        .assert_code(2);
}

// ---------------------------------------------------------------------------------------------
// The token is never printed
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn token_from_the_config_never_appears_in_history_or_export_output() {
    // The harness checks every run's output for TOKEN; here the token comes from the config
    // file, and the history, export and prune commands run with it.
    let server = server_ok().await;
    let env = TestEnv::new();
    env.write_file(
        &env.default_config_path(),
        &format!(
            "[api]\ntoken = \"{TOKEN}\"\nbase_url = \"{}\"\n\n[history]\nkeep_days = 1\n\n{}",
            server.uri(),
            watchlist_toml(&[(EXAMPLE_ID, Some("x"))])
        ),
    );
    env.run_async(["watch", "refresh", "--json"])
        .await
        .assert_code(0);
    env.run_async(["get", "--json", "--force", EXAMPLE_ID])
        .await
        .assert_code(0);
    for args in [
        vec!["history", EXAMPLE_ID],
        vec!["history", EXAMPLE_ID, "--json"],
        vec!["history", EXAMPLE_ID, "--csv"],
        vec!["export"],
        vec!["export", "--format", "json"],
        vec!["history", "prune"],
    ] {
        env.run_async(&args).await.assert_code(0);
    }
    assert_eq!(request_count(&server).await, 2);
}

// ---------------------------------------------------------------------------------------------
// The response cache of earlier versions
// ---------------------------------------------------------------------------------------------

/// `tests/fixtures/legacy` holds files written by the release before the store: a
/// `responses.json` with four cached reports, and a history database (schema 2) with the
/// snapshots of three of those fetches.
#[tokio::test(flavor = "multi_thread")]
async fn an_old_response_cache_is_imported_once_then_moved_aside() {
    let env = TestEnv::new();
    let legacy = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/legacy");
    let cache = env.legacy_cache_path();
    let db = env.history_db_path();
    std::fs::create_dir_all(cache.parent().unwrap()).unwrap();
    std::fs::create_dir_all(db.parent().unwrap()).unwrap();
    let cache_bytes = std::fs::read(legacy.join("responses.json")).unwrap();
    std::fs::write(&cache, &cache_bytes).unwrap();
    std::fs::copy(legacy.join("history.sqlite3"), &db).unwrap();
    let ids: Vec<String> = (1..=4).map(|n| format!("756620047144877000{n}")).collect();
    let entries: Vec<(&str, Option<&str>)> = ids.iter().map(|id| (id.as_str(), None)).collect();
    env.write_file(&env.default_config_path(), &watchlist_toml(&entries));

    let run = env.run_async(["export", "--format", "json"]).await;
    run.assert_code(0);
    let rows: Value = serde_json::from_str(&run.stdout).unwrap();
    for (n, id) in ids.iter().enumerate() {
        let row = &rows[n];
        assert_eq!(row["item_id"], json!(id));
        let tail = &id[id.len() - 4..];
        assert_eq!(
            row["title"],
            json!(format!("迁移测试 {tail} 🚗")),
            "{}",
            run.describe()
        );
        assert_eq!(row["author"], json!(format!("作者{}", &id[id.len() - 2..])));
        assert_eq!(row["vv_cnt"], json!(1000 + n as u64 + 1));
    }
    // Moved aside byte for byte, never deleted; nothing is imported twice.
    assert!(!cache.exists(), "the old cache is moved aside");
    assert_eq!(
        std::fs::read(cache.with_extension("json.imported")).unwrap(),
        cache_bytes
    );
    for id in &ids {
        assert_eq!(
            history_json(&env, id).await.len(),
            1,
            "one snapshot of {id}"
        );
    }
    // Put back (a restored backup): importing it again stores nothing twice.
    std::fs::write(&cache, &cache_bytes).unwrap();
    for id in &ids {
        assert_eq!(
            history_json(&env, id).await.len(),
            1,
            "still one snapshot of {id}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreadable_old_cache_is_moved_aside_not_deleted() {
    let env = TestEnv::new();
    let cache = env.legacy_cache_path();
    std::fs::create_dir_all(cache.parent().unwrap()).unwrap();
    std::fs::write(&cache, b"{\"version\":1,\"entries\":{\"1\":").unwrap();
    let run = env.run_async(["history", EXAMPLE_ID, "--json"]).await;
    run.assert_code(0);
    assert!(!cache.exists());
    assert_eq!(
        std::fs::read(cache.with_extension("json.unreadable")).unwrap(),
        b"{\"version\":1,\"entries\":{\"1\":"
    );
}

// ---------------------------------------------------------------------------------------------
// Edges of stored figures and of the cache window
// ---------------------------------------------------------------------------------------------

/// A count too large for SQLite's integers (the API sends counts as strings; a bad one can be
/// 20 digits) is stored as absent, with the reason in the log; the other results of the batch
/// are stored as usual.
#[tokio::test(flavor = "multi_thread")]
async fn a_count_beyond_i64_is_stored_absent_and_the_others_are_kept() {
    let server = MockServer::start().await;
    let ids = distinct_ids(2);
    let mut huge = example_envelope();
    huge["data"]["video_info"]["vv_cnt"] = json!("18446744073709551615");
    endpoint()
        .and(query_param("itemId", ids[0].as_str()))
        .respond_with(json_response(200, &huge))
        .mount(&server)
        .await;
    endpoint().respond_with(ok_response()).mount(&server).await;
    let env = TestEnv::new();
    let run = run_api(&env, &server, &["get", "--json", &ids[0], &ids[1]]).await;
    run.assert_code(0);
    assert!(!run.stderr.contains("not recorded"), "{}", run.describe());
    let bad = history_json(&env, &ids[0]).await;
    assert_eq!(bad.len(), 1, "the snapshot is stored");
    assert_eq!(bad[0]["vv_cnt"], Value::Null, "too large: stored as absent");
    assert_eq!(
        bad[0]["like_cnt"],
        json!(107089),
        "its other figures are kept"
    );
    let good = history_json(&env, &ids[1]).await;
    assert_eq!(good.len(), 1, "the rest of the batch is stored");
    assert_eq!(good[0]["vv_cnt"], json!(45275627));
    let log = std::fs::read_to_string(env.root().join("state/xingtu-dash/xingtu-dash.log"))
        .unwrap_or_default();
    assert!(
        log.contains("too large to store"),
        "the log says why:\n{log}"
    );
}

/// An entry dated in the future (the clock went back since it was stored) has no known age,
/// so it is stale: the lookup is made again.
#[tokio::test(flavor = "multi_thread")]
async fn a_cache_entry_from_the_future_is_stale() {
    let server = server_ok().await;
    let env = TestEnv::new();
    let cache = env.legacy_cache_path();
    std::fs::create_dir_all(cache.parent().unwrap()).unwrap();
    let future = Utc::now() + ChronoDuration::minutes(5);
    let file = json!({
        "version": 1,
        "entries": { EXAMPLE_ID: { "fetched_at": future, "data": example_envelope()["data"] } }
    });
    std::fs::write(&cache, file.to_string()).unwrap();
    let run = run_api(&env, &server, &["get", "--json", EXAMPLE_ID]).await;
    run.assert_code(0);
    assert_eq!(
        run.single_json()["cached"],
        json!(false),
        "{}",
        run.describe()
    );
    assert_eq!(request_count(&server).await, 1);
}
