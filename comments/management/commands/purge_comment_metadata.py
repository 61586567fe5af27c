from django.core.management.base import BaseCommand, CommandError

from comments.models import CommentSettings
from comments.services import comments_purge_metadata


class Command(BaseCommand):
    help = (
        "Clear the IP addresses and user agents of comments older than the retention period "
        "(Comment settings, default 90 days). Run it daily, e.g. from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, help="Override the retention period for this run.")
        parser.add_argument("--dry-run", action="store_true", help="Count the comments, change nothing.")

    def handle(self, *args, days=None, dry_run=False, **options):
        if days is not None and days < 0:
            raise CommandError("--days must be 0 or more.")
        if days is None:
            days = CommentSettings.objects.current().personal_data_days
        if not days:
            self.stdout.write("Retention is 0 days (keep forever): nothing to clear.")
            return
        count = comments_purge_metadata(days=days, dry_run=dry_run)
        verb = "Would clear" if dry_run else "Cleared"
        self.stdout.write(f"{verb} the IP address and user agent of {count} comment(s) older than {days} days.")
