//! Compile-time behaviour of the route macros: every diagnostic has a
//! `fail/*.rs` case with its expected `.stderr`; every feature a `pass/*.rs`.
//!
//! The `.stderr` files depend on the compiler's wording: regenerate them with
//! `TRYBUILD=overwrite cargo test -p phial-macros --test ui` and review the diff.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/pass/*.rs");
    cases.compile_fail("tests/ui/fail/*.rs");
}
