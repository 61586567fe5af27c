from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = _("Comments")

    def ready(self):
        from articles import hooks
        from comments import signals  # noqa: F401
        from comments.demo import load_demo_comments
        from comments.feeds import article_feed_paths
        from comments.models import Comment

        hooks.register_listing_annotation("comment_count", Comment.objects.approved_count_subquery)
        hooks.register_article_pages(article_feed_paths)
        hooks.register_demo_loader(load_demo_comments)
        hooks.register_api_router("", "comments.api.router")
        hooks.register_api_representation("comments.comment", "comments.api.represent")
