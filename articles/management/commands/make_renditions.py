from django.core.management.base import BaseCommand

from articles import media
from articles.models import Image


class Command(BaseCommand):
    help = (
        "Make the renditions of every library image whose renditions are missing or older than the image "
        "(after an upgrade, an import, or with no job worker running), now, in this process. "
        "Images whose renditions are current are skipped; unusable originals are reported."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count the images to do, make nothing.")

    def handle(self, *args, dry_run=False, **options):
        images = Image.objects.only("pk", "version", "renditions_data", "file").order_by("pk")
        todo = [image for image in images.iterator(chunk_size=500) if not image.renditions_are_current]
        if dry_run:
            self.stdout.write(f"Would make the renditions of {len(todo)} of {images.count()} images.")
            return
        made = broken = 0
        for image in todo:
            media.refresh_renditions(image.pk)
            image.refresh_from_db(fields=["version", "renditions_data"])
            if image.renditions_are_current:
                made += 1
            else:
                broken += 1
                self.stderr.write(f"Image {image.pk}: the original {image.file.name} is missing or unusable.")
        self.stdout.write(self.style.SUCCESS(f"{made} images have new renditions; {broken} could not be used."))
