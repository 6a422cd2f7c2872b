//! An app of `count` routes registered at run time (as `routes!` registers
//! them): half `/section{i}/page`, half `/section{i}/item/<int:id>`.
//! Matching the last of each kind is the worst case. Shared by
//! `benches/dispatch.rs` and the peer comparison in `bench/benches/routes.rs`.

use phial::__private::{Endpoint, Reply, RequestCx, RouteInfo, RouteParams};
use phial::App;

/// A route registered at run time: "static" for a page, "dynamic" for an
/// item.
struct Numbered {
    info: &'static RouteInfo,
}

impl Endpoint for Numbered {
    fn __info(&self) -> &'static RouteInfo {
        self.info
    }

    fn __call<'a>(&'a self, _cx: RequestCx<'a>, params: &RouteParams<'a>) -> Option<Reply<'a>> {
        let id: u32 = params.get(0).parse().ok().unwrap_or(0);
        Some(Reply::ready(if id == 0 { "static" } else { "dynamic" }))
    }
}

/// The app with `count` such routes.
pub fn app(count: usize) -> App {
    let mut app = App::new();
    for i in 0..count {
        let pattern = if i % 2 == 0 {
            format!("/section{i}/page")
        } else {
            format!("/section{i}/item/<int:id>")
        };
        let info = Box::leak(Box::new(RouteInfo {
            name: Box::leak(format!("route{i}").into_boxed_str()),
            pattern: Box::leak(pattern.into_boxed_str()),
            methods: &["GET"],
        }));
        app = app.route(Numbered { info });
    }
    app
}
