//! End-to-end tests in a real browser: headless Chromium, driven through
//! chromedriver, against phial's real server on 127.0.0.1. Behind the
//! `browser-tests` feature:
//!
//! ```text
//! apt-get install chromium chromium-driver
//! cargo test -p phial --features browser-tests --test browser
//! ```
//!
//! A small runner of its own (`harness = false`) so the run starts one
//! chromedriver, closes every browser session even when its test panics,
//! and stops the driver at the end. Arguments that don't start with `-`
//! filter tests by name, as with libtest; `--list` lists them;
//! `--include-ignored` also runs the slow ones (`--ignored`: only those).

use std::future::Future;
use std::pin::Pin;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;

mod attributes;
mod csrf;
mod debug_page;
mod driver;
mod seed;
mod session;
mod sites;
#[allow(dead_code)]
#[path = "../support.rs"]
mod support;
mod values;

use driver::{Browser, Chromedriver};

type TestFuture = Pin<Box<dyn Future<Output = ()> + Send>>;

/// A test: a name and an async function given a fresh browser; a slow
/// one runs only when asked (`--include-ignored` or `--ignored`).
struct Test {
    name: &'static str,
    run: fn(Browser) -> TestFuture,
    slow: bool,
}

macro_rules! tests {
    ($($(#[$slow:ident])? $path:path),* $(,)?) => {
        vec![$(Test {
            name: stringify!($path),
            run: |browser| Box::pin($path(browser)),
            slow: false $(|| stringify!($slow) == "slow")?,
        }),*]
    };
}

fn all() -> Vec<Test> {
    tests![
        csrf::forged_post_from_another_origin_is_refused_and_own_forms_work,
        csrf::without_protection_the_forged_post_goes_through,
        debug_page::debug_page_shows_the_failing_line_and_the_request,
        seed::visiting_index_then_user_says_hello_bob,
        seed::fresh_profile_says_hello_guest,
        seed::login_form_post_welcomes_admin,
        seed::login_form_post_refuses_wrong_password,
        session::session_login_private_page_and_logout,
        attributes::http_only_cookie_is_sent_but_hidden_from_scripts,
        attributes::path_cookie_is_sent_only_under_its_path,
        attributes::max_age_cookie_is_gone_after_it_expires,
        attributes::expires_in_the_past_is_never_stored,
        attributes::delete_cookie_removes_it,
        attributes::delete_cookie_from_another_path_removes_a_path_cookie,
        sites::strict_cookie_is_not_sent_from_another_site,
        sites::lax_cookie_is_sent_on_cross_site_link_but_not_on_cross_site_post,
        #[slow]
        sites::cookie_without_same_site_is_lax_after_2_minutes,
        sites::cross_site_frame_gets_no_cookies_at_all,
        sites::same_site_page_gets_every_cookie,
        sites::secure_cookie_from_http_localhost_is_kept,
        sites::secure_cookie_from_http_127_0_0_1_is_kept,
        values::utf8_value_reads_back_byte_for_byte,
        values::script_set_cookie_is_read_by_request_cookies,
    ]
}

/// How many browsers run at once (`PHIAL_BROWSER_JOBS`, default 2).
fn jobs() -> usize {
    std::env::var("PHIAL_BROWSER_JOBS")
        .ok()
        .and_then(|jobs| jobs.parse().ok())
        .filter(|jobs| *jobs > 0)
        .unwrap_or(2)
}

/// A test that takes longer than this is stuck (a slow one: `SLOW_TIMEOUT`).
const TIMEOUT: Duration = Duration::from_secs(90);
const SLOW_TIMEOUT: Duration = Duration::from_secs(240);

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let filters: Vec<&String> = args.iter().filter(|arg| !arg.starts_with('-')).collect();
    let exact = args.iter().any(|arg| arg == "--exact");
    let tests: Vec<Test> = all()
        .into_iter()
        .filter(|test| {
            filters.is_empty()
                || filters.iter().any(|filter| {
                    if exact {
                        test.name == filter.as_str()
                    } else {
                        test.name.contains(filter.as_str())
                    }
                })
        })
        .collect();
    if args.iter().any(|arg| arg == "--list") {
        for test in &tests {
            println!("{}: test", test.name);
        }
        return ExitCode::SUCCESS;
    }
    let include_slow = args.iter().any(|arg| arg == "--include-ignored");
    let only_slow = args.iter().any(|arg| arg == "--ignored");
    let tests = tests.into_iter().filter(|test| test.slow || !only_slow);
    let (tests, skipped): (Vec<Test>, Vec<Test>) =
        tests.partition(|test| !test.slow || include_slow || only_slow);
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    runtime.block_on(run(tests, skipped))
}

async fn run(tests: Vec<Test>, skipped: Vec<Test>) -> ExitCode {
    let started = Instant::now();
    println!("\nrunning {} browser tests", tests.len() + skipped.len());
    for test in &skipped {
        println!(
            "test {} ... ignored, slow: run with `-- --include-ignored`",
            test.name
        );
    }
    let driver = match Chromedriver::start() {
        Ok(driver) => Arc::new(driver),
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    };
    let slots = Arc::new(Semaphore::new(jobs()));
    let mut running = Vec::new();
    for test in tests {
        let (driver, slots) = (driver.clone(), slots.clone());
        running.push(tokio::spawn(async move {
            let _slot = slots.acquire().await.expect("never closed");
            let started = Instant::now();
            let outcome = match driver.browser().await {
                Ok(browser) => {
                    let task = tokio::spawn((test.run)(browser.clone()));
                    let abort = task.abort_handle();
                    let timeout = if test.slow { SLOW_TIMEOUT } else { TIMEOUT };
                    let outcome = match tokio::time::timeout(timeout, task).await {
                        Ok(Ok(())) => Ok(()),
                        Ok(Err(_panicked)) => Err("panicked (message above)".to_owned()),
                        Err(_) => {
                            abort.abort();
                            Err(format!("timed out after {timeout:?}"))
                        }
                    };
                    browser.close().await;
                    outcome
                }
                Err(message) => Err(message),
            };
            let took = started.elapsed().as_secs_f32();
            match &outcome {
                Ok(()) => println!("test {} ... ok ({took:.1}s)", test.name),
                Err(why) => println!("test {} ... FAILED ({took:.1}s): {why}", test.name),
            }
            (test.name, outcome.is_ok())
        }));
    }
    let mut failed = Vec::new();
    let mut passed = 0;
    for test in running {
        match test.await.expect("the runner's task") {
            (_, true) => passed += 1,
            (name, false) => failed.push(name),
        }
    }
    Arc::into_inner(driver)
        .expect("every test has finished")
        .stop();
    let took = started.elapsed().as_secs_f32();
    if failed.is_empty() {
        println!(
            "\ntest result: ok. {passed} passed; 0 failed; {} ignored; finished in {took:.1}s\n",
            skipped.len()
        );
        ExitCode::SUCCESS
    } else {
        println!("\nfailures:");
        for name in &failed {
            println!("    {name}");
        }
        println!(
            "\ntest result: FAILED. {passed} passed; {} failed; {} ignored; finished in {took:.1}s\n",
            failed.len(),
            skipped.len()
        );
        ExitCode::FAILURE
    }
}
