import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.http import HttpRequest
from django.urls import reverse

from articles import demo_media, demo_reference, embeds, richtext
from articles.models import Article, Author, Publication, Publisher, Section
from articles.models import Image as LibraryImage
from tests.html_text import fold, visible_text

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parents[3] / "shared" / "reference" / "seed-article.txt"


def load_demo():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def seed_blocks():
    """The reference page's blocks, from shared/ when present, else from our embedded copy."""
    if SEED.exists():
        text = SEED.read_text(encoding="utf-8")
        return [fold(block) for block in re.split(r"\n\s*\n", text) if block.strip()]
    return [
        "ISSN 2330-717X",
        demo_reference.HEADLINE,
        *[fold(p) for p in demo_reference.BODY_PARAGRAPHS],
        demo_reference.PUBLISHER["name"],
        demo_reference.PUBLISHER["description"],
        "Leave a Reply",
        "Your email address will not be published.",
    ]


def test_embedded_reference_matches_the_shared_seed_article():
    blocks = seed_blocks()
    assert blocks[1] == demo_reference.HEADLINE
    assert blocks[2:-4] == [fold(p) for p in demo_reference.BODY_PARAGRAPHS]


def test_reference_article_page_shows_the_five_parts_in_order(client):
    load_demo()
    article = Article.objects.get(headline=demo_reference.HEADLINE)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    page = fold(visible_text(response.content.decode()))
    position = 0
    for block in seed_blocks():
        found = page.find(block, position)
        assert found != -1, f"missing or out of order: {block[:70]!r}"
        position = found + len(block)


def test_reference_article_leads_the_front_page(client):
    load_demo()
    html = client.get(reverse("articles:front")).content.decode()
    assert "ISSN 2330-717X" in html
    lead = html[html.index('class="lead-story"') :]
    assert demo_reference.HEADLINE in lead[:3000]


def test_demo_builds_a_real_looking_site():
    output = load_demo()
    assert Publication.objects.get().issn == "2330-717X"
    assert Article.objects.published().count() >= 20
    assert Section.objects.count() >= 5
    assert Author.objects.count() >= 5
    assert Publisher.objects.count() >= 3
    assert Article.objects.exclude(image=None).count() >= 5
    assert Article.objects.filter(status=Article.Status.DRAFT).exists()
    reference = Article.objects.get(headline=demo_reference.HEADLINE)
    assert reference.publisher.name == "DoD News"
    assert {"Japan", "United States", "Indo-Pacific"} <= set(reference.tags.names())
    assert "password:" in output


def test_demo_images_are_real_jpegs_in_the_library_with_credits_and_rights(settings):
    from PIL import Image

    load_demo()
    article = Article.objects.exclude(image=None).first()
    with article.image.file.open("rb") as handle, Image.open(handle) as image:
        assert image.format == "JPEG"
        assert image.size == (1600, 900)
    library = LibraryImage.objects.all()
    assert library.count() >= 12
    assert all(image.credit and image.alt and image.licence != "unknown" for image in library)
    assert all(image.renditions_are_current for image in library)  # made by load_demo, no worker needed
    assert library.exclude(restrictions="").filter(rights_expire_at__isnull=False).exists()


def test_demo_has_a_story_with_every_kind_of_media(client):
    load_demo()
    story = Article.objects.get(slug=demo_media.MEDIA_ARTICLE["slug"])
    body = richtext.parse(story.body)
    kinds = [block.kind for block in body.blocks]
    assert {"image", "gallery", "embed", "pullquote"} <= set(kinds)
    sizes = {block.size for block in body.blocks if block.kind == "image"}
    assert sizes == {"inline", "wide", "full"}
    assert any((image.focal_x, image.focal_y) != (0.5, 0.5) for image in story.body_images.all())
    providers = {embeds.match(url).provider.key for url in body.embed_urls}
    assert providers == {"youtube", "datawrapper"}
    assert "<table>" in story.body and "<hr>" in story.body
    html = client.get(story.get_absolute_url()).content.decode()
    for marker in [
        'class="media media-inline"',
        "media-wide",
        "media-full",
        "data-gallery",
        "pullquote",
        "table-scroll",
    ]:
        assert marker in html, marker
    assert html.count('class="embed-frame') == 2


