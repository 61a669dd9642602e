//! The shared PostgreSQL store through the binary, against a real throwaway server (see
//! common/pg.rs): choosing it, `store migrate` and `store status`, a database that is not
//! there (and comes back), TLS, and the password kept out of every output.

mod common;

use common::pg::{self, PgServer, TestDb};
use common::*;
use serde_json::Value;
use wiremock::MockServer;
use xingtu_dash::store::{self, Record, Snapshot, StoreLocation};

fn snapshot(item: &str, ms: i64, views: u64) -> Snapshot {
    Snapshot {
        item_id: item.to_owned(),
        fetched_at: chrono::DateTime::from_timestamp_millis(ms).unwrap(),
        vv_cnt: Some(views),
        like_cnt: None,
        comment_cnt: Some(1),
        share_cnt: None,
        collect_cnt: None,
        interact_cnt: None,
        interact_rate: Some(0.5),
        finish_rate: None,
        follower: Some(7),
    }
}

/// An environment whose runs may never print the database password (nor the token).
fn env_for(db: &TestDb) -> TestEnv {
    TestEnv::new().with_secret(&db.password)
}

/// The log of `env`'s runs, which may not hold the password either.
fn assert_log_clean(env: &TestEnv, db: &TestDb) {
    let log = env.root().join("state/xingtu-dash/xingtu-dash.log");
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(
        !text.contains(&db.password),
        "the password is in the log:\n{text}"
    );
}

async fn server_ok() -> MockServer {
    let server = MockServer::start().await;
    endpoint().respond_with(ok_response()).mount(&server).await;
    server
}

fn store_args(db_url: &str, base: &str, args: &[&str]) -> Vec<String> {
    let mut all = vec!["--store".to_owned(), db_url.to_owned()];
    all.extend(api_args(base, args));
    all
}

#[tokio::test]
async fn get_stores_in_the_shared_store_and_history_reads_it_from_another_machine() {
    let Some(db) = pg::shared_db() else { return };
    let server = server_ok().await;
    let first = env_for(&db);
    first
        .run_async(store_args(
            &db.url(),
            &server.uri(),
            &["get", "--json", EXAMPLE_ID],
        ))
        .await
        .assert_code(0);
    assert!(
        !first.history_db_path().exists(),
        "nothing goes to the local history when the store is shared"
    );
    // Another machine, pointed at the same store through the environment.
    let second = env_for(&db).with_var("XINGTU_DASH_STORE", &db.url());
    let run = second
        .run_async(api_args(&server.uri(), &["get", "--json", EXAMPLE_ID]))
        .await;
    run.assert_code(0);
    assert_eq!(
        request_count(&server).await,
        1,
        "the second get is answered from the store"
    );
    let history = second.run_async(["history", "--json", EXAMPLE_ID]).await;
    history.assert_code(0);
    assert_eq!(history.json_lines().len(), 1, "{}", history.describe());
    assert_log_clean(&first, &db);
    assert_log_clean(&second, &db);
}

const ITEM_A: &str = "7566200471448770001";
const ITEM_B: &str = "7566200471448770002";

/// A local history with `n` snapshots of two items, a trend, an alert and a measured batch.
fn local_history(env: &TestEnv, n: i64) {
    let location = StoreLocation::sqlite(env.history_db_path());
    let mut local = store::open_db(&location).unwrap();
    let data = serde_json::json!({"video_info": {"title": "标题 🚗"}});
    let snaps: Vec<Snapshot> = (0..n)
        .map(|i| {
            snapshot(
                if i % 2 == 0 { ITEM_A } else { ITEM_B },
                1_000 + i,
                i as u64,
            )
        })
        .collect();
    let records: Vec<Record<'_>> = snaps
        .iter()
        .map(|s| Record {
            snapshot: s.clone(),
            data: &data,
        })
        .collect();
    local.record(&records).unwrap();
    let day = xingtu_dash::trend::DayValue {
        date: chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        metric: "vv".into(),
        value: 5.0,
    };
    local
        .record_trend(
            "a",
            chrono::DateTime::from_timestamp_millis(9_000).unwrap(),
            &[day],
        )
        .unwrap();
    let batch = local
        .begin_batch(chrono::DateTime::from_timestamp_millis(100).unwrap())
        .unwrap();
    local
        .finish_batch(
            batch,
            chrono::DateTime::from_timestamp_millis(200).unwrap(),
            0,
        )
        .unwrap();
    local
        .learn_price(batch, xingtu_dash::account::Amount(20_000), 4, Some("CNY"))
        .unwrap();
}

