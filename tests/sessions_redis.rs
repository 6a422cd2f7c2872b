//! Sessions kept in Redis (feature `redis-sessions`): the scenarios of
//! `sessions_server.rs` on a real Redis, its expiry, instances sharing
//! users, and what happens when Redis is out of reach.
//!
//! The Redis is `PHIAL_TEST_REDIS_URL` (`scripts/redis.sh` starts one).
//! Without it, the tests that need it print `skipped: redis (<test>)`;
//! with `CI=true` they fail instead. The tests of an unreachable Redis
//! need none.

use std::io::Write as _;

use phial::prelude::*;
use phial::{App, Config};

use super::sessions_server::{self as scenarios, app, app_with_key, log_in, session_cookie};
use super::support::Logs;

/// The Redis of `PHIAL_TEST_REDIS_URL`, or `None` (after printing that the
/// test is skipped) when there is none; a panic when `CI=true`.
fn redis_url(test: &str) -> Option<String> {
    let url = std::env::var("PHIAL_TEST_REDIS_URL")
        .ok()
        .filter(|url| !url.is_empty());
    if url.is_none() {
        if std::env::var("CI").is_ok_and(|ci| ci == "true") {
            panic!("redis ({test}): PHIAL_TEST_REDIS_URL is not set, and CI=true needs it");
        }
        let _ = writeln!(
            std::io::stderr(),
            "skipped: redis ({test}): PHIAL_TEST_REDIS_URL is not set"
        );
    }
    url
}

/// The test app on the Redis at `url`.
fn on_redis(url: &str) -> App {
    app(|app| app.session_redis(url))
}

/// A Redis URL where nothing listens (a port just freed).
fn nowhere() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("redis://127.0.0.1:{port}/0")
}

/// Runs each shared scenario on Redis.
macro_rules! on_redis {
    ($($scenario:ident),* $(,)?) => {$(
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $scenario() {
            let Some(url) = redis_url(stringify!($scenario)) else { return };
            scenarios::$scenario(on_redis(&url)).await;
        }
    )*};
}

on_redis!(
    the_cookie_holds_a_signed_id_and_the_session_may_exceed_4_kb,
    logout_deletes_the_record_so_a_copied_cookie_no_longer_logs_in,
    login_gives_the_session_a_new_id_and_the_planted_one_reads_nothing,
    regenerate_moves_the_values_to_a_new_id_and_the_old_one_reads_nothing,
    an_unchanged_session_sends_no_cookie_and_keeps_its_id,
    a_permanent_session_is_renewed_by_each_request_that_uses_it,
    without_refresh_each_request_a_permanent_session_is_sent_only_when_changed,
    session_transaction_reads_and_seeds_a_server_side_session,
);

