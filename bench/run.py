"""Run the benchmarks: `make bench` (or `.venv/bin/python bench/run.py [name ...]`).

Every ``bench/*_bench.py`` module with a ``run()`` function is a benchmark; give names (e.g.
``search``) to run only some. They share one temporary SQLite database holding the catalog
fixture (fixtures/catalog.json), so the project's own database is never touched. Benchmarks
print figures; they assert nothing.
"""

from __future__ import annotations

import importlib
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = Path(__file__).resolve().parent


def discover() -> list[str]:
    return sorted(path.stem.removesuffix("_bench") for path in BENCH_DIR.glob("*_bench.py"))


def setup_django(db_path: Path) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aliadvisor.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("ADVISOR_LOG_QUERIES", "0")  # benchmarks are not questions asked
    import django
    from django.core.management import call_command

    django.setup()
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    fixture = ROOT / "fixtures" / "catalog.json"
    if fixture.exists():
        call_command("loaddata", str(fixture), verbosity=0)
        from catalog.models import Project

        print(
            f"Temporary database: {Project.objects.count()} entries from {fixture.name} "
            f"(migrate + loaddata {time.perf_counter() - started:.1f} s)"
        )
    else:
        print(f"Temporary database WITHOUT the catalog: {fixture} does not exist yet.")


def main(argv: list[str]) -> int:
    available = discover()
    wanted = argv or available
    unknown = [name for name in wanted if name not in available]
    if unknown:
        print(f"Unknown benchmark(s): {', '.join(unknown)}. Available: {', '.join(available)}")
        return 2
    with tempfile.TemporaryDirectory(prefix="aliadvisor-bench-") as tmp:
        setup_django(Path(tmp) / "bench.sqlite3")
        sys.path.insert(0, str(BENCH_DIR))
        for name in wanted:
            module = importlib.import_module(f"{name}_bench")
            title = module.__doc__.strip().splitlines()[0] if module.__doc__ else ""
            print(f"\n=== {name}: {title}")
            module.run()
        from django.db import connections

        connections.close_all()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