/// The `(copied, already there)` figures of one line of `store migrate`'s summary.
fn tally(stdout: &str, what: &str) -> (u64, u64) {
    let line = stdout
        .lines()
        .find(|l| l.trim_start().starts_with(what))
        .unwrap_or_else(|| panic!("no {what} line in:\n{stdout}"));
    let numbers: Vec<u64> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|w| w.parse().ok())
        .collect();
    (numbers[0], numbers[1])
}

#[test]
fn store_migrate_twice_copies_everything_once() {
    let Some(db) = pg::shared_db() else { return };
    let env = env_for(&db);
    local_history(&env, 3_001);

    let first = env.run(["store", "migrate", "--to", &db.url()]);
    first.assert_code(0);
    assert!(
        first.stdout.contains(&db.redacted()),
        "{}",
        first.describe()
    );
    assert_eq!(tally(&first.stdout, "snapshots"), (3_001, 0));
    assert_eq!(tally(&first.stdout, "trend days"), (1, 0));
    assert_eq!(tally(&first.stdout, "price batches"), (1, 0));
    assert!(
        first.stderr.contains("copying snapshots: 2000 of 3001")
            && first.stderr.contains("copying snapshots: 3001 of 3001"),
        "progress, as plain lines off a terminal\n{}",
        first.describe()
    );

    let second = env.run(["store", "migrate", "--to", &db.url()]);
    second.assert_code(0);
    assert_eq!(tally(&second.stdout, "snapshots"), (0, 3_001));
    assert_eq!(tally(&second.stdout, "trend days"), (0, 1));
    assert_eq!(tally(&second.stdout, "price batches"), (0, 1));

    // Another machine is calling for an item right now.
    let mut shared = store::open_db(&StoreLocation::Postgres(
        xingtu_dash::store::postgres::PgUrl::parse(&db.url()).unwrap(),
    ))
    .unwrap();
    let now = chrono::Utc::now();
    shared
        .claim(&xingtu_dash::store::ClaimAsk {
            item_id: ITEM_B,
            holder: "laptop-7/4242",
            now,
            lease: chrono::Duration::minutes(2),
            fresh_since: now,
            asked_at: now,
        })
        .unwrap();
    let text = env.run(["--store", &db.url(), "store", "status"]);
    text.assert_code(0);
    assert!(
        text.stdout
            .contains(&format!("{ITEM_B}  by laptop-7/4242 until")),
        "{}",
        text.describe()
    );
    let status = env.run(["--store", &db.url(), "store", "status", "--json"]);
    status.assert_code(0);
    let status = status.single_json();
    assert_eq!(status["store"], Value::from(db.redacted()));
    assert_eq!(status["engine"], "postgres");
    assert_eq!(status["tables"]["snapshots"], 3_001);
    assert_eq!(status["tables"]["trend_days"], 1);
    assert_eq!(status["tables"]["spend_batches"], 1);
    assert!(status["schema_version"].as_i64().unwrap() >= 1);
    assert_eq!(status["claims"][0]["item_id"], ITEM_B);
    assert_eq!(status["claims"][0]["holder"], "laptop-7/4242");
    assert_eq!(status["halt"], Value::Null);

    // The copy reads back like the original, through the shared store.
    let shared = env.run(["--store", &db.url(), "history", "--json", ITEM_A]);
    shared.assert_code(0);
    let local = env.run(["history", "--json", ITEM_A]);
    assert_eq!(shared.json_lines().len(), 1_501);
    assert_eq!(shared.stdout, local.stdout);
    assert_log_clean(&env, &db);
}

#[test]
fn store_status_of_the_local_history_names_the_file() {
    let env = TestEnv::new();
    local_history(&env, 2);
    let run = env.run(["store", "status"]);
    run.assert_code(0);
    assert!(
        run.stdout
            .contains(&env.history_db_path().display().to_string())
    );
    assert!(run.stdout.contains("sqlite"), "{}", run.describe());
    assert!(run.stdout.contains("snapshots"), "{}", run.describe());
}

