//! Snapshots in the shared store: writing fetches (one statement per batch) and reading
//! rows, series and cache entries for many items in one round trip each.

use chrono::{DateTime, Utc};
use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, Row};

use super::Query;
use crate::store::history::{fit_count, texts_of};
use crate::store::{CacheEntry, ItemRow, Record, Snapshot};

/// Every snapshot write holds this for its transaction, so snapshot ids become visible in
/// the order they were assigned: a reader that saw id N never later finds a new row below
/// N (which `changed_since` would miss).
const WRITE_LOCK: i64 = 0x78_7464_7772_6974; // "xtdwrit"

pub const COLUMNS: &str = "item_id, fetched_at, vv_cnt, like_cnt, comment_cnt, share_cnt, \
                           collect_cnt, interact_cnt, interact_rate, finish_rate, follower";

/// Snapshot rows column by column, as the insert statement takes them.
#[derive(Debug, Default)]
pub struct Rows {
    item_id: Vec<String>,
    fetched_at: Vec<i64>,
    counts: [Vec<Option<i64>>; 7],
    interact_rate: Vec<Option<f64>>,
    finish_rate: Vec<Option<f64>>,
    data: Vec<Option<String>>,
    title: Vec<Option<String>>,
    creator: Vec<Option<String>>,
}

impl Rows {
    pub fn of(records: &[Record<'_>]) -> Rows {
        let mut rows = Rows::default();
        for r in records {
            let (title, creator) = texts_of(r.data);
            rows.push(
                &r.snapshot,
                Some(r.data.to_string()),
                title.map(str::to_owned),
                creator.map(str::to_owned),
            );
        }
        rows
    }

    pub fn push(
        &mut self,
        s: &Snapshot,
        data: Option<String>,
        title: Option<String>,
        creator: Option<String>,
    ) {
        let count = |field: &str, v: Option<u64>| fit_count(&s.item_id, field, v);
        self.item_id.push(s.item_id.clone());
        self.fetched_at.push(s.fetched_at.timestamp_millis());
        let counts = [
            count("vv_cnt", s.vv_cnt),
            count("like_cnt", s.like_cnt),
            count("comment_cnt", s.comment_cnt),
            count("share_cnt", s.share_cnt),
            count("collect_cnt", s.collect_cnt),
            count("interact_cnt", s.interact_cnt),
            count("follower", s.follower),
        ];
        for (column, value) in self.counts.iter_mut().zip(counts) {
            column.push(value);
        }
        self.interact_rate.push(s.interact_rate);
        self.finish_rate.push(s.finish_rate);
        self.data.push(data);
        self.title.push(title);
        self.creator.push(creator);
    }
}

/// Stores `rows` in one transaction; a snapshot already stored (same item and time) is
/// left as it is. Returns how many were new.
pub fn insert(rows: Rows) -> impl for<'a> FnOnce(&'a mut Client) -> Query<'a, u64> + Send {
    move |client| {
        Box::pin(async move {
            let tx = client.transaction().await?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])
                .await?;
            let [vv, like, comment, share, collect, interact, follower] = &rows.counts;
            let params: [&(dyn ToSql + Sync); 14] = [
                &rows.item_id,
                &rows.fetched_at,
                vv,
                like,
                comment,
                share,
                collect,
                interact,
                &rows.interact_rate,
                &rows.finish_rate,
                follower,
                &rows.data,
                &rows.title,
                &rows.creator,
            ];
            let added = tx
                .execute(
                    "INSERT INTO snapshots (item_id, fetched_at, vv_cnt, like_cnt, comment_cnt,
                         share_cnt, collect_cnt, interact_cnt, interact_rate, finish_rate,
                         follower, data, title, creator)
                     SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[],
                         $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[],
                         $9::float8[], $10::float8[], $11::bigint[], $12::text[], $13::text[],
                         $14::text[])
                     ON CONFLICT (item_id, fetched_at) DO NOTHING",
                    &params,
                )
                .await?;
            // Their answers are stored: whoever claimed these items is done with them.
            tx.execute(
                "DELETE FROM claims WHERE item_id = ANY($1)",
                &[&rows.item_id],
            )
            .await?;
            super::listen::notify_stored(&tx).await?;
            tx.commit().await?;
            Ok(added)
        })
    }
}

