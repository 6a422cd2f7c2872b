from flask import Flask, abort, request

app = Flask(__name__)
TODOS = []


@app.get("/todos")
def list_todos():
    return TODOS


@app.post("/todos")
def create():
    new = request.get_json()
    todo = {"id": len(TODOS) + 1, "title": new["title"]}
    TODOS.append(todo)
    return todo, 201


@app.get("/todos/<int:id>")
def show(id):
    for todo in TODOS:
        if todo["id"] == id:
            return todo
    abort(404)


@app.get("/me")
def me():
    return {"username": "bob", "theme": "dark"}
