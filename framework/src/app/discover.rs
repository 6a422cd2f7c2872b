//! Routes found without listing them: every `#[route]` handler puts itself
//! in a list of the binary it is linked into (the `inventory` crate), and
//! [`App::discover`] registers those of a module when the app starts.

use std::any::TypeId;
use std::collections::HashSet;
use std::sync::Arc;

use super::application::App;
use super::endpoint::Endpoint;
use super::routing::router::Mount;

/// A handler as the route macros list it: where it is defined, and how to
/// make it.
#[doc(hidden)]
pub struct Discovered {
    /// `module_path!()` where the handler is defined.
    pub module: &'static str,
    /// The handler.
    pub endpoint: fn() -> Arc<dyn Endpoint>,
}

inventory::collect!(Discovered);

/// Lists handler `$handler` for [`App::discover`] (the route macros'
/// generated code).
#[doc(hidden)]
#[macro_export]
macro_rules! __discoverable {
    ($handler:ident) => {
        const _: () = {
            fn __phial_endpoint() -> ::std::sync::Arc<dyn $crate::__private::Endpoint> {
                ::std::sync::Arc::new($handler)
            }
            $crate::__private::inventory::submit! {
                $crate::__private::Discovered {
                    module: ::core::module_path!(),
                    endpoint: __phial_endpoint,
                }
            }
        };
    };
}

impl App {
    /// Registers, when the app starts, every handler defined in `module`
    /// or the modules inside it (`module_path!()` names the current one)
    /// that isn't registered otherwise: no list of routes to keep.
    /// [`#[phial::main]`](crate::main) calls it for the binary's root
    /// module, so a small app lists nothing.
    ///
    /// Handlers that a [`Blueprint`](crate::Blueprint) registers are left
    /// to it (under its prefix), whether the blueprint comes before or after
    /// this call; so are those registered with [`route`](Self::route).
    /// Handlers of other modules are not found, so two apps (or two
    /// examples, or two tests) in one binary keep to their own routes.
    ///
    /// ```
    /// mod shop {
    ///     use phial::prelude::*;
    ///
    ///     #[get("/cart")]
    ///     pub fn cart() -> &'static str {
    ///         "empty"
    ///     }
    /// }
    ///
    /// # #[tokio::main] async fn main() {
    /// let app = phial::App::new().discover(concat!(module_path!(), "::shop"));
    /// let client = app.test_client();
    /// assert_eq!(client.get("/cart").await.text(), "empty");
    /// # }
    /// ```
    #[must_use = "the app does nothing until it is run or served"]
    pub fn discover(mut self, module: &'static str) -> Self {
        self.inner_mut().discover.push(module);
        self
    }

    /// The app with the handlers [`discover`](Self::discover) asked for
    /// registered: done once, as the app starts (serving, its command
    /// line, a test client).
    pub(crate) fn with_discovered(mut self) -> Self {
        if self.inner.discover.is_empty() {
            return self;
        }
        let inner = self.inner_mut();
        let modules = std::mem::take(&mut inner.discover);
        let registered: HashSet<TypeId> = inner
            .router
            .routes()
            .map(|route| route.endpoint.__type_id())
            .collect();
        let mut found: Vec<(&'static str, Arc<dyn Endpoint>)> = inventory::iter::<Discovered>
            .into_iter()
            .filter(|handler| {
                modules
                    .iter()
                    .any(|module| is_within(handler.module, module))
            })
            .map(|handler| (handler.module, (handler.endpoint)()))
            .filter(|(_, endpoint)| !registered.contains(&endpoint.__type_id()))
            .collect();
        // The link order is no order: register by module, then pattern.
        found.sort_by_key(|(module, endpoint)| (*module, endpoint.__info().pattern));
        for (_, endpoint) in found {
            inner.add_route(endpoint, Mount::default());
        }
        self
    }
}

/// `#[phial::main]`'s `main`: serves `app` on tokio's multi-thread
/// runtime at [`default_address`](crate::default_address).
#[doc(hidden)]
pub fn run_main(app: App) -> Result<(), crate::Error> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(crate::Error::io)?
        .block_on(app.run(&crate::default_address()))
}

/// Whether module path `path` is `module` or inside it.
fn is_within(path: &str, module: &str) -> bool {
    path.strip_prefix(module)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with("::"))
}

#[cfg(test)]
mod tests {
    use super::is_within;

    #[test]
    fn modules_contain_their_children_only() {
        assert!(is_within("app", "app"));
        assert!(is_within("app::auth", "app"));
        assert!(!is_within("application", "app"));
        assert!(!is_within("app", "app::auth"));
    }
}
