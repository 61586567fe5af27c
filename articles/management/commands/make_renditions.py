from django.core.management.base import BaseCommand

from articles.images import renditions
from articles.models import Article


class Command(BaseCommand):
    help = (
        "Make the responsive renditions of every featured image now, instead of on each image's first view "
        "(e.g. after an import). Images that already have renditions are skipped; broken ones are reported."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count the articles with images, make nothing.")

    def handle(self, *args, dry_run=False, **options):
        articles = Article.objects.exclude(image="").only("pk", "image").order_by("pk")
        if dry_run:
            self.stdout.write(f"Would check the renditions of {articles.count()} images.")
            return
        made = broken = 0
        for article in articles.iterator(chunk_size=500):
            if renditions(article.image) is None:
                broken += 1
                self.stderr.write(f"Article {article.pk}: image {article.image.name} is missing or unusable.")
            else:
                made += 1
        self.stdout.write(self.style.SUCCESS(f"{made} images have renditions; {broken} could not be used."))
