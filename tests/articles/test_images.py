"""Renditions of library images: sizes, formats, metadata stripped, focal-point crops, made by jobs only."""

import io
import re
from datetime import timedelta

import pytest
from django.core.files.storage import storages
from django.utils import timezone
from PIL import Image as PILImage

from articles import images, media
from articles.models import Image
from tests.factories import image_bytes, jpeg_with_exif, make_article, make_image

pytestmark = pytest.mark.django_db


def open_rendition(url):
    """A rendition as readers get it, read back through the public store (never a filesystem path)."""
    from django.conf import settings

    with storages["default"].open(url.removeprefix(settings.MEDIA_URL), "rb") as handle:
        return PILImage.open(io.BytesIO(handle.read()))


def test_renditions_come_in_several_widths_in_webp_and_the_original_format(publication):
    image = make_image(image_bytes(size=(1600, 900), format="JPEG"))
    renditions = image.renditions()
    assert (renditions.width, renditions.height) == (1600, 900)
    assert [r.width for r in renditions.webp] == [320, 640, 960, 1280, 1600]
    assert [r.width for r in renditions.fallback] == [320, 640, 960, 1280, 1600]
    for rendition in renditions.webp:
        with open_rendition(rendition.url) as picture:
            assert picture.format == "WEBP"
            assert picture.size == (rendition.width, rendition.height)
    for rendition in renditions.fallback:
        with open_rendition(rendition.url) as picture:
            assert picture.format == "JPEG"
            assert picture.size == (rendition.width, round(900 * rendition.width / 1600))
    assert all(f"/renditions/{image.pk}/1-" in r.url for r in renditions.webp + renditions.fallback)


def test_a_small_original_is_never_enlarged(publication):
    image = make_image(image_bytes(size=(500, 300), format="PNG"), name="small.png")
    renditions = image.renditions()
    assert [r.width for r in renditions.fallback] == [320, 500]
    assert {r.mime for r in renditions.fallback} == {"image/png"}
    assert {r.mime for r in renditions.webp} == {"image/webp"}
    assert image.crop("social").largest.width == 500  # a crop is never enlarged either


def test_renditions_strip_exif_and_gps_and_honour_orientation(publication):
    # Orientation 6: the camera was turned; the picture must come out rotated to portrait.
    image = make_image(jpeg_with_exif(size=(1200, 800), orientation=6))
    with image.file.open("rb") as handle, PILImage.open(handle) as original:
        assert original.getexif().get(0x8825)  # the private original does carry GPS data
    assert (image.width, image.height) == (800, 1200)
    for crop in images.CROPS:
        renditions = image.crop(crop)
        for rendition in renditions.webp + renditions.fallback:
            with open_rendition(rendition.url) as picture:
                assert not dict(picture.getexif()), rendition.url
                assert "exif" not in picture.info and "xmp" not in picture.info
                raw = storages["default"].open(rendition.url.removeprefix("/media/")).read()
                assert b"Secret Model" not in raw and b"Camera Maker" not in raw
    assert image.renditions().height > image.renditions().width


def test_a_rendition_job_run_twice_makes_nothing_new(publication, monkeypatch):
    image = make_image()
    first = image.renditions_data

    def fail(*args, **kwargs):
        raise AssertionError("renditions were made again")

    monkeypatch.setattr(images, "make_renditions", fail)
    media.refresh_renditions(image.pk)
    image.refresh_from_db()
    assert image.renditions_data == first


