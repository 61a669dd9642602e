//! Resolving the effective settings from flags, environment and the config file, in that
//! order of precedence, and the platform paths the app uses.

use std::path::{Path, PathBuf};
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use url::Url;

use crate::api::client::{PROD_CN, PROD_GLOBAL};
use crate::cli::{GlobalOpts, Region};
use crate::format::NumberStyle;
use crate::i18n::{self, Lang, UnknownLang};
use crate::store::StoreLocation;
use crate::store::config::{self, Config, ConfigFile, REFRESH_MIN, parse_duration};
use crate::store::postgres::PgUrl;
use crate::t;

pub const ENV_TOKEN: &str = "JUSTONEAPI_TOKEN";
pub const ENV_BASE_URL: &str = "JUSTONEAPI_BASE_URL";
pub const ENV_CONFIG: &str = "XINGTU_DASH_CONFIG";
/// First retry backoff in milliseconds; tests shorten it so retries take no wall time.
pub const ENV_RETRY_BASE_MS: &str = "XINGTU_DASH_RETRY_BASE_MS";
/// Where short links are resolved (a mirror, or a fake in tests).
pub const ENV_SHORTLINK_BASE: &str = "XINGTU_DASH_SHORTLINK_BASE";
/// The short-link timeout in milliseconds; tests shorten it so a timeout takes no wall time.
pub const ENV_SHORTLINK_TIMEOUT_MS: &str = "XINGTU_DASH_SHORTLINK_TIMEOUT_MS";

const DEFAULT_TIMEOUT_SECS: f64 = 60.0;

/// A problem with the settings themselves: reported before any call, exit status 2.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    MissingToken {
        config: String,
    },
    BadBaseUrl {
        what: &'static str,
        value: String,
    },
    BadValue {
        what: &'static str,
        value: String,
        /// Already in the reader's language.
        expected: String,
    },
    BadLang(#[from] UnknownLang),
    BadStore {
        from: &'static str,
        error: crate::store::postgres::BadUrl,
    },
    StoreUnavailable(String),
    NoConfigDir,
}

/// In the current language; option names, variables and paths as they are.
impl std::fmt::Display for SettingsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = match self {
            SettingsError::MissingToken { config } => {
                t!("settings-missing-token", env = ENV_TOKEN, config = config)
            }
            SettingsError::BadBaseUrl { what, value } => t!(
                "settings-bad-base-url",
                what = *what,
                value = format!("{value:?}"),
                example = PROD_GLOBAL
            ),
            SettingsError::BadValue {
                what,
                value,
                expected,
            } => t!(
                "settings-bad-value",
                what = *what,
                value = format!("{value:?}"),
                expected = expected
            ),
            SettingsError::BadLang(e) => e.to_string(),
            SettingsError::BadStore { from, error } => format!("{from}: {error}"),
            SettingsError::StoreUnavailable(why) => t!("settings-store-unavailable", why = why),
            SettingsError::NoConfigDir => t!("settings-no-config-dir", env = ENV_CONFIG),
        };
        f.write_str(&text)
    }
}

/// The platform directories (XDG on Linux) this app uses.
#[derive(Debug, Clone)]
pub struct Paths {
    pub config_file: PathBuf,
    pub cache_dir: PathBuf,
    pub data_dir: PathBuf,
    pub state_dir: PathBuf,
}

impl Paths {
    pub fn resolve(config_flag: Option<&Path>) -> Result<Paths, SettingsError> {
        let dirs = directories::ProjectDirs::from("", "", "xingtu-dash");
        let config_file = match config_flag {
            Some(p) => p.to_path_buf(),
            None => match non_empty_env(ENV_CONFIG) {
                Some(p) => PathBuf::from(p),
                None => dirs
                    .as_ref()
                    .ok_or(SettingsError::NoConfigDir)?
                    .config_dir()
                    .join("config.toml"),
            },
        };
        let fallback = || {
            config_file
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default()
        };
        let (cache_dir, data_dir, state_dir) = match &dirs {
            Some(d) => (
                d.cache_dir().to_path_buf(),
                d.data_dir().to_path_buf(),
                d.state_dir().unwrap_or(d.data_dir()).to_path_buf(),
            ),
            None => (fallback(), fallback(), fallback()),
        };
        Ok(Paths {
            config_file,
            cache_dir,
            data_dir,
            state_dir,
        })
    }

