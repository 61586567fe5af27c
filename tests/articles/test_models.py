from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles.models import SLUG_MAX_LENGTH, Article, unique_slug
from articles.richtext import sanitize_html
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db


def test_slug_is_made_from_the_headline():
    article = make_article(headline="US, Japan Defense Ministers Pledge To Defend Rules-Based Order")
    assert article.slug == "us-japan-defense-ministers-pledge-to-defend-rules-based-order"


def test_colliding_headlines_get_numbered_slugs():
    slugs = [make_article(headline="Storm hits coast").slug for _ in range(3)]
    assert slugs == ["storm-hits-coast", "storm-hits-coast-2", "storm-hits-coast-3"]


def test_an_editor_set_slug_is_kept():
    assert make_article(headline="Anything", slug="chosen-by-hand").slug == "chosen-by-hand"


def test_overlong_headline_gives_a_slug_that_fits_even_when_numbered():
    headline = "word " * 100
    first = make_article(headline=headline[:255])
    second = make_article(headline=headline[:255])
    assert len(first.slug) <= SLUG_MAX_LENGTH
    assert len(second.slug) <= SLUG_MAX_LENGTH
    assert second.slug.endswith("-2")
    assert first.slug != second.slug


def test_headline_without_latin_letters_still_gets_a_slug():
    assert make_article(headline="🔥🔥🔥").slug == "article"
    assert make_article(headline="!!!").slug == "article-2"


def test_unique_slug_ignores_the_instance_itself():
    article = make_article(headline="Same words")
    assert unique_slug(Article, "Same words", instance_pk=article.pk) == "same-words"


class TestPublished:
    """past/future × published/other statuses: only past published is public."""

    @pytest.mark.parametrize(
        ("status", "hours", "public"),
        [
            (Article.Status.PUBLISHED, -1, True),
            (Article.Status.PUBLISHED, +1, False),
            (Article.Status.DRAFT, -1, False),
            (Article.Status.DRAFT, +1, False),
            (Article.Status.IN_REVIEW, -1, False),
            (Article.Status.UNPUBLISHED, -1, False),
        ],
    )
    def test_queryset_and_instance_agree(self, status, hours, public):
        article = make_article(status=status, published_at=timezone.now() + timedelta(hours=hours))
        assert (article in Article.objects.published()) is public
        assert article.is_published() is public

    def test_published_without_a_date_is_not_public(self):
        article = make_article(published_at=None)
        assert article not in Article.objects.published()
        assert article.is_published() is False

    def test_scheduled_article_becomes_public_at_its_time(self):
        moment = timezone.now() + timedelta(days=1)
        article = make_article(published_at=moment)
        with time_machine.travel(moment - timedelta(seconds=1), tick=False):
            assert not Article.objects.published().filter(pk=article.pk).exists()
            assert article.is_scheduled
        with time_machine.travel(moment, tick=False):
            assert Article.objects.published().filter(pk=article.pk).exists()
            assert not article.is_scheduled


def test_bylines_keep_the_editors_order():
    first, second = make_author(name="Zoe Zed"), make_author(name="Adam Ant")
    article = make_article(authors=[first, second])
    listed = Article.objects.for_listing().get(pk=article.pk)
    assert listed.authors_in_order == [first, second]


def test_body_is_sanitised_on_save():
    article = make_article(
        body='<p onclick="steal()">Hi <script>alert(1)</script><a href="javascript:alert(1)">x</a>'
        '<img src=x onerror=alert(1)><iframe src="https://evil.example"></iframe></p>'
    )
    article.refresh_from_db()
    assert "script" not in article.body
    assert "onclick" not in article.body
    assert "javascript:" not in article.body
    assert "<img" not in article.body
    assert "iframe" not in article.body
    assert article.body.startswith("<p>Hi")


def test_sanitiser_keeps_editor_formatting():
    html = (
        '<h2>Sub</h2><p><strong>b</strong> <em>i</em> <a href="https://example.org">l</a></p>'
        "<ul><li>one</li></ul><ol><li>two</li></ol><blockquote><p>q</p></blockquote>"
    )
    cleaned = sanitize_html(html)
    for fragment in ["<h2>Sub</h2>", "<strong>b</strong>", "<em>i</em>", "<ul><li>one</li></ul>", "<blockquote>"]:
        assert fragment in cleaned
    assert 'href="https://example.org"' in cleaned
    assert sanitize_html("<p></p>") == ""


def test_library_image_needs_alt_text_unless_decorative():
    from django.core.exceptions import ValidationError

    from articles.models import Image

    image = Image(title="Pictured", file="originals/2026/11/x.png", alt="   ")
    with pytest.raises(ValidationError) as error:
        image.full_clean()
    assert error.value.error_dict["alt"][0].code == "alt_required"
    image.is_decorative = True
    image.full_clean()
    assert image.alt_text == ""


def test_every_model_names_itself_and_links_to_its_page(publication):
    article = make_article(authors=[make_author()], tags=["Japan"])
    for obj in [publication, article, article.section, article.bylines.get().author]:
        assert str(obj)
        assert obj.get_absolute_url().startswith("/")


def test_url_fields_read_a_bare_domain_as_https_as_django_6_does():
    field = Article._meta.get_field("original_url").formfield()
    assert field.clean("example.org/story") == "https://example.org/story"
    assert field.clean("http://example.org/story") == "http://example.org/story"
