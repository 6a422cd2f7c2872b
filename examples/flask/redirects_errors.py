from flask import Flask, abort, redirect

app = Flask(__name__)


@app.route("/")
def index():
    return redirect("/login")


@app.route("/login")
def login():
    abort(401)


@app.errorhandler(404)
def page_not_found(error):
    return "<h1>Page not found</h1><p>Nothing lives here.</p>", 404
