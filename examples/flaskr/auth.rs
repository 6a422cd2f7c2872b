//! Registering, logging in and out (Flask's `flaskr/auth.py`).

use phial::extract::{AppCheck, FromRequest, RequestCx, State};
use phial::prelude::*;
use phial::{check_password_hash_async, generate_password_hash_async, Blueprint, Error};

use super::blog;
use super::db::Db;

/// The auth blueprint: `/auth/register`, `/auth/login`, `/auth/logout`.
pub fn bp() -> Blueprint {
    Blueprint::new("auth")
        .url_prefix("/auth")
        .routes(routes![register, login, logout])
}

/// A row of the `user` table; the logged-in one is `g.user`.
#[derive(Clone, Debug, serde::Serialize, sqlx::FromRow)]
pub struct User {
    /// Its key.
    pub id: i64,
    /// Its name.
    pub username: String,
    /// The password hash (kept out of templates).
    #[serde(skip)]
    pub password: String,
}

/// `g.user`: the user whose id the session holds, loaded from the
/// database, or `None` (Flask's `load_logged_in_user`).
///
/// Flask loads it in a `before_app_request` hook; phial's hooks are
/// synchronous and the look-up is an async query, so every page's
/// handler takes this argument instead (it stores `g.user` for the
/// templates, as the hook does).
#[derive(Debug)]
pub struct CurrentUser(pub Option<User>);

impl<'a> FromRequest<'a> for CurrentUser {
    type Rejection = Error;

    async fn from_request(cx: RequestCx<'a>) -> Result<Self, Error> {
        let (request, db) = (cx.request(), cx.state::<Db>().ok_or(abort(500))?);
        let user = match request.session.get_as::<i64>("user_id") {
            None => None,
            Some(user_id) => {
                sqlx::query_as(r#"SELECT * FROM "user" WHERE id = $1"#)
                    .bind(user_id)
                    .fetch_optional(&db.0)
                    .await?
            }
        };
        request.g.insert("user", user.clone());
        Ok(Self(user))
    }

    fn check(app: &AppCheck<'_>) -> Result<(), String> {
        app.require_state::<Db>()
    }
}

/// A logged-in user, else a redirect to the login page (Flask's
/// `login_required`).
#[derive(Debug)]
pub struct LoggedIn(pub User);

impl<'a> FromRequest<'a> for LoggedIn {
    type Rejection = Response;

    async fn from_request(cx: RequestCx<'a>) -> Result<Self, Response> {
        match CurrentUser::from_request(cx)
            .await
            .map_err(Error::into_response)?
        {
            CurrentUser(Some(user)) => Ok(Self(user)),
            CurrentUser(None) => Err(redirect(&url_for!(login))),
        }
    }

    fn check(app: &AppCheck<'_>) -> Result<(), String> {
        CurrentUser::check(app)
    }
}

/// Register a new user: validates that the username is not already
/// taken, hashes the password.
#[route("/register", methods = ["GET", "POST"])]
pub async fn register(
    request: &Request,
    _user: CurrentUser,
    db: &State<Db>,
) -> Result<Response, Error> {
    if request.method() == "POST" {
        let username = request.form.require("username")?;
        let password = request.form.require("password")?;
        let error = if username.is_empty() {
            "Username is required.".to_owned()
        } else if password.is_empty() {
            "Password is required.".to_owned()
        } else {
            let inserted =
                sqlx::query(r#"INSERT INTO "user" (username, password) VALUES ($1, $2)"#)
                    .bind(username)
                    .bind(generate_password_hash_async(password).await)
                    .execute(&db.0)
                    .await;
            match inserted {
                // Success, go to the login page.
                Ok(_) => return Ok(redirect(&url_for!(login))),
                // The username was already taken.
                Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                    format!("User {username} is already registered.")
                }
                Err(error) => return Err(error.into()),
            }
        };
        flash(request, error);
    }
    Ok(render_template("auth/register.html", context! {}))
}

/// Log in a registered user by adding the user id to the session.
#[route("/login", methods = ["GET", "POST"])]
pub async fn login(
    request: &Request,
    _user: CurrentUser,
    db: &State<Db>,
) -> Result<Response, Error> {
    if request.method() == "POST" {
        let username = request.form.require("username")?;
        let password = request.form.require("password")?;
        let user: Option<User> = sqlx::query_as(r#"SELECT * FROM "user" WHERE username = $1"#)
            .bind(username)
            .fetch_optional(&db.0)
            .await?;
        let error = match user {
            None => "Incorrect username.",
            Some(user) if !check_password_hash_async(&user.password, password).await => {
                "Incorrect password."
            }
            Some(user) => {
                // Store the user id in a new session and return to the index.
                // `regenerate` gives it a new id (with sessions on Redis),
                // so an id planted before the login names nothing after it.
                request.session.clear();
                request.session.regenerate();
                request.session.insert("user_id", user.id);
                return Ok(redirect(&url_for!(blog::index)));
            }
        };
        flash(request, error);
    }
    Ok(render_template("auth/login.html", context! {}))
}

/// Clear the current session, including the stored user id.
#[get("/logout")]
pub fn logout(request: &Request) -> Response {
    request.session.clear();
    redirect(&url_for!(blog::index))
}
