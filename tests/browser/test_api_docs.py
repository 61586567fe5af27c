"""The API's documentation page renders in headless Chromium under a strict Content-Security-Policy."""

import pytest

from tests.factories import make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)


def test_the_docs_page_works_under_a_strict_csp(page, live_server, settings, screenshot):
    settings.DEBUG = False
    make_article(headline="Dam breaks")
    violations = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )

    def with_csp(route):
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": STRICT_CSP})

    page.route("**/*", with_csp)
    page.goto(live_server.url + "/api/v1/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=15_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/articles" in paths and "/api/v1/articles/{article_id}/comments" in paths
    page.locator(".opblock-summary-path", has_text="/api/v1/articles").first.click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    page.wait_for_selector(".live-responses-table .response-col_status", timeout=15_000)
    assert "Dam breaks" in page.locator(".live-responses-table").inner_text()
    screenshot(page, "api-docs")
    assert violations == []
