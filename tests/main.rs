//! phial's integration tests: one binary, one module per concept.

mod app;
mod cookies;
