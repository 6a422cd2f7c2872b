from flask import Flask, request
from markupsafe import escape

app = Flask(__name__)

FORM = (
    "<form method=post>"
    "<input name=username placeholder=username>"
    "<input name=password type=password placeholder=password>"
    "<button>Log in</button></form>"
)


def valid_login(username, password):
    return username == "admin" and password == "secret"


@app.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        username = request.form.get("username", "")
        if valid_login(username, request.form.get("password", "")):
            return f"Welcome, {escape(username)}!"
        return f"<p>Invalid username/password</p>{FORM}", 401
    return FORM


@app.route("/search")
def search():
    query = request.args.get("q", "")
    page = request.args.get("page", 1, type=int)
    return f"Results for {escape(query)} (page {page})"
