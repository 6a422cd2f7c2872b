//! phial's integration tests: one binary, one module per concept.

mod app;
mod blueprints;
mod cookies;
mod debug;
mod examples;
mod forms;
mod g;
mod hooks;
mod passwords;
mod properties;
mod quickstart;
mod request;
mod response;
mod routing;
mod server;
mod sessions;
mod sessions_flash;
mod sessions_login;
mod set_cookie_grammar;
mod static_files;
mod support;
mod templates;
mod url_for;
mod wire;
