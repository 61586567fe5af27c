"""Article kinds: a label readers see, the schema.org type search engines get, the kind in feeds, and paid
content disclosed with rel="sponsored" links."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from articles import revisions, services
from articles.models import ArticleKind
from tests.articles.desk import change_url
from tests.articles.test_feeds import NS, atom_entries, rss_items
from tests.articles.test_structured_data import head_of
from tests.factories import make_article, make_author
from tests.html_forms import admin_form

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def kinds(db):
    """The kinds the data migration made."""
    return {kind.slug: kind for kind in ArticleKind.objects.all()}


def test_the_migration_made_the_six_kinds_with_their_types(kinds):
    assert {slug: kind.schema_type for slug, kind in kinds.items()} == {
        "news": "NewsArticle",
        "analysis": "AnalysisNewsArticle",
        "opinion": "OpinionNewsArticle",
        "review": "ReviewNewsArticle",
        "explainer": "BackgroundNewsArticle",
        "sponsored": "AdvertiserContentArticle",
    }
    assert not kinds["news"].show_label and kinds["opinion"].show_label
    assert kinds["sponsored"].is_sponsored and kinds["sponsored"].disclosure


def test_an_opinion_piece_is_labelled_on_its_card_and_its_page(client, publication, section, kinds):
    article = make_article(headline="We must act", section=section, kind=kinds["opinion"])
    make_article(headline="Plain news", section=section, kind=kinds["news"])
    front = client.get("/").content.decode()
    card = front[front.index("We must act") - 800 : front.index("We must act")]
    assert '<span class="kind-label kind-label-opinion">Opinion</span>' in card
    assert front.count('class="kind-label') == 1, "plain news carries no label"
    page = client.get(article.get_absolute_url()).content.decode()
    header = page[page.index('<header class="article-header">') :][:800]
    assert '<span class="kind-label kind-label-opinion">Opinion</span>' in header


@pytest.mark.parametrize(
    ("slug", "schema_type"),
    [
        ("news", "NewsArticle"),
        ("opinion", "OpinionNewsArticle"),
        ("analysis", "AnalysisNewsArticle"),
        ("review", "ReviewNewsArticle"),
        ("explainer", "BackgroundNewsArticle"),
        ("sponsored", "AdvertiserContentArticle"),
    ],
)
def test_json_ld_uses_the_kinds_schema_type(client, publication, section, kinds, slug, schema_type):
    article = make_article(section=section, kind=kinds[slug], sponsor="Acme Ltd" if slug == "sponsored" else "")
    (data,) = [block for block in head_of(client, article.get_absolute_url()).json_ld if "headline" in block]
    assert data["@type"] == schema_type


def test_an_article_without_a_kind_is_news(client, publication, section):
    article = make_article(section=section)
    (data,) = [block for block in head_of(client, article.get_absolute_url()).json_ld if "headline" in block]
    assert data["@type"] == "NewsArticle" and "genre" not in data


def test_sponsored_content_is_disclosed_and_its_links_are_sponsored(client, publication, section, kinds):
    article = make_article(
        section=section,
        kind=kinds["sponsored"],
        sponsor="Acme Ltd",
        body='<p>Visit <a href="https://acme.example/">Acme</a> and <a href="https://acme.example/b">more</a>.</p>',
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<strong>Paid for by Acme Ltd.</strong> This content was paid for by an advertiser." in html
    body = html[html.index('<div class="article-body">') :][:600]
    assert body.count('rel="sponsored noopener noreferrer"') == 2
    (data,) = [block for block in head_of(client, article.get_absolute_url()).json_ld if "headline" in block]
    assert data["sponsor"] == {"@type": "Organization", "name": "Acme Ltd"}
    plain = make_article(section=section, body='<p><a href="https://x.example/">x</a></p>')
    assert (
        "sponsored"
        not in client.get(plain.get_absolute_url()).content.decode().split('<div class="article-body">')[1][:300]
    )


def test_a_sponsored_article_must_name_its_sponsor(desk, section, kinds):
    article = make_article(section=section)
    data = admin_form(desk, change_url(article), "article_form")
    data["kind"] = kinds["sponsored"].pk
    data["sponsor"] = "   "
    response = desk.post(change_url(article), data)
    assert response.status_code == 200
    assert "Name the sponsor: readers must know who paid for this article." in response.content.decode()
    data["sponsor"] = "Acme Ltd"
    assert desk.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.is_sponsored and article.sponsor == "Acme Ltd"


def test_new_articles_start_as_news(desk, kinds):
    data = admin_form(desk, reverse("admin:articles_article_add"), "article_form")
    assert data["kind"] == str(kinds["news"].pk)


def test_feeds_carry_the_kind(client, publication, section, kinds):
    make_article(headline="We must act", section=section, kind=kinds["opinion"], tags=["Japan"])
    (item,) = rss_items(client, reverse("articles:feed"))
    kind = [category for category in item.findall("category") if category.get("domain")]
    assert [(c.text, c.get("domain")) for c in kind] == [("Opinion", "https://schema.org/genre")]
    (entry,) = atom_entries(client, reverse("articles:feed-atom"))
    labels = [(c.get("term"), c.get("label")) for c in entry.findall("atom:category", NS) if c.get("scheme")]
    assert labels == [("opinion", "Opinion")]


def test_a_sponsored_feed_item_has_sponsored_links(client, publication, section, kinds):
    make_article(
        section=section, kind=kinds["sponsored"], sponsor="Acme", body='<p><a href="https://acme.example/">A</a></p>'
    )
    (item,) = rss_items(client, reverse("articles:feed"))
    assert 'rel="sponsored noopener noreferrer"' in item.find("content:encoded", NS).text


def test_editors_add_a_kind_and_every_page_hears_of_it(desk, heard):
    response = desk.post(
        reverse("admin:articles_articlekind_add"),
        {"name": "Obituary", "slug": "obituary", "schema_type": "NewsArticle", "show_label": "on", "position": 7},
    )
    assert response.status_code == 302
    assert ArticleKind.objects.filter(slug="obituary").exists()
    assert [(change.kind, change.everything) for change in heard] == [("taxonomy.changed", True)]


def test_a_paid_kind_needs_a_disclosure(desk):
    response = desk.post(
        reverse("admin:articles_articlekind_add"),
        {
            "name": "Partner",
            "slug": "partner",
            "schema_type": "AdvertiserContentArticle",
            "is_sponsored": "on",
            "position": 8,
        },
    )
    assert response.status_code == 200
    assert "Paid content needs a disclosure for readers." in response.content.decode()


def test_a_change_of_kind_is_in_the_history_and_restorable(section, kinds, desk_editor):
    article = make_article(section=section, kind=kinds["news"], authors=[make_author()])
    services.article_save(article=article, user=desk_editor)
    article.kind = kinds["analysis"]
    services.article_save(article=article, user=desk_editor)
    newer, older = article.revisions.order_by("-version")[:2]
    (diff,) = [diff for diff in revisions.compare(older.content, newer.content) if diff.field == "kind"]
    assert diff.label == "Kind"
    services.article_restore(article=article, revision=older, user=desk_editor)
    article.refresh_from_db()
    assert article.kind == kinds["news"]


def test_a_kind_in_use_cannot_be_deleted(desk, section, kinds):
    make_article(section=section, kind=kinds["opinion"], published_at=NOW - timedelta(hours=1))
    response = desk.post(reverse("admin:articles_articlekind_delete", args=[kinds["opinion"].pk]), {"post": "yes"})
    assert response.status_code == 200 and "Cannot delete" in response.content.decode()
    assert ArticleKind.objects.filter(slug="opinion").exists()
