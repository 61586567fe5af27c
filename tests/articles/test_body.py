"""Article bodies with media: the one allowlist, the stored format, what readers get, and the page's budget."""

import re

import pytest
from django.urls import reverse

from articles import body, media, richtext, services
from articles.models import Article, BodyImage
from articles.richtext import sanitize_html
from tests.factories import image_bytes, make_article, make_image, make_section

pytestmark = pytest.mark.django_db


# The allowlist and the stored format.


def test_media_blocks_survive_the_allowlist_in_their_stored_form():
    stored = (
        '<figure data-image-id="12" data-size="wide"><figcaption>A caption</figcaption></figure>'
        '<figure data-gallery="3 4 5" data-size="full"></figure>'
        '<figure data-embed="https://www.youtube.com/watch?v=aqz-KE-bpKQ"><figcaption>Film</figcaption></figure>'
        '<figure data-pullquote=""><blockquote><p>We will rebuild.</p></blockquote>'
        "<figcaption>Mayor</figcaption></figure>"
        '<table><tbody><tr><th colspan="2"><p>Year</p></th></tr>'
        "<tr><td><p>2024</p></td><td><p>31</p></td></tr></tbody></table>"
        "<hr>"
    )
    assert sanitize_html(stored) == stored


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        # Scripts, handlers, styles and frames never pass, whatever they hide in.
        (
            '<figure data-image-id="1" onload="alert(1)"></figure>',
            '<figure data-image-id="1" data-size="inline"></figure>',
        ),
        ('<figure data-image-id="1 onload=alert(1)"></figure>', ""),
        ('<figure data-image-id="-1"></figure>', ""),
        (
            '<figure data-image-id="1" data-size="huge"></figure>',
            '<figure data-image-id="1" data-size="inline"></figure>',
        ),
        ('<figure data-gallery="1 two 3"></figure>', ""),
        ('<figure data-embed="javascript:alert(1)"></figure>', ""),
        ('<figure data-embed="data:text/html,<script>x</script>"></figure>', ""),
        (
            '<figure data-embed="https://evil.example/x" style="x"></figure>',
            '<figure data-embed="https://evil.example/x"></figure>',
        ),
        ('<iframe src="https://evil.example/"></iframe><p>After</p>', "<p>After</p>"),
        ("<script>alert(1)</script><p>Text</p>", "<p>Text</p>"),
        ('<img src="x" onerror="alert(1)"><p>Text</p>', "<p>Text</p>"),
        ('<td colspan="2 onclick=x">a</td>', "a"),
        ('<table><tr><td colspan="9999">a</td></tr></table>', "<table><tbody><tr><td>a</td></tr></tbody></table>"),
        (
            '<figure data-image-id="1"><figcaption>A <script>x</script><b>bold</b> caption</figcaption></figure>',
            '<figure data-image-id="1" data-size="inline"><figcaption>A bold caption</figcaption></figure>',
        ),
        (
            '<figure data-image-id="1"><figcaption>&lt;script&gt;</figcaption></figure>',
            '<figure data-image-id="1" data-size="inline"><figcaption>&lt;script&gt;</figcaption></figure>',
        ),
        # A figure that is not one of ours is unwrapped: its words stay, the wrapper goes.
        ("<figure><figcaption>Photo by someone</figcaption></figure>", "<p>Photo by someone</p>"),
        ('<figure class="wp-block"><p>Kept</p></figure>', "<p>Kept</p>"),
        # An empty pull quote says nothing; empty paragraphs are the editor's spacing.
        ('<figure data-pullquote=""><blockquote></blockquote></figure><p></p><p>x</p>', "<p>x</p>"),
    ],
)
def test_the_allowlist_refuses_hostile_media_markup(dirty, clean):
    assert sanitize_html(dirty) == clean


def test_body_references_are_parsed_in_order_without_repeats():
    parsed = richtext.parse(
        media.figure_html(5) + media.gallery_html([6, 5, 7]) + media.embed_html("https://youtu.be/aqz-KE-bpKQ")
    )
    assert parsed.image_ids == [5, 6, 7]
    assert parsed.embed_urls == ["https://youtu.be/aqz-KE-bpKQ"]


