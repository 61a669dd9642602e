//! `xingtu-dash balance [--json]`: one read of the account balance.

use std::process::ExitCode;

use serde_json::json;

use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, exit};
use crate::api::ApiClient;
use crate::settings::Settings;

pub async fn run(settings: &Settings, json: bool) -> ExitCode {
    if settings.demo {
        super::error(crate::t!("cli-balance-demo"));
        return exit(EXIT_USAGE);
    }
    let token = match settings.require_token() {
        Ok(t) => t,
        Err(e) => {
            super::error(e);
            return exit(EXIT_USAGE);
        }
    };
    let client = match ApiClient::new(&settings.base_url, token, settings.timeout) {
        Ok(c) => c,
        Err(e) => {
            super::error(e);
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
                crate::outln!("{}", json!({ "error": crate::output::json_error(&e) }));
            }
            super::error(crate::t!("cli-balance-failed", error = e.to_string()));
            exit(EXIT_FAILED)
        }
    }
}
