//! Password hashes in Werkzeug's format, against hashes the real Werkzeug
//! made and checked (tests/fixtures/werkzeug_password_hashes.json, recorded
//! by tests/fixtures/make_werkzeug_hashes.py).

use phial::prelude::*;
use phial::security::{MAX_PBKDF2_ITERATIONS, MAX_SALT_LENGTH, SALT_CHARS};
use phial::{check_password_hash, generate_password_hash, generate_password_hash_with};
use proptest::prelude::*;
use serde::Deserialize;

#[derive(Deserialize)]
struct Fixture {
    werkzeug_version: String,
    cases: Vec<Case>,
    malformed: Vec<Malformed>,
    phial_made: Vec<PhialMade>,
}

#[derive(Deserialize)]
struct Case {
    method: String,
    password: String,
    hash: String,
    wrong_passwords: Vec<String>,
}

#[derive(Deserialize)]
struct Malformed {
    hash: String,
}

#[derive(Deserialize)]
struct PhialMade {
    password: String,
    hash: String,
    werkzeug_check: serde_json::Value,
    werkzeug_check_wrong: serde_json::Value,
}

fn fixture() -> Fixture {
    let text = include_str!("fixtures/werkzeug_password_hashes.json");
    let fixture: Fixture = serde_json::from_str(text).unwrap();
    assert!(fixture.werkzeug_version.starts_with("3."));
    fixture
}

/// Whether checking the case costs much in a debug build (the default
/// scrypt, or hundreds of thousands of PBKDF2 rounds).
fn costly(case: &Case) -> bool {
    case.method == "scrypt" || case.method.ends_with(":260000")
}

#[test]
fn werkzeug_hashes_check_with_their_password() {
    let fixture = fixture();
    assert!(fixture.cases.len() >= 20);
    for case in &fixture.cases {
        assert!(
            check_password_hash(&case.hash, &case.password),
            "{} for {:?}: {}",
            case.method,
            case.password,
            case.hash
        );
    }
}

#[test]
fn werkzeug_hashes_refuse_wrong_passwords() {
    let fixture = fixture();
    let mut costly_checked = 0;
    for case in &fixture.cases {
        let wrong = if costly(case) {
            // One costly check of a wrong password is enough.
            costly_checked += 1;
            if costly_checked > 1 {
                continue;
            }
            &case.wrong_passwords[..1]
        } else {
            &case.wrong_passwords[..]
        };
        for password in wrong {
            assert!(
                !check_password_hash(&case.hash, password),
                "{} took {password:?}: {}",
                case.method,
                case.hash
            );
        }
    }
}

/// The cheap cases, to tamper with.
fn cheap_case(fixture: &Fixture, method: &str) -> (String, String) {
    let case = fixture
        .cases
        .iter()
        .find(|case| case.method == method)
        .unwrap();
    (case.hash.clone(), case.password.clone())
}

#[test]
fn tampered_werkzeug_hashes_are_false() {
    let fixture = fixture();
    for method in [
        "scrypt:1024:8:1",
        "pbkdf2:sha256:1000",
        "pbkdf2:sha512:2000",
    ] {
        let (hash, password) = cheap_case(&fixture, method);
        assert!(check_password_hash(&hash, &password));
        let (head, digest) = hash.rsplit_once('$').unwrap();
        let (method_part, salt) = head.split_once('$').unwrap();
        let flipped = if digest.starts_with('0') { "1" } else { "0" };
        for tampered in [
            format!("{head}${flipped}{}", &digest[1..]),
            format!("{head}${}", digest.to_uppercase()),
            format!("{head}${}", &digest[..digest.len() - 2]),
            format!("{head}${digest}00"),
            format!("{head}$"),
            format!("{method_part}${salt}x${digest}"),
            format!("{method_part}$${digest}"),
            format!("{method_part}${salt}${digest} "),
        ] {
            assert!(!check_password_hash(&tampered, &password), "{tampered}");
        }
    }
}

#[test]
fn hashes_werkzeug_refuses_are_false_in_phial() {
    for case in fixture().malformed {
        assert!(!check_password_hash(&case.hash, "x"), "{}", case.hash);
    }
}