/// The newest stored report of an item.
pub async fn latest_report(
    client: &impl tokio_postgres::GenericClient,
    item_id: &str,
) -> Result<Option<(i64, String)>, tokio_postgres::Error> {
    Ok(client
        .query_opt(
            "SELECT fetched_at, data FROM snapshots WHERE item_id = $1 AND data IS NOT NULL
             ORDER BY fetched_at DESC, id DESC LIMIT 1",
            &[&item_id],
        )
        .await?
        .map(|row| (row.get(0), row.get(1))))
}

/// A stored report read back; an unreadable one is logged and skipped.
pub fn cache_entry(item_id: &str, millis: i64, text: &str) -> Option<CacheEntry> {
    let fetched_at = DateTime::from_timestamp_millis(millis)?;
    match serde_json::from_str(text) {
        Ok(data) => Some(CacheEntry { fetched_at, data }),
        Err(e) => {
            tracing::warn!(item = item_id, "stored report unreadable, ignoring it: {e}");
            None
        }
    }
}

pub async fn series(
    client: &Client,
    item_id: &str,
    since: Option<DateTime<Utc>>,
) -> Result<Vec<Snapshot>, tokio_postgres::Error> {
    let since = since.map_or(i64::MIN, |t| t.timestamp_millis());
    let rows = client
        .query(
            &format!(
                "SELECT {COLUMNS} FROM snapshots WHERE item_id = $1 AND fetched_at >= $2
                 ORDER BY fetched_at, id"
            ),
            &[&item_id, &since],
        )
        .await?;
    rows.iter().map(|row| snapshot_at(row, 0)).collect()
}

/// The table rows of `ids` in the order given, in one read-only transaction.
pub async fn item_rows(
    client: &mut Client,
    ids: &[String],
    spark_points: usize,
) -> Result<Vec<ItemRow>, tokio_postgres::Error> {
    let tx = client
        .build_transaction()
        .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .await?;
    let newest = tx
        .query(
            &format!(
                "SELECT ord, {COLUMNS}, title, creator, data IS NOT NULL
                 FROM unnest($1::text[]) WITH ORDINALITY AS wanted(wanted_id, ord)
                 CROSS JOIN LATERAL (
                     SELECT * FROM snapshots WHERE item_id = wanted_id
                     ORDER BY fetched_at DESC, id DESC LIMIT 2) s
                 ORDER BY ord, fetched_at DESC, id DESC"
            ),
            &[&ids],
        )
        .await?;
    let mut rows: Vec<(i64, ItemRow, bool)> = Vec::new();
    for row in &newest {
        let ord: i64 = row.get(0);
        let snapshot = snapshot_at(row, 1)?;
        match rows.last_mut() {
            Some((last, item, _)) if *last == ord => item.previous = Some(snapshot),
            _ => rows.push((
                ord,
                ItemRow {
                    newest: snapshot,
                    previous: None,
                    title: row.get(12),
                    creator: row.get(13),
                    views: Vec::new(),
                },
                row.get(14),
            )),
        }
    }
    // A newest snapshot without a report (imported from an old cache) takes its texts
    // from the newest one with.
    let untitled: Vec<String> = rows
        .iter()
        .filter(|(_, _, has_report)| !has_report)
        .map(|(_, item, _)| item.newest.item_id.clone())
        .collect();
    if !untitled.is_empty() {
        for row in tx
            .query(
                "SELECT wanted_id, title, creator
                 FROM unnest($1::text[]) AS wanted(wanted_id)
                 CROSS JOIN LATERAL (
                     SELECT title, creator FROM snapshots
                     WHERE item_id = wanted_id AND data IS NOT NULL
                     ORDER BY fetched_at DESC, id DESC LIMIT 1) s",
                &[&untitled],
            )
            .await?
        {
            let id: String = row.get(0);
            for (_, item, _) in rows
                .iter_mut()
                .filter(|(_, i, r)| !r && i.newest.item_id == id)
            {
                item.title = row.get(1);
                item.creator = row.get(2);
            }
        }
    }
    if spark_points > 0 {
        let limit = i64::try_from(spark_points).unwrap_or(i64::MAX);
        let views = tx
            .query(
                "SELECT ord, vv_cnt
                 FROM unnest($1::text[]) WITH ORDINALITY AS wanted(wanted_id, ord)
                 CROSS JOIN LATERAL (
                     SELECT vv_cnt, fetched_at, id FROM snapshots
                     WHERE item_id = wanted_id AND vv_cnt IS NOT NULL
                     ORDER BY fetched_at DESC, id DESC LIMIT $2) s
                 ORDER BY ord, fetched_at, id",
                &[&ids, &limit],
            )
            .await?;
        let mut at = 0;
        for row in &views {
            let ord: i64 = row.get(0);
            while rows.get(at).is_some_and(|(o, _, _)| *o < ord) {
                at += 1;
            }
            if let Some((_, item, _)) = rows.get_mut(at).filter(|(o, _, _)| *o == ord) {
                item.views.extend(count(row.get(1)));
            }
        }
    }
    tx.commit().await?;
    Ok(rows.into_iter().map(|(_, item, _)| item).collect())
}

