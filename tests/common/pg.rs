//! A throwaway PostgreSQL server for the tests: `initdb` and `pg_ctl` in a temp dir, on a
//! free loopback port, with TLS when `openssl` can make a certificate. As root, the server
//! runs as the `postgres` user (initdb refuses root).
//!
//! One server serves a whole test binary ([`shared`], stopped when the process exits);
//! each test gets its own database and user. A test that stops the server starts its own
//! ([`PgServer::start`]), stopped when dropped. Without the binaries the tests skip with one
//! line saying why, except under `CI=true`, where that is a failure.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use tempfile::TempDir;

/// The superuser's name and password (the server listens on loopback only).
const ADMIN: &str = "xtd_admin";
const ADMIN_PASSWORD: &str = "admin-pw-Q7z";

/// A running server; dropping it stops it (`pg_ctl stop -m immediate`).
pub struct PgServer {
    dir: TempDir,
    bin: PathBuf,
    pub port: u16,
    as_postgres: bool,
    pub tls: bool,
}

/// One database with its own user, on some server.
#[derive(Debug, Clone)]
pub struct TestDb {
    pub name: String,
    pub user: String,
    pub password: String,
    pub port: u16,
}

impl TestDb {
    /// `postgres://user:password@127.0.0.1:port/name` plus `query` (e.g. `?sslmode=require`).
    pub fn url_with(&self, query: &str) -> String {
        format!(
            "postgres://{}:{}@127.0.0.1:{}/{}{query}",
            self.user, self.password, self.port, self.name
        )
    }

    pub fn url(&self) -> String {
        self.url_with("")
    }

    /// What every output must show instead of the password.
    pub fn redacted(&self) -> String {
        format!(
            "postgres://{}:***@127.0.0.1:{}/{}",
            self.user, self.port, self.name
        )
    }
}

/// The server shared by this test binary, or `None` (after printing why, once) when
/// PostgreSQL is not installed and this is not CI.
pub fn shared() -> Option<&'static PgServer> {
    static SERVER: OnceLock<Option<PgServer>> = OnceLock::new();
    SERVER
        .get_or_init(|| {
            let server = PgServer::start()?;
            // Statics are never dropped: stop the server when the process exits, failed
            // tests included (the harness exits through `exit`).
            *SHARED_DIR.lock().unwrap() = Some((
                server.bin.clone(),
                server.dir.path().to_owned(),
                server.as_postgres,
            ));
            // SAFETY: registers a plain function with no arguments.
            unsafe { libc::atexit(stop_shared) };
            Some(server)
        })
        .as_ref()
}

/// A fresh database and user on the shared server (see [`shared`]).
pub fn shared_db() -> Option<TestDb> {
    shared().map(PgServer::database)
}

/// The shared server's binaries, temp dir and whether it runs as `postgres`.
static SHARED_DIR: Mutex<Option<(PathBuf, PathBuf, bool)>> = Mutex::new(None);

extern "C" fn stop_shared() {
    if let Some((bin, dir, as_postgres)) = SHARED_DIR.lock().ok().and_then(|mut d| d.take()) {
        let _ = pg_ctl_stop(&bin, &dir.join("data"), as_postgres);
        let _ = std::fs::remove_dir_all(dir);
    }
}

