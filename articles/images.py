"""Renditions of library images: re-encoded copies readers get, made by a job, never during a request.

For each image version, make_renditions() reads the private original through the storage API and
writes, to the public "default" store, under an unguessable folder per version:

    renditions/<pk>/<version>-<key>/original-320w.webp  original-320w.jpg  ...  card-640w.webp  social-1200w.jpg

- "original": the image at its own proportions, at every width of IMAGE_RENDITION_WIDTHS narrower
  than it plus its own width (capped at the largest);
- fixed-ratio crops around the image's focal point (CROPS): cards 3:2, the front page lead 16:9
  (also Google's 16x9), Google's 4x3, squares 1:1 (galleries, lists, Google's 1x1) and the 1200×630
  social image of Open Graph and Twitter cards.

Each comes in WebP and in a format every browser shows (PNG for transparency and GIFs, JPEG
otherwise); the social and 4x3 images only in the latter, which every scraper reads. EXIF
orientation is applied to the pixels and every metadata block (EXIF with GPS, XMP, comments) is
left out; the colour profile is kept. Only JPEG, PNG, WebP and GIF are ever decoded.

The manifest of what was made is stored on the Image (Image.renditions_data), so a page builds
srcset from the row it already loaded: no file is opened and storage is never asked anything
during a request. Nothing here uses a filesystem path, so any Django storage (S3 included) works.
"""

import hashlib
import hmac
import io
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from PIL import EpsImagePlugin, ImageOps, UnidentifiedImageError
from PIL import Image as PILImage

from articles.storage import public_storage

logger = logging.getLogger(__name__)

# The only formats accepted and decoded: the decoders of exotic formats are where image exploits live.
# Image.open(formats=...) never asks another plugin, so an EPS, TIFF, BMP, ICO, PPM, TGA, PCX, JPEG 2000
# or SGI file (whatever its name) is refused unread.
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
ALLOWED_EXTENSIONS = ["jpg", "jpeg", "jpe", "png", "webp", "gif"]
MIME_TYPES = {"JPEG": "image/jpeg", "MPO": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}
_EXTENSION_FOR_FORMAT = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
# And, should anything still reach the EPS plugin, it must never start Ghostscript.
EpsImagePlugin.gs_binary = False

_FORMATS = {
    "webp": {"format": "WEBP", "mime": "image/webp", "options": {"quality": 80, "method": 4}},
    "jpg": {"format": "JPEG", "mime": "image/jpeg", "options": {"quality": 82, "optimize": True, "progressive": True}},
    "png": {"format": "PNG", "mime": "image/png", "options": {"optimize": True}},
}


@dataclass(frozen=True)
class Crop:
    """A kind of rendition: a ratio (None keeps the image's own) and the widths made of it."""

    ratio: tuple | None
    widths: tuple
    webp: bool = True


CROPS = {
    "original": None,  # widths from settings.IMAGE_RENDITION_WIDTHS
    "card": Crop((3, 2), (320, 640, 960)),
    "wide": Crop((16, 9), (640, 960, 1280, 1600)),
    "standard": Crop((4, 3), (1200,), webp=False),
    "square": Crop((1, 1), (160, 320, 640, 1200)),
    "social": Crop((1200, 630), (1200,), webp=False),
}


def crop_spec(name):
    if name == "original":
        return Crop(None, tuple(settings.IMAGE_RENDITION_WIDTHS))
    return CROPS[name]


class RenditionError(Exception):
    """The original cannot be turned into renditions (missing, not an allowed image, too large)."""


class TooManyPixels(RenditionError):
    def __init__(self, width, height, limit):
        super().__init__(f"{width}×{height} pixels is more than the limit of {limit}")
        self.width, self.height, self.limit = width, height, limit


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
    """The renditions of one crop of an image: WebP ones and ones in a format every browser shows."""

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
    def smallest(self):
        return self.fallback[0]

    @property
    def default(self):
        """What <img src> shows to browsers that ignore srcset: a mid-sized rendition."""
        return self.closest(960)

    @property
    def is_portrait(self):
        return self.height > self.width

    def closest(self, width):
        """The narrowest fallback rendition at least `width` wide (else the widest)."""
        return next((rendition for rendition in self.fallback if rendition.width >= width), self.largest)


def image_set(manifest, crop="original", *, storage=None):
    """The ImageSet of `crop` from a rendition manifest, or None when there is none yet.

    A crop that is not made yet (an image whose renditions predate it) falls back to the image at
    its own proportions: the nearest thing that exists, never a request-time rendition.
    """
    crops = (manifest or {}).get("crops") or {}
    data = crops.get(crop) or crops.get("original")
    if not data or not data.get("fallback"):
        return None
    storage = storage or public_storage()

    def build(items):
        return tuple(
            Rendition(
                url=_url(storage, item["name"]),
                width=item["width"],
                height=item["height"],
                mime=item["mime"],
                size=item["size"],
            )
            for item in items
        )

    return ImageSet(
        width=data["width"], height=data["height"], webp=build(data["webp"]), fallback=build(data["fallback"])
    )


