//! The seed app as users build and run it: examples/cookies.rs itself,
//! default features, served as its `#[phial::main]` serves it (`App::run`
//! with its access log; bench/run.sh sends stdout to a file, and
//! `RUST_LOG=warn` turns the log off). The address is the first argument.

#[allow(dead_code)]
#[path = "../../../examples/cookies.rs"]
mod seed;

fn main() -> Result<(), phial::Error> {
    // What `#[phial::main]` expands to, for the seed's module.
    let app = phial::App::new().discover(concat!(module_path!(), "::seed"));
    phial::__private::run_main(app)
}
