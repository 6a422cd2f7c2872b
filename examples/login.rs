//! Session-based login, as in Flask's session tutorial: a login form, a
//! page only logged-in users see (others are sent to the login form),
//! flashed messages, logout, and "remember me" as a permanent session.
//!
//! `cargo run --example login` serves it on 127.0.0.1:5000; pass another
//! address as the first argument, or set `PORT`. The secret key comes from
//! `PHIAL_SECRET_KEY` (and `PHIAL_SECRET_KEY_FALLBACKS` during a rotation);
//! make one with `cargo run -p phial --example secret_key`. Several
//! instances sharing the key serve the same users: `INSTANCE` names the one
//! answering in an `X-Instance` header.
//!
//! The users are hard-coded (`ann` / `secret`, `bob` / `hunter22`): a real
//! app checks a password hash.

use phial::prelude::*;
use phial::{
    escape, flash_with_category, get_flashed_messages_with_categories, redirect_local, Method,
};

const USERS: [(&str, &str); 2] = [("ann", "secret"), ("bob", "hunter22")];

/// The page around `body`, with the flashed messages on top.
fn page(request: &Request, body: &str) -> Response {
    let mut flashes = String::new();
    for (category, message) in get_flashed_messages_with_categories(request) {
        flashes.push_str(&format!(
            "<p class=\"{}\">{}</p>\n",
            escape(&category),
            escape(&message)
        ));
    }
    make_response(format!(
        "<!doctype html>\n<title>Login example</title>\n{flashes}{body}\n"
    ))
}

#[route("/")]
fn index(request: &Request) -> Response {
    match request.session.get("username", None::<String>) {
        Some(username) => page(
            request,
            &format!(
                "<p>Logged in as {}.</p>\n<p><a href=\"/private\">Private page</a> \
                 <a href=\"/logout\">Log out</a></p>",
                escape(&username)
            ),
        ),
        None => page(
            request,
            "<p>You are not logged in. <a href=\"/login\">Log in</a></p>",
        ),
    }
}

#[route("/login", methods = ["GET", "POST"])]
fn login(request: &Request) -> Response {
    if request.method() == Method::POST {
        let username = request.form.get("username", "");
        let password = request.form.get("password", "");
        if USERS.contains(&(username, password)) {
            request.session.insert("username", username);
            request
                .session
                .set_permanent(request.form.get("remember", "") == "on");
            flash(request, "You were logged in");
            // Only paths on this site: an open redirect would hand users to anyone.
            return redirect_local(request.args.get("next", "/"), "/");
        }
        flash_with_category(request, "error", "Invalid username or password");
    }
    page(
        request,
        "<form method=\"post\">\n\
         <p><input name=\"username\" placeholder=\"Username\">\n\
         <p><input name=\"password\" type=\"password\" placeholder=\"Password\">\n\
         <p><label><input name=\"remember\" type=\"checkbox\"> Remember me</label>\n\
         <p><button>Log in</button>\n\
         </form>",
    )
}

#[route("/private")]
fn private(request: &Request) -> Response {
    let Some(username) = request.session.get("username", None::<String>) else {
        flash_with_category(request, "error", "Please log in to see that page");
        return redirect("/login?next=/private");
    };
    let visits = request.session.get("visits", 0u64) + 1;
    request.session.insert("visits", visits);
    page(
        request,
        &format!(
            "<p>Welcome to your private page, {}. Visit number {visits}.</p>",
            escape(&username)
        ),
    )
}

#[route("/logout")]
fn logout(request: &Request) -> Response {
    request.session.clear();
    flash(request, "You were logged out");
    redirect("/")
}

/// The app, for `main` and the tests.
pub fn app() -> App {
    let app = App::new().routes(routes![index, login, private, logout]);
    match std::env::var("INSTANCE") {
        Ok(instance) => app.after_request(move |_request: &Request, response: &mut Response| {
            response.set_header("X-Instance", instance.as_str());
        }),
        Err(_) => app,
    }
}

#[tokio::main]
async fn main() -> Result<(), phial::Error> {
    app().run(&phial::default_address()).await
}
