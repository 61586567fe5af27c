"""Embeds: the providers' URL patterns, nothing fetched to save or render, and the optional oEmbed job."""

import json
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import reverse

from articles import embeds, media, services
from articles.models import Article, Embed
from tests.factories import image_bytes, jpeg_with_exif, make_article

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "provider", "src"),
    [
        (
            "https://www.youtube.com/watch?v=aqz-KE-bpKQ",
            "youtube",
            "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ",
        ),
        ("https://youtu.be/aqz-KE-bpKQ?t=90", "youtube", "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ?start=90"),
        ("https://www.youtube.com/shorts/aqz-KE-bpKQ", "youtube", "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ"),
        ("https://vimeo.com/76979871", "vimeo", "https://player.vimeo.com/video/76979871?dnt=1"),
        (
            "https://vimeo.com/76979871/abc123def0",
            "vimeo",
            "https://player.vimeo.com/video/76979871?dnt=1&h=abc123def0",
        ),
        (
            "https://x.com/NASA/status/1790000000000000000",
            "x",
            "https://platform.twitter.com/embed/Tweet.html?id=1790000000000000000&dnt=true",
        ),
        (
            "https://twitter.com/NASA/status/1790000000000000000",
            "x",
            "https://platform.twitter.com/embed/Tweet.html?id=1790000000000000000&dnt=true",
        ),
        ("https://www.instagram.com/p/C1a2B3c4D5e/", "instagram", "https://www.instagram.com/p/C1a2B3c4D5e/embed/"),
        (
            "https://www.tiktok.com/@scout2015/video/6718335390845095173",
            "tiktok",
            "https://www.tiktok.com/embed/v2/6718335390845095173",
        ),
        (
            "https://www.facebook.com/nasa/posts/123456789",
            "facebook",
            "https://www.facebook.com/plugins/post.php?href=https%3A%2F%2Fwww.facebook.com%2Fnasa%2Fposts%2F123456789"
            "&show_text=true",
        ),
        (
            "https://soundcloud.com/forss/flickermood",
            "soundcloud",
            "https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud.com%2Fforss%2Fflickermood&visual=false",
        ),
        (
            "https://open.spotify.com/episode/4rOoJ6Egrf8K2IrywzwOMk",
            "spotify",
            "https://open.spotify.com/embed/episode/4rOoJ6Egrf8K2IrywzwOMk",
        ),
        ("https://datawrapper.dwcdn.net/dfL6T/1/", "datawrapper", "https://datawrapper.dwcdn.net/dfL6T/1/"),
        ("https://app.datawrapper.de/chart/dfL6T/publish", "datawrapper", "https://datawrapper.dwcdn.net/dfL6T/"),
        (
            "https://public.flourish.studio/visualisation/1234567/",
            "flourish",
            "https://flo.uri.sh/visualisation/1234567/embed",
        ),
        (
            "https://www.google.com/maps/embed?pb=!1m18!1m12",
            "google-maps",
            "https://www.google.com/maps/embed?pb=%211m18%211m12",
        ),
        (
            "https://www.google.com/maps/place/Eiffel+Tower/@48.8583701,2.2944813,17z",
            "google-maps",
            "https://maps.google.com/maps?q=48.8583701%2C2.2944813&z=17&output=embed",
        ),
        (
            "https://www.documentcloud.org/documents/20059068-the-mueller-report",
            "documentcloud",
            "https://embed.documentcloud.org/documents/20059068-the-mueller-report/?embed=1&responsive=1&title=1",
        ),
    ],
)
def test_each_provider_becomes_an_iframe_address_without_a_network_call(url, provider, src):
    spec = embeds.match(url)
    assert spec.provider.key == provider
    assert spec.src == src
    assert spec.src.startswith("https://")
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(spec.src))
    assert origin in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["frame-src"]  # else the browser blocks it


