from django.core.management.base import BaseCommand
from django.db import connection

from articles.models import Article
from articles.search import update_search_vectors


class Command(BaseCommand):
    help = (
        "Rebuild the stored full-text search vector of every article (PostgreSQL), e.g. after articles were "
        "imported with bulk_create or raw SQL, which bypass the automatic updates. Does nothing on SQLite."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Report how many articles would be indexed.")

    def handle(self, *args, dry_run=False, **options):
        total = Article.objects.count()
        if connection.vendor != "postgresql":
            self.stdout.write("Search vectors are used on PostgreSQL only; SQLite searches the text directly.")
            return
        if dry_run:
            self.stdout.write(f"Would rebuild the search vectors of {total} articles.")
            return
        update_search_vectors()
        self.stdout.write(self.style.SUCCESS(f"Rebuilt the search vectors of {total} articles."))
