"""A table brought from WordPress survives the desk: the editor shows it, saving keeps it, readers see it."""

import pytest

from tests.factories import make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TABLE = "<table><tbody><tr><th>Party</th><th>Seats</th></tr><tr><td>Blue</td><td>12</td></tr></tbody></table>"


def test_an_imported_table_is_edited_and_kept(page, live_server, django_user_model, section, screenshot):
    django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-for-the-test")
    story = make_article(section=section, headline="Election results", body=f"<p>Results:</p>{TABLE}")
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "boss")
    page.fill("#id_password", "pw-for-the-test")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    page.locator(".prose-editor [contenteditable=true] table").wait_for()
    assert page.locator(".prose-editor [contenteditable=true] td").count() == 2
    screenshot(page, "imported-table-in-editor")
    page.click("input[name=_save]")
    page.wait_for_url(f"{live_server.url}/admin/articles/article/")
    assert errors == []
    story.refresh_from_db()
    assert "<td>Blue</td>" in story.body and "<th>" in story.body and story.version == 2
    page.goto(live_server.url + story.get_absolute_url())
    assert page.locator("article table td").first.inner_text() == "Blue"
    screenshot(page, "imported-table-for-readers")
