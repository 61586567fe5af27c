"""Uploads: only JPEG, PNG, WebP and GIF, recognised by content and read by those decoders alone;
library originals stay private, and what is served is a re-encoded copy without metadata."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import EpsImagePlugin, Image

from articles.models import Article, Publisher
from tests.articles.test_admin import article_form_data
from tests.factories import image_bytes, jpeg_with_exif

pytestmark = pytest.mark.django_db

EPS = (
    b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 64 48\n%%EndComments\n"
    b"newpath 0 0 moveto 64 48 lineto stroke\n(%pipe%id) (w) file\nshowpage\n%%EOF\n"
)
REFUSED_FORMATS = ["TIFF", "ICO", "BMP", "PPM", "TGA", "PCX", "JPEG2000", "SGI", "DDS", "QOI"]


@pytest.fixture(autouse=True)
def _no_ghostscript(monkeypatch):
    """Fail loudly if anything ever tries to start Ghostscript."""

    def refuse(*args, **kwargs):
        raise AssertionError("Ghostscript was started")

    monkeypatch.setattr(EpsImagePlugin, "Ghostscript", refuse)


def other_format(fmt):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def post_image(editor_client, section, upload, **extra):
    data = article_form_data(
        section, new_image=upload, new_image_alt="A picture", headline="Keep this headline", **extra
    )
    return editor_client.post(reverse("admin:articles_article_add"), data)


def assert_refused(response):
    assert response.status_code == 200
    html = response.content.decode()
    assert "Upload a valid image" in html or "File extension" in html, html[:300]
    assert "Keep this headline" in html
    assert not Article.objects.exists()


@pytest.mark.parametrize("name", ["photo.jpg", "photo.eps", "photo.png"])
def test_an_eps_file_is_refused_and_ghostscript_never_runs(editor_client, section, name):
    """Regression: an EPS named .jpg was accepted, and rasterised by Ghostscript when renditions were made."""
    assert_refused(post_image(editor_client, section, SimpleUploadedFile(name, EPS, content_type="image/jpeg")))
    assert EpsImagePlugin.gs_binary is False


@pytest.mark.parametrize("fmt", REFUSED_FORMATS)
@pytest.mark.parametrize("name", ["photo.jpg", "photo.{ext}"])
def test_formats_other_than_jpeg_png_webp_gif_are_refused(editor_client, section, fmt, name):
    """Regression: TIFF, ICO, BMP, PPM, TGA, PCX, JPEG 2000 and SGI files were accepted."""
    upload = SimpleUploadedFile(name.format(ext=fmt.lower()), other_format(fmt), content_type="image/jpeg")
    assert_refused(post_image(editor_client, section, upload))


def featured():
    """The library image the article form's upload created."""
    return Article.objects.select_related("image").get().image


def original_bytes(image):
    with image.file.open("rb") as handle:
        return handle.read()


def public_files(image):
    """Every file of the image that has a public URL: its renditions (re-encoded copies)."""
    from django.core.files.storage import storages

    public = storages["default"]
    names = {
        rendition.url.removeprefix(settings_media_url())
        for rendition in [*image.renditions().webp, *image.renditions().fallback]
    }
    return {name: public.open(name, "rb").read() for name in names}


def settings_media_url():
    from django.conf import settings

    return settings.MEDIA_URL


