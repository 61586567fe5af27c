import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from articles.models import Page
from tests.factories import make_page

pytestmark = pytest.mark.django_db


def test_published_page_is_shown_at_its_own_address(client, publication):
    page = make_page(title="About us", slug="about", kind="about", summary="Who we are.", body="<p>We report.</p>")
    response = client.get("/about/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="article-headline">About us</h1>' in html
    assert "<p>We report.</p>" in html
    assert page.get_absolute_url() == "/about/"


def test_unpublished_page_is_404_for_readers_and_a_preview_for_editors(editor_client, publication):
    from django.test import Client

    make_page(title="Draft policy", slug="draft-policy", is_published=False)
    assert Client().get("/draft-policy/").status_code == 404
    response = editor_client.get("/draft-policy/")
    assert response.status_code == 200
    assert "Preview: this page is not published." in response.content.decode()
    assert "no-cache" in response["Cache-Control"]


def test_footer_links_published_footer_pages_in_order(client, publication):
    make_page(title="Privacy policy", slug="privacy", kind="privacy", position=2)
    make_page(title="About us", slug="about", kind="about", position=1)
    make_page(title="Hidden", slug="hidden", is_published=False)
    make_page(title="Not in footer", slug="elsewhere", is_in_footer=False)
    html = client.get("/").content.decode()
    footer = html[html.index('<footer class="site-footer"') :]
    assert footer.index('href="/about/"') < footer.index('href="/privacy/"')
    assert "/hidden/" not in footer and "/elsewhere/" not in footer
    assert 'href="/archive/"' in footer and 'href="/feed/"' in footer


def test_footer_follows_page_edits(client, publication):
    page = make_page(title="Contact", slug="contact", kind="contact")
    assert ">Contact</a>" in client.get("/").content.decode()
    page.title = "Write to us"
    page.save()
    assert ">Write to us</a>" in client.get("/").content.decode()
    page.delete()
    assert "Write to us" not in client.get("/").content.decode()


def test_page_body_is_sanitised(publication):
    page = make_page(body='<p onclick="x()">Hi<script>alert(1)</script></p>')
    assert page.body == "<p>Hi</p>"


def test_reserved_slugs_are_refused(publication):
    for slug in ["search", "admin", "feed", "archive", "tag"]:
        page = Page(title="Sneaky", slug=slug)
        with pytest.raises(ValidationError) as error:
            page.full_clean()
        assert error.value.error_dict["slug"][0].code == "reserved_slug"


def test_one_page_of_each_policy_kind(publication):
    make_page(kind="corrections", slug="corrections")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_page(kind="corrections", slug="corrections-2")
    make_page(kind="other", slug="one")
    make_page(kind="other", slug="two")


def test_page_json_ld_names_the_kind(client, publication):
    import json
    import re

    make_page(title="Contact", slug="contact", kind="contact")
    html = client.get("/contact/").content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1))
    assert data["@type"] == "ContactPage"
    assert data["publisher"]["@type"] == "NewsMediaOrganization"


def test_page_view_costs_one_query_once_warm(client, publication, django_assert_max_num_queries):
    make_page(slug="about", kind="about")
    client.get("/about/")
    with django_assert_max_num_queries(1):
        client.get("/about/")


def test_editor_creates_a_page_in_the_admin(editor_client, publication):
    response = editor_client.post(
        "/admin/articles/page/add/",
        {
            "title": "  Ethics   policy ",
            "slug": "ethics",
            "kind": "ethics",
            "summary": "",
            "body": "<p>Our standards.</p>",
            "is_published": "on",
            "is_in_footer": "on",
            "position": "1",
        },
    )
    assert response.status_code == 302
    assert Page.objects.get(slug="ethics").title == "Ethics policy"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "   ", "This field is required."),
        ("slug", "search", "is used by another part of the site"),
        ("slug", "../etc", "Enter a valid “slug”"),
        ("kind", "sneaky", "Select a valid choice."),
        ("title", "x" * 500, "Ensure this value has at most 200 characters"),
    ],
)
def test_admin_page_form_refuses_hostile_input_clearly(editor_client, publication, field, value, message):
    data = {"title": "About", "slug": "about", "kind": "about", "position": "0", "body": ""}
    data[field] = value
    response = editor_client.post("/admin/articles/page/add/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Page.objects.exists()


def test_admin_refuses_a_second_corrections_policy(editor_client, publication):
    make_page(kind="corrections", slug="corrections")
    response = editor_client.post(
        "/admin/articles/page/add/",
        {"title": "Another", "slug": "another", "kind": "corrections", "position": "0", "body": ""},
    )
    assert response.status_code == 200
    assert "There is already a page of this kind." in response.content.decode()


def test_demo_creates_the_five_pages(client):
    import io

    from django.core.management import call_command

    call_command("load_demo", "--no-admin", stdout=io.StringIO())
    assert set(Page.objects.values_list("kind", flat=True)) == {"about", "contact", "privacy", "corrections", "ethics"}
    privacy = client.get("/privacy-policy/").content.decode()
    assert "email address is never" in privacy


def test_discovery_pages_are_cacheable_and_free_of_inline_code(client, publication, section):
    """Same bytes for every anonymous reader, no cookies, no inline script (JSON-LD aside), style or handler."""
    import re

    from django.test import Client
    from django.utils import timezone

    from tests.factories import make_article

    make_page(title="About us", slug="about", kind="about")
    article = make_article(headline="Harbour news", section=section, tags=["Port"])
    make_article(headline="Harbour follow-up", section=section, tags=["Port"])
    month = timezone.localtime(article.published_at)
    urls = [
        "/about/",
        "/archive/",
        f"/archive/{month.year}/",
        f"/archive/{month.year}/{month.month:02d}/",
        f"/search/?q=harbour&section={section.slug}&start=2000-01-01&sort=newest",
        "/search/?q=harbour&start=bad",
        article.get_absolute_url(),
    ]
    for url in urls:
        first, second = client.get(url), Client().get(url)
        assert first.status_code == 200, url
        assert first.content == second.content, url
        assert not first.cookies, url
        html = first.content.decode()
        assert "csrfmiddlewaretoken" not in html, url
        assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>", html), url
        assert not re.search(r"\sstyle=", html), url
        assert not re.search(r"\son[a-z]+=", html), url