def test_the_allowlist_has_the_providers_newsrooms_use():
    assert set(embeds.PROVIDERS) >= {
        "youtube", "vimeo", "x", "instagram", "tiktok", "facebook", "soundcloud",
        "spotify", "datawrapper", "flourish", "google-maps", "documentcloud",
    }  # fmt: skip


def test_a_pasted_iframe_code_gives_its_address():
    code = '<iframe title="Chart" src="https://datawrapper.dwcdn.net/dfL6T/2/" scrolling="no" height="400"></iframe>'
    assert embeds.match(embeds.clean_input(code)).src == "https://datawrapper.dwcdn.net/dfL6T/2/"


@pytest.mark.parametrize(
    "url",
    [
        "https://unknown.example/video",
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "https://www.youtube.com.evil.example/watch?v=aqz-KE-bpKQ",
        "https://evil.example/?u=https://www.youtube.com/watch?v=aqz-KE-bpKQ",
        "https://user:pass@www.youtube.com/watch?v=aqz-KE-bpKQ",
        "https://www.youtube.com/watch?v=short",
        "https://www.youtube.com/watch?v=" + "a" * 3000,
        "ftp://vimeo.com/1234",
        "https://datawrapper.dwcdn.net/../../etc/",
        "https://www.instagram.com/p/<script>/",
        "",
        "   ",
    ],
)
def test_anything_else_is_not_embedded(url):
    assert embeds.match(url) is None