def test_builders_refuse_what_the_format_cannot_hold():
    with pytest.raises(ValueError):
        media.figure_html(1, size="giant")
    with pytest.raises(ValueError):
        media.gallery_html([])
    with pytest.raises(ValueError):
        media.pull_quote_html("   ")
    assert media.embed_html("https://unknown.example/video") == (
        '<p><a href="https://unknown.example/video">https://unknown.example/video</a></p>'
    )
    assert media.table_html([["<b>", "x"]], header_row=False) == (
        "<table><tbody><tr><td><p>&lt;b&gt;</p></td><td><p>x</p></td></tr></tbody></table>"
    )


# What readers get.


def article_with_body(parts, **fields):
    return make_article(body="<p>Intro.</p>" + "".join(parts), **fields)


def test_a_figure_has_srcset_in_webp_and_jpeg_dimensions_caption_and_credit(client, publication):
    image = make_image(alt="Boats in a harbour", caption="Library caption", credit="Photo: Ada / Wire")
    article = article_with_body([media.figure_html(image, size="wide")], image=make_image(name="lead.jpg"))
    html = client.get(article.get_absolute_url()).content.decode()
    figure = html[html.index('<figure class="media media-wide">') :]
    figure = figure[: figure.index("</figure>")]
    assert re.search(r'<source type="image/webp" srcset="[^"]*original-320w\.webp 320w', figure)
    assert re.search(r'<img src="[^"]*original-960w\.jpg" srcset="[^"]*original-320w\.jpg 320w', figure)
    assert 'sizes="(min-width: 66rem) 62rem, calc(100vw - 2rem)"' in figure
    assert 'width="1600" height="900"' in figure
    assert 'alt="Boats in a harbour"' in figure
    assert 'loading="lazy"' in figure  # below the featured image: lazily
    assert 'Library caption <span class="credit">Photo: Ada / Wire</span>' in figure


def test_a_story_caption_overrides_the_librarys_and_a_library_change_shows_everywhere(client, publication):
    image = make_image(caption="Library caption", credit="Photo: Ada")
    with_own = article_with_body([media.figure_html(image, caption="This story's caption")])
    plain = article_with_body([media.figure_html(image)])
    assert "This story&#x27;s caption" in client.get(with_own.get_absolute_url()).content.decode()
    image.caption, image.credit = "New caption", "Photo: Grace"
    media.image_save(image=image)
    html = client.get(plain.get_absolute_url()).content.decode()
    assert "New caption" in html and "Photo: Grace" in html  # the cached reader data was forgotten


def test_the_first_picture_of_a_story_without_a_featured_image_loads_at_once(client, publication):
    article = article_with_body([media.figure_html(make_image()), "<p>More.</p>", media.figure_html(make_image())])
    html = client.get(article.get_absolute_url()).content.decode()
    images = re.findall(r"<img [^>]*>", html[html.index('class="article-body"') :])
    assert 'loading="lazy"' not in images[0] and 'fetchpriority="high"' in images[0]
    assert 'loading="lazy"' in images[1]


def test_a_portrait_picture_is_marked_for_its_bounded_height(client, publication):
    portrait = make_image(image_bytes(size=(600, 900), format="JPEG"))
    html = client.get(article_with_body([media.figure_html(portrait)]).get_absolute_url()).content.decode()
    assert 'class="media-picture is-portrait"' in html


def test_a_deleted_or_unready_image_shows_nothing_and_the_page_renders(client, publication):
    unready = make_image(renditions=False)
    article = article_with_body([media.figure_html(987654), media.figure_html(unready), media.gallery_html([987654])])
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "<picture" not in response.content.decode()


def test_a_gallery_links_each_square_thumbnail_to_the_whole_picture(client, publication):
    images = [make_image(caption=f"Picture {n}", credit="Photo: Ada", name=f"g{n}.jpg") for n in range(3)]
    decorative = make_image(alt="", is_decorative=True, name="pattern.jpg")
    html = client.get(
        article_with_body([media.gallery_html([*images, decorative], caption="The day")]).get_absolute_url()
    ).content.decode()
    gallery = html[html.index('<figure class="gallery') :]
    assert gallery.count('class="gallery-link"') == 4
    assert gallery.count("/square-") >= 4 and 'href="/media/renditions/' in gallery
    assert "Enlarge image 1 of 4" in gallery and "Enlarge image 4 of 4" in gallery  # every link has a name
    assert "Picture 2" in gallery and "The day" in gallery
    assert 'data-label-next="Next →"' in gallery


