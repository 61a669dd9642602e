//! The shared store: PostgreSQL behind the same [`Store`](super::Store) interface as SQLite,
//! so a team's machines read one history and one response cache.
//!
//! The interface is synchronous (it is called from blocking threads), while the client is
//! async: each process runs its connection on one dedicated thread with its own small
//! runtime, and every store method sends that thread a job and waits for the answer. All
//! stores of a process opened on the same URL share that thread and connection. A lost
//! connection is made again on the next job, so the store recovers by itself once the
//! server is back.

mod alerts;
mod batches;
mod claims;
pub(super) mod copy;
pub(super) mod listen;
pub mod schema;
pub(super) mod snapshots;
mod store_impl;
mod tls;
mod trends;
pub mod url;

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio_postgres::error::SqlState;
use tokio_postgres::{Client, Config};

pub use url::{BadUrl, PgUrl, SslMode};

/// How long a connection attempt may take before the server counts as unreachable.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// What went wrong with the shared store. No variant holds the password: the server is
/// named by host and port, the store by its redacted URL.
#[derive(Debug, thiserror::Error)]
pub enum PgError {
    #[error("cannot reach the shared store at {server} (database {db}): {why}")]
    Unreachable {
        server: String,
        db: String,
        why: Unreachable,
    },

    #[error(
        "the shared store {url} has schema version {found}, and this xingtu-dash knows up to \
         {supported}; it was left untouched. Upgrade xingtu-dash to use it."
    )]
    TooNew {
        url: String,
        found: i64,
        supported: i64,
    },

    #[error("shared store {url}: {message}")]
    Query { url: String, message: String },
}

impl PgError {
    /// True when the server could not be reached (or was lost): nothing is stored until
    /// it is back.
    pub fn is_unreachable(&self) -> bool {
        matches!(self, PgError::Unreachable { .. })
    }
}

/// Why the server could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unreachable {
    #[error("connection refused (is PostgreSQL running and listening there?)")]
    Refused,
    #[error("no answer within {} s", CONNECT_TIMEOUT.as_secs())]
    Timeout,
    #[error("authentication failed for user {0} (check the user name and password)")]
    AuthFailed(String),
    #[error("the database does not exist (create it, see README \"For teams\")")]
    NoDatabase,
    #[error("the host name does not resolve: {0}")]
    UnknownHost(String),
    #[error("TLS failed: {0}")]
    Tls(String),
    #[error("the connection was lost")]
    Lost,
    #[error("{0}")]
    Other(String),
}

/// A job for the connection thread: it gets the connected client (or why there is none)
/// and sends its answer back itself.
type Job = Box<dyn for<'a> FnOnce(Result<&'a mut Client, PgError>) -> BoxFuture<'a> + Send>;
type BoxFuture<'a> = Pin<Box<dyn Future<Output = ()> + Send + 'a>>;
/// The future a store query returns, borrowing the client.
pub(crate) type Query<'a, T> =
    Pin<Box<dyn Future<Output = Result<T, tokio_postgres::Error>> + Send + 'a>>;

/// A process's connection thread for one URL.
struct Worker {
    url: PgUrl,
    jobs: tokio::sync::mpsc::UnboundedSender<Job>,
}

/// The connection threads of this process, one per URL; they live as long as the process.
static WORKERS: Mutex<Vec<Arc<Worker>>> = Mutex::new(Vec::new());

/// A handle on the shared store. Cheap to open again: the connection is the process's.
#[derive(Clone)]
pub struct PgStore {
    worker: Arc<Worker>,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PgStore({})", self.worker.url)
    }
}

impl PgStore {
    /// The store at `url`, connected and with its schema current: an unreachable server, a
    /// refused login or a newer schema is an error here, before anything else is done.
    pub fn open(url: &PgUrl) -> Result<PgStore, PgError> {
        let worker = {
            let mut workers = WORKERS
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            match workers.iter().find(|w| w.url == *url) {
                Some(w) => Arc::clone(w),
                None => {
                    let w = Arc::new(Worker::start(url.clone()));
                    workers.push(Arc::clone(&w));
                    w
                }
            }
        };
        let store = PgStore { worker };
        store.call(|_| Box::pin(async { Ok(()) }))?;
        Ok(store)
    }

    /// The URL, with the password hidden when shown.
    pub fn url(&self) -> &PgUrl {
        &self.worker.url
    }

    /// Runs `query` on the connection thread and waits for its answer.
    pub(crate) fn call<T, F>(&self, query: F) -> Result<T, PgError>
    where
        T: Send + 'static,
        F: for<'a> FnOnce(&'a mut Client) -> Query<'a, T> + Send + 'static,
    {
        let (reply, answer) = std::sync::mpsc::sync_channel(1);
        let url = self.worker.url.clone();
        let job: Job = Box::new(move |client| {
            Box::pin(async move {
                let result = match client {
                    Ok(client) => query(client).await.map_err(|e| query_error(&url, &e)),
                    Err(e) => Err(e),
                };
                let _ = reply.send(result);
            })
        });
        let lost = || self.worker.unreachable(Unreachable::Lost);
        self.worker.jobs.send(job).map_err(|_| lost())?;
        answer.recv().map_err(|_| lost())?
    }
}

