"""The private store of the media library's originals (see newsroom.env.storages_config).

On a filesystem it lives under ORIGINALS_ROOT, outside MEDIA_ROOT, so no web server serves it;
it has no URL at all: staff see an original through an admin view, readers only ever get
re-encoded renditions from the public "default" store.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, cached_property, empty


class PrivateFileSystemStorage(FileSystemStorage):
    def __init__(self, location=None, **kwargs):
        kwargs.pop("base_url", None)
        super().__init__(location=location, **kwargs)

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "ORIGINALS_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.ORIGINALS_ROOT)

    def url(self, name):
        raise NotImplementedError("Originals are private: they have no URL.")


class OriginalsStorage(LazyObject):
    """The "originals" store of STORAGES, looked up when first used (as Django's default_storage is), so
    the Image.file field follows the settings rather than whatever they were when models were loaded."""

    def _setup(self):
        self._wrapped = storages["originals"]


_originals = OriginalsStorage()


@receiver(setting_changed)
def _forget_originals_store(setting, **kwargs):
    if setting in {"STORAGES", "ORIGINALS_ROOT"}:
        _originals._wrapped = empty


def originals_storage():
    """The storage of Image.file (a callable, so migrations refer to this function, not to one instance)."""
    return _originals


def public_storage():
    """The "default" store: renditions and everything else readers may load."""
    return storages["default"]
