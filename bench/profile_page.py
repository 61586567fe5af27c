"""Profile one reader page in-process (the test client, page cache off) on the benchmark's database.

    .venv/bin/python bench/profile_page.py /                       # after `make bench` made the dataset
    .venv/bin/python bench/profile_page.py /articles/<slug>/ --renders 50 --sort tottime

Uses the settings `make bench` uses (bench/run.py's environment, --n and --sqlite as there) and prints
cProfile's top functions for --renders renders of the page, after one warm-up request.
"""

import argparse
import cProfile
import pstats
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import run


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path")
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/newsroom_bench_run")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/10")
    parser.add_argument("--renders", type=int, default=30)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--limit", type=int, default=45)
    args = parser.parse_args()
    run.django_in_process(run.base_env(args))
    from django.test import Client

    client = Client()
    assert client.get(args.path).status_code == 200
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.renders):
        client.get(args.path)
    profiler.disable()
    pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.limit)


if __name__ == "__main__":
    main()
