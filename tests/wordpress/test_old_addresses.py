"""Old WordPress addresses answer 301 with the new ones; pages that exist pay nothing for it."""

import pytest
from django.test import override_settings
from taggit.models import Tag

from articles.models import Author, Section
from tests.comments.test_reader_display import crawl
from wordpress.models import ImportedItem, LegacyRedirect

pytestmark = pytest.mark.django_db


def new_home(wp_id):
    return ImportedItem.objects.get(kind="post", wp_id=wp_id).article.get_absolute_url()


def assert_moved(client, old, new):
    response = client.get(old)
    assert response.status_code == 301, old
    assert response["Location"] == new, old


@pytest.mark.parametrize(
    "old",
    [
        "/2024/03/hello-world/",  # the export's <link>
        "/?p=101",
        "/2024/03/01/hello-world/",
        "/2024/03/hello-world",
        "/hello-world/",
        "/archives/101",
        "/HELLO-WORLD/",
    ],
)
def test_every_old_address_of_a_post_moves_to_the_article(imported, client, old):
    assert_moved(client, old, new_home(101))


def test_unicode_permalinks_move_too(imported, client):
    assert_moved(client, "/2024/03/%e6%97%a5%e6%9c%ac%e8%aa%9e%e3%81%ae%e8%a8%98%e4%ba%8b/", new_home(112))
    assert_moved(client, "/2024/03/%E6%97%A5%E6%9C%AC%E8%AA%9E%E3%81%AE%E8%A8%98%E4%BA%8B/", new_home(112))


def test_category_tag_author_and_feed_addresses_move(imported, client):
    news, world = Section.objects.get(slug="news"), Section.objects.get(slug="world")
    assert_moved(client, "/category/news/", news.get_absolute_url())
    assert_moved(client, "/category/news/world/", world.get_absolute_url())
    assert_moved(client, "/category/world/", world.get_absolute_url())
    assert_moved(client, "/category/news/feed/", "/section/news/feed/")
    assert_moved(client, "/category/news/page/2/", "/section/news/?page=2")
    assert_moved(client, "/category/%c3%a9conomie/", "/section/economie/")
    assert_moved(client, "/?cat=11", news.get_absolute_url())
    japan = Tag.objects.get(name="日本")
    assert_moved(client, "/tag/%e6%97%a5%e6%9c%ac/", f"/tag/{japan.slug}/")
    assert_moved(client, "/tag/%e6%97%a5%e6%9c%ac/feed/", f"/tag/{japan.slug}/feed/")
    assert_moved(client, "/?tag=politics", "/tag/politics/")
    jane = ImportedItem.objects.get(kind="author", wp_id=1).author
    assert_moved(client, "/?author=1", jane.get_absolute_url())
    assert client.get("/author/jdoe/").status_code == 200  # the same address: nothing to redirect
    assert_moved(client, "/?feed=rss2", "/feed/")
    assert client.get("/feed/").status_code == 200
    assert Author.objects.filter(slug="jdoe").exists()


@pytest.mark.parametrize("wp_id", [103, 104, 105, 106, 108])
def test_old_addresses_of_posts_readers_cannot_see_give_nothing_away(imported, client, wp_id):
    """A draft's, a scheduled, private or protected post's old address must not reveal its new slug."""
    assert client.get(f"/?p={wp_id}").status_code == 200  # the front page, as for any unknown ?p=
    response = client.get(f"/archives/{wp_id}")
    assert response.status_code == 404 and "Location" not in response


def test_an_unknown_old_address_is_still_a_404(imported, client):
    assert client.get("/2024/03/never-was/").status_code == 404
    assert client.get("/?p=999999").status_code == 200


