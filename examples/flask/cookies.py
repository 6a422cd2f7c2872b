from flask import Flask, make_response, request

app = Flask(__name__)


@app.route("/")
def index():
    response = make_response("Hello, World!")
    response.set_cookie("username", "bob")
    return response


@app.route("/user")
def user():
    username = request.cookies.get("username", "Guest")
    return f"Hello, {username}!"
