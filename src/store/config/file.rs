//! File access: reading, the cross-process lock, read-modify-write, symlinks and file modes.

use std::path::{Path, PathBuf};
use std::{fs, io};

use toml_edit::DocumentMut;

use super::ConfigFile;
use super::errors::{ConfigError, IoAction};
use super::schema::Config;
use crate::store::fsutil::{self, PRIVATE_FILE_MODE, SidecarLock};
use crate::t;

impl ConfigFile {
    /// Missing file => `Ok(Config::default())` (not an error). Never writes.
    pub fn load(&self) -> Result<Config, ConfigError> {
        let Some(text) = self.read_text(&self.path)? else {
            return Ok(Config::default());
        };
        // Reading needs no editable copy of the document (which costs several times the typed
        // config), and reads a long watchlist a chunk at a time.
        let mut config = self.parse_config(&text)?;
        let secret = match (&config.api.token, &config.store.url) {
            (Some(_), _) => Some(t!("config-secret-token")),
            (None, Some(_)) => Some(t!("config-secret-store-url")),
            (None, None) => None,
        };
        if let Some(secret) = secret {
            let mode =
                fsutil::file_mode(&self.path).map_err(|e| self.io_error(IoAction::Read, e))?;
            if let Some(mode) = mode.filter(|m| m & 0o077 != 0) {
                config.warnings.push(self.permission_warning(mode, &secret));
            }
        }
        Ok(config)
    }

    /// Read-modify-write under the lock. `edit` returns whether it changed anything; nothing is
    /// written when it did not.
    pub(super) fn modify(
        &self,
        edit: impl FnOnce(&mut DocumentMut, &Config) -> Result<bool, ConfigError>,
    ) -> Result<bool, ConfigError> {
        let _lock =
            SidecarLock::acquire(&self.path).map_err(|e| self.io_error(IoAction::Save, e))?;
        let target = self.write_target();
        let existing_mode =
            fsutil::file_mode(&target).map_err(|e| self.io_error(IoAction::Read, e))?;
        // Re-read under the lock so a concurrent writer's change is never lost.
        let text = self.read_text(&target)?.unwrap_or_default();
        let (mut doc, config) = self.parse(&text)?;
        if !edit(&mut doc, &config)? {
            return Ok(false);
        }
        let mode = match existing_mode {
            Some(mode) if config.api.token.is_none() => mode,
            _ => PRIVATE_FILE_MODE,
        };
        fsutil::write_atomic(&target, doc.to_string().as_bytes(), mode)
            .map_err(|e| self.io_error(IoAction::Write, e))?;
        Ok(true)
    }

