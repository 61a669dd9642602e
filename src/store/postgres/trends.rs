//! Xingtu's daily series in the shared store: when each item's was fetched, and its days.

use chrono::{DateTime, NaiveDate};
use tokio_postgres::Client;

use crate::trend::{DayValue, StoredTrend};

/// Stores a fetched series in one transaction: each day replaces the stored one.
pub async fn record(
    client: &mut Client,
    item_id: &str,
    fetched_at: i64,
    days: &[DayValue],
) -> Result<(), tokio_postgres::Error> {
    let tx = client.transaction().await?;
    tx.execute(
        "INSERT INTO trend_fetches (item_id, fetched_at) VALUES ($1, $2)
         ON CONFLICT (item_id) DO UPDATE SET fetched_at = excluded.fetched_at",
        &[&item_id, &fetched_at],
    )
    .await?;
    upsert_days(&tx, item_id, days, true).await?;
    tx.commit().await
}

/// Adds `days` of `item_id`; `replace` says whether a day already stored takes the new
/// value (a fetch) or keeps its own (a copy from another store).
pub async fn upsert_days(
    tx: &tokio_postgres::Transaction<'_>,
    item_id: &str,
    days: &[DayValue],
    replace: bool,
) -> Result<u64, tokio_postgres::Error> {
    let metrics: Vec<&str> = days.iter().map(|d| d.metric.as_str()).collect();
    let dates: Vec<String> = days.iter().map(|d| day_text(d.date)).collect();
    let values: Vec<f64> = days.iter().map(|d| d.value).collect();
    let on_conflict = if replace {
        "DO UPDATE SET value = excluded.value"
    } else {
        "DO NOTHING"
    };
    tx.execute(
        &format!(
            "INSERT INTO trend_days (item_id, metric, day, value)
             SELECT $1, * FROM unnest($2::text[], $3::text[], $4::float8[])
             ON CONFLICT (item_id, metric, day) {on_conflict}"
        ),
        &[&item_id, &metrics, &dates, &values],
    )
    .await
}

pub async fn read(
    client: &Client,
    item_id: &str,
) -> Result<Option<StoredTrend>, tokio_postgres::Error> {
    let Some(fetched) = client
        .query_opt(
            "SELECT fetched_at FROM trend_fetches WHERE item_id = $1",
            &[&item_id],
        )
        .await?
    else {
        return Ok(None);
    };
    let Some(fetched_at) = DateTime::from_timestamp_millis(fetched.get(0)) else {
        return Ok(None);
    };
    let days = client
        .query(
            "SELECT day, metric, value FROM trend_days WHERE item_id = $1 ORDER BY day, metric",
            &[&item_id],
        )
        .await?
        .iter()
        .filter_map(|row| {
            Some(DayValue {
                date: NaiveDate::parse_from_str(row.get(0), "%Y-%m-%d").ok()?,
                metric: row.get(1),
                value: row.get(2),
            })
        })
        .collect();
    Ok(Some(StoredTrend { fetched_at, days }))
}

fn day_text(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}
