//! Registering, logging in and out (Flask's `flaskr/auth.py`).

use phial::extract::{AppCheck, FromRequest, RequestCx, State};
use phial::prelude::*;
use phial::{check_password_hash, generate_password_hash, Abort, Blueprint};
use sqlx::Row;

use super::blog;
use super::db::Db;

/// The auth blueprint: `/auth/register`, `/auth/login`, `/auth/logout`.
pub fn bp() -> Blueprint {
    Blueprint::new("auth")
        .url_prefix("/auth")
        .routes(routes![register, login, logout])
}

/// A row of the `user` table; the logged-in one is `g.user`.
#[derive(Clone, Debug, serde::Serialize)]
pub struct User {
    /// Its key.
    pub id: i64,
    /// Its name.
    pub username: String,
    /// The password hash (kept out of templates).
    #[serde(skip)]
    pub password: String,
}

impl User {
    fn from_row(row: &sqlx::any::AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: row.try_get("id")?,
            username: row.try_get("username")?,
            password: row.try_get("password")?,
        })
    }
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
    type Rejection = Abort;

    async fn from_request(cx: RequestCx<'a>) -> Result<Self, Abort> {
        let request = cx.request();
        if let Some(user) = request.g.get::<Option<User>>("user") {
            return Ok(Self(user)); // loaded already (by another argument)
        }
        let Some(db) = cx.state::<Db>() else {
            return Err(abort(500)); // the start check prevents it
        };
        let user = match request.session.get_as::<i64>("user_id") {
            None => None,
            Some(user_id) => sqlx::query(r#"SELECT * FROM "user" WHERE id = $1"#)
                .bind(user_id)
                .fetch_optional(db.pool())
                .await
                .and_then(|row| row.as_ref().map(User::from_row).transpose())
                .map_err(database_error)?,
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
        let user = CurrentUser::from_request(cx)
            .await
            .map_err(IntoResponse::into_response)?;
        match user.0 {
            Some(user) => Ok(Self(user)),
            None => Err(redirect(&url_for!(login))),
        }
    }

    fn check(app: &AppCheck<'_>) -> Result<(), String> {
        CurrentUser::check(app)
    }
}

/// A database failure: logged, answered 500.
pub fn database_error(error: sqlx::Error) -> Abort {
    tracing::error!("database: {error}");
    abort(500)
}

/// `request.form[name]`: the field, or 400 when it is missing (Flask's
/// `BadRequestKeyError`).
pub fn form_field<'r>(request: &'r Request, name: &str) -> Result<&'r str, Abort> {
    request.form.get(name, None).ok_or_else(|| abort(400))
}

/// Register a new user: validates that the username is not already
/// taken, hashes the password.
#[route("/register", methods = ["GET", "POST"])]
pub async fn register(
    request: &Request,
    _user: CurrentUser,
    db: &State<Db>,
) -> Result<Response, Abort> {
    if request.method() == "POST" {
        let username = form_field(request, "username")?;
        let password = form_field(request, "password")?;
        let error = if username.is_empty() {
            "Username is required.".to_owned()
        } else if password.is_empty() {
            "Password is required.".to_owned()
        } else {
            // Hashing is slow on purpose: off the server's threads.
            let password = password.to_owned();
            let hash = tokio::task::spawn_blocking(move || generate_password_hash(&password))
                .await
                .map_err(|_| abort(500))?;
            let inserted =
                sqlx::query(r#"INSERT INTO "user" (username, password) VALUES ($1, $2)"#)
                    .bind(username)
                    .bind(hash)
                    .execute(db.pool())
                    .await;
            match inserted {
                // Success, go to the login page.
                Ok(_) => return Ok(redirect(&url_for!(login))),
                // The username was already taken.
                Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
                    format!("User {username} is already registered.")
                }
                Err(error) => return Err(database_error(error)),
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
) -> Result<Response, Abort> {
    if request.method() == "POST" {
        let username = form_field(request, "username")?;
        let password = form_field(request, "password")?;
        let user = sqlx::query(r#"SELECT * FROM "user" WHERE username = $1"#)
            .bind(username)
            .fetch_optional(db.pool())
            .await
            .and_then(|row| row.as_ref().map(User::from_row).transpose())
            .map_err(database_error)?;
        let error = match user {
            None => "Incorrect username.",
            Some(user) => {
                let password = password.to_owned();
                let hash = user.password.clone();
                let matches =
                    tokio::task::spawn_blocking(move || check_password_hash(&hash, &password))
                        .await
                        .map_err(|_| abort(500))?;
                if matches {
                    // Store the user id in a new session and return to the index.
                    request.session.clear();
                    request.session.insert("user_id", user.id);
                    return Ok(redirect(&url_for!(blog::index)));
                }
                "Incorrect password."
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
