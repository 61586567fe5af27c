"""Approved comments as RSS and Atom: site-wide and per article. Never the commenter's email.

The writers drop characters XML cannot hold, so no stored name, text or headline can break a feed.
"""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from articles.chrome import site_chrome
from articles.feeds import SiteFeed, XmlSafeAtomFeed, XmlSafeRssFeed
from articles.models import Article
from comments.display import format_comment
from comments.models import Comment

FEED_LENGTH = 50


class CommentFeedMixin:
    """What every comment item shows: name, text, link to the comment. item_author_email is never defined."""

    feed_type = XmlSafeRssFeed

    def item_title(self, comment):
        return _("%(name)s on “%(headline)s”") % {"name": comment.author_name, "headline": comment.article.headline}

    def item_description(self, comment):
        return format_comment(comment.body)

    def item_link(self, comment):
        return self.absolute(comment.get_absolute_url())

    def item_author_name(self, comment):
        return comment.author_name

    def item_author_link(self, comment):
        return comment.author_url or None

    def item_pubdate(self, comment):
        return comment.created_at


def article_feed_paths(article):
    """The comment feeds of `article`: the pages of this app that show it (registered in comments.apps)."""
    return {
        reverse("comments:article_feed", args=[article.slug]),
        reverse("comments:article_feed_atom", args=[article.slug]),
    }


class LatestCommentsFeed(CommentFeedMixin, SiteFeed):
    def title(self):
        return _("Comments on %(publication)s") % {"publication": site_chrome()["publication"].name}

    def link(self):
        return self.absolute("/")

    def description(self):
        return self.title()

    def items(self):
        return (
            Comment.objects.public()
            .filter(article__in=Article.objects.published())
            .select_related("article")
            .order_by("-created_at", "-pk")[:FEED_LENGTH]
        )


class LatestCommentsAtomFeed(LatestCommentsFeed):
    feed_type = XmlSafeAtomFeed
    subtitle = LatestCommentsFeed.description


class ArticleCommentsFeed(CommentFeedMixin, SiteFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Article.objects.published(), slug=slug)

    def title(self, article):
        return _("Comments on: %(headline)s") % {"headline": article.headline}

    def link(self, article):
        return self.absolute(article.get_absolute_url())

    def description(self, article):
        return self.title(article)

    def item_title(self, comment):
        return _("By: %(name)s") % {"name": comment.author_name}

    def items(self, article):
        return (
            Comment.objects.public().on(article).select_related("article").order_by("-created_at", "-pk")[:FEED_LENGTH]
        )


class ArticleCommentsAtomFeed(ArticleCommentsFeed):
    feed_type = XmlSafeAtomFeed
    subtitle = ArticleCommentsFeed.description
