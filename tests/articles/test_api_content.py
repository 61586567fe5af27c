"""The Content API's content: what each endpoint shows, to whom, in which order, at what cost."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from articles.models import ApiKey, Article
from tests.factories import (
    image_bytes,
    make_article,
    make_author,
    make_comment,
    make_correction,
    make_image,
    make_page,
    make_publisher,
    make_section,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
Status = Article.Status


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=True):
        yield


def make_key(**fields):
    key = ApiKey(name=fields.pop("name", "Partner"), **fields)
    raw = key.set_new_key()
    key.save()
    return key, raw


@pytest.fixture
def world(publication):
    """A public story with everything, a second public one, and one article in every hidden state."""
    world = make_section(name="World", slug="world")
    ada, bob = make_author(name="Ada Byline", slug="ada", title="Correspondent"), make_author(name="Bob", slug="bob")
    wire = make_publisher(name="Wire", slug="wire", website="https://wire.example")
    story = make_article(
        headline="Dam breaks",
        slug="dam-breaks",
        section=world,
        authors=[bob, ada],
        publisher=wire,
        original_url="https://wire.example/dam",
        rights="© Wire",
        is_original_canonical=True,
        tags=["Japan", "Floods"],
        published_at=NOW - timedelta(hours=2),
    )
    make_correction(story, text="The dam is 40 m high, not 400 m.")
    make_comment(article=story, author_email="secret-reader@example.com", ip_address="203.0.113.99")
    other = make_article(headline="Markets calm", slug="markets-calm", section=make_section(slug="business"))
    hidden = {
        "draft": make_article(headline="Draft piece", status=Status.DRAFT, tags=["Leak"]),
        "review": make_article(headline="In review piece", status=Status.IN_REVIEW),
        "unpublished": make_article(headline="Pulled piece", status=Status.UNPUBLISHED),
        "scheduled": make_article(headline="Tomorrow piece", published_at=NOW + timedelta(days=1)),
        "embargoed": make_article(
            headline="Embargoed piece", published_at=NOW + timedelta(hours=3), embargo_until=NOW + timedelta(hours=3)
        ),
    }
    return {"story": story, "other": other, "hidden": hidden, "section": world}


def get(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return response, response.json()


def test_the_article_list_shows_public_articles_newest_first_with_everything(client, world):
    response, body = get(client, "/api/v1/articles")
    assert response.status_code == 200
    assert [item["slug"] for item in body["items"]] == ["markets-calm", "dam-breaks"]
    story = body["items"][1]
    assert story["headline"] == "Dam breaks" and story["standfirst"] == world["story"].dek
    assert story["body_html"] == world["story"].body
    assert story["availability"] == "public" and story["kind"] is None
    assert story["section"]["slug"] == "world" and story["section"]["api_url"].endswith(
        f"/api/v1/sections/{world['section'].pk}"
    )
    assert [author["slug"] for author in story["authors"]] == ["bob", "ada"]  # the editor's byline order
    assert story["authors"][1]["title"] == "Correspondent"
    assert sorted(tag["name"] for tag in story["tags"]) == ["Floods", "Japan"]
    assert story["publisher"]["name"] == "Wire" and story["original_url"] == "https://wire.example/dam"
    assert story["rights"] == "© Wire"
    assert story["canonical_url"] == "https://wire.example/dam"
    assert story["url"] == "http://testserver/articles/dam-breaks/"
    assert story["corrections"][0]["text"] == "The dam is 40 m high, not 400 m."
    assert story["comment_count"] == 1
    assert story["published_at"].startswith("2026-11-26T07:00")
    assert body["next"] is None


def test_hidden_articles_are_never_listed_nor_found(client, world):
    _response, body = get(client, "/api/v1/articles?limit=100")
    assert {item["headline"] for item in body["items"]} == {"Dam breaks", "Markets calm"}
    for article in world["hidden"].values():
        response, body = get(client, f"/api/v1/articles/{article.pk}")
        assert response.status_code == 404 and body["code"] == "not_found"
        assert response["Cache-Control"] == "no-store"


def test_a_partner_key_sees_scheduled_and_embargoed_articles_marked_never_drafts(client, world):
    _key, raw = make_key(sees_scheduled=True)
    response, body = get(client, "/api/v1/articles?limit=100", **{"X-API-Key": raw})
    by_headline = {item["headline"]: item for item in body["items"]}
    assert set(by_headline) == {"Dam breaks", "Markets calm", "Tomorrow piece", "Embargoed piece"}
    assert by_headline["Tomorrow piece"]["availability"] == "scheduled"
    assert by_headline["Tomorrow piece"]["goes_live_at"].startswith("2026-11-27T09:00")
    assert by_headline["Embargoed piece"]["availability"] == "embargoed"
    assert by_headline["Embargoed piece"]["embargo_until"].startswith("2026-11-26T12:00")
    assert response["Cache-Control"] == "private, no-cache"
    for name in ["draft", "review", "unpublished"]:
        assert client.get(f"/api/v1/articles/{world['hidden'][name].pk}", headers={"X-API-Key": raw}).status_code == 404
    scheduled = world["hidden"]["scheduled"].pk
    assert client.get(f"/api/v1/articles/{scheduled}", headers={"X-API-Key": raw}).status_code == 200


def test_a_key_without_the_grant_sees_what_everyone_sees(client, world):
    _key, raw = make_key()
    response, body = get(client, "/api/v1/articles", **{"X-API-Key": raw})
    assert {item["headline"] for item in body["items"]} == {"Dam breaks", "Markets calm"}
    assert response["Cache-Control"].startswith("public")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("section=world", {"dam-breaks"}),
        ("section=business", {"markets-calm"}),
        ("tag=japan", {"dam-breaks"}),
        ("author=ada", {"dam-breaks"}),
        ("publisher=wire", {"dam-breaks"}),
        ("slug=markets-calm", {"markets-calm"}),
        ("section=nowhere", set()),
        ("tag=leak", set()),  # a draft's tag
        ("section=world&tag=japan&author=bob", {"dam-breaks"}),
        ("q=dam", {"dam-breaks"}),
        ("q=markets", {"markets-calm"}),
    ],
)
def test_filters_narrow_the_list(client, world, query, expected):
    response, body = get(client, f"/api/v1/articles?{query}")
    assert response.status_code == 200
    assert {item["slug"] for item in body["items"]} == expected


def test_updated_since_returns_articles_changed_from_then(client, world):
    Article.objects.filter(pk=world["other"].pk).update(updated_at=NOW - timedelta(days=3))
    Article.objects.filter(pk=world["story"].pk).update(updated_at=NOW - timedelta(hours=1))
    since = (NOW - timedelta(days=1)).isoformat().replace("+00:00", "Z")
    _response, body = get(client, f"/api/v1/articles?updated_since={since}")
    assert [item["slug"] for item in body["items"]] == ["dam-breaks"]
    _response, body = get(client, "/api/v1/articles?updated_since=2026-11-20")  # a date means its midnight, UTC
    assert {item["slug"] for item in body["items"]} == {"dam-breaks", "markets-calm"}


def test_the_kind_filter_narrows_to_that_kind_and_names_the_known_ones_when_wrong(client, world):
    from articles.models import ArticleKind

    opinion = ArticleKind.objects.get(slug="opinion")
    column = make_article(headline="My view", section=world["section"], kind=opinion)
    response, body = get(client, "/api/v1/articles?kind=opinion")
    assert response.status_code == 200
    assert [(item["id"], item["kind"]) for item in body["items"]] == [(column.pk, "opinion")]
    response, body = get(client, "/api/v1/articles?kind=gossip")
    assert response.status_code == 400 and "opinion" in body["detail"]


@pytest.mark.parametrize(
    "query",
    [
        "section=%00",
        "section=../../etc",
        "section=" + "a" * 5000,
        "tag=%27%20OR%201%3D1--",
        "author=<script>",
        "publisher=%F0%9F%92%A5%00",
        "kind=NEWS;DROP",
        "slug=%00",
        "updated_since=yesterday",
        "updated_since=9999-12-31T23:59:59-23:59",
        "updated_since=0001-01-01T00:00:00%2B23:59",
        "updated_since=%00",
        "q=" + "x" * 500,
        "q=%00%01%02",
        "limit=0",
        "limit=101",
        "limit=-1",
        "limit=99999999999999999999999",
        "limit=abc",
        "cursor=%00",
        "cursor=not-a-cursor",
        "cursor=eyJhZnRlciI6IFsxXX0",  # {"after": [1]}: wrong shape
        "cursor=eyJhZnRlciI6WyJub3QgYSBkYXRlIiwxXX0",  # a date that is not one
        "cursor=eyJhZnRlciI6WyIyMDI2LTExLTI2VDA5OjAwOjAwKzAwOjAwIiw5OTk5OTk5OTk5OTk5OTk5OTk5OTk5XX0",  # huge id
        "cursor=eyJvZmZzZXQiOi0xfQ",  # {"offset": -1}
        "cursor=" + "A" * 600,
    ],
)
def test_hostile_filters_get_a_clear_400_never_a_500(client, world, query):
    response, body = get(client, f"/api/v1/articles?{query}")
    assert response.status_code in {200, 400}, body
    if response.status_code == 400:
        assert body["code"] in {"invalid", "invalid_cursor"} and body["detail"]
    else:
        assert body["items"] == [] or query.startswith(("q=", "updated_since="))


def test_hostile_ids_in_paths_are_400_or_404(client, world):
    for path in ["articles/0", "articles/-1", "articles/99999999999999999999999", "articles/abc", "tags/%00"]:
        response = client.get(f"/api/v1/{path}")
        assert response.status_code in {400, 404}, path
        assert response.json()["code"] in {"invalid", "not_found"}


def test_search_pages_follow_the_ranking(client, publication, section):
    for number in range(5):
        make_article(headline=f"Flood report {number}", section=section, published_at=NOW - timedelta(hours=number + 1))
    _response, first = get(client, "/api/v1/articles?q=flood&limit=2")
    assert len(first["items"]) == 2 and first["next"]
    _response, second = get(client, first["next"].removeprefix("http://testserver"))
    _response, third = get(client, second["next"].removeprefix("http://testserver"))
    seen = [item["id"] for page in (first, second, third) for item in page["items"]]
    assert len(seen) == len(set(seen)) == 5 and third["next"] is None


def test_cursor_pages_neither_repeat_nor_skip_while_articles_are_published(client, publication, section):
    originals = [
        make_article(headline=f"Story {number}", section=section, published_at=NOW - timedelta(hours=number + 1))
        for number in range(7)
    ]
    _response, first = get(client, "/api/v1/articles?limit=3")
    assert first["next"].startswith("http://testserver/api/v1/articles?") and "limit=3" in first["next"]
    make_article(headline="Breaking news", section=section, published_at=NOW - timedelta(minutes=1))
    seen = [item["id"] for item in first["items"]]
    page = first
    while page["next"]:
        response, page = get(client, page["next"].removeprefix("http://testserver"))
        if page["next"]:
            assert response["Link"] == f'<{page["next"]}>; rel="next"'
        else:
            assert "Link" not in response
        seen += [item["id"] for item in page["items"]]
    assert seen == [article.pk for article in originals]


def test_equal_publication_times_still_page_exactly(client, publication, section):
    same = [make_article(section=section, published_at=NOW - timedelta(hours=1)) for _ in range(5)]
    seen, url = [], "/api/v1/articles?limit=2"
    while url:
        _response, page = get(client, url)
        seen += [item["id"] for item in page["items"]]
        url = page["next"] and page["next"].removeprefix("http://testserver")
    assert sorted(seen) == sorted(article.pk for article in same) and len(seen) == 5


def test_the_featured_image_comes_with_renditions_alt_and_credit(client, publication, section):
    picture = make_image(image_bytes(size=(800, 600), format="PNG"), name="dam.png", alt="A dam", credit="AP")
    article = make_article(section=section, image=picture)
    _response, body = get(client, f"/api/v1/articles/{article.pk}")
    image = body["image"]
    assert image["alt"] == "A dam" and image["credit"] == "AP" and image["width"] == 800
    assert {rendition["type"] for rendition in image["renditions"]} == {"image/webp", "image/png"}
    assert all(rendition["url"].startswith("http://testserver/media/") for rendition in image["renditions"])
    assert all(picture.file.name not in rendition["url"] for rendition in image["renditions"]), "never the original"


def test_taxonomy_lists_and_details(client, world):
    _response, tags = get(client, "/api/v1/tags")
    assert [tag["name"] for tag in tags["items"]] == ["Floods", "Japan"]  # not the draft's "Leak"
    leak = world["hidden"]["draft"].tags.get()
    assert client.get(f"/api/v1/tags/{leak.pk}").status_code == 404
    japan = tags["items"][1]
    _response, detail = get(client, japan["api_url"].removeprefix("http://testserver"))
    assert detail["articles_api_url"] == "http://testserver/api/v1/articles?tag=japan"
    _response, sections = get(client, "/api/v1/sections")
    assert "world" in [section["slug"] for section in sections["items"]]
    _response, authors = get(client, "/api/v1/authors?slug=ada")
    assert [author["name"] for author in authors["items"]] == ["Ada Byline"]
    _response, publishers = get(client, "/api/v1/publishers")
    assert publishers["items"][0]["website"] == "https://wire.example"
    assert client.get("/api/v1/authors/999999").status_code == 404


def test_the_publication_carries_its_issn(client, world):
    _response, body = get(client, "/api/v1/publication")
    assert body["issn"] == "2330-717X" and body["name"] == "The Test Gazette"


def test_pages_show_only_published_ones(client, publication):
    about = make_page(title="About us", slug="about", kind="about")
    hidden = make_page(title="Secret plans", slug="plans", is_published=False)
    _response, body = get(client, "/api/v1/pages")
    assert [page["title"] for page in body["items"]] == ["About us"]
    assert get(client, f"/api/v1/pages/{about.pk}")[1]["body_html"] == about.body
    assert client.get(f"/api/v1/pages/{hidden.pk}").status_code == 404


def test_taxonomy_lists_page_with_cursors(client, publication):
    for number in range(5):
        make_author(name=f"Author {number}", slug=f"author-{number}")
    seen, url = [], "/api/v1/authors?limit=2"
    while url:
        _response, page = get(client, url)
        seen += [item["name"] for item in page["items"]]
        url = page["next"] and page["next"].removeprefix("http://testserver")
    assert seen == [f"Author {number}" for number in range(5)]


class TestBudgets:
    """Each list endpoint costs the same few queries (≤ 4) whatever the page size, as the benchmark expects."""

    def fill(self, section, count):
        authors = [make_author() for _ in range(3)]
        for number in range(count):
            article = make_article(
                section=section,
                authors=authors[: number % 3 + 1],
                publisher=make_publisher() if number % 2 else None,
                tags=["Japan", f"tag{number}"],
                published_at=timezone.now() - timedelta(minutes=number + 1),
            )
            make_correction(article)
            make_comment(article=article)

    def measure(self, client, django_assert_max_num_queries, url, headers=None):
        client.get(url, headers=headers or {})  # warm the caches (key record, chrome), as on a live site
        with django_assert_max_num_queries(4) as context:
            assert client.get(url, headers=headers or {}).status_code == 200
        return len(context.captured_queries)

    @pytest.mark.parametrize(
        "url",
        [
            "/api/v1/articles?limit=100",
            "/api/v1/articles?limit=100&tag=japan",
            "/api/v1/articles?limit=100&q=body",
            "/api/v1/tags?limit=100",
            "/api/v1/authors?limit=100",
            "/api/v1/publishers?limit=100",
            "/api/v1/sections?limit=100",
            "/api/v1/pages?limit=100",
        ],
    )
    def test_lists_stay_within_four_queries_with_5_and_50_articles(
        self, client, django_assert_max_num_queries, section, publication, url
    ):
        """Guards the N+1 on bylines, tags, corrections, section, publisher and comment counts."""
        self.fill(section, 5)
        with_5 = self.measure(client, django_assert_max_num_queries, url)
        self.fill(section, 45)
        with_50 = self.measure(client, django_assert_max_num_queries, url)
        assert with_5 == with_50

    def test_a_keyed_request_costs_no_more_than_an_anonymous_one(
        self, client, django_assert_max_num_queries, section, publication
    ):
        """Guards a key lookup (or last-used write) on every request."""
        self.fill(section, 10)
        _key, raw = make_key(sees_scheduled=True)
        anonymous = self.measure(client, django_assert_max_num_queries, "/api/v1/articles")
        keyed = self.measure(client, django_assert_max_num_queries, "/api/v1/articles", {"X-API-Key": raw})
        assert keyed == anonymous

    def test_the_comment_list_stays_within_budget(self, client, django_assert_max_num_queries, section, publication):
        article = make_article(section=section)
        for _ in range(5):
            make_comment(article=article)
        with_5 = self.measure(client, django_assert_max_num_queries, f"/api/v1/articles/{article.pk}/comments")
        for _ in range(45):
            make_comment(article=article)
        with_50 = self.measure(client, django_assert_max_num_queries, f"/api/v1/articles/{article.pk}/comments")
        assert with_5 == with_50
