import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from articles import media
from articles.models import Article
from tests.factories import (
    ensure_kinds,
    jpeg_with_exif,
    make_article,
    make_author,
    make_image,
    make_publisher,
    make_section,
)

pytestmark = pytest.mark.django_db

NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "media": "http://search.yahoo.com/mrss/",
}


def parse(response):
    assert response.status_code == 200
    return ET.fromstring(response.content)  # noqa: S314 (our own output, parsed to check it)


def rss_items(client, url):
    root = parse(client.get(url))
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    for required in ["title", "link", "description"]:
        assert channel.find(required) is not None, required
    return channel.findall("item")


def atom_entries(client, url):
    root = parse(client.get(url))
    assert root.tag == f"{{{NS['atom']}}}feed"
    for required in ["id", "title", "updated"]:
        assert root.find(f"atom:{required}", NS) is not None, required
    entries = root.findall("atom:entry", NS)
    for entry in entries:
        for required in ["id", "title", "updated", "link"]:
            assert entry.find(f"atom:{required}", NS) is not None, required
        assert entry.find("atom:author", NS) is not None or root.find("atom:author", NS) is not None
    return entries


@pytest.fixture
def world(publication):
    section = make_section(name="World", slug="world")
    other_section = make_section(name="Sport", slug="sport")
    ada, bo = make_author(name="Ada Reporter", slug="ada"), make_author(name="Bo Writer", slug="bo")
    wire = make_publisher(name="Meridian Wire", slug="meridian", website="https://meridian.example")
    common = {"section": section, "authors": [ada, bo], "publisher": wire, "tags": ["Japan"]}
    return {
        "published": make_article(
            headline="Visible story", dek="The standfirst.", body="<p>Full <strong>text</strong>.</p>", **common
        ),
        "draft": make_article(headline="Draft story", status=Article.Status.DRAFT, **common),
        "future": make_article(headline="Future story", published_at=timezone.now() + timedelta(days=1), **common),
        "unpublished": make_article(headline="Withdrawn story", status=Article.Status.UNPUBLISHED, **common),
        "elsewhere": make_article(headline="Sport story", section=other_section, tags=["Football"]),
        "section": section,
        "ada": ada,
        "wire": wire,
    }


def feed_urls(world):
    urls = {"latest": (reverse("articles:feed"), reverse("articles:feed-atom"))}
    for kind, slug in [("section", "world"), ("tag", "japan"), ("publisher", "meridian"), ("author", "ada")]:
        urls[kind] = (reverse(f"articles:{kind}-feed", args=[slug]), reverse(f"articles:{kind}-feed-atom", args=[slug]))
    return urls


def test_every_feed_is_valid_and_holds_only_published_articles(client, world):
    for kind, (rss_url, atom_url) in feed_urls(world).items():
        titles = [item.findtext("title") for item in rss_items(client, rss_url)]
        atom_titles = [entry.findtext("atom:title", namespaces=NS) for entry in atom_entries(client, atom_url)]
        assert "Visible story" in titles, kind
        assert titles == atom_titles, kind
        for hidden in ["Draft story", "Future story", "Withdrawn story"]:
            assert hidden not in titles, (kind, hidden)
        if kind != "latest":
            assert "Sport story" not in titles, kind


def test_feed_items_credit_authors_and_publisher_and_carry_full_text(client, world):
    (item,) = [i for i in rss_items(client, reverse("articles:feed")) if i.findtext("title") == "Visible story"]
    assert [c.text for c in item.findall("dc:creator", NS)] == ["Ada Reporter", "Bo Writer"]
    assert item.find("source").text == "Meridian Wire"
    assert item.find("source").get("url").endswith("/publisher/meridian/feed/")
    assert item.findtext("description") == "The standfirst."
    assert item.findtext("content:encoded", namespaces=NS) == "<p>Full <strong>text</strong>.</p>"
    assert item.findtext("link") == "http://testserver" + world["published"].get_absolute_url()
    assert item.find("guid").get("isPermaLink") == "true"
    assert {c.text for c in item.findall("category")} == {"World", "Japan"}
    assert item.findtext("pubDate")

    (entry,) = [
        e
        for e in atom_entries(client, reverse("articles:feed-atom"))
        if e.findtext("atom:title", namespaces=NS) == "Visible story"
    ]
    assert [a.findtext("atom:name", namespaces=NS) for a in entry.findall("atom:author", NS)] == [
        "Ada Reporter",
        "Bo Writer",
    ]
    assert entry.find("atom:content", NS).get("type") == "html"
    assert entry.findtext("atom:content", namespaces=NS) == "<p>Full <strong>text</strong>.</p>"
    assert entry.find("atom:source/atom:title", NS).text == "Meridian Wire"


