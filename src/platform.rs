//! Side effects outside the app's own files: the browser and the clipboard. Behind a
//! trait so whole-app tests can record them instead.

use std::io::Write;

use base64::Engine;

pub trait Platform: Send + Sync {
    fn open_url(&self, url: &str) -> Result<(), String>;
    fn copy(&self, text: &str) -> Result<(), String>;
    /// The terminal bell (an alert fired).
    fn bell(&self) -> Result<(), String>;
}

/// The real desktop: the system's opener (detached, so no child is left to reap), and OSC 52 for the clipboard (works over SSH and
/// in tmux with `set-clipboard on`, with no clipboard tool installed).
pub struct Desktop;

impl Platform for Desktop {
    fn open_url(&self, url: &str) -> Result<(), String> {
        open::that_detached(url)
            .map_err(|e| format!("could not open {url} in a browser: {e}; copy the URL instead"))
    }

    fn copy(&self, text: &str) -> Result<(), String> {
        self.write(osc52(text).as_bytes())
    }

    fn bell(&self) -> Result<(), String> {
        self.write(b"\x07")
    }
}

impl Desktop {
    fn write(&self, bytes: &[u8]) -> Result<(), String> {
        let mut out = std::io::stdout().lock();
        out.write_all(bytes)
            .and_then(|_| out.flush())
            .map_err(|e| format!("could not write to the terminal: {e}"))
    }
}

/// The OSC 52 "set clipboard" sequence.
pub fn osc52(text: &str) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    format!("\x1b]52;c;{encoded}\x07")
}

#[cfg(test)]
mod tests {
    #[test]
    fn osc52_is_base64_of_the_text() {
        assert_eq!(super::osc52("7566"), "\x1b]52;c;NzU2Ng==\x07");
    }
}
