//! Flask's "APIs with JSON": a small todo API.
//! `cargo run --example json_api`, then
//! `curl -X POST -H 'Content-Type: application/json' -d '{"title":"milk"}' localhost:5000/todos`.

use std::sync::Mutex;

use phial::prelude::*;
use phial::JsonError;
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

static TODOS: Mutex<Vec<Todo>> = Mutex::new(Vec::new());

#[get("/todos")]
fn list() -> Json<Vec<Todo>> {
    Json(TODOS.lock().unwrap().clone())
}

#[post("/todos")]
fn create(request: &Request) -> Result<(StatusCode, Json<Todo>), JsonError> {
    let new: NewTodo = request.json()?;
    let mut todos = TODOS.lock().unwrap();
    let todo = Todo {
        id: todos.len() + 1,
        title: new.title,
    };
    todos.push(todo.clone());
    Ok((StatusCode::CREATED, Json(todo)))
}

#[get("/todos/<int:id>")]
fn show(id: usize) -> Option<Json<Todo>> {
    let todos = TODOS.lock().unwrap();
    todos.iter().find(|todo| todo.id == id).cloned().map(Json)
}

#[get("/me")]
fn me() -> serde_json::Value {
    serde_json::json!({ "username": "bob", "theme": "dark" })
}

/// The app, for `main` and for the tests.
pub fn app() -> App {
    App::new().routes(routes![list, create, show, me])
}

#[tokio::main]
async fn main() -> Result<(), phial::Error> {
    app().run(&phial::default_address()).await
}
