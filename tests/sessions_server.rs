//! Server-side sessions: the cookie holds a signed id, the values stay on
//! the server. Each scenario here runs on the in-memory store, and on Redis
//! in `sessions_redis.rs` (feature `redis-sessions`).

use phial::prelude::*;
use phial::{App, TestClient};

/// A user logs in: a fresh id for the session (against fixation).
#[route("/login", methods = ["POST"])]
pub fn login(request: &Request) -> &'static str {
    request.session.clear();
    request.session.regenerate();
    request.session.insert("user", request.form.get("user", ""));
    if request.form.get("remember", "") == "on" {
        request.session.set_permanent(true);
    }
    "in"
}

#[route("/me")]
pub fn me(request: &Request) -> String {
    request.session.get("user", "nobody")
}

#[route("/logout")]
pub fn logout(request: &Request) -> &'static str {
    request.session.clear();
    "out"
}

/// Stores `size` bytes in the session.
#[route("/big/<int:size>", methods = ["POST"])]
pub fn store_big(request: &Request, size: usize) -> &'static str {
    request.session.insert("big", "x".repeat(size));
    "stored"
}

#[route("/big")]
pub fn read_big(request: &Request) -> String {
    request.session.get("big", "").len().to_string()
}

/// Something for an anonymous visitor: a session without a login.
#[route("/visit")]
pub fn visit(request: &Request) -> String {
    let visits = request.session.get("visits", 0u32) + 1;
    request.session.insert("visits", visits);
    visits.to_string()
}

/// A new id for the session, its values kept.
#[route("/regenerate", methods = ["POST"])]
pub fn regenerate(request: &Request) -> &'static str {
    request.session.regenerate();
    "regenerated"
}

/// Never touches the session.
#[route("/plain")]
pub fn plain() -> &'static str {
    "plain"
}

/// The test app, its sessions kept where `store` says.
pub fn app(store: impl FnOnce(App) -> App) -> App {
    app_with_key(&phial::generate_secret_key(), store)
}

/// The test app with secret key `key`.
pub fn app_with_key(key: &str, store: impl FnOnce(App) -> App) -> App {
    let app = App::new().secret_key(key).routes(routes![
        login, me, logout, store_big, read_big, visit, regenerate, plain
    ]);
    store(app)
}

/// The value of the `session` cookie a response sets, if any.
pub fn session_cookie(response: &phial::TestResponse) -> Option<String> {
    response
        .set_cookie_headers()
        .into_iter()
        .find(|line| line.starts_with("session="))
        .map(str::to_owned)
}

pub async fn log_in(client: &TestClient, user: &str) {
    let response = client.post("/login").form(&[("user", user)]).await;
    assert_eq!(response.status(), StatusCode::OK);
}

pub async fn the_cookie_holds_a_signed_id_and_the_session_may_exceed_4_kb(app: App) {
    let client = app.test_client();
    let response = client.post("/big/20000").await;
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = session_cookie(&response).expect("a session cookie");
    let value = client.get_cookie("session").unwrap();
    // 43 characters of id (256 bits), a dot, 43 of signature.
    assert_eq!(value.len(), 43 + 1 + 43, "{cookie}");
    assert!(!cookie.contains("xxxx"), "{cookie}");
    assert_eq!(client.get("/big").await.text(), "20000");
    // A forged id (the signature of another) reads nothing.
    let (id, signature) = value.split_once('.').unwrap();
    let mut forged = id.to_owned();
    forged.replace_range(0..1, if id.starts_with('A') { "B" } else { "A" });
    client.set_cookie("session", &format!("{forged}.{signature}"));
    assert_eq!(client.get("/big").await.text(), "0");
}

pub async fn logout_deletes_the_record_so_a_copied_cookie_no_longer_logs_in(app: App) {
    let client = app.test_client();
    log_in(&client, "ann").await;
    assert_eq!(client.get("/me").await.text(), "ann");
    let copied = client.get_cookie("session").unwrap();

    let response = client.get("/logout").await;
    let removal = session_cookie(&response).expect("the cookie removed");
    assert!(removal.contains("Max-Age=0"), "{removal}");
    assert_eq!(client.get("/me").await.text(), "nobody");

    let thief = app.test_client();
    thief.set_cookie("session", &copied);
    assert_eq!(thief.get("/me").await.text(), "nobody");
}

