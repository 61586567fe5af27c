"""A soak: reads and comment posts against a live gunicorn for NEWSROOM_SOAK_SECONDS (60 by default),
after a short warm-up.

Opt-in (marked `soak`, left out of `make test`): run it with `make soak`. Passes when no request
answered a server error, every accepted comment is in the database, and the workers' memory
grew by less than SOAK_MEMORY_GROWTH_MB.
"""

import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests import live
from tests.test_faults_live import COUNT, SETUP, post_comment

pytestmark = [pytest.mark.soak, pytest.mark.django_db(transaction=True)]

SOAK_MEMORY_GROWTH_MB = 40
READS = ["/", "/articles/harbour/", "/section/world/", "/tag/port/", "/search/?q=harbour", "/feed/", "/comments/feed/"]


def workers_rss_mb(server):
    """Resident memory of gunicorn's workers (the children of the master), in MB, from /proc."""
    total = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(server.process.pid):
            total += int(fields["VmRSS"].split()[0])
    return total / 1024


def test_reads_and_comment_posts_for_a_minute_without_errors_or_memory_growth(tmp_path):
    seconds = float(os.environ.get("NEWSROOM_SOAK_SECONDS", "60"))
    with live.site_env(tmp_path) as env:
        env["NEWSROOM_COMMENTS_PER_MINUTE"] = "0"
        live.manage(env, "migrate", "--no-input", "-v", "0")
        live.manage(env, "shell", "-v", "0", "-c", SETUP)
        server = live.Server(env, tmp_path / "gunicorn.log", workers=2)
        try:
            statuses, accepted = [], []

            def load(until):
                def reader():
                    while time.monotonic() < until:
                        statuses.append(server.get(READS[len(statuses) % len(READS)])[0])

                def commenter(number):
                    sent = 0
                    while time.monotonic() < until:
                        text = f"Soak comment {number}-{sent}-{time.monotonic_ns()}."
                        status = post_comment(server, text)[0]
                        statuses.append(status)
                        if status == 302:
                            accepted.append(text)
                        sent += 1
                        time.sleep(0.2)

                with ThreadPoolExecutor(max_workers=6) as pool:
                    jobs = [*(pool.submit(reader) for _ in range(4)), *(pool.submit(commenter, n) for n in range(2))]
                    for job in jobs:
                        job.result()

            load(time.monotonic() + min(10.0, seconds / 4))  # warm-up: every code path loaded once
            start_rss = workers_rss_mb(server)
            load(time.monotonic() + seconds)
            end_rss = workers_rss_mb(server)
            log = server.log_text()
        finally:
            server.stop()
        stored = live.manage(env, "shell", "-v", "0", "-c", COUNT)
    outage_lines = [line for line in log.splitlines() if "unreachable" in line]
    assert statuses and not [status for status in statuses if status >= 500], ("no server errors", outage_lines)
    assert accepted and all(text in stored for text in accepted), "every accepted comment is stored"
    assert "Traceback" not in log
    assert end_rss - start_rss < SOAK_MEMORY_GROWTH_MB, (start_rss, end_rss)
    print(f"\nsoak: {len(statuses)} requests, {len(accepted)} comments, workers {start_rss:.0f} → {end_rss:.0f} MB")
