"""The --publisher-map file: which posts were republished from which publisher.

A JSON object; every key is optional:

    {
      "meta_key": "syndication_source",
      "meta_values": {"AP": "Associated Press"},
      "original_url_meta_key": "syndication_source_uri",
      "categories": {"wire-ap": "Associated Press"},
      "tags": {"reuters": "Reuters"}
    }

A post's publisher is, in this order: the value of its post meta `meta_key` (translated through
`meta_values` when listed there, else taken as the publisher's name), the publisher of its first
listed category, of its first listed tag (matched by WordPress slug or name). The publisher is found
by name or slug, and created when the newsroom has none of that name. With `original_url_meta_key`,
that meta value becomes the article's original URL.
"""

import json
from urllib.parse import unquote

KEYS = {"meta_key", "meta_values", "original_url_meta_key", "categories", "tags"}


class PublisherMapError(Exception):
    pass


def _mapping(data, key):
    value = data.get(key, {})
    if not isinstance(value, dict) or not all(
        isinstance(name, str) and isinstance(publisher, str) and publisher.strip() for name, publisher in value.items()
    ):
        raise PublisherMapError(f'"{key}" must be an object of names to publisher names, e.g. {{"wire": "Reuters"}}')
    return {unquote(name).strip().lower(): publisher.strip() for name, publisher in value.items()}


class PublisherMap:
    def __init__(self, data=None):
        data = data or {}
        if not isinstance(data, dict):
            raise PublisherMapError("the file must hold one JSON object")
        unknown = sorted(set(data) - KEYS)
        if unknown:
            raise PublisherMapError(f"unknown keys {', '.join(unknown)} (known: {', '.join(sorted(KEYS))})")
        for key in ("meta_key", "original_url_meta_key"):
            if not isinstance(data.get(key, ""), str):
                raise PublisherMapError(f'"{key}" must be a string (a post meta key)')
        self.meta_key = data.get("meta_key", "").strip()
        self.original_url_meta_key = data.get("original_url_meta_key", "").strip()
        self.meta_values = _mapping(data, "meta_values")
        self.categories = _mapping(data, "categories")
        self.tags = _mapping(data, "tags")
        self.digest = json.dumps(data, sort_keys=True)

    @classmethod
    def load(cls, path):
        try:
            with open(path, encoding="utf-8") as stream:
                data = json.load(stream)
        except OSError as error:
            raise PublisherMapError(f"cannot read {path}: {error.strerror}") from None
        except (ValueError, UnicodeDecodeError) as error:
            raise PublisherMapError(f"{path} is not valid JSON: {error}") from None
        return cls(data)

    def publisher_name(self, post):
        """The name of the publisher `post` (a wxr.Post) names, or ""."""
        if self.meta_key:
            value = post.meta_value(self.meta_key).strip()
            if value:
                return self.meta_values.get(value.lower(), value)
        for taxonomy, names in (("category", self.categories), ("post_tag", self.tags)):
            if not names:
                continue
            for term in post.terms:
                if term.taxonomy != taxonomy:
                    continue
                for candidate in (unquote(term.slug).lower(), term.name.strip().lower()):
                    if candidate in names:
                        return names[candidate]
        return ""

    def original_url(self, post):
        return post.meta_value(self.original_url_meta_key).strip() if self.original_url_meta_key else ""
