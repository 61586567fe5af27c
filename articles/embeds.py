"""Embedded third-party content, privacy first: the allowlist of providers and how each URL becomes an iframe.

An editor pastes a URL (or a provider's <iframe> code); match() recognises it and builds the
iframe's address from the URL's pattern alone, so saving and rendering need no network call. A
reader first sees a placeholder (the provider, a title, a thumbnail copied to our storage when the
optional oEmbed job found one) and nothing is requested from the provider until they click; then
static/js/media.js puts in a sandboxed iframe with only the permissions that provider needs.
A URL of no known provider stays a plain link.

fetch_oembed() is that optional job's work: it asks the provider's oEmbed endpoint for a title
and a thumbnail, and any failure leaves the placeholder as it was.
"""

import hashlib
import html
import json
import logging
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, urlencode, urlsplit

from django.conf import settings
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# What an iframe may do. Every player runs scripts in its own origin; popups let "watch on YouTube" open
# a new tab (which then escapes the sandbox, as a normal tab). No top navigation, no forms, no downloads.
SANDBOX = "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox"
SANDBOX_MEDIA = SANDBOX + " allow-presentation"


@dataclass(frozen=True)
class Provider:
    key: str
    name: str
    kind: object  # what it shows, e.g. _("video"), for the placeholder's wording
    example: str
    shape: str  # CSS class of the frame: "16x9", "4x3", "square", "tall", "audio", "audio-tall", "chart", "document"
    sandbox: str = SANDBOX
    allow: str = ""
    oembed: str = ""  # oEmbed endpoint, asked by the optional background job
    thumbnail_hosts: tuple = ()  # where an oEmbed thumbnail may be fetched from


@dataclass(frozen=True)
class EmbedSpec:
    """A recognised URL: who provides it and the iframe that shows it."""

    provider: Provider
    url: str  # the URL as the editor gave it (the "open on …" link)
    src: str  # the iframe's address, built from the URL's pattern
    shape: str

    @property
    def url_hash(self):
        return url_hash(self.url)


def url_hash(url):
    return hashlib.sha256(url.encode()).hexdigest()


VIDEO_ALLOW = "autoplay; encrypted-media; picture-in-picture; fullscreen"

PROVIDERS = {
    provider.key: provider
    for provider in [
        Provider(
            "youtube",
            "YouTube",
            _("video"),
            "https://www.youtube.com/watch?v=…",
            "16x9",
            SANDBOX_MEDIA,
            VIDEO_ALLOW,
            "https://www.youtube.com/oembed",
            ("ytimg.com",),
        ),
        Provider(
            "vimeo",
            "Vimeo",
            _("video"),
            "https://vimeo.com/…",
            "16x9",
            SANDBOX_MEDIA,
            VIDEO_ALLOW,
            "https://vimeo.com/api/oembed.json",
            ("vimeocdn.com",),
        ),
        Provider(
            "x",
            "X (Twitter)",
            _("post"),
            "https://x.com/…/status/…",
            "tall",
            oembed="https://publish.twitter.com/oembed",
        ),
        Provider("instagram", "Instagram", _("post"), "https://www.instagram.com/p/…", "tall"),
        Provider(
            "tiktok",
            "TikTok",
            _("video"),
            "https://www.tiktok.com/@…/video/…",
            "tall",
            SANDBOX_MEDIA,
            "encrypted-media; fullscreen",
            "https://www.tiktok.com/oembed",
            ("tiktokcdn.com", "tiktokcdn-us.com"),
        ),
        Provider(
            "facebook",
            "Facebook",
            _("post"),
            "https://www.facebook.com/…/posts/…",
            "tall",
            SANDBOX_MEDIA,
            "encrypted-media; fullscreen",
        ),
        Provider(
            "soundcloud",
            "SoundCloud",
            _("audio"),
            "https://soundcloud.com/…/…",
            "audio",
            SANDBOX,
            "autoplay; encrypted-media",
            "https://soundcloud.com/oembed",
            ("sndcdn.com",),
        ),
        Provider(
            "spotify",
            "Spotify",
            _("audio"),
            "https://open.spotify.com/episode/…",
            "audio",
            SANDBOX,
            "autoplay; clipboard-write; encrypted-media; fullscreen; picture-in-picture",
            "https://open.spotify.com/oembed",
            ("scdn.co", "spotifycdn.com"),
        ),
        Provider(
            "datawrapper",
            "Datawrapper",
            _("chart"),
            "https://datawrapper.dwcdn.net/…/",
            "chart",
            oembed="https://api.datawrapper.de/v3/oembed/",
            thumbnail_hosts=("datawrapper.de", "dwcdn.net"),
        ),
        Provider(
            "flourish",
            "Flourish",
            _("chart"),
            "https://public.flourish.studio/visualisation/…/",
            "chart",
            allow="fullscreen",
            oembed="https://app.flourish.studio/api/v1/oembed",
            thumbnail_hosts=("flourish.studio", "flo.uri.sh"),
        ),
        Provider(
            "google-maps", "Google Maps", _("map"), "https://www.google.com/maps/embed?pb=…", "4x3", allow="fullscreen"
        ),
        Provider(
            "documentcloud",
            "DocumentCloud",
            _("document"),
            "https://www.documentcloud.org/documents/…",
            "document",
            allow="fullscreen",
            oembed="https://api.www.documentcloud.org/api/oembed/",
            thumbnail_hosts=("documentcloud.org",),
        ),
    ]
}

