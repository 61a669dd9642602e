//! `xingtu-dash balance [--json]`: one read of the account balance.

use std::process::ExitCode;

use serde_json::json;

use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, exit};
use crate::api::{ApiClient, ApiError};
use crate::settings::Settings;

pub async fn run(settings: &Settings, json: bool) -> ExitCode {
    if settings.demo {
        crate::errln!(
            "error: --demo has no account, so no balance: run `xingtu-dash balance` without --demo"
        );
        return exit(EXIT_USAGE);
    }
    let token = match settings.require_token() {
        Ok(t) => t,
        Err(e) => {
            crate::errln!("error: {e}");
            return exit(EXIT_USAGE);
        }
    };
    let client = match ApiClient::new(&settings.base_url, token, settings.timeout) {
        Ok(c) => c,
        Err(e) => {
            crate::errln!("error: {e}");
            return exit(EXIT_FAILED);
        }
    };
    let backend = crate::api::Backend::Http(client);
    match backend.balance().await {
        Ok(balance) if json => {
            crate::outln!("{}", balance.to_json());
            exit(EXIT_OK)
        }
        Ok(balance) => {
            crate::outln!("{balance}");
            exit(EXIT_OK)
        }
        Err(e) => {
            if json {
                crate::outln!("{}", error_json(&e));
            }
            crate::errln!("error: balance: {e}");
            exit(EXIT_FAILED)
        }
    }
}

/// `{"error": {"code", "kind", "message", "http_status"}}`, as `get --json` writes errors.
fn error_json(e: &ApiError) -> serde_json::Value {
    json!({
        "error": {
            "code": e.code(),
            "kind": e.kind(),
            "message": e.to_string(),
            "http_status": e.http_status(),
        }
    })
}