/// Stored hashes whose parameters would take hours or gigabytes: refused
/// at once (a hang here would hang the test).
#[test]
fn oversized_stored_parameters_are_false_not_a_hang() {
    for hash in [
        "scrypt:1073741824:8:1$salt$00",
        "scrypt:262144:8:1$salt$00",
        "scrypt:32768:8:1000000$salt$00",
        "scrypt:16384:8:64$salt$00",
        "scrypt:2:1073741824:1$salt$00",
        "scrypt:9223372036854775808:8:1$salt$00",
        "scrypt:18446744073709551616:8:1$salt$00",
        "pbkdf2:sha256:10000001$salt$00",
        "pbkdf2:sha512:4294967295$salt$00",
        "pbkdf2:sha256:99999999999999999999999$salt$00",
    ] {
        assert!(!check_password_hash(hash, "x"), "{hash}");
    }
}

fn assert_werkzeug_shape(hash: &str, method: &str, salt_length: usize, digest_length: usize) {
    let mut parts = hash.splitn(3, '$');
    assert_eq!(parts.next(), Some(method), "{hash}");
    let salt = parts.next().unwrap();
    assert_eq!(salt.len(), salt_length, "{hash}");
    assert!(salt.chars().all(|c| SALT_CHARS.contains(c)), "{hash}");
    let digest = parts.next().unwrap();
    assert_eq!(digest.len(), digest_length, "{hash}");
    assert!(
        digest
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
        "{hash}"
    );
}

#[test]
fn phial_hash_has_werkzeug_default_shape_and_checks() {
    let hash = generate_password_hash("pässwörd 密码");
    assert_werkzeug_shape(&hash, "scrypt:32768:8:1", 16, 128);
    assert!(check_password_hash(&hash, "pässwörd 密码"));
    assert!(!check_password_hash(&hash, "passwörd 密码"));
}

#[test]
fn phial_hashes_name_every_parameter_as_werkzeug_does() {
    for (method, written, salt_length, digest_length) in [
        ("scrypt:1024:8:1", "scrypt:1024:8:1", 16, 128),
        ("scrypt:2048:1:4", "scrypt:2048:1:4", 8, 128),
        ("pbkdf2:sha256:1000", "pbkdf2:sha256:1000", 16, 64),
        ("pbkdf2:sha1:10", "pbkdf2:sha1:10", 1, 40),
        ("pbkdf2:sha224:10", "pbkdf2:sha224:10", 16, 56),
        ("pbkdf2:sha384:10", "pbkdf2:sha384:10", 16, 96),
        ("pbkdf2:SHA512:10", "pbkdf2:SHA512:10", 32, 128),
    ] {
        for password in ["", "secret", "with $ and :"] {
            let hash = generate_password_hash_with(password, method, salt_length).unwrap();
            assert_werkzeug_shape(&hash, written, salt_length, digest_length);
            assert!(check_password_hash(&hash, password), "{hash}");
            assert!(!check_password_hash(&hash, "other"), "{hash}");
        }
    }
}

#[test]
fn phial_salts_differ_between_hashes() {
    let first = generate_password_hash_with("same", "pbkdf2:sha256:1", 16).unwrap();
    let second = generate_password_hash_with("same", "pbkdf2:sha256:1", 16).unwrap();
    assert_ne!(first, second);
}

/// Hashes phial made, checked by Werkzeug when the fixture was recorded.
#[test]
fn werkzeug_checked_hashes_phial_made() {
    let made = fixture().phial_made;
    assert!(made.len() >= 3);
    for item in &made {
        assert_eq!(item.werkzeug_check, true, "{}", item.hash);
        assert_eq!(item.werkzeug_check_wrong, false, "{}", item.hash);
        assert!(check_password_hash(&item.hash, &item.password));
    }
}

