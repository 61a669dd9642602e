//! The shared store's address, `postgres://user:password@host:port/db[?sslmode=…]`. The
//! password is a secret: it is kept apart, and every way the address is shown (Display,
//! Debug, errors) puts `***` in its place.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};

/// PostgreSQL's own default port.
const DEFAULT_PORT: u16 = 5432;

/// How the connection is encrypted, with libpq's meanings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    /// Never encrypted.
    Disable,
    /// Encrypted when the server offers it (libpq's default), the certificate unchecked.
    Prefer,
    /// Always encrypted; the certificate is not checked.
    Require,
    /// Always encrypted, the certificate checked against the platform's roots and the host
    /// name (`verify-ca` is held to the same, stricter check).
    VerifyFull,
}

/// Why a store URL was refused. It never quotes the URL, which may hold the password.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the store URL is not usable: {0} (expected postgres://user:password@host:port/db)")]
pub struct BadUrl(String);

/// A parsed `postgres://` URL.
#[derive(Clone)]
pub struct PgUrl {
    pub host: String,
    pub port: u16,
    pub user: String,
    password: Option<SecretString>,
    pub dbname: String,
    pub sslmode: SslMode,
}

impl PgUrl {
    pub fn parse(text: &str) -> Result<PgUrl, BadUrl> {
        let bad = |why: &str| BadUrl(why.to_owned());
        let url = url::Url::parse(text.trim()).map_err(|e| BadUrl(e.to_string()))?;
        if !matches!(url.scheme(), "postgres" | "postgresql") {
            return Err(BadUrl(format!(
                "the scheme is `{}`, not postgres://",
                url.scheme()
            )));
        }
        let host = match url.host() {
            Some(url::Host::Ipv6(ip)) => ip.to_string(),
            Some(host) => host.to_string(),
            None => return Err(bad("it names no host")),
        };
        let user = decode(url.username()).ok_or_else(|| bad("the user name is not UTF-8"))?;
        if user.is_empty() {
            return Err(bad("it names no user"));
        }
        let password = match url.password() {
            Some(p) => Some(SecretString::from(
                decode(p).ok_or_else(|| bad("the password is not UTF-8"))?,
            )),
            None => None,
        };
        let path = decode(url.path().trim_start_matches('/'))
            .ok_or_else(|| bad("the database name is not UTF-8"))?;
        let dbname = if path.is_empty() { user.clone() } else { path };
        let mut sslmode = SslMode::Prefer;
        for (key, value) in url.query_pairs() {
            match &*key {
                "sslmode" => {
                    sslmode = match &*value {
                        "disable" => SslMode::Disable,
                        "allow" | "prefer" => SslMode::Prefer,
                        "require" => SslMode::Require,
                        "verify-ca" | "verify-full" => SslMode::VerifyFull,
                        other => {
                            return Err(BadUrl(format!(
                                "sslmode `{other}` is not one of disable, prefer, require, verify-ca, verify-full"
                            )));
                        }
                    }
                }
                other => {
                    return Err(BadUrl(format!(
                        "the parameter `{other}` is not supported (only sslmode is)"
                    )));
                }
            }
        }
        Ok(PgUrl {
            host,
            port: url.port().unwrap_or(DEFAULT_PORT),
            user,
            password,
            dbname,
            sslmode,
        })
    }

    /// The password, for the connection only.
    pub(super) fn password(&self) -> Option<&str> {
        self.password.as_ref().map(|p| p.expose_secret())
    }

    /// `host:port`, as connection errors name the server.
    pub fn server(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

/// The URL with `***` for the password.
impl fmt::Display for PgUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secret = if self.password.is_some() { ":***" } else { "" };
        write!(
            f,
            "postgres://{}{secret}@{}/{}",
            self.user,
            self.server(),
            self.dbname
        )?;
        match self.sslmode {
            SslMode::Prefer => Ok(()),
            SslMode::Disable => f.write_str("?sslmode=disable"),
            SslMode::Require => f.write_str("?sslmode=require"),
            SslMode::VerifyFull => f.write_str("?sslmode=verify-full"),
        }
    }
}

impl fmt::Debug for PgUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PgUrl({self})")
    }
}

impl PartialEq for PgUrl {
    fn eq(&self, other: &PgUrl) -> bool {
        (
            &self.host,
            self.port,
            &self.user,
            self.password(),
            &self.dbname,
            self.sslmode,
        ) == (
            &other.host,
            other.port,
            &other.user,
            other.password(),
            &other.dbname,
            other.sslmode,
        )
    }
}

/// A percent-encoded part of the URL, decoded; `None` when the bytes are not UTF-8.
fn decode(text: &str) -> Option<String> {
    percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .ok()
        .map(|s| s.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parts_are_read_and_the_password_never_shown() {
        let url =
            PgUrl::parse("postgres://team:s%40cret+pw@db.example.com:6543/xingtu?sslmode=require")
                .unwrap();
        assert_eq!(
            (
                url.host.as_str(),
                url.port,
                url.user.as_str(),
                url.dbname.as_str()
            ),
            ("db.example.com", 6543, "team", "xingtu")
        );
        assert_eq!(url.password(), Some("s@cret+pw"));
        assert_eq!(url.sslmode, SslMode::Require);
        let shown = format!("{url} {url:?}");
        assert!(!shown.contains("cret"), "{shown}");
        assert_eq!(
            url.to_string(),
            "postgres://team:***@db.example.com:6543/xingtu?sslmode=require"
        );
    }

    #[test]
    fn defaults_follow_libpq() {
        let url = PgUrl::parse("postgresql://me@[::1]/").unwrap();
        assert_eq!((url.port, url.dbname.as_str()), (5432, "me"));
        assert_eq!(url.sslmode, SslMode::Prefer);
        assert_eq!(url.password(), None);
        assert_eq!(url.to_string(), "postgres://me@[::1]:5432/me");
        assert_eq!(
            PgUrl::parse("postgres://a:b@h/d?sslmode=verify-ca")
                .unwrap()
                .sslmode,
            SslMode::VerifyFull
        );
    }

    #[test]
    fn a_bad_url_is_refused_without_quoting_it() {
        for text in [
            "mysql://u:hunter2@h/d",
            "postgres://:hunter2@h/d",
            "postgres://u:hunter2@h/d?sslmode=maybe",
            "postgres://u:hunter2@h/d?password=hunter2",
            "postgres://u:hunter2@h:99999/d",
            "hunter2",
        ] {
            let err = PgUrl::parse(text).expect_err(text).to_string();
            assert!(!err.contains("hunter2"), "{err}");
        }
    }
}
