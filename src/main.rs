//! Thin entry point: parse the command line, pick a one-shot command or the dashboard, and
//! turn the outcome into an exit status.

use std::process::ExitCode;

use clap::Parser;
use xingtu_dash::cli::{Cli, Command};
use xingtu_dash::commands::{self, EXIT_USAGE};
use xingtu_dash::settings::Settings;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = match Settings::resolve(&cli.global) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return commands::exit(EXIT_USAGE);
        }
    };
    xingtu_dash::logging::init(&settings.paths.log_file());
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: could not start the async runtime: {e}");
            return commands::exit(commands::EXIT_FAILED);
        }
    };
    for warning in &settings.warnings {
        eprintln!("{}", prefixed(warning));
    }
    // Commands that only read the config carry on with defaults and say so; the watchlist
    // commands refuse and say why themselves, and the dashboard shows a banner.
    if let (Some(err), Some(Command::Get(_) | Command::History(_))) =
        (&settings.config_error, &cli.command)
    {
        eprintln!("warning: {err} (using defaults for now)");
    }
    runtime.block_on(async {
        match &cli.command {
            None => commands::dashboard::run(&settings).await,
            Some(Command::Get(args)) => commands::get::run(&settings, args).await,
            Some(Command::Watch(command)) => commands::watch::run(&settings, command).await,
            Some(Command::History(args)) => commands::history::run(&settings, args).await,
            Some(Command::Export(args)) => commands::export::run(&settings, args),
        }
    })
}

fn prefixed(warning: &str) -> String {
    if warning.starts_with("warning:") {
        warning.to_owned()
    } else {
        format!("warning: {warning}")
    }
}
