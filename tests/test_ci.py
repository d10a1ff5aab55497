"""The rule of `make test`: under CI=true the PostgreSQL pass is required; elsewhere a
missing PostgreSQL is reported plainly as skipped."""

import sys

from tests._subprocess import run

UNREACHABLE = "postgres://postgres@127.0.0.1:1/x"
GATE = ["bash", "scripts/test.sh", "--postgres-gate-only"]
SKIPPED = "PostgreSQL is unreachable: the PostgreSQL part of the suite was SKIPPED."
CI_FAILS = "CI=true: PostgreSQL is required and unreachable; failing the run."


def test_check_postgres_exits_3_naming_the_unreachable_server():
    result = run([sys.executable, "scripts/check_postgres.py"], PG_TEST_URL=UNREACHABLE)

    assert result.returncode == 3
    assert result.stderr.startswith("PostgreSQL at postgres://postgres@127.0.0.1:1/postgres is unreachable: ")


def test_under_ci_an_unreachable_postgres_fails_the_run():
    result = run(GATE, PG_TEST_URL=UNREACHABLE, CI="true")

    assert result.returncode == 1
    assert CI_FAILS in result.stderr.splitlines()
    assert SKIPPED not in result.stderr


def test_without_ci_an_unreachable_postgres_is_reported_as_skipped():
    result = run(GATE, PG_TEST_URL=UNREACHABLE)

    assert result.returncode == 0
    assert SKIPPED in result.stderr.splitlines()
    assert CI_FAILS not in result.stderr


def test_ci_accepts_its_usual_spellings_of_true():
    results = [run(GATE, PG_TEST_URL=UNREACHABLE, CI=value).returncode for value in ("true", "1", "yes")]

    assert results == [1, 1, 1]
