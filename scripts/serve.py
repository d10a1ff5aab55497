"""Runs the embedded default: one Celery worker with beat, and gunicorn (called by `make run`).

The two run as children in their own process groups, so a Ctrl-C in the terminal reaches
only this script, which then stops both once (SIGTERM: gunicorn and Celery finish the
work in hand). When either child dies the other is stopped too: a platform without its
worker would silently stop sending webhooks and running imports.
"""

import argparse
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partsmall.config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

from partsmall.demo.display import format_logins  # noqa: E402
from partsmall.demo.selectors import demo_logins  # noqa: E402

HOST = "127.0.0.1"
STOP_GRACE_SECONDS = 20
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Linux only: the child gets SIGTERM if this script is killed without cleaning up."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:
        pass


def _start(name: str, args: list[str]) -> tuple[str, subprocess.Popen[bytes]]:
    process = subprocess.Popen(args, cwd=ROOT, start_new_session=True, preexec_fn=_die_with_parent)
    return name, process


def _commands(port: int) -> list[tuple[str, list[str]]]:
    schedule = Path(settings.VAR_DIR) / "celerybeat-schedule"
    celery = [sys.executable, "-m", "celery", "-A", "partsmall", "worker", "--beat"]
    celery += ["--concurrency", "1", "--loglevel", "INFO", "--schedule", str(schedule)]
    gunicorn = [sys.executable, "-m", "gunicorn", "partsmall.config.wsgi", "--bind", f"{HOST}:{port}"]
    gunicorn += ["--workers", "2", "--access-logfile", "-", "--no-control-socket"]
    return [("celery worker", celery), ("gunicorn", gunicorn)]


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((HOST, port)) == 0


def _stop(children: list[tuple[str, subprocess.Popen[bytes]]]) -> None:
    for _name, process in children:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for name, process in children:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            print(f"{name} did not stop in {STOP_GRACE_SECONDS}s; killing it.", file=sys.stderr)
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        _stop_leftovers(process.pid)


def _stop_leftovers(group: int) -> None:
    """A child that died abruptly may leave its own children (gunicorn's workers) behind."""
    try:
        os.killpg(group, signal.SIGTERM)
    except ProcessLookupError:
        pass


def _banner(port: int) -> None:
    print(f"\nPartsMall is running at http://{HOST}:{port}  (Ctrl-C stops it)", flush=True)
    logins = demo_logins()
    if logins:
        print(
            "\nDemo logins (one per role; all share the password):\n" + format_logins(logins) + "\n",
            flush=True,
        )


def serve(port: int) -> int:
    stopping = False

    def request_stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    children = [_start(name, args) for name, args in _commands(port)]
    announced = False
    code = 0
    while not stopping:
        dead = [(name, p.returncode) for name, p in children if p.poll() is not None]
        if dead:
            name, rc = dead[0]
            print(f"{name} exited with code {rc}; stopping PartsMall.", file=sys.stderr)
            code = rc or 1
            break
        if not announced and _listening(port):
            _banner(port)
            announced = True
        time.sleep(0.5)
    print("Stopping PartsMall…", file=sys.stderr)
    _stop(children)
    return code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--port", type=int, default=8000)
    return serve(parser.parse_args().port)


if __name__ == "__main__":
    sys.exit(main())
