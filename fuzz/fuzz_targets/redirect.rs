//! The redirect-target check (`is_local_redirect`, `redirect_local`): a
//! target called local, and whatever `Location` `redirect_local` sends,
//! resolve (as a browser's WHATWG URL parser does) on the same site.
#![no_main]

use libfuzzer_sys::fuzz_target;
use url::Url;

fuzz_target!(|data: &[u8]| {
    let target = String::from_utf8_lossy(data);
    let base = Url::parse("https://example.com/app/page").expect("a valid base");
    let local = phial::is_local_redirect(&target);
    if local {
        let resolved = base
            .join(&target)
            .unwrap_or_else(|e| panic!("local {target:?} does not resolve: {e}"));
        assert_eq!(
            resolved.origin(),
            base.origin(),
            "local {target:?} -> {resolved}"
        );
    }
    let response = phial::redirect_local(&target, "/fallback");
    let location = response.headers()["location"]
        .to_str()
        .expect("Location is visible ASCII");
    let resolved = base
        .join(location)
        .unwrap_or_else(|e| panic!("Location {location:?} does not resolve: {e}"));
    assert_eq!(resolved.origin(), base.origin(), "{target:?} -> {resolved}");
    if !local {
        assert_eq!(location, "/fallback");
    }
});
