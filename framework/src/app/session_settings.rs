//! The app's session settings: the builder methods that set them (Flask's
//! `SECRET_KEY`, `SESSION_COOKIE_*`, `PERMANENT_SESSION_LIFETIME`).

use crate::app::config::defaults::{optional, same_site};
use crate::app::config::Value;
use crate::http_core::cookies::{MaxAge, OptionalText, SameSite};
use crate::web::sessions::{ServerSessions, SessionSettings};
use crate::App;

#[cfg_attr(docsrs, doc(cfg(feature = "sessions")))]
impl App {
    fn sessions_mut(&mut self) -> &mut SessionSettings {
        std::sync::Arc::make_mut(&mut self.inner_mut().sessions)
    }

    /// The secret key that signs the session and signed cookies and
    /// encrypts private cookies (Flask's `SECRET_KEY`): at least 32 bytes of
    /// random data. Signing and encryption keys are derived from it with
    /// HKDF-SHA256. Without this call, [`App::new`] reads `PHIAL_SECRET_KEY`.
    ///
    /// Without any key, a debug build uses a random key (sessions won't
    /// survive a restart, and the log says so) and a release build answers
    /// 500 to any request that uses the session or a signed or private
    /// cookie, with a log line saying how to set one.
    ///
    /// ```
    /// use phial::App;
    ///
    /// let app = App::new().secret_key(phial::generate_secret_key());
    /// ```
    ///
    /// # Panics
    ///
    /// If `key` is shorter than 32 bytes; the message says how to make one
    /// (`cargo run -p phial --example secret_key`).
    #[must_use = "the app does nothing until it is run or served"]
    pub fn secret_key(mut self, key: impl AsRef<[u8]>) -> Self {
        self.sessions_mut().keys.set_current(key.as_ref());
        match std::str::from_utf8(key.as_ref()) {
            Ok(text) => self.show_setting("SECRET_KEY", text.into()),
            // Bytes that aren't text can't be shown.
            Err(_) => drop(self.inner_mut().settings.remove("SECRET_KEY")),
        }
        self
    }

    /// Former secret keys, for a key rotation (Flask's
    /// `SECRET_KEY_FALLBACKS`): sessions and cookies signed or encrypted
    /// with one of them still read, and are written back with the current
    /// key. Remove a fallback once sessions made with it have expired.
    /// Without this call, [`App::new`] reads them from
    /// `PHIAL_SECRET_KEY_FALLBACKS`, separated by commas.
    ///
    /// ```
    /// # let (new, old) = (phial::generate_secret_key(), phial::generate_secret_key());
    /// let app = phial::App::new().secret_key(new).secret_key_fallbacks([old]);
    /// ```
    ///
    /// # Panics
    ///
    /// If a key is shorter than 32 bytes.
    #[must_use = "the app does nothing until it is run or served"]
    pub fn secret_key_fallbacks<K: AsRef<[u8]>>(
        mut self,
        keys: impl IntoIterator<Item = K>,
    ) -> Self {
        let keys: Vec<K> = keys.into_iter().collect();
        self.sessions_mut()
            .keys
            .set_fallbacks(keys.iter().map(AsRef::as_ref));
        let shown: Vec<Value> = keys
            .iter()
            .map(|key| String::from_utf8_lossy(key.as_ref()).into_owned().into())
            .collect();
        self.show_setting("SECRET_KEY_FALLBACKS", Value::Array(shown));
        self
    }

    /// The name of the session cookie (default `session`).
    ///
    /// # Panics
    ///
    /// If `name` is empty.
    #[must_use = "the app does nothing until it is run or served"]
    pub fn session_cookie_name(mut self, name: &str) -> Self {
        assert!(!name.is_empty(), "the session cookie needs a name");
        self.sessions_mut().cookie_name = name.to_owned();
        self.show_setting("SESSION_COOKIE_NAME", name.into());
        self
    }

    /// The session cookie's `Domain` (default none: the host that set it).
    #[must_use = "the app does nothing until it is run or served"]
    pub fn session_cookie_domain(mut self, domain: impl OptionalText) -> Self {
        self.sessions_mut().domain = domain.into_option();
        let shown = optional(self.inner.sessions.domain.as_deref());
        self.show_setting("SESSION_COOKIE_DOMAIN", shown);
        self
    }