def test_load_demo_is_idempotent():
    load_demo()
    snapshot = {
        model.__name__: sorted(model.objects.values_list("pk", flat=True))
        for model in [Publication, Section, Author, Publisher, Article, LibraryImage]
    }
    articles = list(Article.objects.order_by("pk").values("slug", "published_at", "updated_at", "body"))
    tags = sorted((a.pk, tuple(sorted(a.tags.names()))) for a in Article.objects.all())
    second = load_demo()
    assert "nothing changed" in second
    assert "password:" not in second
    assert {
        model.__name__: sorted(model.objects.values_list("pk", flat=True))
        for model in [Publication, Section, Author, Publisher, Article, LibraryImage]
    } == snapshot
    assert list(Article.objects.order_by("pk").values("slug", "published_at", "updated_at", "body")) == articles
    assert sorted((a.pk, tuple(sorted(a.tags.names()))) for a in Article.objects.all()) == tags


def test_admin_password_is_generated_not_fixed(django_user_model):
    first = load_demo()
    password = re.search(r"password: (\S+)", first).group(1)
    assert len(password) >= 12
    assert django_user_model.objects.get(username="admin").check_password(password)


def test_dry_run_changes_nothing():
    out = io.StringIO()
    call_command("load_demo", "--dry-run", stdout=out)
    assert "Would create" in out.getvalue()
    assert not Article.objects.exists()


def test_demo_makes_one_account_per_role_with_its_own_generated_password(client, django_user_model):
    output = load_demo()
    passwords = dict(re.findall(r"username: (\S+)\s+password: (\S+)", output))
    assert set(passwords) == {"admin", "editor", "reporter", "moderator"}
    assert len(set(passwords.values())) == 4
    for username, group in [("editor", "Editors"), ("reporter", "Reporters"), ("moderator", "Moderators")]:
        user = django_user_model.objects.get(username=username)
        assert user.check_password(passwords[username])
        assert list(user.groups.values_list("name", flat=True)) == [group]
        assert not user.is_superuser
    reporter = django_user_model.objects.get(username="reporter")
    assert Author.objects.get(user=reporter).articles.exists(), "the reporter owns a demo byline"
    assert client.login(request=HttpRequest(), username="moderator", password=passwords["moderator"])  # django-axes
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 403
    assert client.get(reverse("admin:comments_comment_changelist")).status_code == 200


def test_load_demo_prints_the_address_the_site_is_served_on(settings):
    settings.SITE_URL = "http://192.0.2.5:8123"
    output = load_demo()
    assert "Site address: http://192.0.2.5:8123" in output
    assert "log in at http://192.0.2.5:8123/admin/" in output


def test_demo_articles_are_written_through_the_article_service():
    load_demo()
    reference = Article.objects.get(publisher__slug=demo_reference.PUBLISHER["slug"])
    (revision,) = reference.revisions.all()
    assert revision.version == reference.version == 1 and revision.content["headline"] == reference.headline


def test_demo_shows_the_desk_features(client, settings):
    from datetime import UTC, datetime, timedelta

    from django.utils import timezone

    from articles.models import BreakingNews, Front

    before = timezone.now()
    load_demo()
    newest = Article.objects.published().latest_first().first()
    lead = Front.objects.home().pins.order_by("position").first().article
    assert lead.headline == demo_reference.HEADLINE and lead != newest, "a pinned lead that is not the newest"
    html = client.get("/").content.decode()
    assert demo_reference.HEADLINE in html[html.index('class="lead-story"') :][:3000]
    assert newest.headline in html[html.index('id="latest-heading"') :]
    (banner,) = BreakingNews.objects.all()
    assert banner.is_live and before + timedelta(days=1) <= banner.ends_at <= timezone.now() + timedelta(days=1)
    assert 'role="alert"' in html
    kinds = set(Article.objects.published().values_list("kind__slug", flat=True))
    assert {"opinion", "analysis"} <= kinds
    authors = Author.objects.all()
    assert all(author.photo and author.bio for author in authors)
    reference = Article.objects.get(headline=demo_reference.HEADLINE)
    assert reference.originally_published_at.astimezone(UTC).date() == datetime(2022, 5, 4, tzinfo=UTC).date()
    page = client.get(reference.get_absolute_url()).content.decode()
    assert "First published" in page and "May 4, 2022" in page and '"dateCreated":"2022-05-04' in page


def test_a_site_loaded_before_gets_the_reference_date_and_keeps_its_own_front(client):
    from articles import curation
    from articles.models import Front

    load_demo()
    reference = Article.objects.get(headline=demo_reference.HEADLINE)
    Article.objects.filter(pk=reference.pk).update(originally_published_at=None)
    other = Article.objects.published().exclude(pk=reference.pk).first()
    curation.front_save(front=Front.objects.home(), pins=[curation.PinSpec(other)])
    load_demo()
    reference.refresh_from_db()
    assert reference.originally_published_at is not None
    assert [pin.article for pin in Front.objects.home().pins.all()] == [other], "an editor's front is kept"
