"""Settings are parsed strictly at start (STYLE.md): each test starts Django in a child process."""

import secrets
import stat
from pathlib import Path

import pytest

from tests._subprocess import last_line, run_manage, run_python

DJANGO_SETUP = "import django; django.setup()"
PRINT_SECRET_KEY = "from django.conf import settings; print(settings.SECRET_KEY)"
EMBEDDED = "partsmall.config.settings"
PRODUCTION = "partsmall.config.settings_production"
REFUSED = "django.core.exceptions.ImproperlyConfigured: "


def production_key() -> str:
    return secrets.token_urlsafe(48)[:50]


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DEBUG", "maybe", "DEBUG must be one of true/false/1/0/yes/no/on/off, got 'maybe'"),
        (
            "DATABASE_URL",
            "mysql://x",
            "DATABASE_URL must be a sqlite:/// or postgres:// URL, got scheme 'mysql'",
        ),
        (
            "DATABASE_PREPARED_STATEMENTS",
            "sometimes",
            "DATABASE_PREPARED_STATEMENTS must be one of true/false/1/0/yes/no/on/off, got 'sometimes'",
        ),
        ("SESSION_COOKIE_AGE", "abc", "SESSION_COOKIE_AGE must be a whole number, got 'abc'"),
        ("SESSION_COOKIE_AGE", "10", "SESSION_COOKIE_AGE must be at least 300, got 10"),
        ("REDIS_URL", "http://x", "REDIS_URL must be a URL with scheme redis, rediss, got 'http://x'"),
        (
            "ALLOWED_HOSTS",
            "a.example,,b.example",
            "ALLOWED_HOSTS must be a comma-separated list without empty items, got 'a.example,,b.example'",
        ),
        ("SECRET_KEY", "too-short", "SECRET_KEY must be at least 32 characters long"),
        (
            "LOGIN_MAX_FAILURES_PER_PHONE",
            "five",
            "LOGIN_MAX_FAILURES_PER_PHONE must be a whole number, got 'five'",
        ),
    ],
)
def test_a_malformed_variable_stops_the_start_naming_it(tmp_path, variable, value, message):
    result = run_python(
        DJANGO_SETUP, DJANGO_SETTINGS_MODULE=EMBEDDED, PARTSMALL_VAR_DIR=str(tmp_path), **{variable: value}
    )

    assert result.returncode == 1
    assert last_line(result.stderr) == REFUSED + message


def test_manage_py_refuses_a_malformed_variable_before_doing_anything(tmp_path):
    result = run_manage(
        "check", DJANGO_SETTINGS_MODULE=EMBEDDED, PARTSMALL_VAR_DIR=str(tmp_path), DEBUG="maybe"
    )

    assert result.returncode == 1
    assert (
        last_line(result.stderr) == REFUSED + "DEBUG must be one of true/false/1/0/yes/no/on/off, got 'maybe'"
    )
    assert result.stdout == ""


def test_the_embedded_default_generates_a_secret_key_once_and_keeps_it(tmp_path: Path):
    first = run_python(PRINT_SECRET_KEY, DJANGO_SETTINGS_MODULE=EMBEDDED, PARTSMALL_VAR_DIR=str(tmp_path))
    second = run_python(PRINT_SECRET_KEY, DJANGO_SETTINGS_MODULE=EMBEDDED, PARTSMALL_VAR_DIR=str(tmp_path))

    key_file = tmp_path / "secret_key"
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == second.stdout.strip() == key_file.read_text().strip()
    assert len(first.stdout.strip()) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_a_secret_key_from_the_environment_wins_and_writes_no_file(tmp_path: Path):
    key = production_key()

    result = run_python(
        PRINT_SECRET_KEY, DJANGO_SETTINGS_MODULE=EMBEDDED, PARTSMALL_VAR_DIR=str(tmp_path), SECRET_KEY=key
    )

    assert result.stdout.strip() == key
    assert not (tmp_path / "secret_key").exists()


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_python(DJANGO_SETUP, DJANGO_SETTINGS_MODULE=PRODUCTION, PARTSMALL_VAR_DIR=str(tmp_path))

    assert result.returncode == 1
    assert last_line(result.stderr) == REFUSED + "Production needs SECRET_KEY in the environment."
    assert not (tmp_path / "secret_key").exists()


def test_production_refuses_to_start_with_debug_on(tmp_path):
    result = run_python(
        DJANGO_SETUP,
        DJANGO_SETTINGS_MODULE=PRODUCTION,
        PARTSMALL_VAR_DIR=str(tmp_path),
        SECRET_KEY=production_key(),
        DEBUG="true",
    )

    assert result.returncode == 1
    assert last_line(result.stderr) == REFUSED + "Production refuses to start with DEBUG on."


def test_production_settings_pass_the_deployment_checklist(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE=PRODUCTION,
        PARTSMALL_VAR_DIR=str(tmp_path),
        SECRET_KEY=production_key(),
        ALLOWED_HOSTS="parts.example.com",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


PRINT_DATABASE_OPTIONS = (
    "from django.conf import settings; print(sorted(settings.DATABASES['default']['OPTIONS'].items()))"
)
POSTGRES = "postgres://postgres@127.0.0.1:5432/partsmall?sslmode=disable"


@pytest.mark.parametrize(
    ("flag", "expected"),
    [
        (None, [("prepare_threshold", 5), ("sslmode", "disable")]),
        ("false", [("sslmode", "disable")]),
    ],
)
def test_postgresql_prepares_statements_unless_told_not_to(tmp_path, flag, expected):
    env = {"DATABASE_PREPARED_STATEMENTS": flag} if flag else {}
    result = run_python(
        f"{DJANGO_SETUP}; {PRINT_DATABASE_OPTIONS}",
        DJANGO_SETTINGS_MODULE=EMBEDDED,
        PARTSMALL_VAR_DIR=str(tmp_path),
        DATABASE_URL=POSTGRES,
        **env,
    )

    assert result.returncode == 0, result.stderr
    assert last_line(result.stdout) == repr(expected)
