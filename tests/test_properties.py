"""Property-based tests (hypothesis): the ISSN validator, tag addresses and the comment form hold for any input."""

import re
from urllib.parse import unquote

import pytest
from django.core.exceptions import ValidationError
from django.urls import resolve, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.tags import clean_tag_name, is_valid_slug, tag_slug
from articles.validators import issn_check_digit, validate_issn
from comments.forms import BIDI_CONTROLS, CommentForm, issue_form_token

SEVEN_DIGITS = st.text(alphabet="0123456789", min_size=7, max_size=7)
# Anything a person can type or paste: every code point but lone surrogates (not encodable as UTF-8).
TYPED = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=200)


@given(SEVEN_DIGITS)
def test_an_issn_with_its_check_digit_is_valid_and_any_other_check_digit_is_not(digits):
    right = issn_check_digit(digits)
    validate_issn(f"{digits[:4]}-{digits[4:]}{right}")
    for wrong in "0123456789X":
        if wrong != right:
            with pytest.raises(ValidationError) as error:
                validate_issn(f"{digits[:4]}-{digits[4:]}{wrong}")
            assert error.value.code == "issn_check_digit"


@given(TYPED)
def test_the_issn_validator_answers_any_text_with_pass_or_a_validation_error(text):
    try:
        validate_issn(text)
    except ValidationError as error:
        assert error.code in {"issn_format", "issn_check_digit"}
    else:
        assert re.fullmatch(r"\s*\d{4}-\d{3}[\dXx]\s*", text, re.ASCII)


@given(TYPED)
def test_any_tag_name_gives_a_slug_that_round_trips_through_its_address(name):
    name = clean_tag_name(name)[:100]
    if not name:
        return
    slug = tag_slug(name)
    assert is_valid_slug(slug)
    assert slug == tag_slug(name), "stable: the same name always gives the same address"
    url = reverse("articles:tag", args=[slug])  # percent-encoded, as links carry it
    assert resolve(unquote(url)).kwargs["slug"] == slug  # decoded, as the server receives it


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(TYPED, min_size=1, max_size=3))
def test_any_tag_typed_in_the_admin_gets_a_working_page(client, section, names):
    from taggit.models import Tag

    from tests.factories import make_article

    names = [clean_tag_name(name)[:100] for name in names]
    names = [name for name in names if name and "," not in name and '"' not in name]
    if not names:
        return
    article = make_article(section=section, tags=names)
    try:
        for tag in article.tags.all():
            assert is_valid_slug(tag.slug)
            assert client.get(reverse("articles:tag", args=[tag.slug])).status_code == 200
        assert client.get("/").status_code == 200
    finally:
        article.delete()
        Tag.objects.all().delete()


@pytest.mark.django_db
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(comment=TYPED, author=TYPED, email=TYPED, url=TYPED, parent=TYPED)
def test_the_comment_form_cleans_or_refuses_anything_and_never_raises(settings_, comment, author, email, url, parent):
    data = {
        "comment": comment,
        "author": author,
        "email": email,
        "url": url,
        "comment_parent": parent,
        "subject": "",
        "form_token": issue_form_token(),
    }
    form = CommentForm(data, article=None, replies={})
    if not form.is_valid():
        assert form.errors
        return
    cleaned = form.cleaned_data
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]", cleaned["comment"])
    assert cleaned["comment"] == cleaned["comment"].strip() and cleaned["comment"]
    assert not re.search(r"[\x00-\x1f\x7f-\x9f]", cleaned["author"]) and not BIDI_CONTROLS.search(cleaned["author"])
    assert cleaned["author"] == " ".join(cleaned["author"].split())
    assert not cleaned["url"] or cleaned["url"].lower().startswith(("http://", "https://"))
    assert "@" in cleaned["email"] and "\n" not in cleaned["email"]


@pytest.fixture
def settings_(settings):
    settings.COMMENTS_MIN_FORM_AGE = 0
    return settings
