import hashlib
import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments.display import build_thread, format_comment, linkify
from comments.models import Comment, CommentSettings
from tests.factories import make_article, make_author, make_comment, make_publisher

pytestmark = pytest.mark.django_db


def thread_of(article, count_replies=0):
    root = make_comment(article=article, body="Root comment.", created_at=timezone.now() - timedelta(hours=2))
    parent = root
    chain = [root]
    for depth in range(count_replies):
        parent = make_comment(
            article=article,
            parent=parent,
            body=f"Reply at depth {depth + 2}.",
            created_at=timezone.now() - timedelta(minutes=60 - depth),
        )
        chain.append(parent)
    return chain


# Text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain", "plain"),
        ("<b>x</b>", "&lt;b&gt;x&lt;/b&gt;"),
        (
            "see https://example.com/a?b=1&c=2.",
            'see <a href="https://example.com/a?b=1&amp;c=2" rel="nofollow ugc noopener">'
            "https://example.com/a?b=1&amp;c=2</a>.",
        ),
        ("(www.example.com)", '(<a href="https://www.example.com" rel="nofollow ugc noopener">www.example.com</a>)'),
        ("javascript:alert(1)", "javascript:alert(1)"),
        ('https://x.example/"onmouseover="alert(1)', '<a href="https://x.example/" rel="nofollow ugc noopener">'),
        ("https://", "https://"),
    ],
)
def test_links_become_clickable_and_nothing_else_is_html(text, expected):
    assert expected in linkify(text)


def test_line_breaks_and_paragraphs_are_kept():
    html = format_comment("One\nstill one\n\nTwo")
    assert html == "<p>One<br>still one</p>\n\n<p>Two</p>"


def test_a_comment_author_website_only_links_with_safe_rel(client, article):
    make_comment(article=article, author_name="Site Owner", author_url="https://owner.example")
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<a href="https://owner.example" rel="external nofollow ugc noopener"><bdi>Site Owner</bdi></a>' in html


def test_initials_avatar_comes_from_the_name_never_the_email(client, article):
    comment = make_comment(article=article, author_name="ada  de la lovelace", author_email="secret@example.org")
    assert comment.initials == "AL"
    assert make_comment(article=article, author_name="!!").initials == "?"
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<span class="comment-avatar avatar-hue-' in html
    assert "gravatar" not in html.lower()
    assert hashlib.md5(b"secret@example.org").hexdigest() not in html  # noqa: S324


# Thread


def test_comments_are_shown_oldest_first_with_replies_nested(client, article):
    first = make_comment(article=article, body="First said.", created_at=timezone.now() - timedelta(hours=3))
    second = make_comment(article=article, body="Second said.", created_at=timezone.now() - timedelta(hours=2))
    reply = make_comment(article=article, parent=first, body="Reply to first.", created_at=timezone.now())
    html = client.get(article.get_absolute_url()).content.decode()
    assert html.index("First said.") < html.index("Reply to first.") < html.index("Second said.")
    children = html.index('<ol class="children">')
    assert html.index(f'id="comment-{first.pk}"') < children < html.index(f'id="comment-{reply.pk}"')
    assert html.index("Second said.") > html.index("</ol>", children)
    assert f'id="comment-{second.pk}"' in html


def test_replies_nest_three_deep_by_default_and_deeper_ones_stay_at_the_last_level(client, article):
    chain = thread_of(article, count_replies=4)
    html = client.get(article.get_absolute_url()).content.decode()
    for comment, depth in zip(chain, [1, 2, 3, 3, 3], strict=True):
        assert f'class="comment depth-{depth}" id="comment-{comment.pk}"' in html
    for comment in chain[:2]:
        assert f"?replytocom={comment.pk}#respond" in html
    for comment in chain[2:]:
        assert f"?replytocom={comment.pk}#respond" not in html


def test_the_nesting_depth_is_a_setting(client, article):
    CommentSettings.objects.create(thread_depth=5)
    chain = thread_of(article, count_replies=4)
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'class="comment depth-5" id="comment-{chain[4].pk}"' in html


