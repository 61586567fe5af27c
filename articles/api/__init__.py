"""The Content API (/api/v1/): read-only, built with django-ninja. See site.py for how it is put together."""