def test_the_editors_embed_check_answers_without_fetching_anything(editor_client, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the network was used")

    monkeypatch.setattr(embeds, "_get", no_network)
    url = reverse("admin:articles_image_embed_check")
    answer = editor_client.get(url, {"url": "https://youtu.be/aqz-KE-bpKQ"}).json()
    assert answer == {
        "embeddable": True,
        "provider": "YouTube",
        "kind": "video",
        "url": "https://youtu.be/aqz-KE-bpKQ",
    }
    assert editor_client.get(url, {"url": "https://unknown.example/"}).json() == {"embeddable": False}
    assert editor_client.get(url, {"url": "\x00" * 10}).json() == {"embeddable": False}


def test_the_embed_check_is_for_staff_only(client, reporter):
    url = reverse("admin:articles_image_embed_check") + "?url=https://youtu.be/aqz-KE-bpKQ"
    assert client.get(url).status_code == 302
    client.force_login(reporter)
    assert client.get(url).status_code == 200


# The optional oEmbed job.


class FakeProvider:
    """Answers like an oEmbed endpoint and an image host; records what was asked."""

    def __init__(self, answer, thumbnail=None, fail=False):
        self.answer, self.thumbnail, self.fail, self.asked = answer, thumbnail, fail, []

    def __call__(self, url, *, limit, accept):
        self.asked.append(url)
        if self.fail:
            raise embeds.EmbedFetchError("timed out")
        if accept == "application/json":
            return json.dumps(self.answer).encode()
        return self.thumbnail


@pytest.fixture
def oembed(settings, monkeypatch):
    settings.EMBED_OEMBED = True

    def install(provider):
        monkeypatch.setattr(embeds, "_get", provider)
        return provider

    return install


def save_story(section, url, committed):
    article = Article(
        headline="With a film",
        section=section,
        status=Article.Status.PUBLISHED,
        body=media.embed_html(url),
    )
    with committed():
        services.article_save(article=article)
    return article


def test_the_oembed_job_adds_a_title_and_a_thumbnail_copied_to_our_storage(
    client, publication, section, oembed, committed
):
    provider = oembed(
        FakeProvider(
            {"title": "How the gates close", "thumbnail_url": "https://i.ytimg.com/vi/aqz-KE-bpKQ/hqdefault.jpg"},
            thumbnail=jpeg_with_exif(size=(480, 360)),
        )
    )
    article = save_story(section, "https://www.youtube.com/watch?v=aqz-KE-bpKQ", committed)
    assert provider.asked[0].startswith("https://www.youtube.com/oembed?url=")
    embed = Embed.objects.get()
    assert embed.title == "How the gates close" and embed.error == ""
    html = client.get(article.get_absolute_url()).content.decode()
    assert "How the gates close" in html
    assert "ytimg" not in html  # the reader's browser never asks the provider for the thumbnail
    thumbnail = embed.thumbnail["crops"]["original"]["fallback"][-1]["name"]
    assert thumbnail.startswith("embeds/") and f"/media/{thumbnail}" in html
    from django.core.files.storage import storages

    assert b"Secret Model" not in storages["default"].open(thumbnail).read()  # re-encoded, no EXIF


def test_an_oembed_failure_is_harmless_and_not_retried_at_once(client, publication, section, oembed, committed):
    provider = oembed(FakeProvider({}, fail=True))
    article = save_story(section, "https://vimeo.com/76979871", committed)
    assert Embed.objects.get().error == "timed out"
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200 and "Load the video from Vimeo" in response.content.decode()
    asked = len(provider.asked)
    article.headline = "Edited"
    with committed():
        services.article_save(article=article, expected_version=article.version)
    assert len(provider.asked) == asked  # tried again only after a day


def test_a_thumbnail_from_elsewhere_is_never_fetched(publication, section, oembed, committed):
    provider = oembed(FakeProvider({"title": "T", "thumbnail_url": "http://169.254.169.254/latest/meta-data"}))
    save_story(section, "https://www.youtube.com/watch?v=aqz-KE-bpKQ", committed)
    assert len(provider.asked) == 1
    assert Embed.objects.get().thumbnail == {}


def test_a_thumbnail_that_is_not_an_allowed_image_is_dropped(publication, section, oembed, committed):
    oembed(
        FakeProvider({"title": "T", "thumbnail_url": "https://i.ytimg.com/x.bmp"}, thumbnail=image_bytes(format="BMP"))
    )
    save_story(section, "https://www.youtube.com/watch?v=aqz-KE-bpKQ", committed)
    assert Embed.objects.get().thumbnail == {}


def test_no_oembed_fetch_when_it_is_off_or_the_provider_has_none(publication, section, settings, committed, oembed):
    provider = oembed(FakeProvider({"title": "T"}))
    save_story(section, "https://www.instagram.com/p/C1a2B3c4D5e/", committed)  # no open endpoint
    settings.EMBED_OEMBED = False
    save_story(section, "https://www.youtube.com/watch?v=aqz-KE-bpKQ", committed)
    assert provider.asked == [] and not Embed.objects.exists()


def test_a_new_oembed_answer_is_announced_to_the_stories_pages(publication, section, oembed, committed):
    from articles import events

    heard = []

    def listen(sender, change, **kwargs):
        heard.append(change)

    events.content_changed.connect(listen)
    try:
        oembed(FakeProvider({"title": "T"}))
        article = save_story(section, "https://www.youtube.com/watch?v=aqz-KE-bpKQ", committed)
    finally:
        events.content_changed.disconnect(listen)
    kinds = [change.kind for change in heard]
    assert events.EMBED_UPDATED in kinds
    change = heard[kinds.index(events.EMBED_UPDATED)]
    assert article.get_absolute_url() in change.paths


def test_saving_and_rendering_never_use_the_network(client, publication, section, monkeypatch, committed):
    def no_network(*args, **kwargs):
        raise AssertionError("the network was used")

    monkeypatch.setattr("urllib.request.urlopen", no_network)
    article = save_story(section, "https://www.youtube.com/watch?v=aqz-KE-bpKQ", committed)
    assert client.get(article.get_absolute_url()).status_code == 200
    make_article(body=media.embed_html("https://open.spotify.com/episode/4rOoJ6Egrf8K2IrywzwOMk"))
    assert client.get("/feed/").status_code == 200
