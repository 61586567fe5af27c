import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from articles import article_page
from articles.models import Article
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def related_block(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    if 'class="related"' not in html:
        return ""
    start = html.index('class="related"')
    return html[start : html.index("</aside>", start)]


def test_related_articles_are_ranked_by_shared_tags_then_recency(client, publication, section):
    now = timezone.now()
    article = make_article(headline="Main", section=section, tags=["Japan", "Defence", "Navy"])
    make_article(
        headline="Shares one, newest", section=section, tags=["Japan"], published_at=now - timedelta(minutes=5)
    )
    make_article(
        headline="Shares three",
        section=section,
        tags=["Japan", "Defence", "Navy"],
        published_at=now - timedelta(days=9),
    )
    make_article(
        headline="Shares two", section=section, tags=["Defence", "Navy", "Other"], published_at=now - timedelta(days=5)
    )
    make_article(headline="Shares one, older", section=section, tags=["Navy"], published_at=now - timedelta(days=7))
    make_article(headline="Shares one, oldest", section=section, tags=["Navy"], published_at=now - timedelta(days=8))
    make_article(headline="Shares none", section=section, tags=["Cooking"])
    block = related_block(client, article)
    order = ["Shares three", "Shares two", "Shares one, newest", "Shares one, older"]
    positions = [block.index(headline) for headline in order]
    assert positions == sorted(positions)
    assert "Shares one, oldest" not in block  # four at most
    assert "Shares none" not in block and ">Main<" not in block


def test_related_never_shows_hidden_articles(client, publication, section):
    article = make_article(headline="Main", section=section, tags=["Japan"])
    make_article(headline="Draft twin", section=section, tags=["Japan"], status=Article.Status.DRAFT)
    make_article(
        headline="Future twin", section=section, tags=["Japan"], published_at=timezone.now() + timedelta(hours=1)
    )
    assert related_block(client, article) == ""


def test_untagged_article_shows_the_latest_of_its_section(client, publication, section):
    article = make_article(headline="Main", section=section)
    make_article(headline="Same section", section=section)
    make_article(headline="Other section", section=make_section())
    block = related_block(client, article)
    assert "Same section" in block and "Other section" not in block


def test_related_articles_cost_one_query(client, publication, section, django_assert_max_num_queries):
    """Article, bylines, tags, corrections and comments, plus one for related: the page's budget of 6,
    still the same with 40 tagged neighbours, whether the ranking is made or kept."""
    article = make_article(section=section, tags=["Japan", "Navy"])
    for number in range(5):
        make_article(section=section, tags=["Japan", f"t{number}"])
    client.get(article.get_absolute_url())
    with django_assert_max_num_queries(6) as few:
        client.get(article.get_absolute_url())
    for number in range(35):
        make_article(section=section, tags=["Navy", f"u{number}"])
    cache.delete(article_page.related_key(Article.objects.for_listing().get(pk=article.pk)))
    with django_assert_max_num_queries(6) as many:
        client.get(article.get_absolute_url())
    assert len(few.captured_queries) == len(many.captured_queries)
    related = [q["sql"] for q in many.captured_queries if 'COUNT("articles_taggedarticle"' in q["sql"]]
    assert len(related) == 1


def test_the_ranking_is_kept_but_the_related_articles_are_read_each_time(client, publication, section, monkeypatch):
    """Which articles are related is kept RELATED_SECONDS; what they show, and whether they are public, is not."""
    monkeypatch.setattr(article_page, "RELATED_SECONDS", 1)  # real seconds: Redis keeps its own clock
    article = make_article(headline="Main", section=section, tags=["Japan"])
    twin = make_article(headline="Twin", section=section, tags=["Japan"])
    other = make_article(headline="Other twin", section=section, tags=["Japan"])
    assert "Twin" in related_block(client, article) and "Other twin" in related_block(client, article)
    Article.objects.filter(pk=twin.pk).update(headline="Twin, edited")
    Article.objects.filter(pk=other.pk).update(status=Article.Status.UNPUBLISHED)
    block = related_block(client, article)
    assert "Twin, edited" in block and "Other twin" not in block
    newcomer = make_article(headline="Newcomer", section=section, tags=["Japan"])
    assert "Newcomer" not in related_block(client, article)
    time.sleep(1.2)
    assert newcomer.headline in related_block(client, article)


def test_only_the_newest_articles_carrying_the_tags_are_weighed(client, publication, section, monkeypatch):
    """related_to() ranks the RELATED_CANDIDATES newest articles that share any tag, so its cost does not grow
    with the archive: an older article is left out even when it shares more tags."""
    from articles.models import article as article_module

    monkeypatch.setattr(article_module, "RELATED_CANDIDATES", 3)
    now = timezone.now()
    article = make_article(headline="Main", section=section, tags=["Japan", "Navy"])
    make_article(
        headline="Old, shares two", section=section, tags=["Japan", "Navy"], published_at=now - timedelta(days=30)
    )
    for number in range(3):
        make_article(
            headline=f"New {number}, shares one",
            section=section,
            tags=["Japan"],
            published_at=now - timedelta(hours=number + 1),
        )
    block = related_block(client, article)
    assert "Old, shares two" not in block
    assert all(f"New {number}, shares one" in block for number in range(3))
    monkeypatch.setattr(article_module, "RELATED_CANDIDATES", 10)
    cache.clear()
    assert "Old, shares two" in related_block(client, article).split("New 0")[0]


def test_the_list_is_rendered_once_and_shows_a_renamed_section_or_replaced_picture_at_once(
    client, publication, section
):
    from django.test.signals import template_rendered

    from tests.factories import make_image

    article = make_article(headline="Main", section=section, tags=["Japan"])
    twin = make_article(headline="Twin", section=section, tags=["Japan"])
    rendered = []

    def note(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(note)
    try:
        related_block(client, article)
        related_block(client, article)
        assert rendered.count("articles/_related.html") == 1, "the second page reuses the kept list"
        section.name = "Harbour news"
        section.save()
        assert "Harbour news" in related_block(client, article)
        Article.objects.filter(pk=twin.pk).update(image=make_image(alt="Cranes at dawn"))
        assert "Cranes at dawn" not in related_block(client, article)  # decorative in the list: alt=""
        assert rendered.count("articles/_related.html") == 3
        assert "<img" in related_block(client, article) or "<picture" in related_block(client, article)
    finally:
        template_rendered.disconnect(note)
