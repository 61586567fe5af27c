"""Admin widgets that stand up to hostile input."""

from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError


class SafeAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete looks the submitted value up again to show it after a form error; a value that
    is not a key at all ("<script>" where a number belongs), or a number no key can be, would make that
    lookup fail with a 500. Such a value is left out of the display; the field's own validation already
    reports it as an invalid choice."""

    def optgroups(self, name, value, attr=None):
        key = self.field.target_field if hasattr(self.field, "target_field") else None
        usable = []
        for item in value:
            try:
                if key is not None and item not in (None, ""):
                    number = key.to_python(item)
                    if isinstance(number, int) and not -(2**63) <= number < 2**63:
                        continue  # no database key is that large; looking it up would overflow
            except (ValidationError, TypeError, ValueError):
                continue
            usable.append(item)
        return super().optgroups(name, usable, attr)


class SafeAutocompleteMixin:
    """For a ModelAdmin or inline with autocomplete_fields: use SafeAutocompleteSelect."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if formfield is not None and type(formfield.widget) is AutocompleteSelect:
            formfield.widget.__class__ = SafeAutocompleteSelect
        return formfield