pub async fn login_gives_the_session_a_new_id_and_the_planted_one_reads_nothing(app: App) {
    let client = app.test_client();
    assert_eq!(client.get("/visit").await.text(), "1");
    // An attacker who planted this id in the victim's browser...
    let planted = client.get_cookie("session").unwrap();
    log_in(&client, "ann").await;
    let after = client.get_cookie("session").unwrap();
    assert_ne!(planted, after);
    assert_eq!(client.get("/me").await.text(), "ann");
    // ... finds no login under it.
    let attacker = app.test_client();
    attacker.set_cookie("session", &planted);
    assert_eq!(attacker.get("/me").await.text(), "nobody");
}

pub async fn regenerate_moves_the_values_to_a_new_id_and_the_old_one_reads_nothing(app: App) {
    let client = app.test_client();
    assert_eq!(client.get("/visit").await.text(), "1");
    let old = client.get_cookie("session").unwrap();
    let response = client.post("/regenerate").await;
    assert_eq!(response.status(), StatusCode::OK, "{}", response.text());
    assert!(session_cookie(&response).is_some());
    let new = client.get_cookie("session").unwrap();
    assert_ne!(old, new);
    assert_eq!(client.get("/visit").await.text(), "2");
    let other = app.test_client();
    other.set_cookie("session", &old);
    assert_eq!(other.get("/visit").await.text(), "1");
}

pub async fn an_unchanged_session_sends_no_cookie_and_keeps_its_id(app: App) {
    let client = app.test_client();
    assert_eq!(client.get("/visit").await.text(), "1");
    let id = client.get_cookie("session").unwrap();
    let response = client.get("/me").await;
    assert_eq!(session_cookie(&response), None);
    let response = client.get("/visit").await;
    assert_eq!(response.text(), "2");
    assert_eq!(client.get_cookie("session").unwrap(), id);
    assert_eq!(session_cookie(&client.get("/plain").await), None);
}

pub async fn a_permanent_session_is_renewed_by_each_request_that_uses_it(app: App) {
    let client = app.test_client();
    let response = client
        .post("/login")
        .form(&[("user", "ann"), ("remember", "on")])
        .await;
    let cookie = session_cookie(&response).unwrap();
    assert!(cookie.contains("Max-Age=2678400"), "{cookie}");
    let id = client.get_cookie("session").unwrap();
    // Unchanged, yet its cookie (and record) are renewed.
    let response = client.get("/me").await;
    assert_eq!(response.text(), "ann");
    let renewed = session_cookie(&response).expect("renewed");
    assert!(renewed.contains("Max-Age=2678400"), "{renewed}");
    assert_eq!(client.get_cookie("session").unwrap(), id);
    // A request that doesn't use it renews nothing.
    assert_eq!(session_cookie(&client.get("/plain").await), None);
}

pub async fn without_refresh_each_request_a_permanent_session_is_sent_only_when_changed(app: App) {
    let client = app.session_refresh_each_request(false).test_client();
    client
        .post("/login")
        .form(&[("user", "ann"), ("remember", "on")])
        .await;
    let response = client.get("/me").await;
    assert_eq!(response.text(), "ann");
    assert_eq!(session_cookie(&response), None);
}

pub async fn session_transaction_reads_and_seeds_a_server_side_session(app: App) {
    let client = app.test_client();
    client.session_transaction(|session| session.insert("user", "bob"));
    assert_eq!(client.get("/me").await.text(), "bob");
    let user = client.session_transaction(|session| session.get("user", ""));
    assert_eq!(user, "bob");
}

mod in_memory {
    use super::*;

    fn memory() -> App {
        app(App::session_in_memory)
    }

    #[tokio::test]
    async fn the_cookie_holds_a_signed_id_and_the_session_may_exceed_4_kb() {
        super::the_cookie_holds_a_signed_id_and_the_session_may_exceed_4_kb(memory()).await;
    }

    #[tokio::test]
    async fn logout_deletes_the_record_so_a_copied_cookie_no_longer_logs_in() {
        super::logout_deletes_the_record_so_a_copied_cookie_no_longer_logs_in(memory()).await;
    }

