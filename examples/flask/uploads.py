import os
import tempfile

from flask import Flask, redirect, request, send_from_directory
from werkzeug.utils import secure_filename

app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = 16 * 1024 * 1024


def upload_folder():
    return os.environ.get("UPLOAD_FOLDER", os.path.join(tempfile.gettempdir(), "phial-uploads"))


@app.route("/upload", methods=["GET", "POST"])
def upload_file():
    if request.method == "POST":
        file = request.files.get("the_file")
        if file is None:
            return "no file sent", 400
        name = secure_filename(file.filename or "")
        if not name:
            return "choose a file with a name", 400
        os.makedirs(upload_folder(), exist_ok=True)
        file.save(os.path.join(upload_folder(), name))
        return redirect(f"/uploads/{name}")
    return (
        "<form method=post enctype=multipart/form-data>"
        "<input type=file name=the_file><button>Upload</button></form>"
    )


@app.route("/uploads/<path:name>")
def uploaded_file(name):
    return send_from_directory(upload_folder(), name)
