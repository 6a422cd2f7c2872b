//! The response side: a `Set-Cookie` header (or a removal), built with
//! chained setters and checked when the response is sent.

use std::borrow::Cow;

use compact_str::CompactString;
use time::OffsetDateTime;

use super::arguments::{MaxAge, OptionalText};
use super::SameSite;

/// A cookie to set (or delete) on a response; returned by
/// [`Response::set_cookie`](crate::Response::set_cookie) and
/// [`Response::delete_cookie`](crate::Response::delete_cookie) so its
/// attributes can be chained, one setter per Flask parameter.
///
/// ```
/// use phial::prelude::*;
///
/// let mut response = make_response("Hello");
/// response
///     .set_cookie("theme", "dark")
///     .max_age(3600)
///     .http_only(true)
///     .same_site(SameSite::Lax);
/// ```
///
/// Arguments are typed where Flask guesses: none of these compile (each is
/// a case of Flask's that sends a broken header or raises at run time).
///
/// ```compile_fail
/// # let mut response = phial::make_response("");
/// response.set_cookie("k", "v").secure("yes"); // Flask: `Secure=yes`
/// ```
///
/// ```compile_fail
/// # let mut response = phial::make_response("");
/// response.set_cookie("k", "v").max_age("3600"); // Flask: TypeError
/// ```
///
/// ```compile_fail
/// # let mut response = phial::make_response("");
/// response.set_cookie("k", "v").expires("garbage"); // Flask: `Expires=garbage`
/// ```
///
/// ```compile_fail
/// # let mut response = phial::make_response("");
/// response.set_cookie("k", "v").same_site("Foo"); // Flask: ValueError
/// ```
///
/// ```compile_fail
/// # let mut response = phial::make_response("");
/// response.set_cookie("k", 123); // Flask: TypeError
/// ```
///
/// Nothing is checked until the response is sent: see
/// [`Response::set_cookie`](crate::Response::set_cookie) for what makes a
/// cookie a programming error (500) and what only earns a warning.
#[derive(Clone, Debug)]
pub struct SetCookie {
    /// Inline up to 24 bytes: most names and many values cost no
    /// allocation.
    pub(super) name: CompactString,
    pub(super) value: CompactString,
    pub(super) max_age: Option<i64>,
    pub(super) expires: Option<OffsetDateTime>,
    pub(super) scope: Scope,
    pub(super) http_only: bool,
    /// Which scope attributes a setter was called for (see [`Told`]).
    pub(super) told: u8,
    pub(super) removal: bool,
    /// Signed or encrypted with the app's key when sent.
    pub(crate) kind: super::secure::Kind,
}

/// The attributes that decide *which* cookie a browser stores or removes:
/// a deletion must repeat them to hit the cookie.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Scope {
    /// `Cow`: the default `/` costs no allocation per cookie.
    pub(crate) path: Option<Cow<'static, str>>,
    pub(crate) domain: Option<String>,
    pub(crate) secure: bool,
    pub(crate) same_site: Option<SameSite>,
    pub(crate) partitioned: bool,
}

impl Default for Scope {
    fn default() -> Self {
        Self {
            path: Some(Cow::Borrowed("/")),
            domain: None,
            secure: false,
            same_site: None,
            partitioned: false,
        }
    }
}

impl Scope {
    /// Whether this is what a cookie gets when no setter is called: `Path=/`
    /// and nothing else.
    pub(crate) fn is_default(&self) -> bool {
        self.path.as_deref() == Some("/")
            && self.domain.is_none()
            && !self.secure
            && self.same_site.is_none()
            && !self.partitioned
    }
}

/// Bits of [`SetCookie::told`].
pub(crate) struct Told;

impl Told {
    pub(crate) const PATH: u8 = 1;
    pub(crate) const DOMAIN: u8 = 2;
    pub(crate) const SECURE: u8 = 4;
    pub(crate) const SAME_SITE: u8 = 8;
    pub(crate) const PARTITIONED: u8 = 16;
}

impl SetCookie {
    pub(crate) fn new(name: impl Into<CompactString>, value: impl Into<CompactString>) -> Self {
        Self {
            name: name.into(),
            value: value.into(),
            max_age: None,
            expires: None,
            scope: Scope::default(),
            http_only: false,
            told: 0,
            removal: false,
            kind: super::secure::Kind::Plain,
        }
    }

    /// A removal: empty value, `Expires` in 1970 and `Max-Age=0`, as Flask's
    /// `delete_cookie` sends.
    /// Whether the cookie is sent with `Secure` (set, or implied by
    /// `Partitioned`) as the response stands, before the app's defaults
    /// are applied to a removal.
    pub(crate) fn is_secure(&self) -> bool {
        self.scope.secure || self.scope.partitioned
    }

    pub(crate) fn removal(name: impl Into<CompactString>) -> Self {
        Self {
            max_age: Some(0),
            expires: Some(OffsetDateTime::UNIX_EPOCH),
            removal: true,
            ..Self::new(name, CompactString::const_new(""))
        }
    }

    /// The cookie's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The cookie's value, before encoding (empty for a removal); for a
    /// signed or private cookie, the value before it is signed or encrypted.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// Whether the value is signed when sent
    /// ([`set_signed_cookie`](crate::Response::set_signed_cookie)).
    pub fn is_signed(&self) -> bool {
        matches!(
            self.kind,
            super::secure::Kind::Signed | super::secure::Kind::Presigned
        )
    }

