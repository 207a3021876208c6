"""How many entries the advisor must score in a large catalog: advice with the engine's
``CANDIDATES`` against a larger retrieval, on every labelled real question.

    .venv/bin/python bench/candidates.py                      # 10,000 entries; 800 vs 400, 200, 150
    .venv/bin/python bench/candidates.py --size 5000 --against 300,200

Beyond ``CANDIDATES`` entries the engine scores a retrieved subset (the best text matches, the
named entries, those made for a stated scenario or data type...). A temporary SQLite database
gets the catalog fixture and synthetic entries (``generate_synthetic_catalog``); for each
subset size the benchmark prints the median time per question and how many of the 280
questions keep the reference's first answer, top 3, top 10, verdict and stacks. Not part of
``make bench`` (10,000 entries take minutes).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import scale  # noqa: E402 - the scale benchmark's database set-up


def answers_at(limit: int, cases) -> tuple[list[tuple], float]:
    from advisor.catalog_source import get_engine
    from advisor.engine import scoring

    engine = get_engine()
    shipped, scoring.CANDIDATES = scoring.CANDIDATES, limit
    seen, seconds = [], []
    try:
        for case in cases:
            started = time.perf_counter()
            advice = engine.advise(case.answers)
            seconds.append(time.perf_counter() - started)
            seen.append((
                tuple(p.slug for p in advice.projects[:10]),
                advice.verdict,
                tuple(s.slug for s in advice.stacks[:3]),
            ))
    finally:
        scoring.CANDIDATES = shipped
    return seen, statistics.median(seconds)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000, help="Entries in the catalog.")
    parser.add_argument("--reference", type=int, default=800, help="The reference's subset.")
    parser.add_argument("--against", default="400,200,150", help="Subset sizes to compare.")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="aliadvisor-candidates-") as tmp:
        scale.progress("setting up a temporary database with the catalog fixture")
        scale.setup(Path(tmp) / "candidates.sqlite3", Path(tmp) / "tokens")
        from advisor.catalog_source import get_engine
        from advisor.engine import scoring
        from advisor.engine.evaluation import load_real_cases
        from catalog import synthetic
        from catalog.models import Project

        shipped = scoring.CANDIDATES
        missing = args.size - Project.objects.count()
        if missing > 0:
            scale.progress(f"generating {missing} synthetic entries")
            synthetic.generate(count=missing, seed=args.size)
        scale.progress("building the engine")
        get_engine()
        answerable, no_fit = load_real_cases()
        cases = answerable + no_fit
        scale.progress(f"{len(cases)} questions with {args.reference} candidates")
        reference, reference_time = answers_at(args.reference, cases)
        entries = Project.objects.count()
        print(f"\n{entries} entries, {len(cases)} questions; the same as with "
              f"{args.reference} candidates ({reference_time * 1000:.1f} ms a question):\n")
        print("| candidates | ms / question | first answer | top 3 | top 10 | verdict | stacks |")
        print("|---|---|---|---|---|---|---|")
        for limit in sorted({int(n) for n in args.against.split(",")}, reverse=True):
            scale.progress(f"{len(cases)} questions with {limit} candidates")
            seen, median = answers_at(limit, cases)
            same = [
                sum(ours[0][:k] == theirs[0][:k] for ours, theirs in zip(seen, reference,
                                                                          strict=True))
                for k in (1, 3, 10)
            ]
            verdicts = sum(a[1] == b[1] for a, b in zip(seen, reference, strict=True))
            stacks = sum(a[2] == b[2] for a, b in zip(seen, reference, strict=True))
            mark = " (shipped)" if limit == shipped else ""
            print(f"| {limit}{mark} | {median * 1000:.1f} | {same[0]} | {same[1]} | {same[2]} | "
                  f"{verdicts} | {stacks} |")
        from django.db import connections

        connections.close_all()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
