//! Everything that can go wrong with one call, what each business code means, and what the
//! client (and the user) should do about it.

use std::time::Duration;

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
#[derive(Debug, Clone, PartialEq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum ApiError {
    /// The envelope's `code` was not 0.
    #[error("{}", business_text(*.code, .message.as_deref()))]
    Business {
        code: i64,
        message: Option<String>,
        http_status: u16,
        /// Seconds from a `Retry-After` header, when the server sent one.
        retry_after: Option<u64>,
    },
    /// The body was not a JSON envelope at all: a proxy's error page, an empty body.
    #[error("HTTP {status}: {detail}")]
    Http {
        status: u16,
        detail: String,
        retry_after: Option<u64>,
    },
    /// The body looked like JSON but was cut off or not the documented envelope.
    #[error("HTTP {status}: unusable response: {detail}")]
    BadResponse { status: u16, detail: String },
    #[error("no answer within {secs} s (the provider collects data on demand; try --timeout 90)")]
    Timeout { secs: u64 },
    #[error("network error: {detail}")]
    Network { detail: String },
    /// Not attempted: an earlier call in this run returned a code that stops all calls.
    #[error("not requested: code {code} earlier in this run stopped all calls — {}", advice(*.code))]
    Halted { code: i64 },
    /// Not attempted: the run stopped starting calls (nobody reads the output any more, or
    /// the dashboard is quitting).
    #[error("not requested: the run was stopped before this call")]
    Stopped,
    /// Not attempted: another process sharing the store got a code that stops all calls, and
    /// nobody has cleared it yet.
    #[error(
        "not requested: code {code} ({}) on {machine} at {} stopped the calls of everyone sharing the store — {}; then clear it with `xingtu-dash store clear-halt` (or the dashboard's refetch key)",
        code_meaning(*.code).unwrap_or("unknown code"),
        .at.format("%Y-%m-%d %H:%M:%S UTC"),
        advice(*.code)
    )]
    HaltedElsewhere {
        code: i64,
        machine: String,
        at: chrono::DateTime<chrono::Utc>,
    },
    /// Not attempted: the store cannot be reached, and nothing is paid for that could not be
    /// kept (or coordinated with the others sharing it).
    #[error("not requested: the store is unavailable ({detail}); no call is made until it is back")]
    StoreUnavailable { detail: String },
}

/// Everything known about one business code, in one place: what it is called in JSON, what
/// the provider says it means, what the user should do, and what the fetch loop does.
#[derive(Debug, Clone, Copy)]
pub struct CodeInfo {
    pub code: i64,
    /// The stable `kind` of `get --json` errors.
    pub kind: &'static str,
    /// The provider's documented meaning.
    pub meaning: &'static str,
    /// What the user should do next, in a few words.
    pub advice: &'static str,
    pub disposition: Disposition,
    /// For a halting code, the banner's (what happened, what to do): a few words that fit an
    /// 80-column line together.
    pub halt: Option<(&'static str, &'static str)>,
}

const fn code(
    code: i64,
    kind: &'static str,
    meaning: &'static str,
    advice: &'static str,
    disposition: Disposition,
    halt: Option<(&'static str, &'static str)>,
) -> CodeInfo {
    CodeInfo {
        code,
        kind,
        meaning,
        advice,
        disposition,
        halt,
    }
}

