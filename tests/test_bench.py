"""`make bench`'s floor view lives in the bench's own URLconf only, never in the site's."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_the_floor_view_is_not_part_of_the_site(client, publication):
    assert client.get("/bench-floor/").status_code == 404


@override_settings(ROOT_URLCONF="bench.urls")
def test_under_the_bench_urlconf_the_floor_is_a_constant_page_of_about_41_kb(client, publication):
    first, second = client.get("/bench-floor/"), client.get("/bench-floor/")
    assert first.status_code == 200 and first.content == second.content
    assert 40_000 <= len(first.content) <= 42_000
    assert client.get("/").status_code == 200  # the site's pages are all there beside it