    #[tokio::test]
    async fn login_gives_the_session_a_new_id_and_the_planted_one_reads_nothing() {
        super::login_gives_the_session_a_new_id_and_the_planted_one_reads_nothing(memory()).await;
    }

    #[tokio::test]
    async fn regenerate_moves_the_values_to_a_new_id_and_the_old_one_reads_nothing() {
        super::regenerate_moves_the_values_to_a_new_id_and_the_old_one_reads_nothing(memory())
            .await;
    }

    #[tokio::test]
    async fn regenerate_on_a_signed_cookie_session_keeps_the_values() {
        let client = app(|app| app).test_client();
        assert_eq!(client.get("/visit").await.text(), "1");
        let response = client.post("/regenerate").await;
        assert!(session_cookie(&response).is_some());
        assert_eq!(client.get("/visit").await.text(), "2");
    }

    #[tokio::test]
    async fn an_unchanged_session_sends_no_cookie_and_keeps_its_id() {
        super::an_unchanged_session_sends_no_cookie_and_keeps_its_id(memory()).await;
    }

    #[tokio::test]
    async fn a_permanent_session_is_renewed_by_each_request_that_uses_it() {
        super::a_permanent_session_is_renewed_by_each_request_that_uses_it(memory()).await;
    }

    #[tokio::test]
    async fn without_refresh_each_request_a_permanent_session_is_sent_only_when_changed() {
        super::without_refresh_each_request_a_permanent_session_is_sent_only_when_changed(memory())
            .await;
    }

    #[tokio::test]
    async fn session_transaction_reads_and_seeds_a_server_side_session() {
        super::session_transaction_reads_and_seeds_a_server_side_session(memory()).await;
    }

    #[tokio::test]
    async fn a_cookie_signed_with_another_key_reads_nothing() {
        let client = memory().test_client();
        log_in(&client, "ann").await;
        let cookie = client.get_cookie("session").unwrap();
        let other = memory().test_client();
        other.set_cookie("session", &cookie);
        assert_eq!(other.get("/me").await.text(), "nobody");
    }

    #[tokio::test]
    async fn a_key_rotation_keeps_the_session_and_resigns_its_cookie() {
        let (old, new) = (phial::generate_secret_key(), phial::generate_secret_key());
        let before = app_with_key(&old, App::session_in_memory);
        let client = before.test_client();
        log_in(&client, "ann").await;
        let cookie = client.get_cookie("session").unwrap();
        // The same store, the new key, the old one as a fallback.
        let after = before.secret_key(&new).secret_key_fallbacks([&old]);
        let client = after.test_client();
        client.set_cookie("session", &cookie);
        let response = client.get("/me").await;
        assert_eq!(response.text(), "ann");
        assert!(session_cookie(&response).is_some(), "signed again");
        let resigned = client.get_cookie("session").unwrap();
        assert_ne!(resigned, cookie);
        assert_eq!(
            resigned.split_once('.').unwrap().0,
            cookie.split_once('.').unwrap().0
        );
        // Signed with the current key: not sent again.
        assert_eq!(session_cookie(&client.get("/me").await), None);
        // Without the fallback, the old cookie reads nothing; the new one does.
        let only_new = after.secret_key_fallbacks(Vec::<String>::new());
        let client = only_new.test_client();
        client.set_cookie("session", &cookie);
        assert_eq!(client.get("/me").await.text(), "nobody");
        client.set_cookie("session", &resigned);
        assert_eq!(client.get("/me").await.text(), "ann");
    }

    #[tokio::test]
    async fn session_refresh_each_request_is_a_config_key() {
        let app = App::from_config(phial::Config::new().set("SESSION_REFRESH_EACH_REQUEST", false))
            .unwrap();
        let shown = app.config().value("SESSION_REFRESH_EACH_REQUEST").cloned();
        assert_eq!(shown, Some(false.into()));
        let defaults = App::new();
        let shown = defaults
            .config()
            .value("SESSION_REFRESH_EACH_REQUEST")
            .cloned();
        assert_eq!(shown, Some(true.into()));
    }
}