def test_an_embed_is_a_placeholder_that_asks_nothing_of_the_provider(client, publication):
    article = article_with_body(
        [
            media.embed_html("https://www.youtube.com/watch?v=aqz-KE-bpKQ&t=1m5s", caption="A film"),
            media.embed_html("https://datawrapper.dwcdn.net/dfL6T/1/"),
            media.embed_html("https://unknown.example/widget"),
        ]
    )
    html = client.get(article.get_absolute_url()).content.decode()
    # Nothing the browser loads by itself points at a third party: no src, srcset, iframe or script of theirs.
    loaded = re.findall(r'\s(?:src|srcset|poster|data)="([^"]+)"', html)
    assert not [url for url in loaded if "youtube" in url or "datawrapper" in url or "dwcdn" in url]
    assert "<iframe" not in html
    assert 'data-embed-src="https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ?start=65"' in html
    assert 'data-embed-src="https://datawrapper.dwcdn.net/dfL6T/1/"' in html
    assert 'data-embed-sandbox="allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox' in html
    assert "Load the video from YouTube" in html and "Load the chart from Datawrapper" in html
    assert '<a href="https://unknown.example/widget" rel="noopener noreferrer">' in html  # unknown: a plain link
    assert '<script src="/static/js/media.js" defer></script>' in html


