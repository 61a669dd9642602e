//! Processes sharing one store coordinate their paid calls: each item is paid for once
//! whoever refreshes it, a claim whose holder died is taken over after its lease, and a halt
//! one process got stops the others until it is cleared. Each case runs on one SQLite file
//! shared by processes of one machine, and on a real PostgreSQL shared by "machines" (each
//! process with its own XDG directories).

mod common;

use std::time::Duration;

use common::pg;
use common::*;
use wiremock::MockServer;
use xingtu_dash::store::postgres::PgUrl;
use xingtu_dash::store::{self, ClaimAsk, ClaimOutcome, Store, StoreLocation};

/// Where the processes of a test keep their store.
enum Engine {
    Sqlite,
    Postgres(pg::TestDb),
}

/// The processes of a test, all watching the same items.
struct Team {
    engine: Engine,
    /// On SQLite one environment (one machine's files) for every process; on PostgreSQL one
    /// per process.
    envs: Vec<TestEnv>,
}

impl Team {
    /// `n` processes whose config says `config`; `None` when PostgreSQL is not installed
    /// (the harness said so).
    fn new(postgres: bool, n: usize, config: &str) -> Option<Team> {
        let engine = if postgres {
            Engine::Postgres(pg::shared_db()?)
        } else {
            Engine::Sqlite
        };
        let envs = match &engine {
            Engine::Sqlite => vec![TestEnv::new()],
            Engine::Postgres(db) => (0..n)
                .map(|_| {
                    TestEnv::new()
                        .with_var(store::ENV_STORE, &db.url())
                        .with_secret(&db.password)
                })
                .collect(),
        };
        for env in &envs {
            env.write_file(&env.default_config_path(), config);
        }
        Some(Team { engine, envs })
    }

    /// The environment process `i` runs in.
    fn machine(&self, i: usize) -> &TestEnv {
        &self.envs[i % self.envs.len()]
    }

    fn location(&self) -> StoreLocation {
        match &self.engine {
            Engine::Sqlite => StoreLocation::sqlite(self.envs[0].history_db_path()),
            Engine::Postgres(db) => StoreLocation::Postgres(PgUrl::parse(&db.url()).unwrap()),
        }
    }

    /// The store as a library user (another process) opens it.
    fn store(&self) -> Box<dyn Store> {
        store::open_db(&self.location()).unwrap()
    }

    fn secrets(&self) -> Vec<String> {
        let mut secrets = vec![TOKEN.to_owned()];
        if let Engine::Postgres(db) = &self.engine {
            secrets.push(db.password.clone());
        }
        secrets
    }

    /// `watch refresh --json` in `n` processes at the same moment.
    async fn refresh_together(&self, server: &MockServer, n: usize) -> Vec<Run> {
        let handles: Vec<_> = (0..n)
            .map(|i| {
                let cmd = self
                    .machine(i)
                    .cmd(api_args(&server.uri(), &["watch", "refresh", "--json"]));
                std::thread::spawn(move || run_with_timeout(cmd, CHILD_TIMEOUT))
            })
            .collect();
        let runs = tokio::task::spawn_blocking(move || {
            handles
                .into_iter()
                .map(|h| h.join().expect("runner thread"))
                .collect::<Vec<_>>()
        })
        .await
        .unwrap();
        for run in &runs {
            run.assert_no_secrets(&self.secrets());
        }
        runs
    }
}

/// The watchlist of `ids`, with no balance read around the refresh (nothing mocks it).
fn config_watching(ids: &[String]) -> String {
    let mut text = String::from("[api]\nshow_balance = false\n\n");
    for id in ids {
        text.push_str(&format!("[[watchlist]]\nitem_id = \"{id}\"\n\n"));
    }
    text
}

async fn server_after(latency: Duration) -> MockServer {
    let server = MockServer::start().await;
    endpoint()
        .respond_with(ok_response().set_delay(latency))
        .mount(&server)
        .await;
    server
}