/// The ids among `ids` (in their order) with a report fetched at or after `since`.
pub async fn fresh(
    client: &Client,
    ids: &[String],
    since: DateTime<Utc>,
) -> Result<Vec<String>, tokio_postgres::Error> {
    let rows = client
        .query(
            "SELECT wanted_id FROM unnest($1::text[]) WITH ORDINALITY AS wanted(wanted_id, ord)
             WHERE EXISTS (SELECT 1 FROM snapshots WHERE item_id = wanted_id
                           AND fetched_at >= $2 AND data IS NOT NULL)
             ORDER BY ord",
            &[&ids, &since.timestamp_millis()],
        )
        .await?;
    Ok(rows.iter().map(|row| row.get(0)).collect())
}

/// When each item among `ids` was published, from its newest stored report.
pub async fn published(
    client: &Client,
    ids: &[String],
) -> Result<Vec<(String, DateTime<Utc>)>, tokio_postgres::Error> {
    let rows = client
        .query(
            "SELECT wanted_id, s.create_time
             FROM unnest($1::text[]) WITH ORDINALITY AS wanted(wanted_id, ord)
             CROSS JOIN LATERAL (
                 SELECT data::json #>> '{video_info,create_time}' AS create_time
                 FROM snapshots WHERE item_id = wanted_id AND data IS NOT NULL
                 ORDER BY fetched_at DESC, id DESC LIMIT 1) s
             ORDER BY ord",
            &[&ids],
        )
        .await?;
    Ok(rows
        .iter()
        .filter_map(|row| {
            let text: Option<String> = row.get(1);
            let secs = text?.trim().parse::<i64>().ok().filter(|s| *s > 0)?;
            Some((row.get(0), DateTime::from_timestamp(secs, 0)?))
        })
        .collect())
}

pub async fn change_marker(client: &Client) -> Result<i64, tokio_postgres::Error> {
    Ok(client
        .query_one("SELECT coalesce(max(id), 0)::bigint FROM snapshots", &[])
        .await?
        .get(0))
}

pub async fn changed_since(
    client: &Client,
    marker: i64,
) -> Result<(i64, Vec<String>), tokio_postgres::Error> {
    let rows = client
        .query(
            "SELECT item_id, max(id) FROM snapshots WHERE id > $1 GROUP BY item_id",
            &[&marker],
        )
        .await?;
    let newest = rows
        .iter()
        .map(|row| row.get::<_, i64>(1))
        .fold(marker, i64::max);
    Ok((newest, rows.iter().map(|row| row.get(0)).collect()))
}

/// Deletes snapshots (and alerts logged) before `cutoff`; returns how many snapshots.
pub async fn prune(client: &mut Client, cutoff: i64) -> Result<u64, tokio_postgres::Error> {
    let tx = client.transaction().await?;
    tx.execute("DELETE FROM alert_log WHERE at < $1", &[&cutoff])
        .await?;
    let deleted = tx
        .execute("DELETE FROM snapshots WHERE fetched_at < $1", &[&cutoff])
        .await?;
    tx.commit().await?;
    Ok(deleted)
}

/// The snapshot whose [`COLUMNS`] start at column `first`.
fn snapshot_at(row: &Row, first: usize) -> Result<Snapshot, tokio_postgres::Error> {
    let millis: i64 = row.try_get(first + 1)?;
    let c = |i: usize| row.try_get::<_, Option<i64>>(first + i).map(count);
    Ok(Snapshot {
        item_id: row.try_get(first)?,
        fetched_at: DateTime::from_timestamp_millis(millis).unwrap_or_default(),
        vv_cnt: c(2)?,
        like_cnt: c(3)?,
        comment_cnt: c(4)?,
        share_cnt: c(5)?,
        collect_cnt: c(6)?,
        interact_cnt: c(7)?,
        interact_rate: row.try_get(first + 8)?,
        finish_rate: row.try_get(first + 9)?,
        follower: c(10)?,
    })
}

fn count(value: Option<i64>) -> Option<u64> {
    value.and_then(|v| u64::try_from(v).ok())
}
