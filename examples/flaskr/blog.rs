//! The blog: posts listed, created, edited and deleted by their authors
//! (Flask's `flaskr/blog.py`).

use std::sync::Arc;

use minijinja::value::{Object, Serde, Value};
use phial::extract::State;
use phial::prelude::*;
use phial::{Abort, Blueprint};
use sqlx::Row;

use super::auth::{database_error, form_field, CurrentUser, LoggedIn, User};
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
#[derive(Clone, Debug, serde::Serialize)]
pub struct Post {
    /// Its key.
    pub id: i64,
    /// Its title.
    pub title: String,
    /// Its text.
    pub body: String,
    /// When it was written (UTC), with Python's `strftime` in templates.
    pub created: Value,
    /// Its author's key.
    pub author_id: i64,
    /// Its author's name.
    pub username: String,
}

/// The columns of a post with its author (`created` as text: sqlx's `Any`
/// driver reads no timestamps, and both databases print them alike).
const POST_COLUMNS: &str = r#"SELECT p.id, title, body, CAST(created AS TEXT) AS created, author_id, username FROM post p JOIN "user" u ON p.author_id = u.id"#;

impl Post {
    fn from_row(row: &sqlx::any::AnyRow) -> Result<Self, sqlx::Error> {
        let created: String = row.try_get("created")?;
        Ok(Self {
            id: row.try_get("id")?,
            title: row.try_get("title")?,
            body: row.try_get("body")?,
            created: Value::from_object(Timestamp(created)),
            author_id: row.try_get("author_id")?,
            username: row.try_get("username")?,
        })
    }
}

/// A `TIMESTAMP` column's value (`2018-01-01 00:00:00`), shown as is and
/// formatted by `strftime` as Python's `datetime` is in Flask's templates.
#[derive(Debug)]
struct Timestamp(String);

impl Object for Timestamp {
    fn call_method(
        self: &Arc<Self>,
        _state: &mut minijinja::State<'_, '_>,
        method: &str,
        args: &[Value],
    ) -> Result<Value, minijinja::Error> {
        if method != "strftime" {
            return Err(minijinja::Error::from(minijinja::ErrorKind::UnknownMethod));
        }
        let (format,): (&str,) = minijinja::value::from_args(args)?;
        strftime(&self.0, format).map(Value::from)
    }

    fn render(self: &Arc<Self>, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// `%Y`, `%m`, `%d`, `%H`, `%M`, `%S` and `%%` of `YYYY-MM-DD HH:MM:SS[.f]`.
fn strftime(timestamp: &str, format: &str) -> Result<String, minijinja::Error> {
    let bad =
        |message: String| minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, message);
    let field = |range: std::ops::Range<usize>| {
        timestamp
            .get(range)
            .filter(|text| text.bytes().all(|b| b.is_ascii_digit()))
            .ok_or_else(|| bad(format!("strftime: `{timestamp}` is not a timestamp")))
    };
    let mut out = String::with_capacity(format.len() + 8);
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('Y') => out.push_str(field(0..4)?),
            Some('m') => out.push_str(field(5..7)?),
            Some('d') => out.push_str(field(8..10)?),
            Some('H') => out.push_str(field(11..13)?),
            Some('M') => out.push_str(field(14..16)?),
            Some('S') => out.push_str(field(17..19)?),
            Some('%') => out.push('%'),
            other => {
                return Err(bad(format!(
                    "strftime: `%{}` is not supported (only %Y %m %d %H %M %S %%)",
                    other.map(String::from).unwrap_or_default()
                )))
            }
        }
    }
    Ok(out)
}

/// Show all the posts, most recent first.
#[get("/")]
pub async fn index(_user: CurrentUser, db: &State<Db>) -> Result<Response, Abort> {
    let posts = sqlx::query(&format!("{POST_COLUMNS} ORDER BY created DESC"))
        .fetch_all(db.pool())
        .await
        .map_err(database_error)?
        .iter()
        .map(Post::from_row)
        .collect::<Result<Vec<_>, _>>()
        .map_err(database_error)?;
    Ok(render_template("blog/index.html", context! { posts }))
}

/// Get a post and its author by id; 404 if there is none, 403 if
/// `check_author` names another user than its author.
pub async fn get_post(db: &Db, id: i64, check_author: Option<&User>) -> Result<Post, Abort> {
    let post = sqlx::query(&format!("{POST_COLUMNS} WHERE p.id = $1"))
        .bind(id)
        .fetch_optional(db.pool())
        .await
        .and_then(|row| row.as_ref().map(Post::from_row).transpose())
        .map_err(database_error)?;
    let Some(post) = post else {
        return Err(abort(404).description(format!("Post id {id} doesn't exist.")));
    };
    if let Some(user) = check_author {
        if post.author_id != user.id {
            return Err(abort(403));
        }
    }
    Ok(post)
}

/// Create a new post for the current user.
#[route("/create", methods = ["GET", "POST"])]
pub async fn create(request: &Request, user: LoggedIn, db: &State<Db>) -> Result<Response, Abort> {
    if request.method() == "POST" {
        let title = form_field(request, "title")?;
        let body = form_field(request, "body")?;
        if title.is_empty() {
            flash(request, "Title is required.");
        } else {
            sqlx::query("INSERT INTO post (title, body, author_id) VALUES ($1, $2, $3)")
                .bind(title)
                .bind(body)
                .bind(user.0.id)
                .execute(db.pool())
                .await
                .map_err(database_error)?;
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
) -> Result<Response, Abort> {
    let post = get_post(db, id, Some(&user.0)).await?;
    if request.method() == "POST" {
        let title = form_field(request, "title")?;
        let body = form_field(request, "body")?;
        if title.is_empty() {
            flash(request, "Title is required.");
        } else {
            sqlx::query("UPDATE post SET title = $1, body = $2 WHERE id = $3")
                .bind(title)
                .bind(body)
                .bind(id)
                .execute(db.pool())
                .await
                .map_err(database_error)?;
            return Ok(redirect(&url_for!(index)));
        }
    }
    Ok(render_template("blog/update.html", context! { post }))
}

/// Delete a post, if it exists and the current user wrote it.
#[post("/<int:id>/delete")]
pub async fn delete(id: i64, user: LoggedIn, db: &State<Db>) -> Result<Response, Abort> {
    get_post(db, id, Some(&user.0)).await?;
    sqlx::query("DELETE FROM post WHERE id = $1")
        .bind(id)
        .execute(db.pool())
        .await
        .map_err(database_error)?;
    Ok(redirect(&url_for!(index)))
}
