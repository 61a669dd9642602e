//! `xingtu-dash store migrate` and `store status`, and the check every command makes first
//! when the store is shared: a database that is not there stops the command (exit 2)
//! before anything is paid for.

use crate::t;
use std::io::IsTerminal;
use std::process::ExitCode;

use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, exit};
use crate::cli::StoreCommand;
use crate::settings::Settings;
use crate::store::copy::{Copied, Tally};
use crate::store::history::History;
use crate::store::postgres::{PgStore, PgUrl};
use crate::store::status;

pub fn run(settings: &Settings, command: &StoreCommand) -> ExitCode {
    if settings.demo {
        return super::refuse_in_demo("store");
    }
    match command {
        StoreCommand::Migrate { to } => migrate(settings, to.as_deref()),
        StoreCommand::Status { json } => show_status(settings, *json),
        StoreCommand::ClearHalt => super::halt::clear(settings),
    }
}

/// With a shared store, connects to it (and brings its schema up to date) before the
/// command runs; `Err` is the exit status when it cannot be used.
pub fn require_reachable(settings: &Settings) -> Result<(), ExitCode> {
    let Some(url) = &settings.shared_store else {
        return Ok(());
    };
    if settings.demo {
        return Ok(());
    }
    PgStore::open(url).map(drop).map_err(|e| {
        crate::errln!("error: {e}; nothing was called or written");
        exit(EXIT_USAGE)
    })
}

fn migrate(settings: &Settings, to: Option<&str>) -> ExitCode {
    let url = match (to, &settings.shared_store) {
        (Some(text), _) => match PgUrl::parse(text) {
            Ok(url) => url,
            Err(e) => {
                crate::errln!("error: --to: {e}");
                return exit(EXIT_USAGE);
            }
        },
        (None, Some(url)) => url.clone(),
        (None, None) => {
            crate::errln!(
                "error: which shared store? usage: xingtu-dash store migrate --to postgres://user:password@host:port/db"
            );
            return exit(EXIT_USAGE);
        }
    };
    let db = settings.paths.history_db();
    if !db.exists() {
        crate::outln!(
            "{}",
            t!("cli-store-nothing-to-copy", path = db.display().to_string())
        );
        return exit(EXIT_OK);
    }
    let target = match PgStore::open(&url) {
        Ok(store) => store,
        Err(e) => {
            crate::errln!("error: {e}");
            return exit(EXIT_USAGE);
        }
    };
    let source = match History::open(&db) {
        Ok(h) => h,
        Err(e) => {
            crate::errln!("error: {e}");
            return exit(EXIT_FAILED);
        }
    };
    let mut progress = Progress::new();
    let started = std::time::Instant::now();
    let result = crate::store::copy::copy_all(&source, &target, &mut |what, done, total| {
        progress.show(what, done, total)
    });
    progress.finish();
    match result {
        Ok(copied) => {
            crate::outln!(
                "{}",
                t!(
                    "cli-store-copied",
                    from = db.display().to_string(),
                    to = url.to_string(),
                    secs = format!("{:.1}", started.elapsed().as_secs_f64())
                )
            );
            for line in summary(&copied) {
                crate::outln!("{line}");
            }
            exit(EXIT_OK)
        }
        Err(e) => {
            crate::errln!("{}", t!("cli-store-copy-failed", error = e.to_string()));
            exit(if e.is_unreachable() {
                EXIT_USAGE
            } else {
                EXIT_FAILED
            })
        }
    }
}

/// One line per kind of row: `snapshots        1,200 copied, 0 already there`.
fn summary(copied: &Copied) -> Vec<String> {
    let kinds: [(String, Tally); 6] = [
        (t!("cli-store-kind-snapshots"), copied.snapshots),
        (t!("cli-store-kind-trend-series"), copied.trend_fetches),
        (t!("cli-store-kind-trend-days"), copied.trend_days),
        (t!("cli-store-kind-alert-states"), copied.alert_states),
        (t!("cli-store-kind-alerts-fired"), copied.alerts_fired),
        (t!("cli-store-kind-price-batches"), copied.price_batches),
    ];
    kinds
        .iter()
        .map(|(what, t)| {
            format!(
                "  {} {}",
                crate::format::pad_right(what, 14),
                t!(
                    "cli-store-tally",
                    copied = format!("{:>8}", t.copied),
                    present = t.present.to_string()
                )
            )
        })
        .collect()
}

