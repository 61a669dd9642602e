//! The shared store's schema, created and migrated by the app: an ordered list of SQL steps
//! and a one-row version table holding how many have been applied. Never edit a released
//! step: append a new one.
//!
//! Timestamps are unix milliseconds, as in the SQLite store, so both engines give back the
//! same values.

use tokio_postgres::Client;

/// Serialises migrations across machines: the first to take it migrates, the others then
/// find the schema current.
const MIGRATION_LOCK: i64 = 0x78_7464_6d69_6772; // "xtdmigr"

pub const MIGRATIONS: &[&str] = &[
    // 1: everything the SQLite store holds. One snapshot per item and fetch time (a fetch
    // stored twice, by `store migrate` run again, lands once).
    "CREATE TABLE snapshots (
         id            BIGSERIAL PRIMARY KEY,
         item_id       TEXT   NOT NULL,
         fetched_at    BIGINT NOT NULL,
         vv_cnt        BIGINT,
         like_cnt      BIGINT,
         comment_cnt   BIGINT,
         share_cnt     BIGINT,
         collect_cnt   BIGINT,
         interact_cnt  BIGINT,
         interact_rate DOUBLE PRECISION,
         finish_rate   DOUBLE PRECISION,
         follower      BIGINT,
         data          TEXT,
         title         TEXT,
         creator       TEXT,
         UNIQUE (item_id, fetched_at)
     );
     CREATE TABLE trend_fetches (
         item_id    TEXT PRIMARY KEY,
         fetched_at BIGINT NOT NULL
     );
     CREATE TABLE trend_days (
         item_id TEXT NOT NULL,
         metric  TEXT NOT NULL,
         day     TEXT NOT NULL,
         value   DOUBLE PRECISION NOT NULL,
         PRIMARY KEY (item_id, metric, day)
     );
     CREATE TABLE alert_state (
         rule    TEXT NOT NULL,
         item_id TEXT NOT NULL,
         crossed BOOLEAN NOT NULL,
         PRIMARY KEY (rule, item_id)
     );
     CREATE TABLE alert_log (
         id    BIGSERIAL PRIMARY KEY,
         at    BIGINT NOT NULL,
         alert TEXT NOT NULL,
         UNIQUE (at, alert)
     );
     CREATE TABLE spend_batches (
         id          BIGSERIAL PRIMARY KEY,
         started_at  BIGINT NOT NULL,
         finished_at BIGINT,
         calls       BIGINT,
         cost        BIGINT,
         currency    TEXT
     );",
    // 2: coordination between machines (see `store::claims`): who is calling for which item
    // until when (or gave up, with what error), and the halt that stops everyone.
    "CREATE TABLE claims (
         item_id   TEXT PRIMARY KEY,
         holder    TEXT   NOT NULL,
         until     BIGINT NOT NULL,
         failed_at BIGINT,
         failure   TEXT
     );
     CREATE TABLE halts (
         singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
         code    BIGINT NOT NULL,
         meaning TEXT   NOT NULL,
         machine TEXT   NOT NULL,
         at      BIGINT NOT NULL
     );",
];

pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// What the version table says, or why the schema cannot be used.
#[derive(Debug)]
pub enum Outcome {
    Current,
    TooNew(i64),
}

/// Brings the schema up to [`SCHEMA_VERSION`]; a database already there takes no lock. A
/// schema newer than this binary knows is left untouched.
pub async fn migrate(client: &mut Client) -> Result<Outcome, tokio_postgres::Error> {
    if let Some(version) = read_version(client).await? {
        if version > SCHEMA_VERSION {
            return Ok(Outcome::TooNew(version));
        }
        if version == SCHEMA_VERSION {
            return Ok(Outcome::Current);
        }
    }
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)")
        .await?;
    // Another machine may have migrated while this one waited for the lock.
    let applied: i64 = match tx
        .query_opt("SELECT version FROM schema_version", &[])
        .await?
    {
        Some(row) => row.get(0),
        None => {
            tx.execute("INSERT INTO schema_version (version) VALUES (0)", &[])
                .await?;
            0
        }
    };
    if applied > SCHEMA_VERSION {
        return Ok(Outcome::TooNew(applied));
    }
    for step in &MIGRATIONS[usize::try_from(applied).unwrap_or(0)..] {
        tx.batch_execute(step).await?;
    }
    tx.execute("UPDATE schema_version SET version = $1", &[&SCHEMA_VERSION])
        .await?;
    tx.commit().await?;
    Ok(Outcome::Current)
}

/// The applied version; `None` before the first migration.
pub async fn read_version(client: &Client) -> Result<Option<i64>, tokio_postgres::Error> {
    let exists: bool = client
        .query_one("SELECT to_regclass('schema_version') IS NOT NULL", &[])
        .await?
        .get(0);
    if !exists {
        return Ok(None);
    }
    Ok(client
        .query_opt("SELECT version FROM schema_version", &[])
        .await?
        .map(|row| row.get(0)))
}