#[tokio::test]
async fn a_store_that_is_not_there_stops_commands_before_any_call_until_it_is_back() {
    let Some(server) = tokio::task::spawn_blocking(PgServer::start).await.unwrap() else {
        return;
    };
    let db = server.database();
    let api = server_ok().await;
    let env = env_for(&db);
    env.write_file(
        &env.default_config_path(),
        &format!("[[watchlist]]\nitem_id = \"{EXAMPLE_ID}\"\n"),
    );
    server.stop();
    for args in [
        vec!["get", EXAMPLE_ID],
        vec!["watch", "refresh"],
        vec!["trend", EXAMPLE_ID],
        vec!["history", EXAMPLE_ID],
    ] {
        let run = env
            .run_async(store_args(&db.url(), &api.uri(), &args))
            .await;
        run.assert_code(2);
        assert!(
            run.stderr.contains(&format!("127.0.0.1:{}", db.port))
                && run.stderr.contains("connection refused"),
            "{args:?}: host, port and what failed\n{}",
            run.describe()
        );
    }
    assert_eq!(request_count(&api).await, 0, "nothing was paid for");

    server.start_again();
    env.run_async(store_args(&db.url(), &api.uri(), &["get", EXAMPLE_ID]))
        .await
        .assert_code(0);
    assert_eq!(request_count(&api).await, 1);
    assert_log_clean(&env, &db);
}

#[test]
fn a_wrong_password_or_database_is_named_without_the_password() {
    let Some(server) = pg::shared() else { return };
    let db = server.database();
    let env = env_for(&db).with_secret("not-the-password-123");
    let wrong_password = TestDb {
        password: "not-the-password-123".into(),
        ..db.clone()
    };
    let run = env.run(["--store", &wrong_password.url(), "history", EXAMPLE_ID]);
    run.assert_code(2);
    assert!(
        run.stderr.contains("authentication failed"),
        "{}",
        run.describe()
    );
    let missing = TestDb {
        name: "no_such_db".into(),
        ..db.clone()
    };
    let run = env.run(["--store", &missing.url(), "store", "status"]);
    run.assert_code(2);
    assert!(run.stderr.contains("does not exist"), "{}", run.describe());
    let run = env.run([
        "--store",
        "postgres://u:hunter2-pw@127.0.0.1:1/d?sslmode=sometimes",
        "history",
        EXAMPLE_ID,
    ]);
    run.assert_code(2);
    assert!(!run.stderr.contains("hunter2"), "{}", run.describe());
    assert!(run.stderr.contains("--store"), "{}", run.describe());
}

#[test]
fn tls_is_used_when_required_and_a_self_signed_certificate_fails_verification() {
    let Some(server) = pg::shared() else { return };
    if !server.tls {
        eprintln!("TLS test skipped: openssl could not make a certificate");
        return;
    }
    let db = server.database();
    let env = env_for(&db);
    // This user may only connect encrypted: `require` gets in, `disable` is turned away.
    server.require_tls_for(&db.user);
    env.run([
        "--store",
        &db.url_with("?sslmode=require"),
        "store",
        "status",
    ])
    .assert_code(0);
    let run = env.run([
        "--store",
        &db.url_with("?sslmode=disable"),
        "store",
        "status",
    ]);
    run.assert_code(2);
    assert!(
        run.stderr.contains("authentication failed"),
        "{}",
        run.describe()
    );
    // The certificate is self-signed: checking it against the platform's roots fails.
    let run = env.run([
        "--store",
        &db.url_with("?sslmode=verify-full"),
        "store",
        "status",
    ]);
    run.assert_code(2);
    assert!(run.stderr.contains("TLS"), "{}", run.describe());
}

#[test]
fn the_config_file_can_name_the_store_and_the_flag_overrides_it() {
    let Some(server) = pg::shared() else { return };
    let (configured, flagged) = (server.database(), server.database());
    let env = env_for(&configured).with_secret(&flagged.password);
    env.write_file(
        &env.default_config_path(),
        &format!("[store]\nurl = \"{}\"\n", configured.url()),
    );
    let run = env.run(["store", "status", "--json"]);
    run.assert_code(0);
    assert_eq!(
        run.single_json()["store"],
        Value::from(configured.redacted())
    );
    let run = env.run(["--store", &flagged.url(), "store", "status", "--json"]);
    assert_eq!(run.single_json()["store"], Value::from(flagged.redacted()));
    assert_log_clean(&env, &configured);
}

