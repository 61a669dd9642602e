//! Paying for each item once across every process that shares a store (five laptops on one
//! PostgreSQL, or a dashboard and a cron job on one SQLite file): before a paid call a
//! process claims the item for a lease; others wait for its answer to land in the store.
//! And a code that stops all calls (an empty balance) stops everyone's, until it is cleared.
//!
//! What a process may do about an item is decided here from what the store holds, the same
//! for every engine; each engine only reads and writes the rows under its own lock.

use chrono::{DateTime, Utc};

/// Who is asking, and what answer would do.
#[derive(Debug, Clone)]
pub struct ClaimAsk<'a> {
    pub item_id: &'a str,
    /// This machine and process (see [`holder_id`]).
    pub holder: &'a str,
    pub now: DateTime<Utc>,
    /// How long a claim lasts unless its answer lands first: a holder that died loses it then.
    pub lease: chrono::Duration,
    /// A report fetched at or after this (and not in the future) makes a call pointless: the
    /// start of the cache window, or when a forced lookup was asked for.
    pub fresh_since: DateTime<Utc>,
    /// When the lookup was asked for: a failure reported by the holder since then is this
    /// lookup's answer too (an older one is worth another try).
    pub asked_at: DateTime<Utc>,
}

/// An item's claim as the store holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimRow {
    pub holder: String,
    pub until: DateTime<Utc>,
    /// The holder gave up: when, and its error (as `ApiError` JSON). The claim is free then.
    pub failed: Option<(DateTime<Utc>, String)>,
}

/// A code that stopped every call of the team, until someone clears it.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedHalt {
    pub code: i64,
    /// The provider's meaning of the code ("Insufficient Balance").
    pub meaning: String,
    /// The machine and process that got it.
    pub machine: String,
    pub at: DateTime<Utc>,
}

/// What the store says about a claim asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum ClaimOutcome {
    /// The asker holds the item now: it makes the call, then stores the answer or releases
    /// the claim with its error.
    Taken,
    /// Someone's answer is fresh: no call.
    Fresh(super::CacheEntry),
    /// Another live holder is calling; ask again later.
    Held {
        holder: String,
        until: DateTime<Utc>,
    },
    /// The holder gave up after this lookup was asked for, with this error (JSON).
    Failed(String),
    /// Calls are stopped for everyone.
    Halted(SharedHalt),
}

/// What [`decide`] concluded; `Fresh` and `Halted` carry no data, which the engine reads.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    Take,
    Fresh,
    Wait {
        holder: String,
        until: DateTime<Utc>,
    },
    Failed(String),
    Halted,
}

/// The rule every engine applies under its lock: halted beats everything; a fresh answer
/// (see below) beats a call; a live claim of another holder is waited for; a failure since the ask is
/// the answer; anything else (no claim, an expired one, an old failure, one's own) is taken.
pub fn decide(
    halted: bool,
    newest: Option<DateTime<Utc>>,
    claim: Option<&ClaimRow>,
    ask: &ClaimAsk<'_>,
) -> Decision {
    if halted {
        return Decision::Halted;
    }
    // An answer dated a little ahead of `now` counts: it was stored while this ask was on
    // its way, or by a machine whose clock runs ahead. One dated further ahead than a lease
    // comes from a clock gone wrong, and its age is unknown.
    if newest.is_some_and(|at| at >= ask.fresh_since && at <= ask.now + ask.lease) {
        return Decision::Fresh;
    }
    match claim {
        Some(c) if c.holder != ask.holder => match &c.failed {
            Some((at, error)) if *at >= ask.asked_at => Decision::Failed(error.clone()),
            Some(_) => Decision::Take,
            None if c.until > ask.now => Decision::Wait {
                holder: c.holder.clone(),
                until: c.until,
            },
            None => Decision::Take,
        },
        _ => Decision::Take,
    }
}

/// This machine and process, as claims and halts name it: `host:pid`.
pub fn holder_id() -> String {
    format!("{}:{}", host_name(), std::process::id())
}