/// The same scenario on the single-threaded runtime a plain
/// `#[tokio::test]` gives: the session's read is waited for without
/// stalling the store's connections.
#[tokio::test]
async fn sessions_work_on_a_single_threaded_runtime() {
    let Some(url) = redis_url("sessions_work_on_a_single_threaded_runtime") else {
        return;
    };
    scenarios::logout_deletes_the_record_so_a_copied_cookie_no_longer_logs_in(on_redis(&url)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instances_sharing_redis_and_the_key_share_users() {
    let Some(url) = redis_url("instances_sharing_redis_and_the_key_share_users") else {
        return;
    };
    let key = phial::generate_secret_key();
    let one = app_with_key(&key, |app| app.session_redis(&url));
    let two = app_with_key(&key, |app| app.session_redis(&url));
    let (one, two) = (one.test_client(), two.test_client());
    log_in(&one, "ann").await;
    two.set_cookie("session", &one.get_cookie("session").unwrap());
    assert_eq!(two.get("/me").await.text(), "ann");
    two.get("/logout").await;
    assert_eq!(one.get("/me").await.text(), "nobody");
}

/// The seconds Redis gives `session:<id>` of the client's cookie.
fn ttl(url: &str, client: &phial::TestClient) -> i64 {
    let cookie = client.get_cookie("session").unwrap();
    let id = cookie.split_once('.').unwrap().0;
    let mut redis = redis::Client::open(url).unwrap().get_connection().unwrap();
    redis::cmd("TTL")
        .arg(format!("session:{id}"))
        .query(&mut redis)
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_expire_after_the_lifetime_renewed_by_use_when_permanent() {
    let Some(url) = redis_url("records_expire_after_the_lifetime_renewed_by_use_when_permanent")
    else {
        return;
    };
    let client = app(|app| app.session_redis(&url).permanent_session_lifetime(1000)).test_client();
    client
        .post("/login")
        .form(&[("user", "ann"), ("remember", "on")])
        .await;
    let fresh = ttl(&url, &client);
    assert!((990..=1000).contains(&fresh), "{fresh}");
    // Most of its life gone...
    let cookie = client.get_cookie("session").unwrap();
    let key = format!("session:{}", cookie.split_once('.').unwrap().0);
    let mut redis = redis::Client::open(url.as_str())
        .unwrap()
        .get_connection()
        .unwrap();
    let _: () = redis::cmd("EXPIRE")
        .arg(&key)
        .arg(5)
        .query(&mut redis)
        .unwrap();
    assert!(ttl(&url, &client) <= 5);
    // ... a request that uses the session renews it.
    assert_eq!(client.get("/me").await.text(), "ann");
    assert!(ttl(&url, &client) >= 990);
    // Gone from Redis, it is gone.
    let _: () = redis::cmd("DEL").arg(&key).query(&mut redis).unwrap();
    assert_eq!(client.get("/me").await.text(), "nobody");
}

/// A valid session cookie for apps with `key`, made by an in-memory twin.
async fn a_signed_session_cookie(key: &str) -> String {
    let twin = app_with_key(key, App::session_in_memory).test_client();
    log_in(&twin, "ann").await;
    twin.get_cookie("session").unwrap()
}

#[tokio::test]
async fn redis_out_of_reach_is_a_503_and_a_log_line_for_requests_that_use_the_session() {
    let (logs, _capturing) = Logs::capture();
    let key = phial::generate_secret_key();
    let cookie = a_signed_session_cookie(&key).await;
    let client = app_with_key(&key, |app| app.session_redis(&nowhere())).test_client();
    client.set_cookie("session", &cookie);

    let response = client.get("/me").await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(session_cookie(&response), None, "the cookie is kept");
    let line = logs.wait_for("answered 503").await;
    assert!(line.contains("ERROR"), "{line}");
    assert!(line.contains("GET /me"), "{line}");
    assert!(line.contains("session store is unavailable"), "{line}");
    assert!(line.contains("Redis at 127.0.0.1:"), "{line}");
    assert!(line.contains("answered 503"), "{line}");
    assert!(!logs.text().contains("panicked on"), "{}", logs.text());

    // A request that doesn't use the session is served as ever.
    let response = client.get("/plain").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.text(), "plain");
    // The cookie is still there for when Redis is back.
    assert_eq!(client.get_cookie("session").unwrap(), cookie);
}

#[tokio::test]
async fn a_session_write_redis_refuses_is_a_503_not_a_lost_change() {
    let (logs, _capturing) = Logs::capture();
    let client = app(|app| app.session_redis(&nowhere())).test_client();
    // No cookie: nothing to read, but the new session can't be kept.
    let response = client.get("/visit").await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(session_cookie(&response), None);
    let line = logs.wait_for("answered 503").await;
    assert!(line.contains("GET /visit"), "{line}");
    assert!(line.contains("could not be saved"), "{line}");
    assert!(line.contains("answered 503 instead of 200"), "{line}");
}

#[tokio::test]
async fn session_redis_url_is_a_config_key_checked_at_start() {
    let error = App::from_config(Config::new().set("SESSION_REDIS_URL", "http://nope"))
        .unwrap_err()
        .to_string();
    assert!(error.contains("SESSION_REDIS_URL"), "{error}");
    assert!(error.contains("no Redis URL"), "{error}");
    let url = nowhere();
    let app = App::from_config(Config::new().set("SESSION_REDIS_URL", url.as_str())).unwrap();
    let shown = app.config().value("SESSION_REDIS_URL").cloned();
    assert_eq!(shown, Some(url.as_str().into()));
}

/// flaskr, unchanged, with `SESSION_REDIS_URL`: its login gives the
/// session a new id, its logout ends it for every copy of the cookie.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flaskr_on_redis_logs_in_under_a_new_id_and_logout_ends_the_session() {
    use super::flaskr::app::{create_app, db::Db};
    let test = "flaskr_on_redis_logs_in_under_a_new_id_and_logout_ends_the_session";
    let Some(url) = redis_url(test) else { return };
    let path =
        std::env::temp_dir().join(format!("phial-flaskr-redis-{}.sqlite", std::process::id()));
    let database = format!("sqlite://{}", path.display());
    Db::connect_lazy(&database)
        .unwrap()
        .init_db()
        .await
        .unwrap();
    let config = Config::new()
        .set("TESTING", true)
        .set("DATABASE", database.as_str())
        .set("SESSION_REDIS_URL", url.as_str());
    let app = create_app(Some(config)).unwrap();
    let client = app.test_client();
    let form = [("username", "ann"), ("password", "pw")];
    let registered = client.post("/auth/register").form(&form).await;
    assert_eq!(registered.status(), StatusCode::FOUND);

    // A session planted before the login...
    client.session_transaction(|session| session.insert("planted", true));
    let planted = client.get_cookie("session").unwrap();
    let response = client.post("/auth/login").form(&form).await;
    assert_eq!(response.header("location"), Some("/"));
    let logged_in = client.get_cookie("session").unwrap();
    assert_ne!(planted, logged_in);
    assert!(client.get("/").await.text().contains("<span>ann</span>"));
    // ... holds no login.
    let attacker = app.test_client();
    attacker.set_cookie("session", &planted);
    assert!(attacker.get("/").await.text().contains("Log In"));

    client.get("/auth/logout").await;
    let thief = app.test_client();
    thief.set_cookie("session", &logged_in);
    let page = thief.get("/").await.text();
    assert!(
        page.contains("Log In") && !page.contains("<span>ann</span>"),
        "{page}"
    );
    drop(std::fs::remove_file(path));
}

/// `REDIS_URL` set to something that is no Redis URL: `App::new` still
/// builds the app, and starting it fails with the reason (a setup error,
/// not a panic). Run in a child process of this test binary, where the
/// variable is set (setting it here would race other threads).
#[test]
fn a_bad_redis_url_is_an_error_at_start() {
    const CHILD: &str = "PHIAL_REDIS_URL_TEST_CHILD";
    if std::env::var_os(CHILD).is_none() {
        let status = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "sessions_redis::a_bad_redis_url_is_an_error_at_start",
                "--test-threads=1",
            ])
            .env(CHILD, "1")
            .env("REDIS_URL", "http://not-redis")
            .status()
            .unwrap();
        assert!(status.success(), "the child process failed");
        return;
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let error = runtime
        .block_on(App::new().run("127.0.0.1:0"))
        .expect_err("a bad REDIS_URL must stop the start");
    assert!(error.is_setup(), "{error}");
    assert!(error.to_string().contains("REDIS_URL"), "{error}");
}