/// Every run exited 0 and reported every item as a success.
fn assert_all_reported(runs: &[Run], ids: &[String]) {
    let mut expected: Vec<&str> = ids.iter().map(String::as_str).collect();
    expected.sort_unstable();
    for run in runs {
        run.assert_code(0);
        let lines = run.json_lines();
        let mut reported: Vec<&str> = lines
            .iter()
            .filter(|l| l["ok"] == true)
            .filter_map(|l| l["item_id"].as_str())
            .collect();
        reported.sort_unstable();
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

async fn refresh_at_once(postgres: bool, processes: usize, items: usize) {
    let ids = distinct_ids(items);
    let Some(team) = Team::new(postgres, processes, &config_watching(&ids)) else {
        return;
    };
    let server = server_after(Duration::from_millis(50)).await;
    let runs = team.refresh_together(&server, processes).await;
    assert_all_reported(&runs, &ids);
    assert_each_paid_once(&server, &ids).await;
    // They shared the work: none found the others' refresh finished, none did it all.
    for run in &runs {
        let paid = run
            .json_lines()
            .iter()
            .filter(|l| l["cached"] == false)
            .count();
        assert!(paid > 0 && paid < items, "{}", run.describe());
    }
    // Nothing stays claimed once every answer is stored.
    assert!(
        team.store()
            .live_claims(chrono::Utc::now())
            .unwrap()
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_on_one_sqlite_file_pay_for_each_item_once() {
    refresh_at_once(false, 2, 60).await;
}

/// The figure: five machines, 300 items, 50 ms per call, exactly 300 paid calls.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_machines_on_postgres_pay_for_each_of_300_items_once() {
    refresh_at_once(true, 5, 300).await;
}

async fn dead_holder(postgres: bool) {
    let Some(team) = Team::new(postgres, 1, "[api]\nshow_balance = false\n") else {
        return;
    };
    let env = team.machine(0);
    // A process claimed the item and died: its lease ends in two seconds.
    let lease = Duration::from_secs(2);
    let claimed = std::time::Instant::now();
    let now = chrono::Utc::now();
    let outcome = team
        .store()
        .claim(&ClaimAsk {
            item_id: EXAMPLE_ID,
            holder: "gone-laptop:4242",
            now,
            lease: chrono::Duration::from_std(lease).unwrap(),
            fresh_since: now,
            asked_at: now,
        })
        .unwrap();
    assert_eq!(outcome, ClaimOutcome::Taken);
    let status = env.run_async(["store", "status", "--json"]).await;
    status.assert_code(0);
    let claims = &status.single_json()["claims"];
    assert_eq!(claims[0]["item_id"], EXAMPLE_ID, "{}", status.describe());
    assert_eq!(claims[0]["holder"], "gone-laptop:4242");

    let server = MockServer::start().await;
    let timed = Timed::new(ok_response());
    endpoint().respond_with(timed.clone()).mount(&server).await;
    let run = env.get_json(&server.uri(), &[EXAMPLE_ID]).await;
    run.assert_code(0);
    assert_eq!(run.single_json()["cached"], false, "{}", run.describe());
    assert_eq!(timed.count(), 1);
    // The call went out once the lease had run out, not before (the lease is kept to the
    // millisecond; the clocks read here may differ by a few).
    let called = timed.arrivals.lock().unwrap()[0];
    assert!(
        called + Duration::from_millis(50) >= claimed + lease,
        "took the item over {:?} after it was claimed, before the lease ran out",
        called - claimed
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_holders_claim_is_taken_over_after_its_lease_sqlite() {
    dead_holder(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_holders_claim_is_taken_over_after_its_lease_postgres() {
    dead_holder(true).await;
}

async fn shared_halt(postgres: bool) {
    let ids = distinct_ids(3);
    let Some(team) = Team::new(postgres, 2, &config_watching(&ids)) else {
        return;
    };
    let empty = MockServer::start().await;
    endpoint()
        .respond_with(json_response(
            200,
            &envelope_for_code(601, "Insufficient Balance"),
        ))
        .mount(&empty)
        .await;
    let first = team
        .machine(0)
        .run_async(api_args(&empty.uri(), &["get", &ids[0]]))
        .await;
    first.assert_code(1);
    assert_eq!(request_count(&empty).await, 1);

    // Another process, started after it (with a topped-up account behind the same store),
    // pays nothing and says which machine saw the code, and when.
    let other = team.machine(1);
    let server = server_after(Duration::ZERO).await;
    let run = other
        .run_async(api_args(&server.uri(), &["watch", "refresh", "--json"]))
        .await;
    run.assert_code(1);
    assert_eq!(request_count(&server).await, 0, "{}", run.describe());
    let host = store::claims::holder_id();
    let host = host.split(':').next().unwrap();
    let lines = run.json_lines();
    assert_eq!(lines.len(), ids.len(), "{}", run.describe());
    for line in lines {
        assert_eq!(line["error"]["kind"], "halted", "{line}");
        assert_eq!(line["error"]["code"], 601, "{line}");
        let message = line["error"]["message"].as_str().unwrap();
        assert!(message.contains(&format!("on {host}:")), "{message}");
        assert!(message.contains(" UTC"), "{message}");
        assert!(message.contains("store clear-halt"), "{message}");
    }
    let status = other.run_async(["store", "status"]).await;
    status.assert_code(0);
    assert!(
        status
            .stdout
            .contains("halted:         code 601 (Insufficient Balance)"),
        "{}",
        status.describe()
    );

    // Cleared by the command, calls go out again.
    let cleared = other.run_async(["store", "clear-halt"]).await;
    cleared.assert_code(0);
    assert!(
        cleared.stdout.starts_with("cleared the halt (code 601"),
        "{}",
        cleared.describe()
    );
    let again = other
        .run_async(api_args(&server.uri(), &["watch", "refresh", "--json"]))
        .await;
    again.assert_code(0);
    assert_eq!(request_count(&server).await, ids.len());
    let nothing = other.run_async(["store", "clear-halt"]).await;
    assert_eq!(
        nothing.stdout.trim(),
        "no halt recorded: calls are not stopped"
    );
}

/// On one machine's SQLite file a halt stops the other processes while the process that got
/// it runs; the next run after it ended starts afresh (the person has topped up), as runs
/// did before processes shared halts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_halt_stops_the_other_processes_on_sqlite_while_its_process_runs() {
    let ids = distinct_ids(3);
    let team = Team::new(false, 2, &config_watching(&ids)).unwrap();
    let empty = MockServer::start().await;
    endpoint()
        .respond_with(json_response(
            200,
            &envelope_for_code(601, "Insufficient Balance"),
        ))
        .mount(&empty)
        .await;
    team.machine(0)
        .run_async(api_args(&empty.uri(), &["get", &ids[0]]))
        .await
        .assert_code(1);
    let server = server_after(Duration::ZERO).await;
    let after = team
        .machine(1)
        .run_async(api_args(&server.uri(), &["watch", "refresh", "--json"]))
        .await;
    after.assert_code(0);
    assert_eq!(
        request_count(&server).await,
        ids.len(),
        "{}",
        after.describe()
    );

    // A halt got by a process still running (this test's own) stops everyone.
    let mut store = team.store();
    store
        .record_halt(&store::SharedHalt {
            code: 601,
            meaning: "Insufficient Balance".into(),
            machine: store::claims::holder_id(),
            at: chrono::Utc::now(),
        })
        .unwrap();
    let halted = team
        .machine(1)
        .run_async(api_args(
            &server.uri(),
            &["watch", "refresh", "--force", "--json"],
        ))
        .await;
    halted.assert_code(1);
    assert_eq!(
        request_count(&server).await,
        ids.len(),
        "{}",
        halted.describe()
    );
    for line in halted.json_lines() {
        assert_eq!(line["error"]["kind"], "halted", "{line}");
    }
    let cleared = team.machine(1).run_async(["store", "clear-halt"]).await;
    cleared.assert_code(0);
    assert!(store.shared_halt().unwrap().is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_halt_one_machine_got_stops_the_others_until_cleared_postgres() {
    shared_halt(true).await;
}
