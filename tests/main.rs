//! phial's integration tests: one binary, one module per concept.

mod app;
mod cookies;
mod debug;
mod examples;
mod forms;
mod hooks;
mod quickstart;
mod request;
mod response;
mod routing;
mod server;
mod sessions;
mod sessions_flash;
mod sessions_login;
mod static_files;
mod support;
mod templates;
mod url_for;
mod wire;
