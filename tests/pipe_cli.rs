//! A reader that goes away (`xingtu-dash … | head -1`): no further paid call, no panic, no
//! error text, exit status 141 (as a program stopped by SIGPIPE reports it).
//!
//! The pipes are made here, so a test decides exactly when the read end closes: before the
//! child writes anything (every write fails), or after one line.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use common::*;
use wiremock::MockServer;

/// How a program stopped by a closed pipe reports (128 + SIGPIPE), as documented.
const EXIT_PIPE_CLOSED: i32 = 141;

/// Runs `cmd` with stdout a pipe whose read end is already closed.
fn run_into_closed_pipe(mut cmd: Command) -> Run {
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    cmd.stdout(writer);
    run_stderr_only(cmd)
}

/// Runs `cmd` (stdout already set up by the caller) and collects stderr, with a timeout;
/// checks that the token was not printed.
fn run_stderr_only(mut cmd: Command) -> Run {
    cmd.stderr(Stdio::piped());
    let start = std::time::Instant::now();
    let mut child = cmd.spawn().expect("spawn xingtu-dash");
    // The parent's copy of the write end must go, or the reader never sees the end.
    drop(cmd);
    let mut err = child.stderr.take().expect("piped stderr");
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = std::io::Read::read_to_end(&mut err, &mut buf);
        buf
    });
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > CHILD_TIMEOUT {
            let _ = child.kill();
            panic!("xingtu-dash did not finish within {CHILD_TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let run = Run {
        code: status.code(),
        stdout: String::new(),
        stderr: String::from_utf8_lossy(&err_reader.join().unwrap_or_default()).into_owned(),
        elapsed: start.elapsed(),
    };
    run.assert_no_secrets(&[TOKEN.to_owned()]);
    run
}

fn assert_quiet_stop(run: &Run, what: &str) {
    assert!(
        !run.stderr.contains("panicked"),
        "{what}: a panic\n{}",
        run.describe()
    );
    assert_eq!(run.stderr, "", "{what}: no error text\n{}", run.describe());
    assert_eq!(
        run.code,
        Some(EXIT_PIPE_CLOSED),
        "{what}: exit status\n{}",
        run.describe()
    );
}

/// A fake API answering every lookup with the example after `delay`.
async fn slow_api(delay: Duration) -> MockServer {
    server_answering(ok_response().set_delay(delay)).await
}

