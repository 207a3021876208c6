"""How the site's cost grows with the catalog: the shipped catalog, then 1,000 and 10,000 entries.

    .venv/bin/python bench/scale.py                    # shipped, 1000, 10000
    .venv/bin/python bench/scale.py --sizes 0,1000     # 0 = the shipped catalog

Not part of ``make bench`` or CI (10,000 entries take minutes). A temporary SQLite database gets
the catalog fixture, then synthetic entries (``generate_synthetic_catalog``). With DEBUG off,
through every middleware (Django's test client), it measures at each size:

- each page's median time as a ratio to a bare view measured in the same run, their requests
  alternating (so the machine's speed, even while it changes, cancels out), and its SQL
  query count;
- in a new process started as gunicorn starts (``prepare_to_serve`` first), each of a few
  pages' first request as a ratio to its warm median;
- the cold build of the indexes (document store + search index + advisor engine, empty token
  cache) and the rebuild after one edit (the token cache warm: only the edited texts are
  tokenised), and the RSS of a serving process (the new one, after its warm-up and its first
  pages) and of this one.

The summary prints the ratios per size and their growth from the shipped catalog, and the
advice's time over a bare view answering one plain TF-IDF query (the same question). Targets
(issues 7 and 10): shipped advise <= 4x (a bare view + one plain TF-IDF query), list and
search <= 40x a bare view; growth to 10,000 entries:
advise <= 5x, list/search/API page <= 3x, detail <= 1.5x; rebuild after an edit <= 5 s at 10k;
RSS <= 350 MB at 10k (a serving process).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent

# The advisor's yardstick (issue 7): a bare view plus one plain TF-IDF query, same question.
ADVISE_QUESTION = {"q": "推荐CTR模型训练", "framework": "pytorch"}
TFIDF = "/bench/tfidf/?" + urlencode({"q": ADVISE_QUESTION["q"]})

PAGES: list[tuple[str, str]] = [
    ("list", "/catalog/"),
    ("list p.5", "/catalog/?page=5"),
    ("list facets", "/catalog/?" + urlencode(
        [("framework", "pytorch"), ("framework", "tensorflow"), ("scenario", "recommendation"),
         ("maintained", "1")]
    )),
    ("search zh", "/catalog/?" + urlencode({"q": "图数据库"})),
    ("search en p.2", "/catalog/?" + urlencode({"q": "recommendation model training", "page": 2})),
    ("detail", "/catalog/tugraph-db/"),
    ("api detail", "/api/projects/tugraph-db/"),
    ("api list", "/api/projects/"),
    ("api list p.3", "/api/projects/?" + urlencode({"page": 3, "sort": "maintenance"})),
    ("api list q", "/api/projects/?" + urlencode({"q": "联邦学习", "framework": "pytorch"})),
    ("advise api", "/api/advise/?" + urlencode(ADVISE_QUESTION)),
    ("advise page", "/advisor/?" + urlencode({"q": "graph database for fraud detection"})),
    # The visual issue's pages, measured when they exist (404 otherwise: skipped).
    ("graph", "/catalog/graph/"),
    ("landscape", "/catalog/landscape/"),
    ("stats", "/catalog/stats/"),
    ("api graph", "/api/graph/"),
]
BARE = "/bench/bare/"
BARE_SETTLE = 4  # bare requests after each page before the one that is timed


def progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())}] {message}", file=sys.stderr, flush=True)


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def configure(db_path: Path, cache_dir: Path) -> None:
    """Django on the benchmark's database and token file, DEBUG off."""
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-not-for-production-0123456789")
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    os.environ["ALIADVISOR_TEXTINDEX_DIR"] = str(cache_dir)
    os.environ["ALIADVISOR_INDEX_WARM"] = "0"
    os.environ["DJANGO_SETTINGS_MODULE"] = "aliadvisor.settings"
    import django
    from django.conf import settings

    django.setup()
    settings.ROOT_URLCONF = "bench.scale_urls"
    # Each measured request is the same request again: no rate limiting or login lockout.
    settings.SECURE_SSL_REDIRECT = False
    # Pages name static files; without collectstatic there is no manifest to hash them with.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def setup(db_path: Path, cache_dir: Path) -> None:
    configure(db_path, cache_dir)
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("loaddata", str(ROOT / "fixtures" / "catalog.json"), verbosity=0)


def timed(client, url: str, runs: int) -> tuple[float, int, int]:
    """(median seconds, status, queries) of ``runs`` requests after one warm-up."""
    seconds, _bare, status, queries = timed_with_bare(client, url, runs, bare_url=None)
    return seconds, status, queries