def test_pages_never_make_renditions_and_show_nothing_until_the_job_has_run(client, publication, monkeypatch):
    """Renditions are made by a job after upload, never during a reader's request."""
    image = make_image(renditions=False)
    article = make_article(image=image)

    def fail(*args, **kwargs):
        raise AssertionError("a rendition was made during a request")

    monkeypatch.setattr(images, "make_renditions", fail)
    monkeypatch.setattr(images, "render_crops", fail)
    for url in [article.get_absolute_url(), "/", article.section.get_absolute_url(), "/feed/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "<picture" not in response.content.decode(), url


def test_missing_original_gives_no_renditions_and_the_page_still_renders(client, publication):
    image = make_image(renditions=False)
    image.file.storage.delete(image.file.name)
    media.refresh_renditions(image.pk)  # logged, not raised: nothing to retry
    image.refresh_from_db()
    assert image.renditions() is None
    article = make_article(image=image)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "<picture" not in response.content.decode()


def test_corrupt_original_gives_no_renditions_and_the_page_still_renders(client, publication):
    image = make_image(renditions=False)
    storage = image.file.storage
    storage.delete(image.file.name)
    storage.save(image.file.name, io.BytesIO(b"\xff\xd8\xff\xe0 this is not really a jpeg" * 10))
    media.refresh_renditions(image.pk)
    image.refresh_from_db()
    assert image.renditions() is None
    article = make_article(image=image)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert article.headline in response.content.decode()


def test_decompression_bomb_is_refused_without_decoding(publication, settings):
    settings.IMAGE_MAX_PIXELS = 1000 * 1000
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        make_image(image_bytes(size=(2000, 1000), format="PNG"), name="bomb.png")
    assert error.value.code == "image_too_large"
    assert not Image.objects.exists()
    with pytest.raises(images.RenditionError):
        images.open_image(image_bytes(size=(2000, 1000), format="PNG"))


def test_transparent_png_keeps_alpha_in_png_and_webp(publication):
    buffer = io.BytesIO()
    PILImage.new("RGBA", (700, 400), (255, 0, 0, 0)).save(buffer, format="PNG")
    image = make_image(buffer.getvalue(), name="logo.png")
    renditions = image.renditions()
    with open_rendition(renditions.largest.url) as picture:
        assert picture.format == "PNG" and picture.mode == "RGBA"
    with open_rendition(renditions.webp[-1].url) as picture:
        assert picture.mode == "RGBA"


def test_article_page_uses_srcset_sizes_and_dimensions(client, publication):
    article = make_article(image=make_image(image_bytes(size=(1600, 900), format="JPEG")))
    html = client.get(article.get_absolute_url()).content.decode()
    figure = html[html.index('<figure class="article-figure">') : html.index("</figure>")]
    assert '<source type="image/webp" srcset="' in figure
    assert re.search(r'srcset="[^"]*/original-320w\.webp 320w, [^"]*/original-640w\.webp 640w', figure)
    assert re.search(r'<img src="[^"]*/original-960w\.jpg" srcset="[^"]*/original-320w\.jpg 320w', figure)
    assert 'sizes="' in figure
    assert 'width="1600" height="900"' in figure
    assert 'alt="A harbour at dawn"' in figure
    assert 'loading="lazy"' not in figure  # the lead image is above the fold
    assert "/originals/" not in html  # readers get renditions, never the original with its metadata


def test_cards_below_the_lead_load_lazily_and_use_the_card_crop(client, publication, section):
    for number in range(3):
        make_article(image=make_image(image_bytes(size=(800, 600), format="JPEG"), name=f"card{number}.jpg"))
    html = client.get("/").content.decode()
    lead = html[html.index('class="lead-story"') : html.index('id="latest-heading"')]
    latest = html[html.index('id="latest-heading"') :]
    assert "<picture" in lead and 'loading="lazy"' not in lead
    assert "/wide-" in lead  # the lead story's 16:9 crop
    assert latest.count('loading="lazy"') == 2
    assert "/card-" in latest  # the cards' 3:2 crop


def test_section_pages_lead_with_their_newest_story_and_its_image(client, publication, section):
    make_article(section=section, headline="Older story", image=make_image(name="old.jpg"))
    make_article(
        section=section,
        headline="Newest story",
        image=make_image(image_bytes(size=(1200, 1200), format="JPEG"), name="new.jpg"),
        published_at=timezone.now() - timedelta(minutes=5),
    )
    make_article(section=section, headline="Oldest story", published_at=timezone.now() - timedelta(days=2))
    html = client.get(section.get_absolute_url()).content.decode()
    lead = html[html.index('class="lead-story"') : html.index('class="card-grid"')]
    assert "<picture" in lead and "/wide-" in lead


def test_image_pages_keep_their_query_budget(client, publication, section, django_assert_max_num_queries):
    """Renditions come from the image row loaded with the card: no query and no file read per image."""
    for number in range(4):
        make_article(
            section=section, image=make_image(image_bytes(size=(640, 360), format="JPEG"), name=f"b{number}.jpg")
        )
    client.get("/")
    with django_assert_max_num_queries(4):
        client.get("/")


def test_library_upload_in_the_admin_makes_renditions_at_once(editor_client, publication):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = editor_client.post(
        "/admin/articles/image/add/",
        {
            "file": SimpleUploadedFile("upload.jpg", jpeg_with_exif(size=(700, 500)), content_type="image/jpeg"),
            "title": "",
            "alt": "A photo",
            "caption": "",
            "credit": "",
            "source": "",
            "licence": "staff",
            "restrictions": "",
            "rights_expire_at": "",
            "tags": "",
            "focal_x": "0.5",
            "focal_y": "0.5",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    image = Image.objects.get()
    assert image.title == "upload"
    assert image.renditions_are_current and image.renditions().largest.width == 700


def test_an_image_set_is_built_once_per_instance_and_anew_when_the_renditions_change(publication, monkeypatch):
    """A page or feed item asks for the same crop several times: it is built once, but never outlives new
    renditions (the renditions job assigns a new manifest)."""
    image = make_image()
    built = []
    real = images.image_set
    monkeypatch.setattr(images, "image_set", lambda manifest, crop: built.append(crop) or real(manifest, crop))
    first = image.crop("card")
    assert first is not None and image.crop("card") is first and image.renditions() is image.renditions()
    assert built == ["card", "original"]
    image.renditions_data = {}
    assert image.crop("card") is None and built == ["card", "original", "card"]
