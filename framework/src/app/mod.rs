//! The app: the `App` builder and its state, routing, dispatch (hooks,
//! handlers, error pages), endpoints and typed arguments, blueprints,
//! config, lifecycle hooks, the debug page, the test client and serving.

pub(crate) mod application;
pub(crate) mod banner;
pub(crate) mod blueprint;
mod builtin_settings;
#[cfg(feature = "cli")]
pub(crate) mod cli;
pub mod config;
pub(crate) mod cross_origin;
pub(crate) mod debug;
pub(crate) mod discover;
pub(crate) mod dispatch;
pub(crate) mod endpoint;
pub mod extract;
mod folders;
mod handling;
pub(crate) mod hooks;
pub(crate) mod lifecycle;
mod limits;
pub(crate) mod origin_check;
mod panicked;
mod proxy;
#[cfg(all(feature = "reload", unix))]
mod reload;
pub(crate) mod request_hooks;
mod respond;
pub(crate) mod returned;
pub(crate) mod routing;
pub(crate) mod serve;
#[cfg(feature = "sessions")]
pub(crate) mod session_settings;
#[cfg(feature = "test-client")]
pub(crate) mod test_client;
#[cfg(feature = "tower")]
pub(crate) mod tower;
