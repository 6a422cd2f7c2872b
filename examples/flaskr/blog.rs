//! The blog: posts listed, created, edited and deleted by their authors
//! (Flask's `flaskr/blog.py`).

use phial::extract::State;
use phial::prelude::*;
use phial::{Blueprint, DateTime, Error};

use super::auth::{CurrentUser, LoggedIn, User};
use super::db::Db;

/// The blog blueprint: `/create`, `/<id>/update`, `/<id>/delete`.
///
/// Its index is registered on the app itself (see `create_app`), where
/// Flask registers it in the blueprint as `blog.index` and adds the alias
/// `index` with `app.add_url_rule("/", endpoint="index")`: phial has one
/// name per route, and the templates say `url_for('index')`.
pub fn bp() -> Blueprint {
    Blueprint::new("blog").routes(routes![create, update, delete])
}

/// A post and its author's name, as the templates see it.
#[derive(Clone, Debug, serde::Serialize, sqlx::FromRow)]
pub struct Post {
    /// Its key.
    pub id: i64,
    /// Its title.
    pub title: String,
    /// Its text.
    pub body: String,
    /// When it was written (UTC); templates format it with `strftime`.
    /// Read as text: sqlx's `Any` driver reads no timestamps.
    #[sqlx(try_from = "String")]
    pub created: DateTime,
    /// Its author's key.
    pub author_id: i64,
    /// Its author's name.
    pub username: String,
}

/// The columns of a post with its author's name.
const POSTS: &str = r#"SELECT p.id, title, body, CAST(created AS TEXT) AS created, author_id, username FROM post p JOIN "user" u ON p.author_id = u.id"#;

/// Show all the posts, most recent first.
#[get("/")]
pub async fn index(_user: CurrentUser, db: &State<Db>) -> Result<Response, Error> {
    let posts: Vec<Post> = sqlx::query_as(&format!("{POSTS} ORDER BY created DESC"))
        .fetch_all(&db.0)
        .await?;
    Ok(render_template("blog/index.html", context! { posts }))
}

/// Get a post and its author by id; 404 if there is none, 403 if
/// `check_author` names another user than its author.
pub async fn get_post(db: &Db, id: i64, check_author: Option<&User>) -> Result<Post, Error> {
    let post: Option<Post> = sqlx::query_as(&format!("{POSTS} WHERE p.id = $1"))
        .bind(id)
        .fetch_optional(&db.0)
        .await?;
    let post = post.ok_or(abort(404).description(format!("Post id {id} doesn't exist.")))?;
    if check_author.is_some_and(|user| post.author_id != user.id) {
        return Err(abort(403).into());
    }
    Ok(post)
}

/// Create a new post for the current user.
#[route("/create", methods = ["GET", "POST"])]
pub async fn create(request: &Request, user: LoggedIn, db: &State<Db>) -> Result<Response, Error> {
    if request.method() == "POST" {
        let title = request.form.require("title")?;
        let body = request.form.require("body")?;
        if title.is_empty() {
            flash(request, "Title is required.");
        } else {
            sqlx::query("INSERT INTO post (title, body, author_id) VALUES ($1, $2, $3)")
                .bind(title)
                .bind(body)
                .bind(user.0.id)
                .execute(&db.0)
                .await?;
            return Ok(redirect(&url_for!(index)));
        }
    }
    Ok(render_template("blog/create.html", context! {}))
}

/// Update a post if the current user is the author.
#[route("/<int:id>/update", methods = ["GET", "POST"])]
pub async fn update(
    id: i64,
    request: &Request,
    user: LoggedIn,
    db: &State<Db>,
) -> Result<Response, Error> {
    let post = get_post(db, id, Some(&user.0)).await?;
    if request.method() == "POST" {
        let title = request.form.require("title")?;
        let body = request.form.require("body")?;
        if title.is_empty() {
            flash(request, "Title is required.");
        } else {
            sqlx::query("UPDATE post SET title = $1, body = $2 WHERE id = $3")
                .bind(title)
                .bind(body)
                .bind(id)
                .execute(&db.0)
                .await?;
            return Ok(redirect(&url_for!(index)));
        }
    }
    Ok(render_template("blog/update.html", context! { post }))
}

/// Delete a post, if it exists and the current user wrote it.
#[post("/<int:id>/delete")]
pub async fn delete(id: i64, user: LoggedIn, db: &State<Db>) -> Result<Response, Error> {
    get_post(db, id, Some(&user.0)).await?;
    sqlx::query("DELETE FROM post WHERE id = $1")
        .bind(id)
        .execute(&db.0)
        .await?;
    Ok(redirect(&url_for!(index)))
}
