"""Run all benchmarks against real PostgreSQL/Redis/worker and print one `bench:` line each.

Select some with ``python -m bench NAME …``. Settings: BENCH_DATABASE_URL (default
``postgresql+psycopg://postgres@127.0.0.1:5432/bench``, emptied by each benchmark) and
BENCH_REDIS_URL (default ``redis://127.0.0.1:6379/12``, flushed); see bench/support.py.
"""

from __future__ import annotations

import importlib
import sys
import time

# module names in bench/, each with run() -> str
BENCHMARKS: list[str] = [
    "indikatorimport",
    "importanfrage",
    "rueckmeldungen",
    "einladungen",
    "seiten",
]


def main(names: list[str]) -> int:
    chosen = names or BENCHMARKS
    if not chosen:
        print("bench: keine Benchmarks registriert")
        return 0
    for name in chosen:
        started = time.monotonic()
        module = importlib.import_module(f"bench.{name}")
        print(module.run(), flush=True)
        print(f"  ({name}: {time.monotonic() - started:.1f} s gesamt)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