def test_excerpt_only_setting_leaves_out_the_body(client, world, settings):
    settings.FEED_FULL_TEXT = False
    (item,) = [i for i in rss_items(client, reverse("articles:feed")) if i.findtext("title") == "Visible story"]
    assert item.find("content:encoded", NS) is None
    assert item.findtext("description") == "The standfirst."
    assert b"Full <strong>" not in client.get(reverse("articles:feed-atom")).content


def test_featured_image_is_an_enclosure_and_media_element_from_a_clean_rendition(client, publication, section):
    image = make_image(jpeg_with_exif(size=(1000, 600)), alt="Boats", credit="Photo: Ada")
    make_article(headline="With photo", section=section, image=image)
    (item,) = rss_items(client, reverse("articles:feed"))
    enclosure = item.find("enclosure")
    assert enclosure.get("type") == "image/jpeg"
    assert "/renditions/" in enclosure.get("url") and enclosure.get("url").startswith("http://testserver/")
    assert int(enclosure.get("length")) > 0
    media = item.find("media:content", NS)
    assert media.get("url") == enclosure.get("url")
    assert (media.get("width"), media.get("height"), media.get("medium")) == ("1000", "600", "image")
    assert media.findtext("media:credit", namespaces=NS) == "Photo: Ada"


def test_a_broken_image_leaves_the_item_without_enclosure(client, publication, section):
    image = make_image(renditions=False)
    image.file.storage.delete(image.file.name)
    image.file.storage.save(image.file.name, ContentFile(b"not an image"))
    media.refresh_renditions(image.pk)
    make_article(headline="Broken photo", section=section, image=image)
    (item,) = rss_items(client, reverse("articles:feed"))
    assert item.find("enclosure") is None


@pytest.mark.parametrize(
    "text",
    [
        "Control \x01\x08\x0b\x0c\x1f characters",
        "CDATA end ]]> inside",
        "Emoji 🗞️ and 漢字 and RTL עברית",
        "Ampersands & <angle> brackets \"quotes\" 'apostrophes'",
        "Non-characters \ufffe\uffff",
    ],
)
def test_any_content_gives_well_formed_xml(client, publication, section, text):
    make_article(headline=text, dek=text, body=f"<p>{text}</p>", section=section, tags=[text[:20]])
    for url in [reverse("articles:feed"), reverse("articles:feed-atom")]:
        response = client.get(url)
        root = parse(response)  # raises on malformed XML
        assert root is not None
    items = rss_items(client, reverse("articles:feed"))
    title = items[0].findtext("title")
    assert "\x00" not in title and "\x01" not in title
    for kept in ["]]>", "🗞️", "<angle>", "characters"]:
        if kept in text:
            assert kept in title


def test_feeds_never_show_an_email_address(client, world, django_user_model):
    user = django_user_model.objects.create_user("ada", "ada.private@example.com", "pw")
    world["ada"].user = user
    world["ada"].save()
    for rss_url, atom_url in feed_urls(world).values():
        assert b"@example.com" not in client.get(rss_url).content
        assert b"@example.com" not in client.get(atom_url).content


def test_unknown_feed_objects_are_404(client, publication):
    for kind in ["section", "tag", "publisher", "author"]:
        assert client.get(reverse(f"articles:{kind}-feed", args=["nope"])).status_code == 404
        assert client.get(reverse(f"articles:{kind}-feed-atom", args=["nope"])).status_code == 404


def test_feed_length_follows_the_setting(client, publication, section, settings):
    settings.FEED_ITEMS = 5
    for number in range(8):
        make_article(section=section, published_at=timezone.now() - timedelta(minutes=number + 1))
    assert len(rss_items(client, reverse("articles:feed"))) == 5


def test_pages_announce_their_feeds(client, world):
    pages = {
        "/": [reverse("articles:feed")],
        world["section"].get_absolute_url(): [reverse("articles:section-feed", args=["world"])],
        reverse("articles:tag", args=["japan"]): [reverse("articles:tag-feed", args=["japan"])],
        world["wire"].get_absolute_url(): [reverse("articles:publisher-feed", args=["meridian"])],
        world["ada"].get_absolute_url(): [
            reverse("articles:author-feed", args=["ada"]),
            reverse("articles:author-feed-atom", args=["ada"]),
        ],
        world["published"].get_absolute_url(): [reverse("articles:section-feed", args=["world"])],
    }
    for page, feeds in pages.items():
        html = client.get(page).content.decode()
        head = html[: html.index("</head>")]
        for feed in feeds:
            kind = "atom" if "atom" in feed else "rss"
            assert f'<link rel="alternate" type="application/{kind}+xml"' in head, page
            assert f'href="{feed}"' in head, (page, feed)


