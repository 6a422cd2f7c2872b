//! Server-side sessions in Redis (feature `redis-sessions`): the `redis`
//! crate's async client, pooled by deadpool, on a small tokio runtime of
//! the store's own.
//!
//! Why a runtime of its own: the session is read on first use, from
//! synchronous code (`request.session.get(...)` in any handler). The read
//! is sent to this runtime and waited for (inside `block_in_place` on a
//! multi-threaded runtime, so the app's other tasks move on meanwhile);
//! the connections are driven here, so waiting never stalls them, whatever
//! runtime the app runs on (the test client's single-threaded one too).
//! Writes happen after the response is made, awaited asynchronously.
//!
//! Every command has a deadline ([`TIMEOUT`]): an unreachable Redis makes
//! the request that needs its session a 503, never a hang.

use std::sync::OnceLock;
use std::time::Duration;

use deadpool_redis::redis::{self, AsyncCommands};
use deadpool_redis::{Pool, Runtime};
use tokio::runtime::RuntimeFlavor;

use super::backend::{Backend, Write, Writing};

/// How long a command (with the connection it needs) may take.
const TIMEOUT: Duration = Duration::from_secs(2);
/// Connections kept per app instance.
const MAX_CONNECTIONS: usize = 16;

/// A Redis server and a pool of connections to it.
pub(crate) struct RedisBackend {
    pool: Pool,
    /// Where Redis is, for the log (no password).
    address: String,
    /// Started on first use, stopped when the store is dropped.
    runtime: OnceLock<tokio::runtime::Runtime>,
}

impl std::fmt::Debug for RedisBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisBackend")
            .field("address", &self.address)
            .finish_non_exhaustive()
    }
}

impl RedisBackend {
    /// The Redis server at `url` (`redis://host:port/db`, with
    /// `user:password@` if it needs them). Nothing connects until a
    /// session is used.
    ///
    /// # Errors
    ///
    /// If `url` is no Redis URL: what is wrong with it.
    pub(crate) fn new(url: &str) -> Result<Self, String> {
        let refused = |error: &dyn std::fmt::Display| format!("`{url}` is no Redis URL: {error}");
        let info = redis::IntoConnectionInfo::into_connection_info(url)
            .map_err(|error| refused(&error))?;
        let pool = deadpool_redis::Config::from_connection_info(info.clone())
            .builder()
            .map_err(|error| refused(&error))?
            .max_size(MAX_CONNECTIONS)
            .wait_timeout(Some(TIMEOUT))
            .create_timeout(Some(TIMEOUT))
            .recycle_timeout(Some(TIMEOUT))
            .runtime(Runtime::Tokio1)
            .build()
            .map_err(|error| refused(&error))?;
        Ok(Self {
            pool,
            address: info.addr().to_string(),
            runtime: OnceLock::new(),
        })
    }

    fn runtime(&self) -> &tokio::runtime::Runtime {
        self.runtime.get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .thread_name("phial-redis")
                .enable_all()
                .build()
                .expect("a thread for the Redis session store")
        })
    }

    /// `error` as the log says it: which Redis, and what went wrong.
    fn failed(&self, error: impl std::fmt::Display) -> String {
        format!("Redis at {}: {error}", self.address)
    }
}

impl Drop for RedisBackend {
    fn drop(&mut self) {
        // Dropping a runtime blocks, which tokio forbids inside another
        // runtime (an app dropped in a test): let it stop on its own.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

impl Backend for RedisBackend {
    fn get_blocking(&self, key: &str) -> Result<Option<Vec<u8>>, String> {
        let pool = self.pool.clone();
        let key = key.to_owned();
        let (sender, receiver) = std::sync::mpsc::sync_channel(1);
        self.runtime().spawn(async move {
            let read = async {
                let mut connection = pool.get().await.map_err(|e| e.to_string())?;
                connection
                    .get::<_, Option<Vec<u8>>>(key)
                    .await
                    .map_err(|e| e.to_string())
            };
            let found = tokio::time::timeout(TIMEOUT, read)
                .await
                .unwrap_or_else(|_| Err(format!("no answer within {TIMEOUT:?}")));
            // The request may have gone meanwhile: nobody to tell.
            let _ = sender.send(found);
        });
        let wait = move || receiver.recv();
        let answer = match tokio::runtime::Handle::try_current() {
            Ok(handle) if handle.runtime_flavor() == RuntimeFlavor::MultiThread => {
                tokio::task::block_in_place(wait)
            }
            _ => wait(),
        };
        answer
            .unwrap_or_else(|_| Err("the store's runtime stopped".to_owned()))
            .map_err(|error| self.failed(error))
    }

    fn write(&self, writes: Vec<Write>) -> Writing {
        let mut pipe = redis::pipe();
        pipe.atomic();
        for write in writes {
            match write {
                Write::Set {
                    key,
                    value,
                    ttl,
                    existing_only,
                } => {
                    let mut set = redis::cmd("SET");
                    set.arg(key).arg(value).arg("EX").arg(ttl);
                    if existing_only {
                        set.arg("XX");
                    }
                    pipe.add_command(set).ignore();
                }
                Write::Expire { key, ttl } => {
                    pipe.cmd("EXPIRE").arg(key).arg(ttl).ignore();
                }
                Write::Delete { key } => {
                    pipe.cmd("DEL").arg(key).ignore();
                }
            }
        }
        let pool = self.pool.clone();
        let address = self.address.clone();
        let written = self.runtime().spawn(async move {
            let write = async {
                let mut connection = pool.get().await.map_err(|e| e.to_string())?;
                pipe.query_async::<()>(&mut connection)
                    .await
                    .map_err(|e| e.to_string())
            };
            tokio::time::timeout(TIMEOUT, write)
                .await
                .unwrap_or_else(|_| Err(format!("no answer within {TIMEOUT:?}")))
        });
        Box::pin(async move {
            written
                .await
                .unwrap_or_else(|error| Err(error.to_string()))
                .map_err(|error| format!("Redis at {address}: {error}"))
        })
    }
}
