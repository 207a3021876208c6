"""The advisor: loading, building and answering, against plain TF-IDF (the baseline).

Run alone (`.venv/bin/python bench/advisor_bench.py`, a temporary SQLite database with the
catalog fixture) or through `bench/run.py advisor`. Figures:
- loading the catalog for the engine: time and SQL query count (constant in the catalog size);
- building the engine (two TF-IDF indexes), full vs plain TF-IDF;
- `Engine.advise` latency over the labelled cases (median, p95, max), full vs plain;
- the same with the catalog copied 5x and 20x, to show how it scales;
- `get_engine()` once built: the cost of the catalog-version check per request;
- the quality figures of `evaluate_advisor` (hit@1 / hit@3 / MRR / stack accuracy).
Benchmarks print figures; they assert nothing.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _timed(func: Callable[[], object], *, repeat: int = 1) -> tuple[float, object]:
    """Median seconds over ``repeat`` runs, and the last result."""
    times: list[float] = []
    result: object = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def _latencies(engine, answers: Sequence) -> tuple[float, float, float]:
    times = []
    for item in answers:
        started = time.perf_counter()
        engine.advise(item)
        times.append(time.perf_counter() - started)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return statistics.median(times) * 1000, p95 * 1000, times[-1] * 1000


def _copies(entries, stacks, factor: int):
    """The catalog ``factor`` times over (slugs suffixed), stacks pointing at the originals."""
    if factor == 1:
        return list(entries), list(stacks)
    copied = list(entries)
    for n in range(1, factor):
        copied.extend(
            replace(
                e,
                slug=f"{e.slug}-{n}",
                successor=f"{e.successor}-{n}" if e.successor else None,
                counterparts=frozenset(f"{c}-{n}" for c in e.counterparts),
            )
            for e in entries
        )
    return copied, list(stacks)


def run() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from advisor.catalog_source import (
        clear_engine_cache,
        get_engine,
        load_entries,
        load_labels,
        load_stacks,
    )
    from advisor.engine.evaluation import evaluate, format_table, load_cases
    from advisor.engine.scoring import Engine

    with CaptureQueriesContext(connection) as queries:
        seconds, loaded = _timed(lambda: (load_entries(), load_stacks()))
    entries, stacks = loaded  # type: ignore[misc]
    labels = load_labels()
    print(f"\nAdvisor: {len(entries)} entries, {len(stacks)} stacks")
    print(f"load_entries + load_stacks: {seconds * 1000:.1f} ms, {len(queries)} SQL queries")

    cases = load_cases()
    answers = [case.answers for case in cases]
    print(f"\n{'catalog':>8} | {'variant':<6} | {'build ms':>8} | "
          f"{'advise median ms':>16} | {'p95 ms':>7} | {'max ms':>7}")
    print("-" * 70)
    for factor in (1, 5, 20):
        docs, stack_docs = _copies(entries, stacks, factor)
        for name, rules, synonyms in (("full", True, True), ("plain", False, False)):
            build, engine = _timed(
                lambda d=docs, s=stack_docs, r=rules, y=synonyms: Engine(
                    d, s, use_rules=r, use_synonyms=y, labels=labels
                ),
                repeat=3 if factor == 1 else 1,
            )
            engine.advise(answers[0])  # warm up (jieba's dictionary is loaded once)
            median, p95, worst = _latencies(engine, answers)
            print(f"{len(docs):>8} | {name:<6} | {build * 1000:>8.1f} | {median:>16.2f} | "
                  f"{p95:>7.2f} | {worst:>7.2f}")

    clear_engine_cache()
    first, _ = _timed(get_engine)
    with CaptureQueriesContext(connection) as queries:
        cached, _ = _timed(get_engine, repeat=200)
    print(f"\nget_engine(): first call {first * 1000:.1f} ms (loads and builds); cached "
          f"{cached * 1e6:.0f} µs and {len(queries) // 200} query per call (version check)")

    def make(use_rules: bool, use_synonyms: bool) -> Engine:
        return Engine(
            entries, stacks, use_rules=use_rules, use_synonyms=use_synonyms, labels=labels
        )

    seconds, (figures, _) = _timed(lambda: evaluate(make, cases))  # type: ignore[misc]
    print(f"\nQuality on {len(cases)} labelled cases ({seconds:.1f} s for four variants):")
    print(format_table(figures))


def _standalone() -> None:
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory(prefix="aliadvisor-advisor-bench-") as tmp:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aliadvisor.settings")
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0, interactive=False)
        fixture = ROOT / "fixtures" / "catalog.json"
        if not fixture.exists():
            print(f"{fixture} does not exist: nothing to benchmark.")
            return
        call_command("loaddata", str(fixture), verbosity=0)
        run()


if __name__ == "__main__":
    _standalone()