    /// The session cookie's `Path` (default `/`).
    #[must_use = "the app does nothing until it is run or served"]
    pub fn session_cookie_path(mut self, path: impl OptionalText) -> Self {
        self.sessions_mut().path = path.into_option();
        let shown = optional(self.inner.sessions.path.as_deref());
        self.show_setting("SESSION_COOKIE_PATH", shown);
        self
    }

    /// Whether the session cookie is sent over HTTPS only (`Secure`,
    /// default off; turn it on in production behind HTTPS).
    #[must_use = "the app does nothing until it is run or served"]
    pub fn session_cookie_secure(mut self, secure: bool) -> Self {
        self.sessions_mut().secure = secure;
        self.show_setting("SESSION_COOKIE_SECURE", secure.into());
        self
    }

    /// Whether the session cookie is hidden from JavaScript (`HttpOnly`,
    /// default on).
    #[must_use = "the app does nothing until it is run or served"]
    pub fn session_cookie_http_only(mut self, http_only: bool) -> Self {
        self.sessions_mut().http_only = http_only;
        self.show_setting("SESSION_COOKIE_HTTPONLY", http_only.into());
        self
    }

    /// The session cookie's `SameSite` (default `Lax`; `None`, Rust's,
    /// sends no attribute).
    #[must_use = "the app does nothing until it is run or served"]
    pub fn session_cookie_same_site(mut self, same_site: impl Into<Option<SameSite>>) -> Self {
        let same_site = same_site.into();
        self.sessions_mut().same_site = same_site;
        self.show_setting("SESSION_COOKIE_SAMESITE", self::same_site(same_site));
        self
    }

    /// How long a session lasts (default 31 days): a
    /// [permanent](crate::Session::set_permanent) session's cookie gets this
    /// `Max-Age`, and any session cookie older than this, counted from when
    /// it was last written, reads as empty whatever the browser sends.
    #[must_use = "the app does nothing until it is run or served"]
    pub fn permanent_session_lifetime(mut self, lifetime: impl MaxAge) -> Self {
        let seconds = lifetime.whole_seconds();
        self.sessions_mut().lifetime = time::Duration::seconds(seconds);
        self.show_setting("PERMANENT_SESSION_LIFETIME", seconds.into());
        self
    }

    /// Keeps sessions in Redis at `url` (`redis://127.0.0.1:6379/0`, with
    /// `user:password@` if it needs them; `rediss://` is not built in): the
    /// session cookie holds only a random id signed with the secret key,
    /// the values live in Redis under `session:<id>`. Sessions may then
    /// hold more than a cookie's 4 KB, [`clear`](crate::Session::clear)
    /// (a logout) deletes the record so a copy of the old cookie reads
    /// nothing, and [`regenerate`](crate::Session::regenerate) moves the
    /// values to a new id. Any number of app instances sharing the Redis
    /// and the secret key serve the same users.
    ///
    /// Records expire after the [session lifetime](Self::permanent_session_lifetime)
    /// without use; a permanent session's expiry is renewed by each request
    /// that uses it (see [`session_refresh_each_request`](Self::session_refresh_each_request)).
    ///
    /// Nothing connects until a request uses its session; a request that
    /// doesn't never waits for Redis. When Redis can't be reached, a
    /// request that uses its session is answered 503 with a log line (its
    /// handler never sees an empty session in place of the user's).
    ///
    /// Without this call, [`App::new`] reads `REDIS_URL`; the config key is
    /// `SESSION_REDIS_URL`.
    ///
    /// ```no_run
    /// let app = phial::App::new().session_redis("redis://127.0.0.1:6379/0");
    /// ```
    ///
    /// # Panics
    ///
    /// If `url` is no Redis URL; the message says what is wrong with it.
    #[cfg(feature = "redis-sessions")]
    #[cfg_attr(docsrs, doc(cfg(feature = "redis-sessions")))]
    #[must_use = "the app does nothing until it is run or served"]
    pub fn session_redis(self, url: &str) -> Self {
        self.try_session_redis(url)
            .unwrap_or_else(|error| panic!("App::session_redis: {error}"))
    }

    /// [`session_redis`](Self::session_redis), or why `url` is no Redis URL.
    #[cfg(feature = "redis-sessions")]
    pub(crate) fn try_session_redis(mut self, url: &str) -> Result<Self, String> {
        let backend = crate::web::sessions::RedisBackend::new(url)?;
        self.sessions_mut().server = Some(ServerSessions::new(backend));
        self.sessions_mut().invalid_redis_url = None;
        self.show_setting("SESSION_REDIS_URL", url.into());
        Ok(self)
    }

