//! `xingtu-dash store clear-halt`: lets calls go out again for every process sharing the
//! store, once the cause of a halt (an empty balance, a bad token) is dealt with.

use std::process::ExitCode;

use super::{EXIT_FAILED, EXIT_OK, exit, refuse_in_demo, stored};
use crate::settings::Settings;

pub fn clear(settings: &Settings) -> ExitCode {
    if settings.demo {
        return refuse_in_demo("store clear-halt");
    }
    let mut store = match stored::open(settings) {
        Ok(store) => store,
        Err(e) => {
            crate::errln!("store clear-halt: {e}");
            return exit(EXIT_FAILED);
        }
    };
    match store.clear_halt() {
        Ok(Some(halt)) => {
            crate::outln!(
                "cleared the halt: code {} ({}) seen on {} at {}; calls go out again",
                halt.code,
                halt.meaning,
                halt.machine,
                halt.at.format("%Y-%m-%d %H:%M:%S UTC")
            );
            exit(EXIT_OK)
        }
        Ok(None) => {
            crate::outln!("no halt recorded: calls are not stopped");
            exit(EXIT_OK)
        }
        Err(e) => {
            crate::errln!("store clear-halt: {e}");
            exit(EXIT_FAILED)
        }
    }
}