    /// Where earlier versions kept the response cache; the store imports it once.
    pub fn legacy_cache_file(&self) -> PathBuf {
        self.cache_dir.join("responses.json")
    }

    pub fn history_db(&self) -> PathBuf {
        self.data_dir.join("history.sqlite3")
    }

    /// Resolved short links (short code → item id).
    pub fn links_db(&self) -> PathBuf {
        self.data_dir.join("links.sqlite3")
    }

    pub fn log_file(&self) -> PathBuf {
        self.state_dir.join("xingtu-dash.log")
    }
}

/// How short links are resolved.
#[derive(Debug, Clone)]
pub struct LinkSettings {
    /// Why resolution is off, if it is.
    pub off: Option<String>,
    pub base: Url,
    pub timeout: Duration,
}

/// Everything a command needs to know, resolved once.
pub struct Settings {
    pub paths: Paths,
    /// A team's shared store, when one is named; else results go to this machine's history
    /// (see [`Settings::store`]).
    pub shared_store: Option<PgUrl>,
    /// The config as loaded; defaults when the file is missing or does not parse.
    pub config: Config,
    /// Why the config file could not be read, if it could not (never in demo mode). Commands
    /// refuse to run then; the dashboard opens with lookups off and the watchlist read-only.
    pub config_error: Option<String>,
    pub token: Option<SecretString>,
    pub base_url: Url,
    pub timeout: Duration,
    pub number_style: NumberStyle,
    /// The language people read; `main` makes it the process's with `i18n::set`.
    pub lang: Lang,
    pub demo: bool,
    pub retry_base: Duration,
    pub links: LinkSettings,
    /// Things the user should know that are not errors (plain HTTP, a readable token file).
    pub warnings: Vec<String>,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("paths", &self.paths)
            .field("shared_store", &self.shared_store)
            .field("token", &self.token.as_ref().map(|_| "[redacted]"))
            .field("base_url", &self.base_url.as_str())
            .field("timeout", &self.timeout)
            .field("demo", &self.demo)
            .finish_non_exhaustive()
    }
}

/// Minutes a stored report answers instead of a paid call, unless `[watch] cache_minutes` says.
const DEFAULT_CACHE_MINUTES: u64 = 10;
/// Calls under way at once, unless `--concurrency` or `[watch] concurrency` says.
const DEFAULT_CONCURRENCY: usize = 4;

impl Settings {
    /// How old a stored report may be and still answer instead of a paid call.
    pub fn cache_window(&self) -> chrono::Duration {
        let minutes = self
            .config
            .watch
            .cache_minutes
            .unwrap_or(DEFAULT_CACHE_MINUTES);
        chrono::Duration::minutes(minutes as i64)
    }

    /// Calls under way at once: the command line's choice, else the config's, else 4; never
    /// more than 64.
    pub fn concurrency(&self, flag: Option<usize>) -> usize {
        flag.or(self.config.watch.concurrency)
            .unwrap_or(DEFAULT_CONCURRENCY)
            .clamp(1, 64)
    }

