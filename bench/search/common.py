"""What the search benchmarks share: the bench databases, Django set-up, timing and tables."""

import os
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

BASE_DIR = Path(__file__).resolve().parent.parent.parent
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/partsmall_bench"
SQLITE_PATH = BASE_DIR / "var" / "bench.sqlite3"


def database_url(target: str, url: str = "") -> str:
    """The bench database: never the development or test database."""
    if url:
        return url
    if target == "postgres":
        return POSTGRES_URL
    return f"sqlite:///{SQLITE_PATH}"


def recreate_postgres_database(url: str) -> None:
    """Drops the database of `url` (closing its connections) and creates it empty, so the
    bench schema is exactly what the migrations make today."""
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if not name.startswith("partsmall_bench"):
        raise SystemExit(f"refusing to drop {name!r}: bench databases are named partsmall_bench…")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partsmall.config.settings")
    import logging

    import django
    import jieba

    django.setup()
    jieba.setLogLevel(logging.WARNING)


class Stopwatch:
    """Named stages with their wall-clock seconds, printed as they finish."""

    def __init__(self) -> None:
        self.stages: list[tuple[str, float]] = []

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        seconds = time.perf_counter() - start
        self.stages.append((name, seconds))
        print(f"  {name:<40} {seconds:8.2f} s", flush=True)

    @property
    def total(self) -> float:
        return sum(seconds for _, seconds in self.stages)


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (p95 of 200 samples is the 190th smallest)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, -(-int(round(fraction * 1000)) * len(ordered) // 1000))
    return ordered[min(rank, len(ordered)) - 1]


def format_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table (pastes into RESULTS.md as it is printed)."""
    cells = [[str(h) for h in headers], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |" for row in cells]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)
