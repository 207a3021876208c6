"""Query understanding (advisor/engine/query.py): preparing the catalog side and reading a
question, next to the engine's own answer to it.

Run alone (`.venv/bin/python bench/query_bench.py`, a temporary SQLite database with the
catalog fixture) or through `bench/run.py query`. Figures: `prepare` (once per catalog
version: alias patterns, typo targets, the English word list), `read` latency over the labelled
and the real questions (median, p95, max), `Engine.advise` on the same questions for scale,
and how many questions had a typo corrected, a framework avoided, a comparison, a deployment,
a scale or a named entry in each role. Benchmarks print figures; they assert nothing.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _percentiles(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return (
        f"median {statistics.median(ordered) * 1000:.3f} ms, p95 {p95 * 1000:.3f} ms, "
        f"max {ordered[-1] * 1000:.3f} ms"
    )


def run() -> None:
    from advisor.catalog_source import load_entries, load_labels, load_stacks
    from advisor.engine.evaluation import load_cases, load_real_cases
    from advisor.engine.query import prepare, read
    from advisor.engine.scoring import Engine

    entries = load_entries()
    if not entries:
        print("No entries in the catalog: nothing to measure (load fixtures/catalog.json).")
        return
    engine = Engine(entries, load_stacks(), labels=load_labels())
    started = time.perf_counter()
    context = prepare(
        aliases=engine.aliases,
        vocabulary=engine.index.vocabulary,
        entry_frameworks={e.slug: e.frameworks for e in engine.entries},
    )
    print(f"\nQuery understanding: prepare {(time.perf_counter() - started) * 1000:.1f} ms "
          f"({len(context.alias_patterns)} aliases, {len(context.known):,} known words)")
    real, real_no_fit = load_real_cases()
    answers = [c.answers for c in [*load_cases(), *real, *real_no_fit] if c.answers.text]
    read_times: list[float] = []
    advise_times: list[float] = []
    found: Counter[str] = Counter()
    for answer in answers:
        started = time.perf_counter()
        facts = read(answer.text, context=context)
        read_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        engine.advise(answer)
        advise_times.append(time.perf_counter() - started)
        found["typo corrected"] += bool(facts.corrections)
        found["framework avoided"] += bool(facts.frameworks_avoided)
        found["comparison"] += facts.comparison
        found["deployment"] += bool(facts.deployment)
        found["scale"] += bool(facts.scale)
        for role in set(facts.named.values()):
            found[f"an entry as {role}"] += 1
    print(f"read over {len(answers)} questions: {_percentiles(read_times)}")
    print(f"Engine.advise on the same questions: {_percentiles(advise_times)}")
    print("Questions with: " + ", ".join(f"{k} {v}" for k, v in sorted(found.items())))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "bench"))
    import tempfile

    from run import setup_django

    with tempfile.TemporaryDirectory(prefix="aliadvisor-bench-") as tmp:
        setup_django(Path(tmp) / "bench.sqlite3")
        run()
