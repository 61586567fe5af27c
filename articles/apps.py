from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Newsroom")

    def ready(self):
        from articles import cdn, page_cache, signals, webhooks  # noqa: F401 (they connect their receivers)
        from newsroom import compiled_queries  # noqa: F401 (it tells new PostgreSQL connections how to plan)
