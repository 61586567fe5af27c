import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from wordpress.importer import Importer
from wordpress.publishers import PublisherMap, PublisherMapError
from wordpress.wxr import WXRError


class Command(BaseCommand):
    help = (
        "Import a WordPress export (Tools → Export → All content: a WXR file) with its posts, authors, categories, "
        "tags and comments, keeping the old addresses working. Safe to run again: nothing is imported twice, "
        "what changed in WordPress is updated, what the desk changed since is left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", help="the WXR file WordPress exported (.xml)")
        parser.add_argument(
            "--media-dir",
            help="a local copy of the site's wp-content/uploads (checked for each attachment's file; no network)",
        )
        parser.add_argument(
            "--publisher-map",
            help="a JSON file naming the publisher of republished posts (see README: Moving from WordPress)",
        )
        parser.add_argument("--dry-run", action="store_true", help="read everything, write nothing, print the report")
        parser.add_argument(
            "--time-zone",
            help="the WordPress site's time zone (e.g. Europe/Berlin) for posts without a GMT date; "
            "default: read from the export's posts",
        )
        parser.add_argument("--batch-size", type=int, default=200, help="items per transaction (default 200)")

    def handle(self, *args, **options):
        path = Path(options["export"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        media_dir = options["media_dir"]
        if media_dir and not Path(media_dir).is_dir():
            raise CommandError(f"--media-dir {media_dir}: no such directory")
        publisher_map = None
        if options["publisher_map"]:
            try:
                publisher_map = PublisherMap.load(options["publisher_map"])
            except PublisherMapError as error:
                raise CommandError(f"--publisher-map: {error}") from None
        if options["time_zone"]:
            try:
                ZoneInfo(options["time_zone"])
            except (ZoneInfoNotFoundError, ValueError):
                raise CommandError(f"--time-zone {options['time_zone']}: not a time zone name") from None
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")

        progress = Progress(self, path.stat().st_size)
        importer = Importer(
            path,
            media_dir=media_dir,
            publisher_map=publisher_map,
            dry_run=options["dry_run"],
            batch_size=options["batch_size"],
            time_zone=options["time_zone"],
            progress=progress.advance,
            on_batch=progress.batch,
        )
        started = time.monotonic()
        self.stdout.write(f"Checking {path} …")
        try:
            report = importer.run()
        except WXRError as error:
            progress.close()
            raise CommandError(
                f"{path}, {error}. Nothing was imported"
                + (
                    f" after the {importer.report.batches} batches already saved (run again to resume)"
                    if importer.report.batches
                    else ""
                )
                + "."
            ) from None
        progress.close()
        self.stdout.write(
            f"Read {importer.report.items_read} items in {time.monotonic() - started:.1f} s "
            f"({report.batches} batches); local times read at {importer.zone_label}."
        )
        for line in report.lines(dry_run=options["dry_run"]):
            self.stdout.write(line)
        if report.stopped:
            raise CommandError(report.stopped)


class Progress:
    """A tqdm bar on a terminal (on standard error); plain lines after each batch otherwise."""

    def __init__(self, command, total_bytes):
        self.command = command
        self.total = total_bytes
        self.read = 0
        self.phase = None
        self.bar = None
        self.terminal = sys.stderr.isatty()

    def advance(self, phase, count):
        if phase != self.phase:
            self.phase, self.read = phase, 0
            self.close()
            if self.terminal:
                self.bar = tqdm(total=self.total, unit="B", unit_scale=True, desc=phase, file=sys.stderr)
        self.read += count
        if self.bar is not None:
            self.bar.update(count)

    def batch(self, report):
        if self.bar is not None:
            self.bar.set_postfix(posts=report.count("post"), comments=report.count("comment"), refresh=False)
            return
        percent = 100 * self.read // self.total if self.total else 100
        self.command.stdout.write(
            f"batch {report.batches}: {report.items_read} items read ({percent}%), "
            f"{report.count('post')} posts, {report.count('comment')} comments"
        )

    def close(self):
        if self.bar is not None:
            self.bar.close()
            self.bar = None
