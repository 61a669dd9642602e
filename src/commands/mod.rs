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

/// `error: …` on stderr, the prefix in the reader's language.
pub fn error(message: impl std::fmt::Display) {
    crate::errln!("{}", crate::t!("cli-error", message = message.to_string()));
}

/// `warning: …` on stderr, the prefix in the reader's language.
pub fn warning(message: impl std::fmt::Display) {
    crate::errln!(
        "{}",
        crate::t!("cli-warning", message = message.to_string())
    );
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
                let text = alert.describe(settings.number_style);
                crate::errln!("{}", crate::t!("cli-alert", message = text));
            }
            Notice::CommandFailed { alert, error } => warning(crate::t!(
                "cli-alert-command-failed",
                name = alert.name.as_str(),
                item = alert.item_id.as_str(),
                error = error.to_string()
            )),
        }
    }
    fired
}

/// Demo mode never changes the user's files: commands that would refuse, exit status 2.
pub fn refuse_in_demo(what: &str) -> ExitCode {
    error(crate::t!("cli-demo-refuses", command = what));
    exit(EXIT_USAGE)
}
