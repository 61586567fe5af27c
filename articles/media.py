"""The media library's Python API. The admin, the body editor's endpoints, load_demo and importers (the
WordPress import) write images through these functions, never with Image.save() directly:

    image = media.image_create_from_file(file=open("photo.jpg", "rb"), title="Harbour at dawn",
                                         alt="Fishing boats moored in a harbour", credit="Photo: Ada / Wire")
    body = (
        "<p>Text…</p>"
        + media.figure_html(image, size="wide", caption="")  # "" shows the library's caption
        + media.gallery_html([image, other], caption="Scenes from the harbour")
        + media.embed_html("https://www.youtube.com/watch?v=dQw4w9WgXcQ")  # unknown URLs give a plain link
        + media.pull_quote_html("We will rebuild.", attribution="The mayor")
        + media.table_html([["Year", "Boats"], ["2024", "31"]])
    )
    services.article_save(article=Article(..., body=body, image=image))

It also resolves what a body refers to for reader pages (lookup()), from the cache when it can and
otherwise with one query for the images and one for the embeds, however many there are; and it runs
the jobs' work: renditions (refresh_renditions) and the optional oEmbed fetch (refresh_embed).
"""

import logging
import re
from dataclasses import dataclass, field
from datetime import timedelta
from html import escape

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from articles import embeds, events, images, richtext
from articles.models import Article, Embed, Image
from newsroom import per_request

logger = logging.getLogger(__name__)

CACHE_SECONDS = 60 * 60 * 24
_MISSING = "missing"
# Replaced renditions stay this long, for pages and CDNs that still point at them.
OLD_RENDITIONS_KEPT = timedelta(days=1)
# A failed oEmbed fetch is tried again after a day, a good answer after a month (when a story using it is saved).
EMBED_REFRESH_AFTER = timedelta(days=1)
EMBED_KEPT_FOR = timedelta(days=30)

EXTENSIONS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}


# What reader pages need of an image or an embed: small, picklable values, cached by id.


@dataclass(frozen=True)
class ImageInfo:
    id: int
    title: str
    alt: str
    is_decorative: bool
    caption: str
    credit: str
    width: int
    height: int
    renditions_data: dict = field(default_factory=dict)

    @classmethod
    def from_image(cls, image):
        return cls(
            id=image.pk,
            title=image.title,
            alt=image.alt,
            is_decorative=image.is_decorative,
            caption=image.caption,
            credit=image.credit,
            width=image.width,
            height=image.height,
            renditions_data=image.renditions_data,
        )

    @property
    def alt_text(self):
        return "" if self.is_decorative else self.alt

    def renditions(self):
        return images.image_set(self.renditions_data, "original")

    def crop(self, name):
        return images.image_set(self.renditions_data, name)


@dataclass(frozen=True)
class EmbedInfo:
    title: str = ""
    author_name: str = ""
    thumbnail: dict = field(default_factory=dict)

    def thumbnail_set(self):
        return images.image_set(self.thumbnail, "original")


@dataclass
class MediaLookup:
    """The library images and embed details a body refers to, by image id and by URL."""

    images: dict = field(default_factory=dict)
    embeds: dict = field(default_factory=dict)


def _image_key(pk):
    return f"media:image:{pk}"


def _embed_key(url):
    return f"media:embed:{embeds.url_hash(url)}"


def resolve_images(ids):
    """ImageInfo by id for `ids`: from the cache, and one query for those it lacks. Unknown ids are left out."""
    ids = list(dict.fromkeys(int(pk) for pk in ids))
    if not ids:
        return {}
    keys = {_image_key(pk): pk for pk in ids}
    cached = per_request.get_many(list(keys))
    found = {keys[key]: value for key, value in cached.items() if value != _MISSING}
    missing = [pk for key, pk in keys.items() if key not in cached]
    if missing:
        loaded = {image.pk: image.info() for image in Image.objects.filter(pk__in=missing)}
        per_request.set_many({_image_key(pk): loaded.get(pk, _MISSING) for pk in missing}, CACHE_SECONDS)
        found.update(loaded)
    return found


def resolve_embeds(urls):
    """EmbedInfo by URL for what the oEmbed job learnt about `urls` (cache, else one query)."""
    urls = list(dict.fromkeys(urls))
    if not urls:
        return {}
    keys = {_embed_key(url): url for url in urls}
    cached = per_request.get_many(list(keys))
    found = {keys[key]: value for key, value in cached.items() if value != _MISSING}
    missing = {embeds.url_hash(url): url for key, url in keys.items() if key not in cached}
    if missing:
        loaded = {
            missing[row.url_hash]: EmbedInfo(title=row.title, author_name=row.author_name, thumbnail=row.thumbnail)
            for row in Embed.objects.filter(url_hash__in=list(missing))
        }
        per_request.set_many({_embed_key(url): loaded.get(url, _MISSING) for url in missing.values()}, CACHE_SECONDS)
        found.update(loaded)
    return found


