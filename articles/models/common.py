"""Pieces every articles model uses: slugs that never collide, https URL fields."""

from datetime import timedelta

from django.db import models
from django.utils.text import slugify

SLUG_MAX_LENGTH = 200
UPDATE_GRACE = timedelta(minutes=1)


class HttpsURLField(models.URLField):
    """A URLField whose form field reads a bare "example.com" as https:// (Django 6's default), without
    the deprecated FORMS_URLFIELD_ASSUME_HTTPS setting. Migrations see a plain URLField."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.URLField", args, kwargs


def unique_slug(model, text, *, instance_pk=None, max_length=SLUG_MAX_LENGTH, reserved=None):
    """A slug for `text` that no other row of `model` uses: "title", then "title-2", "title-3"...

    The base is cut so the suffix always fits; text with no sluggable characters
    (emoji, punctuation) falls back to the model's name. `reserved` is a (model, field)
    whose values are taken too, e.g. the old addresses that still redirect.
    """
    base = slugify(text, allow_unicode=False)[:max_length].strip("-") or model._meta.model_name
    others = model._default_manager.exclude(pk=instance_pk) if instance_pk else model._default_manager.all()
    prefix = base[: max_length - 8]
    taken = set(others.filter(slug__startswith=prefix).values_list("slug", flat=True))
    if reserved:
        reserved_model, field = reserved
        taken |= set(
            reserved_model._default_manager.filter(**{f"{field}__startswith": prefix}).values_list(field, flat=True)
        )
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        suffix = f"-{number}"
        candidate = f"{base[: max_length - len(suffix)].rstrip('-')}{suffix}"
    return candidate