def test_reader_pages_pay_nothing_for_old_addresses(imported, client, django_assert_max_num_queries):
    """The table is read only after a 404 or for WordPress's query strings: the front page's budget holds."""
    client.get("/")
    for address in ["/", "/?utm_source=newsletter"]:
        with django_assert_max_num_queries(4) as front:
            client.get(address)
        assert front.captured_queries and not any("wordpress_" in query["sql"] for query in front.captured_queries)
    client.get("/?p=999999")  # the old-address table is read for WordPress's own query strings
    with django_assert_max_num_queries(6) as old_address:
        client.get("/?p=999999")
    assert any("wordpress_" in query["sql"] for query in old_address.captured_queries)


@override_settings(PAGE_CACHE=True)
def test_p_addresses_are_never_kept_in_the_page_cache(imported, client, settings, tmp_path):
    settings.PAGE_CACHE_EPOCH_FILE = str(tmp_path / "epoch")
    for _ in range(2):
        response = client.get("/?p=101")
        assert response.status_code == 301 and "X-Cache" not in response
    client.get("/")
    assert client.get("/")["X-Cache"] == "hit"
    assert client.get("/?p=101").status_code == 301


def test_redirects_follow_a_renamed_section(imported, client):
    news = Section.objects.get(slug="news")
    news.slug = "latest"
    news.save()
    assert_moved(client, "/category/news/", "/section/latest/")


def test_the_table_holds_each_old_path_once(imported):
    paths = list(LegacyRedirect.objects.values_list("old_path", flat=True))
    assert len(paths) == len(set(paths))
    assert "/?p=101" in paths and "/2024/03/01/hello-world" in paths


def test_no_commenter_email_or_ip_appears_on_any_public_page_or_feed(imported, client):
    """The promise native comments keep, after an import: crawl every public page and feed."""
    from comments.models import Comment

    secrets = set()
    for comment in Comment.objects.all():
        secrets |= {comment.author_email, comment.ip_address or ""}
    secrets |= {"jane.doe@old.example.com", "maria@old.example.com", "editor@old.example.com"}
    secrets.discard("")
    start = [
        "/",
        "/feed/",
        "/feed/atom/",
        "/comments/feed/",
        "/sitemap.xml",
        *(
            ImportedItem.objects.get(kind="post", wp_id=wp_id).article.get_absolute_url()
            for wp_id in (101, 102, 111, 112)
        ),
        *(f"{ImportedItem.objects.get(kind='post', wp_id=wp_id).article.get_absolute_url()}feed/" for wp_id in (101,)),
        "/api/v1/articles",
        "/api/v1/articles/" + str(ImportedItem.objects.get(kind="post", wp_id=101).article_id) + "/comments",
    ]
    pages = crawl(client, start)
    assert len(pages) > 30
    article_page = pages[new_home(101)]
    assert "Ada Reader" in article_page and "I disagree with Ada." in article_page  # comments are shown...
    assert "Waiting for moderation." not in article_page and "Buy cheap watches" not in article_page
    for url, body in pages.items():
        for secret in secrets:
            assert secret not in body, f"{secret} on {url}"


def test_the_admin_lists_old_addresses_and_import_records(imported, admin_client):
    response = admin_client.get("/admin/wordpress/legacyredirect/?q=hello")
    assert response.status_code == 200 and b"/2024/03/01/hello-world" in response.content
    redirect = LegacyRedirect.objects.get(old_path="/?p=103")
    assert b"(not public)" in admin_client.get("/admin/wordpress/legacyredirect/?q=p%3D103").content
    assert admin_client.get(f"/admin/wordpress/legacyredirect/{redirect.pk}/change/").status_code == 200
    records = admin_client.get("/admin/wordpress/importeditem/?kind__exact=post")
    assert records.status_code == 200 and b"Hello World" in records.content
    assert admin_client.get("/admin/wordpress/importeditem/add/").status_code == 403


@pytest.mark.parametrize("old", ["/%00/", "/2024/%00/x/", "/?p=%00", "/category/%00/page/2/"])
def test_hostile_old_addresses_are_a_404_not_a_500(imported, client, old):
    assert client.get(old).status_code in {200, 404}
