"""Is the PostgreSQL of the test pass reachable? Exit 0 yes, 3 no (with the reason)."""

import os
import sys

import psycopg

url = os.environ.get("PG_TEST_URL", "postgres://postgres@127.0.0.1:5432/partsmall")
# Connect to the maintenance database: the test database is created by the test run.
base = url.rsplit("/", 1)[0] + "/postgres"
try:
    with psycopg.connect(base, connect_timeout=3) as conn:
        version = conn.execute("show server_version").fetchone()
except psycopg.Error as exc:
    print(f"PostgreSQL at {base} is unreachable: {str(exc).strip()}", file=sys.stderr)
    sys.exit(3)
print(f"PostgreSQL {version[0] if version else '?'} at {base}", file=sys.stderr)