def lookup(*bodies):
    """A MediaLookup for every image and embed the parsed `bodies` (richtext.Body) refer to."""
    image_ids, urls = [], []
    for body in bodies:
        image_ids += body.image_ids
        urls += body.embed_urls
    return MediaLookup(images=resolve_images(image_ids), embeds=resolve_embeds(urls))


def cache_keys(*bodies):
    """The cache keys lookup() reads for the parsed `bodies` (for per_request.read_ahead())."""
    return [
        *(_image_key(pk) for body in bodies for pk in body.image_ids),
        *(_embed_key(url) for body in bodies for url in body.embed_urls),
    ]


def forget_image(pk):
    """Drop an image's cached reader data, now and again after the transaction commits."""
    per_request.delete(_image_key(pk))
    transaction.on_commit(lambda: per_request.delete(_image_key(pk)))


def forget_embed(url):
    per_request.delete(_embed_key(url))
    transaction.on_commit(lambda: per_request.delete(_embed_key(url)))


# Writing images.


def check_file(upload):
    """Refuse what the library must not take: too big a file, not a JPEG, PNG, WebP or GIF (checked by Pillow
    with only those decoders), a broken file, too many pixels. Returns the images.ImageFacts."""
    size = getattr(upload, "size", None)
    if size is not None and size > settings.MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("This file is %(size)s; the largest allowed is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(settings.MAX_UPLOAD_BYTES)},
            code="file_too_large",
        )
    if size == 0:
        raise ValidationError(_("The submitted file is empty."), code="empty")
    try:
        facts = images.probe(upload)
    except images.TooManyPixels as error:
        limit = error.limit // 1_000_000
        message = (
            _("This image is %(width)s×%(height)s pixels; the largest allowed is %(limit)s megapixels.")
            % {"width": error.width, "height": error.height, "limit": limit}
            if error.width
            else _("This image has far too many pixels; the largest allowed is %(limit)s megapixels.")
            % {"limit": limit}
        )
        raise ValidationError(message, code="image_too_large") from None
    except images.RenditionError:
        raise ValidationError(
            _("Upload a valid image: a JPEG, PNG, WebP or GIF. This file is not one, or it is damaged."),
            code="invalid_image",
        ) from None
    return facts


def _file_name(name, facts):
    """A stored name from the upload's, with the extension of what the file really is."""
    stem = slugify(re.sub(r"\.[A-Za-z0-9]{1,5}$", "", (name or "").rsplit("/", 1)[-1]))[:80] or "image"
    return f"{stem}.{EXTENSIONS[facts.format]}"


def title_from(name):
    """A title from a file's name: "harbour_at-dawn.jpg" gives "harbour at dawn"."""
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", (name or "").rsplit("/", 1)[-1])
    return " ".join(re.sub(r"[-_]+", " ", stem).split())[:255] or _("Untitled image")


@transaction.atomic
def image_create_from_file(
    *,
    file,
    title="",
    alt="",
    is_decorative=False,
    caption="",
    credit="",
    source="",
    licence=Image.Licence.UNKNOWN,
    restrictions="",
    rights_expire_at=None,
    tags=(),
    focal_point=(0.5, 0.5),
    user=None,
    name=None,
):
    """Add a picture to the library and plan its renditions; returns the saved Image.

    file: an uploaded file, any django File, an open binary file, or bytes (then give `name`).
    alt is required unless is_decorative. focal_point: (x, y) from 0 to 1, left/top to right/bottom.
    Raises ValidationError (codes file_too_large, empty, invalid_image, image_too_large, alt_required)
    and stores nothing then.
    """
    if isinstance(file, bytes | bytearray):
        file = ContentFile(bytes(file), name=name or "image")
    elif not isinstance(file, File):
        file = File(file, name=name or getattr(file, "name", "image"))
    image = Image(
        title=(title or title_from(name or file.name)).strip()[:255],
        alt=alt,
        is_decorative=is_decorative,
        caption=caption,
        credit=credit,
        source=source,
        licence=licence,
        restrictions=restrictions,
        rights_expire_at=rights_expire_at,
        focal_x=focal_point[0],
        focal_y=focal_point[1],
    )
    image.file = file
    return image_save(image=image, user=user, tags=list(tags))


