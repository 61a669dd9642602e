//! What a bad config file is told as: the file, line and column, the parser's message cut
//! to one line and never quoting what could be the token.

use std::io;
use std::path::PathBuf;

use super::ConfigFile;
use crate::t;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file is not valid TOML or a value has the wrong type. Writes refuse to touch such a
    /// file, so the user has to fix it.
    #[error("{}", t!(
        "config-parse",
        place = format!("{}:{line}:{column}", path.display()),
        message = message.as_str()
    ))]
    Parse {
        path: PathBuf,
        /// 1-based.
        line: usize,
        /// 1-based, in characters.
        column: usize,
        /// The parser's description, without any quoted source.
        message: String,
    },
    #[error("{}", t!(
        "config-io",
        path = path.display().to_string(),
        action = action.as_str(),
        error = source.to_string()
    ))]
    Io {
        path: PathBuf,
        /// What could not be done, in the reader's language.
        action: String,
        #[source]
        source: io::Error,
    },
}

/// What could not be done to the file.
#[derive(Debug, Clone, Copy)]
pub(super) enum IoAction {
    Read,
    Write,
    /// Save changes.
    Save,
}

/// 1-based line and character column of a byte offset.
pub(in crate::store) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Parser messages can span lines and quote the offending value. On the line that holds the
/// token a quoted value may be the token itself, so quotes are cut there.
fn clean_message(message: &str, line_text: &str) -> String {
    let joined = message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ");
    if line_text.contains("token") {
        strip_quoted(&joined)
    } else {
        joined
    }
}

/// Replaces every `` `...` `` and `"..."` span longer than a few characters (a token cannot be
/// that short; punctuation such as `` `=` `` is worth keeping) with an ellipsis.
fn strip_quoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut quoted: Option<(char, String)> = None;
    for c in message.chars() {
        match &mut quoted {
            Some((q, inner)) if c == *q => {
                if inner.chars().count() <= 3 {
                    out.push(c);
                    out.push_str(inner);
                    out.push(c);
                } else {
                    out.push('…');
                }
                quoted = None;
            }
            Some((_, inner)) => inner.push(c),
            None if c == '`' || c == '"' => quoted = Some((c, String::new())),
            None => out.push(c),
        }
    }
    // An unterminated quote is dropped with its content.
    if quoted.is_some() {
        out.push('…');
    }
    out
}

impl ConfigFile {
    pub(super) fn parse_error(&self, text: &str, offset: usize, message: String) -> ConfigError {
        let (line, column) = line_column(text, offset);
        let line_text = text.lines().nth(line - 1).unwrap_or_default();
        ConfigError::Parse {
            path: self.path.clone(),
            line,
            column,
            message: clean_message(&message, line_text),
        }
    }

    /// A watchlist shape that passed type checking but that the editor cannot handle.
    pub(super) fn invalid(&self, message: String) -> ConfigError {
        ConfigError::Parse {
            path: self.path.clone(),
            line: 1,
            column: 1,
            message,
        }
    }

    pub(super) fn io_error(&self, action: IoAction, source: io::Error) -> ConfigError {
        let action = match action {
            IoAction::Read => t!("config-action-read"),
            IoAction::Write => t!("config-action-write"),
            IoAction::Save => t!("config-action-save"),
        };
        ConfigError::Io {
            path: self.path.clone(),
            action,
            source,
        }
    }

    pub(super) fn permission_warning(&self, mode: u32, secret: &str) -> String {
        t!(
            "config-readable-by-others",
            path = self.path.display().to_string(),
            secret = secret,
            mode = format!("{mode:04o}")
        )
    }
}

#[cfg(all(test, unix))]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::store::config::testing::{TOKEN, chmod, parse_err, setup};

    #[test]
    fn columns_count_characters_not_bytes() {
        let (_dir, file) = setup(Some("[ui]\nnumber_style = \"理想\" x\n"));
        let (line, column, _) = parse_err(file.load());
        // `x` is the 21st character but the 25th byte.
        assert_eq!((line, column), (2, 21));
    }

    #[test]
    fn errors_never_echo_the_token() {
        let cases = [
            format!("[api]\ntoken = {TOKEN}\n"),
            format!("[api]\ntoken = \"{TOKEN}\n"),
            format!("[api]\ntoken = '{TOKEN}' trailing\n"),
            format!("[api]\ntoken = \"{TOKEN}\"\ntimeout = \"sixty\"\n"),
            format!("[api]\ntoken = \"{TOKEN}\"\n[[watchlist]]\nlabel = 1\n"),
            "[api]\ntoken = 123456789\n".to_owned(),
            format!("api = {{ token = \"{TOKEN}\", timeout = \"x\" }}\n"),
        ];
        for case in cases {
            let (_dir, file) = setup(Some(&case));
            let token = if case.contains(TOKEN) {
                TOKEN
            } else {
                "123456789"
            };
            for err in [
                file.load().unwrap_err(),
                file.add_watch("7000000000000000001", None, Utc::now())
                    .unwrap_err(),
            ] {
                assert!(matches!(err, ConfigError::Parse { .. }), "{err:?}");
                assert!(!err.to_string().contains(token), "{case:?} => {err}");
                assert!(!format!("{err:?}").contains(token), "{case:?} => {err:?}");
            }
        }
    }

    #[test]
    fn short_punctuation_survives_quote_stripping() {
        assert_eq!(
            strip_quoted("expected `=`, found \"secret-value\", also `abcd"),
            "expected `=`, found …, also …"
        );
    }

    // ---- permission warnings ----
    #[test]
    fn warns_when_a_token_file_is_readable_by_others() {
        let (_dir, file) = setup(Some("[api]\ntoken = \"t\"\n"));
        chmod(file.path(), 0o644);
        let warnings = file.load().unwrap().warnings;
        let p = file.path().display();
        assert_eq!(
            warnings,
            vec![format!(
                "config file {p} holds your API token but is readable by other users (mode 0644): run chmod 600 {p}"
            )]
        );
        chmod(file.path(), 0o600);
        assert!(file.load().unwrap().warnings.is_empty());
    }

    #[test]
    fn no_warning_for_a_shared_file_without_token() {
        let (_dir, file) = setup(Some("[ui]\nmouse = true\n"));
        chmod(file.path(), 0o644);
        assert!(file.load().unwrap().warnings.is_empty());
    }
}
