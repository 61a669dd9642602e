//! File-system helpers shared by the config file and the response cache: cross-process locking
//! and crash-safe replacement of small files.

use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Mode for files that may hold the API token or paid-for data.
pub(crate) const PRIVATE_FILE_MODE: u32 = 0o600;
/// Mode for directories we create: the config and cache dirs are the user's alone.
const PRIVATE_DIR_MODE: u32 = 0o700;

/// An exclusive advisory lock on `<path>.lock`, released on drop.
///
/// The lock lives on a sidecar file rather than the data file because the data file is replaced
/// by rename on every write: a lock on the old inode would not exclude a writer that opened the
/// new one.
#[derive(Debug)]
pub(crate) struct SidecarLock {
    _file: File,
}

impl SidecarLock {
    /// Blocks until the lock is ours. Creates the parent directory if needed.
    pub(crate) fn acquire(path: &Path) -> io::Result<Self> {
        let lock_path = sidecar_path(path, ".lock");
        Self::open_and_lock(path, &lock_path).map_err(|e| lock_error(&lock_path, e))
    }

    fn open_and_lock(path: &Path, lock_path: &Path) -> io::Result<Self> {
        if let Some(dir) = parent_dir(path) {
            create_private_dir_all(dir)?;
        }
        let file = private_open_options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(lock_path)?;
        file.lock()?;
        Ok(Self { _file: file })
    }
}

/// The bare OS error ("Permission denied") names neither the file nor the way out.
fn lock_error(lock_path: &Path, err: io::Error) -> io::Error {
    let dir = parent_dir(lock_path).unwrap_or(Path::new("."));
    let advice = match err.kind() {
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => format!(
            "you need write access to it and to {}: check their owner and mode with `ls -la {}` (a file left by another user, e.g. after sudo, can be deleted)",
            dir.display(),
            dir.display()
        ),
        io::ErrorKind::IsADirectory => {
            "it must be a file: move the directory out of the way".into()
        }
        _ => format!("check that {} is a writable directory", dir.display()),
    };
    io::Error::new(
        err.kind(),
        format!("cannot lock {}: {err} — {advice}", lock_path.display()),
    )
}

/// `<path><suffix>`, e.g. `config.toml.lock`.
pub(crate) fn sidecar_path(path: &Path, suffix: &str) -> PathBuf {
    let mut name = OsString::from(path.as_os_str());
    name.push(suffix);
    PathBuf::from(name)
}

/// `path`'s directory, or `None` for a bare file name (the current directory).
fn parent_dir(path: &Path) -> Option<&Path> {
    path.parent().filter(|p| !p.as_os_str().is_empty())
}

pub(crate) fn create_private_dir_all(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, PRIVATE_DIR_MODE);
    builder.create(dir)
}

/// Open options that create files readable by the owner only, so a secret is never briefly
/// world-readable between creation and a later chmod.
fn private_open_options() -> OpenOptions {
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, PRIVATE_FILE_MODE);
    options
}

/// Permission bits of an existing file, `None` if it does not exist.
pub(crate) fn file_mode(path: &Path) -> io::Result<Option<u32>> {
    match fs::metadata(path) {
        Ok(meta) => Ok(Some(mode_of(&meta))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(unix)]
fn mode_of(meta: &fs::Metadata) -> u32 {
    std::os::unix::fs::PermissionsExt::mode(&meta.permissions()) & 0o7777
}

#[cfg(not(unix))]
fn mode_of(_meta: &fs::Metadata) -> u32 {
    PRIVATE_FILE_MODE
}

/// Replaces `path` with `contents` so that readers (and a crash) see either the old or the new
/// file, never a torn one: temp file in the same directory, fsync, chmod, rename, fsync the dir.
pub(crate) fn write_atomic(path: &Path, contents: &[u8], mode: u32) -> io::Result<()> {
    let dir = parent_dir(path).unwrap_or(Path::new("."));
    create_private_dir_all(dir)?;
    let tmp = sidecar_path(
        path,
        &format!(".tmp.{}.{}", std::process::id(), fastrand::u64(..)),
    );
    let result = write_then_rename(&tmp, path, contents, mode);
    if result.is_err() {
        // Best effort: a leftover temp file is harmless, the original error matters more.
        let _ = fs::remove_file(&tmp);
    }
    result?;
    sync_dir(dir)
}

fn write_then_rename(tmp: &Path, path: &Path, contents: &[u8], mode: u32) -> io::Result<()> {
    let mut file = private_open_options()
        .write(true)
        .create_new(true)
        .open(tmp)?;
    file.write_all(contents)?;
    file.sync_all()?;
    set_mode(&file, mode)?;
    drop(file);
    fs::rename(tmp, path)
}

#[cfg(unix)]
fn set_mode(file: &File, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_file: &File, _mode: u32) -> io::Result<()> {
    Ok(())
}

/// Makes the rename itself durable.
#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn write_atomic_creates_dirs_and_sets_mode() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("a/b/file.txt");
        write_atomic(&path, b"hello", 0o640).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"hello");
        assert_eq!(file_mode(&path).unwrap(), Some(0o640));
        let dir_mode = fs::metadata(tmp.path().join("a"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(dir_mode & 0o777, 0o700);
        // No temp files left behind.
        let names: Vec<_> = fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(names.len(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_lock_that_cannot_be_taken_names_the_file_and_the_way_out() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("config.toml");
        let lock_path = tmp.path().join("config.toml.lock");
        fs::create_dir(&lock_path).unwrap();
        let msg = SidecarLock::acquire(&path).unwrap_err().to_string();
        assert!(msg.contains(&lock_path.display().to_string()), "{msg}");
        assert!(msg.contains("move the directory out of the way"), "{msg}");

        let denied = lock_error(&lock_path, io::Error::from(io::ErrorKind::PermissionDenied));
        let msg = denied.to_string();
        assert_eq!(denied.kind(), io::ErrorKind::PermissionDenied);
        assert!(
            msg.starts_with(&format!("cannot lock {}: ", lock_path.display())),
            "{msg}"
        );
        assert!(
            msg.contains("write access") && msg.contains("ls -la"),
            "{msg}"
        );
    }

    #[test]
    fn lock_file_is_private() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("x/data.json");
        let _lock = SidecarLock::acquire(&path).unwrap();
        let lock_path = tmp.path().join("x/data.json.lock");
        assert_eq!(file_mode(&lock_path).unwrap(), Some(0o600));
    }
}
