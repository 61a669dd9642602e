//! Reading the provider's response envelope: `{code, data, message, recordTime, requestId}`.
//!
//! The business result is `code`, whatever the HTTP status; the status only matters when the
//! body is not a JSON envelope (a proxy's HTML page, a cut-off body).

use serde_json::Value;

use super::error::ApiError;

/// What one HTTP exchange produced, before interpretation.
pub struct RawResponse<'a> {
    pub status: u16,
    pub retry_after: Option<u64>,
    pub content_type: Option<&'a str>,
    pub body: &'a [u8],
}

/// The `data` object of a successful envelope, or the error the exchange amounts to.
pub fn interpret(raw: &RawResponse<'_>) -> Result<Value, ApiError> {
    let status = raw.status;
    let value: Value = match serde_json::from_slice(raw.body) {
        Ok(v) => v,
        Err(e) => return Err(non_json_error(raw, &e)),
    };
    let Some(envelope) = value.as_object() else {
        return Err(not_an_envelope(
            raw,
            "expected a JSON object envelope".into(),
        ));
    };
    let Some(code) = envelope.get("code").and_then(code_of) else {
        let detail = match envelope.get("code") {
            None => "the envelope has no `code`".into(),
            Some(other) => format!("the envelope's `code` is not a number: {other}"),
        };
        return Err(not_an_envelope(raw, detail));
    };
    if code != 0 {
        return Err(ApiError::Business {
            code,
            message: envelope
                .get("message")
                .and_then(Value::as_str)
                .map(str::to_owned),
            http_status: status,
            retry_after: raw.retry_after,
        });
    }
    match envelope.get("data") {
        Some(data @ Value::Object(_)) => Ok(data.clone()),
        _ => Err(ApiError::BadResponse {
            status,
            detail: "code 0 (success) but no `data` object".into(),
        }),
    }
}

/// JSON that is not the provider's envelope. On an error status it came from something in
/// between (a gateway's JSON error), so the HTTP status decides what to do, as for HTML.
fn not_an_envelope(raw: &RawResponse<'_>, detail: String) -> ApiError {
    if raw.status >= 400 {
        ApiError::Http {
            status: raw.status,
            detail: format!(
                "{}, with JSON that is not the provider's envelope: {detail}",
                http_reason(raw.status)
            ),
            retry_after: raw.retry_after,
        }
    } else {
        ApiError::BadResponse {
            status: raw.status,
            detail,
        }
    }
}

/// `code` has been seen both as `0` and as `"0"`.
fn code_of(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn non_json_error(raw: &RawResponse<'_>, err: &serde_json::Error) -> ApiError {
    let status = raw.status;
    let looks_html = raw
        .content_type
        .is_some_and(|c| c.to_ascii_lowercase().contains("html"))
        || String::from_utf8_lossy(&raw.body[..raw.body.len().min(512)])
            .trim_start()
            .starts_with('<');
    let reason = http_reason(status);
    if err.is_eof() && !raw.body.is_empty() && !looks_html && status < 400 {
        return ApiError::BadResponse {
            status,
            detail: format!(
                "the JSON body was cut off after {} bytes (a network or proxy problem); try again",
                raw.body.len()
            ),
        };
    }
    let detail = if raw.body.iter().all(u8::is_ascii_whitespace) {
        format!("{reason}, with an empty body instead of the JSON envelope")
    } else if looks_html {
        format!(
            "{reason}, with an HTML page instead of the JSON envelope (a proxy, firewall or gateway answered; check --base-url and your network)"
        )
    } else {
        format!("{reason}, with a body that is not JSON ({err})")
    };
    ApiError::Http {
        status,
        detail,
        retry_after: raw.retry_after,
    }
}

fn http_reason(status: u16) -> String {
    let reason = reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason());
    match reason {
        Some(r) => r.to_owned(),
        None => "unexpected status".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(status: u16, body: &str) -> RawResponse<'_> {
        RawResponse {
            status,
            retry_after: None,
            content_type: Some("application/json"),
            body: body.as_bytes(),
        }
    }

    #[test]
    fn success_with_numeric_or_string_code() {
        for body in [
            r#"{"code":0,"data":{"x":1},"message":null}"#,
            r#"{"code":"0","data":{"x":1}}"#,
            r#"{"code":" 0 ","data":{"x":1},"recordTime":"2025-12-31T14:55:21Z","extra":[1]}"#,
        ] {
            let data = interpret(&raw(200, body)).unwrap();
            assert_eq!(data["x"], 1, "{body}");
        }
    }

    #[test]
    fn business_code_wins_over_http_status() {
        let err = interpret(&raw(
            403,
            r#"{"code":601,"data":null,"message":"Insufficient Balance"}"#,
        ))
        .unwrap_err();
        assert_eq!(err.code(), Some(601));
        assert_eq!(err.http_status(), Some(403));
        let err = interpret(&raw(200, r#"{"code":"302","message":null}"#)).unwrap_err();
        assert_eq!(err.code(), Some(302));
    }

    #[test]
    fn html_pages_and_cut_bodies_name_the_status() {
        let mut html = raw(
            502,
            "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
        );
        html.content_type = Some("text/html");
        let err = interpret(&html).unwrap_err();
        assert!(matches!(err, ApiError::Http { status: 502, .. }));
        assert!(err.to_string().contains("502") && err.to_string().contains("HTML"));

        let err = interpret(&raw(200, r#"{"code":0,"data":{"author_info":{"na"#)).unwrap_err();
        assert!(matches!(err, ApiError::BadResponse { status: 200, .. }));
        assert!(err.to_string().contains("cut off"), "{err}");

        let err = interpret(&raw(504, "")).unwrap_err();
        assert!(err.to_string().contains("504") && err.to_string().contains("empty"));

        let err = interpret(&raw(200, "plain text")).unwrap_err();
        assert!(matches!(err, ApiError::Http { status: 200, .. }));
    }

    #[test]
    fn gateway_json_on_an_error_status_is_judged_by_the_status() {
        let err = interpret(&raw(503, r#"{"error":"upstream down"}"#)).unwrap_err();
        assert!(matches!(err, ApiError::Http { status: 503, .. }), "{err:?}");
        assert_eq!(err.disposition(), crate::api::Disposition::Retry);
        let err = interpret(&raw(502, r#"{"code":0,"data":{"au"#)).unwrap_err();
        assert_eq!(err.disposition(), crate::api::Disposition::Retry);
    }

    #[test]
    fn malformed_envelopes() {
        for body in [
            "[1,2]",
            r#"{"data":{}}"#,
            r#"{"code":null}"#,
            r#"{"code":"abc"}"#,
            r#"{"code":0,"data":null}"#,
            r#"{"code":0}"#,
        ] {
            let err = interpret(&raw(200, body)).unwrap_err();
            assert!(
                matches!(err, ApiError::BadResponse { .. }),
                "{body}: {err:?}"
            );
        }
    }

    #[test]
    fn every_provider_error_fixture_is_classified() {
        let fixtures: serde_json::Map<String, Value> =
            serde_json::from_str(include_str!("../../tests/fixtures/error_envelopes.json"))
                .unwrap();
        for (name, envelope) in fixtures {
            let body = envelope.to_string();
            let result = interpret(&raw(200, &body));
            match name.parse::<i64>() {
                Ok(code) => assert_eq!(result.unwrap_err().code(), Some(code)),
                Err(_) => assert!(result.is_ok(), "{name}"),
            }
        }
    }
}
