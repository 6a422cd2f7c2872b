//! The static-file path resolver `safe_join`: a joined path stays under the
//! base directory, made of plain components only; a refusal is for one of
//! the documented reasons.
#![no_main]

use std::path::{Component, Path};

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let name = String::from_utf8_lossy(data);
    let base = Path::new("/srv/app/static");
    match phial::safe_join(base, &name) {
        Some(joined) => {
            let rest = joined
                .strip_prefix(base)
                .unwrap_or_else(|_| panic!("{name:?} left the base: {joined:?}"));
            for component in rest.components() {
                let Component::Normal(part) = component else {
                    panic!("{name:?} joined with {component:?}: {joined:?}");
                };
                let part = part.to_string_lossy();
                assert!(
                    part != ".." && !part.contains(['\\', '\0', '/']),
                    "{part:?}"
                );
            }
            assert!(!joined.components().any(|c| c == Component::ParentDir));
        }
        None => assert!(
            name.is_empty()
                || name.contains(['\\', '\0'])
                || name.starts_with('/')
                || name.split('/').any(|part| part == ".."),
            "{name:?} refused for no documented reason"
        ),
    }
});
