//! Resolving Douyin short links (`https://v.douyin.com/<code>/`) to item ids: one unbilled GET
//! to the short-link host, which answers with a redirect to the full link. The redirect is not
//! followed; only its `Location` is read, and parsed by `item_id`. The API token is never sent
//! (this client has none). Resolved codes are stored, so a link costs one request ever.

use crate::t;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use chrono::Utc;
use futures_util::future::join_all;
use reqwest::header::LOCATION;
use tokio::sync::Semaphore;
use url::Url;

use crate::item_id::{ItemId, ItemRef, SHORT_LINK_HOST, ShortLink};
use crate::store::shortlinks::ShortLinkStore;

pub const DEFAULT_BASE: &str = "https://v.douyin.com";
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// Resolutions in flight at once: a paste of 200 links must not look like an attack.
pub const MAX_CONCURRENT: usize = 4;
const USER_AGENT: &str = concat!(
    "xingtu-dash/",
    env!("CARGO_PKG_VERSION"),
    " (link resolver)"
);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    #[error("{}", t!("link-off", link = link, why = why))]
    Off { link: String, why: String },
    #[error("{}", t!("link-not-found", link = link, status = *status))]
    NotFound { link: String, status: u16 },
    #[error("{}", t!("link-no-id", link = link, location = location))]
    NoId { link: String, location: String },
    #[error("{}", t!("link-no-redirect", link = link, status = *status))]
    NoRedirect { link: String, status: u16 },
    #[error("{}", t!("link-http", link = link, host = host, status = *status))]
    Http {
        link: String,
        host: String,
        status: u16,
    },
    #[error("{}", t!("link-timeout", link = link, host = host, secs = *secs))]
    Timeout {
        link: String,
        host: String,
        secs: u64,
    },
    #[error("{}", t!("link-network", link = link, host = host, detail = detail))]
    Network {
        link: String,
        host: String,
        detail: String,
    },
}

impl ResolveError {
    /// The link itself is bad (as opposed to the network): retrying will not help.
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            ResolveError::Off { .. }
                | ResolveError::NotFound { .. }
                | ResolveError::NoId { .. }
                | ResolveError::NoRedirect { .. }
        )
    }
}

/// Where and how to resolve.
#[derive(Debug, Clone)]
pub struct ResolverConfig {
    pub base: Url,
    pub timeout: Duration,
    /// Where resolved codes are remembered; `None` remembers them for this process only.
    pub store: Option<ShortLinkStore>,
}

pub struct Resolver {
    mode: Mode,
    /// Codes resolved by this process (also when the store cannot be written).
    known: Mutex<HashMap<String, ItemId>>,
    /// Problems with the store, reported once at the end of a run.
    warnings: Mutex<Vec<String>>,
}

enum Mode {
    Off(String),
    On {
        http: reqwest::Client,
        config: ResolverConfig,
        permits: Semaphore,
    },
}

impl Resolver {
    pub fn new(config: ResolverConfig) -> Result<Resolver, String> {
        let mut builder = crate::api::client::client_builder()
            .user_agent(USER_AGENT)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(config.timeout)
            .connect_timeout(config.timeout);
        // Proxies from the environment are honoured, except for a host on this machine, as
        // for the API.
        if crate::api::client::is_loopback(&config.base) {
            builder = builder.no_proxy();
        }
        let http = builder.build().map_err(|e| e.without_url().to_string())?;
        Ok(Resolver::with_mode(Mode::On {
            http,
            config,
            permits: Semaphore::new(MAX_CONCURRENT),
        }))
    }

    /// A resolver that rejects every short link, saying `why`.
    pub fn off(why: impl Into<String>) -> Resolver {
        Resolver::with_mode(Mode::Off(why.into()))
    }

    fn with_mode(mode: Mode) -> Resolver {
        Resolver {
            mode,
            known: Mutex::new(HashMap::new()),
            warnings: Mutex::new(Vec::new()),
        }
    }

    /// The id a short link was resolved to before (this run or an earlier one), without a
    /// request.
    fn known(&self, link: &ShortLink) -> Option<ItemId> {
        if let Some(id) = lock(&self.known).get(link.code()) {
            return Some(id.clone());
        }
        let Mode::On {
            config: ResolverConfig {
                store: Some(store), ..
            },
            ..
        } = &self.mode
        else {
            return None;
        };
        match store.get(link.code()) {
            Ok(stored) => {
                let id = ItemId::parse(&stored?).ok()?;
                lock(&self.known).insert(link.code().to_owned(), id.clone());
                Some(id)
            }
            Err(e) => {
                self.warn(e.to_string());
                None
            }
        }
    }

