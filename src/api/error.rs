//! Everything that can go wrong with one call, what each business code means, and what the
//! client (and the user) should do about it.

use std::time::Duration;

use crate::i18n::{self, Lang};
use crate::t;

/// What the fetch loop does after an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disposition {
    /// Transient: try again after a backoff, a few times at most.
    Retry,
    /// The provider is rate limiting: every request in this run waits, then this one retries.
    SlowDown,
    /// This item failed; others may go on.
    Fail,
    /// No further call in this run can succeed (token, quota, permission, balance, the
    /// token's spending cap).
    Halt,
}

/// Serializable so that a process giving up on an item it claimed can leave its error in the
/// shared store for the processes waiting on the same item.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum ApiError {
    /// The envelope's `code` was not 0.
    Business {
        code: i64,
        message: Option<String>,
        http_status: u16,
        /// Seconds from a `Retry-After` header, when the server sent one.
        retry_after: Option<u64>,
    },
    /// The body was not a JSON envelope at all: a proxy's error page, an empty body.
    Http {
        status: u16,
        detail: String,
        retry_after: Option<u64>,
    },
    /// The body looked like JSON but was cut off or not the documented envelope.
    BadResponse {
        status: u16,
        detail: String,
    },
    Timeout {
        secs: u64,
    },
    Network {
        detail: String,
    },
    /// Not attempted: an earlier call in this run returned a code that stops all calls.
    Halted {
        code: i64,
    },
    /// Not attempted: the run stopped starting calls (nobody reads the output any more, or
    /// the dashboard is quitting).
    Stopped,
    /// Not attempted: another process sharing the store got a code that stops all calls, and
    /// nobody has cleared it yet.
    HaltedElsewhere {
        code: i64,
        machine: String,
        at: chrono::DateTime<chrono::Utc>,
    },
    /// Not attempted: the store cannot be reached, and nothing is paid for that could not be
    /// kept (or coordinated with the others sharing it).
    StoreUnavailable {
        detail: String,
    },
}

/// In the current language (see `i18n`); `--json` output writes it in English.
impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = match self {
            ApiError::Business { code, message, .. } => business_text(*code, message.as_deref()),
            ApiError::Http { status, detail, .. } => {
                t!("error-http", status = *status, detail = detail)
            }
            ApiError::BadResponse { status, detail } => {
                t!("error-bad-response", status = *status, detail = detail)
            }
            ApiError::Timeout { secs } => t!("error-timeout", secs = *secs),
            ApiError::Network { detail } => t!("error-network", detail = detail),
            ApiError::Halted { code } => {
                t!(
                    "error-halted",
                    code = code.to_string(),
                    advice = advice(*code)
                )
            }
            ApiError::Stopped => t!("error-stopped"),
            ApiError::HaltedElsewhere { code, machine, at } => t!(
                "error-halted-elsewhere",
                code = code.to_string(),
                meaning = code_meaning(*code).unwrap_or_else(|| t!("error-unknown-code")),
                machine = machine,
                at = at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
                advice = advice(*code)
            ),
            ApiError::StoreUnavailable { detail } => {
                t!("error-store-unavailable", detail = detail)
            }
        };
        f.write_str(&text)
    }
}

impl std::error::Error for ApiError {}

/// What the code needs to know about one business code: what it is called in JSON and what
/// the fetch loop does. What people read about it (its meaning, the advice, the halt
/// banner) is in the catalogue under `error-code-N`, `error-advice-N` and `error-halt-N`.
#[derive(Debug, Clone, Copy)]
pub struct CodeInfo {
    pub code: i64,
    /// The stable `kind` of `get --json` errors.
    pub kind: &'static str,
    pub disposition: Disposition,
}

const fn code(code: i64, kind: &'static str, disposition: Disposition) -> CodeInfo {
    CodeInfo {
        code,
        kind,
        disposition,
    }
}

/// The endpoint's business codes (see ../shared/api/item-report-detail-v1.md).
pub const CODES: &[CodeInfo] = {
    use Disposition::*;
    &[
        code(0, "ok", Fail),
        code(100, "invalid_token", Halt),
        code(301, "collection_failed", Retry),
        code(302, "rate_limited", SlowDown),
        code(303, "quota_exceeded", Halt),
        code(400, "invalid_params", Fail),
        code(500, "server_error", Retry),
        // Not on the endpoint's page; seen from the provider's gateway under load.
        code(503, "service_unavailable", Retry),
        code(600, "permission_denied", Halt),
        code(601, "insufficient_balance", Halt),
        // Not on the endpoint's page; the provider's own MCP server names it
        // TOKEN_LIMIT_EXCEEDED.
        code(602, "token_limit_exceeded", Halt),
    ]
};

pub fn code_info(code: i64) -> Option<&'static CodeInfo> {
    CODES.iter().find(|c| c.code == code)
}

/// What a documented code means, in the current language.
pub fn code_meaning(code: i64) -> Option<String> {
    code_info(code)?;
    i18n::lookup(&format!("error-code-{code}"), None)
}

