import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article, Publication
from tests.factories import image_bytes, image_upload, make_article, make_author, make_publisher

pytestmark = pytest.mark.django_db


def article_form_data(section, /, **overrides):
    data = {
        "headline": "Council approves new budget",
        "slug": "",
        "dek": "The vote was close.",
        "body": "<p>The council voted 5-4.</p>",
        "status": Article.Status.DRAFT,
        "published_at_0": "",
        "published_at_1": "",
        "section": section.pk,
        "tags": "Budget, Local politics",
        "comment_policy": Article.CommentPolicy.OPEN,
        "publisher": "",
        "original_url": "",
        "rights": "",
        "image": "",
        "new_image_alt": "",
        "new_image_caption": "",
        "new_image_credit": "",
        "bylines-TOTAL_FORMS": "0",
        "bylines-INITIAL_FORMS": "0",
        "bylines-MIN_NUM_FORMS": "0",
        "bylines-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_editor_admin_pages_load(editor_client, publication, section):
    article = make_article(section=section, authors=[make_author()], publisher=make_publisher(), tags=["Japan"])
    urls = [
        reverse("admin:index"),
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_article_add"),
        reverse("admin:articles_article_change", args=[article.pk]),
        reverse("admin:articles_section_changelist"),
        reverse("admin:articles_author_changelist"),
        reverse("admin:articles_publisher_changelist"),
        reverse("admin:articles_publication_change", args=[publication.pk]),
        reverse("admin:articles_article_changelist") + "?q=Headline&status__exact=published&tag=japan",
        reverse("admin:articles_article_changelist") + f"?published_at__year={article.published_at.year}",
    ]
    for url in urls:
        assert editor_client.get(url).status_code == 200, url


def test_change_page_offers_view_on_site_and_prepopulated_slug(editor_client, publication, section):
    article = make_article(section=section)
    html = editor_client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert "View on site" in html
    assert "prepopulated_fields" in html or "data-prepopulated-field" in html or "prepopulated" in html
    assert "data-suggest-url" in html


def test_editor_creates_an_article_with_tags_and_bylines(editor_client, section):
    author = make_author(name="Mina Park")
    data = article_form_data(
        section,
        **{
            "bylines-TOTAL_FORMS": "1",
            "bylines-0-author": author.pk,
            "bylines-0-position": "0",
            "body": "<p onclick='x()'>Safe <script>alert(1)</script>text</p>",
        },
    )
    response = editor_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get()
    assert article.slug == "council-approves-new-budget"
    assert sorted(article.tags.names()) == ["Budget", "Local politics"]
    assert article.authors_in_order == [author]
    assert article.body == "<p>Safe text</p>"


def test_featured_image_upload_joins_the_library_and_is_previewed(editor_client, section):
    data = article_form_data(
        section,
        new_image=image_upload("photo.jpg", format="JPEG"),
        new_image_alt="A red square",
        new_image_caption="Red",
        new_image_credit="Photo: Ada",
    )
    assert editor_client.post(reverse("admin:articles_article_add"), data).status_code == 302
    article = Article.objects.get()
    image = article.image
    assert image.file.name.startswith("originals/")  # the private store, never MEDIA_ROOT
    assert (image.width, image.alt, image.caption, image.credit) == (64, "A red square", "Red", "Photo: Ada")
    assert image.title == "Council approves new budget"
    assert image.renditions_are_current  # the job ran when the request committed
    html = editor_client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert 'class="admin-image-preview"' in html


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("evil.png", b"<?php system($_GET['c']); ?>", content_type="image/png"),
            "Upload a valid image",
        ),
        (SimpleUploadedFile("doc.pdf", b"%PDF-1.4 fake", content_type="application/pdf"), "Upload a valid image"),
        (SimpleUploadedFile("empty.png", b"", content_type="image/png"), "The submitted file is empty"),
        (
            SimpleUploadedFile(
                "x.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', content_type="image/svg+xml"
            ),
            "Upload a valid image",
        ),
        (SimpleUploadedFile("real.exe", image_bytes(), content_type="image/png"), "File extension"),
    ],
)
def test_non_image_uploads_get_a_clear_error_and_nothing_is_lost(editor_client, section, upload, message):
    from articles.models import Image

    data = article_form_data(section, new_image=upload, new_image_alt="alt", headline="Keep this headline")
    response = editor_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Keep this headline" in html
    assert not Article.objects.exists()
    assert not Image.objects.exists()


def test_oversized_upload_is_refused_with_the_limit(editor_client, section, settings):
    settings.MAX_UPLOAD_BYTES = 100
    data = article_form_data(section, new_image=image_upload(size=(400, 400)), new_image_alt="alt")
    response = editor_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    assert "the largest allowed is 100" in response.content.decode()


