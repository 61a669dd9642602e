//! Rows copied in from another store (`store migrate`): whatever the shared store already
//! holds is kept as it is, so copying twice adds nothing the second time.

use tokio_postgres::Client;

use super::Query;
use crate::trend::DayValue;

/// One item's stored daily series, as copied.
pub struct TrendRows {
    pub item_id: String,
    pub fetched_at: i64,
    pub days: Vec<DayValue>,
}

/// One batch of paid calls that was measured (the ones a price is learned from).
pub struct BatchRow {
    pub started_at: i64,
    pub finished_at: i64,
    pub calls: i64,
    pub cost: i64,
    pub currency: Option<String>,
}

/// Adds the series; returns how many fetch times and days were new.
pub fn trends(
    items: Vec<TrendRows>,
) -> impl for<'a> FnOnce(&'a mut Client) -> Query<'a, (u64, u64)> + Send {
    move |client| {
        Box::pin(async move {
            let tx = client.transaction().await?;
            let (mut fetches, mut days) = (0, 0);
            for item in &items {
                fetches += tx
                    .execute(
                        "INSERT INTO trend_fetches (item_id, fetched_at) VALUES ($1, $2)
                         ON CONFLICT (item_id) DO NOTHING",
                        &[&item.item_id, &item.fetched_at],
                    )
                    .await?;
                days += super::trends::upsert_days(&tx, &item.item_id, &item.days, false).await?;
            }
            tx.commit().await?;
            Ok((fetches, days))
        })
    }
}

/// Adds alert states (rule, item, crossed) and fired alerts (at, alert); returns how many
/// of each were new.
pub fn alerts(
    states: Vec<(String, String, bool)>,
    log: Vec<(i64, String)>,
) -> impl for<'a> FnOnce(&'a mut Client) -> Query<'a, (u64, u64)> + Send {
    move |client| {
        Box::pin(async move {
            let tx = client.transaction().await?;
            let (rules, items, crossed): (Vec<_>, Vec<_>, Vec<_>) = unzip3(states);
            let added_states = tx
                .execute(
                    "INSERT INTO alert_state (rule, item_id, crossed)
                     SELECT * FROM unnest($1::text[], $2::text[], $3::bool[])
                     ON CONFLICT (rule, item_id) DO NOTHING",
                    &[&rules, &items, &crossed],
                )
                .await?;
            let (at, alert): (Vec<i64>, Vec<String>) = log.into_iter().unzip();
            let added_log = tx
                .execute(
                    "INSERT INTO alert_log (at, alert)
                     SELECT * FROM unnest($1::bigint[], $2::text[]) ORDER BY 1
                     ON CONFLICT (at, alert) DO NOTHING",
                    &[&at, &alert],
                )
                .await?;
            tx.commit().await?;
            Ok((added_states, added_log))
        })
    }
}

/// Adds measured batches not already there (same times, calls, cost and currency).
pub fn batches(
    rows: Vec<BatchRow>,
) -> impl for<'a> FnOnce(&'a mut Client) -> Query<'a, u64> + Send {
    move |client| {
        Box::pin(async move {
            let tx = client.transaction().await?;
            let mut added = 0;
            for b in &rows {
                added += tx
                    .execute(
                        "INSERT INTO spend_batches (started_at, finished_at, calls, cost, currency)
                         SELECT $1::bigint, $2::bigint, $3::bigint, $4::bigint, $5::text
                         WHERE NOT EXISTS (
                             SELECT 1 FROM spend_batches
                             WHERE started_at = $1 AND finished_at = $2 AND calls = $3
                               AND cost = $4 AND currency IS NOT DISTINCT FROM $5)",
                        &[
                            &b.started_at,
                            &b.finished_at,
                            &b.calls,
                            &b.cost,
                            &b.currency,
                        ],
                    )
                    .await?;
            }
            tx.commit().await?;
            Ok(added)
        })
    }
}

fn unzip3<A, B, C>(rows: Vec<(A, B, C)>) -> (Vec<A>, Vec<B>, Vec<C>) {
    let mut out = (Vec::new(), Vec::new(), Vec::new());
    for (a, b, c) in rows {
        out.0.push(a);
        out.1.push(b);
        out.2.push(c);
    }
    out
}
