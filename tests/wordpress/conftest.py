import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command

FIXTURES = Path(__file__).parent / "fixtures"
EXPORT = FIXTURES / "gazette.wxr.xml"
PUBLISHERS = FIXTURES / "publishers.json"
UPLOADS = FIXTURES / "uploads"
# The fixture export's posts are from March 2024 and one is scheduled for July 2024: the clock of these
# tests is between them, and every row is made on it.
NOW = datetime(2024, 4, 15, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _clock_at_now():
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def run_import(db, committed, publication):
    """Run the command as an operator would (after commit: events and jobs happen); returns its output."""

    def run(path=EXPORT, *args, media_dir=UPLOADS, publishers=PUBLISHERS):
        out = io.StringIO()
        options = [*args]
        if media_dir:
            options += ["--media-dir", str(media_dir)]
        if publishers:
            options += ["--publisher-map", str(publishers)]
        with committed():
            call_command("import_wordpress", str(path), *options, stdout=out, stderr=io.StringIO())
        return out.getvalue()

    return run


@pytest.fixture
def imported(run_import):
    """The fixture export imported once; the command's output."""
    return run_import()