/// Whether the process a `host:pid` names has ended: only a process of this machine can be
/// seen to; any other (or a name that is not `host:pid`) is taken as still running.
pub fn holder_has_ended(holder: &str) -> bool {
    let Some((host, pid)) = holder.rsplit_once(':') else {
        return false;
    };
    let Ok(pid) = pid.parse::<u32>() else {
        return false;
    };
    host == host_name() && pid != std::process::id() && !process_runs(pid)
}

#[cfg(unix)]
fn process_runs(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // Signal 0 only asks whether the process exists; EPERM means it does, as another user's.
    // SAFETY: kill with signal 0 sends nothing and touches no memory.
    let sent = unsafe { libc::kill(pid, 0) };
    sent == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

#[cfg(not(unix))]
fn process_runs(_pid: u32) -> bool {
    false
}

/// The kernel's name for this machine where it says (Linux), else what the shell says.
fn host_name() -> String {
    ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .chain(std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_owned())
        .find(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn only_a_process_of_this_machine_that_has_exited_has_ended() {
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        let host = host_name();
        assert!(holder_has_ended(&format!("{host}:{pid}")));
        assert!(!holder_has_ended(&holder_id()));
        assert!(!holder_has_ended(&format!("{host}:1")), "init runs");
        assert!(!holder_has_ended(&format!("{host}-elsewhere:{pid}")));
        assert!(!holder_has_ended("no pid here"));
        assert!(!holder_has_ended(&format!("{host}:not-a-pid")));
    }

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_000_000 + secs, 0).unwrap()
    }

    fn ask() -> ClaimAsk<'static> {
        ClaimAsk {
            item_id: "1",
            holder: "me:1",
            now: at(0),
            lease: chrono::Duration::seconds(60),
            fresh_since: at(-600),
            asked_at: at(-1),
        }
    }

    fn held(holder: &str, until: i64) -> ClaimRow {
        ClaimRow {
            holder: holder.into(),
            until: at(until),
            failed: None,
        }
    }

    #[test]
    fn a_halt_stops_even_a_fresh_item() {
        assert_eq!(decide(true, Some(at(-5)), None, &ask()), Decision::Halted);
    }

    #[test]
    fn a_fresh_answer_is_used_whoever_claims_the_item() {
        let other = held("other:2", 30);
        assert_eq!(
            decide(false, Some(at(-5)), Some(&other), &ask()),
            Decision::Fresh
        );
        assert_eq!(decide(false, Some(at(-600)), None, &ask()), Decision::Fresh);
        // Stored while the ask was on its way, or by a clock a little ahead: fresh.
        assert_eq!(decide(false, Some(at(5)), None, &ask()), Decision::Fresh);
        // Outside the window, or from a clock more than a lease ahead: not fresh.
        assert_eq!(decide(false, Some(at(-601)), None, &ask()), Decision::Take);
        assert_eq!(decide(false, Some(at(61)), None, &ask()), Decision::Take);
    }

    #[test]
    fn a_live_claim_of_another_is_waited_for_and_an_expired_one_taken() {
        let live = held("other:2", 1);
        assert_eq!(
            decide(false, None, Some(&live), &ask()),
            Decision::Wait {
                holder: "other:2".into(),
                until: at(1)
            }
        );
        let expired = held("other:2", 0);
        assert_eq!(decide(false, None, Some(&expired), &ask()), Decision::Take);
        let mine = held("me:1", 50);
        assert_eq!(decide(false, None, Some(&mine), &ask()), Decision::Take);
    }

    #[test]
    fn a_failure_since_the_ask_is_the_answer_an_older_one_is_retried() {
        let mut failed = held("other:2", 40);
        failed.failed = Some((at(-1), "{}".into()));
        assert_eq!(
            decide(false, None, Some(&failed), &ask()),
            Decision::Failed("{}".into())
        );
        failed.failed = Some((at(-2), "{}".into()));
        assert_eq!(decide(false, None, Some(&failed), &ask()), Decision::Take);
    }

    #[test]
    fn the_holder_names_this_process() {
        let id = holder_id();
        assert!(id.ends_with(&format!(":{}", std::process::id())), "{id}");
        assert!(!id.starts_with(':'), "{id}");
    }
}
