"""Hostile input to every editor form besides the article's: a clear field error, nothing saved, no 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Author, Page, Publication, Publisher, Section
from tests.factories import image_upload, make_image, make_publisher, make_section

pytestmark = pytest.mark.django_db

NOT_AN_IMAGE = [
    SimpleUploadedFile("logo.png", b"GIF89a<script>alert(1)</script>", content_type="image/png"),
    SimpleUploadedFile("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    SimpleUploadedFile("logo.html", b"<html><body>hi</body></html>", content_type="text/html"),
]


def publisher_data(**overrides):
    data = {"name": "Meridian Wire", "slug": "meridian-wire", "description": "A wire.", "website": ""}
    data.update(overrides)
    return data


@pytest.mark.parametrize("upload", NOT_AN_IMAGE, ids=["fake-png", "svg", "html"])
def test_publisher_logo_must_be_a_real_image(editor_client, upload):
    response = editor_client.post(reverse("admin:articles_publisher_add"), publisher_data(logo=upload))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Upload a valid image" in html or "File extension" in html
    assert "Meridian Wire" in html, "the typed name is kept"
    assert not Publisher.objects.exists()


def test_publisher_with_a_real_logo_is_saved(editor_client):
    response = editor_client.post(
        reverse("admin:articles_publisher_add"), publisher_data(logo=image_upload("logo.png"))
    )
    assert response.status_code == 302
    assert Publisher.objects.get().logo.name.startswith("publishers/")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "This field is required"),
        ("name", "n" * 500, "Ensure this value has at most 120 characters"),
        ("slug", "Ünïcode slug!", "Enter a valid “slug”"),
        ("description", "d" * 300, "Ensure this value has at most 255 characters"),
        ("website", "javascript:alert(1)", "Enter a valid URL"),
        ("website", "http://exa mple.com", "Enter a valid URL"),
        ("name", "nul\x00byte", "Null characters are not allowed"),
    ],
)
def test_publisher_form_refuses_hostile_values(editor_client, field, value, message):
    response = editor_client.post(reverse("admin:articles_publisher_add"), publisher_data(**{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Publisher.objects.exists()


def test_duplicate_publisher_slug_is_refused(editor_client):
    make_publisher(slug="meridian-wire")
    response = editor_client.post(reverse("admin:articles_publisher_add"), publisher_data(name="Other"))
    assert "Publisher with this Slug already exists" in response.content.decode()


@pytest.mark.parametrize("upload", NOT_AN_IMAGE, ids=["fake-png", "svg", "html"])
def test_publication_logo_must_be_a_real_image(editor_client, publication, upload):
    data = {"name": "Gazette", "tagline": "", "issn": "2330-717X", "description": "", "language": "en"}
    response = editor_client.post(
        reverse("admin:articles_publication_change", args=[publication.pk]), {**data, "logo": upload}
    )
    assert response.status_code == 200
    assert not Publication.objects.get().logo


def test_publication_name_is_required_and_bounded(editor_client, publication):
    url = reverse("admin:articles_publication_change", args=[publication.pk])
    base = {"tagline": "", "issn": "2330-717X", "description": "", "language": "en"}
    assert "This field is required" in editor_client.post(url, {**base, "name": ""}).content.decode()
    too_long = editor_client.post(url, {**base, "name": "x" * 500}).content.decode()
    assert "Ensure this value has at most 120 characters" in too_long
    assert Publication.objects.get().name == "The Test Gazette"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "slug": "x", "position": "0"}, "This field is required"),
        ({"name": "World", "slug": "bad slug", "position": "0"}, "Enter a valid “slug”"),
        ({"name": "World", "slug": "world", "position": "-1"}, "Ensure this value is greater than or equal to 0"),
        ({"name": "World", "slug": "world", "position": "abc"}, "Enter a whole number"),
        ({"name": "Taken", "slug": "taken", "position": "0"}, "Section with this Slug already exists"),
    ],
)
def test_section_form_refuses_hostile_values(editor_client, data, message):
    make_section(name="Existing", slug="taken")
    response = editor_client.post(reverse("admin:articles_section_add"), {"description": "", **data})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Section.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "slug": "x"}, "This field is required"),
        ({"name": "Ada", "slug": "../../etc/passwd"}, "Enter a valid “slug”"),
        ({"name": "A" * 300, "slug": "ada"}, "Ensure this value has at most 120 characters"),
        ({"name": "Ada", "slug": "ada", "user": "999999"}, "Select a valid choice"),
        ({"name": "Ada", "slug": "ada", "user": "<script>"}, "Select a valid choice"),
        ({"name": "Ada", "slug": "ada", "links": "javascript:alert(1)"}, "Line 1 is not a web address"),
        ({"name": "Ada", "slug": "ada", "links": "https://ok.example\nftp://files.example"}, "Line 2 is not"),
        ({"name": "Ada", "slug": "ada", "links": "\n".join(f"https://e{n}.example" for n in range(11))}, "at most 10"),
        ({"name": "Ada", "slug": "ada", "bio": "b" * 1001}, "Ensure this value has at most 1000 characters"),
    ],
)
def test_author_form_refuses_hostile_values(editor_client, data, message):
    response = editor_client.post(reverse("admin:articles_author_add"), {"title": "", "bio": "", "user": "", **data})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Author.objects.exists()


@pytest.mark.parametrize("photo", ["999999", "-1", "abc", "1; DROP TABLE articles_image", "\x00"])
def test_an_author_photo_names_a_library_image_or_nothing(editor_client, photo):
    """Portraits live in the media library (with its upload checks); the author form only picks one."""
    response = editor_client.post(reverse("admin:articles_author_add"), {"name": "Ada", "slug": "ada", "photo": photo})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Select a valid choice" in html or "Null characters are not allowed" in html
    assert not Author.objects.exists()


def test_an_author_with_photo_and_links_is_saved_tidily(editor_client):
    portrait = make_image(title="Portrait of Ada")
    response = editor_client.post(
        reverse("admin:articles_author_add"),
        {
            "name": "Ada",
            "slug": "ada",
            "photo": portrait.pk,
            "links": "  https://ada.example  \n\n https://social.example/@ada \n",
        },
    )
    assert response.status_code == 302
    author = Author.objects.get()
    assert author.photo == portrait
    assert author.links == "https://ada.example\nhttps://social.example/@ada"
    assert author.link_list == ["https://ada.example", "https://social.example/@ada"]


@pytest.mark.parametrize("field", ["section", "publisher", "kind"])
@pytest.mark.parametrize("value", ["<script>", "1 OR 1=1", "99999999999999999999999", "-1"])
def test_the_article_form_survives_garbage_in_its_choice_fields(editor_client, publication, field, value):
    from tests.articles.desk import change_url
    from tests.factories import make_article
    from tests.html_forms import admin_form

    article = make_article(section=make_section())
    data = admin_form(editor_client, change_url(article), "article_form")
    data[field] = value
    data["bylines-0-author"] = value
    response = editor_client.post(change_url(article), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_author_bio_is_escaped_on_the_author_page(client, publication):
    from tests.factories import make_article, make_author

    author = make_author(name="<b>Ada</b>", bio="<script>alert(1)</script>")
    make_article(authors=[author])
    html = client.get(author.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_page_form_refuses_reserved_and_bad_slugs_and_sanitises_the_body(editor_client, publication):
    url = reverse("admin:articles_page_add")
    data = {
        "title": "About us",
        "slug": "admin",
        "kind": Page.Kind.ABOUT,
        "summary": "",
        "body": "<p>Hi</p>",
        "is_published": "on",
        "is_in_footer": "on",
        "position": "0",
    }
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert not Page.objects.exists()
    response = editor_client.post(
        url, {**data, "slug": "about", "body": '<p onclick="x()">Hi<script>bad()</script></p>'}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Page.objects.get().body == "<p>Hi</p>"
