//! Writing a response's cookies as `Set-Cookie` headers: removals take the
//! scope the app set the cookie with, signed and private values are sealed,
//! and cookies browsers would drop are warned about.

use http::header::SET_COOKIE;
use http::HeaderMap;
use time::OffsetDateTime;

use super::registry::CookieRegistry;
use super::secure;
use super::set::SetCookie;

/// Appends one `Set-Cookie` header per cookie, in call order.
///
/// A removal takes the scope attributes it was not told from the last cookie
/// of that name set earlier in the same response, else from what the app
/// last set that name with (`registry`). Warnings are logged for cookies
/// browsers would drop.
///
/// # Errors
///
/// A cookie whose name, path or domain would break the header, or a signed
/// or private cookie without a key to seal it with (`keys`): the message
/// names the cookie and the rule.
pub(crate) fn write_set_cookie_headers(
    cookies: &[SetCookie],
    headers: &mut HeaderMap,
    registry: Option<&CookieRegistry>,
    keys: Option<&crate::http_core::secret::Keys>,
) -> Result<(), String> {
    if cookies.is_empty() {
        return Ok(());
    }
    // Read only if a cookie's header depends on it.
    let mut now = None;
    for (index, cookie) in cookies.iter().enumerate() {
        let inherited;
        let mut effective = cookie;
        if cookie.removal {
            let earlier = cookies[..index]
                .iter()
                .rev()
                .find(|set| !set.removal && set.name == cookie.name)
                .map(|set| set.scope.clone());
            if let Some(scope) = earlier.or_else(|| registry?.scope_of(&cookie.name)) {
                let mut removal = cookie.clone();
                removal.inherit(&scope);
                inherited = removal;
                effective = &inherited;
            }
        }
        let sealed;
        if matches!(effective.kind, secure::Kind::Signed | secure::Kind::Private)
            && !effective.removal
        {
            let mut copy = effective.clone();
            copy.value = secure::seal(copy.kind, keys, &copy.name, &copy.value)?.into();
            sealed = copy;
            effective = &sealed;
        }
        let at = if effective.needs_clock() {
            *now.get_or_insert_with(OffsetDateTime::now_utc)
        } else {
            OffsetDateTime::UNIX_EPOCH
        };
        let header = effective.to_header_at(at)?;
        let too_big = header.len() > 4096;
        if too_big && effective.kind != secure::Kind::Plain {
            tracing::error!(
                "cookie `{}` is {} bytes, over the 4096 browsers keep: they drop \
                 it without a word, so what it holds (the session?) is lost; \
                 store less in it",
                cookie.name,
                header.len()
            );
        }
        for reason in effective.warnings(header.len()) {
            if !(too_big && effective.kind != secure::Kind::Plain && reason.contains("4096")) {
                tracing::warn!("cookie `{}`: {reason}", cookie.name);
            }
        }
        headers.append(SET_COOKIE, header);
    }
    if let Some(registry) = registry {
        for cookie in cookies.iter().filter(|cookie| !cookie.removal) {
            registry.remember(cookie);
        }
    }
    Ok(())
}
