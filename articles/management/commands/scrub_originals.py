from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand

from articles.images import RenditionError, has_metadata, reencode
from articles.models import Publication, Publisher


class Command(BaseCommand):
    help = (
        "Re-encode the publicly served uploads outside the media library (publication and publisher logos) "
        "that carry metadata still (EXIF with GPS, XMP, comments), as every upload now is. "
        "Run once after upgrading; files already clean are left alone. "
        "(The library keeps its originals private and serves only re-encoded renditions.)"
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count the files that would change, change none.")

    def handle(self, *args, dry_run=False, **options):
        scrubbed = broken = 0
        for model, field in [(Publication, "logo"), (Publisher, "logo")]:
            for obj in model.objects.exclude(**{field: ""}).only("pk", field).order_by("pk").iterator(chunk_size=200):
                file = getattr(obj, field)
                try:
                    with file.storage.open(file.name, "rb") as handle:
                        data = handle.read()
                    if not has_metadata(data):
                        continue
                    clean = reencode(data)
                except (OSError, RenditionError) as error:
                    broken += 1
                    self.stderr.write(f"{model.__name__} {obj.pk}: {file.name} cannot be used ({error}).")
                    continue
                scrubbed += 1
                if dry_run:
                    continue
                new_name = file.storage.save(
                    str(PurePosixPath(file.name).with_suffix(f".{clean.extension}")), ContentFile(clean.data)
                )
                model.objects.filter(pk=obj.pk).update(**{field: new_name})
                file.storage.delete(file.name)
        verb = "would be" if dry_run else "were"
        self.stdout.write(self.style.SUCCESS(f"{scrubbed} originals {verb} re-encoded; {broken} could not be read."))