def test_feed_query_count_stays_flat(client, publication, section, django_assert_max_num_queries):
    """Bylines, tags, section and publisher are prefetched: no query per item."""
    for _ in range(15):
        make_article(section=section, authors=[make_author()], tags=["A", "B"], publisher=make_publisher())
    client.get(reverse("articles:feed"))
    with django_assert_max_num_queries(3):
        client.get(reverse("articles:feed"))
    with django_assert_max_num_queries(4):
        client.get(reverse("articles:section-feed", args=[section.slug]))


def test_feeds_use_the_site_url_when_set(client, publication, section, settings):
    settings.SITE_URL = "https://news.example.com"
    article = make_article(section=section)
    (item,) = rss_items(client, reverse("articles:feed"))
    assert item.findtext("link") == "https://news.example.com" + article.get_absolute_url()


@pytest.fixture
def items_written(monkeypatch):
    """How many items the feed writer wrote (rather than took as they were kept)."""
    from articles import feeds

    written = []
    write = feeds._KeptItemsMixin._item_xml
    monkeypatch.setattr(
        feeds._KeptItemsMixin, "_item_xml", lambda self, item: written.append(item) or write(self, item)
    )
    return written


def test_a_feed_read_again_writes_no_item_and_is_the_same(client, world, items_written):
    for url, entries in [
        (reverse("articles:feed"), rss_items),
        (reverse("articles:feed-atom"), atom_entries),
        (reverse("articles:tag-feed", args=["japan"]), rss_items),
    ]:
        cache.clear()
        items_written.clear()
        first = client.get(url)
        assert len(items_written) == len(entries(client, url)) > 0, url
        items_written.clear()
        second = client.get(url)
        assert items_written == [], url
        assert second.content == first.content, url
        assert second["Last-Modified"] == first["Last-Modified"], url


def test_feeds_of_one_format_share_their_items(client, world, items_written):
    rss_items(client, reverse("articles:feed"))
    items_written.clear()
    assert rss_items(client, reverse("articles:tag-feed", args=["japan"]))
    assert items_written == []


def test_rss_and_atom_keep_their_own_items(client, world):
    rss_items(client, reverse("articles:feed"))
    titles = [e.findtext("atom:title", namespaces=NS) for e in atom_entries(client, reverse("articles:feed-atom"))]
    assert "Visible story" in titles


def _change_headline(world):
    article = world["published"]
    article.headline = "Changed"
    article.save()


def _rename_author(world):
    world["ada"].name = "Changed"
    world["ada"].save()


def _rename_tag(world):
    tag = world["published"].tags.get(name="Japan")
    tag.name = "Changed"
    tag.save()


def _rename_section(world):
    world["section"].name = "Changed"
    world["section"].save()


def _change_publisher(world):
    world["wire"].name = "Changed"
    world["wire"].save()


def _change_kind(world):
    kind = world["published"].kind
    kind.name = "Changed"
    kind.save()


def _change_featured_caption(world):
    image = world["published"].image
    image.caption = "Changed"
    media.image_save(image=image)


def _change_body_image_caption(world):
    image = world["body_image"]
    image.caption = "Changed"
    media.image_save(image=image)


@pytest.mark.parametrize(
    "change",
    [
        _change_headline,
        _rename_author,
        _rename_tag,
        _rename_section,
        _change_publisher,
        _change_kind,
        _change_featured_caption,
        _change_body_image_caption,
    ],
)
def test_a_kept_item_shows_any_change_at_once(client, world, change):
    """What an item shows comes from the article, its relations, the site chrome and the media library:
    a change to any of them gives the item a new key (nothing has to be removed)."""
    featured, in_body = make_image(caption="Harbour"), make_image(name="body.jpg", caption="Quay")
    article = world["published"]
    analysis = ensure_kinds()["analysis"]
    Article.objects.filter(pk=article.pk).update(
        image=featured, kind=analysis, body=article.body + media.figure_html(in_body)
    )
    article.refresh_from_db()
    world["body_image"] = in_body
    url = reverse("articles:feed")
    before = client.get(url).content.decode()
    assert "Changed" not in before
    change(world)
    assert "Changed" in client.get(url).content.decode()
