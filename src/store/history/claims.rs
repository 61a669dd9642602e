//! Claims and the shared halt in SQLite: processes on one machine share the file, so they
//! coordinate like machines sharing PostgreSQL. The rule is `claims::decide`; this reads
//! the rows it needs and, to take a claim, does so again under the write lock.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::{History, HistoryError};
use crate::store::Store;
use crate::store::claims::{self, ClaimAsk, ClaimOutcome, ClaimRow, Decision, SharedHalt};

pub(super) fn claim(
    history: &mut History,
    ask: &ClaimAsk<'_>,
) -> Result<ClaimOutcome, HistoryError> {
    // Most asks of a waiting process find the claim still held: a read decides them without
    // queueing for the write lock behind every other process.
    let seen = history.run(|conn| decision(conn, ask))?;
    if seen != Decision::Take
        && let Some(outcome) = outcome_of(history, ask.item_id, seen)?
    {
        return Ok(outcome);
    }
    let under_lock = history.write(|tx| {
        let decided = decision(tx, ask)?;
        if decided == Decision::Take {
            tx.execute(
                "INSERT INTO claims (item_id, holder, until, failed_at, failure)
                 VALUES (?1, ?2, ?3, NULL, NULL)
                 ON CONFLICT (item_id) DO UPDATE SET holder = excluded.holder,
                     until = excluded.until, failed_at = NULL, failure = NULL",
                params![
                    ask.item_id,
                    ask.holder,
                    (ask.now + ask.lease).timestamp_millis()
                ],
            )?;
        }
        Ok(decided)
    })?;
    Ok(outcome_of(history, ask.item_id, under_lock)?.unwrap_or(ClaimOutcome::Taken))
}

/// What a decision other than `Take` tells the asker; `None` when its data has gone since
/// (a report pruned, a halt cleared): the claim is then worth taking.
fn outcome_of(
    history: &History,
    item_id: &str,
    decided: Decision,
) -> Result<Option<ClaimOutcome>, HistoryError> {
    Ok(match decided {
        Decision::Take => None,
        Decision::Fresh => history.latest_report(item_id)?.map(ClaimOutcome::Fresh),
        Decision::Wait { holder, until } => Some(ClaimOutcome::Held { holder, until }),
        Decision::Failed(error) => Some(ClaimOutcome::Failed(error)),
        Decision::Halted => shared_halt(history)?.map(ClaimOutcome::Halted),
    })
}

fn decision(conn: &Connection, ask: &ClaimAsk<'_>) -> rusqlite::Result<Decision> {
    let halted = standing_halt(conn)?.is_some();
    let newest: Option<i64> = conn
        .prepare_cached(
            "SELECT max(fetched_at) FROM snapshots WHERE item_id = ?1 AND data IS NOT NULL",
        )?
        .query_row([ask.item_id], |row| row.get(0))?;
    let claim = conn
        .prepare_cached("SELECT holder, until, failed_at, failure FROM claims WHERE item_id = ?1")?
        .query_row([ask.item_id], claim_row)
        .optional()?;
    Ok(claims::decide(
        halted,
        newest.and_then(DateTime::from_timestamp_millis),
        claim.as_ref(),
        ask,
    ))
}

fn claim_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<ClaimRow> {
    let failed_at: Option<i64> = row.get(2)?;
    let failure: Option<String> = row.get(3)?;
    Ok(ClaimRow {
        holder: row.get(0)?,
        until: millis(row.get(1)?),
        failed: failed_at.map(millis).zip(failure),
    })
}