    /// The item id behind `r`: an id as it is, a short link from the store or with one
    /// request to the short-link host.
    pub async fn resolve(&self, r: &ItemRef) -> Result<ItemId, ResolveError> {
        match r {
            ItemRef::Id(id) => Ok(id.clone()),
            ItemRef::Short(link) => self.resolve_link(link).await,
        }
    }

    pub async fn resolve_link(&self, link: &ShortLink) -> Result<ItemId, ResolveError> {
        let (http, config, permits) = match &self.mode {
            Mode::Off(why) => {
                return Err(ResolveError::Off {
                    link: link.url(),
                    why: why.clone(),
                });
            }
            Mode::On {
                http,
                config,
                permits,
            } => (http, config, permits),
        };
        if let Some(id) = self.known(link) {
            return Ok(id);
        }
        let _permit = permits.acquire().await;
        // Another task may have resolved it while this one waited.
        if let Some(id) = lock(&self.known).get(link.code()) {
            return Ok(id.clone());
        }
        let id = request(http, config, link).await?;
        lock(&self.known).insert(link.code().to_owned(), id.clone());
        if let Some(store) = &config.store
            && let Err(e) = store.put(link.code(), id.as_str(), Utc::now())
        {
            self.warn(e.to_string());
        }
        tracing::info!(
            code = link.code(),
            item = id.as_str(),
            "resolved a short link"
        );
        Ok(id)
    }

    /// Resolves every reference, each distinct short link once, at most `MAX_CONCURRENT` at
    /// a time; results in input order.
    pub async fn resolve_all(&self, refs: &[ItemRef]) -> Vec<Result<ItemId, ResolveError>> {
        let mut distinct: Vec<&ShortLink> = Vec::new();
        let mut slot: HashMap<&ShortLink, usize> = HashMap::new();
        for r in refs {
            if let ItemRef::Short(link) = r {
                slot.entry(link).or_insert_with(|| {
                    distinct.push(link);
                    distinct.len() - 1
                });
            }
        }
        let resolved = join_all(distinct.iter().map(|l| self.resolve_link(l))).await;
        refs.iter()
            .map(|r| match r {
                ItemRef::Id(id) => Ok(id.clone()),
                ItemRef::Short(link) => resolved[slot[link]].clone(),
            })
            .collect()
    }

    /// Problems worth telling the user once (a store that could not be read or written).
    pub fn take_warnings(&self) -> Vec<String> {
        let mut warnings = std::mem::take(&mut *lock(&self.warnings));
        warnings.dedup();
        warnings
    }

