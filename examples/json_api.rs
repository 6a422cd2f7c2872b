//! Flask's "APIs with JSON": a small todo API, its list kept in app state.
//! `cargo run --example json_api`, then
//! `curl -X POST -H 'Content-Type: application/json' -d '{"title":"milk"}' localhost:5000/todos`.

use std::sync::Mutex;

use phial::extract::State;
use phial::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Serialize)]
struct Todo {
    id: usize,
    title: String,
}

#[derive(Deserialize)]
struct NewTodo {
    title: String,
}

/// The app's todos: one value for the whole app, shared by every request.
#[derive(Default)]
struct Todos(Mutex<Vec<Todo>>);

#[get("/todos")]
fn list(todos: &State<Todos>) -> Json<Vec<Todo>> {
    Json(todos.0.lock().unwrap().clone())
}

/// A body that isn't JSON, or lacks `title`, is answered 415 or 400
/// before this runs.
#[post("/todos")]
fn create(todos: &State<Todos>, Json(new): Json<NewTodo>) -> (StatusCode, Json<Todo>) {
    let mut todos = todos.0.lock().unwrap();
    let todo = Todo {
        id: todos.len() + 1,
        title: new.title,
    };
    todos.push(todo.clone());
    (StatusCode::CREATED, Json(todo))
}

#[get("/todos/<int:id>")]
fn show(id: usize, todos: &State<Todos>) -> Option<Json<Todo>> {
    let todos = todos.0.lock().unwrap();
    todos.iter().find(|todo| todo.id == id).cloned().map(Json)
}

#[get("/me")]
fn me() -> serde_json::Value {
    serde_json::json!({ "username": "bob", "theme": "dark" })
}

/// The app, for `main` and for the tests: each call has its own todos.
pub fn app() -> App {
    App::new()
        .state(Todos::default())
        .routes(routes![list, create, show, me])
}

#[tokio::main]
async fn main() -> Result<(), phial::Error> {
    app().run(&phial::default_address()).await
}
