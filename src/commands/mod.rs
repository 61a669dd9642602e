//! The one-shot commands. Each returns the process exit status; they print results to stdout
//! and problems to stderr, and never touch the terminal's screen mode.

pub mod balance;
mod batch;
pub mod campaign;
pub mod compare;
mod costs;
pub mod dashboard;
pub mod export;
pub mod get;
mod halt;
pub mod history;
pub mod import;
pub mod items;
pub mod store;
mod stored;
pub mod trend;
pub mod watch;

use std::process::ExitCode;

/// Exit statuses are a contract with scripts.
pub const EXIT_OK: u8 = 0;
pub const EXIT_FAILED: u8 = 1;
pub const EXIT_USAGE: u8 = 2;
/// `watch refresh`: every lookup succeeded and an alert fired (cron mails what was printed).
pub const EXIT_ALERT: u8 = 3;

pub fn exit(code: u8) -> ExitCode {
    ExitCode::from(code)
}

/// Prints what became of the alerts that fired, to stderr (so even `--quiet` and `--json`
/// runs show them: cron mails it); returns how many fired.
pub fn print_alerts(
    notices: &[crate::alerts::command::Notice],
    settings: &crate::settings::Settings,
) -> usize {
    use crate::alerts::command::Notice;
    let mut fired = 0;
    for notice in notices {
        match notice {
            Notice::Fired(alert) => {
                fired += 1;
                crate::errln!("alert: {}", alert.describe(settings.number_style));
            }
            Notice::CommandFailed { alert, error } => crate::errln!(
                "warning: the alert command failed for “{}” ({}): {error}",
                alert.name,
                alert.item_id
            ),
        }
    }
    fired
}

/// Demo mode never changes the user's files: commands that would refuse, exit status 2.
pub fn refuse_in_demo(what: &str) -> ExitCode {
    crate::errln!(
        "error: --demo works on bundled data and never changes your files: run `{what}` without --demo"
    );
    exit(EXIT_USAGE)
}
