//! What a server-side session store needs of the place that keeps its
//! records (Redis, this process's memory): read one, make a few writes.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// One change to the store; a save sends its changes together (in one
/// transaction, for Redis).
#[derive(Debug)]
pub(crate) enum Write {
    /// Stores `value` under `key` for `ttl` seconds; with `existing_only`,
    /// only if the key is still there (a session deleted by a logout
    /// meanwhile is not brought back by a request that started before it).
    Set {
        key: String,
        value: Vec<u8>,
        ttl: u64,
        existing_only: bool,
    },
    /// Renews `key`'s expiry to `ttl` seconds from now.
    Expire { key: String, ttl: u64 },
    /// Deletes `key`.
    Delete { key: String },
}

/// A store's write, to await.
pub(crate) type Writing = Pin<Box<dyn Future<Output = Result<(), String>> + Send>>;

/// Where a server-side store keeps records: Redis or memory.
pub(crate) trait Backend: Send + Sync + fmt::Debug + 'static {
    /// The record under `key`, if any, waited for: the session is read
    /// from synchronous code, on first use.
    ///
    /// # Errors
    ///
    /// When the store can't be reached: what went wrong.
    fn get_blocking(&self, key: &str) -> Result<Option<Vec<u8>>, String>;

    /// Makes `writes`, in order.
    fn write(&self, writes: Vec<Write>) -> Writing;
}

/// A server-side session store, as the app's settings hold it (its
/// `load` and `save` are in `server_store.rs`).
#[derive(Clone, Debug)]
pub(crate) struct ServerSessions {
    pub(super) backend: Arc<dyn Backend>,
}

impl ServerSessions {
    /// Sessions kept in `backend`.
    pub(crate) fn new(backend: impl Backend) -> Self {
        Self {
            backend: Arc::new(backend),
        }
    }
}
