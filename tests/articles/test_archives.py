from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from articles.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def at(year, month, day, hour=12):
    return datetime(year, month, day, hour, tzinfo=UTC)


@pytest.fixture
def history(publication, section):
    return {
        "jan": make_article(headline="January story", section=section, published_at=at(2025, 1, 15)),
        "mar": make_article(headline="March story", section=section, published_at=at(2025, 3, 2)),
        "mar2": make_article(headline="Another March story", section=section, published_at=at(2025, 3, 30)),
        "may26": make_article(headline="May 2026 story", section=section, published_at=at(2026, 5, 1)),
        "draft": make_article(
            headline="Draft story", section=section, status=Article.Status.DRAFT, published_at=at(2025, 3, 5)
        ),
        "future": make_article(headline="Future story", section=section, published_at=at(2099, 1, 1)),
    }


def test_archive_index_lists_months_with_counts_by_year(client, history):
    html = client.get(reverse("articles:archive")).content.decode()
    assert html.index(">2026<") < html.index(">2025<")
    assert 'href="/archive/2025/03/"' in html and "2 articles" in html
    assert 'href="/archive/2025/01/"' in html and "1 article<" in html
    assert "/archive/2025/02/" not in html
    assert "2099" not in html


def test_month_page_lists_that_months_published_articles(client, history):
    html = client.get(reverse("articles:archive-month", args=[2025, 3])).content.decode()
    assert "<h1>March 2025</h1>" in html
    assert "March story" in html and "Another March story" in html
    assert "January story" not in html and "Draft story" not in html
    assert 'href="/archive/2025/01/"' in html  # previous month with articles
    assert 'href="/archive/2026/05/"' in html  # next month with articles


def test_year_page_lists_the_years_articles_and_its_months(client, history):
    html = client.get(reverse("articles:archive-year", args=[2025])).content.decode()
    assert "<h1>2025</h1>" in html
    for headline in ["January story", "March story", "Another March story"]:
        assert headline in html
    assert "May 2026 story" not in html
    assert 'href="/archive/2025/01/"' in html and 'href="/archive/2025/03/"' in html
    assert 'href="/archive/2026/"' in html


@pytest.mark.parametrize(
    "url",
    ["/archive/2025/02/", "/archive/2025/13/", "/archive/2025/0/", "/archive/0/", "/archive/2099/",
     "/archive/99999999999999999999/", "/archive/2025/99999999999999999999/", "/archive/1/1/", "/archive/9999/12/"],
)  # fmt: skip
def test_empty_or_impossible_periods_are_404(client, history, url):
    assert client.get(url).status_code == 404


def test_articles_near_midnight_fall_in_the_sites_time_zone(client, publication, section, settings):
    settings.TIME_ZONE = "Asia/Tokyo"
    make_article(headline="New year in Tokyo", section=section, published_at=at(2024, 12, 31, 16))  # 01:00 in Tokyo
    assert "New year in Tokyo" in client.get("/archive/2025/01/").content.decode()
    assert client.get("/archive/2024/12/").status_code == 404


def test_archive_pages_paginate(client, publication, section):
    for day in range(1, 16):
        make_article(headline=f"Day {day:02d}", section=section, published_at=at(2025, 6, day))
    first = client.get("/archive/2025/06/").content.decode()
    second = client.get("/archive/2025/06/", {"page": 2}).content.decode()
    assert "Day 15" in first and "Day 01" not in first
    assert "Day 01" in second


def test_archive_pages_stay_within_the_list_budget(client, publication, section, django_assert_max_num_queries):
    """One months query, then count, page, bylines and tags; never a query per article or month."""
    for month in range(1, 13):
        for day in (3, 9):
            make_article(section=section, tags=["A", f"m{month}"], published_at=at(2025, month, day))
    for url in ["/archive/", "/archive/2025/", "/archive/2025/06/"]:
        client.get(url)
        with django_assert_max_num_queries(5):
            assert client.get(url).status_code == 200


def test_future_article_does_not_open_its_month(client, publication, section):
    make_article(headline="Scheduled", section=section, published_at=datetime.now(UTC) + timedelta(days=40))
    later = datetime.now(UTC) + timedelta(days=40)
    assert client.get(f"/archive/{later.year}/{later.month:02d}/").status_code == 404
