from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WordPressConfig(AppConfig):
    """Moving a WordPress site over: the import command, its records and the old addresses it keeps working.

    It uses both content apps (articles, comments); neither of them knows it exists.
    """

    name = "wordpress"
    verbose_name = _("WordPress import")
