//! `xingtu-dash store clear-halt`, and what `store status` says about coordination: calls
//! go out again for every process sharing the store once the cause of a halt (an empty
//! balance, a bad token) is dealt with; the claims held right now, and the halt.

use std::process::ExitCode;

use chrono::Utc;
use serde_json::{Value, json};

use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, exit};
use crate::settings::Settings;
use crate::store::{self, ClaimRow, SharedHalt, Store};

pub fn clear(settings: &Settings) -> ExitCode {
    let mut store = match store::open_db(&settings.store) {
        Ok(store) => store,
        Err(e) => {
            crate::errln!("error: {e}");
            return exit(EXIT_USAGE);
        }
    };
    match store.clear_halt() {
        Ok(Some(halt)) => {
            crate::outln!("cleared the halt ({}); calls go out again", describe(&halt));
            exit(EXIT_OK)
        }
        Ok(None) => {
            crate::outln!("no halt recorded: calls are not stopped");
            exit(EXIT_OK)
        }
        Err(e) => {
            crate::errln!("error: {e}");
            exit(EXIT_FAILED)
        }
    }
}

/// The claims held right now and the halt, as `store status` shows them.
pub struct Coordination {
    claims: Vec<(String, ClaimRow)>,
    halt: Option<SharedHalt>,
}

impl Coordination {
    pub fn read(store: &dyn Store) -> Result<Coordination, store::StoreError> {
        Ok(Coordination {
            claims: store.live_claims(Utc::now())?,
            halt: store.shared_halt()?,
        })
    }

    pub fn to_json(&self) -> (Value, Value) {
        let claims = self
            .claims
            .iter()
            .map(|(item, c)| json!({"item_id": item, "holder": c.holder, "until": stamp(c.until)}))
            .collect();
        let halt = self.halt.as_ref().map_or(Value::Null, |h| {
            json!({"code": h.code, "meaning": h.meaning, "machine": h.machine, "at": stamp(h.at)})
        });
        (Value::Array(claims), halt)
    }

    pub fn lines(&self) -> Vec<String> {
        let mut lines = vec![format!(
            "claims:         {} held right now",
            self.claims.len()
        )];
        for (item, c) in &self.claims {
            lines.push(format!(
                "  {item}  by {} until {}",
                c.holder,
                c.until.format("%H:%M:%S UTC")
            ));
        }
        lines.push(match &self.halt {
            Some(h) => format!(
                "halt:           {}; `xingtu-dash store clear-halt` lifts it",
                describe(h)
            ),
            None => "halt:           none".to_owned(),
        });
        lines
    }
}

fn describe(halt: &SharedHalt) -> String {
    format!(
        "code {} ({}) seen on {} at {}",
        halt.code,
        halt.meaning,
        halt.machine,
        halt.at.format("%Y-%m-%d %H:%M:%S UTC")
    )
}

fn stamp(at: chrono::DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