def test_image_without_alt_text_is_refused_unless_decorative(editor_client, section):
    response = editor_client.post(
        reverse("admin:articles_article_add"), article_form_data(section, new_image=image_upload())
    )
    assert response.status_code == 200
    assert "Describe the image for readers who cannot see it" in response.content.decode()
    assert not Article.objects.exists()
    response = editor_client.post(
        reverse("admin:articles_article_add"),
        article_form_data(section, new_image=image_upload(), new_image_is_decorative="on"),
    )
    assert response.status_code == 302
    assert Article.objects.get().image.alt_text == ""


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("headline", "x" * 300, "Ensure this value has at most 255 characters"),
        ("headline", "   ", "This field is required"),
        ("slug", "not a slug!", "Enter a valid “slug”"),
        ("slug", "s" * 250, "Ensure this value has at most 200 characters"),
        ("original_url", "javascript:alert(1)", "Enter a valid URL"),
        ("section", "999999", "Select a valid choice"),
        ("status", "hacked", "Select a valid choice"),
        ("published_at_0", "31/02/2026", "Enter a valid date"),
    ],
)
def test_hostile_article_input_gets_a_field_error(editor_client, section, field, value, message):
    response = editor_client.post(reverse("admin:articles_article_add"), article_form_data(section, **{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Article.objects.exists()


def test_duplicate_slug_is_refused(editor_client, section):
    make_article(slug="taken", section=section)
    response = editor_client.post(reverse("admin:articles_article_add"), article_form_data(section, slug="taken"))
    assert "Article with this Slug already exists" in response.content.decode()


def test_invalid_issn_is_refused_with_a_clear_message(editor_client, publication):
    url = reverse("admin:articles_publication_change", args=[publication.pk])
    data = {"name": "Gazette", "tagline": "", "issn": "2330-7170", "description": "", "language": "en"}
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "2330-7170 is not a valid ISSN: its check digit should be X." in response.content.decode()
    data["issn"] = "2330-717x"
    assert editor_client.post(url, data).status_code == 302
    assert Publication.objects.get().issn == "2330-717X"


def test_second_publication_cannot_be_added(editor_client, publication):
    assert editor_client.get(reverse("admin:articles_publication_add")).status_code == 403


def test_a_fresh_site_has_one_default_publication_to_edit():
    publication = Publication.objects.get()
    assert publication.name == "Newsroom"
    assert Publication.objects.current() == publication


def test_bulk_publish_and_unpublish(editor_client, section):
    drafts = [make_article(section=section, status=Article.Status.DRAFT, published_at=None) for _ in range(2)]
    url = reverse("admin:articles_article_changelist")
    editor_client.post(url, {"action": "publish_now", "_selected_action": [a.pk for a in drafts]})
    assert Article.objects.published().count() == 2
    editor_client.post(url, {"action": "unpublish", "_selected_action": [drafts[0].pk]})
    assert list(Article.objects.published()) == [drafts[1]]
    assert Article.objects.get(pk=drafts[0].pk).status == Article.Status.UNPUBLISHED


def test_tag_suggestions_complete_existing_tags(editor_client, section):
    make_article(section=section, tags=["Japan", "Jazz", "Economy"])
    response = editor_client.get(reverse("admin:articles_article_tag_suggestions"), {"q": "ja"})
    assert response.json() == {"results": ["Japan", "Jazz"]}


def test_admin_is_closed_to_anonymous_visitors(client, publication):
    response = client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 302
    assert client.get(reverse("admin:articles_article_tag_suggestions")).status_code == 302


def test_image_with_too_many_pixels_is_refused_before_decoding(editor_client, section, settings):
    settings.IMAGE_MAX_PIXELS = 1_000_000
    data = article_form_data(
        section, new_image=image_upload("huge.png", size=(2000, 1000)), new_image_alt="alt", headline="Keep me"
    )
    response = editor_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    assert "This image is 2000×1000 pixels; the largest allowed is 1 megapixels." in response.content.decode()
    assert not Article.objects.exists()


def test_canonical_option_without_original_url_is_refused(editor_client, section):
    data = article_form_data(section, is_original_canonical="on", publisher=make_publisher().pk)
    response = editor_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    assert "Give the original URL that the canonical link should point to." in response.content.decode()


def test_saving_in_the_admin_indexes_tags_and_bylines_for_search(editor_client, section, publication):
    author = make_author(name="Ingrid Svensson")
    data = article_form_data(
        section,
        headline="Quiet harbour day",
        status=Article.Status.PUBLISHED,
        published_at_0="2020-01-01",
        published_at_1="10:00:00",
        tags="Lighthouse",
        **{
            "bylines-TOTAL_FORMS": "1",
            "bylines-0-author": author.pk,
            "bylines-0-position": "0",
        },
    )
    assert editor_client.post(reverse("admin:articles_article_add"), data).status_code == 302
    for word in ["lighthouse", "svensson", "harbour"]:
        html = editor_client.get(reverse("articles:search"), {"q": word}).content.decode()
        assert "Quiet harbour day" in html, word


@pytest.mark.parametrize("query", ["\x00", "a\x00b", "' OR 1=1 --", "%", "x" * 5000])
def test_admin_search_survives_hostile_queries(editor_client, section, query):
    make_article(section=section)
    assert editor_client.get(reverse("admin:articles_article_changelist"), {"q": query}).status_code == 200
    assert editor_client.get(reverse("admin:articles_article_tag_suggestions"), {"q": query}).status_code == 200