_urls = {}


def _url(storage, name):
    """storage.url(name), remembered in this process: a page shows dozens of renditions, and the public
    store's URLs depend on nothing but the name and the store's settings (no signature, no expiry: see
    newsroom.env.storages_config)."""
    key = (storage, getattr(storage, "base_url", None), name)
    url = _urls.get(key)
    if url is None:
        if len(_urls) >= 10_000:
            _urls.clear()
        url = _urls[key] = storage.url(name)
    return url


def manifest_names(manifest):
    """Every file a manifest lists (to delete the renditions it replaced)."""
    return {
        item["name"]
        for data in ((manifest or {}).get("crops") or {}).values()
        for item in [*data.get("webp", ()), *data.get("fallback", ())]
    }


# Opening images: only the allowed formats, never more pixels than the limit.


def open_image(data, *, max_pixels=None):
    """Decode `data` (bytes) as an allowed image with its orientation applied; returns (image, format).

    Raises RenditionError for anything else: another format, a broken file, too many pixels
    (checked from the header, before any pixel is decoded).
    """
    max_pixels = max_pixels or settings.IMAGE_MAX_PIXELS
    try:
        image = open_upload(data)
        if image.width * image.height > max_pixels:
            raise TooManyPixels(image.width, image.height, max_pixels)
        source_format = image.format
        image = ImageOps.exif_transpose(image)  # loads the pixels, applies and drops the orientation tag
    except RenditionError:
        raise
    except (UnidentifiedImageError, PILImage.DecompressionBombError, OSError, SyntaxError, ValueError) as error:
        raise RenditionError(f"not a usable image ({error})") from error
    return image, source_format


def open_upload(data):
    """An uploaded or stored image, opened by the JPEG, PNG, WebP or GIF decoder only (header read, pixels not)."""
    return PILImage.open(io.BytesIO(data), formats=list(ALLOWED_FORMATS))


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
    image, source_format = open_image(data)
    try:
        icc_profile = image.info.get("icc_profile")  # exif_transpose kept the original's info
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
    except (OSError, ValueError, KeyError) as e:
        raise RenditionError(f"not a usable image ({e})") from e
    return Reencoded(buffer.getvalue(), extension, PILImage.MIME[source_format], pixels.width, pixels.height)


_METADATA_KEYS = {"exif", "xmp", "XML:com.adobe.xmp", "comment", "photoshop", "iptc", "extension"}


def has_metadata(data):
    """Does this stored image carry EXIF (GPS), XMP, comments or text chunks that a re-encoded copy would not?"""
    try:
        image = open_upload(data)
        image.load()
    except Exception:  # unreadable files are reported by make_renditions, not here
        return False
    return bool(image.getexif() or _METADATA_KEYS & set(image.info) or getattr(image, "text", None))


@dataclass(frozen=True)
class ImageFacts:
    width: int
    height: int
    format: str

    @property
    def mime(self):
        return MIME_TYPES[self.format]


def probe(upload, *, max_pixels=None):
    """Check an upload: an allowed format, within the pixel limit (read from the header before any pixel is
    decoded), then whole: every pixel decodes, so a truncated file is refused now rather than failing later
    in the renditions job. Returns its ImageFacts (width and height as shown, i.e. after EXIF orientation)."""
    max_pixels = max_pixels or settings.IMAGE_MAX_PIXELS
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        with open_upload(data) as image:
            width, height, source_format = image.width, image.height, image.format
            if width * height > max_pixels:
                raise TooManyPixels(width, height, max_pixels)
            orientation = image.getexif().get(0x0112, 1)
        with open_upload(data) as image:
            image.verify()  # structure and checksums
        with open_upload(data) as image:
            image.load()  # and the pixels: a truncated file raises here
    except RenditionError:
        raise
    except PILImage.DecompressionBombError as error:  # so many pixels Pillow itself will not read the header on
        raise TooManyPixels(0, 0, max_pixels) from error
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        RuntimeError,
    ) as error:
        raise RenditionError(f"not a usable image ({error})") from error
    if orientation in {5, 6, 7, 8}:
        width, height = height, width
    return ImageFacts(width=width, height=height, format=source_format)


# Making renditions.


