"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright; never a downloaded browser."""

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

# Playwright's sync API runs an event loop in this thread; Django's ORM calls in the
# test body are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_page(chromium):
    context = chromium.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, device_scale_factor=2)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot():
    """screenshot(page, "name") saves test-artifacts/screenshots/name.png for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name, *, full_page=True):
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take
