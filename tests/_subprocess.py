"""Runs Python or a script of the project in a child process with a clean environment."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Variables the settings read; the child starts from none of them so the parent's
# (the PostgreSQL pass sets DATABASE_URL, CI sets CI) cannot leak into what is tested.
_SETTINGS_VARIABLES = {
    "DJANGO_SETTINGS_MODULE",
    "PARTSMALL_VAR_DIR",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "DATABASE_PREPARED_STATEMENTS",
    "REDIS_URL",
    "SESSION_COOKIE_AGE",
    "DEVELOPER_INBOX_ENABLED",
    "LOG_LEVEL",
    "CI",
    "PG_TEST_URL",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}
_SETTINGS_PREFIXES = ("LOGIN_", "SMS_", "SECURE_", "CELERY_")


def clean_env(**extra: str) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in _SETTINGS_VARIABLES and not name.startswith(_SETTINGS_PREFIXES)
    }
    return env | extra


def run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, env=clean_env(**env), capture_output=True, text=True, timeout=120)


def run_python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return run([sys.executable, "-c", code], **env)


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return run([sys.executable, "manage.py", *args], **env)


def last_line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[-1] if lines else ""