#[tokio::test(flavor = "multi_thread")]
async fn get_into_head_stops_calling_once_the_reader_is_gone() {
    let server = slow_api(Duration::from_millis(300)).await;
    let env = TestEnv::new();
    let ids = distinct_ids(40);
    let mut args = vec!["--json", "--concurrency", "2"];
    args.extend(ids.iter().map(String::as_str));
    let mut cmd = env.cmd(get_args(&server.uri(), &args));
    let (reader, writer) = std::io::pipe().expect("a pipe");
    cmd.stdout(writer);
    let run = tokio::task::spawn_blocking(move || {
        let head = std::thread::spawn(move || {
            // `head -1`: one line, then the pipe is closed.
            let mut line = String::new();
            BufReader::new(reader).read_line(&mut line).expect("read");
            line
        });
        let run = run_stderr_only(cmd);
        (run, head.join().expect("the reader thread"))
    })
    .await
    .expect("the runner");
    let (run, first) = run;
    assert!(first.contains(&ids[0]), "first line: {first}");
    assert_quiet_stop(&run, "get | head -1");
    let calls = request_count(&server).await;
    // Two under way when the first line is read, two more at most before a write fails.
    assert!(
        calls <= 6,
        "{calls} paid calls for one line read\n{}",
        run.describe()
    );
    // The calls under way were let finish, and what they bought is recorded.
    let history = xingtu_dash::store::history::History::open(&env.history_db_path()).unwrap();
    let recorded: usize = ids
        .iter()
        .map(|id| history.series(id, None).unwrap().len())
        .sum();
    assert_eq!(recorded, calls, "{}", run.describe());
    // The batch's note is closed, or other processes would take it for one still running.
    let db = rusqlite::Connection::open(env.history_db_path()).unwrap();
    let open: i64 = db
        .query_row(
            "SELECT count(*) FROM spend_batches WHERE finished_at IS NULL",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(open, 0, "{}", run.describe());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_watch_refresh_into_a_closed_pipe_makes_at_most_the_calls_under_way() {
    let server = slow_api(Duration::from_millis(50)).await;
    let ids = distinct_ids(30);
    let env = TestEnv::new();
    let mut config = String::new();
    for id in &ids {
        config.push_str(&format!("[[watchlist]]\nitem_id = \"{id}\"\n\n"));
    }
    env.write_file(&env.default_config_path(), &config);
    let cmd = env.cmd(api_args(
        &server.uri(),
        &["watch", "refresh", "--json", "--concurrency", "2"],
    ));
    let run = tokio::task::spawn_blocking(move || run_into_closed_pipe(cmd))
        .await
        .expect("the runner");
    assert_quiet_stop(&run, "watch refresh --json");
    let calls = request_count(&server).await;
    // The two under way, and at most one more: the slot an answer frees can start the next
    // call before that answer's print has found the pipe closed.
    assert!(calls <= 3, "{calls} paid calls\n{}", run.describe());
    // The answers already paid for are kept: a second run within the cache window reuses
    // them instead of calling again.
    let history = xingtu_dash::store::history::History::open(&env.history_db_path()).unwrap();
    let recorded: usize = ids
        .iter()
        .map(|id| history.series(id, None).unwrap().len())
        .sum();
    assert_eq!(recorded, calls, "every answer received is in the history");
}

#[tokio::test(flavor = "multi_thread")]
async fn no_command_panics_on_a_closed_pipe() {
    let server = slow_api(Duration::ZERO).await;
    let env = TestEnv::new();
    let base = server.uri();
    // Something in every store: a watched item, a snapshot, a cached report.
    env.run_async(api_args(&base, &["watch", "add", EXAMPLE_ID]))
        .await
        .assert_code(0);
    env.run_async(api_args(&base, &["get", EXAMPLE_ID]))
        .await
        .assert_code(0);
    let commands: &[&[&str]] = &[
        &["history", EXAMPLE_ID],
        &["history", EXAMPLE_ID, "--json"],
        &["history", EXAMPLE_ID, "--csv"],
        &["history", "7566200471448779599"],
        &["history", "prune", "--keep-days", "3650"],
        &["watch", "list"],
        &["watch", "list", "--json"],
        &["watch", "add", EXAMPLE_ID],
        &["watch", "label", EXAMPLE_ID, "launch"],
        &["export"],
        &["export", "--format", "json"],
        &["export", "--format", "xlsx"],
        &["get", EXAMPLE_ID],
        &["get", "--json", EXAMPLE_ID],
        &["watch", "refresh"],
    ];
    for args in commands {
        let cmd = env.cmd(api_args(&base, args));
        let run = tokio::task::spawn_blocking(move || run_into_closed_pipe(cmd))
            .await
            .expect("the runner");
        assert_quiet_stop(&run, &args.join(" "));
    }
    // Help and version go through clap, which never panics on a closed pipe.
    for args in [&["--help"][..], &["get", "--help"], &["--version"]] {
        let cmd = env.cmd(args);
        let run = tokio::task::spawn_blocking(move || run_into_closed_pipe(cmd))
            .await
            .expect("the runner");
        assert!(
            !run.stderr.contains("panicked"),
            "{args:?}\n{}",
            run.describe()
        );
    }
}

/// Output that cannot be written for another reason (a full disk) is an error that says so,
/// never a panic.
#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread")]
async fn a_full_disk_is_an_error_not_a_panic() {
    let env = TestEnv::new();
    env.write_file(
        &env.default_config_path(),
        &format!("[[watchlist]]\nitem_id = \"{EXAMPLE_ID}\"\n"),
    );
    for args in [
        &["watch", "list"][..],
        &["export"],
        &["export", "--format", "xlsx"],
    ] {
        let mut cmd = env.cmd(args);
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full");
        cmd.stdout(full);
        let run = tokio::task::spawn_blocking(move || run_stderr_only(cmd))
            .await
            .expect("the runner");
        assert!(!run.stderr.contains("panicked"), "{}", run.describe());
        assert!(
            run.stderr.contains("cannot write the output") && run.stderr.contains("space"),
            "{}",
            run.describe()
        );
        run.assert_code(1);
    }
}
