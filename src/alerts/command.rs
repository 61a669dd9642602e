//! Running `[alerts] command` for one alert: through the shell, the alert as one line of
//! JSON on stdin, within a timeout, with everything it started killed if it overstays. The
//! API token is never in its environment.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::process::Command;

use super::Alert;
use crate::t;

/// How long a command may run (10 s); `XINGTU_DASH_ALERT_TIMEOUT_MS` shortens it for tests.
pub fn timeout() -> Duration {
    std::env::var("XINGTU_DASH_ALERT_TIMEOUT_MS")
        .ok()
        .and_then(|ms| ms.trim().parse().ok())
        .map_or(Duration::from_secs(10), Duration::from_millis)
}

/// What the command writes to stderr is kept up to this much, for the failure message.
const STDERR_KEPT: usize = 2048;

/// Runs `command` with `alert` on stdin; an error says what went wrong in a line.
pub async fn run(command: &str, alert: &Alert, timeout: Duration) -> Result<(), String> {
    let mut cmd = shell(command);
    cmd.env_remove("JUSTONEAPI_TOKEN")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true);
    #[cfg(unix)]
    cmd.process_group(0);
    let mut child = cmd
        .spawn()
        .map_err(|e| t!("alert-command-start", error = e.to_string()))?;
    let pid = child.id();
    let line = format!(
        "{}\n",
        serde_json::to_string(alert).unwrap_or_else(|_| "{}".into())
    );
    let mut stdin = child.stdin.take();
    let mut stderr = child.stderr.take();
    let finished = tokio::time::timeout(timeout, async {
        // A command that never reads its input must not hang the write.
        if let Some(mut stdin) = stdin.take() {
            let _ = stdin.write_all(line.as_bytes()).await;
        }
        let mut kept = Vec::new();
        if let Some(err) = stderr.as_mut() {
            let mut buf = [0u8; 1024];
            while let Ok(n) = err.read(&mut buf).await {
                if n == 0 {
                    break;
                }
                let room = STDERR_KEPT.saturating_sub(kept.len());
                kept.extend_from_slice(&buf[..n.min(room)]);
            }
        }
        (child.wait().await, kept)
    })
    .await;
    match finished {
        Ok((Ok(status), _)) if status.success() => Ok(()),
        Ok((Ok(status), kept)) => {
            let said = String::from_utf8_lossy(&kept);
            let said = said.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            let exited = match status.code() {
                Some(c) => t!("alert-command-status", status = c.to_string()),
                None => t!("alert-command-signal"),
            };
            Err(if said.is_empty() {
                exited
            } else {
                format!("{exited}: {}", crate::format::clean(said.trim()))
            })
        }
        Ok((Err(e), _)) => Err(t!("alert-command-wait", error = e.to_string())),
        Err(_) => {
            kill_group(pid);
            let _ = child.kill().await;
            let secs = timeout.as_secs_f64().to_string();
            Err(t!("alert-command-killed", secs = secs))
        }
    }
}

/// What became of a fired alert, for the front end to show.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    Fired(Alert),
    /// `[alerts] command` failed for this alert (it was logged too).
    CommandFailed {
        alert: Alert,
        error: String,
    },
}

/// Passes each fired alert on as it comes and runs `command` for it in the background, so
/// no refresh ever waits for a command; ends once `fired` is closed and every command has
/// finished (or been killed at its timeout).
pub async fn notify(
    mut fired: tokio::sync::mpsc::UnboundedReceiver<Alert>,
    command: Option<String>,
    timeout: Duration,
    out: tokio::sync::mpsc::UnboundedSender<Notice>,
) {
    let mut running = tokio::task::JoinSet::new();
    let mut open = true;
    while open || !running.is_empty() {
        tokio::select! {
            alert = fired.recv(), if open => {
                let Some(alert) = alert else {
                    open = false;
                    continue;
                };
                tracing::info!(name = %alert.name, item = %alert.item_id, "alert fired");
                let _ = out.send(Notice::Fired(alert.clone()));
                if let Some(command) = command.clone() {
                    running.spawn(async move {
                        let result = run(&command, &alert, timeout).await;
                        (alert, result)
                    });
                }
            }
            Some(done) = running.join_next() => {
                if let Ok((alert, Err(error))) = done {
                    tracing::warn!(name = %alert.name, "alert command failed: {error}");
                    let _ = out.send(Notice::CommandFailed { alert, error });
                }
            }
        }
    }
}

fn shell(command: &str) -> Command {
    #[cfg(unix)]
    {
        let mut cmd = Command::new("sh");
        cmd.arg("-c").arg(command);
        cmd
    }
    #[cfg(not(unix))]
    {
        let mut cmd = Command::new("cmd");
        cmd.arg("/C").arg(command);
        cmd
    }
}

/// The shell's children (a `curl` it started) hold the pipes open and outlive the shell:
/// the whole process group goes.
fn kill_group(pid: Option<u32>) {
    #[cfg(unix)]
    if let Some(pid) = pid.and_then(|p| i32::try_from(p).ok()) {
        // SAFETY: kill(2) with a negative pid signals that process group; the group was
        // created for this command alone (process_group(0)), so nothing else is hit.
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
    #[cfg(not(unix))]
    let _ = pid;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alerts::Direction;

    fn alert() -> Alert {
        Alert {
            name: "big".into(),
            item_id: "7566200471448779514".into(),
            label: None,
            campaign: None,
            metric: "views".into(),
            value: 2.0,
            threshold: 1.0,
            direction: Direction::Above,
            at: chrono::DateTime::from_timestamp(0, 0).unwrap(),
        }
    }

    #[tokio::test]
    async fn the_command_reads_the_alert_and_its_failure_is_told() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("got.json");
        let cmd = format!("cat > '{}'", out.display());
        run(&cmd, &alert(), Duration::from_secs(5)).await.unwrap();
        let got: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
        assert_eq!(got["value"], 2);
        assert_eq!(got["direction"], "above");

        let err = run(
            "echo 'webhook said no' >&2; exit 7",
            &alert(),
            Duration::from_secs(5),
        )
        .await
        .unwrap_err();
        assert_eq!(err, "exited with status 7: webhook said no");
    }

    #[tokio::test]
    async fn a_hung_command_is_killed_with_its_children() {
        let start = std::time::Instant::now();
        let err = run("sleep 30; true", &alert(), Duration::from_millis(200))
            .await
            .unwrap_err();
        assert!(err.contains("killed"), "{err}");
        assert!(start.elapsed() < Duration::from_secs(10));
    }
}