    /// Everything from the flags, the environment and the config file. The messages it
    /// keeps (warnings, the config's error) are written in the language it chooses, which
    /// the caller then makes the process's with `i18n::set`; it sets nothing itself.
    pub fn resolve(opts: &GlobalOpts) -> Result<Settings, SettingsError> {
        let paths = Paths::resolve(opts.config.as_deref())?;
        let load = || match ConfigFile::new(&paths.config_file).load() {
            Ok(c) => (c, None),
            Err(e) => (Config::default(), Some(e.to_string())),
        };
        // The config may name the language its own messages are to be written in: read it
        // in the flag's or the locale's, and again in the config's when that differs.
        let guess = choose_lang(opts.lang.as_deref(), None)?;
        let mut loaded = i18n::scoped(guess, load);
        let lang = choose_lang(opts.lang.as_deref(), loaded.0.ui.language.as_deref())?;
        if lang != guess {
            loaded = i18n::scoped(lang, load);
        }
        i18n::scoped(lang, || Settings::resolve_in(opts, paths, loaded, lang))
    }

    fn resolve_in(
        opts: &GlobalOpts,
        paths: Paths,
        (config, mut config_error): (Config, Option<String>),
        lang: Lang,
    ) -> Result<Settings, SettingsError> {
        let mut warnings = config.warnings.clone();
        // The demo calls nobody and writes nothing, so a broken file cannot mislead it.
        if opts.demo
            && let Some(err) = config_error.take()
        {
            warnings.push(t!("settings-demo-without-config", error = err));
        }

        let token = opts
            .token
            .clone()
            .filter(|t| !t.trim().is_empty())
            .or_else(|| non_empty_env(ENV_TOKEN))
            .map(|t| SecretString::from(t.trim().to_owned()))
            .or_else(|| {
                config
                    .api
                    .token
                    .clone()
                    .filter(|t| !t.expose_secret().trim().is_empty())
            });

        let base_url = resolve_base_url(opts, &config)?;
        if let Some(w) = plain_http_warning(&base_url)
            && !opts.demo
        {
            warnings.push(w);
        }

        // The config file's value was checked when it was read; the flag is checked here.
        let timeout_secs = match opts.timeout {
            Some(t) => t,
            None => config
                .api
                .timeout
                .map_or(DEFAULT_TIMEOUT_SECS, |t| t as f64),
        };
        let max_timeout = config::TIMEOUT_SECS.1 as f64;
        if !(timeout_secs.is_finite() && timeout_secs > 0.0 && timeout_secs <= max_timeout) {
            return Err(SettingsError::BadValue {
                what: "--timeout",
                value: timeout_secs.to_string(),
                expected: t!("settings-timeout-range"),
            });
        }

        let number_style = match opts
            .number_style
            .as_deref()
            .or(config.ui.number_style.as_deref())
        {
            Some(s) => NumberStyle::parse(s).ok_or_else(|| SettingsError::BadValue {
                what: "number_style",
                value: s.to_owned(),
                expected: t!("settings-number-style-choices"),
            })?,
            None => NumberStyle::from_locale(|k| std::env::var(k).ok()),
        };

        // At most a minute (the longest wait between attempts): a huge value would overflow
        // the backoff arithmetic.
        let retry_base = non_empty_env(ENV_RETRY_BASE_MS)
            .and_then(|v| v.parse::<u64>().ok())
            .map_or(Duration::from_millis(500), |ms| {
                Duration::from_millis(ms.min(60_000))
            });

        let links = resolve_links(opts, &config, &paths)?;
        let shared_store = StoreLocation::shared(
            opts.store.as_deref(),
            non_empty_env(crate::store::ENV_STORE).as_deref(),
            config.store.url.as_ref().map(|u| u.expose_secret()),
        )
        .map_err(|(from, error)| SettingsError::BadStore { from, error })?;

        Ok(Settings {
            paths,
            shared_store,
            config,
            config_error,
            token,
            base_url,
            timeout: Duration::from_secs_f64(timeout_secs),
            number_style,
            lang,
            demo: opts.demo,
            retry_base,
            links,
            warnings,
        })
    }

    /// The token, or the error that says all three ways to give one.
    pub fn require_token(&self) -> Result<SecretString, SettingsError> {
        self.token
            .clone()
            .ok_or_else(|| SettingsError::MissingToken {
                config: self.paths.config_file.display().to_string(),
            })
    }

