//! Alert state in the shared store: whether each rule's line is crossed for each item,
//! and the alerts fired, whichever machine fetched.

use tokio_postgres::Client;

use crate::alerts::{Alert, Observation};

/// Held while observations are applied, so two machines seeing the same crossing at once
/// fire it once between them.
const ALERT_LOCK: i64 = 0x78_7464_616c_6572; // "xtdaler"

pub async fn observe(
    client: &mut Client,
    observations: &[Observation],
) -> Result<Vec<Alert>, tokio_postgres::Error> {
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&ALERT_LOCK])
        .await?;
    let read = tx
        .prepare("SELECT crossed FROM alert_state WHERE rule = $1 AND item_id = $2")
        .await?;
    let set = tx
        .prepare(
            "INSERT INTO alert_state (rule, item_id, crossed) VALUES ($1, $2, $3)
             ON CONFLICT (rule, item_id) DO UPDATE SET crossed = excluded.crossed",
        )
        .await?;
    let log = tx
        .prepare("INSERT INTO alert_log (at, alert) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .await?;
    let mut fired = Vec::new();
    for o in observations {
        let id = &o.alert.item_id;
        let crossed: bool = tx
            .query_opt(&read, &[&o.rule, id])
            .await?
            .is_some_and(|row| row.get(0));
        let (now, fires) = crate::alerts::step(crossed, o.over);
        if now != crossed {
            tx.execute(&set, &[&o.rule, id, &now]).await?;
        }
        if fires {
            let text = serde_json::to_string(&o.alert).unwrap_or_default();
            tx.execute(&log, &[&o.alert.at.timestamp_millis(), &text])
                .await?;
            fired.push(o.alert.clone());
        }
    }
    tx.commit().await?;
    Ok(fired)
}

/// The newest `limit` alerts, oldest first.
pub async fn recent(client: &Client, limit: i64) -> Result<Vec<Alert>, tokio_postgres::Error> {
    let rows = client
        .query(
            "SELECT alert FROM alert_log ORDER BY id DESC LIMIT $1",
            &[&limit],
        )
        .await?;
    let mut alerts: Vec<Alert> = rows
        .iter()
        .filter_map(|row| serde_json::from_str(row.get(0)).ok())
        .collect();
    alerts.reverse();
    Ok(alerts)
}
