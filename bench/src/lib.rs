//! What the four servers share: the address they bind and the page text.

/// The address from the first argument, else 127.0.0.1:8000.
pub fn address() -> String {
    std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8000".to_owned())
}

/// The `/user` page for `username`.
pub fn greeting(username: &str) -> String {
    format!("Hello, {username}!")
}
