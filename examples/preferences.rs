//! A theme preference kept in a cookie for a year: `HttpOnly`,
//! `SameSite=Lax`, and a "forget me" link that deletes it.
//!
//! `cargo run --example preferences` serves it on 127.0.0.1:5000; pass
//! another address as the first argument, or set `PORT`.
//!
//! - `GET /` shows the page in the saved theme (`light` when there is none);
//! - `POST /theme` with the form field `theme=dark` saves it;
//! - `POST /forget` deletes the cookie.

use phial::prelude::*;

const THEMES: [&str; 3] = ["light", "dark", "sepia"];

/// A year, in seconds.
const ONE_YEAR: i64 = 365 * 24 * 60 * 60;

#[get("/")]
fn index(request: &Request) -> String {
    let theme = request.cookies.get("theme", "light");
    let theme = if THEMES.contains(&theme) {
        theme
    } else {
        "light"
    };
    format!(
        "<body class=\"{theme}\"><p>Theme: {theme}</p>\
         <form method=post action=/theme><select name=theme>\
         <option>light</option><option>dark</option><option>sepia</option>\
         </select><button>Save</button></form>\
         <form method=post action=/forget><button>Forget me</button></form></body>"
    )
}

#[post("/theme")]
fn save_theme(request: &Request) -> Response {
    let form = phial::Params::from_pairs(form_urlencoded::parse(request.body()));
    let theme = form.get("theme", "");
    if !THEMES.contains(&theme) {
        return Response::new(format!("unknown theme {theme:?}"))
            .with_status(StatusCode::BAD_REQUEST);
    }
    let mut response = make_response(format!("Saved: {theme}"));
    response
        .set_cookie("theme", theme)
        .max_age(ONE_YEAR)
        .http_only(true)
        .same_site(SameSite::Lax);
    response
}

#[post("/forget")]
fn forget() -> Response {
    let mut response = make_response("Forgotten");
    // Reuses the attributes the app set `theme` with (path, SameSite...).
    response.delete_cookie("theme");
    response
}

/// The app, for `main` and the tests.
pub fn app() -> App {
    App::new().route(index).route(save_theme).route(forget)
}

#[tokio::main]
async fn main() -> Result<(), phial::Error> {
    app().run(&phial::default_address()).await
}
