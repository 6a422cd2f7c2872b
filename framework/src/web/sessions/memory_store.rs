//! Server-side sessions in this process's memory ([`App::session_in_memory`](crate::App::session_in_memory)):
//! the same behaviour as Redis (an id in the cookie, records that expire),
//! for tests and for one instance that wants sessions of any size. Lost
//! when the process stops; not shared between instances.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::backend::{Backend, Write, Writing};

/// The records, each with the moment it expires.
#[derive(Debug, Default)]
pub(crate) struct MemoryBackend {
    records: Mutex<HashMap<String, (Vec<u8>, Instant)>>,
}

impl Backend for MemoryBackend {
    fn get_blocking(&self, key: &str) -> Result<Option<Vec<u8>>, String> {
        let mut records = self.records.lock().unwrap_or_else(PoisonError::into_inner);
        match records.get(key) {
            Some((value, expires)) if *expires > Instant::now() => Ok(Some(value.clone())),
            Some(_) => {
                records.remove(key);
                Ok(None)
            }
            None => Ok(None),
        }
    }

    fn write(&self, writes: Vec<Write>) -> Writing {
        let mut records = self.records.lock().unwrap_or_else(PoisonError::into_inner);
        let now = Instant::now();
        let until = |ttl: u64| now + Duration::from_secs(ttl);
        for write in writes {
            match write {
                Write::Set {
                    key,
                    value,
                    ttl,
                    existing_only,
                } => {
                    let live = records.get(&key).is_some_and(|(_, expires)| *expires > now);
                    if live || !existing_only {
                        records.insert(key, (value, until(ttl)));
                        // Expired records nobody asked for again go each
                        // time the table doubles (amortized: O(1) a write).
                        if records.len().is_power_of_two() {
                            records.retain(|_, (_, expires)| *expires > now);
                        }
                    }
                }
                Write::Expire { key, ttl } => {
                    if let Some((_, expires)) = records.get_mut(&key) {
                        *expires = until(ttl);
                    }
                }
                Write::Delete { key } => {
                    records.remove(&key);
                }
            }
        }
        Box::pin(std::future::ready(Ok(())))
    }
}
