#!/usr/bin/env python3
"""rust-analyzer still completes inside phial's handlers (issue 16, point 4).

Route attributes and `#[phial::main]` are proc macros: rust-analyzer
completes inside an item they wrap only if the macro expands the
half-typed code it is given (a macro that answers a parse error with only
`compile_error!` blanks every completion in the function). This script
makes a small crate depending on this checkout's phial, starts
rust-analyzer on it over the Language Server Protocol (stdio), and asks
for completions where a user types, in the half-finished code an editor
holds: `request.` inside a `#[route]` handler, `name.` on a route
variable, `request.session.` inside a `#[get]` handler with a typed argument, and
`app.` in the function `#[phial::main]` wraps. It fails, printing what
rust-analyzer offered, if an expected item is missing.

Usage: python3 scripts/ra_completion.py  (needs `rust-analyzer` on PATH:
`rustup component add rust-analyzer`).
"""

import json
import os
import pathlib
import subprocess
import sys
import tempfile
import threading
import time

REPO = pathlib.Path(__file__).resolve().parent.parent
TIMEOUT = float(os.environ.get("RA_TIMEOUT", "600"))

# Each case: the line to complete (the cursor at its end) and the items
# that must be offered there.
SOURCE = """\
use phial::extract::Query;
use phial::prelude::*;

#[route("/user/<name>")]
async fn user(request: &Request, name: &str) -> String {
    let agent = request.
    let shout = name.
    format!("{agent:?} {shout:?}")
}

#[get("/count")]
async fn count(request: &Request, Query(query): Query<Filter>) -> String {
    request.session.
    format!("{query:?}")
}

#[derive(Debug, serde::Deserialize)]
struct Filter {
    n: u32,
}

#[phial::main]
pub fn app() -> App {
    let app = App::new();
    app.
}
"""

CASES = [
    ("    let agent = request.", {"cookies", "args", "form", "method"}),
    ("    let shout = name.", {"len", "to_uppercase", "starts_with"}),
    ("    request.session.", {"get", "insert", "clear"}),
    ("    app.", {"route", "secret_key", "register_blueprint"}),
]


class Server:
    """A rust-analyzer process spoken to over stdio."""

    def __init__(self, root):
        self.process = subprocess.Popen(
            ["rust-analyzer"],
            cwd=root,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.next_id = 0
        self.responses = {}
        self.lock = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        stream = self.process.stdout
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            message = json.loads(stream.read(length))
            if "id" in message and "method" in message:
                # A request from the server (workDoneProgress/create,
                # workspace/configuration): answer it plainly.
                result = [{}] if message["method"] == "workspace/configuration" else None
                self._send({"jsonrpc": "2.0", "id": message["id"], "result": result})
            elif "id" in message:
                with self.lock:
                    self.responses[message["id"]] = message
                    self.lock.notify_all()

    def _send(self, message):
        body = json.dumps(message).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def notify(self, method, params):
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params, timeout=120):
        with self.lock:
            self.next_id += 1
            ident = self.next_id
        self._send({"jsonrpc": "2.0", "id": ident, "method": method, "params": params})
        deadline = time.monotonic() + timeout
        with self.lock:
            while ident not in self.responses:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(method)
                self.lock.wait(left)
            return self.responses.pop(ident)

    def request_until_answered(self, method, params):
        """`request`, asked again while rust-analyzer answers that the
        workspace changed under it (ContentModified, -32801: it is still
        loading build scripts or proc macros) or that it cancelled the
        request (-32800), as the LSP spec tells a client to."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            response = self.request(method, params)
            code = (response.get("error") or {}).get("code")
            if code not in (-32801, -32800) or time.monotonic() > deadline:
                return response
            time.sleep(1)

    def stop(self):
        try:
            self.request("shutdown", None, timeout=10)
            self.notify("exit", None)
        except Exception:
            pass
        self.process.kill()


def labels(response):
    result = response.get("result") or []
    items = result.get("items", []) if isinstance(result, dict) else result
    # Labels may carry a signature ("len()"); keep the name.
    return {item["label"].split("(")[0].strip() for item in items}


def main():
    with tempfile.TemporaryDirectory(prefix="phial-ra-") as tmp:
        root = pathlib.Path(tmp)
        (root / "src").mkdir()
        (root / "Cargo.toml").write_text(
            "[package]\nname = \"ra-check\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n"
            "[dependencies]\n"
            f"phial = {{ path = \"{REPO / 'framework'}\" }}\n"
            "serde = { version = \"1\", features = [\"derive\"] }\n\n"
            "[workspace]\n"
        )
        # Share the checkout's lock file, so the versions are the ones
        # the project tests.
        lock = REPO / "Cargo.lock"
        if lock.exists():
            (root / "Cargo.lock").write_text(lock.read_text())
        path = root / "src" / "main.rs"
        path.write_text(SOURCE)
        uri = path.as_uri()
        server = Server(root)
        try:
            server.request(
                "initialize",
                {
                    "processId": os.getpid(),
                    "rootUri": root.as_uri(),
                    "capabilities": {
                        "textDocument": {"completion": {"completionItem": {}}},
                    },
                    "initializationOptions": {
                        "cargo": {"buildScripts": {"enable": True}},
                        "procMacro": {"enable": True},
                        "checkOnSave": False,
                    },
                },
            )
            server.notify("initialized", {})
            server.notify(
                "textDocument/didOpen",
                {"textDocument": {"uri": uri, "languageId": "rust", "version": 1, "text": SOURCE}},
            )
            lines = SOURCE.splitlines()
            failures = []
            started = time.monotonic()
            for text, expected in CASES:
                line = lines.index(text)
                position = {"line": line, "character": len(text)}
                # Until the workspace is loaded (cargo metadata, build
                # scripts, proc macros) the answer is empty or partial:
                # ask again until the items come or the time is up.
                offered = set()
                while True:
                    response = server.request_until_answered(
                        "textDocument/completion",
                        {"textDocument": {"uri": uri}, "position": position},
                    )
                    offered = labels(response)
                    if expected <= offered or time.monotonic() - started > TIMEOUT:
                        break
                    time.sleep(2)
                missing = expected - offered
                status = "ok" if not missing else "MISSING " + ", ".join(sorted(missing))
                print(f"{text.strip():<28} {len(offered):>4} items offered: {status}")
                if missing:
                    failures.append((text, missing, sorted(offered)[:60]))
            # The completions above must come from the macros' expansions,
            # not from rust-analyzer reading past an attribute it couldn't
            # expand: ask it to expand `#[route]` and `#[phial::main]`.
            for text, marker in [
                ('#[route("/user/<name>")]', "Endpoint"),
                ("#[phial::main]", "discover"),
            ]:
                line = lines.index(text)
                response = server.request_until_answered(
                    "rust-analyzer/expandMacro",
                    {"textDocument": {"uri": uri}, "position": {"line": line, "character": 3}},
                )
                expansion = (response.get("result") or {}).get("expansion") or ""
                status = "ok" if marker in expansion else f"NOT EXPANDED: {response}"
                print(f"{text:<28} expands to {len(expansion):>5} characters: {status}")
                if marker not in expansion:
                    failures.append((text, {marker}, [expansion[:300]]))
            print(f"rust-analyzer answered in {time.monotonic() - started:.0f} s")
        finally:
            server.stop()
    if failures:
        for text, missing, offered in failures:
            print(f"FAIL at `{text.strip()}`: missing {sorted(missing)}; offered {offered}")
        sys.exit(1)


if __name__ == "__main__":
    main()
