"""Responsive renditions of featured images, made once with Pillow and then reused.

For an original at MEDIA_ROOT/articles/2026/05/photo.jpg, renditions() writes, on first use
(or when the admin saves a new image), under MEDIA_ROOT/renditions/v1/articles/2026/05/:

    photo-320w.webp  photo-320w.jpg  photo-640w.webp  photo-640w.jpg  ...  photo.json

at every width of IMAGE_RENDITION_WIDTHS narrower than the original plus the original's
own width (capped at the largest), in WebP and in the original's format (PNG for images
with transparency or GIFs, JPEG otherwise). EXIF orientation is applied to the pixels and
every metadata block (EXIF with GPS, XMP, comments) is left out; the colour profile is kept.

The JSON manifest records the sizes, so later pages build srcset from it without opening
any image, and the cache keeps it so a page reads no file either: no database query, no
image decoding per request. A missing, unreadable or oversized original gives None, and
the templates then leave the image out instead of failing.
"""

import hashlib
import io
import json
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from PIL import EpsImagePlugin, Image, ImageOps, UnidentifiedImageError

logger = logging.getLogger(__name__)

# The only formats accepted and decoded. Image.open(formats=...) never asks another plugin, so an EPS,
# TIFF, BMP, ICO, PPM, TGA, PCX, JPEG 2000 or SGI file (whatever its name) is refused unread.
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
ALLOWED_EXTENSIONS = ["jpg", "jpeg", "jpe", "png", "webp", "gif"]
_EXTENSION_FOR_FORMAT = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
# And, should anything still reach the EPS plugin, it must never start Ghostscript.
EpsImagePlugin.gs_binary = False

VERSION = "v1"
CACHE_SECONDS = 60 * 60 * 24
BROKEN_CACHE_SECONDS = 60 * 5
_BROKEN = "broken"

_FORMATS = {
    "webp": {"format": "WEBP", "mime": "image/webp", "options": {"quality": 80, "method": 4}},
    "jpg": {"format": "JPEG", "mime": "image/jpeg", "options": {"quality": 82, "optimize": True, "progressive": True}},
    "png": {"format": "PNG", "mime": "image/png", "options": {"optimize": True}},
}


class RenditionError(Exception):
    """The original cannot be turned into renditions (missing, not an image, too large)."""


@dataclass(frozen=True)
class Rendition:
    url: str
    width: int
    height: int
    mime: str
    size: int

    @property
    def srcset_entry(self):
        return f"{self.url} {self.width}w"


@dataclass(frozen=True)
class ImageSet:
    """The renditions of one image: WebP ones and ones in a format every browser shows."""

    width: int
    height: int
    webp: tuple
    fallback: tuple

    @property
    def webp_srcset(self):
        return ", ".join(rendition.srcset_entry for rendition in self.webp)

    @property
    def fallback_srcset(self):
        return ", ".join(rendition.srcset_entry for rendition in self.fallback)

    @property
    def largest(self):
        """The widest rendition in the universal format: for <img src>, og:image, feeds and JSON-LD."""
        return self.fallback[-1]

    @property
    def default(self):
        """What <img src> shows to browsers that ignore srcset: a mid-sized rendition."""
        return self.closest(960)

    def closest(self, width):
        """The narrowest fallback rendition at least `width` wide (else the widest)."""
        return next((rendition for rendition in self.fallback if rendition.width >= width), self.largest)


def _base_name(name):
    path = PurePosixPath(name)
    return str(PurePosixPath("renditions", VERSION, path.parent, path.stem))


def _manifest_name(name):
    return _base_name(name) + ".json"


def _cache_key(name):
    return f"renditions:{VERSION}:" + hashlib.sha256(name.encode()).hexdigest()


def renditions(image_field):
    """The ImageSet of a FieldFile (made now if need be), or None when there is no usable image."""
    name = getattr(image_field, "name", None)
    if not name:
        return None
    key = _cache_key(name)
    manifest = cache.get(key)
    if manifest is None:
        storage = image_field.storage
        try:
            manifest = _read_manifest(storage, name) or make_renditions(storage, name)
        except RenditionError as error:
            logger.warning("No renditions for image %s: %s", name, error)
            manifest = _BROKEN
        cache.set(key, manifest, BROKEN_CACHE_SECONDS if manifest == _BROKEN else CACHE_SECONDS)
    if manifest == _BROKEN:
        return None
    return _image_set(image_field.storage, manifest)


def _image_set(storage, manifest):
    def build(items):
        return tuple(
            Rendition(
                url=storage.url(item["name"]),
                width=item["width"],
                height=item["height"],
                mime=item["mime"],
                size=item["size"],
            )
            for item in items
        )

    return ImageSet(
        width=manifest["width"],
        height=manifest["height"],
        webp=build(manifest["webp"]),
        fallback=build(manifest["fallback"]),
    )


def _read_manifest(storage, name):
    manifest_name = _manifest_name(name)
    try:
        if not storage.exists(manifest_name):
            return None
        with storage.open(manifest_name, "rb") as handle:
            manifest = json.loads(handle.read())
    except (OSError, ValueError):
        return None
    if manifest.get("source") != name:
        return None
    return manifest


def _open_original(storage, name):
    max_pixels = settings.IMAGE_MAX_PIXELS
    try:
        with storage.open(name, "rb") as handle:
            data = handle.read()
    except (OSError, ValueError) as error:
        raise RenditionError(f"cannot read the file ({error})") from error
    try:
        image = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
        if image.width * image.height > max_pixels:
            raise RenditionError(f"{image.width}×{image.height} pixels is more than the limit of {max_pixels}")
        source_format = image.format
        image = ImageOps.exif_transpose(image)  # loads the pixels, applies and drops the orientation tag
    except RenditionError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError) as error:
        raise RenditionError(f"not a usable image ({error})") from error
    return image, source_format


