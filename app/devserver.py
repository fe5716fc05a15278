"""`make run`: migrate, load the Hilden demo data, start web server, worker and beat together.

Everything runs on the embedded default (SQLite file and SQLite broker under instance/), so no
server has to be installed. Ctrl+C stops all three processes.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOST = os.environ.get("HOST", "127.0.0.1")
PORT = os.environ.get("PORT", "5000")


def _run(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi.py", *args], cwd=ROOT, check=True)


def _start(args: list[str], name: str) -> subprocess.Popen:
    print(f"* starte {name}", flush=True)
    return subprocess.Popen(args, cwd=ROOT, start_new_session=True)


def main() -> int:
    """Prepare the database and run the three processes until interrupted."""
    os.environ.setdefault("APP_ENV", "development")
    os.environ.setdefault("BASE_URL", f"http://{HOST}:{PORT}")
    _run("db", "upgrade")
    _run("demo-daten")
    celery = [sys.executable, "-m", "celery", "-A", "worker.app"]
    procs = [
        _start([*celery, "worker", "--pool=solo", "--loglevel=WARNING"], "Worker"),
        _start(
            [
                *celery,
                "beat",
                "--loglevel=WARNING",
                "-s",
                str(ROOT / "instance" / "celerybeat-schedule"),
            ],
            "Beat",
        ),
        _start(
            [
                sys.executable,
                "-m",
                "flask",
                "--app",
                "wsgi.py",
                "run",
                "--host",
                HOST,
                "--port",
                PORT,
            ],
            "Webserver",
        ),
    ]
    print(f"\nPlanungskreislauf läuft: http://{HOST}:{PORT}  (Beenden mit Strg+C)\n", flush=True)
    try:
        while all(p.poll() is None for p in procs):
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