impl PgServer {
    /// Starts a new server, or `None` (see [`shared`]) without the binaries.
    pub fn start() -> Option<PgServer> {
        let Some(bin) = find_bin() else {
            let why = "PostgreSQL tests skipped: initdb/pg_ctl not found (install the postgresql package)";
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("{why}; CI must run them");
            }
            static SAID: std::sync::Once = std::sync::Once::new();
            SAID.call_once(|| eprintln!("{why}"));
            return None;
        };
        let as_postgres = unsafe { libc::geteuid() } == 0;
        let dir = tempfile::Builder::new()
            .prefix("xtd-pg-")
            .tempdir()
            .expect("temp dir for PostgreSQL");
        let pwfile = dir.path().join("pw");
        std::fs::write(&pwfile, ADMIN_PASSWORD).unwrap();
        if as_postgres {
            chown_postgres(dir.path());
        }
        let mut server = PgServer {
            dir,
            bin,
            port: 0,
            as_postgres,
            tls: false,
        };
        server.run_ok(
            "initdb",
            &[
                "-D".as_ref(),
                server.data_dir().as_os_str(),
                "-U".as_ref(),
                ADMIN.as_ref(),
                "--pwfile".as_ref(),
                pwfile.as_os_str(),
                "-A".as_ref(),
                "scram-sha-256".as_ref(),
                "--no-sync".as_ref(),
                "-E".as_ref(),
                "UTF8".as_ref(),
                "--locale=C".as_ref(),
            ],
        );
        server.tls = server.make_certificate();
        server.port = free_port();
        server.start_again();
        Some(server)
    }

    /// Starts the (stopped) server again on the same port and data. Commits stay
    /// synchronous: with `fsync=off` they cost no disk flush, and a server stopped as a crash
    /// would (`stop`) still keeps every transaction it reported committed.
    pub fn start_again(&self) {
        let mut options = format!(
            "-p {} -c listen_addresses=127.0.0.1 -k {} -c fsync=off -c full_page_writes=off",
            self.port,
            self.dir.path().display()
        );
        if self.tls {
            options.push_str(" -c ssl=on -c ssl_cert_file=server.crt -c ssl_key_file=server.key");
        }
        let log = self.dir.path().join("server.log");
        self.run_ok(
            "pg_ctl",
            &[
                "-D".as_ref(),
                self.data_dir().as_os_str(),
                "-l".as_ref(),
                log.as_os_str(),
                "-o".as_ref(),
                options.as_ref(),
                "-w".as_ref(),
                "start".as_ref(),
            ],
        );
    }

    /// Stops the server at once, as a crash would (no shutdown checkpoint).
    pub fn stop(&self) {
        pg_ctl_stop(&self.bin, &self.data_dir(), self.as_postgres);
    }

    /// A new database owned by a new user with a password.
    pub fn database(&self) -> TestDb {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let db = TestDb {
            name: format!("xtd_test_{}_{n}", std::process::id()),
            user: format!("xtd_user_{}_{n}", std::process::id()),
            password: format!("pw-{:016x}-secret", fastrand::u64(..)),
            port: self.port,
        };
        self.psql(&format!(
            "CREATE USER {} PASSWORD '{}'",
            db.user, db.password
        ));
        self.psql(&format!("CREATE DATABASE {} OWNER {}", db.name, db.user));
        db
    }

    /// Turns away unencrypted connections of `user` from now on.
    pub fn require_tls_for(&self, user: &str) {
        let hba = self.data_dir().join("pg_hba.conf");
        let rules = std::fs::read_to_string(&hba).expect("read pg_hba.conf");
        // The first matching line decides, so the rule goes on top.
        std::fs::write(&hba, format!("hostnossl all {user} all reject\n{rules}"))
            .expect("write pg_hba.conf");
        self.psql("SELECT pg_reload_conf()");
    }

    /// Runs SQL as the superuser on the `postgres` database.
    pub fn psql(&self, sql: &str) -> String {
        self.psql_on("postgres", sql)
    }

    /// Runs SQL as the superuser on database `db`; returns its unaligned output.
    pub fn psql_on(&self, db: &str, sql: &str) -> String {
        let out = Command::new(self.bin.join("psql"))
            .env("PGPASSWORD", ADMIN_PASSWORD)
            .args(["-h", "127.0.0.1", "-p", &self.port.to_string(), "-U", ADMIN])
            .args(["-d", db, "-v", "ON_ERROR_STOP=1", "-qAtc", sql])
            .stdin(Stdio::null())
            .output()
            .expect("run psql");
        assert!(
            out.status.success(),
            "psql {sql}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// A self-signed certificate for `localhost` in the data dir; false without openssl.
    fn make_certificate(&self) -> bool {
        let data = self.data_dir();
        let made = Command::new("openssl")
            .args([
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            ])
            .args(["-subj", "/CN=localhost", "-keyout"])
            .arg(data.join("server.key"))
            .arg("-out")
            .arg(data.join("server.crt"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if made && self.as_postgres {
            chown_postgres(&data.join("server.key"));
            chown_postgres(&data.join("server.crt"));
        }
        use std::os::unix::fs::PermissionsExt;
        made && std::fs::set_permissions(
            data.join("server.key"),
            std::fs::Permissions::from_mode(0o600),
        )
        .is_ok()
    }

    fn run_ok(&self, tool: &str, args: &[&std::ffi::OsStr]) {
        let out = run_tool(&self.bin, tool, args, self.as_postgres);
        assert!(
            out.status.success(),
            "{tool} failed: {}{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
        );
    }
}

impl Drop for PgServer {
    fn drop(&mut self) {
        self.stop();
    }
}

fn pg_ctl_stop(bin: &Path, data: &Path, as_postgres: bool) -> Output {
    run_tool(
        bin,
        "pg_ctl",
        &[
            "-D".as_ref(),
            data.as_os_str(),
            "-m".as_ref(),
            "immediate".as_ref(),
            "-w".as_ref(),
            "stop".as_ref(),
        ],
        as_postgres,
    )
}

fn run_tool(bin: &Path, tool: &str, args: &[&std::ffi::OsStr], as_postgres: bool) -> Output {
    let mut cmd = if as_postgres {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(bin.join(tool));
        c
    } else {
        Command::new(bin.join(tool))
    };
    cmd.args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("run {tool}: {e}"))
}

/// The directory holding initdb and pg_ctl: on PATH, or Debian's versioned directory.
fn find_bin() -> Option<PathBuf> {
    let has = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default();
    let mut debian: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|dirs| dirs.flatten().map(|d| d.path().join("bin")).collect())
        .unwrap_or_default();
    debian.sort();
    debian.reverse();
    // psql comes from the same place: the versioned dir holds all three.
    debian
        .into_iter()
        .chain(on_path)
        .find(|d| has(d) && d.join("psql").is_file())
}

fn chown_postgres(path: &Path) {
    let status = Command::new("chown")
        .args(["-R", "postgres:postgres"])
        .arg(path)
        .status()
        .expect("run chown");
    assert!(status.success(), "chown {} to postgres", path.display());
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}
