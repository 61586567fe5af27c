import io
import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from PIL import Image

from articles.images import renditions
from articles.models import Article
from tests.factories import image_bytes, jpeg_with_exif, make_article

pytestmark = pytest.mark.django_db


def article_with_image(data, name="photo.jpg", **fields):
    article = make_article(image_alt="A harbour at dawn", **fields)
    article.image.save(name, ContentFile(data), save=True)
    return article


def open_rendition(settings, url):
    path = Path(settings.MEDIA_ROOT) / url.removeprefix(settings.MEDIA_URL)
    return Image.open(path)


def test_renditions_come_in_several_widths_in_webp_and_the_original_format(publication, settings):
    article = article_with_image(image_bytes(size=(1600, 900), format="JPEG"))
    images = renditions(article.image)
    assert (images.width, images.height) == (1600, 900)
    assert [r.width for r in images.webp] == [320, 640, 960, 1280, 1600]
    assert [r.width for r in images.fallback] == [320, 640, 960, 1280, 1600]
    for rendition in images.webp:
        with open_rendition(settings, rendition.url) as image:
            assert image.format == "WEBP"
            assert image.size == (rendition.width, rendition.height)
    for rendition in images.fallback:
        with open_rendition(settings, rendition.url) as image:
            assert image.format == "JPEG"
            assert image.size == (rendition.width, round(900 * rendition.width / 1600))
    assert all("/renditions/v1/articles/" in r.url for r in images.webp + images.fallback)


def test_a_small_original_is_never_enlarged(publication):
    article = article_with_image(image_bytes(size=(500, 300), format="PNG"), name="small.png")
    images = renditions(article.image)
    assert [r.width for r in images.fallback] == [320, 500]
    assert {r.mime for r in images.fallback} == {"image/png"}
    assert {r.mime for r in images.webp} == {"image/webp"}


def test_renditions_strip_exif_and_gps_and_honour_orientation(publication, settings):
    # Orientation 6: the camera was turned; the picture must come out rotated to portrait.
    article = article_with_image(jpeg_with_exif(size=(1200, 800), orientation=6))
    with Image.open(article.image.path) as original:
        assert original.getexif().get(0x8825)  # the upload does carry GPS data
    images = renditions(article.image)
    assert (images.width, images.height) == (800, 1200)
    for rendition in images.webp + images.fallback:
        with open_rendition(settings, rendition.url) as image:
            assert image.width < image.height
            assert not dict(image.getexif()), rendition.url
            assert "exif" not in image.info and "xmp" not in image.info
            assert b"Secret Model" not in Path(image.filename).read_bytes()


def test_renditions_are_made_once_and_reused(publication, settings, monkeypatch):
    article = article_with_image(image_bytes(size=(800, 600), format="JPEG"))
    first = renditions(article.image)
    files = sorted(p for p in (Path(settings.MEDIA_ROOT) / "renditions").rglob("*") if p.is_file())
    stamps = [p.stat().st_mtime_ns for p in files]

    from articles import images

    def fail(*args, **kwargs):
        raise AssertionError("renditions were made again")

    monkeypatch.setattr(images, "make_renditions", fail)
    assert renditions(article.image) == first  # from the cache
    cache.clear()
    assert renditions(article.image) == first  # from the manifest on disk
    assert [p.stat().st_mtime_ns for p in files] == stamps


def test_missing_original_gives_no_image_and_the_page_still_renders(client, publication):
    article = article_with_image(image_bytes(size=(800, 600), format="JPEG"))
    Path(article.image.path).unlink()
    assert renditions(article.image) is None
    for url in [article.get_absolute_url(), "/", article.section.get_absolute_url()]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "<picture" not in response.content.decode()


def test_corrupt_original_gives_no_image_and_the_page_still_renders(client, publication):
    article = article_with_image(b"\xff\xd8\xff\xe0 this is not really a jpeg" * 10)
    assert renditions(article.image) is None
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert article.headline in response.content.decode()


def test_decompression_bomb_is_refused_without_decoding(publication, settings):
    settings.IMAGE_MAX_PIXELS = 1000 * 1000
    article = article_with_image(image_bytes(size=(2000, 1000), format="PNG"), name="bomb.png")
    assert renditions(article.image) is None
    assert not (Path(settings.MEDIA_ROOT) / "renditions").exists()


def test_transparent_png_keeps_alpha_in_png_and_webp(publication, settings):
    buffer = io.BytesIO()
    Image.new("RGBA", (700, 400), (255, 0, 0, 0)).save(buffer, format="PNG")
    article = article_with_image(buffer.getvalue(), name="logo.png")
    images = renditions(article.image)
    with open_rendition(settings, images.largest.url) as image:
        assert image.format == "PNG" and image.mode == "RGBA"
    with open_rendition(settings, images.webp[-1].url) as image:
        assert image.mode == "RGBA"


def test_article_page_uses_srcset_sizes_and_dimensions(client, publication):
    article = article_with_image(image_bytes(size=(1600, 900), format="JPEG"))
    html = client.get(article.get_absolute_url()).content.decode()
    figure = html[html.index('<figure class="article-figure">') : html.index("</figure>")]
    assert '<source type="image/webp" srcset="' in figure
    assert re.search(r'srcset="[^"]*-320w\.webp 320w, [^"]*-640w\.webp 640w', figure)
    assert re.search(r'<img src="[^"]*-960w\.jpg" srcset="[^"]*-320w\.jpg 320w', figure)
    assert 'sizes="' in figure
    assert 'width="1600" height="900"' in figure
    assert 'alt="A harbour at dawn"' in figure
    assert 'loading="lazy"' not in figure  # the lead image is above the fold
    assert article.image.url not in html  # readers get renditions, never the original with its metadata


def test_cards_below_the_lead_load_lazily(client, publication, section):
    for number in range(3):
        article_with_image(image_bytes(size=(800, 450), format="JPEG"), name=f"card{number}.jpg", section=section)
    html = client.get("/").content.decode()
    lead = html[html.index('class="lead-story"') : html.index('id="latest-heading"')]
    latest = html[html.index('id="latest-heading"') :]
    assert "<picture" in lead and 'loading="lazy"' not in lead
    assert latest.count('loading="lazy"') == 2


def test_image_pages_keep_their_query_budget(client, publication, section, django_assert_max_num_queries):
    """Renditions come from the cache or a manifest file: no query per image."""
    for number in range(4):
        article_with_image(image_bytes(size=(640, 360), format="JPEG"), name=f"b{number}.jpg", section=section)
    client.get("/")
    with django_assert_max_num_queries(4):
        client.get("/")


def test_admin_upload_makes_renditions_at_once(editor_client, publication, section, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {
        "headline": "With a photo",
        "slug": "",
        "dek": "",
        "body": "",
        "status": "draft",
        "section": section.pk,
        "tags": "",
        "comment_policy": "open",
        "image": SimpleUploadedFile("upload.jpg", jpeg_with_exif(size=(700, 500)), content_type="image/jpeg"),
        "image_alt": "A photo",
        "bylines-TOTAL_FORMS": "0",
        "bylines-INITIAL_FORMS": "0",
        "bylines-MIN_NUM_FORMS": "0",
        "bylines-MAX_NUM_FORMS": "1000",
    }
    response = editor_client.post("/admin/articles/article/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(headline="With a photo")
    base = Path(settings.MEDIA_ROOT) / "renditions" / "v1" / Path(article.image.name).parent
    assert (base / (Path(article.image.name).stem + ".json")).exists()
