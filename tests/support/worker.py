"""A real Celery worker process (with embedded beat) against the test database and Redis."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class WorkerProcess:
    """Start, stop and kill -9 a ``celery -A worker.app worker -B`` process group."""

    def __init__(self, env: dict[str, str], logdir: Path) -> None:
        self.env = env
        self.logdir = logdir
        self.proc: subprocess.Popen | None = None
        self.logfile: Path | None = None

    def start(self, timeout: float = 60) -> WorkerProcess:
        name = uuid.uuid4().hex[:8]
        self.logfile = self.logdir / f"worker-{name}.log"
        schedule = self.logdir / f"beat-{name}"
        with self.logfile.open("wb") as log:  # the child keeps its own descriptor
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "worker.app",
                    "worker",
                    "-B",
                    "-s",
                    str(schedule),
                    "--pool=prefork",
                    "--concurrency=2",
                    "--loglevel=INFO",
                    "-n",
                    f"test-{name}@%h",
                    "--without-gossip",
                    "--without-mingle",
                ],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._wait_ready(timeout)
        return self

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc and self.proc.poll() is not None:
                raise RuntimeError(f"Celery-Worker beendet sich sofort:\n{self.log()}")
            if b" ready." in self.logfile.read_bytes():
                return
            time.sleep(0.2)
        raise RuntimeError(f"Celery-Worker wurde nicht bereit:\n{self.log()}")

    def log(self) -> str:
        return self.logfile.read_text(errors="replace")[-6000:] if self.logfile else ""

    def full_log(self) -> str:
        return self.logfile.read_text(errors="replace") if self.logfile else ""

    def wait_for_log(self, text: str, count: int = 1, timeout: float = 30) -> str:
        """Wait until ``text`` appears ``count`` times in this worker's log."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            log = self.full_log()
            if log.count(text) >= count:
                return log
            time.sleep(0.1)
        raise AssertionError(
            f"{text!r} nicht {count}x im Worker-Log binnen {timeout}s:\n{self.log()}"
        )

    def kill9(self) -> None:
        """SIGKILL the whole process group: no warm shutdown, no acks, no cleanup."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        """Warm shutdown: SIGTERM to the main process only, which stops its pool and beat
        (a SIGTERM to the whole group kills the pool processes under it, which it restarts)."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(30)
        if self.proc:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)  # leftovers of the group, if any
            self.proc.wait(10)