def test_depth_one_is_a_flat_list_without_reply_links(client, article):
    CommentSettings.objects.create(thread_depth=1)
    thread_of(article, count_replies=2)
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<ol class="children">' not in html
    assert "replytocom" not in html


def test_a_reply_to_a_removed_comment_is_still_shown_at_the_top_level(article):
    parent = make_comment(article=article, status=Comment.Status.TRASH)
    orphan = make_comment(article=article, parent=parent, body="Orphan.")
    [node] = build_thread(list(Comment.objects.public().on(article).for_thread()), max_depth=3)
    assert node == orphan and node.depth == 1


def test_replytocom_opens_the_form_as_a_reply_without_javascript(client, article):
    parent = make_comment(article=article, author_name="Grace")
    html = client.get(article.get_absolute_url() + f"?replytocom={parent.pk}").content.decode()
    assert "Replying to Grace." in html
    assert f'name="comment_parent" value="{parent.pk}"' in html
    for bad in ["abc", "999999", "-1", "1e9", "\x00"]:
        response = client.get(article.get_absolute_url(), {"replytocom": bad})
        assert response.status_code == 200
        assert 'name="comment_parent" value=' not in response.content.decode()


def test_a_closed_article_shows_its_comments_but_no_form(client, section, publication):
    article = make_article(section=section, comment_policy=Article.CommentPolicy.CLOSED)
    make_comment(article=article, body="Said before closing.")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Said before closing." in html and "Comments are closed." in html
    assert "Leave a Reply" not in html and 'id="commentform"' not in html and "replytocom" not in html


