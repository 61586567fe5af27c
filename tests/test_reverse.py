"""newsroom.reverse: Django's reverse(), its answers kept per process under everything they depend on."""

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.urls import NoReverseMatch, path, set_script_prefix
from django.urls import reverse as django_reverse

from newsroom import reverse as reversing
from newsroom.reverse import reverse


@pytest.fixture(autouse=True)
def _fresh():
    reversing._kept_reverse.cache_clear()
    yield
    reversing._kept_reverse.cache_clear()


@pytest.mark.parametrize(
    ("name", "args", "kwargs"),
    [
        ("articles:front", None, None),
        ("articles:section", None, {"slug": "world"}),
        ("articles:tag", ["climate-change"], None),
        ("articles:archive-month", [2026, 5], None),
        ("admin:index", None, None),
    ],
)
def test_the_same_answers_as_django_and_kept(name, args, kwargs):
    expected = django_reverse(name, args=args, kwargs=kwargs)
    assert reverse(name, args=args, kwargs=kwargs) == expected
    assert reverse(name, args=args, kwargs=kwargs) == expected
    info = reversing._kept_reverse.cache_info()
    assert (info.misses, info.hits) == (1, 1)


def test_the_script_prefix_and_the_url_configuration_are_part_of_the_key():
    assert reverse("articles:section", kwargs={"slug": "world"}) == "/section/world/"
    set_script_prefix("/news/")
    try:
        assert reverse("articles:section", kwargs={"slug": "world"}) == "/news/section/world/"
    finally:
        set_script_prefix("/")
    with override_settings(ROOT_URLCONF=__name__):
        assert reverse("only-here", args=["x"]) == "/elsewhere/x/"
    assert reverse("articles:section", kwargs={"slug": "world"}) == "/section/world/"


def test_errors_and_unhashable_arguments_go_to_django():
    with pytest.raises(NoReverseMatch):
        reverse("articles:section", kwargs={"slug": "not a slug!"})
    with pytest.raises(NoReverseMatch):
        reverse("articles:nothing-by-this-name")
    assert reverse("articles:tag", args=[Unhashable()]) == "/tag/climate/"
    assert reversing._kept_reverse.cache_info().currsize == 0


class Unhashable:
    __hash__ = None

    def __str__(self):
        return "climate"


def test_the_url_tag_reverses_through_it_and_keeps_djangos_behaviour():
    rendered = Template(
        "{% url 'articles:section' slug %}|{% url 'articles:nope' as missing %}[{{ missing }}]|"
        "{% url 'articles:tag' tag %}"
    ).render(Context({"slug": "world", "tag": "climate"}))
    assert rendered == "/section/world/|[]|/tag/climate/"
    assert reversing._kept_reverse.cache_info().currsize == 2
    with pytest.raises(NoReverseMatch):
        Template("{% url 'articles:nope' %}").render(Context())


urlpatterns = [path("elsewhere/<str:name>/", lambda request, name: None, name="only-here")]
