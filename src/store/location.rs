//! Where the store is: this machine's SQLite history (the default), or a team's shared
//! PostgreSQL database, chosen by `--store URL`, `XINGTU_DASH_STORE` or `[store] url`.

use std::fmt;
use std::path::PathBuf;

use super::postgres::{BadUrl, PgUrl};

/// The environment variable naming the shared store.
pub const ENV_STORE: &str = "XINGTU_DASH_STORE";

#[derive(Debug, Clone, PartialEq)]
pub enum StoreLocation {
    /// The history database, and the response cache file older versions kept (imported
    /// into it the first time a session opens it).
    Sqlite {
        db: PathBuf,
        legacy_cache: Option<PathBuf>,
    },
    Postgres(PgUrl),
}

impl StoreLocation {
    /// The shared store named first (by `flag`, then the environment, then the config
    /// file), if any. An error names where the bad URL came from, never the URL.
    pub fn shared(
        flag: Option<&str>,
        env: Option<&str>,
        config: Option<&str>,
    ) -> Result<Option<PgUrl>, (&'static str, BadUrl)> {
        [("--store", flag), (ENV_STORE, env), ("[store] url", config)]
            .into_iter()
            .find_map(|(from, url)| Some((from, url?)).filter(|(_, u)| !u.trim().is_empty()))
            .map(|(from, url)| PgUrl::parse(url).map_err(|e| (from, e)))
            .transpose()
    }

    /// The shared store, else this machine's history under `paths`.
    pub fn of(shared: Option<&PgUrl>, paths: &crate::settings::Paths) -> StoreLocation {
        match shared {
            Some(url) => StoreLocation::Postgres(url.clone()),
            None => StoreLocation::Sqlite {
                db: paths.history_db(),
                legacy_cache: Some(paths.legacy_cache_file()),
            },
        }
    }

    /// The history database at `db`, with no old cache file to import.
    pub fn sqlite(db: impl Into<PathBuf>) -> StoreLocation {
        StoreLocation::Sqlite {
            db: db.into(),
            legacy_cache: None,
        }
    }

    pub fn is_shared(&self) -> bool {
        matches!(self, StoreLocation::Postgres(_))
    }
}

/// The history file's path, or the URL with the password hidden.
impl fmt::Display for StoreLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreLocation::Sqlite { db, .. } => write!(f, "{}", db.display()),
            StoreLocation::Postgres(url) => write!(f, "{url}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths() -> crate::settings::Paths {
        crate::settings::Paths {
            config_file: "/c/config.toml".into(),
            cache_dir: "/cache".into(),
            data_dir: "/data".into(),
            state_dir: "/state".into(),
        }
    }

    fn host(shared: Option<PgUrl>) -> String {
        shared.map_or("sqlite".into(), |url| url.host)
    }

    #[test]
    fn the_flag_beats_the_environment_which_beats_the_config() {
        let (flag, env, config) = (
            Some("postgres://u:p@flag/d"),
            Some("postgres://u:p@env/d"),
            Some("postgres://u:p@config/d"),
        );
        let choose = |f, e, c| host(StoreLocation::shared(f, e, c).unwrap());
        assert_eq!(choose(flag, env, config), "flag");
        assert_eq!(choose(None, env, config), "env");
        assert_eq!(choose(Some("  "), None, config), "config", "blank is unset");
        assert_eq!(choose(None, None, None), "sqlite");
        assert_eq!(
            StoreLocation::of(None, &paths()),
            StoreLocation::Sqlite {
                db: "/data/history.sqlite3".into(),
                legacy_cache: Some("/cache/responses.json".into()),
            }
        );
    }

    #[test]
    fn a_bad_url_names_where_it_came_from_and_not_the_password() {
        let (from, error) = StoreLocation::shared(
            None,
            Some("postgres://u:hunter2@h/d?sslmode=sure"),
            Some("postgres://u:p@config/d"),
        )
        .unwrap_err();
        assert_eq!(from, ENV_STORE);
        assert!(!error.to_string().contains("hunter2"), "{error}");
        let url = StoreLocation::shared(Some("postgres://u:hunter2@h/d"), None, None).unwrap();
        let shown = StoreLocation::of(url.as_ref(), &paths()).to_string();
        assert_eq!(shown, "postgres://u:***@h:5432/d");
    }
}