_IFRAME_SRC = re.compile(r"""<iframe\b[^>]*?\bsrc\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_TIME = re.compile(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?")


def clean_input(text):
    """What an editor pasted, as one URL: a provider's <iframe …> code gives its src."""
    text = (text or "").strip()
    if match := _IFRAME_SRC.search(text):
        text = html.unescape(match.group(1)).strip()
    return text


def _host(parts):
    host = (parts.hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def _segments(parts):
    return [segment for segment in parts.path.split("/") if segment]


def _seconds(value):
    match = _TIME.fullmatch(value or "")
    if not match or not any(match.groups()):
        return None
    hours, minutes, seconds = (int(group or 0) for group in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def _youtube(parts, host, segments, query):
    video = None
    if host == "youtu.be" and segments:
        video = segments[0]
    elif host in {"youtube.com", "m.youtube.com", "music.youtube.com", "youtube-nocookie.com"}:
        if segments == ["watch"]:
            video = query.get("v", [""])[0]
        elif len(segments) >= 2 and segments[0] in {"embed", "shorts", "live", "v"}:
            video = segments[1]
    if not video or not _YOUTUBE_ID.fullmatch(video):
        return None
    start = _seconds(query.get("t", query.get("start", [""]))[0])
    src = f"https://www.youtube-nocookie.com/embed/{video}"
    return src + (f"?start={start}" if start else "")


def _vimeo(parts, host, segments, query):
    numbers = [segment for segment in segments if segment.isdigit()]
    if host not in {"vimeo.com", "player.vimeo.com"} or not numbers:
        return None
    video = numbers[0]
    params = {"dnt": "1"}
    after = segments[segments.index(video) + 1 :] if video in segments else []
    if host == "vimeo.com" and after and re.fullmatch(r"[0-9a-f]{6,20}", after[0]):
        params["h"] = after[0]
    elif query.get("h"):
        params["h"] = query["h"][0]
    return f"https://player.vimeo.com/video/{video}?{urlencode(params)}"


def _x(parts, host, segments, query):
    if host not in {"x.com", "twitter.com", "mobile.twitter.com", "mobile.x.com"}:
        return None
    if len(segments) >= 3 and segments[1] in {"status", "statuses"} and segments[2].isdigit():
        return f"https://platform.twitter.com/embed/Tweet.html?{urlencode({'id': segments[2], 'dnt': 'true'})}"
    return None


def _instagram(parts, host, segments, query):
    if host != "instagram.com" or len(segments) < 2 or segments[0] not in {"p", "reel", "tv"}:
        return None
    if not re.fullmatch(r"[A-Za-z0-9_-]{5,40}", segments[1]):
        return None
    return f"https://www.instagram.com/{segments[0]}/{segments[1]}/embed/"


def _tiktok(parts, host, segments, query):
    if host not in {"tiktok.com", "m.tiktok.com"}:
        return None
    if len(segments) >= 3 and segments[0].startswith("@") and segments[1] == "video" and segments[2].isdigit():
        return f"https://www.tiktok.com/embed/v2/{segments[2]}"
    return None


def _facebook(parts, host, segments, query):
    if host not in {"facebook.com", "m.facebook.com"}:
        return None
    canonical = f"https://www.facebook.com{parts.path}" + (f"?{parts.query}" if parts.query else "")
    if "videos" in segments or segments[:1] == ["watch"]:
        return "https://www.facebook.com/plugins/video.php?" + urlencode({"href": canonical, "show_text": "false"})
    is_post = (len(segments) >= 3 and segments[1] in {"posts", "photos"}) or segments[:1] in (
        ["permalink.php"],
        ["story.php"],
        ["photo.php"],
        ["photo"],
    )
    if not is_post:
        return None
    return "https://www.facebook.com/plugins/post.php?" + urlencode({"href": canonical, "show_text": "true"})


def _soundcloud(parts, host, segments, query):
    if host not in {"soundcloud.com", "m.soundcloud.com"} or len(segments) < 2:
        return None
    track = "https://soundcloud.com/" + "/".join(quote(segment) for segment in segments)
    return "https://w.soundcloud.com/player/?" + urlencode({"url": track, "visual": "false"})


def _spotify(parts, host, segments, query):
    if host != "open.spotify.com":
        return None
    if segments and segments[0].startswith("intl-"):
        segments = segments[1:]
    if segments[:1] == ["embed"]:
        segments = segments[1:]
    kinds = {"track", "album", "playlist", "episode", "show", "artist"}
    if len(segments) < 2 or segments[0] not in kinds or not re.fullmatch(r"[A-Za-z0-9]{10,40}", segments[1]):
        return None
    return f"https://open.spotify.com/embed/{segments[0]}/{segments[1]}"


def _datawrapper(parts, host, segments, query):
    chart = None
    if host == "datawrapper.dwcdn.net" and segments:
        chart = segments[0]
        version = segments[1] if len(segments) > 1 and segments[1].isdigit() else ""
    elif host == "app.datawrapper.de" and len(segments) >= 2 and segments[0] in {"chart", "map", "table"}:
        chart, version = segments[1], ""
    elif host == "dwc.at" and segments:  # no version known: the newest is shown
        chart, version = segments[0], ""
    if not chart or not re.fullmatch(r"[A-Za-z0-9]{5}", chart):
        return None
    return f"https://datawrapper.dwcdn.net/{chart}/" + (f"{version}/" if version else "")


def _flourish(parts, host, segments, query):
    if host not in {"public.flourish.studio", "flo.uri.sh", "app.flourish.studio"}:
        return None
    if len(segments) >= 2 and segments[0] in {"visualisation", "story"} and segments[1].isdigit():
        return f"https://flo.uri.sh/{segments[0]}/{segments[1]}/embed"
    return None


_MAP_AT = re.compile(r"@(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?),(\d+(?:\.\d+)?)z")


def _google_maps(parts, host, segments, query):
    if host not in {"google.com", "maps.google.com"} and not re.fullmatch(r"google\.[a-z.]{2,6}", host):
        return None
    if host != "maps.google.com" and segments[:1] != ["maps"]:
        return None
    if segments[:2] == ["maps", "embed"] and query.get("pb"):
        return "https://www.google.com/maps/embed?" + urlencode({"pb": query["pb"][0]})
    if match := _MAP_AT.search(parts.path):
        latitude, longitude, zoom = match.groups()
        return "https://maps.google.com/maps?" + urlencode(
            {"q": f"{latitude},{longitude}", "z": round(float(zoom)), "output": "embed"}
        )
    place = None
    if len(segments) >= 3 and segments[1] in {"place", "search"}:
        place = segments[2].replace("+", " ")
    elif query.get("q"):
        place = query["q"][0]
    if not place:
        return None
    return "https://maps.google.com/maps?" + urlencode({"q": place, "output": "embed"})


def _documentcloud(parts, host, segments, query):
    if host not in {"documentcloud.org", "embed.documentcloud.org", "beta.documentcloud.org"}:
        return None
    if len(segments) < 2 or segments[0] != "documents" or not re.fullmatch(r"\d+(?:-[a-z0-9-]+)?", segments[1]):
        return None
    return f"https://embed.documentcloud.org/documents/{segments[1]}/?" + urlencode(
        {"embed": "1", "responsive": "1", "title": "1"}
    )


_MATCHERS = [
    ("youtube", _youtube),
    ("vimeo", _vimeo),
    ("x", _x),
    ("instagram", _instagram),
    ("tiktok", _tiktok),
    ("facebook", _facebook),
    ("soundcloud", _soundcloud),
    ("spotify", _spotify),
    ("datawrapper", _datawrapper),
    ("flourish", _flourish),
    ("google-maps", _google_maps),
    ("documentcloud", _documentcloud),
]

TALL_SPOTIFY = {"album", "playlist", "show", "artist"}


def match(url):
    """The EmbedSpec of `url` when a provider of the allowlist shows it, else None (a plain link)."""
    url = (url or "").strip()
    if len(url) > 2000:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.username or parts.password:
        return None
    host, segments, query = _host(parts), _segments(parts), parse_qs(parts.query)
    for key, matcher in _MATCHERS:
        src = matcher(parts, host, segments, query)
        if src:
            provider = PROVIDERS[key]
            shape = provider.shape
            if key == "spotify" and any(kind in src for kind in (f"/embed/{k}/" for k in TALL_SPOTIFY)):
                shape = "audio-tall"
            if key == "soundcloud" and "/sets/" in url:
                shape = "audio-tall"
            if key == "youtube" and "/shorts/" in url:
                shape = "tall"
            return EmbedSpec(provider=provider, url=url, src=src, shape=shape)
    return None


# The optional oEmbed job.

MAX_OEMBED_BYTES = 256 * 1024
MAX_THUMBNAIL_BYTES = 4 * 1024 * 1024


class EmbedFetchError(Exception):
    pass


def _get(url, *, limit, accept):
    if not url.startswith("https://"):
        raise EmbedFetchError("only https is fetched")
    headers = {"Accept": accept, "User-Agent": "Newsroom oEmbed fetcher"}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - https only, checked above
    try:
        with urllib.request.urlopen(request, timeout=settings.EMBED_OEMBED_TIMEOUT) as response:  # noqa: S310
            data = response.read(limit + 1)
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise EmbedFetchError(str(error)) from error
    if len(data) > limit:
        raise EmbedFetchError("response too large")
    return data


def _allowed_thumbnail(provider, url):
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    host = (parts.hostname or "").lower()
    return parts.scheme == "https" and any(
        host == allowed or host.endswith("." + allowed) for allowed in provider.thumbnail_hosts
    )


def fetch_oembed(spec, *, get=None):
    """Ask the provider's oEmbed endpoint about `spec.url`: returns (title, author_name, thumbnail bytes or None).

    Raises EmbedFetchError on any failure; the caller records it and the page keeps its plain placeholder.
    A thumbnail is only fetched over https from the provider's own image hosts.
    """
    get = get or _get
    provider = spec.provider
    if not provider.oembed:
        raise EmbedFetchError(f"{provider.name} offers no open oEmbed endpoint")
    data = get(
        f"{provider.oembed}?{urlencode({'url': spec.url, 'format': 'json', 'maxwidth': 1280})}",
        limit=MAX_OEMBED_BYTES,
        accept="application/json",
    )
    try:
        answer = json.loads(data)
    except ValueError as error:
        raise EmbedFetchError("not JSON") from error
    if not isinstance(answer, dict):
        raise EmbedFetchError("not an oEmbed object")
    title = str(answer.get("title") or "")[:300]
    author = str(answer.get("author_name") or "")[:200]
    thumbnail = None
    thumbnail_url = answer.get("thumbnail_url")
    if isinstance(thumbnail_url, str) and _allowed_thumbnail(provider, thumbnail_url):
        try:
            thumbnail = get(thumbnail_url, limit=MAX_THUMBNAIL_BYTES, accept="image/*")
        except EmbedFetchError:
            logger.info("No thumbnail for %s", spec.url, exc_info=True)
    return title, author, thumbnail


def thumbnail_manifest(data, base):
    """Re-encode a fetched thumbnail into our public storage; returns a rendition manifest, or {} when the
    bytes are not an allowed image."""
    from articles import images

    try:
        picture, source_format = images.open_image(bytes(data), max_pixels=8_000_000)
        crops = images.render_crops(picture, source_format, base, crops=["original"])
    except images.RenditionError:
        return {}
    return {"version": 1, "width": picture.width, "height": picture.height, "crops": crops}


def as_json_ready(spec):
    """What the editor's embed dialog is told about a URL."""
    if spec is None:
        return {"embeddable": False}
    return {"embeddable": True, "provider": spec.provider.name, "kind": str(spec.provider.kind), "url": spec.url}
