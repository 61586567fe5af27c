"""Query budgets of every reader page, asserted at two dataset sizes: the count is within budget and the same
with 3 articles as with 30 (front ≤ 4, article ≤ 6, every list and feed ≤ 5).

The articles are as the benchmark's (bench/dataset.py): bylines (one author with a portrait), three tags,
a featured image, a picture in the body, approved comments, a publisher on every other one, a kind on some.
A page that ran a query per article, author, tag, image or comment would count more at 30 than at 3.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import media
from articles.models import Article
from tests.cache_calls import record_cache_calls
from tests.factories import ensure_kinds, make_article, make_author, make_comment, make_image, make_publisher

FRONT, ARTICLE, LIST = 4, 6, 5


@pytest.fixture
def newsroom(db, publication, section):
    """fill(count) adds `count` articles like the benchmark's; the objects the pages are about are fixed."""
    image = make_image()
    portrait = make_image(name="portrait.jpg", alt="A reporter")
    authors = [make_author(photo=portrait), make_author()]
    publisher = make_publisher()
    kinds = [kind for kind in ensure_kinds().values() if not kind.is_sponsored]
    body = "<p>First paragraph about the harbour.</p>" + media.figure_html(image) + "<p>Second paragraph.</p>"

    def fill(count):
        for _ in range(count):
            number = Article.objects.count()
            article = make_article(
                section=section,
                authors=authors[: 1 + number % 2],
                publisher=publisher if number % 2 else None,
                kind=kinds[number % len(kinds)] if number % 3 == 0 else None,
                image=image,
                body=body,
                tags=["Harbour", f"topic {number}", f"week {number % 4}"],
            )
            make_comment(article=article)

    fill.section, fill.publisher, fill.author = section, publisher, authors[0]
    return fill


def _urls(newsroom):
    first = Article.objects.order_by("pk").first()
    when = timezone.localtime(first.published_at)
    return {
        "front": (reverse("articles:front"), FRONT),
        "article": (first.get_absolute_url(), ARTICLE),
        "section": (newsroom.section.get_absolute_url(), LIST),
        "tag": (reverse("articles:tag", args=["harbour"]), LIST),
        "publisher": (newsroom.publisher.get_absolute_url(), LIST),
        "author": (newsroom.author.get_absolute_url(), LIST),
        "archive index": (reverse("articles:archive"), LIST),
        "archive year": (reverse("articles:archive-year", args=[when.year]), LIST),
        "archive month": (reverse("articles:archive-month", args=[when.year, when.month]), LIST),
        "search": (reverse("articles:search") + "?q=harbour", LIST),
        "feed": (reverse("articles:feed"), LIST),
        "atom feed": (reverse("articles:feed-atom"), LIST),
        "section feed": (reverse("articles:section-feed", args=[newsroom.section.slug]), LIST),
        "tag feed": (reverse("articles:tag-feed", args=["harbour"]), LIST),
    }


def _count(client, django_assert_max_num_queries, url, budget):
    client.get(url)  # warm the site chrome in the cache, as on a live site
    with django_assert_max_num_queries(budget) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


def test_every_reader_page_costs_the_same_queries_with_3_and_30_articles(
    client, newsroom, django_assert_max_num_queries
):
    """Guards the N+1s of cards and feed items (bylines, portraits, tags, section, publisher, kind, featured
    and body images, comment counts), and counts that grow with the number of months or pages."""
    newsroom(3)
    small = {
        name: _count(client, django_assert_max_num_queries, url, budget)
        for name, (url, budget) in _urls(newsroom).items()
    }
    newsroom(27)
    large = {
        name: _count(client, django_assert_max_num_queries, url, budget)
        for name, (url, budget) in _urls(newsroom).items()
    }
    assert small == large


def test_list_pages_whose_cards_must_all_be_rendered_stay_within_budget(
    client, newsroom, django_assert_max_num_queries, monkeypatch
):
    """A list page reads its cards from the cache; when none is there (a cold cache, or every card changed),
    rendering them all costs one query more, not one per card: still within budget, and the same at 3 and 30."""
    from newsroom import fragments

    read = fragments.cache.get_many
    monkeypatch.setattr(
        fragments.cache,
        "get_many",
        lambda keys: {key: value for key, value in read(keys).items() if "card:" not in key},
    )
    lists = ["front", "section", "tag", "publisher", "author", "archive year", "archive month"]
    counts = []
    for size in (3, 27):
        newsroom(size)
        counts.append(
            {
                name: _count(client, django_assert_max_num_queries, url, budget)
                for name, (url, budget) in _urls(newsroom).items()
                if name in lists
            }
        )
    assert counts[0] == counts[1]
    assert counts[0]["front"] == 3  # the card rows, their count, the articles of the cards to render


def _cache_round_trips(client, url, monkeypatch):
    """How many times a warm page asks the cache (each a network round trip with Redis)."""
    from django.core.cache import cache

    client.get(url)
    with monkeypatch.context() as patched:
        asked = record_cache_calls(patched, cache)
        assert client.get(url).status_code == 200, url
    return asked


def test_a_warm_page_asks_the_cache_a_fixed_few_times(client, newsroom, monkeypatch):
    """The site chrome, the breaking-news banner and the comment rules are read together (newsroom.per_request),
    and an article page reads its body's images and its related articles together: with Redis each read is a
    network round trip. The same with 3 articles as with 30."""
    counts = []
    for size in (3, 27):
        newsroom(size)
        counts.append(
            {name: len(_cache_round_trips(client, url, monkeypatch)) for name, (url, _) in _urls(newsroom).items()}
        )
    assert counts[0] == counts[1]
    assert counts[0] == {
        "front": 2,  # the shared values; the cards
        "article": 4,  # the shared values; the body's images with the related ranking; the related list; comments
        **dict.fromkeys(["section", "tag", "publisher", "author", "archive year", "archive month"], 2),
        "archive index": 1,
        "search": 3,  # the shared values; the kept matches; the results
        # the shared values; the body images; the kept items
        **dict.fromkeys(["feed", "atom feed", "section feed", "tag feed"], 3),
    }
