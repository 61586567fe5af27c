"""`make bench`: the reader pages under load, uncached and cached, as ratios to a trivial Django view.

    make bench                     # N=10000 on PostgreSQL (newsroom_bench_run), Redis db 10
    make bench N=100000
    make bench SQLITE=1            # the embedded SQLite file instead of PostgreSQL

Steps: (1) a fresh database for N articles through the bulk path (bench/dataset.py; kept between runs
when it already holds N articles, --fresh rebuilds it); (2) the median in-process render time of each
page with Django's test client (no HTTP, page cache off); (3) for each set-up (uncached with
NEWSROOM_PAGE_CACHE=0, cached in Redis, cached in local memory) gunicorn with production settings
(DJANGO_DEBUG off, bench/settings.py) and `wrk` from another process against the floor view
(/bench-floor/, a constant ~41 KB page, only in bench/urls.py) and front, article, section, tag, search
and feed pages, each cycling through several addresses; (4) worker RSS after each set-up. It prints a
table and writes JSON to bench/results/.
"""

import argparse
import contextlib
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / ".data"
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))
PAGES = ["front", "article", "section", "tag", "search", "feed"]
SETUPS = {
    "uncached": {"NEWSROOM_PAGE_CACHE": "0"},
    "cached-redis": {"NEWSROOM_PAGE_CACHE": "1"},
    "cached-locmem": {"NEWSROOM_PAGE_CACHE": "1", "REDIS_URL": None},
}
SEARCH_WORDS = ["harbour budget", "election", "flood wall", "strike", "minister", "museum", "railway", "climate"]
WRK_SCRIPT = """
paths = {}
counter = 0
init = function(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
end
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end
"""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=int(os.environ.get("N") or 10000), help="articles (10000)")
    parser.add_argument("--sqlite", action="store_true", help="SQLite instead of PostgreSQL")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/newsroom_bench_run")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/10")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (2)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (8)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument("--seconds", type=int, default=8, help="wrk duration per page (8)")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of wrk before each measurement (2)")
    parser.add_argument("--renders", type=int, default=60, help="in-process renders per page (60)")
    parser.add_argument("--setups", default=",".join(SETUPS), help="comma list of " + ", ".join(SETUPS))
    parser.add_argument("--pages", default=",".join(PAGES), help="comma list of " + ", ".join(PAGES))
    parser.add_argument("--fresh", action="store_true", help="rebuild the dataset even if it is there")
    parser.add_argument("--out", help="JSON file (default bench/results/<date>-<db>-<n>.json)")
    return parser.parse_args()


def base_env(args):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "NEWSROOM_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_SECRET_KEY="bench-only-" + "x" * 40,
        DJANGO_DEBUG="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DJANGO_STATIC_ROOT=str(DATA / "static"),
        DJANGO_MEDIA_ROOT=str(DATA / "media"),
        NEWSROOM_ORIGINALS_ROOT=str(DATA / "private"),
        NEWSROOM_PAGE_CACHE_EPOCH_FILE=str(DATA / "page-cache-epoch"),
        NEWSROOM_SITE_URL="http://127.0.0.1",
        NEWSROOM_PAGE_CACHE_ENTRIES="5000",
        DATABASE_URL=f"sqlite:///{DATA / f'bench-{args.n}.sqlite3'}" if args.sqlite else args.database_url,
        REDIS_URL=args.redis_url,
        PYTHONPATH=str(ROOT),
    )
    return env


