//! flaskr, Flask's tutorial app (`examples/flaskr/`), tested as Flask
//! tests it: each `test_*.rs` mirrors the Flask file of the same name,
//! test for test and assertion for assertion. Each test runs on SQLite
//! (`sqlite::test_name`) and on PostgreSQL (`postgres::test_name`, see
//! `conftest.rs` for when that one is skipped).

#[allow(dead_code)]
#[path = "../../examples/flaskr/main.rs"]
pub mod app;
pub mod conftest;
mod pages;
mod test_auth;
mod test_blog;
mod test_db;
mod test_factory;