def timed_with_bare(
    client, url: str, runs: int, *, bare_url: str | None = BARE
) -> tuple[float, float, int, int]:
    """(median seconds, bare view's median seconds, status, queries) of ``runs`` requests after
    one warm-up, each followed by the bare view: both medians come from the same seconds, so
    a machine that slows down for a while slows both. Of each round's bare requests only the
    last one counts (the first ones after a page still pay for its garbage and cold caches,
    which would flatter the page's ratio)."""
    from django.db import connection

    response = client.get(url)
    if response.status_code == 404:
        return float("nan"), float("nan"), 404, 0
    executed: list[str] = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    if bare_url:
        client.get(bare_url)
    samples, bare = [], []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url)
        samples.append(time.perf_counter() - started)
        if bare_url:
            for _ in range(BARE_SETTLE):
                client.get(bare_url)
            started = time.perf_counter()
            client.get(bare_url)
            bare.append(time.perf_counter() - started)
    return (
        statistics.median(samples),
        statistics.median(bare) if bare else float("nan"),
        response.status_code,
        len(executed),
    )


def builds() -> dict[str, float]:
    """Cold build (empty token cache) and rebuild after one edit, of texts and engine."""
    from advisor import catalog_source
    from catalog import textstore
    from catalog.models import Project

    texts, engine = textstore.texts_cache(), catalog_source.engine_cache()
    cache = textstore.token_cache()
    if cache.path is not None and cache.path.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{cache.path}{suffix}").unlink(missing_ok=True)
    textstore._token_cache = None  # a fresh process: nothing in memory, no file
    texts.clear()
    engine.clear()
    started = time.perf_counter()
    textstore.current_texts()
    engine.current()
    cold = time.perf_counter() - started
    project = Project.objects.get(slug="tugraph-db")
    project.summary_en += " (edited)"
    project.save()
    started = time.perf_counter()
    textstore.current_texts()
    engine.current()
    incremental = time.perf_counter() - started
    # A new process on the same token file: nothing in memory, every text in the file.
    textstore._token_cache = None
    texts.clear()
    engine.clear()
    started = time.perf_counter()
    textstore.current_texts()
    engine.current()
    restart = time.perf_counter() - started
    return {"cold": cold, "edit": incremental, "restart": restart}


# The pages whose first request after a start is compared with a warm one.
FIRST_PAGES = ("advise api", "advise page", "list", "search zh", "detail")


def first_requests(db_path: Path, cache_dir: Path, runs: int) -> None:
    """In a new process (``--first-request``): start as gunicorn does (``prepare_to_serve``
    before the first request), then print each page's first request and warm median as JSON."""
    configure(db_path, cache_dir)
    from django.test import Client

    from aliadvisor.health import prepare_to_serve

    started = time.perf_counter()
    prepare_to_serve()
    warm_seconds = time.perf_counter() - started
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    # gunicorn builds its WSGI handler, middleware loaded, when it imports the application,
    # before any request; the test client's handler does it on its first request.
    client.handler.load_middleware()
    pages = dict(PAGES)
    out = {"warm_up": warm_seconds, "rss_warm": rss_mb(), "pages": {}}
    for name in FIRST_PAGES:
        started = time.perf_counter()
        client.get(pages[name])
        first = time.perf_counter() - started
        warm, _status, _queries = timed(client, pages[name], runs)
        out["pages"][name] = {"first": first, "warm": warm}
    out["rss"] = rss_mb()
    print(json.dumps(out))


def first_request_ratios(runs: int) -> dict:
    """``first_requests`` in a child process on this benchmark's database and token file."""
    from django.conf import settings

    db_path = Path(settings.DATABASES["default"]["NAME"])
    cache_dir = Path(os.environ["ALIADVISOR_TEXTINDEX_DIR"])
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--first-request",
         str(db_path), str(cache_dir), "--runs", str(runs)],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(size_label: str, runs: int) -> dict:
    from django.test import Client

    from catalog.models import Project

    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    progress(f"{size_label}: building indexes (cold, after one edit, new process)")
    build = builds()
    progress(f"{size_label}: cold {build['cold']:.1f} s, after an edit {build['edit']:.2f} s, "
             f"new process {build['restart']:.1f} s")
    result = {"entries": Project.objects.count(), "build": build, "pages": {}}
    bare_samples = []
    for name, url in PAGES:
        seconds, bare, status, queries = timed_with_bare(client, url, runs)
        if status == 404:
            continue
        bare_samples.append(bare)
        result["pages"][name] = {"seconds": seconds, "bare": bare, "status": status,
                                 "queries": queries}
        progress(f"{size_label}: {name:<14} {seconds * 1000:8.1f} ms  "
                 f"{seconds / bare:7.1f}x bare  {queries:3d} queries  (HTTP {status})")
    result["bare"] = statistics.median(bare_samples)
    # The advice against the plain TF-IDF baseline, their requests alternating likewise.
    result["advise"], result["tfidf"], _, _ = timed_with_bare(
        client, dict(PAGES)["advise api"], runs, bare_url=TFIDF
    )
    progress(f"{size_label}: bare view + one plain TF-IDF query "
             f"{result['tfidf'] * 1000:.2f} ms; advise api "
             f"{result['advise'] / result['tfidf']:.1f}x that")
    result["rss"] = rss_mb()
    progress(f"{size_label}: bare view {result['bare'] * 1000:.2f} ms, RSS {result['rss']:.0f} MB")
    progress(f"{size_label}: a new process: warm-up, then each page's first request")
    result["first"] = first_request_ratios(runs)
    worst = max(p["first"] / p["warm"] for p in result["first"]["pages"].values())
    progress(f"{size_label}: warm-up {result['first']['warm_up']:.1f} s; first request at most "
             f"{worst:.1f}x a warm one; RSS {result['first']['rss_warm']:.0f} MB after the "
             f"warm-up, {result['first']['rss']:.0f} MB after those pages")
    return result


