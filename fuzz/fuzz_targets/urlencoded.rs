//! Query-string and form parsing (framework/src/params.rs, form.rs):
//! `request.args`' zero-copy parser agrees with `form_urlencoded` pair for
//! pair; pairs survive a serialize-parse round trip; a form body of any
//! content type is read or refused with a 400, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use phial::__fuzz::{parse_urlencoded, read_form};

const MAX_PAIRS: usize = 100;

// The first byte picks the content type, the rest is the text.
fuzz_target!(|data: &[u8]| {
    let Some((&kind, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);

    // Same pairs as the reference parser, in order, capped.
    let params = parse_urlencoded(&text, MAX_PAIRS);
    let reference: Vec<(String, String)> = form_urlencoded::parse(text.as_bytes())
        .take(MAX_PAIRS)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    assert!(params
        .iter()
        .eq(reference.iter().map(|(k, v)| (k.as_str(), v.as_str()))));

    // Serialized again, the pairs parse back to themselves.
    let encoded = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&reference)
        .finish();
    let again = parse_urlencoded(&encoded, MAX_PAIRS);
    assert!(again
        .iter()
        .eq(reference.iter().map(|(k, v)| (k.as_str(), v.as_str()))));

    // A body under several content types.
    let content_type = match kind % 4 {
        0 => "application/x-www-form-urlencoded".to_owned(),
        1 => "multipart/form-data; boundary=X".to_owned(),
        2 => "text/plain".to_owned(),
        _ => {
            // A fuzzed multipart content type: the first line of the input.
            let line = text.lines().next().unwrap_or_default();
            format!("multipart/form-data; {line}")
        }
    };
    match read_form(&content_type, rest) {
        None => {}
        Some((form, files)) => {
            assert!(form.len() <= 1000 && files.len() <= 1000);
            if kind % 4 == 0 {
                let expected = parse_urlencoded(&text, 1000);
                assert!(form.iter().eq(expected.iter()));
            }
        }
    }
});