/// The provider's own wording of a documented code (the English catalogue's), to recognise
/// its message.
fn documented_meaning(code: i64) -> Option<String> {
    code_info(code)?;
    i18n::format_in(Lang::En, &format!("error-code-{code}"), None)
}

/// What the user should do next, in a few words.
pub fn advice(code: i64) -> String {
    i18n::lookup(&format!("error-advice-{code}"), None)
        .unwrap_or_else(|| t!("error-advice-unknown"))
}

/// The short status line while the provider rate limits (code 302 or HTTP 429).
pub fn rate_limited_summary() -> String {
    t!("error-rate-limited")
}

/// For the banner while calls are halted: what happened and what to do, in a few words that
/// fit an 80-column line ("balance is empty — top up, then press r"). `resume_key` is the
/// key that lifts the halt, as the user's key map has it.
pub fn halt_summary(code: i64, resume_key: &str) -> String {
    let mut args = i18n::FluentArgs::new();
    args.set("key", resume_key);
    let what = code_info(code)
        .filter(|c| c.disposition == Disposition::Halt)
        .and_then(|_| i18n::lookup(&format!("error-halt-{code}"), Some(&args)))
        .unwrap_or_else(|| t!("error-halt-unknown", key = resume_key));
    t!("error-halt-banner", code = code.to_string(), what = what)
}

fn business_text(code: i64, message: Option<&str>) -> String {
    let server = message.map(str::trim).filter(|m| !m.is_empty());
    let what = match (code_meaning(code), documented_meaning(code), server) {
        // The server said what the table says ("Collection Failed. Please Retry."): ours is
        // in the reader's language.
        (Some(m), Some(d), Some(s))
            if d.eq_ignore_ascii_case(s.trim_end_matches(['.', ' '])) || s.starts_with(&d) =>
        {
            m
        }
        (Some(m), _, Some(s)) => t!("error-business-server", meaning = m, server = s),
        (Some(m), _, None) => m,
        (None, _, Some(s)) => t!("error-business-unknown", server = s),
        (None, _, None) => t!("error-business-silent"),
    };
    t!(
        "error-business",
        code = code.to_string(),
        what = what,
        advice = advice(code)
    )
}

impl ApiError {
    /// The business code, when the provider gave one.
    pub fn code(&self) -> Option<i64> {
        match self {
            ApiError::Business { code, .. }
            | ApiError::Halted { code }
            | ApiError::HaltedElsewhere { code, .. } => Some(*code),
            _ => None,
        }
    }

