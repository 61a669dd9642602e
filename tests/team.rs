//! Processes sharing one store coordinate their paid calls: each item is paid for once
//! whoever refreshes it, a claim whose holder died is taken over after its lease, and a halt
//! one process got stops the others. Here on one SQLite file shared by processes of one
//! machine; `team_pg.rs` runs the same against PostgreSQL.

mod common;

use std::time::Duration;

use common::*;
use wiremock::MockServer;
use xingtu_dash::store::{self, ClaimAsk};

/// The watchlist of `ids`, with no balance read around the refresh (nothing mocks it).
fn config_watching(ids: &[String]) -> String {
    let mut text = String::from("[api]\nshow_balance = false\n\n");
    for id in ids {
        text.push_str(&format!("[[watchlist]]\nitem_id = \"{id}\"\n\n"));
    }
    text
}

async fn slow_server(latency: Duration) -> MockServer {
    let server = MockServer::start().await;
    endpoint()
        .respond_with(ok_response().set_delay(latency))
        .mount(&server)
        .await;
    server
}

/// `watch refresh --json` in every environment at the same moment; each run's JSON lines.
async fn refresh_together(envs: &[&TestEnv], server: &MockServer, extra: &[&str]) -> Vec<Run> {
    let mut handles = Vec::new();
    for env in envs {
        let mut args = vec!["watch", "refresh", "--json"];
        args.extend_from_slice(extra);
        let cmd = env.cmd(api_args(&server.uri(), &args));
        handles.push(std::thread::spawn(move || {
            run_with_timeout(cmd, CHILD_TIMEOUT)
        }));
    }
    let runs = tokio::task::spawn_blocking(move || {
        handles
            .into_iter()
            .map(|h| h.join().expect("runner thread"))
            .collect::<Vec<_>>()
    })
    .await
    .unwrap();
    for run in &runs {
        run.assert_no_secrets(&[TOKEN.to_owned()]);
    }
    runs
}

/// Every run exited 0 and reported every item as a success.
fn assert_all_reported(runs: &[Run], ids: &[String]) {
    for run in runs {
        run.assert_code(0);
        let lines = run.json_lines();
        let mut reported: Vec<&str> = lines
            .iter()
            .filter(|l| l["ok"] == true)
            .filter_map(|l| l["item_id"].as_str())
            .collect();
        reported.sort_unstable();
        let mut expected: Vec<&str> = ids.iter().map(String::as_str).collect();
        expected.sort_unstable();
        assert_eq!(reported, expected, "{}", run.describe());
    }
}

/// Each item was asked of the API exactly once.
async fn assert_each_paid_once(server: &MockServer, ids: &[String]) {
    let mut asked: Vec<String> = requests(server)
        .await
        .iter()
        .filter_map(|r| query_value(r, "itemId"))
        .collect();
    asked.sort_unstable();
    let mut expected = ids.to_vec();
    expected.sort_unstable();
    assert_eq!(asked.len(), ids.len(), "paid calls in total");
    assert_eq!(asked, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_on_one_sqlite_file_pay_for_each_item_once() {
    let ids = distinct_ids(60);
    let env = TestEnv::new();
    env.write_file(&env.default_config_path(), &config_watching(&ids));
    let server = slow_server(Duration::from_millis(50)).await;
    let runs = refresh_together(&[&env, &env], &server, &[]).await;
    assert_all_reported(&runs, &ids);
    assert_each_paid_once(&server, &ids).await;
    // Both did part of the work: neither simply found the other's finished refresh.
    for run in &runs {
        let fresh = run
            .json_lines()
            .iter()
            .filter(|l| l["cached"] == false)
            .count();
        assert!(fresh > 0 && fresh < ids.len(), "{}", run.describe());
    }
    // Nothing stays claimed once every answer is stored.
    let db = store::open_db(&store::StoreLocation::sqlite(env.history_db_path())).unwrap();
    assert!(db.live_claims(chrono::Utc::now()).unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_claim_whose_holder_died_is_taken_over_after_its_lease() {
    let id = EXAMPLE_ID;
    let env = TestEnv::new();
    env.write_file(&env.default_config_path(), "[api]\nshow_balance = false\n");
    // A process claimed the item and died: its lease ends in two seconds.
    let lease_left = chrono::Duration::seconds(2);
    {
        let mut db = store::open_db(&store::StoreLocation::sqlite(env.history_db_path())).unwrap();
        let now = chrono::Utc::now();
        let outcome = db
            .claim(&ClaimAsk {
                item_id: id,
                holder: "gone-laptop:4242",
                now,
                lease: lease_left,
                fresh_since: now,
                asked_at: now,
            })
            .unwrap();
        assert_eq!(outcome, store::ClaimOutcome::Taken);
    }
    let server = slow_server(Duration::ZERO).await;
    let run = env.get_json(&server.uri(), &[id]).await;
    run.assert_code(0);
    assert_eq!(run.single_json()["cached"], false, "{}", run.describe());
    assert_eq!(request_count(&server).await, 1);
    // It waited for the lease (less a little: the claim was made before the process started).
    assert!(
        run.elapsed >= Duration::from_millis(1_500),
        "took the item over after {:?}, before the lease ran out",
        run.elapsed
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_halt_one_process_got_stops_the_next_until_cleared() {
    let ids = distinct_ids(3);
    let env = TestEnv::new();
    env.write_file(&env.default_config_path(), &config_watching(&ids));
    let empty = MockServer::start().await;
    endpoint()
        .respond_with(json_response(
            200,
            &envelope_for_code(601, "Insufficient Balance"),
        ))
        .mount(&empty)
        .await;
    let first = env
        .run_async(api_args(&empty.uri(), &["get", &ids[0]]))
        .await;
    first.assert_code(1);
    assert_eq!(request_count(&empty).await, 1);

    // Another process (a fresh one, with a topped-up account behind the same store) pays
    // nothing and says which machine saw the code, and when.
    let server = slow_server(Duration::ZERO).await;
    let run = env
        .run_async(api_args(&server.uri(), &["watch", "refresh", "--json"]))
        .await;
    run.assert_code(1);
    assert_eq!(request_count(&server).await, 0, "{}", run.describe());
    for line in run.json_lines() {
        assert_eq!(line["error"]["kind"], "halted", "{line}");
        assert_eq!(line["error"]["code"], 601, "{line}");
        let message = line["error"]["message"].as_str().unwrap();
        let host = store::claims::holder_id();
        let host = host.split(':').next().unwrap();
        assert!(message.contains(&format!("on {host}:")), "{message}");
        assert!(message.contains(" UTC"), "{message}");
        assert!(message.contains("store clear-halt"), "{message}");
    }

    // Cleared, calls go out again.
    let mut db = store::open_db(&store::StoreLocation::sqlite(env.history_db_path())).unwrap();
    assert_eq!(db.clear_halt().unwrap().map(|h| h.code), Some(601));
    drop(db);
    let again = env
        .run_async(api_args(&server.uri(), &["watch", "refresh", "--json"]))
        .await;
    again.assert_code(0);
    assert_eq!(request_count(&server).await, ids.len());
}