def report(results: list[dict]) -> None:
    first = results[0]
    names = [name for name, _ in PAGES if name in first["pages"]]
    header = "| page | " + " | ".join(f"{r['entries']} entries (x bare, queries)" for r in results)
    if len(results) > 1:
        header += " | growth " + " | growth ".join(str(r["entries"]) for r in results[1:])
    print("\n" + header + " |")
    print("|" + "---|" * (1 + len(results) + max(0, len(results) - 1)))
    for name in names:
        cells = []
        for r in results:
            page = r["pages"].get(name)
            cells.append(
                f"{page['seconds'] * 1000:.1f} ms = {page['seconds'] / page['bare']:.0f}x, "
                f"{page['queries']} q" if page else "-"
            )
        growth = []
        for r in results[1:]:
            page, base = r["pages"].get(name), first["pages"][name]
            growth.append(
                f"{(page['seconds'] / page['bare']) / (base['seconds'] / base['bare']):.2f}x"
                if page else "-"
            )
        print(f"| {name} | " + " | ".join(cells + growth) + " |")
    rows = [
        ("bare view", lambda r: f"{r['bare'] * 1000:.2f} ms"),
        ("bare view + one plain TF-IDF query", lambda r: f"{r['tfidf'] * 1000:.2f} ms"),
        ("advise api / (bare + TF-IDF query)",
         lambda r: f"{r['advise'] / r['tfidf']:.1f}x"),
        ("cold build (texts + engine)", lambda r: f"{r['build']['cold']:.2f} s"),
        ("rebuild after one edit", lambda r: f"{r['build']['edit']:.2f} s"),
        ("build in a new process (token file warm)", lambda r: f"{r['build']['restart']:.2f} s"),
        ("RSS of a serving process (warm-up, then these pages)",
         lambda r: f"{r['first']['rss_warm']:.0f} MB, then {r['first']['rss']:.0f} MB"),
        ("RSS of this process (three builds, every page)", lambda r: f"{r['rss']:.0f} MB"),
        ("new process: warm-up before serving", lambda r: f"{r['first']['warm_up']:.2f} s"),
        *(
            (f"first request after start / warm: {name}",
             lambda r, name=name: f"{r['first']['pages'][name]['first'] * 1000:.1f} ms = "
             f"{r['first']['pages'][name]['first'] / r['first']['pages'][name]['warm']:.1f}x")
            for name in FIRST_PAGES
        ),
    ]
    for label, cell in rows:
        cells = [cell(r) for r in results] + ["-"] * max(0, len(results) - 1)
        print(f"| {label} | " + " | ".join(cells) + " |")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0,1000,10000",
                        help="Catalog sizes, comma-separated; 0 is the shipped catalog.")
    parser.add_argument("--runs", type=int, default=15, help="Requests per page and size.")
    parser.add_argument("--first-request", nargs=2, metavar=("DB", "TOKENS"),
                        help=argparse.SUPPRESS)  # the child process of first_request_ratios
    args = parser.parse_args(argv)
    if args.first_request:
        first_requests(Path(args.first_request[0]), Path(args.first_request[1]), args.runs)
        return 0
    sizes = sorted(int(size) for size in args.sizes.split(","))
    with tempfile.TemporaryDirectory(prefix="aliadvisor-scale-") as tmp:
        progress("setting up a temporary database with the catalog fixture")
        setup(Path(tmp) / "scale.sqlite3", Path(tmp) / "tokens")
        from catalog import synthetic
        from catalog.models import Project

        results = []
        for size in sizes:
            current = Project.objects.count()
            if size > current:
                progress(f"generating {size - current} synthetic entries")
                started = time.perf_counter()
                synthetic.generate(count=size - current, seed=size)
                progress(f"generated in {time.perf_counter() - started:.1f} s")
            label = f"{Project.objects.count()} entries"
            runs = args.runs if Project.objects.count() < 5000 else max(5, args.runs // 2)
            results.append(measure(label, runs))
        report(results)
        from django.db import connections

        connections.close_all()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
