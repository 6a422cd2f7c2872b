# Flask's flaskr/db.py (examples/tutorial in Flask's sdist, BSD-3-Clause,
# Copyright 2010 Pallets), ported to PostgreSQL through psycopg 3 for
# bench/flaskr.sh; the rest of Flask's flaskr is used unchanged.
#
# What changed, and only that: get_db() connects with psycopg instead of
# sqlite3 (still one connection per request, closed by close_db, as
# Flask's tutorial does), rows come as dicts (sqlite3.Row's `row["col"]`),
# and execute() adapts the SQLite SQL of auth.py and blog.py: `?`
# parameters become `%s`, and the table `user` (a reserved word in
# PostgreSQL) is quoted. schema.sql beside this file is the PostgreSQL
# schema.
#
# With DATABASE_POOL = True in the instance config (not Flask's tutorial:
# a second Flask row in the bench), get_db() takes a connection from a
# psycopg_pool pool, one pool per worker process, and close_db() gives it
# back; those connections are in autocommit mode, so no transaction stays
# open between requests.
import re

import click
import psycopg
from flask import current_app
from flask import g
from psycopg.rows import dict_row

_USER_TABLE = re.compile(r"\buser\b")
_pool = None


def _get_pool():
    """This worker process's pool (made on first use, after the fork)."""
    global _pool
    if _pool is None:
        from psycopg_pool import ConnectionPool

        _pool = ConnectionPool(
            current_app.config["DATABASE"],
            min_size=1,
            max_size=4,
            kwargs={"autocommit": True, "row_factory": dict_row},
        )
    return _pool


class _Connection:
    """A psycopg connection with sqlite3's execute/executescript/commit."""

    IntegrityError = psycopg.IntegrityError

    def __init__(self, conn, pool=None):
        self._conn = conn
        self._pool = pool

    def execute(self, sql, params=()):
        sql = _USER_TABLE.sub('"user"', sql).replace("?", "%s")
        return self._conn.execute(sql, params)

    def executescript(self, script):
        self._conn.execute(script)
        self._conn.commit()

    def commit(self):
        self._conn.commit()

    def close(self):
        if self._pool is None:
            self._conn.close()
        else:
            self._pool.putconn(self._conn)


def get_db():
    """Connect to the application's configured database. The connection
    is unique for each request and will be reused if this is called
    again.
    """
    if "db" not in g:
        if current_app.config.get("DATABASE_POOL"):
            pool = _get_pool()
            g.db = _Connection(pool.getconn(), pool)
        else:
            g.db = _Connection(
                psycopg.connect(current_app.config["DATABASE"], row_factory=dict_row)
            )

    return g.db


def close_db(e=None):
    """If this request connected to the database, close the
    connection.
    """
    db = g.pop("db", None)

    if db is not None:
        db.close()


def init_db():
    """Clear existing data and create new tables."""
    db = get_db()

    with current_app.open_resource("schema.sql") as f:
        db.executescript(f.read().decode("utf8"))


@click.command("init-db")
def init_db_command():
    """Clear existing data and create new tables."""
    init_db()
    click.echo("Initialized the database.")


def init_app(app):
    """Register database functions with the Flask app. This is called by
    the application factory.
    """
    app.teardown_appcontext(close_db)
    app.cli.add_command(init_db_command)