def manage(env, *arguments):
    subprocess.run([sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, check=True)


def django_in_process(env):
    """Set this process up as the site (the in-process steps: dataset and render times)."""
    os.environ.update({key: value for key, value in env.items() if value is not None})
    os.environ["NEWSROOM_PAGE_CACHE"] = "0"
    import django

    django.setup()


def prepare_database(args, env):
    """A database holding exactly the benchmark's N articles (reused when it does; rebuilt otherwise)."""
    if args.sqlite:
        path = DATA / f"bench-{args.n}.sqlite3"
        if args.fresh and path.exists():
            path.unlink()
        manage(env, "migrate", "--no-input", "-v", "0")
    else:
        import psycopg

        admin_url, name = args.database_url.rsplit("/", 1)
        with psycopg.connect(f"{admin_url}/postgres", autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if exists and args.fresh:
                conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
                exists = None
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
        manage(env, "migrate", "--no-input", "-v", "0")
    from articles.models import Article

    count = Article.objects.count()
    if count == args.n:
        print(f"Dataset: reusing {count} articles")
        return None
    if count:
        raise SystemExit(f"The bench database holds {count} articles, not {args.n}: run with --fresh.")
    print(f"Dataset: generating {args.n} articles")
    from bench import dataset

    seconds = dataset.generate(args.n)
    print(f"Dataset: {args.n} articles in {seconds:.0f}s")
    return seconds


def page_paths():
    """Addresses per page kind: several of each, so one page's quirks do not decide the result."""
    from django.urls import reverse
    from taggit.models import Tag

    from articles.models import Article, Section

    latest = list(Article.objects.published().order_by("-published_at")[:400].values_list("slug", flat=True))
    tags = list(Tag.objects.order_by("pk").values_list("slug", flat=True)[:40])
    sections = list(Section.objects.order_by("position").values_list("slug", flat=True))
    return {
        "floor": ["/bench-floor/"],
        "front": ["/"],
        "article": [reverse("articles:detail", args=[slug]) for slug in latest[::10]],
        "section": [reverse("articles:section", args=[slug]) for slug in sections],
        "tag": [reverse("articles:tag", args=[slug]) for slug in tags[::2]],
        "search": [reverse("articles:search") + "?q=" + word.replace(" ", "+") for word in SEARCH_WORDS],
        "feed": [reverse("articles:feed")],
    }


def render_times(paths, renders, pages=PAGES):
    """Median in-process time (ms) to answer each page: the test client, no HTTP, page cache off; warm."""
    from django.db import connection
    from django.test import Client

    client = Client()
    result = {}
    for page in ["floor", *pages]:
        addresses = paths[page]
        for path in addresses:  # warm: template loader, connection, chrome
            assert client.get(path).status_code == 200, path
        samples = []
        for i in range(renders):
            path = addresses[i % len(addresses)]
            started = time.perf_counter()
            client.get(path)
            samples.append((time.perf_counter() - started) * 1000)
        queries = []

        def count(execute, sql, *rest, queries=queries):
            queries.append(sql)
            return execute(sql, *rest)

        with connection.execute_wrapper(count):
            client.get(addresses[0])
        result[page] = {"median_ms": round(statistics.median(samples), 2), "queries": len(queries)}
    return result


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def gunicorn(env, workers):
    port = free_port()
    log = open(DATA / "gunicorn.log", "ab")  # noqa: SIM115
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "newsroom.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("gunicorn did not start; see bench/.data/gunicorn.log") from None
                time.sleep(0.2)
        yield port, process
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def worker_rss_mb(master_pid):
    """Resident memory of each of gunicorn's workers (the master's children), in MB."""
    sizes = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{master_pid}$", status, re.M):
            sizes.append(round(int(re.search(r"^VmRSS:\s+(\d+)", status, re.M).group(1)) / 1024, 1))
    return sorted(sizes)


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


def wrk(port, paths, args):
    """requests/s, p50 and p99 (ms) and non-2xx answers for one page kind."""
    with tempfile.TemporaryDirectory() as folder:
        script, listing = Path(folder) / "paths.lua", Path(folder) / "paths.txt"
        script.write_text(WRK_SCRIPT)
        listing.write_text("\n".join(paths) + "\n")
        base = f"http://127.0.0.1:{port}"
        # Every address once first (the page cache holds them all when it is on).
        for path in paths:
            with contextlib.suppress(OSError):
                urllib.request.urlopen(base + path, timeout=30).read()

        def load(seconds):
            return subprocess.run(
                [
                    *("wrk", "--latency", "-t", str(args.threads), "-c", str(args.connections), "-d", f"{seconds}s"),
                    *("-s", str(script), base, "--", str(listing)),
                ],
                capture_output=True,
                text=True,
                check=True,
            ).stdout

        if args.warmup:  # every worker warm (its connections, templates and caches), not just the first
            load(args.warmup)
        output = load(args.seconds)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", output, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": round(rps, 1),
        "p50_ms": round(_ms(latency["50"]), 2),
        "p99_ms": round(_ms(latency["99"]), 2),
        "non_2xx": int(errors.group(1)) if errors else 0,
    }


def ensure_wrk():
    if shutil.which("wrk"):
        return
    print("wrk is missing: installing it from Debian (apt-get install wrk)")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run([*sudo, "apt-get", "install", "-y", "-q", "wrk"], check=True)


def flush_redis(url):
    import redis

    with contextlib.suppress(redis.RedisError):
        redis.Redis.from_url(url).flushdb()


def run_setup(name, overrides, env, paths, args):
    env = {**env, **overrides}
    env = {key: value for key, value in env.items() if value is not None}
    flush_redis(args.redis_url)
    result = {}
    with gunicorn(env, args.workers) as (port, process):
        for page in ["floor", *args.pages.split(",")]:
            result[page] = wrk(port, paths[page], args)
            print(f"  {name:14} {page:8} {result[page]['rps']:8.1f} req/s  p50 {result[page]['p50_ms']:7.2f} ms")
        result["worker_rss_mb"] = worker_rss_mb(process.pid)
    return result


def table(results):
    pages = [page for page in ["floor", *PAGES] if page in results["render"]]
    floor = results["setups"]["uncached"]["floor"]["rps"] if "uncached" in results["setups"] else None
    lines = [
        "| page | set-up | req/s | ratio to floor | p50 ms | p99 ms | render ms (in-process) | queries |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for page in pages:
        for setup, figures in results["setups"].items():
            row = figures[page]
            ratio = f"{row['rps'] / floor:.3f}" if floor else ""
            render = results["render"][page]
            lines.append(
                f"| {page} | {setup} | {row['rps']:.0f} | {ratio} | {row['p50_ms']:.1f} | {row['p99_ms']:.1f} | "
                f"{render['median_ms']:.1f} | {render['queries']} |"
            )
    rss = ", ".join(f"{setup}: {max(f['worker_rss_mb'])} MB" for setup, f in results["setups"].items())
    lines.append("")
    lines.append(f"Largest worker RSS after each set-up: {rss}.")
    return "\n".join(lines)


def main():
    args = parse_args()
    DATA.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    ensure_wrk()
    env = base_env(args)
    manage(env, "collectstatic", "--no-input", "-v", "0")
    django_in_process(env)
    generated = prepare_database(args, env)
    paths = page_paths()
    print("Render times (in-process, test client)")
    render = render_times(paths, args.renders, args.pages.split(","))
    for page, figures in render.items():
        print(f"  {page:8} {figures['median_ms']:7.2f} ms  {figures['queries']} queries")
    from django.db import connection

    connection.close()
    results = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join(sys.argv),
        "articles": args.n,
        "database": "sqlite" if args.sqlite else "postgresql",
        "dataset_seconds": round(generated, 1) if generated else None,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "system": platform.platform()},
        "gunicorn_workers": args.workers,
        "wrk": {"threads": args.threads, "connections": args.connections, "seconds": args.seconds},
        "paths": paths,
        "render": render,
        "setups": {},
    }
    for name in args.setups.split(","):
        print(f"Load ({name})")
        results["setups"][name] = run_setup(name, SETUPS[name], env, paths, args)
    print()
    print(table(results))
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H%M")
    out = Path(args.out) if args.out else RESULTS / f"{stamp}-{results['database']}-{args.n}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nWritten to {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")


if __name__ == "__main__":
    main()
