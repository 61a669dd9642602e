//! `xingtu-dash store clear-halt`: calls go out again for every process sharing the store
//! once the cause of a halt (an empty balance, a bad token) is dealt with.

use crate::t;
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
            crate::outln!("{}", t!("cli-halt-cleared", halt = describe(&halt)));
            exit(EXIT_OK)
        }
        Ok(None) => {
            crate::outln!("{}", t!("cli-halt-none"));
            exit(EXIT_OK)
        }
        Err(e) => {
            crate::errln!("error: {e}");
            exit(EXIT_FAILED)
        }
    }
}

fn describe(halt: &SharedHalt) -> String {
    t!(
        "cli-halt-describe",
        code = halt.code.to_string(),
        meaning = halt.meaning.as_str(),
        machine = halt.machine.as_str(),
        at = halt.at.format("%Y-%m-%d %H:%M:%S UTC").to_string()
    )
}
