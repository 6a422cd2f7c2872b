#!/usr/bin/env python3
"""The load of scripts/deploy-check.sh: users of flaskr behind nginx, one
instance killed (SIGKILL) halfway through.

    deploy_load.py HOST PORT USERS TOTAL KILL_PID KILL_PORT OUT_DIR

Registers and logs in USERS users (user-1 ...) through nginx, then sends
TOTAL requests from one thread per user: 60% GET /create (the form: only a
logged-in user gets it), 25% GET / (the index, which names the user), 15%
POST /create (a new post with a unique title). When half are sent, it kills
KILL_PID and waits until KILL_PORT refuses connections.

Then it checks, and exits 1 if any check fails:
- no user was logged out: every answer was the logged-in one;
- every answer that was not the expected one was in flight when the
  instance died (started before its port refused, ended after the kill),
  and there are no more of them than users (requests in flight at once);
writes OUT_DIR/acknowledged (titles of the posts answered 302, which the
shell looks for in the database) and OUT_DIR/cookie (user-1's session).
Standard library only; a fresh connection per request.
"""

import http.client
import os
import signal
import socket
import sys
import threading
import time
import urllib.parse


class Client:
    """One browser: a session cookie, redirects not followed."""

    def __init__(self, host, port):
        self.host, self.port, self.cookie = host, port, None

    def request(self, method, path, form=None):
        headers = {}
        body = None
        if self.cookie:
            headers["Cookie"] = "session=" + self.cookie
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            conn.request(method, path, body, headers)
            response = conn.getresponse()
            data = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as error:
            return 0, None, str(error)
        finally:
            conn.close()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and value.startswith("session="):
                cookie = value.split(";", 1)[0][len("session="):]
                removed = "Max-Age=0" in value or not cookie
                self.cookie = None if removed else cookie
        return response.status, response.getheader("Location"), data


def main():
    host, port, users, total, kill_pid, kill_port, out = sys.argv[1:8]
    port, users, total = int(port), int(users), int(total)
    kill_pid, kill_port = int(kill_pid), int(kill_port)

    clients = []
    for n in range(1, users + 1):
        name = f"user-{n}"
        client = Client(host, port)
        form = {"username": name, "password": "pw-" + name}
        status, location, _ = client.request("POST", "/auth/register", form)
        if status != 302 or not location.endswith("/auth/login"):
            sys.exit(f"FAIL: registering {name} answered {status} {location}")
        status, location, _ = client.request("POST", "/auth/login", form)
        if status != 302 or location != "/" or not client.cookie:
            sys.exit(f"FAIL: logging {name} in answered {status} {location}")
        clients.append((name, client))
    print(f"registered and logged in {users} users through nginx")

    lock = threading.Lock()
    sent = [0]
    records = []  # (method, path, start, end, status, outcome)
    acknowledged = []
    kill = {}

    def do_kill():
        kill["at"] = time.monotonic()
        os.kill(kill_pid, signal.SIGKILL)
        while True:
            try:
                socket.create_connection(("127.0.0.1", kill_port), timeout=1).close()
            except OSError:
                break
            time.sleep(0.001)
        kill["gone"] = time.monotonic()

    def work(name, client):
        seq = 0
        while True:
            with lock:
                if sent[0] >= total:
                    return
                sent[0] += 1
                number = sent[0]
            if number == total // 2:
                threading.Thread(target=do_kill).start()
            seq += 1
            pick = number % 20
            start = time.monotonic()
            if pick < 12:
                method, path = "GET", "/create"
                status, location, body = client.request(method, path)
                ok = status == 200 and "New Post" in body and f"<span>{name}</span>" in body
                logged_out = status == 302 and "/auth/login" in (location or "")
            elif pick < 17:
                method, path = "GET", "/"
                status, location, body = client.request(method, path)
                ok = status == 200 and f"<span>{name}</span>" in body
                logged_out = status == 200 and "Log In" in body
            else:
                method, path = "POST", "/create"
                title = f"{name} post {seq}"
                form = {"title": title, "body": f"written by {name}"}
                status, location, body = client.request(method, path, form)
                ok = status == 302 and location == "/"
                logged_out = status == 302 and "/auth/login" in (location or "")
                if ok:
                    with lock:
                        acknowledged.append(title)
            end = time.monotonic()
            outcome = "ok" if ok else ("logged out" if logged_out else "error")
            with lock:
                records.append((method, path, start, end, status, outcome))

    threads = [threading.Thread(target=work, args=c) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    while "gone" not in kill:
        time.sleep(0.01)

    with open(os.path.join(out, "acknowledged"), "w") as f:
        f.write("".join(title + "\n" for title in acknowledged))
    with open(os.path.join(out, "cookie"), "w") as f:
        f.write(clients[0][1].cookie or "")

    counts = {}
    for method, path, _, _, status, outcome in records:
        key = f"{method} {path} {status} {outcome}"
        counts[key] = counts.get(key, 0) + 1
    print(f"{len(records)} requests through nginx, instance killed after {total // 2}:")
    for key in sorted(counts):
        print(f"  {counts[key]:5d}  {key}")

    failed = False
    logged_out = [r for r in records if r[5] == "logged out"]
    if logged_out:
        print(f"FAIL: {len(logged_out)} answers showed a logged-out user")
        failed = True
    errors = [r for r in records if r[5] == "error"]
    stray = [r for r in errors if not (r[2] < kill["gone"] and r[3] > kill["at"])]
    for method, path, start, end, status, _ in stray:
        print(f"FAIL: {method} {path} answered {status}, started "
              f"{start - kill['at']:+.3f} s and ended {end - kill['at']:+.3f} s "
              "from the kill: it was not in flight on the killed instance")
        failed = True
    if len(errors) > users:
        print(f"FAIL: {len(errors)} error answers, more than the {users} "
              "requests in flight at once")
        failed = True
    print(f"{len(errors)} error answers ({len(stray)} not in flight when the "
          f"instance died); {len(logged_out)} logged-out answers; "
          f"{len(acknowledged)} posts acknowledged")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