def test_the_form_marks_required_fields_and_offers_the_boxes(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    for label in ["Comment", "Name", "Email"]:
        assert f'{label} <span class="required">(required)</span>' in html
    assert '<label for="url">Website</label>' in html
    assert "Save my name, email, and website in this browser for the next time I comment." in html
    assert "Notify me of replies by email." in html
    assert html.index("Leave a Reply") < html.index("Your email address will not be published.")
    CommentSettings.objects.create(offer_reply_notifications=False)
    assert "Notify me of replies" not in client.get(article.get_absolute_url()).content.decode()


# Counts and query budgets


def test_lists_and_the_article_page_show_approved_comment_counts(client, article):
    make_comment(article=article)
    make_comment(article=article)
    make_comment(article=article, status=Comment.Status.PENDING)
    make_comment(article=article, status=Comment.Status.SPAM)
    front = client.get("/").content.decode()
    assert f'<a href="{article.get_absolute_url()}#comments">2 comments</a>' in front
    page = client.get(article.get_absolute_url()).content.decode()
    assert '<h2 class="comments-title" id="comments-title">2 comments</h2>' in page
    assert f'<a href="{article.get_absolute_url()}#comments">2 comments</a>' in page
    assert Article.objects.for_listing().get(pk=article.pk).comment_count == 2


def test_an_article_without_comments_shows_no_count(client, article):
    assert "#comments" not in client.get("/").content.decode()


class TestQueryBudgets:
    """Comment counts come from the page query and the thread from one more: never a query per comment."""

    def measure(self, client, django_assert_max_num_queries, url, budget):
        client.get(url)  # warm the site-chrome and comment-settings caches, as on a live site
        with django_assert_max_num_queries(budget) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    def fill(self, section, articles, comments_each):
        author, publisher = make_author(), make_publisher()
        for _ in range(articles):
            article = make_article(section=section, authors=[author], publisher=publisher, tags=["Japan"])
            parent = None
            for number in range(comments_each):
                parent = make_comment(article=article, parent=parent if number % 2 else None)

    @pytest.mark.parametrize("url_name", ["front", "section", "tag", "search"])
    def test_list_pages_with_comment_counts_stay_within_budget(
        self, client, django_assert_max_num_queries, section, publication, url_name
    ):
        """Guards a COUNT query per card."""
        urls = {
            "front": ("/", 4),
            "section": (section.get_absolute_url(), 5),
            "tag": (reverse("articles:tag", args=["japan"]), 5),
            "search": (reverse("articles:search") + "?q=body", 5),
        }
        url, budget = urls[url_name]
        self.fill(section, 5, 2)
        with_5 = self.measure(client, django_assert_max_num_queries, url, budget)
        self.fill(section, 20, 3)
        with_25 = self.measure(client, django_assert_max_num_queries, url, budget)
        assert with_5 == with_25

    def test_the_article_page_spends_one_query_on_any_number_of_comments(
        self, client, django_assert_max_num_queries, section, publication
    ):
        """Guards a query per comment, per reply level or per commenter: comments get 1 of the page's 6."""
        article = make_article(section=section, authors=[make_author()], tags=["Japan"])
        for number in range(5):
            make_comment(article=article, body=f"Comment {number}")
        with_5 = self.measure(client, django_assert_max_num_queries, article.get_absolute_url(), 6)
        parents = list(Comment.objects.filter(article=article))
        for number in range(60):
            make_comment(article=article, parent=parents[number % 5], body=f"Reply {number}")
        client.get(article.get_absolute_url())
        with django_assert_max_num_queries(6) as context:
            html = client.get(article.get_absolute_url()).content.decode()
        assert "Reply 59" in html
        assert len(context.captured_queries) == with_5
        comment_queries = [q for q in context.captured_queries if q["sql"].startswith('SELECT "comments_comment"')]
        assert len(comment_queries) == 1


# Feeds


def test_article_comment_feeds_list_approved_comments_without_emails(client, article):
    make_comment(
        article=article, author_name="Feed Reader", author_email="feed-secret@example.org", body="In the feed."
    )
    make_comment(article=article, body="Held back.", status=Comment.Status.PENDING)
    for name in ["comments:article_feed", "comments:article_feed_atom"]:
        response = client.get(reverse(name, args=[article.slug]))
        assert response.status_code == 200
        body = response.content.decode()
        ET.fromstring(response.content)  # noqa: S314 - our own feed, parsed to prove it is well-formed XML
        assert "In the feed." in body and "Feed Reader" in body
        assert "Held back." not in body
        assert "feed-secret" not in body


def test_the_article_page_links_to_its_comment_feeds(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    rss = reverse("comments:article_feed", args=[article.slug])
    assert f'type="application/rss+xml" title="Comments on “Harbour bridge reopens” (RSS)" href="{rss}"' in html
    assert reverse("comments:article_feed_atom", args=[article.slug]) in html


def test_feeds_of_hidden_articles_are_404(client, section, publication):
    draft = make_article(section=section, status=Article.Status.DRAFT)
    make_comment(article=draft, body="Secret draft talk.")
    assert client.get(reverse("comments:article_feed", args=[draft.slug])).status_code == 404
    assert client.get(reverse("comments:article_feed", args=["no-such-slug"])).status_code == 404
    assert "Secret draft talk." not in client.get(reverse("comments:feed")).content.decode()


def test_the_site_comment_feed_escapes_comment_html(client, article):
    make_comment(article=article, body="<script>alert(1)</script> https://x.example")
    body = client.get(reverse("comments:feed")).content.decode()
    assert "<script>" not in body
    assert "&amp;lt;script&amp;gt;" in body  # escaped text inside the XML-escaped HTML


# The promise: a commenter's email is never published


class LinkCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in {"a", "link"} and attributes.get("href"):
            self.links.append(attributes["href"])


def crawl(client, start_urls, limit=300):
    """Every same-site page and feed reachable from start_urls (admin excluded), with its body."""
    seen, queue, pages = set(), list(start_urls), {}
    while queue and len(seen) < limit:
        url = queue.pop(0)
        parts = urlsplit(url)
        if parts.netloc not in {"", "testserver"} or parts.path.startswith(("/admin/", "/static/", "/media/")):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200 or response.get("Content-Type", "").startswith("image/"):
            continue
        body = response.content.decode()
        pages[path] = body
        if "xml" in response["Content-Type"]:  # feeds and sitemaps: <link>url</link>, href="url", <loc>url</loc>
            links = re.findall(r'<(?:link|loc)>([^<]+)</(?:link|loc)>|href="([^"]+)"', body)
            links = [text or attribute for text, attribute in links]
        else:
            collector = LinkCollector()
            collector.feed(body)
            links = collector.links
        queue.extend(urljoin("http://testserver" + parts.path, link) for link in links)
    return pages


def test_the_commenters_email_appears_on_no_public_page_or_feed(client, section, publication, post_comment):
    """Post, get approved, then fetch every public page and feed: the address is nowhere."""
    email = "Private.Person+news@Example.org"
    author = make_author(name="Ada Reporter", slug="ada")
    article = make_article(section=section, authors=[author], publisher=make_publisher(), tags=["Japan"])
    assert (
        post_comment(client, article, email=email, comment="Approved soon.", url="https://me.example").status_code
        == 302
    )
    Comment.objects.update(status=Comment.Status.APPROVED)
    parent = Comment.objects.get()
    CommentSettings.objects.create(flood_seconds=0, hold_all=True)
    post_comment(client, article, email=email, comment="A held reply.", comment_parent=parent.pk)
    assert Comment.objects.get(body="A held reply.").is_pending

    pages = crawl(
        client,
        [
            "/",
            article.get_absolute_url(),
            article.get_absolute_url() + f"?replytocom={parent.pk}",
            reverse("articles:search") + "?q=Headline",
            reverse("comments:feed"),
            reverse("comments:feed_atom"),
            reverse("comments:pending", args=[article.pk]),
            "/sitemap.xml",
            "/feed/",
            "/robots.txt",
        ],
    )
    assert article.get_absolute_url() in pages
    assert reverse("comments:article_feed", args=[article.slug]) in pages
    assert reverse("comments:article_feed_atom", args=[article.slug]) in pages
    assert author.get_absolute_url() in pages and "/tag/japan/" in pages
    forms = [email.lower(), "private.person", hashlib.md5(email.lower().encode()).hexdigest()]  # noqa: S324
    forms.append(hashlib.sha256(email.lower().encode()).hexdigest())
    for path, body in pages.items():
        for form in forms:
            assert form not in body.lower(), f"{form!r} published on {path}"
    assert "A held reply." not in pages[article.get_absolute_url()]


# The kept section


def _section_rendered(response):
    return "comments/_comments.html" in [template.name for template in response.templates]


def test_the_comment_section_is_rendered_once_and_shows_any_change_at_once(client, article):
    comment = make_comment(article=article, body="First thoughts.", author_name="Ada Reader")
    first = client.get(article.get_absolute_url())
    assert _section_rendered(first)
    assert "First thoughts." in first.content.decode()
    again = client.get(article.get_absolute_url())
    assert not _section_rendered(again)  # the kept section
    assert again.content == first.content

    Comment.objects.filter(pk=comment.pk).update(body="Second thoughts.")
    changed = client.get(article.get_absolute_url())
    assert _section_rendered(changed)
    assert "Second thoughts." in changed.content.decode()
    assert "First thoughts." not in changed.content.decode()

    make_comment(article=article, body="A new voice.")
    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.TRASH)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "A new voice." in html and "Second thoughts." not in html

    rules = CommentSettings.objects.current()
    rules.close_after_days = 1
    rules.save()
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - timedelta(days=3))
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Comments are closed." in html and 'id="commentform"' not in html


def test_a_reply_link_and_a_comment_page_each_get_their_own_section(client, article):
    comment = make_comment(article=article, body="Worth answering.", author_name="Grace Reader")
    url = article.get_absolute_url()
    client.get(url)
    replying = client.get(f"{url}?replytocom={comment.pk}").content.decode()
    assert "Replying to Grace Reader." in replying
    assert "Replying to Grace Reader." not in client.get(url).content.decode()


def test_hostile_page_numbers_and_reply_ids_reuse_one_kept_section(client, article):
    """Any ?cpage= past the last page shows the last page, and a reply id that is no comment here shows no
    reply form: a crawler walking numbers cannot fill the cache with copies of one section."""
    make_comment(article=article, body="Only voice.")
    url = article.get_absolute_url()
    first = client.get(url)
    assert _section_rendered(first)
    for query in ["?cpage=2", "?cpage=99999999999", "?cpage=-4", "?cpage=x", "?replytocom=123456", "?replytocom=%00"]:
        response = client.get(url + query)
        assert response.status_code == 200
        assert not _section_rendered(response), query
        assert "Only voice." in response.content.decode()
