"""Length of an article for the desk: words and reading time, counted as static/admin/js/desk_editor.js does."""

import html
import math
import re

from django.utils.html import strip_tags
from django.utils.translation import ngettext

WORDS_PER_MINUTE = 230
_WORD = re.compile(r"[\w'’-]+", re.UNICODE)


def word_count(markup):
    return len(_WORD.findall(html.unescape(strip_tags((markup or "").replace("<", " <")))))


def reading_minutes(words):
    return max(1, math.ceil(words / WORDS_PER_MINUTE)) if words else 0


def length_label(markup):
    """ "612 words · 3 min read"."""
    words = word_count(markup)
    text = ngettext("%(count)d word", "%(count)d words", words) % {"count": words}
    minutes = reading_minutes(words)
    if minutes:
        text += " · " + ngettext("%(count)d min read", "%(count)d min read", minutes) % {"count": minutes}
    return text