    /// Where writes go: through a symlink (dotfile managers) to the real file, so the rename does
    /// not replace the link with a copy.
    fn write_target(&self) -> PathBuf {
        match fs::symlink_metadata(&self.path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                fs::canonicalize(&self.path).unwrap_or_else(|_| self.path.clone())
            }
            _ => self.path.clone(),
        }
    }

    /// The file's text, `None` if it does not exist.
    fn read_text(&self, path: &Path) -> Result<Option<String>, ConfigError> {
        let bytes = match fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(self.io_error(IoAction::Read, e)),
        };
        match String::from_utf8(bytes) {
            Ok(text) => Ok(Some(text)),
            Err(e) => {
                let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
                let valid = String::from_utf8_lossy(valid);
                Err(self.parse_error(&valid, valid.len(), "the file is not valid UTF-8".into()))
            }
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use std::fs;

    use chrono::Utc;

    use crate::store::config::ConfigFile;
    use crate::store::config::testing::{EXAMPLE, at, chmod, mode, parse_err, setup};

    // ---- writes ----
    #[test]
    fn add_creates_a_private_file_and_directories() {
        let dir = tempfile::tempdir().unwrap();
        let file = ConfigFile::new(dir.path().join("xdg/xingtu-dash/config.toml"));
        let added = file
            .add_watch(
                "7000000000000000042",
                Some("理想 🚗"),
                at("2026-11-20T08:15:02.999Z"),
            )
            .unwrap();
        assert!(added);
        assert_eq!(
            fs::read_to_string(file.path()).unwrap(),
            "[[watchlist]]\nitem_id = \"7000000000000000042\"\nlabel = \"理想 🚗\"\nadded_at = 2026-11-20T08:15:02Z\n"
        );
        assert_eq!(mode(file.path()), 0o600);
        assert_eq!(mode(&dir.path().join("xdg")) & 0o777, 0o700);
        assert_eq!(mode(&dir.path().join("xdg/xingtu-dash")) & 0o777, 0o700);
        assert_eq!(
            mode(&dir.path().join("xdg/xingtu-dash/config.toml.lock")),
            0o600
        );
        let loaded = file.load().unwrap().watchlist;
        assert_eq!(loaded[0].added_at, Some(at("2026-11-20T08:15:02Z")));
    }

    #[test]
    fn no_op_writes_leave_the_file_alone() {
        let (_dir, file) = setup(Some(EXAMPLE));
        chmod(file.path(), 0o644);
        let before = fs::read(file.path()).unwrap();
        assert!(
            !file
                .add_watch("7566200471448779514", Some("other"), Utc::now())
                .unwrap()
        );
        assert!(!file.remove_watch("nope").unwrap());
        assert!(!file.set_label("nope", Some("x")).unwrap());
        assert_eq!(fs::read(file.path()).unwrap(), before);
        // Not rewritten, so not even re-permissioned.
        assert_eq!(mode(file.path()), 0o644);
    }

    #[test]
    fn token_file_becomes_private_on_write() {
        let (_dir, file) = setup(Some("[api]\ntoken = \"t\"\n"));
        chmod(file.path(), 0o644);
        file.add_watch("7000000000000000001", None, Utc::now())
            .unwrap();
        assert_eq!(mode(file.path()), 0o600);
    }

    #[test]
    fn file_without_token_keeps_its_mode() {
        let (_dir, file) = setup(Some("[ui]\nmouse = true\n"));
        chmod(file.path(), 0o640);
        file.add_watch("7000000000000000001", None, Utc::now())
            .unwrap();
        assert_eq!(mode(file.path()), 0o640);
    }

    #[test]
    fn corrupt_file_is_never_written() {
        let garbage = "[api\ntoken = \"x\"\n\u{0}\u{1}garbage ☃\n";
        let (_dir, file) = setup(Some(garbage));
        chmod(file.path(), 0o644);
        for result in [
            file.add_watch("7000000000000000001", None, Utc::now()),
            file.remove_watch("7000000000000000001"),
            file.set_label("7000000000000000001", Some("x")),
        ] {
            let (line, column, _) = parse_err(result);
            assert_eq!((line, column), (1, 5));
            assert_eq!(fs::read(file.path()).unwrap(), garbage.as_bytes());
            assert_eq!(mode(file.path()), 0o644);
        }
    }

    #[test]
    fn mistyped_file_is_never_written() {
        let text = "[watch]\nconcurrency = \"four\"\n";
        let (_dir, file) = setup(Some(text));
        let (line, column, _) = parse_err(file.add_watch("7000000000000000001", None, Utc::now()));
        assert_eq!((line, column), (2, 15));
        assert_eq!(fs::read_to_string(file.path()).unwrap(), text);
    }

    #[test]
    fn writes_follow_a_symlink() {
        let (dir, file) = setup(None);
        let real = dir.path().join("dotfiles/config.toml");
        fs::create_dir_all(real.parent().unwrap()).unwrap();
        fs::write(&real, "# mine\n").unwrap();
        std::os::unix::fs::symlink(&real, file.path()).unwrap();
        file.add_watch("7000000000000000001", None, at("2026-01-01T00:00:00Z"))
            .unwrap();
        assert!(
            fs::symlink_metadata(file.path())
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert!(fs::read_to_string(&real).unwrap().starts_with("# mine\n"));
        assert_eq!(file.load().unwrap().watchlist.len(), 1);
    }

    #[test]
    fn concurrent_writers_lose_nothing() {
        let (_dir, file) = setup(Some("# shared\n[ui]\nmouse = true\n"));
        let path = file.path().to_owned();
        let threads: Vec<_> = (0..8)
            .map(|t| {
                let path = path.clone();
                std::thread::spawn(move || {
                    let file = ConfigFile::new(path);
                    for i in 0..10 {
                        let id = format!("7{t:09}{i:09}");
                        assert!(file.add_watch(&id, Some("并发"), Utc::now()).unwrap());
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let config = file.load().unwrap();
        assert_eq!(config.watchlist.len(), 80);
        for t in 0..8 {
            for i in 0..10 {
                let id = format!("7{t:09}{i:09}");
                assert!(
                    config.watchlist.iter().any(|e| e.item_id == id.as_str()),
                    "{id} lost"
                );
            }
        }
        assert!(
            fs::read_to_string(&path)
                .unwrap()
                .starts_with("# shared\n[ui]\nmouse = true\n")
        );
    }

    #[test]
    fn toml_1_1_files_load_and_edit_alike() {
        // TOML 1.1: a time without seconds, \e and \xHH escapes, an inline table over
        // several lines with a trailing comma. Reading and editing share one parser, so a
        // file that loads can also be edited.
        let text = "[keys]\nrefetch = \"f\"\n[[watchlist]]\nitem_id = \"7000000000000000001\"\nlabel = \"a\\x41\\e\"\nadded_at = 2026-01-01T08:30Z\n\n[ui]\nx = {\n  a = 1,\n}\n";
        let (_dir, file) = setup(Some(text));
        let loaded = file.load().unwrap();
        assert_eq!(loaded.watchlist[0].label.as_deref(), Some("aA\u{1b}"));
        assert_eq!(
            loaded.watchlist[0].added_at,
            Some(at("2026-01-01T08:30:00Z"))
        );
        assert!(
            file.add_watch("7000000000000000002", None, at("2026-12-02T00:00:00Z"))
                .unwrap()
        );
        assert!(file.set_label("7000000000000000001", Some("b")).unwrap());
        let edited = fs::read_to_string(file.path()).unwrap();
        assert!(edited.contains("added_at = 2026-01-01T08:30Z"), "{edited}");
        assert!(edited.contains("x = {\n  a = 1,\n}"), "{edited}");
        assert_eq!(file.load().unwrap().watchlist.len(), 2);
    }
}
