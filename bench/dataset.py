"""The benchmark's dataset, written through a fast bulk path (bulk_create, one search-index update at the end).

A realistic newsroom: 8 sections, 6 publishers, 40 authors, a few hundred tags (3 per article), a library of
pictures with real renditions, articles whose bodies hold 8 to 14 paragraphs with inline pictures, 1 or 2
bylines each, every fifth syndicated from a publisher, 5 approved comments each, published over two years.
Deterministic for a given N (seeded). It bypasses the article service on purpose: no events, revisions or
jobs are needed for a read benchmark, and the service's per-article transaction would take hours at 100,000.
"""

import random
import time
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

SEED = 20261201
SECTIONS = ["World", "Politics", "Business", "Science", "Health", "Sport", "Culture", "Opinion"]
PUBLISHERS = ["Reuters", "Associated Press", "AFP", "DoD News", "Bench Wire", "Coast Gazette"]
TAG_COUNT = 300
AUTHOR_COUNT = 40
COMMENTS_PER_ARTICLE = 5
TAGS_PER_ARTICLE = 3
BATCH = 2000

_TEXT = (
    "government council minister election budget harbour storm court police school hospital market strike "
    "vote reform report village river bridge summit treaty defence weather season festival railway "
    "station museum library farmers fishing fleet energy prices housing rent teachers nurses doctors "
    "climate flood wall drought harvest tourism airport ferry mayor parliament senate committee inquiry "
    "audit contract tender union wages exports imports shipping port factory workers science research "
    "university students record championship league final coach striker goalkeeper stadium concert "
    "orchestra theatre gallery novel film director "
)
WORDS = _TEXT.split()
# Most words of a story are common ones; its topic words (four of WORDS) make it findable, so a search
# for one topic word matches a few per cent of the archive, as in a real one (not every story).
_FILLER = (
    "the a of to in on at for with from after before during over under while said says officials people city "
    "week year month plan local also more about would could first last two three new old told statement "
    "announced expected today residents group public state national spokesperson according since this that"
)
FILLER = _FILLER.split()
FIRST = ["Ada", "Ben", "Chiara", "Dmitri", "Esther", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Keiko", "Luis"]
LAST = ["Lovelace", "Okafor", "Rossi", "Ivanov", "Cohen", "Haddad", "Hopper", "Martin", "Calder", "Berg", "Sato"]


def _sentence(rng, low=8, high=22, topics=None):
    words = [
        rng.choice(topics) if topics and rng.random() < 0.15 else rng.choice(FILLER)
        for _ in range(rng.randint(low, high))
    ]
    return " ".join(words).capitalize() + "."


def _paragraph(rng, topics):
    return "<p>" + " ".join(_sentence(rng, topics=topics) for _ in range(rng.randint(2, 5))) + "</p>"


def _library_images():
    """The demo's pictures, with their renditions made now (synchronously): reused by every article."""
    from articles import demo_media, media
    from articles.models import Image

    if Image.objects.exists():
        return list(Image.objects.order_by("pk"))
    found = []
    for key, spec in demo_media.DEMO_IMAGES.items():
        image = media.image_create_from_file(
            file=demo_media.picture(spec),
            title=spec["title"],
            alt=spec["alt"],
            caption=spec["caption"],
            credit=spec["credit"],
            licence=spec["licence"],
            source=spec["source"],
            focal_point=spec["focal"],
            name=f"{key}.jpg",
        )
        media.refresh_renditions(image.pk)
        found.append(image)
    return list(Image.objects.order_by("pk"))


def _body(rng, images, topics):
    from articles import media

    count = rng.randint(8, 14)
    parts = [_paragraph(rng, topics) for _ in range(count)]
    for position in sorted(rng.sample(range(1, count), k=2), reverse=True):
        parts.insert(position, media.figure_html(rng.choice(images), size=rng.choice(["inline", "inline", "wide"])))
    return "".join(parts)


def generate(n, *, stdout=print):
    """Write the dataset (the database must hold no articles yet); returns the seconds it took."""
    from taggit.models import Tag

    from articles import search
    from articles.models import Article, Author, BodyImage, Byline, Publication, Publisher, Section
    from comments.models import Comment

    started = time.monotonic()
    rng = random.Random(SEED)
    now = timezone.now()
    with transaction.atomic():
        if not Publication.objects.exists():
            Publication.objects.create(
                name="The Bench Gazette", tagline="News at newsroom scale", issn="2049-3630", description="Bench."
            )
        sections = Section.objects.bulk_create(
            Section(name=name, slug=name.lower(), position=index, description=f"{name} news.")
            for index, name in enumerate(SECTIONS)
        )
        publishers = Publisher.objects.bulk_create(
            Publisher(name=name, slug=name.lower().replace(" ", "-")) for name in PUBLISHERS
        )
        authors = Author.objects.bulk_create(
            Author(
                name=f"{FIRST[i % len(FIRST)]} {LAST[i // len(FIRST) % len(LAST)]} {i}",
                slug=f"author-{i}",
                title="Reporter",
                bio=_sentence(rng, 12, 20),
            )
            for i in range(AUTHOR_COUNT)
        )
        tag_names = sorted({f"{rng.choice(WORDS)} {rng.choice(WORDS)}" for _ in range(TAG_COUNT * 3)})[:TAG_COUNT]
        tags = Tag.objects.bulk_create(Tag(name=name, slug=name.replace(" ", "-")) for name in tag_names)
    images = _library_images()
    stdout(f"  reference data and {len(images)} library images in {time.monotonic() - started:.1f}s")

    through = Article.tags.through
    generic = any(field.name == "content_type" for field in through._meta.get_fields())
    dated = any(field.name == "published_at" for field in through._meta.get_fields())  # migration 0020 on
    if generic:
        from django.contrib.contenttypes.models import ContentType

        article_type = ContentType.objects.get_for_model(Article)
    span = timedelta(days=730).total_seconds()
    for start in range(0, n, BATCH):
        size = min(BATCH, n - start)
        with transaction.atomic():
            rows = []
            for i in range(start, start + size):
                topics = rng.sample(WORDS, k=4)
                headline = _sentence(rng, 6, 11, topics)[:-1]
                published_at = now - timedelta(seconds=60 + span * (n - i) / n)
                syndicated = i % 5 == 0
                publisher = rng.choice(publishers) if syndicated else None
                rows.append(
                    Article(
                        headline=headline,
                        slug=f"{'-'.join(headline.lower().split()[:6])}-{i}",
                        dek=_sentence(rng, 14, 26, topics),
                        body=_body(rng, images, topics),
                        status=Article.Status.PUBLISHED,
                        published_at=published_at,
                        content_updated_at=published_at,
                        section=sections[i % len(sections)],
                        publisher=publisher,
                        original_url=f"https://{publisher.slug}.example/{i}" if publisher else "",
                        image=images[i % len(images)] if i % 4 else None,
                    )
                )
            articles = Article.objects.bulk_create(rows)
            bylines, tagged, body_images, comments = [], [], [], []
            for article in articles:
                for position, author in enumerate(rng.sample(authors, k=rng.choice([1, 1, 2]))):
                    bylines.append(Byline(article=article, author=author, position=position))
                for tag in rng.sample(tags, k=TAGS_PER_ARTICLE):
                    link = {"content_type": article_type, "object_id": article.pk} if generic else {}
                    own = {"content_object": article, **({"published_at": article.published_at} if dated else {})}
                    tagged.append(through(tag=tag, **(link or own)))
                body_images.extend(
                    BodyImage(article=article, image_id=int(image_id))
                    for image_id in sorted(set(_image_ids(article.body)))
                )
                for c in range(COMMENTS_PER_ARTICLE):
                    comments.append(
                        Comment(
                            article=article,
                            author_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                            author_email=f"reader{c}@example.org",
                            body=_sentence(rng, 10, 30),
                            status=Comment.Status.APPROVED,
                            created_at=article.published_at + timedelta(minutes=10 * (c + 1)),
                        )
                    )
            Byline.objects.bulk_create(bylines)
            through.objects.bulk_create(tagged)
            BodyImage.objects.bulk_create(body_images)
            Comment.objects.bulk_create(comments, batch_size=5000)
        stdout(f"  {start + size} articles ({time.monotonic() - started:.0f}s)")
    search.update_search_vectors()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # as autovacuum would have: visibility map set, statistics fresh
    return time.monotonic() - started


def _image_ids(body):
    import re

    return re.findall(r'data-image-id="(\d+)"', body)
