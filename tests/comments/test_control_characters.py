"""Control characters in comments and headlines: stripped at input, and no stored text can break a feed."""

import xml.dom.minidom

import pytest
from django.urls import reverse

from comments.models import Comment
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db

CONTROLS = ["\x0c", "\x07", "\x01", "\x1b", "\x7f", "\x85", "\ufffe"]


def comment_feeds(article):
    return [
        reverse("comments:feed"),
        reverse("comments:feed_atom"),
        reverse("comments:article_feed", args=[article.slug]),
        reverse("comments:article_feed_atom", args=[article.slug]),
    ]


@pytest.mark.parametrize("control", CONTROLS, ids=repr)
def test_a_posted_comment_loses_its_control_characters(client, article, post_comment, control):
    """Regression: `Agreed\\x0c entirely` was stored as typed and the comment feeds answered 500."""
    response = post_comment(client, article, comment=f"Agreed{control} entirely", author=f"Ada{control} Lovelace")
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.body == "Agreed entirely"
    assert comment.author_name == "Ada Lovelace"


def test_a_nul_character_is_refused_with_the_text_kept(client, article, post_comment):
    response = post_comment(client, article, comment="Agreed\x00 entirely")
    assert response.status_code == 400
    assert "Null characters are not allowed." in response.content.decode()
    assert not Comment.objects.exists()


@pytest.mark.parametrize("control", CONTROLS, ids=repr)
def test_every_comment_feed_is_well_formed_whatever_is_stored(client, publication, section, control):
    """Rows written before the input fix, or by SQL, must not take the feeds down either."""
    article = make_article(headline=f"Harbour{control} news", section=section)
    make_comment(
        article=article,
        body=f"Agreed{control} entirely",
        author_name=f"Ada{control}",
        author_url=f"https://example.com/{control}",
        status=Comment.Status.APPROVED,
    )
    for url in comment_feeds(article):
        response = client.get(url)
        assert response.status_code == 200, url
        text = xml.dom.minidom.parseString(response.content).toxml()  # noqa: S318 (our own output; raises if malformed)
        assert "Agreed" in text and "entirely" in text, url


def test_a_headline_loses_its_control_characters_in_the_admin(editor_client, section):
    from articles.models import Article
    from tests.articles.test_admin import article_form_data

    data = article_form_data(section, headline="Harbour\x01 bridge\x0c reopens", dek="Dek\x07 here.")
    assert editor_client.post(reverse("admin:articles_article_add"), data).status_code == 302
    article = Article.objects.get()
    assert (article.headline, article.dek) == ("Harbour bridge reopens", "Dek here.")