def test_pull_quotes_and_tables_render_accessibly(client, publication):
    article = article_with_body(
        [media.pull_quote_html("First.\n\nSecond.", attribution="The mayor"), media.table_html([["A"], ["1"]])]
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<figure class="pullquote">' in html and "<p>Second.</p>" in html and "<figcaption>The mayor" in html
    assert '<div class="table-scroll" role="region" tabindex="0" aria-label="Table"><table>' in html


def test_feeds_carry_plain_figures_with_absolute_urls_and_embeds_as_links(client, publication):
    image = make_image(alt="Boats", caption="Harbour", credit="Photo: Ada")
    article_with_body([media.figure_html(image), media.embed_html("https://vimeo.com/76979871")])
    xml = client.get(reverse("articles:feed")).content.decode()
    assert '&lt;img src="http://testserver/media/renditions/' in xml
    assert "Harbour Photo: Ada" in xml
    assert '&lt;a href="https://vimeo.com/76979871"&gt;Vimeo: https://vimeo.com/76979871' in xml
    assert "iframe" not in xml and "data-embed" not in xml


def test_a_kept_feed_body_changes_with_the_library_and_the_address_it_is_read_at(client, publication):
    image = make_image(caption="Harbour", credit="Photo: Ada")
    article_with_body([media.figure_html(image)])
    first = client.get(reverse("articles:feed")).content.decode()
    assert "Harbour Photo: Ada" in first
    assert client.get(reverse("articles:feed")).content.decode() == first
    image.caption, image.credit = "Quay at dawn", "Photo: Grace"
    media.image_save(image=image)
    xml = client.get(reverse("articles:feed")).content.decode()
    assert "Quay at dawn Photo: Grace" in xml and "Harbour Photo: Ada" not in xml
    other = client.get(reverse("articles:feed"), HTTP_HOST="localhost").content.decode()
    assert '&lt;img src="http://localhost/media/renditions/' in other


def test_the_desk_reads_a_body_with_its_pictures(editor_client, publication):
    article = article_with_body([media.figure_html(make_image(alt="Boats"))], status=Article.Status.PUBLISHED)
    assert 'alt="Boats"' in body.render_for_desk(article)


# The library's record of where images are used.


def test_saving_an_article_records_the_images_its_body_shows(publication, section, committed):
    first, second = make_image(name="a.jpg"), make_image(name="b.jpg")
    article = Article(
        headline="Pictures", section=section, body=media.figure_html(first) + media.gallery_html([first, second])
    )
    with committed():
        services.article_save(article=article)
    assert set(article.body_images.all()) == {first, second}
    article.body = media.figure_html(second)
    with committed():
        services.article_save(article=article, expected_version=article.version)
    assert list(article.body_images.all()) == [second]
    assert list(media.articles_using(second)) == [article]
    assert not BodyImage.objects.filter(image=first).exists()


def test_a_used_image_cannot_be_deleted(editor_client, publication, section, committed):
    image = make_image()
    article = Article(headline="Pictures", section=section, body=media.figure_html(image))
    with committed():
        services.article_save(article=article)
    response = editor_client.post(reverse("admin:articles_image_delete", args=[image.pk]), {"post": "yes"})
    assert "Cannot delete" in response.content.decode() or response.status_code == 403
    assert type(image).objects.filter(pk=image.pk).exists()


# The page's budget.


class TestArticleBudget:
    """The article page stays within its 6 queries however many pictures and galleries the body holds:
    body images come from the cache (or one query for all of them), never one query each."""

    def page_queries(self, client, django_assert_max_num_queries, article):
        client.get(article.get_absolute_url())  # warm the caches, as on a live site
        with django_assert_max_num_queries(6) as context:
            response = client.get(article.get_absolute_url())
        assert response.status_code == 200
        return len(context.captured_queries), response.content.decode()

    @pytest.mark.parametrize("count", [1, 30])
    def test_the_article_page_stays_within_budget_with_1_and_30_images(
        self, client, publication, section, django_assert_max_num_queries, count
    ):
        images = [make_image(image_bytes(size=(400, 300), format="JPEG"), name=f"p{n}.jpg") for n in range(count)]
        parts = [media.figure_html(image, size=("inline", "wide", "full")[n % 3]) for n, image in enumerate(images)]
        parts.append(media.gallery_html(images))
        parts.append(media.embed_html("https://www.youtube.com/watch?v=aqz-KE-bpKQ"))
        article = article_with_body(parts, section=section, image=images[0])
        queries, html = self.page_queries(client, django_assert_max_num_queries, article)
        assert html.count("<picture") == count + count + 1  # figures, gallery thumbnails, the featured image
        # An article with no picture and, like this one, no related articles (an empty kept ranking reads nothing).
        plain = make_article(section=make_section())
        assert queries == self.page_queries(client, django_assert_max_num_queries, plain)[0]

    def test_a_cold_cache_costs_one_query_for_all_the_images(
        self, client, publication, section, django_assert_max_num_queries
    ):
        images = [make_image(image_bytes(size=(400, 300), format="JPEG"), name=f"c{n}.jpg") for n in range(12)]
        article = article_with_body([media.gallery_html(images)], section=section)
        client.get(article.get_absolute_url())
        warm, _html = self.page_queries(client, django_assert_max_num_queries, article)
        media.forget_image(images[0].pk)
        media.forget_image(images[5].pk)
        with django_assert_max_num_queries(warm + 1):
            client.get(article.get_absolute_url())


def test_a_story_with_every_kind_of_media_is_csp_safe_and_the_same_for_every_reader(client, publication):
    """Strict CSP: no inline script (JSON-LD aside), no style attribute, no handler; cacheable: no cookie."""
    from django.test import Client

    images = [make_image(name=f"m{n}.jpg") for n in range(3)]
    article = article_with_body(
        [
            media.figure_html(images[0], size="inline"),
            media.figure_html(images[1], size="wide"),
            media.figure_html(images[2], size="full"),
            media.gallery_html(images),
            media.pull_quote_html("Quote."),
            media.table_html([["A", "B"], ["1", "2"]]),
            media.embed_html("https://www.youtube.com/watch?v=aqz-KE-bpKQ"),
            media.embed_html("https://datawrapper.dwcdn.net/dfL6T/1/"),
            "<hr>",
        ],
        image=images[0],
    )
    first, second = client.get(article.get_absolute_url()), Client().get(article.get_absolute_url())
    html = first.content.decode()
    assert first.content == second.content and not first.cookies
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>", html)
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)