fn millis(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

pub(super) fn release(
    history: &mut History,
    item_id: &str,
    holder: &str,
    failure: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), HistoryError> {
    history.write(|tx| {
        match failure {
            Some(error) => tx.execute(
                "UPDATE claims SET failed_at = ?3, failure = ?4, until = ?3
                 WHERE item_id = ?1 AND holder = ?2",
                params![item_id, holder, now.timestamp_millis(), error],
            ),
            None => tx.execute(
                "DELETE FROM claims WHERE item_id = ?1 AND holder = ?2",
                params![item_id, holder],
            ),
        }
        .map(drop)
    })
}

pub(super) fn live_claims(
    history: &History,
    now: DateTime<Utc>,
) -> Result<Vec<(String, ClaimRow)>, HistoryError> {
    history.run(|conn| {
        conn.prepare_cached(
            "SELECT holder, until, failed_at, failure, item_id FROM claims
             WHERE until > ?1 AND failed_at IS NULL ORDER BY item_id",
        )?
        .query_map([now.timestamp_millis()], |row| {
            Ok((row.get::<_, String>(4)?, claim_row(row)?))
        })?
        .collect()
    })
}

pub(super) fn record_halt(history: &mut History, halt: &SharedHalt) -> Result<(), HistoryError> {
    history.write(|tx| {
        // The first halt stands, unless its process has ended (see `halt`).
        if standing_halt(tx)?.is_some() {
            return Ok(());
        }
        tx.execute(
            "INSERT OR REPLACE INTO halts (id, code, meaning, machine, at)
             VALUES (1, ?1, ?2, ?3, ?4)",
            params![
                halt.code,
                halt.meaning,
                halt.machine,
                halt.at.timestamp_millis()
            ],
        )
        .map(drop)
    })
}

pub(super) fn shared_halt(history: &History) -> Result<Option<SharedHalt>, HistoryError> {
    history.run(standing_halt)
}

pub(super) fn clear_halt(history: &mut History) -> Result<Option<SharedHalt>, HistoryError> {
    history.write(|tx| {
        let was = standing_halt(tx)?;
        tx.execute("DELETE FROM halts", [])?;
        Ok(was)
    })
}

/// The halt that stops every process on this machine, while the process that got it runs.
/// One person's next run starts afresh, as it did before processes shared halts (they
/// topped up, or fixed the token); a team store keeps its halt until someone clears it.
fn standing_halt(conn: &Connection) -> rusqlite::Result<Option<SharedHalt>> {
    let halt = conn
        .prepare_cached("SELECT code, meaning, machine, at FROM halts")?
        .query_row([], |row| {
            Ok(SharedHalt {
                code: row.get(0)?,
                meaning: row.get(1)?,
                machine: row.get(2)?,
                at: millis(row.get(3)?),
            })
        })
        .optional()?;
    Ok(halt.filter(|h| !claims::holder_has_ended(&h.machine)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Record, Snapshot};

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_700_000_000 + secs, 0).unwrap()
    }

    fn ask<'a>(holder: &'a str, now: i64) -> ClaimAsk<'a> {
        ClaimAsk {
            item_id: "7566200471448779514",
            holder,
            now: at(now),
            lease: chrono::Duration::seconds(60),
            fresh_since: at(now - 600),
            asked_at: at(now),
        }
    }

    /// Two handles on one file, as two processes have.
    fn two() -> (tempfile::TempDir, History, History) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.db");
        let a = History::open(&path).unwrap();
        let b = History::open(&path).unwrap();
        (dir, a, b)
    }

    fn store_answer(h: &mut History, secs: i64) {
        let data = serde_json::json!({"video_info": {"title": "t"}});
        let snapshot = Snapshot {
            item_id: "7566200471448779514".into(),
            fetched_at: at(secs),
            vv_cnt: Some(1),
            like_cnt: None,
            comment_cnt: None,
            share_cnt: None,
            collect_cnt: None,
            interact_cnt: None,
            interact_rate: None,
            finish_rate: None,
            follower: None,
        };
        h.record(&[Record {
            snapshot,
            data: &data,
        }])
        .unwrap();
    }

    #[test]
    fn one_holder_at_a_time_and_its_stored_answer_serves_the_other() {
        let (_dir, mut a, mut b) = two();
        assert_eq!(a.claim(&ask("a:1", 0)).unwrap(), ClaimOutcome::Taken);
        assert_eq!(
            b.claim(&ask("b:2", 1)).unwrap(),
            ClaimOutcome::Held {
                holder: "a:1".into(),
                until: at(60)
            }
        );
        assert_eq!(b.live_claims(at(1)).unwrap().len(), 1);
        store_answer(&mut a, 2);
        assert!(
            a.live_claims(at(2)).unwrap().is_empty(),
            "stored, so released"
        );
        match b.claim(&ask("b:2", 3)).unwrap() {
            ClaimOutcome::Fresh(entry) => assert_eq!(entry.fetched_at, at(2)),
            other => panic!("expected the stored answer, got {other:?}"),
        }
    }

    #[test]
    fn a_dead_holders_claim_is_taken_once_its_lease_ran_out() {
        let (_dir, mut a, mut b) = two();
        assert_eq!(a.claim(&ask("dead:1", 0)).unwrap(), ClaimOutcome::Taken);
        assert!(matches!(
            b.claim(&ask("b:2", 59)).unwrap(),
            ClaimOutcome::Held { .. }
        ));
        assert_eq!(b.claim(&ask("b:2", 60)).unwrap(), ClaimOutcome::Taken);
        let live = b.live_claims(at(61)).unwrap();
        assert_eq!(live[0].1.holder, "b:2");
    }

    #[test]
    fn a_failure_is_the_answer_of_those_who_waited_and_frees_the_item() {
        let (_dir, mut a, mut b) = two();
        a.claim(&ask("a:1", 0)).unwrap();
        let waiting = ask("b:2", 1);
        assert!(matches!(
            b.claim(&waiting).unwrap(),
            ClaimOutcome::Held { .. }
        ));
        a.release(waiting.item_id, "a:1", Some("{\"Stopped\":null}"), at(2))
            .unwrap();
        let mut later = ask("b:2", 3);
        later.asked_at = waiting.asked_at;
        assert_eq!(
            b.claim(&later).unwrap(),
            ClaimOutcome::Failed("{\"Stopped\":null}".into())
        );
        // Asked after the failure: worth another call.
        assert_eq!(b.claim(&ask("b:2", 3)).unwrap(), ClaimOutcome::Taken);
        // Another holder cannot release it.
        a.release(waiting.item_id, "a:1", None, at(4)).unwrap();
        assert_eq!(b.live_claims(at(4)).unwrap().len(), 1);
        b.release(waiting.item_id, "b:2", None, at(4)).unwrap();
        assert!(b.live_claims(at(4)).unwrap().is_empty());
    }

    #[test]
    fn a_halt_stops_everyone_until_cleared_and_the_first_one_is_kept() {
        let (_dir, mut a, mut b) = two();
        let halt = SharedHalt {
            code: 601,
            meaning: "Insufficient Balance".into(),
            machine: "laptop-3:42".into(),
            at: at(0),
        };
        a.record_halt(&halt).unwrap();
        a.record_halt(&SharedHalt {
            code: 303,
            ..halt.clone()
        })
        .unwrap();
        assert_eq!(
            b.claim(&ask("b:2", 1)).unwrap(),
            ClaimOutcome::Halted(halt.clone())
        );
        assert_eq!(b.clear_halt().unwrap(), Some(halt));
        assert_eq!(a.shared_halt().unwrap(), None);
        assert_eq!(b.claim(&ask("b:2", 2)).unwrap(), ClaimOutcome::Taken);
        assert_eq!(b.clear_halt().unwrap(), None);
    }
}