    /// Whether the value is encrypted when sent
    /// ([`set_private_cookie`](crate::Response::set_private_cookie)).
    pub fn is_private(&self) -> bool {
        self.kind == super::secure::Kind::Private
    }

    /// Whether this removes the cookie (made by
    /// [`delete_cookie`](crate::Response::delete_cookie)).
    pub fn is_removal(&self) -> bool {
        self.removal
    }

    /// Keeps the cookie for this long (`Max-Age`): whole seconds as an
    /// integer, a [`time::Duration`] or a [`std::time::Duration`] (fractions
    /// of a second are dropped, as Flask does for a `timedelta`).
    ///
    /// Unless [`expires`](Self::expires) is given too, `Expires` is set to
    /// now plus the age when the response is sent, as Flask does, for
    /// clients that predate `Max-Age`. Zero or less deletes the cookie.
    /// Browsers cap ages at 400 days; a longer one logs a warning.
    ///
    /// ```
    /// # let mut response = phial::make_response("");
    /// response.set_cookie("a", "1").max_age(3600);
    /// response.set_cookie("b", "1").max_age(time::Duration::days(30));
    /// response.set_cookie("c", "1").max_age(std::time::Duration::from_secs(60));
    /// ```
    pub fn max_age(&mut self, age: impl MaxAge) -> &mut Self {
        self.max_age = Some(age.whole_seconds());
        self
    }

    /// Expires the cookie at this instant (`Expires`): a
    /// [`time::OffsetDateTime`] (any offset; sent in GMT) or a
    /// [`std::time::SystemTime`].
    ///
    /// ```
    /// # let mut response = phial::make_response("");
    /// use time::macros::datetime;
    /// response.set_cookie("a", "1").expires(datetime!(2030-01-01 12:30:45 UTC));
    /// response.set_cookie("b", "1").expires(std::time::SystemTime::now());
    /// ```
    pub fn expires(&mut self, at: impl Into<OffsetDateTime>) -> &mut Self {
        self.expires = Some(at.into());
        self
    }

    /// Limits the cookie to URLs under `path` (default `/`); `None` sends no
    /// `Path`, so the browser uses the directory of the request URL.
    ///
    /// A path holding `;`, a control character or a non-ASCII character is
    /// a programming error: the response fails with 500.
    ///
    /// ```
    /// # let mut response = phial::make_response("");
    /// response.set_cookie("cart", "3").path("/shop");
    /// response.set_cookie("here", "1").path(None);
    /// ```
    pub fn path(&mut self, path: impl OptionalText) -> &mut Self {
        self.scope.path = path.into_option().map(Cow::Owned);
        self.told |= Told::PATH;
        self
    }

    /// Sends the cookie to `domain` and its subdomains (default: `None`, the
    /// host that set it only). As in Flask, a leading dot and a `:port` are
    /// dropped.
    ///
    /// A domain that is not a host name (`;`, `:`, spaces, non-ASCII: write
    /// the `xn--` form) is a programming error: the response fails with 500.
    pub fn domain(&mut self, domain: impl OptionalText) -> &mut Self {
        self.scope.domain = domain.into_option();
        self.told |= Told::DOMAIN;
        self
    }

    /// Sends the cookie over HTTPS only (`Secure`).
    pub fn secure(&mut self, secure: bool) -> &mut Self {
        self.scope.secure = secure;
        self.told |= Told::SECURE;
        self
    }

    /// Hides the cookie from JavaScript (`HttpOnly`).
    pub fn http_only(&mut self, http_only: bool) -> &mut Self {
        self.http_only = http_only;
        self
    }

    /// Restricts the cookie on cross-site requests (`SameSite`); `None`
    /// (Rust's, not [`SameSite::None`]) sends no attribute.
    /// `SameSite::None` without [`secure`](Self::secure) logs a warning:
    /// browsers drop such a cookie.
    ///
    /// ```
    /// # let mut response = phial::make_response("");
    /// use phial::SameSite;
    /// response.set_cookie("a", "1").same_site(SameSite::Strict);
    /// response.set_cookie("b", "1").same_site(SameSite::None).secure(true);
    /// response.set_cookie("c", "1").same_site(None);
    /// ```
    pub fn same_site(&mut self, same_site: impl Into<Option<SameSite>>) -> &mut Self {
        self.scope.same_site = same_site.into();
        self.told |= Told::SAME_SITE;
        self
    }

    /// Keys the cookie to the top-level site it is embedded in (CHIPS,
    /// `Partitioned`). Implies `Secure`, as in Flask.
    pub fn partitioned(&mut self, partitioned: bool) -> &mut Self {
        self.scope.partitioned = partitioned;
        self.told |= Told::PARTITIONED;
        self
    }

    /// Fills the scope attributes no setter was called for from `from` (what
    /// the app used when it set this cookie name).
    pub(crate) fn inherit(&mut self, from: &Scope) {
        let told = self.told;
        let scope = &mut self.scope;
        if told & Told::PATH == 0 {
            scope.path.clone_from(&from.path);
        }
        if told & Told::DOMAIN == 0 {
            scope.domain.clone_from(&from.domain);
        }
        if told & Told::SECURE == 0 {
            scope.secure = from.secure;
        }
        if told & Told::SAME_SITE == 0 {
            scope.same_site = from.same_site;
        }
        if told & Told::PARTITIONED == 0 {
            scope.partitioned = from.partitioned;
        }
    }
}