    /// Keeps sessions in this process's memory, as `session_redis`
    /// (feature `redis-sessions`) keeps them in Redis: the
    /// cookie holds a signed id, the values stay on the server. For tests
    /// of an app that runs on Redis, and for a single instance that wants
    /// sessions of any size and logouts that end them; sessions are lost
    /// when the process stops and are not shared between instances.
    ///
    /// ```
    /// let app = phial::App::new().session_in_memory();
    /// ```
    #[must_use = "the app does nothing until it is run or served"]
    pub fn session_in_memory(mut self) -> Self {
        let backend = crate::web::sessions::MemoryBackend::default();
        self.sessions_mut().server = Some(ServerSessions::new(backend));
        self.sessions_mut().invalid_redis_url = None;
        self
    }

    /// Whether each request that uses a permanent server-side session
    /// renews its expiry and resends its cookie (Flask's
    /// `SESSION_REFRESH_EACH_REQUEST`, default on): a permanent session
    /// then ends after the [lifetime](Self::permanent_session_lifetime)
    /// without use rather than after it was last changed. Signed-cookie
    /// sessions are sent back only when they change.
    #[must_use = "the app does nothing until it is run or served"]
    pub fn session_refresh_each_request(mut self, refresh: bool) -> Self {
        self.sessions_mut().refresh_each_request = refresh;
        self.show_setting("SESSION_REFRESH_EACH_REQUEST", refresh.into());
        self
    }
}

/// A release build without a secret key: nothing said at start, one error
/// at the first request that needs a key (release behaviour forced, as
/// these tests run in a debug build).
#[cfg(all(test, feature = "test-client"))]
mod tests {
    use http::StatusCode;

    use crate::http_core::secret::Keys;
    use crate::{route, App, Request};

    #[route("/")]
    fn index() -> &'static str {
        "no session here"
    }

    #[route("/count")]
    fn count(request: &Request) -> String {
        let visits: i64 = request.session.get("visits", 0i64) + 1;
        request.session.insert("visits", visits);
        visits.to_string()
    }

    /// `app` with no secret key, behaving as a release build.
    fn without_key_as_release(mut app: App) -> App {
        let mut keys = Keys::default();
        keys.as_release = true;
        app.sessions_mut().keys = keys;
        app
    }

    /// The lines logged while `run` runs on this thread.
    fn logged<T>(run: impl FnOnce() -> T) -> (T, String) {
        let lines = crate::http_core::written::Written::default();
        let writer = lines.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::INFO)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        let result = tracing::subscriber::with_default(subscriber, run);
        (result, lines.text())
    }

    fn block_on<F: std::future::Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(future)
    }

    #[test]
    fn an_app_without_a_key_that_uses_no_session_starts_without_an_error() {
        let app = without_key_as_release(App::new().route(index));
        let (status, log) = logged(|| {
            block_on(async {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                let addr = listener.local_addr().unwrap();
                let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
                let server = tokio::spawn(app.serve_with_shutdown(listener, async {
                    stopped.await.ok();
                }));
                let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
                let request = b"GET / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n";
                tokio::io::AsyncWriteExt::write_all(&mut stream, request)
                    .await
                    .unwrap();
                let mut answer = Vec::new();
                tokio::io::AsyncReadExt::read_to_end(&mut stream, &mut answer)
                    .await
                    .unwrap();
                stop.send(()).unwrap();
                server.await.unwrap();
                String::from_utf8_lossy(&answer).into_owned()
            })
        });
        assert!(status.starts_with("HTTP/1.1 200"), "{status}");
        assert!(!log.contains("ERROR"), "{log}");
        assert!(!log.contains("secret key"), "{log}");
    }

    #[test]
    fn a_session_without_a_key_is_a_500_and_one_error_saying_how_to_set_a_key() {
        let client = without_key_as_release(App::new().route(count)).test_client();
        let (statuses, log) = logged(|| {
            block_on(async {
                let first = client.get("/count").await.status();
                let second = client.get("/count").await.status();
                [first, second]
            })
        });
        assert_eq!(statuses, [StatusCode::INTERNAL_SERVER_ERROR; 2], "{log}");
        let explained: Vec<&str> = log
            .lines()
            .filter(|line| line.contains("App::secret_key("))
            .collect();
        assert_eq!(explained.len(), 1, "{log}");
        assert!(explained[0].contains("ERROR"), "{log}");
        assert!(explained[0].contains("answered 500"), "{log}");
    }
}