impl Worker {
    fn start(url: PgUrl) -> Worker {
        let (jobs, queue) = tokio::sync::mpsc::unbounded_channel::<Job>();
        let thread_url = url.clone();
        let spawned = std::thread::Builder::new()
            .name("store-connection".into())
            .spawn(move || {
                match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(runtime) => runtime.block_on(serve(thread_url, queue)),
                    // The queue is dropped: every call then reports the connection lost.
                    Err(e) => tracing::error!("the store connection thread has no runtime: {e}"),
                }
            });
        if let Err(e) = spawned {
            tracing::error!("cannot start the store connection thread: {e}");
        }
        Worker { url, jobs }
    }

    fn unreachable(&self, why: Unreachable) -> PgError {
        unreachable(&self.url, why)
    }
}

/// Runs the jobs one after another on one connection, connecting (again) when there is none.
async fn serve(url: PgUrl, mut queue: tokio::sync::mpsc::UnboundedReceiver<Job>) {
    let mut client: Option<Client> = None;
    while let Some(job) = queue.recv().await {
        if client.as_ref().is_none_or(Client::is_closed) {
            client = None;
            match connect(&url).await {
                Ok(c) => client = Some(c),
                Err(e) => {
                    job(Err(e)).await;
                    continue;
                }
            }
        }
        if let Some(c) = client.as_mut() {
            job(Ok(c)).await;
        }
    }
}

/// Connects (within [`CONNECT_TIMEOUT`]) and brings the schema up to date.
async fn connect(url: &PgUrl) -> Result<Client, PgError> {
    let (mut client, connection) = open_connection(url).await?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            tracing::warn!("store connection ended: {e}");
        }
    });
    match schema::migrate(&mut client).await {
        Ok(schema::Outcome::Current) => Ok(client),
        Ok(schema::Outcome::TooNew(found)) => Err(PgError::TooNew {
            url: url.to_string(),
            found,
            supported: schema::SCHEMA_VERSION,
        }),
        Err(e) => Err(query_error(url, &e)),
    }
}

/// The connection the client talks through: whoever holds it drives it (and may read the
/// server's notifications from it).
type Connection =
    tokio_postgres::Connection<tokio_postgres::Socket, tls::RustlsStream<tokio_postgres::Socket>>;

/// A connection (within [`CONNECT_TIMEOUT`]), its schema as it is.
async fn open_connection(url: &PgUrl) -> Result<(Client, Connection), PgError> {
    let mut config = Config::new();
    config
        .host(&url.host)
        .port(url.port)
        .user(&url.user)
        .dbname(&url.dbname)
        .application_name("xingtu-dash")
        .connect_timeout(CONNECT_TIMEOUT)
        .ssl_mode(match url.sslmode {
            SslMode::Disable => tokio_postgres::config::SslMode::Disable,
            SslMode::Prefer => tokio_postgres::config::SslMode::Prefer,
            SslMode::Require | SslMode::VerifyFull => tokio_postgres::config::SslMode::Require,
        });
    if let Some(password) = url.password() {
        config.password(password);
    }
    let tls = tls::MakeRustls::new(url.sslmode == SslMode::VerifyFull)
        .map_err(|e| unreachable(url, Unreachable::Tls(e.to_string())))?;
    match tokio::time::timeout(CONNECT_TIMEOUT, config.connect(tls)).await {
        Err(_) => Err(unreachable(url, Unreachable::Timeout)),
        Ok(Err(e)) => Err(unreachable(url, why_unreachable(url, &e))),
        Ok(Ok(pair)) => Ok(pair),
    }
}

fn unreachable(url: &PgUrl, why: Unreachable) -> PgError {
    PgError::Unreachable {
        server: url.server(),
        db: url.dbname.clone(),
        why,
    }
}

/// Sorts a failed connection attempt into what the user can act on.
fn why_unreachable(url: &PgUrl, error: &tokio_postgres::Error) -> Unreachable {
    if let Some(code) = error.code() {
        if *code == SqlState::INVALID_PASSWORD
            || *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION
        {
            return Unreachable::AuthFailed(url.user.clone());
        }
        if *code == SqlState::INVALID_CATALOG_NAME {
            return Unreachable::NoDatabase;
        }
    }
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = source {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            return match io.kind() {
                std::io::ErrorKind::ConnectionRefused => Unreachable::Refused,
                std::io::ErrorKind::TimedOut => Unreachable::Timeout,
                _ if io
                    .get_ref()
                    .is_some_and(|inner| inner.is::<rustls::Error>()) =>
                {
                    Unreachable::Tls(io.to_string())
                }
                _ => Unreachable::Other(io.to_string()),
            };
        }
        if let Some(tls) = e.downcast_ref::<rustls::Error>() {
            return Unreachable::Tls(tls.to_string());
        }
        source = e.source();
    }
    let text = error.to_string();
    if text.contains("failed to lookup address") || text.contains("resolve") {
        return Unreachable::UnknownHost(url.host.clone());
    }
    Unreachable::Other(text)
}

/// A query's failure; a connection lost meanwhile counts as unreachable, so callers treat
/// it as the store being down rather than as a bad query.
fn query_error(url: &PgUrl, error: &tokio_postgres::Error) -> PgError {
    if error.is_closed() || error.as_db_error().is_none() && is_io(error) {
        return unreachable(url, Unreachable::Lost);
    }
    // A server error's text is in its DbError; the client error's own text is "db error".
    let message = match error.as_db_error() {
        Some(db) => format!("{} ({})", db.message(), db.code().code()),
        None => error.to_string(),
    };
    PgError::Query {
        url: url.to_string(),
        message,
    }
}

fn is_io(error: &tokio_postgres::Error) -> bool {
    let mut source = std::error::Error::source(error);
    while let Some(e) = source {
        if e.is::<std::io::Error>() {
            return true;
        }
        source = e.source();
    }
    false
}