def crop_box(width, height, ratio, focal_x=0.5, focal_y=0.5):
    """The largest box of `ratio` inside a width×height image, centred on the focal point as far as the
    edges allow: (left, top, right, bottom)."""
    ratio_width, ratio_height = ratio
    if width * ratio_height > height * ratio_width:  # the image is wider than the ratio: use its full height
        box_height = height
        box_width = max(1, min(width, round(height * ratio_width / ratio_height)))
    else:
        box_width = width
        box_height = max(1, min(height, round(width * ratio_height / ratio_width)))
    left = min(max(round(focal_x * width - box_width / 2), 0), width - box_width)
    top = min(max(round(focal_y * height - box_height / 2), 0), height - box_height)
    return (left, top, left + box_width, top + box_height)


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
            background = PILImage.new("RGB", rgba.size, (255, 255, 255))
            background.paste(rgba, mask=rgba.getchannel("A"))
            return background
        return image.convert("RGB")
    return image.convert("RGBA" if _has_alpha(image) else "RGB")


def _widths(wanted, available):
    widths = [width for width in wanted if width < available]
    widths.append(min(available, max(wanted)))
    return sorted(set(widths))


def _encode(image, extension, icc_profile):
    spec = _FORMATS[extension]
    options = dict(spec["options"])
    if icc_profile:
        options["icc_profile"] = icc_profile
    buffer = io.BytesIO()
    image.save(buffer, format=spec["format"], **options)
    return buffer.getvalue()


def write_file(storage, name, data):
    """Write `data` at exactly `name` through the storage API (replacing what a failed try left there)."""
    if storage.exists(name):
        storage.delete(name)
    saved = storage.save(name, ContentFile(data))
    return saved


def render_crops(image, source_format, base, *, crops, focal=(0.5, 0.5), storage=None):
    """Write the renditions of an opened image under `base` and return their manifest entries by crop.

    Widest first, each from the one before: a chain of small steps costs a fraction of resizing the full
    picture every time, for the same look. A crop that covers the same part of the picture as an earlier
    one (a 16:9 crop of a 16:9 photo) shares its files instead of encoding them again.
    """
    storage = storage or public_storage()
    icc_profile = image.info.get("icc_profile")
    fallback_extension = _fallback_extension(source_format, image)
    made, encoded = {}, {}
    for name in crops:
        spec = crop_spec(name)
        box = (0, 0, image.width, image.height)
        if spec.ratio is not None:
            box = crop_box(image.width, image.height, spec.ratio, *focal)
        source = image if box == (0, 0, image.width, image.height) else image.crop(box)
        entry = {"width": source.width, "height": source.height, "webp": [], "fallback": []}
        extensions = [("webp", "webp")] if spec.webp else []
        extensions.append((fallback_extension, "fallback"))
        scaled = source
        for width in sorted(_widths(spec.widths, source.width), reverse=True):
            height = max(1, round(source.height * width / source.width))
            for extension, key in extensions:
                if (box, width, extension) not in encoded:
                    if width != scaled.width:
                        scaled = scaled.resize((width, height), PILImage.Resampling.LANCZOS, reducing_gap=3.0)
                    pixels = _prepare(scaled, extension)
                    pixels.info = {}  # never carry EXIF, GPS, XMP or comments into a rendition
                    data = _encode(pixels, extension, icc_profile)
                    encoded[box, width, extension] = {
                        "name": write_file(storage, f"{base}/{name}-{width}w.{extension}", data),
                        "width": width,
                        "height": height,
                        "mime": _FORMATS[extension]["mime"],
                        "size": len(data),
                    }
                entry[key].insert(0, encoded[box, width, extension])
        made[name] = entry
    return made


def rendition_base(image):
    """The folder of one version's renditions: stable for retries, unguessable without SECRET_KEY, so the
    photos of a story that is not public yet cannot be found by counting."""
    message = f"{image.pk}:{image.version}:{image.file.name}".encode()
    key = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:16]
    return f"renditions/{image.pk}/{image.version}-{key}"


def read_original(image):
    try:
        with image.file.storage.open(image.file.name, "rb") as handle:
            return handle.read()
    except (OSError, ValueError) as error:
        raise RenditionError(f"cannot read the original ({error})") from error


def make_renditions(image, *, storage=None):
    """Make every rendition of `image` at its current version; returns the manifest (not saved).

    Raises RenditionError when the original is missing or unusable.
    """
    if not image.file:
        raise RenditionError("no file")
    pixels, source_format = open_image(read_original(image))
    try:
        crops = render_crops(
            pixels,
            source_format,
            rendition_base(image),
            crops=list(CROPS),
            focal=(image.focal_x, image.focal_y),
            storage=storage,
        )
    except (OSError, ValueError) as error:
        raise RenditionError(f"cannot write renditions ({error})") from error
    return {
        "version": image.version,
        "width": pixels.width,
        "height": pixels.height,
        "focal": [image.focal_x, image.focal_y],
        "crops": dict(sorted(crops.items())),
    }


def delete_files(names, *, storage=None):
    """Delete rendition files, ignoring those already gone."""
    storage = storage or public_storage()
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("Could not delete rendition %s", name, exc_info=True)
