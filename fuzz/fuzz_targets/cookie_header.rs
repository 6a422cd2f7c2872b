//! The `Cookie` header parser (framework/src/cookies/parse.rs), fed raw
//! header bytes as the server reads them.
#![no_main]

use libfuzzer_sys::fuzz_target;
use phial::cookies::MAX_PAIRS;

fuzz_target!(|header: &[u8]| {
    let params = phial::__fuzz::parse_cookie_header(header);
    assert!(params.len() <= MAX_PAIRS);
    for (name, value) in params.iter() {
        // Names are what the header holds between `;` and `=`: never empty,
        // never holding either separator, trimmed of space and tab only.
        assert!(!name.is_empty(), "empty name from {header:?}");
        assert!(!name.contains(['=', ';']), "name {name:?} from {header:?}");
        assert_eq!(name.trim_matches([' ', '\t']), name, "untrimmed {name:?}");
        // The first value of a name is the one `get` returns.
        let first = params.get_all(name).next();
        assert_eq!(params.get(name, None), first);
        // A `;` in a value can only come from a decoded escape (`\073`).
        if value.contains(';') {
            assert!(header.windows(4).any(|w| w == b"\\073") || header.contains(&b'\\'));
        }
    }
    // The public `&str` entry point reads a UTF-8 header the same way.
    if let Ok(text) = std::str::from_utf8(header) {
        let same = phial::Cookies::parse([text]);
        assert!(same.iter().eq(params.iter()));
    }
});
