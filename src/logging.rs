//! Logs go to a file in the platform state dir, never to the terminal (the dashboard owns
//! it). The filter is RUST_LOG-style, from XINGTU_DASH_LOG; default `info` for this crate.

use std::fs::OpenOptions;
use std::path::Path;
use std::sync::Mutex;

use tracing_subscriber::EnvFilter;

pub const ENV_LOG: &str = "XINGTU_DASH_LOG";

/// Starts logging to `file`; failure to open it only means no log, never a failed run.
pub fn init(file: &Path) {
    if let Some(dir) = file.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let Ok(log) = OpenOptions::new().create(true).append(true).open(file) else {
        return;
    };
    let filter =
        EnvFilter::try_from_env(ENV_LOG).unwrap_or_else(|_| EnvFilter::new("xingtu_dash=info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(Mutex::new(log))
        .with_ansi(false)
        .with_target(false)
        .try_init();
}

/// Every panic is logged with a backtrace (whatever RUST_BACKTRACE says: the log is where a
/// bug report starts), then reported as usual. Release builds keep line tables in the binary
/// (debug info is split off), so frames show file and line.
pub fn log_panics() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let backtrace = std::backtrace::Backtrace::force_capture();
        tracing::error!("panic: {info}\n{backtrace}");
        previous(info);
    }));
}
