//! phial in the tower ecosystem (features `tower` and `compression`): the
//! app as a tower `Service` under other servers, wrapped in tower layers
//! when phial serves it, and compression. Its own binary: `.ci/run` runs it
//! with `--features compression`.

#[allow(dead_code)]
#[path = "../support.rs"]
mod support;

mod compression;
mod examples;
mod service;
mod shutdown;
