"""The README's production section, run as written: a fresh copy of the code, a new database,
``pip install .`` without development tools, migrations, the first Stabsstelle account, then
gunicorn, worker and beat as separate processes, up to a served login page and the invitation
mail at the (real) SMTP server.

The section's commands are taken from the README itself; only the settings file they read
(``PK_ENV``) and the bind address (``PK_BIND``) are this test's own.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest

from tests.support.services import free_port

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.committed


def production_commands() -> list[str]:
    """The shell lines of the README's section "Betrieb in Produktion"."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Betrieb in Produktion", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "kein sh-Block im Produktionsabschnitt"
    return [line for line in block.group(1).splitlines() if line.strip()]


def _copy_of_the_code(target: Path) -> Path:
    """What a clean checkout holds: the files git tracks (plus new ones not yet committed)."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    for name in listed:
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def _env_file(path: Path, test_env: dict[str, str], data: Path, db: str, port: int) -> None:
    pg = urlsplit(test_env["DATABASE_URL"].replace("postgresql+psycopg", "postgresql"))
    settings = {
        "APP_ENV": "production",
        "PK_DB_USER": db,
        "PK_DB_NAME": db,
        # the database administrator for createuser/createdb (sudo -u postgres in real life)
        "PGHOST": pg.hostname or "127.0.0.1",
        "PGPORT": str(pg.port or 5432),
        "PGUSER": pg.username or "postgres",
        "DATABASE_URL": f"postgresql+psycopg://{db}@{pg.hostname}:{pg.port or 5432}/{db}",
        # the suite's second Redis database: the session's own worker never sees these tasks
        "REDIS_URL": test_env["RATELIMIT_STORAGE_URI"],
        "RATELIMIT_STORAGE_URI": "memory://",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": test_env["SMTP_PORT"],
        "MAIL_FROM": '"Stabsstelle Sozialplanung <sozialplanung@stadt.example>"',
        "BASE_URL": f"http://127.0.0.1:{port}",
        "ALLOW_INSECURE_HTTP": "1",
        "INSTANCE_DIR": str(data),
        "UPLOAD_DIR": str(data / "uploads"),
    }
    path.write_text("".join(f"{k}={v}\n" for k, v in settings.items()), encoding="utf-8")


def _run(line: str, cwd: Path, env: dict[str, str], prelude: str, timeout: int = 900):
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", f"{prelude}\n{line}"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _wait_for_page(url: str, processes: list[subprocess.Popen], seconds: float = 120) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for proc in processes:
            assert proc.poll() is None, f"Dienst beendet: {proc.args}"
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode()
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"{url} antwortet nicht")


def _drop(test_env: dict[str, str], name: str) -> None:
    admin = test_env["DATABASE_URL"].replace("postgresql+psycopg", "postgresql").rsplit("/", 1)[0]
    with psycopg.connect(f"{admin}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'DROP ROLE IF EXISTS "{name}"')


def test_readme_production_section_runs_as_written(test_env, smtp_server, tmp_path) -> None:
    lines = production_commands()
    assert lines[0].startswith("set -a;") and "PK_ENV" in lines[0]
    code = _copy_of_the_code(tmp_path / "planungskreislauf")
    data = tmp_path / "var-lib-planungskreislauf"
    db = f"pk_prod_{secrets.token_hex(4)}"
    port = free_port()
    env_file = tmp_path / "planungskreislauf.env"
    _env_file(env_file, test_env, data, db, port)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "VIRTUAL_ENV"))}
    env.update(PK_ENV=str(env_file), PK_BIND=f"127.0.0.1:{port}", PATH=_path_without_venv())
    setup = [line for line in lines if not _is_service(line)]
    services = [line for line in lines if _is_service(line)]
    assert len(services) == 3, "gunicorn, Worker und Beat als eigene Dienste"
    prelude = lines[0]
    processes: list[subprocess.Popen] = []
    try:
        for line in setup[1:]:
            done = _run(line, code, env, prelude)
            assert done.returncode == 0, f"{line}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        venv = code / ".venv"
        assert not (venv / "bin" / "pytest").exists() and not (venv / "bin" / "ruff").exists()
        assert not list((venv / "lib").glob("python3*/site-packages/playwright"))
        assert (data / "uploads").is_dir() or data.is_dir()
        assert not (code / "instance").exists(), "Daten dürfen nicht im Code-Ordner landen"
        for line in services:
            with (tmp_path / f"dienst{len(processes)}.log").open("w") as log:
                processes.append(
                    subprocess.Popen(
                        ["bash", "-c", f"{prelude}\nexec {line}"],
                        cwd=code,
                        env=env,
                        stdout=log,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    )
                )
        page = _wait_for_page(f"http://127.0.0.1:{port}/anmelden", processes)
        assert "Anmelden" in page and '<html lang="de">' in page
        [mail] = smtp_server.wait_for("person@stadt.example", timeout=120)
        assert f"http://127.0.0.1:{port}/einladung/" in mail.text()
        assert (data / "celerybeat-schedule").exists() or list(data.glob("celerybeat-schedule*"))
    finally:
        for proc in processes:
            _stop(proc)
        _drop(test_env, db)


def _is_service(line: str) -> bool:
    """A long-running line (web server, worker, beat) rather than a one-off setup step."""
    return line.startswith((".venv/bin/gunicorn", ".venv/bin/celery"))


def _stop(proc: subprocess.Popen) -> None:
    """End one service process group that this test started."""
    import signal

    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)


def _path_without_venv() -> str:
    """PATH without the test's own virtualenv, so the section's python3 is the system one."""
    venv_bin = str(Path(sys.executable).parent)
    return os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep) if p != venv_bin)
