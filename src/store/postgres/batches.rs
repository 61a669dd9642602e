//! Batches of paid calls in the shared store: when they ran, so overlapping processes
//! (on any machine of the team) are told apart, and what they cost, to learn the price.

use tokio_postgres::Client;

use crate::account::{Amount, PricePerCall};
use crate::store::history::{PRICE_BATCHES, STALE_BATCH_MS};

pub async fn begin(client: &Client, started_at: i64) -> Result<i64, tokio_postgres::Error> {
    Ok(client
        .query_one(
            "INSERT INTO spend_batches (started_at) VALUES ($1) RETURNING id",
            &[&started_at],
        )
        .await?
        .get(0))
}

/// Marks batch `id` finished; true when another batch overlapped it or more reports were
/// stored meanwhile than it fetched.
pub async fn finish(
    client: &mut Client,
    id: i64,
    end: i64,
    own_fetches: u64,
) -> Result<bool, tokio_postgres::Error> {
    let tx = client.transaction().await?;
    let start: i64 = tx
        .query_one(
            "UPDATE spend_batches SET finished_at = $2 WHERE id = $1 RETURNING started_at",
            &[&id, &end],
        )
        .await?
        .get(0);
    let others: i64 = tx
        .query_one(
            "SELECT count(*) FROM spend_batches
             WHERE id != $1 AND started_at <= $3
               AND (finished_at >= $2 OR (finished_at IS NULL AND started_at >= $4))",
            &[&id, &start, &end, &(end - STALE_BATCH_MS)],
        )
        .await?
        .get(0);
    let stored: i64 = tx
        .query_one(
            "SELECT count(*) FROM snapshots WHERE fetched_at >= $1 AND fetched_at <= $2",
            &[&start, &end],
        )
        .await?
        .get(0);
    tx.commit().await?;
    Ok(others > 0 || u64::try_from(stored).unwrap_or(0) > own_fetches)
}

pub async fn learn(
    client: &Client,
    id: i64,
    cost: Amount,
    calls: i64,
    currency: Option<&str>,
) -> Result<(), tokio_postgres::Error> {
    client
        .execute(
            "UPDATE spend_batches SET calls = $2, cost = $3, currency = $4 WHERE id = $1",
            &[&id, &calls, &cost.0, &currency],
        )
        .await
        .map(drop)
}

/// The newest measured batches in the newest one's currency, pooled.
pub async fn price(client: &Client) -> Result<Option<PricePerCall>, tokio_postgres::Error> {
    let row = client
        .query_one(
            "WITH newest AS (
                 SELECT cost, calls, currency FROM spend_batches
                 WHERE cost > 0 AND calls > 0
                   AND currency IS NOT DISTINCT FROM (
                       SELECT currency FROM spend_batches
                       WHERE cost > 0 AND calls > 0 ORDER BY id DESC LIMIT 1)
                 ORDER BY id DESC LIMIT $1)
             SELECT sum(cost)::bigint, sum(calls)::bigint, count(*), max(currency) FROM newest",
            &[&PRICE_BATCHES],
        )
        .await?;
    let cost: Option<i64> = row.get(0);
    let calls: Option<i64> = row.get(1);
    Ok(cost.zip(calls).map(|(cost, calls)| PricePerCall {
        cost: Amount(cost),
        calls: u64::try_from(calls).unwrap_or(0),
        batches: u64::try_from(row.get::<_, i64>(2)).unwrap_or(0),
        currency: row.get(3),
    }))
}
