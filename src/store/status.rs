//! `store status`: where the store is, its schema version and how many rows each table
//! holds, for either engine.

use chrono::{DateTime, Utc};

use super::history::History;
use super::postgres::{PgStore, schema};
use super::{ClaimRow, SharedHalt, StoreError, StoreLocation};

#[derive(Debug, Clone, PartialEq)]
pub struct StoreStatus {
    /// The history file, or the shared store's URL with the password hidden.
    pub store: String,
    pub engine: &'static str,
    pub schema_version: i64,
    /// Each table with its row count, by name.
    pub tables: Vec<(String, i64)>,
    /// The items being called for right now, with who holds each and until when.
    pub claims: Vec<(String, ClaimRow)>,
    /// The halt that stops everyone's calls, if one is recorded.
    pub halt: Option<SharedHalt>,
}

pub fn read(location: &StoreLocation, now: DateTime<Utc>) -> Result<StoreStatus, StoreError> {
    let mut status = counts(location)?;
    let store = super::open_db(location)?;
    status.claims = store.live_claims(now)?;
    status.halt = store.shared_halt()?;
    Ok(status)
}

fn counts(location: &StoreLocation) -> Result<StoreStatus, StoreError> {
    match location {
        StoreLocation::Sqlite { db, .. } => {
            let history = History::open(db)?;
            let tables = history.run(|conn| {
                let names: Vec<String> = conn
                    .prepare(
                        "SELECT name FROM sqlite_schema WHERE type = 'table'
                         AND name NOT LIKE 'sqlite_%' ORDER BY name",
                    )?
                    .query_map([], |row| row.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                names
                    .into_iter()
                    .map(|name| {
                        let n =
                            conn.query_row(&format!("SELECT count(*) FROM \"{name}\""), [], |r| {
                                r.get(0)
                            })?;
                        Ok((name, n))
                    })
                    .collect::<rusqlite::Result<_>>()
            })?;
            Ok(StoreStatus {
                store: location.to_string(),
                engine: "sqlite",
                schema_version: history.user_version()?,
                tables,
                claims: Vec::new(),
                halt: None,
            })
        }
        StoreLocation::Postgres(url) => {
            let store = PgStore::open(url)?;
            let (schema_version, tables) = store.call(|client| {
                Box::pin(async move {
                    let version = schema::read_version(client).await?.unwrap_or(0);
                    let names: Vec<String> = client
                        .query(
                            "SELECT table_name::text FROM information_schema.tables
                             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
                               AND table_name <> 'schema_version'
                             ORDER BY table_name",
                            &[],
                        )
                        .await?
                        .iter()
                        .map(|row| row.get(0))
                        .collect();
                    let mut tables = Vec::new();
                    for name in names {
                        let n: i64 = client
                            .query_one(&format!("SELECT count(*) FROM \"{name}\""), &[])
                            .await?
                            .get(0);
                        tables.push((name, n));
                    }
                    Ok((version, tables))
                })
            })?;
            Ok(StoreStatus {
                store: location.to_string(),
                engine: "postgres",
                schema_version,
                tables,
                claims: Vec::new(),
                halt: None,
            })
        }
    }
}
