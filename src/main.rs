//! Thin entry point: parse the command line, pick a one-shot command or the dashboard, and
//! turn the outcome into an exit status.

use std::process::ExitCode;

use xingtu_dash::cli::{Cli, Command, WatchCommand};
use xingtu_dash::commands::{self, EXIT_USAGE};
use xingtu_dash::settings::{self, Settings};
use xingtu_dash::stdio::{self, Lost};
use xingtu_dash::{i18n, t};

fn main() -> ExitCode {
    let (cli, open_on) = match Cli::parse_args(std::env::args_os()) {
        Ok(parsed) => parsed,
        Err(e) => e.exit(),
    };
    let settings = match Settings::resolve(&cli.global) {
        Ok(s) => s,
        Err(e) => {
            // The config may be what failed: the flag and the locale still tell the language.
            i18n::set(settings::choose_lang(cli.global.lang.as_deref(), None).unwrap_or_default());
            commands::error(e);
            return commands::exit(EXIT_USAGE);
        }
    };
    i18n::set(settings.lang);
    // A config file that cannot be read is an error for every command: going on with
    // defaults would send lookups to a host, region or timeout the user did not choose. The
    // dashboard opens with a banner instead.
    if let (Some(err), Some(_)) = (&settings.config_error, &cli.command) {
        xingtu_dash::errln!("{}", t!("cli-config-unreadable", message = err));
        return commands::exit(EXIT_USAGE);
    }
    // The demo is not the user's: it leaves no log in their state dir either.
    if !settings.demo {
        xingtu_dash::logging::init(&settings.paths.log_file());
        xingtu_dash::logging::log_panics();
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            commands::error(t!("error-runtime", reason = e.to_string()));
            return commands::exit(commands::EXIT_FAILED);
        }
    };
    // `--quiet` prints nothing on success (cron mails whatever is printed): warnings go to
    // the log instead.
    let quiet = matches!(
        cli.command,
        Some(Command::Watch(WatchCommand::Refresh { quiet: true, .. }))
    );
    for warning in &settings.warnings {
        if quiet {
            tracing::warn!("warning: {warning}");
        } else {
            commands::warning(warning);
        }
    }
    // A shared store that is not there stops a command before anything is paid for; the
    // dashboard opens anyway and shows it (and `store` commands report it themselves).
    if matches!(&cli.command, Some(c) if !matches!(c, Command::Store(_) | Command::Balance { .. }))
        && let Err(status) = commands::store::require_reachable(&settings)
    {
        return status;
    }
    let status = runtime.block_on(async {
        match &cli.command {
            None => commands::dashboard::run(&settings, open_on).await,
            Some(Command::Get(args)) => commands::get::run(&settings, args).await,
            Some(Command::Watch(command)) => commands::watch::run(&settings, command).await,
            Some(Command::History(args)) => commands::history::run(&settings, args).await,
            Some(Command::Export(args)) => commands::export::run(&settings, args),
            Some(Command::Balance { json }) => commands::balance::run(&settings, *json).await,
            Some(Command::Trend(args)) => commands::trend::run(&settings, args).await,
            Some(Command::Campaign(args)) => commands::campaign::run(&settings, args),
            Some(Command::Compare(args)) => commands::compare::run(&settings, args).await,
            Some(Command::Store(command)) => commands::store::run(&settings, command),
        }
    });
    match stdio::lost() {
        None => status,
        // `| head -1` read what it wanted: nothing to complain about.
        Some(Lost::ReaderGone) => commands::exit(stdio::EXIT_PIPE_CLOSED),
        Some(Lost::Failed(e)) => {
            commands::error(t!("error-output", reason = e.to_string()));
            commands::exit(commands::EXIT_FAILED)
        }
    }
}
