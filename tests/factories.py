"""Plain factory helpers: make_<model>(**overrides) saves a row with sensible defaults."""

import io
import itertools
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from articles.models import Article, Author, Byline, Page, Publication, Publisher, Section

_sequence = itertools.count(1)


def make_publication(**overrides):
    fields = {"name": "The Test Gazette", "tagline": "All the news that fits", "issn": "2330-717X"}
    fields.update(overrides)
    return Publication.objects.create(**fields)


def make_section(**overrides):
    number = next(_sequence)
    fields = {"name": f"Section {number}", "slug": f"section-{number}"}
    fields.update(overrides)
    return Section.objects.create(**fields)


def make_author(**overrides):
    number = next(_sequence)
    fields = {"name": f"Reporter {number}", "slug": f"reporter-{number}"}
    fields.update(overrides)
    return Author.objects.create(**fields)


def make_publisher(**overrides):
    number = next(_sequence)
    fields = {"name": f"Wire {number}", "slug": f"wire-{number}", "description": f"Wire {number} sends news."}
    fields.update(overrides)
    return Publisher.objects.create(**fields)


def make_article(*, authors=(), tags=(), **overrides):
    """A published article from an hour ago unless overridden; authors and tags are set after saving."""
    number = next(_sequence)
    fields = {
        "headline": f"Headline number {number}",
        "dek": f"Dek of article {number}.",
        "body": f"<p>Body paragraph of article {number}.</p>",
        "status": Article.Status.PUBLISHED,
        "published_at": timezone.now() - timedelta(hours=1),
    }
    fields.update(overrides)
    if "section" not in fields:
        fields["section"] = make_section()
    article = Article.objects.create(**fields)
    for position, author in enumerate(authors):
        Byline.objects.create(article=article, author=author, position=position)
    if tags:
        article.tags.set(list(tags))
    return article


def make_page(**overrides):
    number = next(_sequence)
    fields = {"title": f"Page {number}", "slug": f"page-{number}", "body": f"<p>Text of page {number}.</p>"}
    fields.update(overrides)
    return Page.objects.create(**fields)


def image_bytes(*, size=(64, 48), format="PNG", color=(200, 30, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=format)
    return buffer.getvalue()


def jpeg_with_exif(*, size=(1200, 800), orientation=1, gps=True, color=(30, 90, 200)):
    """JPEG bytes carrying an EXIF orientation tag and, by default, a GPS position and camera details."""
    image = Image.new("RGB", size, color)
    image.paste((250, 250, 250), (0, 0, size[0] // 4, size[1] // 4))  # a bright corner shows the rotation
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation
    exif[0x010F] = "Camera Maker"  # Make
    exif[0x0110] = "Secret Model"  # Model
    if gps:
        exif[0x8825] = {1: "N", 2: (48.0, 51.0, 29.0), 3: "E", 4: (2.0, 17.0, 40.0)}  # GPSInfo
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif, quality=90)
    return buffer.getvalue()


def image_upload(name="photo.png", **kwargs):
    fmt = kwargs.pop("format", "PNG")
    return SimpleUploadedFile(name, image_bytes(format=fmt, **kwargs), content_type=f"image/{fmt.lower()}")