    /// Where fetched results are kept: the shared store, or this machine's history.
    pub fn store(&self) -> StoreLocation {
        StoreLocation::of(self.shared_store.as_ref(), &self.paths)
    }

    pub fn config_file(&self) -> ConfigFile {
        ConfigFile::new(&self.paths.config_file)
    }
}

/// The watchlist's auto-refresh interval from `[watch] refresh_interval` ("30m", "1h",
/// "1h30m", "90s"): the interval and, when it was raised to the 5-minute minimum, a note
/// saying so. Paid calls every few seconds would drain a balance by accident.
pub fn refresh_interval(raw: &str) -> Result<(chrono::Duration, Option<String>), String> {
    let min = REFRESH_MIN;
    let quoted = format!("{raw:?}");
    let parsed = parse_duration(raw).ok_or_else(|| {
        t!(
            "settings-refresh-interval-unreadable",
            value = quoted.as_str()
        )
    })?;
    if parsed < min {
        Ok((
            min,
            Some(t!("settings-refresh-interval-raised", value = quoted)),
        ))
    } else {
        Ok((parsed, None))
    }
}

fn resolve_base_url(opts: &GlobalOpts, config: &Config) -> Result<Url, SettingsError> {
    let region_url = |r: Region| match r {
        Region::Global => PROD_GLOBAL,
        Region::Cn => PROD_CN,
    };
    let (what, value): (&'static str, String) = if let Some(u) = &opts.base_url {
        ("--base-url", u.clone())
    } else if let Some(r) = opts.region {
        ("--region", region_url(r).to_owned())
    } else if let Some(u) = non_empty_env(ENV_BASE_URL) {
        (ENV_BASE_URL, u)
    } else if let Some(u) = config.api.base_url.clone().filter(|u| !u.trim().is_empty()) {
        ("[api] base_url", u)
    } else if let Some(r) = config.api.region.as_deref() {
        // Checked when the file was read: "global" or "cn", in any case.
        let cn = r.trim().eq_ignore_ascii_case("cn");
        (
            "[api] region",
            if cn { PROD_CN } else { PROD_GLOBAL }.to_owned(),
        )
    } else {
        ("default", PROD_GLOBAL.to_owned())
    };
    parse_base_url(value.trim()).ok_or(SettingsError::BadBaseUrl { what, value })
}

fn resolve_links(
    opts: &GlobalOpts,
    config: &Config,
    paths: &Paths,
) -> Result<LinkSettings, SettingsError> {
    let off = if opts.demo {
        Some(t!("settings-links-demo"))
    } else if opts.no_resolve {
        Some(t!("settings-links-flag"))
    } else if config.links.resolve == Some(false) {
        let file = paths.config_file.display().to_string();
        Some(t!("settings-links-config", file = file))
    } else {
        None
    };
    let base = match non_empty_env(ENV_SHORTLINK_BASE) {
        Some(value) => parse_base_url(value.trim()).ok_or(SettingsError::BadBaseUrl {
            what: ENV_SHORTLINK_BASE,
            value,
        })?,
        None => {
            Url::parse(crate::shortlink::DEFAULT_BASE).map_err(|_| SettingsError::BadBaseUrl {
                what: "the short-link default",
                value: crate::shortlink::DEFAULT_BASE.to_owned(),
            })?
        }
    };
    let timeout = non_empty_env(ENV_SHORTLINK_TIMEOUT_MS)
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|ms| *ms > 0)
        .map_or(crate::shortlink::DEFAULT_TIMEOUT, Duration::from_millis);
    Ok(LinkSettings { off, base, timeout })
}

fn parse_base_url(value: &str) -> Option<Url> {
    let url = Url::parse(value).ok()?;
    let usable = matches!(url.scheme(), "http" | "https")
        && url.host_str().is_some()
        && url.username().is_empty()
        && url.password().is_none();
    usable.then_some(url)
}

