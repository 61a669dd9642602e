//! `xingtu-dash store clear-halt`: calls go out again for every process sharing the store
//! once the cause of a halt (an empty balance, a bad token) is dealt with.

use std::process::ExitCode;

use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, exit};
use crate::settings::Settings;
use crate::store::{self, SharedHalt};

pub fn clear(settings: &Settings) -> ExitCode {
    let mut store = match store::open_db(&settings.store()) {
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

fn describe(halt: &SharedHalt) -> String {
    format!(
        "code {} ({}) seen on {} at {}",
        halt.code,
        halt.meaning,
        halt.machine,
        halt.at.format("%Y-%m-%d %H:%M:%S UTC")
    )
}
