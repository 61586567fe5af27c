import io

import pytest
from django.core.management import call_command

from articles import demo_reference

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_site(settings, live_server):
    settings.DEBUG = False
    call_command("load_demo", "--no-admin", stdout=io.StringIO())
    return live_server


def test_reader_opens_the_reference_article_from_the_front_page(page, demo_site, screenshot):
    page.goto(demo_site.url + "/")
    assert page.locator(".masthead-issn").inner_text() == "ISSN 2330-717X"
    screenshot(page, "front-desktop")
    page.get_by_role("link", name=demo_reference.HEADLINE).first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == demo_reference.HEADLINE
    box = page.locator(".publisher-box")
    assert box.locator(".publisher-name").inner_text() == "DoD News"
    assert (
        box.locator(".publisher-description").inner_text() == "DoD News publishes news from the US Defense Department."
    )
    assert page.get_by_role("heading", name="Leave a Reply").is_visible()
    screenshot(page, "article-desktop")

    box.get_by_role("link", name="DoD News").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "DoD News"
    assert page.get_by_role("link", name=demo_reference.HEADLINE).is_visible()


def test_reader_follows_a_tag_and_a_section_on_a_phone(phone_page, demo_site, screenshot):
    phone_page.goto(demo_site.url + "/")
    screenshot(phone_page, "front-phone")
    phone_page.get_by_role("link", name=demo_reference.HEADLINE).first.click()
    phone_page.wait_for_load_state()
    screenshot(phone_page, "article-phone")
    phone_page.locator(".article .tag-list").get_by_role("link", name="Japan").click()
    phone_page.wait_for_load_state()
    assert phone_page.locator("h1").inner_text() == "Japan"
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, "the tag page scrolls sideways on a phone"
    phone_page.get_by_role("navigation", name="Sections").get_by_role("link", name="World").click()
    phone_page.wait_for_load_state()
    assert phone_page.locator("h1").inner_text() == "World"


def test_unknown_page_shows_the_friendly_404_with_masthead(page, demo_site):
    response = page.goto(demo_site.url + "/articles/no-such-story/")
    assert response.status == 404
    assert page.locator(".masthead-issn").inner_text() == "ISSN 2330-717X"
    assert page.locator("h1").inner_text() == "Page not found"
