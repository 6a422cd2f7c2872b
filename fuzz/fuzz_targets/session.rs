//! The session decoder (framework/src/session/state.rs, cookies/secure.rs):
//! a cookie value is accepted only when it is exactly what the key signs
//! (no forged, altered or malleable values) and a signed session reads back
//! as what was stored, never under another key.
#![no_main]

use libfuzzer_sys::fuzz_target;
use phial::__fuzz::{decode_session, encode_session, sign_session_value};
use serde_json::{Map, Value};

const KEY: &[u8] = &[7; 64];
const OTHER_KEY: &[u8] = &[9; 64];

// The first byte picks the mode: odd for any value, even for a tampered
// signed one.
fuzz_target!(|data: &[u8]| {
    match data.split_first() {
        Some((mode, rest)) if mode & 1 == 1 => any_value(rest),
        Some((_, rest)) => tampered_value(rest),
        None => {}
    }
});

/// Any value: accepted only if it is `payload.MAC` with the key's MAC, as
/// the key itself writes it.
fn any_value(data: &[u8]) {
    let raw = String::from_utf8_lossy(data).into_owned();
    if decode_session(KEY, &raw).is_some() {
        let (payload, _) = raw.rsplit_once('.').expect("accepted values have a MAC");
        assert_eq!(sign_session_value(KEY, payload), raw, "accepted unsigned");
        assert!(decode_session(OTHER_KEY, &raw).is_none());
    }
}

/// A session the key signed: it reads back; under another key, or changed
/// in any way, it is refused. The input: 2 bytes of position, 1 of edit kind, 1 byte to write, then
/// NUL-separated session keys and values.
fn tampered_value(data: &[u8]) {
    let [a, b, edit, byte, rest @ ..] = data else {
        return;
    };
    let (at, edit, byte) = (u16::from_le_bytes([*a, *b]), *edit, *byte);
    let text = String::from_utf8_lossy(rest).into_owned();
    let mut values = Map::new();
    let mut fields = text.split('\0');
    while let (Some(key), Some(value)) = (fields.next(), fields.next()) {
        values.insert(key.to_owned(), Value::String(value.to_owned()));
    }
    let raw = encode_session(KEY, &values);
    assert_eq!(decode_session(KEY, &raw).as_ref(), Some(&values));
    assert!(decode_session(OTHER_KEY, &raw).is_none());

    let mut bytes = raw.clone().into_bytes();
    let at = usize::from(at) % bytes.len();
    match edit % 3 {
        0 => bytes[at] = byte,
        1 => bytes.insert(at, byte),
        _ => bytes.truncate(at),
    }
    let tampered = String::from_utf8_lossy(&bytes);
    if tampered != raw {
        assert!(
            decode_session(KEY, &tampered).is_none(),
            "accepted {tampered:?}, changed from {raw:?}"
        );
    }
}