#[tokio::test]
async fn a_server_killed_mid_refresh_leaves_only_whole_snapshots() {
    let Some(server) = tokio::task::spawn_blocking(PgServer::start).await.unwrap() else {
        return;
    };
    let db = server.database();
    let api = MockServer::start().await;
    endpoint()
        .respond_with(ok_response().set_delay(std::time::Duration::from_millis(20)))
        .mount(&api)
        .await;
    let ids = distinct_ids(300);
    let env = env_for(&db);
    let watchlist: String = ids
        .iter()
        .map(|id| format!("[[watchlist]]\nitem_id = \"{id}\"\n"))
        .collect();
    env.write_file(&env.default_config_path(), &watchlist);
    // The schema is there before the refresh starts, so the count below can be read.
    let url = xingtu_dash::store::postgres::PgUrl::parse(&db.url()).unwrap();
    store::open_db(&StoreLocation::Postgres(url)).unwrap();
    let mut cmd = env.cmd(store_args(&db.url(), &api.uri(), &["watch", "refresh"]));
    cmd.stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let child = cmd.spawn().unwrap();
    // Crash the server once some snapshots have landed, while most calls are still to come.
    let count = || server.psql_on(&db.name, "SELECT count(*) FROM snapshots");
    let deadline = std::time::Instant::now() + CHILD_TIMEOUT;
    while count().parse::<u64>().unwrap() < 20 {
        assert!(std::time::Instant::now() < deadline, "nothing was stored");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    server.stop();
    let out = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains(&db.password), "{stderr}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains(&db.password));

    server.start_again();
    let stored: u64 = count().parse().unwrap();
    assert!(
        (20..300).contains(&stored),
        "{stored} stored; stderr:\n{stderr}"
    );
    // Every row holds a whole report with its figures: one fixture answered every call.
    let distinct = server.psql_on(
        &db.name,
        "SELECT count(DISTINCT (vv_cnt, like_cnt, follower, interact_rate, title, data))
         FROM snapshots WHERE data IS NOT NULL AND title IS NOT NULL AND vv_cnt IS NOT NULL",
    );
    assert_eq!(distinct, "1");
    let whole = server.psql_on(
        &db.name,
        "SELECT count(*) FROM snapshots WHERE data IS NOT NULL AND title IS NOT NULL",
    );
    assert_eq!(whole.parse::<u64>().unwrap(), stored);
    assert_log_clean(&env, &db);
}

#[test]
fn a_server_that_never_answers_times_out_naming_host_and_port() {
    // Connections are accepted (by the kernel) and never answered.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    let env = TestEnv::new().with_secret("silent-pw-77");
    let url = format!("postgres://u:silent-pw-77@127.0.0.1:{port}/d");
    let run = env.run(["--store", &url, "history", EXAMPLE_ID]);
    run.assert_code(2);
    assert!(
        run.stderr.contains(&format!("127.0.0.1:{port}"))
            && run.stderr.contains("no answer within 5 s"),
        "{}",
        run.describe()
    );
    assert!(
        run.elapsed < std::time::Duration::from_secs(15),
        "{:?}",
        run.elapsed
    );
}

#[test]
fn a_schema_newer_than_this_binary_is_refused_and_left_untouched() {
    let Some(server) = pg::shared() else { return };
    let db = server.database();
    let env = env_for(&db);
    env.run(["--store", &db.url(), "store", "status"])
        .assert_code(0);
    server.psql_on(&db.name, "UPDATE schema_version SET version = 99");
    let run = env.run(["--store", &db.url(), "history", EXAMPLE_ID]);
    run.assert_code(2);
    assert!(
        run.stderr.contains(&db.redacted())
            && run.stderr.contains("schema version 99")
            && run.stderr.contains("Upgrade xingtu-dash"),
        "{}",
        run.describe()
    );
    assert_eq!(
        server.psql_on(&db.name, "SELECT version FROM schema_version"),
        "99"
    );
}
