//! Sessions kept on the server (Redis, or this process's memory), as
//! Flask-Session keeps them: the cookie holds only a random id, signed with
//! the app's secret key; the values live in a record under that id, which
//! expires after the [session lifetime](crate::App::permanent_session_lifetime)
//! unless a request renews it.
//!
//! What the cookie store can't do, this one does: sessions of any size, and
//! a logout (`session.clear()`) that deletes the record, so a copy of the
//! old cookie no longer reads anything. `session.regenerate()` moves the
//! values to a new id (against session fixation).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::backend::{ServerSessions, Write};
use super::cookie_store::{signed_cookie, with_attributes};
use super::SessionSettings;
use crate::http_core::cookies::secure;
use crate::http_core::cookies::{CookieLines, SetCookie};
use crate::http_core::session::store::{Saved, SessionState, Unavailable};

/// Random bytes in a session id: 256 bits from the operating system.
const ID_BYTES: usize = 32;
/// Its length in base64url, without padding.
const ID_LEN: usize = 43;
/// Where records live in the store: `session:` and the id (Flask-Session's
/// prefix).
const KEY_PREFIX: &str = "session:";

/// A session's record: its values and whether it is permanent.
#[derive(Serialize, Deserialize)]
struct Record {
    d: Map<String, Value>,
    #[serde(default)]
    p: bool,
}

/// [`Record`] by reference, to write without copying the values.
#[derive(Serialize)]
struct RecordRef<'a> {
    d: &'a Map<String, Value>,
    p: bool,
}

impl ServerSessions {
    /// The session the request's cookie names: empty when there is no
    /// cookie, when it doesn't verify, or when its record is gone (expired
    /// or deleted).
    ///
    /// # Errors
    ///
    /// When the store can't be reached.
    ///
    /// # Panics
    ///
    /// In a release build of an app without a secret key.
    pub(crate) fn load(
        &self,
        settings: &SessionSettings,
        cookies: &CookieLines,
    ) -> Result<SessionState, Unavailable> {
        let Some(raw) = cookies.first(&settings.cookie_name) else {
            return Ok(SessionState::default());
        };
        let mut state = SessionState {
            had_cookie: true,
            ..SessionState::default()
        };
        let mut keys = settings
            .keys
            .readers()
            .unwrap_or_else(|message| panic!("{message}"));
        // The current key first (it comes first); a cookie only a fallback
        // verifies is sent again, signed with the current key.
        let name = &settings.cookie_name;
        let current = keys
            .next()
            .and_then(|key| secure::verify([key], name, &raw));
        let id = match current {
            Some(id) => id,
            None => match secure::verify(keys, name, &raw) {
                Some(id) => {
                    state.resign = true;
                    id
                }
                None => return Ok(state),
            },
        };
        if id.len() != ID_LEN {
            return Ok(state);
        }
        let found = self.backend.get_blocking(&key(id)).map_err(Unavailable)?;
        let Some(record) = found.and_then(|bytes| serde_json::from_slice::<Record>(&bytes).ok())
        else {
            return Ok(state);
        };
        state.values = record.d;
        state.permanent = record.p;
        state.id = Some(id.to_owned());
        Ok(state)
    }

    /// The writes `state` needs and the cookie to send once they are made:
    /// nothing for a session this request didn't change (unless it is
    /// permanent and its expiry is renewed, or its cookie was signed with a
    /// fallback key); the record deleted and the
    /// cookie removed for an emptied one; the values under a new id for a
    /// new or regenerated one.
    pub(crate) fn save(&self, settings: &SessionSettings, state: &SessionState) -> Saved {
        let refresh = state.permanent && settings.refresh_each_request && state.id.is_some();
        if !state.modified && !refresh && !state.resign {
            return Saved::Ready(None);
        }
        let ttl = u64::try_from(settings.lifetime.whole_seconds())
            .unwrap_or(0)
            .max(1);
        let mut writes = Vec::with_capacity(2);
        let cookie = if state.values.is_empty() {
            if let Some(old) = &state.id {
                writes.push(Write::Delete { key: key(old) });
            }
            if !state.had_cookie {
                return Saved::Ready(None);
            }
            SetCookie::removal(settings.cookie_name.clone())
        } else {
            let (id, fresh) = match &state.id {
                Some(id) if !state.regenerate => (id.clone(), false),
                old => {
                    if let Some(old) = old {
                        writes.push(Write::Delete { key: key(old) });
                    }
                    (new_id(), true)
                }
            };
            if state.modified || fresh {
                let record = RecordRef {
                    d: &state.values,
                    p: state.permanent,
                };
                writes.push(Write::Set {
                    key: key(&id),
                    value: serde_json::to_vec(&record).unwrap_or_default(),
                    ttl,
                    existing_only: !fresh,
                });
            } else {
                writes.push(Write::Expire { key: key(&id), ttl });
            }
            signed_cookie(settings, id, state.permanent)
        };
        let cookie = with_attributes(cookie, settings);
        let writing = self.backend.write(writes);
        Saved::Pending(Box::pin(async move {
            writing.await.map_err(Unavailable)?;
            Ok(Some(cookie))
        }))
    }
}

/// The store's key for session `id`.
fn key(id: &str) -> String {
    let mut key = String::with_capacity(KEY_PREFIX.len() + id.len());
    key.push_str(KEY_PREFIX);
    key.push_str(id);
    key
}

/// A new session id: 256 random bits from the operating system, base64url.
///
/// # Panics
///
/// If the operating system has no random source to give.
fn new_id() -> String {
    let mut bytes = [0u8; ID_BYTES];
    getrandom::getrandom(&mut bytes).expect("the operating system's random source");
    URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_256_random_bits_in_base64url() {
        let (one, two) = (new_id(), new_id());
        assert_eq!(one.len(), ID_LEN);
        assert_ne!(one, two);
        assert_eq!(URL_SAFE_NO_PAD.decode(&one).unwrap().len(), ID_BYTES);
    }
}
