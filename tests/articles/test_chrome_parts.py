"""The masthead, menu and footer are rendered once per version of the site chrome, and change with it at once."""

from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.autoreload import file_changed

from articles.templatetags import reader
from newsroom.fragments import template_source_digest
from tests.factories import make_article, make_page, make_section

pytestmark = pytest.mark.django_db


def _masthead(html):
    return html.split('<header class="masthead"')[1].split("</header>")[0]


def _footer(html):
    return html.split('<footer class="site-footer"')[1].split("</footer>")[0]


def test_rendered_once_then_every_change_of_the_chrome_shows_at_once(client, publication, section):
    make_article(section=section)
    first = client.get("/").content.decode()
    assert section.name in _masthead(first)
    kept = dict(reader._chrome_parts)
    assert {key[0] for key in kept} == {"includes/header.html", "includes/footer.html"}

    client.get(section.get_absolute_url())  # another page: the same parts, nothing rendered again
    assert reader._chrome_parts == kept

    section.name = "Renamed desk"
    section.save()
    publication.issn = "2330-717X"
    publication.save()
    make_page(title="About us", slug="about", is_in_footer=True)
    make_section(name="New desk", slug="new-desk")
    html = client.get("/").content.decode()
    assert "Renamed desk" in _masthead(html) and "New desk" in _masthead(html)
    assert "ISSN 2330-717X" in _masthead(html) and "ISSN 2330-717X" in _footer(html)
    assert "About us" in _footer(html)


def test_a_search_query_in_the_header_never_reaches_another_page(client, publication, section):
    make_article(section=section, headline="Harbour story")
    searched = client.get("/search/", {"q": "<harbour>"}).content.decode()
    assert 'value="&lt;harbour&gt;"' in _masthead(searched)
    for url in ["/", "/search/", section.get_absolute_url()]:
        assert "harbour&gt;" not in _masthead(client.get(url).content.decode()), url


def test_a_search_page_keeps_its_header_under_its_query(client, publication, section):
    make_article(section=section, headline="Harbour story")
    client.get("/search/", {"q": "harbour"})
    kept = dict(reader._chrome_parts)
    assert ("includes/header.html", "harbour") in {key[:2] for key in kept}
    again = client.get("/search/", {"q": "harbour"}).content.decode()
    assert reader._chrome_parts == kept and 'value="harbour"' in _masthead(again)
    other = client.get("/search/", {"q": "ferry"}).content.decode()
    assert 'value="ferry"' in _masthead(other) and 'value="harbour"' not in _masthead(other)


def test_the_kept_parts_cost_no_query(client, publication, section):
    make_article(section=section)
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    assert not [q for q in queries.captured_queries if "articles_section" in q["sql"] or "articles_page" in q["sql"]]


def test_the_development_server_forgets_template_sources_when_a_file_changes(client, publication, section):
    """runserver reloads edited templates without restarting: kept parts and cards must not outlive the source."""
    client.get("/")
    assert template_source_digest.cache_info().currsize > 0
    file_changed.send(sender=None, file_path=Path("templates/includes/header.html"))
    assert template_source_digest.cache_info().currsize == 0