/// A plain-HTTP base URL off this machine sends the token (in the query) in clear text.
pub fn plain_http_warning(url: &Url) -> Option<String> {
    if url.scheme() != "http" || crate::api::client::is_loopback(url) {
        return None;
    }
    Some(t!(
        "settings-plain-http",
        url = url.as_str().trim_end_matches('/')
    ))
}

/// The language from the flag, the config's value and this process's locale.
pub fn choose_lang(flag: Option<&str>, config: Option<&str>) -> Result<Lang, UnknownLang> {
    Lang::choose(
        flag,
        config,
        non_empty_env("LC_ALL").as_deref(),
        non_empty_env("LC_MESSAGES").as_deref(),
        non_empty_env("LANG").as_deref(),
    )
}

fn non_empty_env(key: &str) -> Option<String> {
    std::env::var(key).ok().filter(|v| !v.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_warns_unless_loopback() {
        let warn = |u: &str| plain_http_warning(&Url::parse(u).unwrap()).is_some();
        assert!(warn(PROD_CN));
        assert!(warn("http://example.com"));
        assert!(!warn("http://127.0.0.1:8080"));
        assert!(!warn("http://127.8.9.1:8080"));
        assert!(!warn("http://localhost:1234/x"));
        assert!(!warn("http://[::1]:1234"));
        assert!(!warn(PROD_GLOBAL));
    }

    #[test]
    fn refresh_intervals() {
        let m = chrono::Duration::minutes;
        assert_eq!(parse_duration("1h"), Some(m(60)));
        assert_eq!(parse_duration("1h30m"), Some(m(90)));
        assert_eq!(parse_duration(" 45M "), Some(m(45)));
        assert_eq!(parse_duration("20"), Some(m(20)));
        assert_eq!(parse_duration("2d"), Some(m(2880)));
        assert_eq!(parse_duration("abc"), None);
        assert_eq!(parse_duration("5x"), None);
        assert_eq!(parse_duration("0m"), None);
        assert_eq!(parse_duration("10"), Some(m(10)));
        assert_eq!(refresh_interval("1h").unwrap(), (m(60), None));
        let (every, note) = refresh_interval("30s").unwrap();
        assert_eq!(every, m(5));
        assert!(note.unwrap().contains("minimum"));
        assert!(refresh_interval("soon").is_err());
        // Too large for a date calculation is not a duration, never a panic.
        assert_eq!(parse_duration("999999999999999d"), None);
        assert_eq!(parse_duration("9223372036854775807"), None);
        assert_eq!(
            parse_duration("9223372036854775807s9223372036854775807s"),
            None
        );
    }

    #[test]
    fn base_urls_must_be_http() {
        assert!(parse_base_url("https://api.justoneapi.com").is_some());
        assert!(parse_base_url("http://127.0.0.1:3000/prefix").is_some());
        assert!(parse_base_url("api.justoneapi.com").is_none());
        assert!(parse_base_url("ftp://x.y").is_none());
        assert!(parse_base_url("https://user:pw@x.y").is_none());
        assert!(parse_base_url("").is_none());
    }

    #[test]
    fn defaults_yield_to_the_config_and_the_flag_to_both() {
        use clap::Parser;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config.toml");
        let settings = |text: &str| {
            std::fs::write(&file, text).unwrap();
            let cli =
                crate::cli::Cli::parse_from(["xingtu-dash", "--config", file.to_str().unwrap()]);
            Settings::resolve(&cli.global).unwrap()
        };
        let plain = settings("");
        assert_eq!(plain.cache_window(), chrono::Duration::minutes(10));
        assert_eq!(plain.concurrency(None), 4);
        let set = settings("[watch]\ncache_minutes = 0\nconcurrency = 9\n");
        assert_eq!(set.cache_window(), chrono::Duration::zero());
        assert_eq!(set.concurrency(None), 9);
        assert_eq!(set.concurrency(Some(2)), 2);
        assert_eq!(set.concurrency(Some(500)), 64);
    }
}