@pytest.mark.parametrize(("fmt", "extension"), [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp"), ("GIF", "gif")])
def test_the_four_web_formats_are_accepted_and_kept_in_their_format(editor_client, section, fmt, extension):
    upload = SimpleUploadedFile(f"photo.{extension}", image_bytes(format=fmt), content_type=f"image/{extension}")
    assert post_image(editor_client, section, upload).status_code == 302
    image = featured()
    assert image.file.name.endswith(f".{extension}")
    assert Image.open(io.BytesIO(original_bytes(image))).format == fmt


def test_a_png_named_jpg_is_stored_under_its_true_extension(editor_client, section):
    upload = SimpleUploadedFile("photo.jpg", image_bytes(format="PNG"), content_type="image/jpeg")
    assert post_image(editor_client, section, upload).status_code == 302
    assert featured().file.name.endswith(".png")


def jpeg_with_everything():
    """A JPEG carrying GPS, camera details, a comment and XMP, each with a script in it, plus a ZIP appended."""
    image = Image.open(io.BytesIO(jpeg_with_exif(size=(120, 80), orientation=6)))
    exif = image.getexif()
    exif[0x010E] = "<script>alert('exif')</script>"  # ImageDescription
    buffer = io.BytesIO()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><script>alert("xmp")</script></x:xmpmeta>'
    image.save(buffer, format="JPEG", exif=exif, comment=b"<script>alert('comment')</script>", xmp=xmp)
    return buffer.getvalue() + b"PK\x03\x04<script>alert('zip')</script>"


def test_no_public_url_serves_the_original_or_its_metadata(editor_client, client, section):
    """Regression: originals were stored and served unchanged, GPS and scripts in their metadata included.
    Now the original stays in the private store (no URL) and readers get re-encoded renditions only."""
    upload = SimpleUploadedFile("holiday.jpg", jpeg_with_everything(), content_type="image/jpeg")
    assert post_image(editor_client, section, upload, status=Article.Status.DRAFT).status_code == 302
    image = featured()
    assert b"Secret Model" in original_bytes(image), "the private original is kept whole for the newsroom"
    assert client.get(settings_media_url() + image.file.name).status_code == 404
    served = public_files(image)
    assert served
    for data in served.values():
        for secret in [b"script", b"Secret Model", b"Camera Maker", b"PK\x03\x04", b"Exif", b"xmpmeta"]:
            assert secret not in data
    largest = Image.open(io.BytesIO(served[image.renditions().largest.url.removeprefix(settings_media_url())]))
    assert largest.size == (80, 120), "the EXIF orientation (6: rotate 90) is applied to the pixels"
    assert not largest.getexif() and "comment" not in largest.info


def test_a_png_text_chunk_is_not_in_any_public_file(editor_client, section):
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    buffer = io.BytesIO()
    Image.new("RGBA", (40, 30), (1, 2, 3, 128)).save(buffer, format="PNG", pnginfo=info)
    upload = SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")
    assert post_image(editor_client, section, upload).status_code == 302
    for name, data in public_files(featured()).items():
        assert b"script" not in data and b"tEXt" not in data
        if name.endswith(".png"):
            assert Image.open(io.BytesIO(data)).mode == "RGBA", "transparency is kept"


@pytest.mark.parametrize("cut", [0.2, 0.5, 0.9])
def test_a_truncated_image_is_refused(editor_client, section, cut):
    data = image_bytes(size=(300, 200), format="JPEG")
    assert_refused(post_image(editor_client, section, SimpleUploadedFile("cut.jpg", data[: int(len(data) * cut)])))


def test_publisher_logos_are_checked_and_re_encoded_too(editor_client):
    data = {"name": "Wire", "slug": "wire", "description": "", "website": ""}
    eps = SimpleUploadedFile("logo.jpg", EPS, content_type="image/jpeg")
    response = editor_client.post(reverse("admin:articles_publisher_add"), {**data, "logo": eps})
    assert response.status_code == 200 and not Publisher.objects.exists()
    logo = SimpleUploadedFile("logo.jpg", jpeg_with_exif(size=(40, 30)), content_type="image/jpeg")
    assert editor_client.post(reverse("admin:articles_publisher_add"), {**data, "logo": logo}).status_code == 302
    with open(Publisher.objects.get().logo.path, "rb") as handle:
        assert b"Secret Model" not in handle.read()


def test_a_stored_eps_gives_no_renditions_and_no_ghostscript(db):
    """A file placed in the originals store by other means is never decoded by anything but the four decoders."""
    from django.core.files.base import ContentFile

    from articles import media
    from articles.models import Image as LibraryImage

    image = LibraryImage.objects.create(title="Sneaky", alt="Sneaky", width=64, height=48)
    image.file.save("sneaky.jpg", ContentFile(EPS), save=True)
    media.refresh_renditions(image.pk)
    image.refresh_from_db()
    assert image.renditions() is None


def test_scrub_originals_cleans_uploads_stored_before_they_were_re_encoded(publication):
    from django.core.files.base import ContentFile
    from django.core.management import call_command

    from tests.factories import make_publisher

    dirty = make_publisher()
    dirty.logo.save("old.jpg", ContentFile(jpeg_with_exif(size=(60, 40))), save=True)
    clean = make_publisher()
    clean.logo.save("clean.png", ContentFile(image_bytes()), save=True)
    clean_bytes = clean.logo.read()
    out = io.StringIO()
    call_command("scrub_originals", "--dry-run", stdout=out)
    assert "1 originals would be re-encoded" in out.getvalue()
    call_command("scrub_originals", stdout=out)
    dirty.refresh_from_db()
    with dirty.logo.open("rb") as handle:
        assert b"Secret Model" not in handle.read()
    clean.refresh_from_db()
    with clean.logo.open("rb") as handle:
        assert handle.read() == clean_bytes, "a clean file is left as it is"
    out = io.StringIO()
    call_command("scrub_originals", stdout=out)
    assert "0 originals were re-encoded" in out.getvalue(), "running it again changes nothing"
