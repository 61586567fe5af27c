"""What the parts of the WordPress import share: keys, slugs and fingerprints."""

import hashlib
import json
import re
from urllib.parse import unquote

from django.utils import timezone
from django.utils.text import slugify

EMAIL_LIKE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def ascii_slug(text, limit=200):
    """A slug reader URLs can carry, from a WordPress slug (percent-encoded) or a name; "" if nothing is left."""
    return slugify(unquote(text or ""), allow_unicode=False)[:limit].strip("-")


def fingerprint(*parts):
    """What was imported of an object, as a hash: the same hash on the next run means nothing changed."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def optional_int(value):
    """A WordPress ID from a meta value: None unless it is all digits."""
    value = (value or "").strip()
    return int(value) if value.isdigit() else None


def now():
    return timezone.now()