/// Prints a few phial-made hashes as JSON, for
/// `make_werkzeug_hashes.py --phial FILE`: run with `--ignored --nocapture`.
#[test]
#[ignore = "prints hashes for the fixture generator"]
fn print_phial_hashes() {
    let hashes: Vec<serde_json::Value> = [
        ("correct horse battery staple", "scrypt"),
        ("pässwörd ünïcödé 密码 🔑", "scrypt:1024:8:1"),
        ("", "pbkdf2:sha256:1000"),
        ("with $ dollar : colon", "pbkdf2:sha512:100"),
        ("sha1 still reads", "pbkdf2:sha1:100"),
    ]
    .into_iter()
    .map(|(password, method)| {
        let hash = generate_password_hash_with(password, method, 16).unwrap();
        serde_json::json!({ "password": password, "method": method, "hash": hash })
    })
    .collect();
    println!("{}", serde_json::to_string_pretty(&hashes).unwrap());
}

#[test]
fn oversized_parameters_are_refused_naming_the_limit() {
    for (method, says) in [
        ("scrypt:262144:8:1", "132 MiB"),
        ("scrypt:32768:8:32", "4194304"),
        ("scrypt:65536:1:1", "r of at least 2"),
        ("scrypt:1000:8:1", "power of 2"),
        ("scrypt:64:8:1", "Werkzeug"),
        ("scrypt:1024:8", "3 arguments"),
        ("pbkdf2:sha256:10000001", "10000000"),
        ("pbkdf2:sha256:0", "at least 1"),
        ("pbkdf2:md5:10", "sha256"),
        ("argon2", "`scrypt` and `pbkdf2`"),
    ] {
        let error = generate_password_hash_with("x", method, 16).unwrap_err();
        assert!(error.is_password_hash(), "{method}: {error}");
        let message = error.to_string();
        assert!(message.contains(says), "{method}: {message}");
    }
    assert_eq!(MAX_PBKDF2_ITERATIONS, 10_000_000);
}

#[test]
fn salt_length_is_one_to_the_limit() {
    for length in [0, MAX_SALT_LENGTH + 1] {
        let error = generate_password_hash_with("x", "pbkdf2:sha256:1", length).unwrap_err();
        assert!(error.is_password_hash(), "{error}");
        assert!(error.to_string().contains("salt length"), "{error}");
    }
    for length in [1, MAX_SALT_LENGTH] {
        let hash = generate_password_hash_with("x", "pbkdf2:sha256:1", length).unwrap();
        assert_werkzeug_shape(&hash, "pbkdf2:sha256:1", length, 64);
    }
}

/// flaskr's login: the user table holds a Werkzeug hash; the handler
/// checks the form's password against it.
#[post("/login")]
fn login(request: &Request) -> Response {
    // Werkzeug 3.1.9: generate_password_hash("hunter2", "pbkdf2:sha256:1000").
    let stored = "pbkdf2:sha256:1000$lZNG0jiS2q5PWJVF$\
        8768f6e0b91fa050778a418d5fab1ccd520dce8a36c88b6de6d94adffcccb8c3";
    if check_password_hash(stored, request.form.get("password", "")) {
        make_response("welcome")
    } else {
        make_response((StatusCode::UNAUTHORIZED, "Incorrect password."))
    }
}

#[tokio::test]
async fn login_handler_checks_a_stored_werkzeug_hash() {
    let client = App::new().route(login).test_client();
    let response = client.post("/login").form(&[("password", "hunter2")]).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.text(), "welcome");
    let response = client.post("/login").form(&[("password", "hunter3")]).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

/// Stored hashes that start like a real method and go on with anything.
fn stored_hash() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec![
            "",
            "scrypt:",
            "scrypt:1024:8:",
            "pbkdf2:",
            "pbkdf2:sha256:",
            "pbkdf2:sha1:1",
            "$",
        ]),
        "\\PC{0,24}",
    )
        .prop_map(|(start, rest)| format!("{start}{rest}"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn check_never_panics_on_any_stored_hash(hash in stored_hash(), password in "\\PC{0,16}") {
        let _ = check_password_hash(&hash, &password);
    }

    #[test]
    fn check_never_panics_on_any_text(hash in any::<String>(), password in any::<String>()) {
        prop_assert!(!check_password_hash(&hash, &password));
    }
}
