//! Remembering, app-wide, where each cookie name was set, so that
//! `delete_cookie` hits the same path, domain and flags.
//!
//! A deletion only works when its `Path` and `Domain` match the cookie's;
//! the classic bug is `set_cookie("sid", ..).path("/app")` on one route and a
//! plain `delete_cookie("sid")` on another, which silently removes nothing.

use std::collections::HashMap;
use std::sync::{PoisonError, RwLock};

use super::set::Scope;
use super::SetCookie;

/// At most this many names are remembered: an app that makes names from
/// input can't grow the map without bound.
const MAX_NAMES: usize = 1024;

/// The scope each cookie name was last set with, shared by an app's requests.
#[derive(Debug, Default)]
pub(crate) struct CookieRegistry {
    scopes: RwLock<HashMap<Box<str>, Scope>>,
}

impl CookieRegistry {
    /// Notes the scope of a cookie that was set (not of a removal). Takes
    /// the write lock only when something changed.
    pub(crate) fn remember(&self, cookie: &SetCookie) {
        let read = self.scopes.read().unwrap_or_else(PoisonError::into_inner);
        if read.get(cookie.name()) == Some(&cookie.scope) {
            return;
        }
        let full = read.len() >= MAX_NAMES && !read.contains_key(cookie.name());
        drop(read);
        if full {
            return;
        }
        self.scopes
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(cookie.name().into(), cookie.scope.clone());
    }

    /// The scope `name` was last set with, if the app set it.
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
        let mut cookie = SetCookie::new("sid".into(), "v".into());
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
            registry.remember(&SetCookie::new(format!("n{i}"), String::new()));
        }
        assert_eq!(registry.scopes.read().unwrap().len(), MAX_NAMES);
        assert!(registry.scope_of("missing").is_none());
    }
}
