//! Claims and the shared halt in the shared store (the rule is `store::claims::decide`).
//! Each ask for an item takes a transaction-scoped advisory lock on it, so two machines
//! asking for the same item decide one after the other while asks for different items never
//! wait for each other; what the rule needs is read in one round trip.

use chrono::{DateTime, Utc};
use tokio_postgres::{Client, GenericClient};

use super::snapshots;
use crate::store::claims::{self, ClaimAsk, ClaimOutcome, ClaimRow, Decision, SharedHalt};

/// The first key of the advisory lock on an item ("xtdc"); the second is its id's hash.
const CLAIM_LOCK: i32 = 0x7874_6463;

const STATE: &str = "SELECT
        (SELECT max(fetched_at) FROM snapshots WHERE item_id = $1 AND data IS NOT NULL),
        EXISTS (SELECT 1 FROM halts),
        c.holder, c.until, c.failed_at, c.failure
     FROM (SELECT 1) AS one LEFT JOIN claims AS c ON c.item_id = $1";

pub async fn claim(
    client: &mut Client,
    ask: &ClaimAsk<'_>,
) -> Result<ClaimOutcome, tokio_postgres::Error> {
    // Most asks of a waiting machine find the claim still held: decided without the lock.
    let seen = decision(&*client, ask).await?;
    if seen != Decision::Take
        && let Some(outcome) = outcome_of(&*client, ask.item_id, seen).await?
    {
        return Ok(outcome);
    }
    let tx = client.transaction().await?;
    tx.execute(
        "SELECT pg_advisory_xact_lock($1, hashtext($2))",
        &[&CLAIM_LOCK, &ask.item_id],
    )
    .await?;
    let decided = decision(&tx, ask).await?;
    if decided == Decision::Take {
        tx.execute(
            "INSERT INTO claims (item_id, holder, until, failed_at, failure)
             VALUES ($1, $2, $3, NULL, NULL)
             ON CONFLICT (item_id) DO UPDATE SET holder = excluded.holder,
                 until = excluded.until, failed_at = NULL, failure = NULL",
            &[
                &ask.item_id,
                &ask.holder,
                &(ask.now + ask.lease).timestamp_millis(),
            ],
        )
        .await?;
    }
    let outcome = outcome_of(&tx, ask.item_id, decided).await?;
    tx.commit().await?;
    Ok(outcome.unwrap_or(ClaimOutcome::Taken))
}

async fn decision(
    client: &impl GenericClient,
    ask: &ClaimAsk<'_>,
) -> Result<Decision, tokio_postgres::Error> {
    let row = client.query_one(STATE, &[&ask.item_id]).await?;
    let claim = row.get::<_, Option<String>>(2).map(|holder| ClaimRow {
        holder,
        until: millis(row.get(3)),
        failed: row
            .get::<_, Option<i64>>(4)
            .map(millis)
            .zip(row.get::<_, Option<String>>(5)),
    });
    Ok(claims::decide(
        row.get(1),
        row.get::<_, Option<i64>>(0)
            .and_then(DateTime::from_timestamp_millis),
        claim.as_ref(),
        ask,
    ))
}

/// What a decision other than `Take` tells the asker; `None` when its data has gone since.
async fn outcome_of(
    client: &impl GenericClient,
    item_id: &str,
    decided: Decision,
) -> Result<Option<ClaimOutcome>, tokio_postgres::Error> {
    Ok(match decided {
        Decision::Take => None,
        Decision::Fresh => snapshots::latest_report(client, item_id)
            .await?
            .and_then(|(at, text)| snapshots::cache_entry(item_id, at, &text))
            .map(ClaimOutcome::Fresh),
        Decision::Wait { holder, until } => Some(ClaimOutcome::Held { holder, until }),
        Decision::Failed(error) => Some(ClaimOutcome::Failed(error)),
        Decision::Halted => shared_halt(client).await?.map(ClaimOutcome::Halted),
    })
}

fn millis(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

pub async fn release(
    client: &Client,
    item_id: &str,
    holder: &str,
    failure: Option<&str>,
    now: i64,
) -> Result<(), tokio_postgres::Error> {
    match failure {
        Some(error) => {
            client
                .execute(
                    "UPDATE claims SET failed_at = $3, failure = $4, until = $3
                     WHERE item_id = $1 AND holder = $2",
                    &[&item_id, &holder, &now, &error],
                )
                .await
        }
        None => {
            client
                .execute(
                    "DELETE FROM claims WHERE item_id = $1 AND holder = $2",
                    &[&item_id, &holder],
                )
                .await
        }
    }
    .map(drop)
}

pub async fn live(
    client: &Client,
    now: i64,
) -> Result<Vec<(String, ClaimRow)>, tokio_postgres::Error> {
    Ok(client
        .query(
            "SELECT item_id, holder, until FROM claims
             WHERE until > $1 AND failed_at IS NULL ORDER BY item_id",
            &[&now],
        )
        .await?
        .iter()
        .map(|row| {
            (
                row.get(0),
                ClaimRow {
                    holder: row.get(1),
                    until: millis(row.get(2)),
                    failed: None,
                },
            )
        })
        .collect())
}

pub async fn record_halt(client: &Client, halt: &SharedHalt) -> Result<(), tokio_postgres::Error> {
    client
        .execute(
            "INSERT INTO halts (singleton, code, meaning, machine, at) VALUES (1, $1, $2, $3, $4)
             ON CONFLICT (singleton) DO NOTHING",
            &[
                &halt.code,
                &halt.meaning,
                &halt.machine,
                &halt.at.timestamp_millis(),
            ],
        )
        .await
        .map(drop)
}

pub async fn shared_halt(
    client: &impl GenericClient,
) -> Result<Option<SharedHalt>, tokio_postgres::Error> {
    Ok(client
        .query_opt("SELECT code, meaning, machine, at FROM halts", &[])
        .await?
        .map(|row| halt_of(&row)))
}

pub async fn clear_halt(client: &Client) -> Result<Option<SharedHalt>, tokio_postgres::Error> {
    Ok(client
        .query_opt(
            "DELETE FROM halts RETURNING code, meaning, machine, at",
            &[],
        )
        .await?
        .map(|row| halt_of(&row)))
}

/// A `code, meaning, machine, at` row of the halts table.
fn halt_of(row: &tokio_postgres::Row) -> SharedHalt {
    SharedHalt {
        code: row.get(0),
        meaning: row.get(1),
        machine: row.get(2),
        at: millis(row.get(3)),
    }
}
