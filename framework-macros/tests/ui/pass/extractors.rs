// Extractors beside route variables and `&Request`, in any order, in sync
// and async handlers, destructured or not.
use phial::extract::{Form, FromRequest, Query, RequestCx, State};
use phial::prelude::*;

struct Db;

#[derive(serde::Deserialize)]
struct Login {
    username: String,
}

#[derive(serde::Deserialize)]
struct Page {
    page: u32,
}

struct CurrentUser;

impl<'a> FromRequest<'a> for CurrentUser {
    type Rejection = Response;

    async fn from_request(cx: RequestCx<'a>) -> Result<Self, Response> {
        if cx.request().cookies.contains("user") {
            Ok(CurrentUser)
        } else {
            Err(redirect("/login"))
        }
    }
}

#[get("/users/<int:id>")]
fn user(db: &State<Db>, id: u32, request: &Request, _user: CurrentUser) -> String {
    let _: &Db = db;
    format!("{id} {}", request.path())
}

#[post("/login/<name>")]
async fn login(name: &str, Form(login): Form<Login>, query: Query<Page>) -> String {
    format!("{name} {} {}", login.username, query.0.page)
}

#[post("/api")]
async fn api(Json(value): Json<serde_json::Value>, mut page: Query<Page>) -> Json<u32> {
    page.0.page += value.as_u64().unwrap_or(0) as u32;
    Json(page.0.page)
}

fn main() {
    let _ = App::new()
        .state(Db)
        .routes(routes![user, login, api]);
}