/// Progress on stderr: one line redrawn in place on a terminal, plain lines otherwise.
struct Progress {
    terminal: bool,
    drawn: bool,
}

impl Progress {
    fn new() -> Progress {
        Progress {
            terminal: std::io::stderr().is_terminal(),
            drawn: false,
        }
    }

    fn show(&mut self, what: &str, done: u64, total: u64) {
        if self.terminal {
            redraw(&format!("copying {what}: {done} of {total}"));
            self.drawn = true;
        } else {
            crate::errln!("copying {what}: {done} of {total}");
        }
    }

    fn finish(&mut self) {
        if self.drawn {
            redraw("");
        }
    }
}

/// Replaces the progress line on the terminal (a closed stderr is ignored).
fn redraw(text: &str) {
    use std::io::Write;
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "\r\x1b[2K{text}").and_then(|()| err.flush());
}

fn show_status(settings: &Settings, json: bool) -> ExitCode {
    let status = match status::read(&settings.store(), chrono::Utc::now()) {
        Ok(s) => s,
        Err(e) => {
            crate::errln!("error: {e}");
            return exit(if e.is_unreachable() {
                EXIT_USAGE
            } else {
                EXIT_FAILED
            });
        }
    };
    if json {
        let tables: serde_json::Map<String, serde_json::Value> = status
            .tables
            .iter()
            .map(|(name, n)| (name.clone(), (*n).into()))
            .collect();
        let claims: Vec<serde_json::Value> = status
            .claims
            .iter()
            .map(|(item, c)| {
                serde_json::json!({
                    "item_id": item,
                    "holder": c.holder,
                    "until": c.until.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                })
            })
            .collect();
        let halt = status.halt.as_ref().map(|h| {
            serde_json::json!({
                "code": h.code,
                "meaning": h.meaning,
                "machine": h.machine,
                "at": h.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            })
        });
        crate::outln!(
            "{}",
            serde_json::json!({
                "store": status.store,
                "engine": status.engine,
                "schema_version": status.schema_version,
                "tables": tables,
                "claims": claims,
                "halt": halt,
            })
        );
    } else {
        let label = |text: String| crate::format::pad_right(&text, 15);
        crate::outln!(
            "{} {} ({})",
            label(t!("cli-store-status-store")),
            status.store,
            status.engine
        );
        crate::outln!(
            "{} {}",
            label(t!("cli-store-status-schema")),
            status.schema_version
        );
        for (name, n) in &status.tables {
            crate::outln!("  {name:<16} {n:>10} {}", t!("cli-store-status-rows"));
        }
        let held = if status.claims.is_empty() {
            t!("cli-store-status-none")
        } else {
            status.claims.len().to_string()
        };
        crate::outln!("{} {held}", label(t!("cli-store-status-claims")));
        for (item, c) in &status.claims {
            let until = c.until.with_timezone(&chrono::Local).format("%H:%M:%S");
            crate::outln!(
                "  {item}  {}",
                t!(
                    "cli-store-status-claim",
                    holder = c.holder.as_str(),
                    until = until.to_string()
                )
            );
        }
        if let Some(h) = &status.halt {
            let at = h.at.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M");
            crate::outln!(
                "{} {}",
                label(t!("cli-store-status-halted")),
                t!(
                    "cli-store-status-halt",
                    code = h.code.to_string(),
                    meaning = h.meaning.as_str(),
                    machine = h.machine.as_str(),
                    at = at.to_string()
                )
            );
        }
    }
    exit(EXIT_OK)
}
