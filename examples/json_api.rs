//! Flask's "APIs with JSON": a small todo API, its list kept in app state.
//! `cargo run --example json_api`, then
//! `curl -X POST -H 'Content-Type: application/json' -d '{"title":"milk"}' localhost:5000/todos`.

use phial::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Deserialize, Serialize)]
struct Todo {
    #[serde(default)]
    id: usize,
    title: String,
}

/// The app's todos: one value for the whole app, shared by every request.
type Todos = std::sync::Mutex<Vec<Todo>>;

#[get("/todos")]
fn list(todos: &State<Todos>) -> Json<Vec<Todo>> {
    Json(todos.lock().unwrap().clone())
}

/// A body that isn't JSON, or lacks `title`, is answered 415 or 400
/// before this runs; an `id` in it is replaced.
#[post("/todos")]
fn create(todos: &State<Todos>, Json(mut todo): Json<Todo>) -> (StatusCode, Json<Todo>) {
    let mut todos = todos.lock().unwrap();
    todo.id = todos.len() + 1;
    todos.push(todo.clone());
    (StatusCode::CREATED, Json(todo))
}

#[get("/todos/<int:id>")]
fn show(id: usize, todos: &State<Todos>) -> Option<Json<Todo>> {
    let todos = todos.lock().unwrap();
    todos.iter().find(|todo| todo.id == id).cloned().map(Json)
}

#[get("/me")]
fn me() -> serde_json::Value {
    serde_json::json!({ "username": "bob", "theme": "dark" })
}

/// The app: the handlers above, with todos of its own (each call has its
/// own, for the tests).
#[phial::main]
pub fn app() -> App {
    App::new().state(Todos::default())
}
