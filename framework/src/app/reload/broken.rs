//! While the app's build is broken, the reloader answers every request
//! with the compiler's message, as Werkzeug shows a syntax error.

use std::future::Future;
use std::sync::Arc;

use http::StatusCode;

use crate::{App, Response};

/// Serves the compiler's `message` on `listener` until `until` completes;
/// returns what it gave.
pub(super) async fn serve_until<T>(
    listener: &std::net::TcpListener,
    message: String,
    until: impl Future<Output = T> + Send,
) -> T {
    let page = Arc::new(page(&message));
    let served = listener.try_clone().and_then(|listener| {
        listener.set_nonblocking(true)?;
        tokio::net::TcpListener::from_std(listener)
    });
    let Ok(listener) = served else {
        return until.await;
    };
    let app = App::new().errorhandler(404, move |_request, _status| {
        Response::new(page.as_str().to_owned()).with_status(StatusCode::INTERNAL_SERVER_ERROR)
    });
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.serve_with_shutdown(listener, async {
        let _ = stopped.await;
    }));
    let value = until.await;
    let _ = stop.send(());
    let _ = server.await;
    value
}

/// The page: the message, escaped, in the debug page's manner.
fn page(message: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=en>\n<meta charset=utf-8>\n<title>Build failed</title>\n\
         <style>body{{font-family:system-ui,sans-serif;margin:2em}}\
         pre{{background:#f6f6f6;padding:1em;overflow:auto}}\
         @media(prefers-color-scheme:dark){{body{{background:#1e1e1e;color:#ddd}}\
         pre{{background:#2a2a2a}}}}</style>\n\
         <h1>Build failed</h1>\n<p>phial's reloader rebuilt the app after a change and \
         the compiler refused it. Fix the code and save: the next good build serves this \
         page's address again.</p>\n<pre>{}</pre>\n",
        crate::escape(message)
    )
}
