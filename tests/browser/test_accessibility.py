"""axe-core in headless Chromium on the reader pages, plus the checks axe cannot make: narrow screens,
keyboard focus and print. Screenshots land in test-artifacts/screenshots/ for a person to look at."""

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles import demo_media, demo_reference
from articles.models import Article
from comments.models import Comment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="module")
def axe_source():
    if not AXE.exists():
        message = "axe-core is not installed: run `make test` (npm ci) first"
        if os.environ.get("NEWSROOM_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def demo_site(settings, live_server):
    settings.DEBUG = False
    call_command("load_demo", "--no-admin", stdout=io.StringIO())
    return live_server


def reader_pages(demo_site):
    article = Article.objects.get(headline=demo_reference.HEADLINE)
    illustrated = Article.objects.published().exclude(image=None).first()
    every_medium = Article.objects.get(slug=demo_media.MEDIA_ARTICLE["slug"])
    return {
        "front": "/",
        "article": article.get_absolute_url(),
        "article-with-image": illustrated.get_absolute_url(),
        "article-with-every-kind-of-media": every_medium.get_absolute_url(),
        "search": "/search/?q=defense+ministers",
        "search-filtered": "/search/?q=japan&section=world&start=not-a-date",
        "tag": "/tag/japan/",
        "section": "/section/world/",
        "archive": "/archive/",
        "page": "/privacy-policy/",
        "author": "/author/mei-lin-hsu/",
        "opinion": "/articles/opinion-eastbrook-cannot-afford-another-decade-of-patchwork-bus-funding/",
        "report-comment": reverse("comments:flag", args=[Comment.objects.public().first().pk]),
    }


def load_everything(page):
    """Scroll down a screen at a time and back, so lazy images load before a full-page screenshot."""
    height = page.evaluate("document.documentElement.scrollHeight")
    step = page.viewport_size["height"]
    for top in range(0, height + step, step):
        page.evaluate(f"window.scrollTo(0, {top})")
        page.wait_for_timeout(50)
    page.wait_for_load_state("networkidle")
    page.evaluate("window.scrollTo(0, 0)")


def axe_violations(page, axe_source):
    """Inject axe (through the DevTools protocol, so a strict CSP would not block it) and run it."""
    page.evaluate(axe_source)
    results = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return [violation for violation in results["violations"] if violation["impact"] in BLOCKING]


def describe(violations):
    lines = []
    for violation in violations:
        lines.append(f"{violation['impact']}: {violation['id']} – {violation['help']}")
        lines += [f"    {node['target']}: {node['failureSummary']}" for node in violation["nodes"][:5]]
    return "\n".join(lines)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_reader_pages_have_no_serious_or_critical_axe_violations(
    page, phone_page, demo_site, axe_source, screenshot, viewport
):
    browser_page = page if viewport == "desktop" else phone_page
    failures = {}
    for name, path in reader_pages(demo_site).items():
        response = browser_page.goto(demo_site.url + path)
        assert response.status == 200, path
        load_everything(browser_page)
        screenshot(browser_page, f"{name}-{viewport}")
        violations = axe_violations(browser_page, axe_source)
        if violations:
            failures[path] = describe(violations)
    assert not failures, "\n\n".join(f"{path}\n{text}" for path, text in failures.items())


def test_pages_fit_a_320_pixel_screen(chromium, demo_site, screenshot):
    context = chromium.new_context(viewport={"width": 320, "height": 640}, is_mobile=True, device_scale_factor=2)
    narrow = context.new_page()
    try:
        for name, path in reader_pages(demo_site).items():
            narrow.goto(demo_site.url + path)
            load_everything(narrow)
            width = narrow.evaluate("document.documentElement.scrollWidth")
            assert width <= 320, f"{path} scrolls sideways at 320 px ({width} px wide)"
            screenshot(narrow, f"{name}-320")
    finally:
        context.close()


def test_skip_link_and_focus_are_visible_from_the_keyboard(page, demo_site, screenshot):
    page.goto(demo_site.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    box = page.locator(".skip-link").bounding_box()
    assert box["y"] >= 0 and box["height"] > 0, "the skip link stays off screen when focused"
    screenshot(page, "skip-link-focused", full_page=False)
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused link shows no outline"


def test_images_reserve_their_space_and_load_lazily_below_the_fold(page, demo_site):
    page.goto(demo_site.url + "/")
    images = page.evaluate(
        """() => Array.from(document.querySelectorAll('main img')).map(img => ({
            width: img.getAttribute('width'), height: img.getAttribute('height'), alt: img.getAttribute('alt'),
            loading: img.getAttribute('loading'), lead: !!img.closest('.lead-story'),
            current: img.currentSrc}))"""
    )
    assert images
    for image in images:
        assert image["width"] and image["height"] and image["alt"] is not None
        assert "/renditions/" in (image["current"] or "/renditions/")
        assert image["loading"] == (None if image["lead"] else "lazy")


def test_print_stylesheet_keeps_the_story_and_drops_the_chrome(page, demo_site, screenshot):
    article = Article.objects.get(headline=demo_reference.HEADLINE)
    page.goto(demo_site.url + article.get_absolute_url())
    page.emulate_media(media="print")
    screenshot(page, "article-print")
    for hidden in [".site-nav", ".comments", ".tag-list", ".site-footer nav"]:
        assert not page.locator(hidden).first.is_visible(), hidden
    assert page.locator(".article-body").is_visible()
    assert page.locator(".publisher-box").is_visible()


def test_the_axe_harness_does_report_violations(page, axe_source):
    """Guards the harness itself: a page with known faults must fail, or the checks above prove nothing."""
    page.set_content('<html><body><img src="x.png"><input type="text"><a href="#"></a></body></html>')
    ids = {violation["id"] for violation in axe_violations(page, axe_source)}
    assert {"image-alt", "label", "link-name"} <= ids
