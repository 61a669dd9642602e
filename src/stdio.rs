//! Printing to stdout and stderr when the reader may go away (`xingtu-dash get … | head -1`).
//!
//! Rust ignores SIGPIPE, so a write to a closed pipe fails with `BrokenPipe`, and `println!`
//! turns that into a panic with a backtrace. Every command prints through here instead: the
//! first failed write marks the output lost, later writes are skipped, the commands stop
//! starting paid calls (`print` returns false), and `main` exits quietly with
//! [`EXIT_PIPE_CLOSED`].

use std::fmt::Display;
use std::io::{self, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// The exit status once stdout's reader has gone: 128 + SIGPIPE, what a shell reports for a
/// Unix tool stopped by a closed pipe (`yes | head -1`), so `set -o pipefail` sees it alike.
pub const EXIT_PIPE_CLOSED: u8 = 141;

static LOST: AtomicBool = AtomicBool::new(false);
/// A write error other than a closed pipe (a full disk behind `> file`), to report once.
static FAILED: Mutex<Option<String>> = Mutex::new(None);

/// Why stdout can no longer be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lost {
    /// The reader closed the pipe: nobody wants more output; not an error worth a message.
    ReaderGone,
    /// Writing failed otherwise; the message says why.
    Failed(String),
}

/// Writes `text` to stdout. False once the output is lost (now or earlier): the caller
/// should start no more work whose only purpose is to be printed.
pub fn print(text: &str) -> bool {
    print_bytes(text.as_bytes())
}

fn print_bytes(bytes: &[u8]) -> bool {
    if LOST.load(Ordering::Acquire) {
        return false;
    }
    let mut out = io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => true,
        Err(e) => {
            if e.kind() != io::ErrorKind::BrokenPipe {
                let mut failed = FAILED.lock().unwrap_or_else(|p| p.into_inner());
                failed.get_or_insert_with(|| e.to_string());
            }
            LOST.store(true, Ordering::Release);
            false
        }
    }
}

/// Stdout as an `io::Write` for output streamed in pieces (`export`): each write goes through
/// [`print`]'s bookkeeping, so a closed pipe ends the stream the same way.
pub struct Stdout;

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if print_bytes(buf) {
            Ok(buf.len())
        } else {
            Err(io::Error::new(io::ErrorKind::BrokenPipe, "stdout is lost"))
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// `print` with a line end.
pub fn line(text: impl Display) -> bool {
    print(&format!("{text}\n"))
}

/// Writes a line to stderr; a closed stderr is ignored (there is nowhere left to say it).
pub fn err_line(text: impl Display) {
    let _ = writeln!(io::stderr(), "{text}");
}

/// Whether stdout was lost, and how.
pub fn lost() -> Option<Lost> {
    if !LOST.load(Ordering::Acquire) {
        return None;
    }
    let failed = FAILED.lock().unwrap_or_else(|p| p.into_inner());
    Some(match &*failed {
        Some(e) => Lost::Failed(e.clone()),
        None => Lost::ReaderGone,
    })
}

/// `println!` that never panics: see [`line`].
#[macro_export]
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::stdio::line(format_args!($($arg)*))
    };
}

/// `eprintln!` that never panics: see [`err_line`].
#[macro_export]
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::stdio::err_line(format_args!($($arg)*))
    };
}