    fn warn(&self, message: String) {
        tracing::warn!("{message}");
        let mut warnings = lock(&self.warnings);
        if !warnings.contains(&message) {
            warnings.push(message);
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The short link's address under the configured base (which may carry a mirror's path).
fn request_url(base: &Url, link: &ShortLink) -> Url {
    let mut url = base.clone();
    let prefix = base.path().trim_end_matches('/');
    url.set_path(&format!("{prefix}/{}/", link.code()));
    url.set_query(None);
    url.set_fragment(None);
    url
}

async fn request(
    http: &reqwest::Client,
    config: &ResolverConfig,
    link: &ShortLink,
) -> Result<ItemId, ResolveError> {
    let url = request_url(&config.base, link);
    let host = config.base.host_str().unwrap_or(SHORT_LINK_HOST).to_owned();
    let response = http.get(url.clone()).send().await.map_err(|e| {
        if e.is_timeout() {
            ResolveError::Timeout {
                link: link.url(),
                host: host.clone(),
                secs: config.timeout.as_secs_f64().ceil() as u64,
            }
        } else {
            ResolveError::Network {
                link: link.url(),
                host: host.clone(),
                detail: error_chain(&e.without_url()),
            }
        }
    })?;
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get(LOCATION)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_owned());
    // The body is never read: the redirect says all there is to know.
    drop(response);
    interpret(&url, link, &host, status, location.as_deref())
}

/// What the short-link host's answer means. Pure, so every case is tested without a server.
fn interpret(
    requested: &Url,
    link: &ShortLink,
    host: &str,
    status: u16,
    location: Option<&str>,
) -> Result<ItemId, ResolveError> {
    match (status, location) {
        (300..=399, Some(location)) if !location.is_empty() => {
            let target = requested
                .join(location)
                .map_or_else(|_| location.to_owned(), String::from);
            ItemId::parse(&target).map_err(|_| ResolveError::NoId {
                link: link.url(),
                location: shorten(&target),
            })
        }
        (404 | 410, _) => Err(ResolveError::NotFound {
            link: link.url(),
            status,
        }),
        (200..=399, _) => Err(ResolveError::NoRedirect {
            link: link.url(),
            status,
        }),
        _ => Err(ResolveError::Http {
            link: link.url(),
            host: host.to_owned(),
            status,
        }),
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut detail = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        detail.push_str(": ");
        detail.push_str(&s.to_string());
        source = s.source();
    }
    detail
}

/// A redirect target can be long (tracking parameters); messages keep its start.
fn shorten(text: &str) -> String {
    const MAX: usize = 120;
    if text.chars().count() <= MAX {
        text.to_owned()
    } else {
        let head: String = text.chars().take(MAX - 1).collect();
        format!("{head}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(code: &str) -> ShortLink {
        match ItemRef::parse(&format!("https://v.douyin.com/{code}/")) {
            Ok(ItemRef::Short(l)) => l,
            other => panic!("{other:?}"),
        }
    }

    fn answer(status: u16, location: Option<&str>) -> Result<ItemId, ResolveError> {
        let l = link("iRNBho6u");
        let base = Url::parse("https://v.douyin.com").unwrap();
        interpret(
            &request_url(&base, &l),
            &l,
            "v.douyin.com",
            status,
            location,
        )
    }

    #[test]
    fn redirects_to_a_video_give_its_id() {
        for status in [301, 302, 303, 307, 308] {
            let got = answer(
                status,
                Some("https://www.iesdouyin.com/share/video/7566200471448779514/?region=CN&mid=1"),
            );
            assert_eq!(got.unwrap().as_str(), "7566200471448779514");
        }
        let relative = answer(302, Some("/share/video/7566200471448779514/"));
        assert_eq!(relative.unwrap().as_str(), "7566200471448779514");
    }

    #[test]
    fn everything_else_is_an_error_that_names_the_link() {
        let cases = [
            answer(302, Some("https://www.douyin.com/user/MS4wLjABAAAA")),
            answer(302, Some("https://www.example.com/")),
            answer(302, None),
            answer(404, None),
            answer(410, None),
            answer(200, None),
            answer(500, None),
            answer(
                403,
                Some("https://www.douyin.com/video/7566200471448779514"),
            ),
        ];
        for got in cases {
            let e = got.unwrap_err();
            assert!(
                e.to_string().contains("https://v.douyin.com/iRNBho6u/"),
                "{e}"
            );
        }
        let e = answer(302, Some("https://www.douyin.com/user/MS4wLjABAAAA")).unwrap_err();
        assert!(
            e.to_string().contains("www.douyin.com/user/MS4wLjABAAAA"),
            "{e}"
        );
        assert!(matches!(
            answer(404, None),
            Err(ResolveError::NotFound { .. })
        ));
        assert!(matches!(
            answer(200, None),
            Err(ResolveError::NoRedirect { .. })
        ));
        assert!(matches!(answer(503, None), Err(ResolveError::Http { .. })));
        assert!(!answer(503, None).unwrap_err().is_bad_input());
    }

    #[test]
    fn request_urls_keep_a_mirror_prefix() {
        let l = link("iRNBho6u");
        let plain = Url::parse("https://v.douyin.com").unwrap();
        assert_eq!(
            request_url(&plain, &l).as_str(),
            "https://v.douyin.com/iRNBho6u/"
        );
        let mirror = Url::parse("http://127.0.0.1:9/dy/?x=1").unwrap();
        assert_eq!(
            request_url(&mirror, &l).as_str(),
            "http://127.0.0.1:9/dy/iRNBho6u/"
        );
    }

    #[tokio::test]
    async fn off_rejects_with_the_reason_and_ids_pass() {
        let r = Resolver::off("link resolution is off (--no-resolve)");
        let e = r.resolve_link(&link("abc")).await.unwrap_err().to_string();
        assert!(
            e.contains("--no-resolve") && e.contains("v.douyin.com/abc/"),
            "{e}"
        );
        let id = ItemRef::parse("7566200471448779514").unwrap();
        assert_eq!(
            r.resolve(&id).await.unwrap().as_str(),
            "7566200471448779514"
        );
    }
}
