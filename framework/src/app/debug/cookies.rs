//! The cookie explainer (debug mode): every `Set-Cookie` a browser would
//! reject on this page or never send back here gets a warning in the log
//! saying why, as browsers' devtools do, and the recent ones are listed on
//! the debug page. A delete that can't match the cookie it means (another
//! `Path` or `Domain` than the one it was set with) is caught too. What is
//! wrong with a cookie wherever it is set is `check.rs`'s, logged as it is
//! written.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use http::header::SET_COOKIE;
use http::HeaderMap;

use super::cookie_rules::{page_problems, Page, SetCookie};
use crate::Request;

/// How many warnings the debug page lists.
const RECENT: usize = 20;

/// What the explainer remembers, per app (only used in debug mode).
#[derive(Debug, Default)]
pub(crate) struct CookieExplainer {
    memory: Mutex<Memory>,
}

#[derive(Debug, Default)]
struct Memory {
    /// Each cookie's `Path` and `Domain` as it was last set.
    set_with: HashMap<String, (String, Option<String>)>,
    /// The last warnings, oldest first, each with its request.
    recent: VecDeque<String>,
}

impl CookieExplainer {
    /// Checks each `Set-Cookie` in `headers`, sent in answer to `request`;
    /// logs a warning for each problem and remembers it for the debug page.
    pub(crate) fn explain(&self, request: &Request, headers: &HeaderMap) {
        let mut cookies = headers.get_all(SET_COOKIE).iter().peekable();
        if cookies.peek().is_none() {
            return;
        }
        let host = host_name(request.host()).to_ascii_lowercase();
        let page = Page {
            host: &host,
            https: request.is_secure(),
            path: request.path(),
        };
        let mut memory = self
            .memory
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        for value in cookies {
            let Some(set) = value.to_str().ok().and_then(SetCookie::parse) else {
                continue;
            };
            let mut found = page_problems(&set, &page);
            let name = set.cookie.name();
            let here = (set.effective_path(&page).to_owned(), set.domain());
            if set.is_removal() {
                if let Some(earlier) = memory.set_with.get(name) {
                    if *earlier != here {
                        found.push(format!(
                            "it deletes `{name}` with {} but the cookie was set with {}: a \
                             delete must name the same Path and Domain, or the browser keeps \
                             the cookie",
                            describe(&here),
                            describe(earlier)
                        ));
                    }
                }
            } else {
                memory.set_with.insert(name.to_owned(), here);
            }
            for problem in found {
                let warning = format!(
                    "Set-Cookie `{name}` in answer to {} {}: {problem}",
                    request.method(),
                    request.path()
                );
                tracing::warn!(target: "phial::cookies", "{warning}");
                if memory.recent.len() == RECENT {
                    memory.recent.pop_front();
                }
                memory.recent.push_back(warning);
            }
        }
    }

    /// The last warnings, oldest first.
    pub(crate) fn recent(&self) -> Vec<String> {
        let memory = self
            .memory
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        memory.recent.iter().cloned().collect()
    }
}

/// `Path=/x` and, if it has one, `Domain=d`.
fn describe((path, domain): &(String, Option<String>)) -> String {
    match domain {
        Some(domain) => format!("`Path={path}; Domain={domain}`"),
        None => format!("`Path={path}`"),
    }
}

/// `host` without its port (`[::1]:5000` is `[::1]`).
fn host_name(host: &str) -> &str {
    if host.starts_with('[') {
        return host.find(']').map_or(host, |end| &host[..=end]);
    }
    host.rsplit_once(':').map_or(host, |(name, _)| name)
}
