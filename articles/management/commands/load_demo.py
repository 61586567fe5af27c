import io
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

from articles import curation, demo_content, demo_desk, demo_media, demo_pages, demo_reference, hooks, media, services
from articles.chrome import site_root
from articles.models import (
    Article,
    ArticleKind,
    Author,
    BreakingNews,
    Front,
    Image,
    Page,
    Publication,
    Publisher,
    Section,
)

# (username, group or None for the superuser, the demo author whose byline the account owns)
DEMO_ACCOUNTS = [
    ("admin", None, None),
    ("editor", "Editors", None),
    ("reporter", "Reporters", demo_content.DEMO_AUTHORS[0]["slug"]),
    ("moderator", "Moderators", None),
]

PUBLICATION = {
    "name": "Newsroom Daily",
    "tagline": "Independent news, carefully edited",
    "issn": "2330-717X",
    "description": "A demonstration newspaper built with Newsroom, the Django CMS for working newsrooms.",
    "language": "en",
}


def placeholder_image(label, colors, *, size=(1600, 900)):
    """A JPEG with a two-colour gradient and a label: real pixels for the demo's featured images."""
    width, height = size
    start, end = (tuple(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in colors)
    image = PILImage.new("RGB", size)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        mix = y / (height - 1)
        draw.line([(0, y), (width, y)], fill=tuple(round(a + (b - a) * mix) for a, b in zip(start, end, strict=True)))
    font = ImageFont.load_default(size=96)
    draw.text((width / 2, height / 2), label, fill=(255, 255, 255), font=font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=82, optimize=True)
    return ContentFile(buffer.getvalue(), name=f"{label.lower().replace(' ', '-')}.jpg")


class Command(BaseCommand):
    help = (
        "Load the demo site: the publication (ISSN 2330-717X), the DoD News reference article (first published "
        "4 May 2022), about twenty more articles with an Opinion and an Analysis piece, authors with photos and "
        "biographies, a curated front page, a breaking-news banner for a day and the About, Contact, Privacy, "
        "Corrections and Ethics pages. Also the admin, editor, reporter and moderator accounts. "
        "Idempotent: rows that exist are left as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Report what would be created, change nothing.")
        parser.add_argument("--no-admin", action="store_true", help="Do not create the 'admin' superuser account.")

    def handle(self, *args, dry_run=False, no_admin=False, **options):
        with transaction.atomic():
            self.created = []
            self.load(now=timezone.now())
            if dry_run:
                transaction.set_rollback(True)
        if not dry_run:
            # The demo's pictures show at once, whether or not a job worker runs (`make run` has none).
            for pk in Image.objects.values_list("pk", flat=True):
                media.refresh_renditions(pk)  # does nothing for an image whose renditions are current
        verb = "Would create" if dry_run else "Created"
        if self.created:
            self.stdout.write(
                f"{verb} {len(self.created)} objects: "
                + ", ".join(self.created[:8])
                + ("…" if len(self.created) > 8 else "")
            )
        else:
            self.stdout.write("Demo content is already loaded; nothing changed.")
        address = settings.SITE_URL or "the address each request comes to (NEWSROOM_SITE_URL is not set)"
        self.stdout.write(f"Site address: {address}")
        if not dry_run and not no_admin:
            self.ensure_accounts()

    def remember(self, obj, created):
        if created:
            self.created.append(f"{obj._meta.verbose_name} “{obj}”")
        return obj

    def load(self, *, now):
        publication = Publication.objects.current()
        if not publication.issn:
            # A fresh site's default publication takes the demo identity; a configured one is kept.
            for field, value in PUBLICATION.items():
                setattr(publication, field, value)
            publication.save()
            self.remember(publication, True)

        sections = {
            data["slug"]: self.remember(*Section.objects.get_or_create(slug=data["slug"], defaults=data))
            for data in demo_content.DEMO_SECTIONS
        }
        authors = {
            data["slug"]: self.remember(*Author.objects.get_or_create(slug=data["slug"], defaults=data))
            for data in demo_content.DEMO_AUTHORS
        }
        self.give_portraits(authors.values())
        publishers = {
            data["slug"]: self.remember(*Publisher.objects.get_or_create(slug=data["slug"], defaults=data))
            for data in [demo_reference.PUBLISHER, *demo_content.DEMO_PUBLISHERS]
        }

        reference = {
            "headline": demo_reference.HEADLINE,
            "slug": "us-japan-defense-ministers-pledge-to-defend-rules-based-order",
            "dek": demo_reference.DEK,
            "body": "\n".join(f"<p>{escape(paragraph)}</p>" for paragraph in demo_reference.BODY_PARAGRAPHS),
            "section": "world",
            "authors": [],
            "publisher": demo_reference.PUBLISHER["slug"],
            "original_url": "https://www.defense.gov/News/News-Stories/",
            "rights": "Public domain: work of the US government",
            "tags": demo_reference.TAGS,
            "hours_ago": 1,
            "image": None,
            "status": "published",
            "comment_policy": "open",
            "originally_published_at": datetime.fromisoformat(demo_desk.REFERENCE_FIRST_PUBLISHED),
        }
        for data in [reference, *demo_content.DEMO_ARTICLES, *demo_desk.DESK_ARTICLES]:
            self.load_article(data, now=now, sections=sections, authors=authors, publishers=publishers)
        self.date_reference(reference)
        self.curate_front_page()
        self.post_banner(now=now)
        self.load_media_article(now=now, sections=sections, authors=authors)
        for data in demo_pages.DEMO_PAGES:
            if not Page.objects.filter(kind=data["kind"]).exists():
                self.remember(*Page.objects.get_or_create(slug=data["slug"], defaults=data))
        for loader in hooks.demo_loaders:  # the comments app's demo threads, and any other app's
            for obj in loader(now=now):
                self.remember(obj, True)

    def load_article(self, data, *, now, sections, authors, publishers):
        if Article.objects.filter(slug=data["slug"]).exists():
            return
        status = {
            "published": Article.Status.PUBLISHED,
            "scheduled": Article.Status.PUBLISHED,
            "draft": Article.Status.DRAFT,
        }[data["status"]]
        article = Article(
            headline=data["headline"],
            slug=data["slug"],
            dek=data["dek"],
            body=data["body"],
            status=status,
            published_at=None if status == Article.Status.DRAFT else now - timedelta(hours=data["hours_ago"]),
            section=sections[data["section"]],
            publisher=publishers[data["publisher"]] if data["publisher"] else None,
            original_url=data["original_url"],
            rights=data["rights"],
            comment_policy=data["comment_policy"],
            originally_published_at=data.get("originally_published_at"),
            kind=ArticleKind.objects.filter(slug=data.get("kind", "news")).first(),
        )
        if image := data["image"]:
            article.image = self.library_image(
                title=image["label"],
                file=placeholder_image(image["label"], image["colors"]),
                alt=image["alt"],
                caption=image["caption"],
                credit=image["credit"],
                licence=Image.Licence.AGENCY if "/" in image["credit"] else Image.Licence.STAFF,
                source=image["credit"].split("/")[-1].strip(),
            )
        services.article_save(article=article, tags=data["tags"], authors=[authors[slug] for slug in data["authors"]])
        # A demo story was last touched when it went out, not when this command ran.
        Article.objects.filter(pk=article.pk).update(updated_at=min(article.published_at or now, now))
        self.remember(article, True)

    def give_portraits(self, authors):
        """A portrait for each demo author who has none yet (a generated placeholder, in the media library)."""
        for index, author in enumerate(authors):
            if author.photo_id:
                continue
            color = demo_desk.PORTRAIT_COLORS[index % len(demo_desk.PORTRAIT_COLORS)]
            portrait = demo_desk.portrait(author.name, color)
            portrait.name = f"{author.slug}.jpg"
            author.photo = self.library_image(
                title=f"Portrait of {author.name}",
                file=portrait,
                alt=f"Portrait of {author.name}",
                credit="Newsroom demo",
                licence=Image.Licence.STAFF,
                source="Newsroom demo",
                tags=["portraits"],
            )
            author.save(update_fields=["photo"])
            self.created.append(f"photo of {author.name}")

    def date_reference(self, reference):
        """The reference article carries its real first publication date (also on sites loaded before it did)."""
        article = Article.objects.filter(slug=reference["slug"], originally_published_at__isnull=True).first()
        if article is not None:
            article.originally_published_at = reference["originally_published_at"]
            services.article_save(article=article, minor_edit=True, summary="First publication date added")
            self.created.append(f"first publication date of “{article.headline}”")

    def curate_front_page(self):
        """The front page leads with a story that is not the newest, then two top stories; only on a front
        nobody has curated yet."""
        front = Front.objects.home()
        if front.pins.exists() or front.changes.exists():
            return
        by_slug = Article.objects.published().in_bulk(demo_desk.FRONT_PINS, field_name="slug")
        pins = [curation.PinSpec(by_slug[slug]) for slug in demo_desk.FRONT_PINS if slug in by_slug]
        if pins and curation.front_save(front=front, pins=pins):
            self.created.append(f"front page led by “{pins[0].article.headline}”")

    def post_banner(self, *, now):
        """A breaking-news banner for a day from the first load (never again once there has been one)."""
        if BreakingNews.objects.exists():
            return
        banner = BreakingNews.objects.create(**demo_desk.BANNER, starts_at=now, ends_at=now + timedelta(days=1))
        self.remember(banner, True)

    def library_image(self, *, title, file, **fields):
        """The demo picture titled `title`, added to the media library the first time."""
        existing = Image.objects.filter(title=title).first()
        if existing is not None:
            return existing
        file.name = file.name or f"{title}.jpg"
        return self.remember(media.image_create_from_file(file=file, title=title, **fields), True)

    def load_media_article(self, *, now, sections, authors):
        """A story with every kind of media: inline, wide and full pictures, a gallery, a table, a pull quote,
        a YouTube video and a Datawrapper chart (both shown only when a reader asks)."""
        data = demo_media.MEDIA_ARTICLE
        images = {
            key: self.library_image(
                title=spec["title"],
                file=demo_media.picture(spec),
                alt=spec["alt"],
                caption=spec["caption"],
                credit=spec["credit"],
                licence=spec["licence"],
                source=spec["source"],
                restrictions=spec.get("restrictions", ""),
                rights_expire_at=timezone.localdate(now) + timedelta(days=730) if spec.get("restrictions") else None,
                tags=spec["tags"],
                focal_point=spec["focal"],
            )
            for key, spec in demo_media.DEMO_IMAGES.items()
        }
        if Article.objects.filter(slug=data["slug"]).exists():
            return
        article = Article(
            headline=data["headline"],
            slug=data["slug"],
            dek=data["dek"],
            body=demo_media.media_body(images),
            status=Article.Status.PUBLISHED,
            published_at=now - timedelta(hours=data["hours_ago"]),
            section=sections[data["section"]],
            image=images[data["image"]],
            comment_policy=Article.CommentPolicy.OPEN,
        )
        services.article_save(article=article, tags=data["tags"], authors=[authors[slug] for slug in data["authors"]])
        Article.objects.filter(pk=article.pk).update(updated_at=article.published_at)
        self.remember(article, True)

    def ensure_accounts(self):
        """The admin plus one account per role, each with a generated password shown only once."""
        User = get_user_model()
        created = []
        for username, role, author_slug in DEMO_ACCOUNTS:
            if User.objects.filter(username=username).exists():
                continue
            password = secrets.token_urlsafe(12)
            if role is None:
                User.objects.create_superuser(username, f"{username}@example.com", password)
            else:
                user = User.objects.create_user(username, f"{username}@example.com", password, is_staff=True)
                group = Group.objects.filter(name=role).first()
                if group is not None:
                    user.groups.add(group)
                if author_slug:
                    Author.objects.filter(slug=author_slug, user__isnull=True).update(user=user)
            created.append((username, role or "superuser", password))
        if not created:
            self.stdout.write(
                "Demo accounts exist (admin, editor, reporter, moderator). "
                "Forgot a password? python manage.py changepassword USERNAME"
            )
            return
        login = site_root() + reverse("admin:index")
        lines = ["", f"Accounts created (passwords are shown only once), log in at {login}"]
        lines += [f"  {role:<11} username: {username}  password: {password}" for username, role, password in created]
        self.stdout.write(self.style.SUCCESS("\n".join(lines) + "\n"))