/// The endpoint's business codes (see ../shared/api/item-report-detail-v1.md).
pub const CODES: &[CodeInfo] = {
    use Disposition::*;
    &[
        code(0, "ok", "Success", "", Fail, None),
        code(
            100,
            "invalid_token",
            "Invalid or Inactive Token",
            "check your API token (--token, JUSTONEAPI_TOKEN or [api] token in the config file)",
            Halt,
            Some(("invalid or inactive token", "fix the token and restart")),
        ),
        code(
            301,
            "collection_failed",
            "Collection Failed",
            "the provider could not collect this video right now; try again in a minute",
            Retry,
            None,
        ),
        code(
            302,
            "rate_limited",
            "Rate Limit Exceeded",
            "the provider is rate limiting; wait a moment and try again",
            SlowDown,
            None,
        ),
        code(
            303,
            "quota_exceeded",
            "Daily Quota Exceeded",
            "the daily quota is used up; try again after it resets",
            Halt,
            Some((
                "daily quota used up",
                "wait for the reset, then press {key}",
            )),
        ),
        code(
            400,
            "invalid_params",
            "Invalid Parameters",
            "check the video id: the provider does not know it",
            Fail,
            None,
        ),
        code(
            500,
            "server_error",
            "Internal Server Error",
            "the provider had an internal error; try again later",
            Retry,
            None,
        ),
        // Not on the endpoint's page; seen from the provider's gateway under load.
        code(
            503,
            "service_unavailable",
            "Service Unavailable",
            "the provider had an internal error; try again later",
            Retry,
            None,
        ),
        code(
            600,
            "permission_denied",
            "Permission Denied",
            "your token has no access to this API; enable it in your Just One API account",
            Halt,
            Some(("no permission for this API", "enable it, then press {key}")),
        ),
        code(
            601,
            "insufficient_balance",
            "Insufficient Balance",
            "your balance is empty; top up your Just One API account, then try again",
            Halt,
            Some(("balance is empty", "top up, then press {key}")),
        ),
        // Not on the endpoint's page; the provider's own MCP server names it
        // TOKEN_LIMIT_EXCEEDED.
        code(
            602,
            "token_limit_exceeded",
            "Token Spending Limit Reached",
            "this token's spending limit is reached (the account balance may still have money); raise the token's limit in the Just One API console, or use another token",
            Halt,
            Some(("token spending cap hit", "raise it, then press {key}")),
        ),
    ]
};

/// What the provider said about a code it did not document.
const UNKNOWN_ADVICE: &str =
    "see the provider's message; if it persists, contact Just One API support";

pub fn code_info(code: i64) -> Option<&'static CodeInfo> {
    CODES.iter().find(|c| c.code == code)
}

/// The provider's documented meaning of each business code.
pub fn code_meaning(code: i64) -> Option<&'static str> {
    code_info(code).map(|c| c.meaning)
}

/// What the user should do next, in a few words.
pub fn advice(code: i64) -> &'static str {
    code_info(code)
        .map(|c| c.advice)
        .filter(|a| !a.is_empty())
        .unwrap_or(UNKNOWN_ADVICE)
}

/// The short status line while the provider rate limits (code 302 or HTTP 429).
pub fn rate_limited_summary() -> &'static str {
    "rate limited (code 302)"
}

/// For the banner while calls are halted: what happened and what to do, in a few words that
/// fit an 80-column line ("balance is empty — top up, then press r"). `resume_key` is the
/// key that lifts the halt, as the user's key map has it.
pub fn halt_summary(code: i64, resume_key: &str) -> String {
    let (what, todo) = code_info(code)
        .and_then(|c| c.halt)
        .unwrap_or(("calls stopped", "fix the cause, then press {key}"));
    format!(
        "code {code}: {what} — {}",
        todo.replace("{key}", resume_key)
    )
}

fn business_text(code: i64, message: Option<&str>) -> String {
    let server = message.map(str::trim).filter(|m| !m.is_empty());
    let meaning = code_meaning(code);
    let what = match (meaning, server) {
        (Some(m), Some(s)) if m.eq_ignore_ascii_case(s.trim_end_matches(['.', ' '])) => {
            m.to_owned()
        }
        (Some(m), Some(s)) if s.starts_with(m) => s.to_owned(),
        (Some(m), Some(s)) => format!("{m} (server: {s})"),
        (Some(m), None) => m.to_owned(),
        (None, Some(s)) => format!("unknown code (server: {s})"),
        (None, None) => "unknown code, no message from the server".to_owned(),
    };
    format!("code {code}: {what} — {}", advice(code))
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
            message: code_meaning(code).map(str::to_owned),
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
    fn the_code_table_is_consistent() {
        for (i, info) in CODES.iter().enumerate() {
            assert!(
                CODES[..i].iter().all(|c| c.code != info.code),
                "code {} twice",
                info.code
            );
            let halts = info.disposition == Disposition::Halt;
            assert_eq!(halts, info.halt.is_some(), "code {}: banner", info.code);
            assert_eq!(info.code == 0, info.advice.is_empty(), "code {}", info.code);
        }
        assert_eq!(code_meaning(503), Some("Service Unavailable"));
        assert!(halt_summary(601, "f").ends_with("top up, then press f"));
        assert!(halt_summary(100, "f").ends_with("fix the token and restart"));
        assert_eq!(advice(777), UNKNOWN_ADVICE);
        assert_eq!(business(0).kind(), "unknown_code");
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
