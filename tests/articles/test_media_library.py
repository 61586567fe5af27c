"""The media library: uploads, the admin, the editor's endpoints, focal points and versions, events, privacy."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PILImage

from articles import events, images, media, services
from articles.models import Article, Image
from tests.factories import image_bytes, jpeg_with_exif, make_article, make_image

pytestmark = pytest.mark.django_db

ADD = reverse("admin:articles_image_add")


def library_form(**overrides):
    data = {
        "title": "",
        "alt": "Fishing boats in a harbour",
        "caption": "The harbour at dawn.",
        "credit": "Photo: Ada / Wire",
        "source": "Wire",
        "licence": "agency",
        "restrictions": "",
        "rights_expire_at": "",
        "tags": "harbour, boats",
        "focal_x": "0.5",
        "focal_y": "0.5",
    }
    data.update(overrides)
    return data


def upload(name="harbour.jpg", data=None, content_type="image/jpeg"):
    return SimpleUploadedFile(name, data if data is not None else jpeg_with_exif(size=(1200, 800)), content_type)


def heard_events():
    heard = []

    def listen(sender, change, **kwargs):
        heard.append(change)

    events.content_changed.connect(listen)
    return heard, lambda: events.content_changed.disconnect(listen)


# Uploading.


def test_an_editor_uploads_an_image_with_its_description_rights_and_focal_point(editor_client, publication, editor):
    response = editor_client.post(
        ADD, library_form(file=upload(), focal_x="0.8", focal_y="0.25", rights_expire_at="2031-01-31")
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    image = Image.objects.get()
    assert image.title == "harbour"
    assert (image.width, image.height) == (1200, 800)
    assert (image.focal_x, image.focal_y) == (0.8, 0.25)
    assert (image.licence, image.credit, image.uploaded_by) == ("agency", "Photo: Ada / Wire", editor)
    assert sorted(image.tags.names()) == ["boats", "harbour"]
    assert image.file.name.startswith("originals/") and image.file.name.endswith(".jpg")
    assert image.renditions_are_current
    assert image.renditions_data["focal"] == [0.8, 0.25]  # the crops were made around it
    html = editor_client.get(reverse("admin:articles_image_change", args=[image.pk])).content.decode()
    assert 'class="focal-picker"' in html and "admin/js/focal_point.js" in html
    assert "Not used in any story yet." in html


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (upload("evil.jpg", b"<?php system($_GET['c']); ?>"), "Upload a valid image"),
        (upload("doc.pdf", b"%PDF-1.4 fake", "application/pdf"), "Upload a valid image"),
        (upload("empty.png", b"", "image/png"), "The submitted file is empty"),
        (upload("x.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "image/svg+xml"), "valid"),
        (
            upload("old.bmp", image_bytes(format="BMP"), "image/bmp"),
            "Upload a valid image",
        ),  # Pillow reads BMP; we do not
        (upload("scan.tiff", image_bytes(format="TIFF"), "image/tiff"), "Upload a valid image"),
        (upload("real.exe", image_bytes(format="PNG"), "image/png"), "File extension"),
        (upload("half.jpg", jpeg_with_exif()[:300]), "Upload a valid image"),
    ],
)
def test_hostile_uploads_get_a_clear_error_and_nothing_is_stored(editor_client, publication, file, message):
    response = editor_client.post(ADD, library_form(file=file, title="Keep this title"))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and "Keep this title" in html
    assert not Image.objects.exists()


def test_alt_text_is_required_unless_the_image_is_decorative(editor_client, publication):
    response = editor_client.post(ADD, library_form(file=upload(), alt="   "))
    assert "Describe the image for readers who cannot see it, or mark it as decorative." in response.content.decode()
    assert not Image.objects.exists()
    assert editor_client.post(ADD, library_form(file=upload(), alt="", is_decorative="on")).status_code == 302


def test_hostile_text_and_values_are_refused_or_escaped(editor_client, publication):
    for field, value in [
        ("focal_x", "1.5"),
        ("focal_y", "-0.1"),
        ("focal_x", "nan"),
        ("rights_expire_at", "31/31/2031"),
    ]:
        response = editor_client.post(ADD, library_form(file=upload(), **{field: value}))
        assert response.status_code == 200, field
        assert not Image.objects.exists()
    response = editor_client.post(ADD, library_form(file=upload(), title="<script>alert(1)</script>", alt="x\x00y"))
    assert response.status_code in {200, 302}
    changelist = editor_client.get(reverse("admin:articles_image_changelist")).content.decode()
    assert "<script>alert(1)</script>" not in changelist


def test_the_api_refuses_a_file_as_the_form_does():
    with pytest.raises(ValidationError) as error:
        media.image_create_from_file(file=image_bytes(format="BMP"), name="x.bmp", alt="x")
    assert error.value.code == "invalid_image"
    with pytest.raises(ValidationError) as error:
        media.image_create_from_file(file=image_bytes(), name="x.png", alt="")
    assert "alt" in error.value.message_dict
    assert not Image.objects.exists()


# Where originals live and what is public.


def test_originals_are_private_and_only_re_encoded_files_are_public(client, editor_client, publication, settings):
    from django.test import Client

    image = make_image(jpeg_with_exif(size=(1200, 800)))
    article = make_article(image=image)
    original = image.file.name
    assert not storages["default"].exists(original)  # not in the public store at all
    assert client.get(settings.MEDIA_URL + original).status_code == 404
    with pytest.raises(NotImplementedError):
        image.file.url  # noqa: B018 - the property is what is tested
    html = client.get(article.get_absolute_url()).content.decode()
    assert original not in html and "/originals/" not in html
    # Staff may look at the original (its metadata included); readers may not.
    url = reverse("admin:articles_image_original", args=[image.pk])
    assert Client().get(url).status_code == 302
    response = editor_client.get(url)
    assert response.status_code == 200
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
    assert response["Content-Type"] == "image/jpeg" and b"Secret Model" in b"".join(response.streaming_content)


def test_rendition_folders_cannot_be_guessed_from_the_image_number(publication):
    image = make_image()
    folder = image.renditions().largest.url.rsplit("/", 2)[-2]
    assert folder.startswith("1-") and len(folder) == len("1-") + 16
    assert images.rendition_base(image).endswith(folder)


# Focal points, versions and jobs.


def test_moving_the_focal_point_makes_new_crops_and_pages_keep_the_old_ones_meanwhile(
    client, publication, task_backend, committed
):
    image = make_image(image_bytes(size=(1600, 600), format="JPEG"))
    article = make_article(image=image)
    old_social = image.crop("social").largest.url
    image.focal_x = 0.95
    with committed():
        media.image_save(image=image)
    # The job ran at commit: a new version with its own files; the old ones wait a day to be deleted.
    image.refresh_from_db()
    assert image.version == 2 and image.renditions_are_current
    new_social = image.crop("social").largest.url
    assert new_social != old_social and "/2-" in new_social
    assert storages["default"].exists(old_social.removeprefix("/media/"))
    html = client.get(article.get_absolute_url()).content.decode()
    assert new_social in html and old_social not in html
    assert task_backend.deferred  # the deletion of the old files
    with time_machine.travel(timezone.now() + timedelta(days=2), tick=False):
        assert task_backend.run_due() == 1
    assert not storages["default"].exists(old_social.removeprefix("/media/"))
    assert storages["default"].exists(new_social.removeprefix("/media/"))


def test_until_the_job_has_run_pages_use_the_previous_renditions(client, publication):
    image = make_image()
    article = make_article(image=image)
    before = image.renditions().largest.url
    image.focal_y = 0.1
    media.image_save(image=image)  # not committed: the job has not run
    image.refresh_from_db()
    assert image.version == 2 and not image.renditions_are_current
    html = client.get(article.get_absolute_url()).content.decode()
    assert before in html


def test_a_late_job_for_an_older_version_changes_nothing(publication):
    image = make_image(renditions=False)
    Image.objects.filter(pk=image.pk).update(version=5)  # someone moved the focal point meanwhile
    stale = Image.objects.get(pk=image.pk)
    stale.version = 4
    original = images.make_renditions
    made = []

    def make_for_old_version(current, **kwargs):
        current.version = 4
        manifest = original(current, **kwargs)
        made.append(manifest)
        return manifest

    images.make_renditions = make_for_old_version
    try:
        media.refresh_renditions(image.pk)
    finally:
        images.make_renditions = original
    image.refresh_from_db()
    assert image.renditions_data == {}  # the version-4 manifest was not swapped in
    assert made


def test_the_crops_keep_the_focal_point_in_view():
    # A wide picture with its subject at the right edge: every crop moves right, never past the edge.
    assert images.crop_box(2400, 1000, (1, 1), 0.9, 0.5) == (1400, 0, 2400, 1000)
    assert images.crop_box(2400, 1000, (1, 1), 0.5, 0.5) == (700, 0, 1700, 1000)
    assert images.crop_box(2400, 1000, (1, 1), 0.0, 0.5) == (0, 0, 1000, 1000)
    # A tall picture cropped to 16:9 around a face near the top.
    assert images.crop_box(1000, 2000, (16, 9), 0.5, 0.1) == (0, 0, 1000, 562)
    assert images.crop_box(1000, 2000, (16, 9), 0.5, 0.6) == (0, 919, 1000, 1481)


def test_the_social_image_is_1200_by_630_and_cropped_around_the_focal_point(publication):
    data = io.BytesIO()
    picture = PILImage.new("RGB", (2400, 1000), (0, 0, 255))
    picture.paste((255, 0, 0), (2200, 0, 2400, 1000))  # the subject: a red band at the right edge
    picture.save(data, format="JPEG", quality=95)
    image = make_image(data.getvalue(), focal_point=(0.9, 0.5))
    social = image.crop("social").largest
    assert (social.width, social.height) == (1200, 630)
    with storages["default"].open(social.url.removeprefix("/media/")) as handle, PILImage.open(handle) as crop:
        assert crop.getpixel((1190, 315))[0] > 200  # the red subject is in the crop, at its right
    centred = make_image(data.getvalue(), name="centred.jpg")
    centred_social = centred.crop("social").largest.url.removeprefix("/media/")
    with storages["default"].open(centred_social) as handle, PILImage.open(handle) as crop:
        assert crop.getpixel((1190, 315))[2] > 200  # centred, the red band is cut off


# Events: readers' pages hear of what they show.


def test_a_new_caption_is_announced_to_every_public_story_using_the_image(publication, section, committed):
    image = make_image(caption="Old")
    featured = make_article(image=image, section=section)
    in_body = Article(
        headline="In the text", section=section, status=Article.Status.PUBLISHED, body=media.figure_html(image)
    )
    with committed():
        services.article_save(article=in_body)
    draft = make_article(image=image, status=Article.Status.DRAFT, published_at=None)
    heard, stop = heard_events()
    try:
        image.caption = "New"
        with committed():
            media.image_save(image=image)
        image.title = "Only the title"
        with committed():
            media.image_save(image=image)
    finally:
        stop()
    (change,) = heard  # the title is not shown to readers: no second event
    assert change.kind == events.IMAGE_CHANGED
    assert {featured.get_absolute_url(), in_body.get_absolute_url(), "/"} <= change.paths
    assert draft.get_absolute_url() not in change.paths


def test_new_renditions_are_announced_once_they_exist(publication, committed):
    image = make_image()
    article = make_article(image=image)
    heard, stop = heard_events()
    try:
        image.focal_x = 0.2
        with committed():
            media.image_save(image=image)
    finally:
        stop()
    assert [change.kind for change in heard] == [events.IMAGE_CHANGED]
    assert article.get_absolute_url() in heard[0].paths


# The editor's endpoints.


def test_the_library_endpoint_searches_and_fetches_by_id(editor_client, publication):
    harbour = make_image(title="Harbour at dawn", credit="Photo: Ada", tags=["coast"])
    make_image(title="Council meeting", alt="People in a hall", name="meeting.jpg")
    url = reverse("admin:articles_image_library")
    results = editor_client.get(url, {"q": "harbour"}).json()["results"]
    assert [result["id"] for result in results] == [harbour.pk]
    assert results[0]["thumbnail"].startswith("/media/renditions/") and results[0]["credit"] == "Photo: Ada"
    assert [r["id"] for r in editor_client.get(url, {"q": "coast"}).json()["results"]] == [harbour.pk]
    assert [r["id"] for r in editor_client.get(url, {"ids": f"{harbour.pk},x,999"}).json()["results"]] == [harbour.pk]
    for hostile in ["\x00", "%", "' OR 1=1 --", "a" * 5000]:
        assert editor_client.get(url, {"q": hostile, "page": "-1"}).status_code == 200


def test_the_editor_uploads_without_leaving_the_story(editor_client, publication):
    url = reverse("admin:articles_image_upload")
    response = editor_client.post(url, {"file": upload(), "alt": "Boats", "credit": "Photo: Ada", "licence": "staff"})
    assert response.status_code == 201
    image = Image.objects.get(pk=response.json()["image"]["id"])
    assert image.alt == "Boats" and image.renditions_are_current
    bad = editor_client.post(url, {"file": upload("x.png", b"not an image"), "alt": "x", "licence": "staff"})
    assert bad.status_code == 400 and "Upload a valid image" in bad.json()["errors"]["file"][0]["message"]
    assert editor_client.post(url, {"alt": "no file", "licence": "staff"}).status_code == 400
    assert editor_client.get(url).status_code == 405
    assert Image.objects.count() == 1


def test_the_endpoints_are_closed_to_readers_and_to_staff_without_permission(client, publication, django_user_model):
    for name in ["library", "upload", "embed_check"]:
        assert client.get(reverse(f"admin:articles_image_{name}")).status_code == 302
    outsider = django_user_model.objects.create_user("outsider", "o@example.com", "pw", is_staff=True)
    client.force_login(outsider)
    assert client.get(reverse("admin:articles_image_library")).status_code == 403
    assert client.post(reverse("admin:articles_image_upload"), {"file": upload(), "alt": "x"}).status_code == 403
    assert not Image.objects.exists()


def test_the_upload_endpoint_needs_the_csrf_token(publication, editor):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(editor)
    response = csrf_client.post(reverse("admin:articles_image_upload"), {"file": upload(), "alt": "x"})
    assert response.status_code == 403 and not Image.objects.exists()


# The admin: list, filters, used in, the desk's flag.


def test_the_library_list_filters_by_rights_and_use(editor_client, publication):
    today = timezone.localdate()
    expired = make_image(title="Expired", rights_expire_at=today - timedelta(days=1), name="e.jpg")
    make_image(title="Valid", rights_expire_at=today + timedelta(days=300), name="v.jpg")
    used = make_image(title="Used", name="u.jpg")
    make_article(image=used)
    changelist = reverse("admin:articles_image_changelist")
    html = editor_client.get(changelist).content.decode()
    assert "Expired on" in html and 'class="media-thumbnail"' in html
    assert "Expired" in editor_client.get(changelist + "?rights=expired").content.decode()
    assert "Valid" not in editor_client.get(changelist + "?rights=expired").content.decode()
    assert ">Used<" in editor_client.get(changelist + "?use=used").content.decode()
    assert ">Used<" not in editor_client.get(changelist + "?use=unused").content.decode()
    assert list(Image.objects.rights_expired()) == [expired]
    assert editor_client.get(changelist + "?q=harbour").status_code == 200


def test_the_image_page_lists_the_stories_that_use_it(editor_client, publication, section, committed):
    image = make_image()
    make_article(headline="Featured story", image=image)
    body_story = Article(headline="Body story", section=section, body=media.figure_html(image))
    with committed():
        services.article_save(article=body_story)
    html = editor_client.get(reverse("admin:articles_image_change", args=[image.pk])).content.decode()
    assert "Featured story" in html and "featured image" in html
    assert "Body story" in html and "in the text" in html


def test_the_desk_flags_stories_showing_an_image_whose_rights_expired(editor_client, desk, publication, section):
    image = make_image(rights_expire_at=timezone.localdate() - timedelta(days=1))
    story = make_article(headline="Old photo story", section=section, body=media.figure_html(image))
    from articles.models import BodyImage

    BodyImage.objects.create(article=story, image=image)
    html = desk.get(reverse("admin:index")).content.decode()
    assert "Images whose rights expired" in html and "Old photo story" in html
    change = desk.get(reverse("admin:articles_article_change", args=[story.pk])).content.decode()
    assert "usage rights have expired" in change
    filtered = desk.get(reverse("admin:articles_article_changelist") + "?image_rights=expired").content.decode()
    assert "Old photo story" in filtered


def test_the_article_form_chooses_a_library_image(editor_client, publication, section):
    from tests.html_forms import admin_form

    image = make_image(title="Harbour at dawn")
    add = reverse("admin:articles_article_add")
    data = admin_form(editor_client, add, "article_form")
    data.update(headline="Chosen from the library", section=str(section.pk), image=str(image.pk))
    assert editor_client.post(add, data).status_code == 302
    assert Article.objects.get().image == image
    found = editor_client.get(
        reverse("admin:autocomplete"),
        {"term": "harbour", "app_label": "articles", "model_name": "article", "field_name": "image"},
    ).json()
    assert [result["text"] for result in found["results"]] == ["Harbour at dawn"]
