//! What `App::run` prints as it starts serving, as Flask's development
//! server does:
//!
//! ```text
//!  * Serving phial app 'flaskr'
//!  * Debug mode: off
//!  * Running on http://127.0.0.1:5000
//! Press CTRL+C to quit
//! ```

use std::net::SocketAddr;

/// The app's name: its binary's, as Flask names the app it imports.
pub(crate) fn app_name() -> String {
    std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.file_stem()?.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "app".to_owned())
}

/// Prints the banner for an app serving on `local`.
pub(crate) fn print_banner(local: SocketAddr, debug: bool) {
    eprintln!(" * Serving phial app '{}'", app_name());
    eprintln!(" * Debug mode: {}", if debug { "on" } else { "off" });
    if debug {
        eprintln!(
            "WARNING: debug mode shows your code, and each failing request's cookies and \
             session, to whoever gets an error page. Never use it in a production deployment."
        );
    }
    eprintln!(" * Running on http://{local}\nPress CTRL+C to quit");
}
