//! Remembering, app-wide, where each cookie name was set, so that
//! `delete_cookie` hits the same path, domain and flags.
//!
//! A deletion only works when its `Path` and `Domain` match the cookie's;
//! the classic bug is `set_cookie("sid", ..).path("/app")` on one route and a
//! plain `delete_cookie("sid")` on another, which silently removes nothing.
//!
//! Only names set with a scope other than the default are kept: a removal
//! of a name not kept uses the default scope, which is what it would have
//! inherited. So an app that sets its cookies plainly never takes the lock.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{PoisonError, RwLock};

use super::set::Scope;
use super::SetCookie;

/// At most this many names are remembered: an app that makes names from
/// input can't grow the map without bound.
const MAX_NAMES: usize = 1024;

/// The scope each cookie name was last set with, when not the default,
/// shared by an app's requests.
#[derive(Debug, Default)]
pub(crate) struct CookieRegistry {
    /// Whether a name was ever kept: until then a cookie set with the
    /// default scope has nothing to forget, and skips the lock.
    used: AtomicBool,
    scopes: RwLock<HashMap<Box<str>, Scope>>,
}

impl CookieRegistry {
    /// Notes the scope of a cookie that was set (not of a removal): keeps
    /// it, or forgets the name if the scope is the default. Takes the write
    /// lock only when something changed.
    pub(crate) fn remember(&self, cookie: &SetCookie) {
        let default = cookie.scope.is_default();
        if default && !self.used.load(Ordering::Acquire) {
            return;
        }
        let read = self.scopes.read().unwrap_or_else(PoisonError::into_inner);
        let known = read.get(cookie.name());
        if known == Some(&cookie.scope) || (known.is_none() && default) {
            return;
        }
        let full = known.is_none() && read.len() >= MAX_NAMES;
        drop(read);
        if full {
            return;
        }
        let mut scopes = self.scopes.write().unwrap_or_else(PoisonError::into_inner);
        if default {
            scopes.remove(cookie.name());
        } else {
            scopes.insert(cookie.name().into(), cookie.scope.clone());
            self.used.store(true, Ordering::Release);
        }
    }

    /// The scope `name` was last set with, if the app set it with another
    /// than the default.
    pub(crate) fn scope_of(&self, name: &str) -> Option<Scope> {
        self.scopes
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(name)
            .cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_the_last_scope_and_stops_growing() {
        let registry = CookieRegistry::default();
        let mut cookie = SetCookie::new("sid", "v");
        cookie.path("/app").secure(true);
        registry.remember(&cookie);
        assert_eq!(
            registry.scope_of("sid").unwrap().path.as_deref(),
            Some("/app")
        );
        cookie.path("/other");
        registry.remember(&cookie);
        assert_eq!(
            registry.scope_of("sid").unwrap().path.as_deref(),
            Some("/other")
        );
        for i in 0..MAX_NAMES + 10 {
            let mut cookie = SetCookie::new(format!("n{i}"), "");
            cookie.secure(true);
            registry.remember(&cookie);
        }
        assert_eq!(registry.scopes.read().unwrap().len(), MAX_NAMES);
        assert!(registry.scope_of("missing").is_none());
    }

    #[test]
    fn a_default_scope_is_not_kept_and_forgets_an_earlier_one() {
        let registry = CookieRegistry::default();
        registry.remember(&SetCookie::new("plain", "v"));
        assert!(!registry.used.load(Ordering::Acquire));
        assert!(registry.scope_of("plain").is_none());

        let mut cookie = SetCookie::new("sid", "v");
        cookie.path("/app");
        registry.remember(&cookie);
        assert!(registry.scope_of("sid").is_some());
        // Told explicitly, but the default all the same.
        cookie.path("/");
        registry.remember(&cookie);
        assert!(registry.scope_of("sid").is_none());
    }
}
