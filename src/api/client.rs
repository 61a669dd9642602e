//! One HTTP call to the item-report endpoint. Retries, caching and coalescing live in
//! `fetcher`; this file only turns an id into a parsed envelope, keeping the token secret.

use std::time::Duration;

use reqwest::header::{CONTENT_TYPE, RETRY_AFTER};
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use url::Url;

use super::Call;
use super::envelope::{RawResponse, interpret};
use super::error::ApiError;
use crate::item_id::ItemId;

pub const ENDPOINT_PATH: &str = "/api/douyin-xingtu/gw/api/data_sp/item_report_detail/v1";
/// Xingtu's daily series of one video: a separate paid call, made only when asked.
pub const TREND_PATH: &str = "/api/douyin-xingtu/gw/api/data_sp/item_report_trend/v1";
/// The account balance (same host, token and envelope).
pub const BALANCE_PATH: &str = "/user/get-balance";
pub const PROD_GLOBAL: &str = "https://api.justoneapi.com";
pub const PROD_CN: &str = "http://47.117.133.51:30015";

/// Bodies beyond this are not an item report; stop reading rather than exhaust memory.
const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

pub struct ApiClient {
    http: reqwest::Client,
    endpoint: Url,
    trend_endpoint: Url,
    token: SecretString,
    timeout: Duration,
}

impl std::fmt::Debug for ApiClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiClient")
            .field("endpoint", &self.endpoint.as_str())
            .field("token", &"[redacted]")
            .finish()
    }
}

impl ApiClient {
    pub fn new(base_url: &Url, token: SecretString, timeout: Duration) -> Result<Self, ApiError> {
        let mut builder = client_builder()
            .user_agent(concat!("xingtu-dash/", env!("CARGO_PKG_VERSION")))
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(15)))
            .pool_idle_timeout(Duration::from_secs(90));
        // HTTP(S)_PROXY is honoured for the real hosts, but a server on this machine (a local
        // fake, a tunnel) is never reached through a proxy.
        if is_loopback(base_url) {
            builder = builder.no_proxy();
        }
        let http = builder.build().map_err(|e| ApiError::Network {
            detail: e.without_url().to_string(),
        })?;
        Ok(ApiClient {
            http,
            endpoint: endpoint_url(base_url),
            trend_endpoint: url_under(base_url, TREND_PATH),
            token,
            timeout,
        })
    }

    /// One attempt at either endpoint (same query, envelope and codes); returns the
    /// envelope's `data` on success.
    pub async fn call(&self, call: Call, id: &ItemId) -> Result<Value, ApiError> {
        let mut url = match call {
            Call::Report => self.endpoint.clone(),
            Call::Trend => self.trend_endpoint.clone(),
        };
        url.query_pairs_mut()
            .append_pair("token", self.token.expose_secret())
            .append_pair("itemId", id.as_str());
        self.get(url).await
    }

    /// One read of the account balance: the envelope's `data`.
    pub async fn balance(&self) -> Result<Value, ApiError> {
        // Under the same base (and path prefix) as the report endpoint.
        let mut url = self.endpoint.clone();
        let prefix = url
            .path()
            .strip_suffix(ENDPOINT_PATH)
            .unwrap_or("")
            .to_owned();
        url.set_path(&format!("{prefix}{BALANCE_PATH}"));
        url.query_pairs_mut()
            .append_pair("token", self.token.expose_secret());
        self.get(url).await
    }

    /// One GET of a URL carrying the token; the envelope's `data` on success.
    async fn get(&self, url: Url) -> Result<Value, ApiError> {
        let response = self
            .http
            .get(url)
            .send()
            .await
            .map_err(|e| self.transport_error(e))?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = self.read_capped(response).await?;
        let result = interpret(&RawResponse {
            status,
            retry_after,
            content_type: content_type.as_deref(),
            body: &body,
        });
        result.map_err(|e| self.redact(e))
    }

    async fn read_capped(&self, mut response: reqwest::Response) -> Result<Vec<u8>, ApiError> {
        let status = response.status().as_u16();
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| self.transport_error(e))?
        {
            if body.len() + chunk.len() > MAX_BODY_BYTES {
                return Err(ApiError::BadResponse {
                    status,
                    detail: format!("the body exceeds {} MiB", MAX_BODY_BYTES >> 20),
                });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    /// reqwest's error text includes the request URL, which carries the token: drop it.
    fn transport_error(&self, e: reqwest::Error) -> ApiError {
        if e.is_timeout() {
            return ApiError::Timeout {
                secs: self.timeout.as_secs_f64().ceil() as u64,
            };
        }
        let e = e.without_url();
        let mut detail = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            detail.push_str(": ");
            detail.push_str(&s.to_string());
            source = s.source();
        }
        self.redact(ApiError::Network { detail })
    }

    /// The server's own message could echo the token back; never let it through.
    fn redact(&self, e: ApiError) -> ApiError {
        let token = self.token.expose_secret();
        if token.is_empty() {
            return e;
        }
        let clean = |s: String| s.replace(token, "[redacted]");
        match e {
            ApiError::Business {
                code,
                message,
                http_status,
                retry_after,
            } => ApiError::Business {
                code,
                message: message.map(clean),
                http_status,
                retry_after,
            },
            ApiError::Http {
                status,
                detail,
                retry_after,
            } => ApiError::Http {
                status,
                detail: clean(detail),
                retry_after,
            },
            ApiError::BadResponse { status, detail } => ApiError::BadResponse {
                status,
                detail: clean(detail),
            },
            ApiError::Network { detail } => ApiError::Network {
                detail: clean(detail),
            },
            other => other,
        }
    }
}

/// The endpoint under a base URL that may carry a path prefix (a reverse proxy's mount point).
pub fn endpoint_url(base: &Url) -> Url {
    url_under(base, ENDPOINT_PATH)
}

fn url_under(base: &Url, path: &str) -> Url {
    let mut url = base.clone();
    let prefix = base.path().trim_end_matches('/');
    url.set_path(&format!("{prefix}{path}"));
    url.set_query(None);
    url.set_fragment(None);
    url
}

/// A reqwest builder with TLS ready: rustls on ring, and the platform's certificate
/// verifier, so a corporate proxy's own CA in the system store is trusted.
pub fn client_builder() -> reqwest::ClientBuilder {
    // reqwest is built without a crypto provider (its default, aws-lc-rs, needs cmake and a
    // C toolchain); the first client installs ring for the process. A second call finds it
    // installed, which is fine.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
}

/// A URL on this machine: plain HTTP to it crosses no network.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => std::net::IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => std::net::IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_keeps_a_base_path_prefix() {
        let base = Url::parse("https://api.justoneapi.com").unwrap();
        assert_eq!(
            endpoint_url(&base).as_str(),
            "https://api.justoneapi.com/api/douyin-xingtu/gw/api/data_sp/item_report_detail/v1"
        );
        let base = Url::parse("http://127.0.0.1:8080/proxy/?x=1").unwrap();
        assert_eq!(
            endpoint_url(&base).as_str(),
            "http://127.0.0.1:8080/proxy/api/douyin-xingtu/gw/api/data_sp/item_report_detail/v1"
        );
    }

    #[test]
    fn debug_hides_the_token() {
        let client = ApiClient::new(
            &Url::parse(PROD_GLOBAL).unwrap(),
            SecretString::from("sekrit-token-123"),
            Duration::from_secs(5),
        )
        .unwrap();
        assert!(!format!("{client:?}").contains("sekrit"));
    }
}