def open_image(data):
    """An uploaded or stored image, opened by the JPEG, PNG, WebP or GIF decoder only (header read, pixels not)."""
    return Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)


@dataclass(frozen=True)
class Reencoded:
    data: bytes
    extension: str
    mime: str
    width: int
    height: int


def reencode(data):
    """The image in `data` decoded and written anew: orientation applied, every metadata block (EXIF with GPS,
    XMP, comments, text chunks) left out, the colour profile kept; an animation keeps its first frame.

    Raises RenditionError for anything that is not a whole JPEG, PNG, WebP or GIF within IMAGE_MAX_PIXELS.
    """
    max_pixels = settings.IMAGE_MAX_PIXELS
    try:
        image = open_image(data)
        if image.width * image.height > max_pixels:
            raise RenditionError(f"{image.width}×{image.height} pixels is more than the limit of {max_pixels}")
        source_format = image.format
        icc_profile = image.info.get("icc_profile")
        image = ImageOps.exif_transpose(image)
        extension = _EXTENSION_FOR_FORMAT[source_format]
        if extension == "gif":
            pixels = image if image.mode in {"P", "L"} else image.convert("RGBA" if _has_alpha(image) else "RGB")
        else:
            pixels = _prepare(image, "jpg" if extension == "jpg" else "png")
        pixels.info = {}
        buffer = io.BytesIO()
        options = {"JPEG": {"quality": 90}, "WEBP": {"quality": 90}, "PNG": {"optimize": True}, "GIF": {}}
        if icc_profile and source_format != "GIF":
            options[source_format]["icc_profile"] = icc_profile
        pixels.save(buffer, format=source_format, **options[source_format])
    except RenditionError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError, KeyError) as error:
        raise RenditionError(f"not a usable image ({error})") from error
    return Reencoded(buffer.getvalue(), extension, Image.MIME[source_format], pixels.width, pixels.height)


_METADATA_KEYS = {"exif", "xmp", "XML:com.adobe.xmp", "comment", "photoshop", "iptc", "extension"}


def has_metadata(data):
    """Does this stored image carry EXIF (GPS), XMP, comments or text chunks that a re-encoded copy would not?"""
    try:
        image = open_image(data)
        image.load()
    except Exception:  # unreadable files are reported by make_renditions, not here
        return False
    return bool(image.getexif() or _METADATA_KEYS & set(image.info) or getattr(image, "text", None))


def _has_alpha(image):
    return image.mode in {"RGBA", "LA", "PA"} or (image.mode == "P" and "transparency" in image.info)


def _fallback_extension(source_format, image):
    if source_format in {"JPEG", "MPO"}:
        return "jpg"
    if source_format in {"PNG", "GIF"} or _has_alpha(image):
        return "png"
    return "jpg"


def _prepare(image, extension):
    """Pixels in a mode the target format stores, with transparency flattened onto white for JPEG."""
    if extension == "jpg":
        if _has_alpha(image):
            rgba = image.convert("RGBA")
            background = Image.new("RGB", rgba.size, (255, 255, 255))
            background.paste(rgba, mask=rgba.getchannel("A"))
            return background
        return image.convert("RGB")
    return image.convert("RGBA" if _has_alpha(image) else "RGB")


def _widths(original_width):
    wanted = settings.IMAGE_RENDITION_WIDTHS
    widths = [width for width in wanted if width < original_width]
    widths.append(min(original_width, max(wanted)))
    return sorted(set(widths))


def _encode(image, extension, icc_profile):
    spec = _FORMATS[extension]
    options = dict(spec["options"])
    if icc_profile and extension in {"jpg", "webp", "png"}:
        options["icc_profile"] = icc_profile
    buffer = io.BytesIO()
    image.save(buffer, format=spec["format"], **options)
    return buffer.getvalue()


def _write(storage, name, data):
    """Write a rendition at its fixed name, atomically on a filesystem so no reader sees half a file."""
    try:
        path = storage.path(name)
    except NotImplementedError:
        if storage.exists(name):
            storage.delete(name)
        storage.save(name, ContentFile(data))
        return
    os.makedirs(os.path.dirname(path), exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def make_renditions(storage, name):
    """Make every rendition of the original `name` and its manifest; returns the manifest."""
    image, source_format = _open_original(storage, name)
    icc_profile = image.info.get("icc_profile")
    fallback_extension = _fallback_extension(source_format, image)
    base = _base_name(name)
    manifest = {"source": name, "width": image.width, "height": image.height, "webp": [], "fallback": []}
    try:
        for width in _widths(image.width):
            height = max(1, round(image.height * width / image.width))
            resized = image if width == image.width else image.resize((width, height), Image.Resampling.LANCZOS)
            for extension, key in [("webp", "webp"), (fallback_extension, "fallback")]:
                pixels = _prepare(resized, extension)
                pixels.info = {}  # never carry EXIF, GPS, XMP or comments into a rendition
                data = _encode(pixels, extension, icc_profile)
                rendition_name = f"{base}-{width}w.{extension}"
                _write(storage, rendition_name, data)
                manifest[key].append(
                    {
                        "name": rendition_name,
                        "width": width,
                        "height": height,
                        "mime": _FORMATS[extension]["mime"],
                        "size": len(data),
                    }
                )
    except (OSError, ValueError) as error:
        raise RenditionError(f"cannot write renditions ({error})") from error
    _write(storage, _manifest_name(name), json.dumps(manifest).encode())
    return manifest


def forget_renditions(image_field):
    """Drop the cached manifest, e.g. after the renditions folder was cleared."""
    if getattr(image_field, "name", None):
        cache.delete(_cache_key(image_field.name))
