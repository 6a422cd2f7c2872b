//! `#[phial::main(...)]` with Flask's constructor settings. The served
//! `main` sits in a module, so this test's own `main` returns.
mod served {
    use phial::prelude::*;

    #[route("/")]
    fn index() -> &'static str {
        "index"
    }

    #[phial::main(
        template_folder = concat!(env!("CARGO_MANIFEST_DIR"), "/templates"),
        static_folder = std::path::Path::new("public"),
        static_url_path = "/assets",
        instance_path = "/tmp/instance",
    )]
    async fn main() {}

    pub fn served() -> fn() -> Result<(), phial::Error> {
        main
    }
}

fn main() {
    let _ = served::served();
}