    pub fn http_status(&self) -> Option<u16> {
        match self {
            ApiError::Business { http_status, .. } => Some(*http_status),
            ApiError::Http { status, .. } | ApiError::BadResponse { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// A stable machine-readable name (the `kind` of `get --json` errors).
    pub fn kind(&self) -> &'static str {
        match self {
            ApiError::Business { code, .. } => match code_info(*code) {
                Some(info) if info.code != 0 => info.kind,
                _ => "unknown_code",
            },
            ApiError::Http { .. } => "http_error",
            ApiError::BadResponse { .. } => "bad_response",
            ApiError::Timeout { .. } => "timeout",
            ApiError::Network { .. } => "network",
            ApiError::Halted { .. } | ApiError::HaltedElsewhere { .. } => "halted",
            ApiError::Stopped => "stopped",
            ApiError::StoreUnavailable { .. } => "store_unavailable",
        }
    }

    pub fn disposition(&self) -> Disposition {
        match self {
            ApiError::Business { code, .. } => {
                code_info(*code).map_or(Disposition::Fail, |info| info.disposition)
            }
            ApiError::Http { status, .. } => match status {
                429 => Disposition::SlowDown,
                500..=599 => Disposition::Retry,
                _ => Disposition::Fail,
            },
            ApiError::Timeout { .. } | ApiError::Network { .. } => Disposition::Retry,
            // Everyone's calls are stopped: this process stops as if it had got the code.
            ApiError::HaltedElsewhere { .. } => Disposition::Halt,
            ApiError::BadResponse { .. }
            | ApiError::Halted { .. }
            | ApiError::Stopped
            | ApiError::StoreUnavailable { .. } => Disposition::Fail,
        }
    }

    /// Seconds the server asked us to wait, if it said.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            ApiError::Business { retry_after, .. } | ApiError::Http { retry_after, .. } => {
                retry_after.map(Duration::from_secs)
            }
            _ => None,
        }
    }

    /// A short label for a status cell: "601", "timeout", "HTTP 502".
    pub fn short(&self) -> String {
        match self {
            ApiError::Business { code, .. }
            | ApiError::Halted { code }
            | ApiError::HaltedElsewhere { code, .. } => code.to_string(),
            ApiError::Http { status, .. } | ApiError::BadResponse { status, .. } => {
                format!("HTTP {status}")
            }
            ApiError::Timeout { .. } => "timeout".to_owned(),
            ApiError::Network { .. } => "network".to_owned(),
            ApiError::Stopped => "stopped".to_owned(),
            ApiError::StoreUnavailable { .. } => "store down".to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn business(code: i64) -> ApiError {
        ApiError::Business {
            code,
            message: documented_meaning(code),
            http_status: 200,
            retry_after: None,
        }
    }

    #[test]
    fn every_documented_code_has_a_disposition() {
        use Disposition::*;
        let table = [
            (100, Halt, "invalid_token"),
            (301, Retry, "collection_failed"),
            (302, SlowDown, "rate_limited"),
            (303, Halt, "quota_exceeded"),
            (400, Fail, "invalid_params"),
            (500, Retry, "server_error"),
            (503, Retry, "service_unavailable"),
            (600, Halt, "permission_denied"),
            (601, Halt, "insufficient_balance"),
            (101, Fail, "unknown_code"),
            (602, Halt, "token_limit_exceeded"),
        ];
        for (code, disposition, kind) in table {
            let e = business(code);
            assert_eq!(e.disposition(), disposition, "code {code}");
            assert_eq!(e.kind(), kind, "code {code}");
            assert_eq!(e.code(), Some(code));
        }
    }

    #[test]
    fn the_token_spending_cap_says_which_limit_and_what_to_do() {
        let text = business(602).to_string();
        assert!(text.contains("602"), "{text}");
        assert!(text.contains("spending limit"), "{text}");
        assert!(text.contains("another token"), "{text}");
        let banner = halt_summary(602, "r");
        assert!(banner.contains("token spending cap"), "{banner}");
        // The banner adds 20 columns and must fit 80.
        assert!(crate::format::width(&banner) <= 58, "{banner}");
        assert_eq!(halted(602).kind(), "halted");
        assert!(halted(602).to_string().contains("another token"));
    }

    #[test]
    fn the_code_table_and_the_catalogues_agree() {
        for (i, info) in CODES.iter().enumerate() {
            let code = info.code;
            assert!(
                CODES[..i].iter().all(|c| c.code != code),
                "code {code} twice"
            );
            for lang in Lang::ALL {
                let has = |what: &str| {
                    i18n::format_in(lang, &format!("error-{what}-{code}"), None).is_some()
                };
                let documented = code != 0;
                assert_eq!(has("code"), documented, "{lang:?}: meaning of {code}");
                assert_eq!(has("advice"), documented, "{lang:?}: advice for {code}");
                let halts = info.disposition == Disposition::Halt;
                assert_eq!(has("halt"), halts, "{lang:?}: banner for {code}");
            }
        }
        assert_eq!(code_meaning(503).as_deref(), Some("Service Unavailable"));
        assert!(halt_summary(601, "f").ends_with("top up, then press f"));
        assert!(halt_summary(100, "f").ends_with("fix the token and restart"));
        assert_eq!(advice(777), t!("error-advice-unknown"));
        assert_eq!(business(0).kind(), "unknown_code");
    }

    #[test]
    fn chinese_messages_keep_the_code_and_the_servers_words() {
        i18n::scoped(Lang::Zh, || {
            assert_eq!(
                business(601).to_string(),
                "代码 601：余额不足 — 余额已用完，请为 Just One API 账户充值后再试"
            );
            let unknown = ApiError::Business {
                code: 777,
                message: Some("Something new".into()),
                http_status: 200,
                retry_after: None,
            };
            assert!(
                unknown
                    .to_string()
                    .starts_with("代码 777：未知代码（服务器：Something new）")
            );
            assert_eq!(halt_summary(601, "r"), "代码 601：余额已用完 — 充值后按 r");
            for info in CODES.iter().filter(|c| c.disposition == Disposition::Halt) {
                let banner = halt_summary(info.code, "r");
                assert!(crate::format::width(&banner) <= 58, "{banner}");
            }
        });
    }

    fn halted(code: i64) -> ApiError {
        ApiError::Halted { code }
    }

    #[test]
    fn messages_name_the_code_and_what_to_do() {
        let text = business(601).to_string();
        assert!(text.contains("601") && text.contains("top up"), "{text}");
        let unknown = ApiError::Business {
            code: 777,
            message: Some("Something new".into()),
            http_status: 200,
            retry_after: None,
        };
        let text = unknown.to_string();
        assert!(
            text.contains("777") && text.contains("Something new"),
            "{text}"
        );
        let silent = ApiError::Business {
            code: 778,
            message: None,
            http_status: 500,
            retry_after: None,
        };
        assert!(silent.to_string().contains("778"));
    }

    #[test]
    fn http_status_decides_for_non_json_bodies() {
        let http = |status| ApiError::Http {
            status,
            detail: String::new(),
            retry_after: None,
        };
        assert_eq!(http(502).disposition(), Disposition::Retry);
        assert_eq!(http(429).disposition(), Disposition::SlowDown);
        assert_eq!(http(404).disposition(), Disposition::Fail);
        assert_eq!(http(502).short(), "HTTP 502");
    }
}