READER_FIELDS = ("alt", "is_decorative", "caption", "credit")


@transaction.atomic
def image_save(*, image, user=None, tags=None, validate=True):
    """Create or change a library image. A new file or focal point gives a new version, whose renditions
    a job makes (pages keep the previous ones meanwhile); a changed caption, credit or alt text is
    announced at once to every public story that shows the image. tags: names (None leaves them).
    Raises ValidationError.
    """
    stored = Image.objects.select_for_update().filter(pk=image.pk).first() if image.pk else None
    new_file = stored is None or not getattr(image.file, "_committed", True) or image.file.name != stored.file.name
    if new_file:
        facts = check_file(image.file)
        image.width, image.height = facts.width, facts.height
        if not getattr(image.file, "_committed", True):
            image.file.name = _file_name(image.file.name, facts)
    if validate:
        image.full_clean(exclude=["file"] if not new_file else None)
    moved = stored is not None and (stored.focal_x, stored.focal_y) != (image.focal_x, image.focal_y)
    if stored is None:
        image.version = 1
        image.renditions_data = {}
        if user is not None and user.is_authenticated:
            image.uploaded_by = user
    else:
        image.version = stored.version + (1 if new_file or moved else 0)
        image.renditions_data = stored.renditions_data  # only the renditions job writes these
        image.uploaded_by_id = stored.uploaded_by_id
    image.save()
    if tags is not None:
        image.tags.set(list(tags))
    forget_image(image.pk)
    if new_file or moved:
        from articles import tasks
        from newsroom.tasks import enqueue_on_commit

        enqueue_on_commit(tasks.make_image_renditions, image.pk)
    if stored is not None and new_file and stored.file.name != image.file.name:
        old_name, storage = stored.file.name, stored.file.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    if stored is not None and any(getattr(stored, name) != getattr(image, name) for name in READER_FIELDS):
        announce_image(image)
    return image


def image_delete(*, image):
    """Delete an image that nothing uses (else ProtectedError names the stories), its original and renditions."""
    names = images.manifest_names(image.renditions_data)
    original, storage = image.file.name, image.file.storage
    with transaction.atomic():
        image.delete()
        forget_image(image.pk)

        def remove_files():
            images.delete_files(names)
            if original:
                storage.delete(original)

        transaction.on_commit(remove_files)


def articles_using(image):
    """Every article that shows `image` (featured or in its body), public or not."""
    return (
        Article.objects.filter(Q(image=image) | Q(body_image_uses__image=image))
        .select_related("section", "publisher")
        .distinct()
    )


def announce_image(image):
    """Emit one IMAGE_CHANGED for the reader pages of the public stories showing `image` (none: no event)."""
    paths = events.articles_paths(articles_using(image).filter(pk__in=Article.objects.published().values("pk")))
    if paths is None:
        events.emit(events.IMAGE_CHANGED, objects=[events.object_key(image)], everything=True)
    elif paths:
        events.emit(events.IMAGE_CHANGED, paths=paths, objects=[events.object_key(image)])


def refresh_renditions(image_id):
    """The renditions job: make the renditions of the image's current version, then swap them in.

    Safe to run twice (a current manifest is left alone) and late (a newer version discards this
    one's files). Replaced files are deleted a day later. An unusable original is logged, not retried.
    """
    image = Image.objects.filter(pk=image_id).first()
    if image is None or image.renditions_data.get("version") == image.version:
        return
    try:
        manifest = images.make_renditions(image)
    except images.RenditionError as error:
        logger.warning("No renditions for image %s (%s): %s", image.pk, image.file.name, error)
        return
    from articles import tasks
    from newsroom.tasks import enqueue_on_commit

    with transaction.atomic():
        current = Image.objects.select_for_update().filter(pk=image.pk, version=image.version).first()
        if current is None:  # changed or deleted meanwhile: its own job makes the right ones
            transaction.on_commit(lambda: images.delete_files(images.manifest_names(manifest)))
            return
        old_names = images.manifest_names(current.renditions_data) - images.manifest_names(manifest)
        Image.objects.filter(pk=image.pk).update(renditions_data=manifest)
        current.renditions_data = manifest
        forget_image(image.pk)
        if old_names:
            enqueue_on_commit(
                tasks.delete_renditions, sorted(old_names), run_after=timezone.now() + OLD_RENDITIONS_KEPT
            )
        announce_image(current)


# Embeds.


