"""Plain factory helpers: make_<model>(**overrides) saves a row with sensible defaults."""

import importlib
import io
import itertools
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from articles.models import Article, Author, Byline, Correction, Page, Publication, Publisher, Section
from articles.search import update_search_vectors

_sequence = itertools.count(1)


def make_publication(**overrides):
    """The site's one publication (the migration makes it; a flushed test database may not have it)."""
    fields = {"name": "The Test Gazette", "tagline": "All the news that fits", "issn": "2330-717X"}
    fields.update(overrides)
    publication = Publication.objects.order_by("pk").first() or Publication()
    for field, value in fields.items():
        setattr(publication, field, value)
    publication.save()
    return publication


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
    update_search_vectors([article.pk])  # as the job that articles.services enqueues would, after commit
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


def make_image(data=None, *, name="photo.jpg", renditions=True, **fields):
    """A library image through articles.media (as the admin and importers add them), with its renditions made
    as the job would after commit unless renditions=False. `data`: the file's bytes (a 1600×900 JPEG)."""
    from articles import media

    fields.setdefault("alt", "A harbour at dawn")
    if data is None:
        data = image_bytes(size=(1600, 900), format="JPEG")
    image = media.image_create_from_file(file=data, name=name, **fields)
    if renditions:
        media.refresh_renditions(image.pk)
        image.refresh_from_db()
    return image


def image_upload(name="photo.png", **kwargs):
    fmt = kwargs.pop("format", "PNG")
    return SimpleUploadedFile(name, image_bytes(format=fmt, **kwargs), content_type=f"image/{fmt.lower()}")


def make_comment(*, article=None, **overrides):
    """An approved comment on `article` (a new published article when not given), a minute old."""
    from comments.models import Comment

    number = next(_sequence)
    fields = {
        "author_name": f"Reader {number}",
        "author_email": f"reader{number}@example.com",
        "body": f"Comment number {number}.",
        "status": Comment.Status.APPROVED,
        "created_at": timezone.now() - timedelta(minutes=1),
        "ip_address": f"192.0.2.{number % 250 + 1}",
        "user_agent": "Mozilla/5.0 (Test)",
    }
    fields.update(overrides)
    return Comment.objects.create(article=article or make_article(), **fields)


def comment_permissions():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(
        content_type__app_label="comments",
        codename__in=[
            "view_comment",
            "add_comment",
            "change_comment",
            "delete_comment",
            "view_moderationevent",
            "view_commenterban",
            "add_commenterban",
            "change_commenterban",
            "delete_commenterban",
            "view_commentflag",
        ],
    )


def make_moderator(username="moderator", **overrides):
    """A staff user in the Moderators group (made by a migration; recreated here after a flush)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    group, _created = Group.objects.get_or_create(name="Moderators")
    group.permissions.add(*comment_permissions())
    fields = {"email": f"{username}@example.com", "is_staff": True}
    fields.update(overrides)
    user = get_user_model().objects.create_user(username, password="correct horse battery", **fields)
    user.groups.add(group)
    return user


def comment_form_data(**overrides):
    """What a reader's browser posts, with a fresh signed form token (tests set the minimum age to 0)."""
    from comments.forms import issue_form_token

    data = {
        "author": "Ada Lovelace",
        "email": "ada@example.com",
        "url": "",
        "comment": "A thoughtful remark about this story.",
        "comment_parent": "",
        "subject": "",
        "form_token": issue_form_token(),
    }
    data.update(overrides)
    return data


PASSWORD = "correct horse battery"


def ensure_groups():
    """The role groups as the data migration makes them; a transactional test's flush deletes them."""
    from django.contrib.auth.models import Permission

    migration = importlib.import_module("articles.migrations.0005_editorial_groups")
    later = importlib.import_module("articles.migrations.0011_kinds_update_dates_editor_permissions")
    reporters, _ = Group.objects.get_or_create(name="Reporters")
    for app_label, codenames in migration.REPORTER_PERMISSIONS.items():
        reporters.permissions.add(*Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))
    reporters.permissions.add(
        *Permission.objects.filter(content_type__app_label="articles", codename__in=later.REPORTER_PERMISSIONS)
    )
    library = importlib.import_module("articles.migrations.0013_featured_images_into_library")
    reporters.permissions.add(
        *Permission.objects.filter(content_type__app_label="articles", codename__in=library.REPORTER_PERMISSIONS)
    )
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(*Permission.objects.filter(content_type__app_label__in=["articles", "taggit"]))


def make_user(username, *, group=None, **fields):
    """A staff account in the named group ("Reporters", "Editors"), with PASSWORD as its password."""
    fields.setdefault("is_staff", True)
    user = get_user_model().objects.create_user(username, f"{username}@example.com", PASSWORD, **fields)
    if group:
        if not Group.objects.filter(name=group).exists():
            ensure_groups()
        user.groups.add(Group.objects.get(name=group))
    return user


def make_correction(article, **overrides):
    fields = {"text": "An earlier version misstated the date of the vote.", "kind": Correction.Kind.CORRECTION}
    fields.update(overrides)
    return Correction.objects.create(article=article, **fields)


def ensure_kinds():
    """The article kinds as the data migration makes them (a transactional test's flush deletes them)."""
    from articles.models import ArticleKind

    migration = importlib.import_module("articles.migrations.0011_kinds_update_dates_editor_permissions")
    for position, (name, slug, schema_type, show_label, paid, disclosure) in enumerate(migration.KINDS):
        ArticleKind.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "schema_type": schema_type,
                "show_label": show_label,
                "is_sponsored": paid,
                "disclosure": disclosure,
                "position": position,
            },
        )
    return {kind.slug: kind for kind in ArticleKind.objects.all()}