def embeds_to_fetch(urls):
    """Of `urls`, those the oEmbed job should ask about: embeddable, with a provider that answers, and not
    fetched lately."""
    if not settings.EMBED_OEMBED:
        return []
    specs = {url: spec for url in urls if (spec := embeds.match(url)) and spec.provider.oembed}
    if not specs:
        return []
    now = timezone.now()
    done = set(
        Embed.objects.filter(url_hash__in=[spec.url_hash for spec in specs.values()])
        .filter(Q(fetched_at__gte=now - EMBED_REFRESH_AFTER) | Q(error="", fetched_at__gte=now - EMBED_KEPT_FOR))
        .values_list("url_hash", flat=True)
    )
    return [url for url, spec in specs.items() if spec.url_hash not in done]


def refresh_embed(url, article_ids=()):
    """The oEmbed job: learn a title and a thumbnail for `url`. Any failure is recorded and harmless."""
    spec = embeds.match(url)
    if spec is None or not settings.EMBED_OEMBED:
        return
    embed, _created = Embed.objects.get_or_create(
        url_hash=spec.url_hash, defaults={"url": spec.url, "provider": spec.provider.key}
    )
    try:
        title, author_name, thumbnail = embeds.fetch_oembed(spec)
    except embeds.EmbedFetchError as error:
        logger.info("oEmbed for %s failed: %s", url, error)
        Embed.objects.filter(pk=embed.pk).update(error=str(error)[:300], fetched_at=timezone.now())
        return
    manifest = embeds.thumbnail_manifest(thumbnail, f"embeds/{spec.url_hash[:24]}") if thumbnail else {}
    old_names = images.manifest_names(embed.thumbnail) - images.manifest_names(manifest)
    with transaction.atomic():
        Embed.objects.filter(pk=embed.pk).update(
            title=title, author_name=author_name, thumbnail=manifest, error="", fetched_at=timezone.now()
        )
        forget_embed(spec.url)
        public = Article.objects.published().filter(pk__in=list(article_ids)).select_related("section", "publisher")
        paths = events.articles_paths(public)
        if paths:
            events.emit(events.EMBED_UPDATED, paths=paths, objects=[events.object_key(embed)])
        if old_names:
            transaction.on_commit(lambda: images.delete_files(old_names))


# Building bodies (for importers and the demo): the stored format of articles.richtext.


def _pk(image):
    return image if isinstance(image, int) else image.pk


def figure_html(image, *, size="inline", caption=""):
    """A library image in a body. size: "inline" (the text's width), "wide" or "full" (the page's width).
    caption: this story's own caption; "" shows the library's."""
    if size not in richtext.SIZES:
        raise ValueError(f"size must be one of {richtext.SIZES}")
    return richtext.serialize(richtext.Block(kind="image", image_id=_pk(image), size=size, caption=caption))


def gallery_html(images_, *, size="wide", caption=""):
    """Several library images shown together, each with its own caption and credit, enlarged on click."""
    ids = [_pk(image) for image in images_]
    if not ids or len(ids) > richtext.MAX_GALLERY_IMAGES:
        raise ValueError(f"a gallery holds 1 to {richtext.MAX_GALLERY_IMAGES} images")
    if size not in richtext.SIZES:
        raise ValueError(f"size must be one of {richtext.SIZES}")
    return richtext.serialize(richtext.Block(kind="gallery", image_ids=ids, size=size, caption=caption))


def embed_html(url, *, caption=""):
    """Third-party content from a provider of articles.embeds.PROVIDERS (a URL or the provider's <iframe> code);
    anything else becomes a paragraph with a plain link."""
    url = embeds.clean_input(url)
    spec = embeds.match(url)
    if spec is None:
        return f'<p><a href="{escape(url)}">{escape(caption or url)}</a></p>'
    return richtext.serialize(richtext.Block(kind="embed", url=spec.url, caption=caption))


def pull_quote_html(text, *, attribution=""):
    """A quote set large in the body; paragraphs separated by blank lines."""
    paragraphs = [" ".join(part.split()) for part in re.split(r"\n\s*\n", text or "") if part.strip()]
    if not paragraphs:
        raise ValueError("a pull quote needs words")
    return richtext.serialize(richtext.Block(kind="pullquote", quote=paragraphs, caption=attribution))


def table_html(rows, *, header_row=True):
    """A table from rows of cell texts; the first row holds the column headings when header_row."""
    lines = []
    for number, row in enumerate(rows):
        tag = "th" if header_row and number == 0 else "td"
        lines.append("<tr>" + "".join(f"<{tag}><p>{escape(str(cell))}</p></{tag}>" for cell in row) + "</tr>")
    return "<table><tbody>" + "".join(lines) + "</tbody></table>"
