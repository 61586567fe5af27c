"""Demo data for the desk features: an Opinion and an Analysis piece, author portraits, the curated front
page and a breaking-news banner (used by the load_demo command)."""

import io

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont

# The reference article's real first publication by DoD News: Wednesday 4 May 2022 (US Eastern afternoon).
REFERENCE_FIRST_PUBLISHED = "2022-05-04T20:00:00+00:00"

# The front page the demo opens with: the reference article as the lead (the Analysis piece is newer),
# then two top stories; everything else follows newest first.
FRONT_PINS = [
    "us-japan-defense-ministers-pledge-to-defend-rules-based-order",
    "pacific-defence-ministers-agree-to-expand-joint-maritime-patrols",
    "opinion-eastbrook-cannot-afford-another-decade-of-patchwork-bus-funding",
]

BANNER = {
    "text": "Storm warning: Lakeshore ferries are cancelled until Thursday morning",
    "url": "/section/local/",
    "level": "breaking",
}

PORTRAIT_COLORS = ["#1e3a8a", "#14532d", "#7c2d12", "#4c1d95", "#0f5c66", "#831843", "#3f3f46"]

DESK_ARTICLES = [
    {
        "headline": "Japan’s quiet defence revolution is reshaping the Pacific",
        "slug": "analysis-japan-s-quiet-defence-revolution-is-reshaping-the-pacific",
        "kind": "analysis",
        "dek": (
            "Bigger budgets, new missiles and closer ties with its neighbours: Tokyo is changing what a "
            "pacifist constitution allows, one careful step at a time."
        ),
        "body": (
            "<p>For most of the past seventy years, Japan’s armed forces were built to defend and little else. "
            "That is changing faster than at any time since the war, and the region is adjusting around it.</p>"
            "<p>The government has committed to raising defence spending to two per cent of national output, "
            "bought long-range missiles able to strike launch sites abroad, and signed access agreements with "
            "Australia and the Philippines that let troops train on each other’s soil.</p>"
            "<h2>What has not changed</h2>"
            "<p>The constitution still renounces war, and polls show most voters want it to. Officials describe "
            "each step as deterrence, and have kept the new capabilities under tight political control.</p>"
            "<p>“The direction is clear, but the pace is set by what the public will accept,” said Lena Marsh of "
            "the Harbour Institute for Strategic Studies. “That is a feature, not a weakness.”</p>"
            "<h2>Why it matters here</h2>"
            "<p>For smaller Pacific states the shift brings both reassurance and questions: more ships to call on "
            "after a cyclone, and a larger role in a rivalry they would rather stay out of.</p>"
        ),
        "section": "world",
        "authors": ["mei-lin-hsu"],
        "publisher": None,
        "original_url": "",
        "rights": "",
        "tags": ["Japan", "Indo-Pacific", "Defence"],
        "hours_ago": 0.5,
        "image": {
            "label": "Analysis",
            "colors": ("#14532d", "#0f766e"),
            "alt": "A green gradient placeholder with the word Analysis",
            "caption": "Japan’s defence ministry has grown its budget three years running.",
            "credit": "Newsroom Daily",
        },
        "status": "published",
        "comment_policy": "open",
    },
    {
        "headline": "Eastbrook cannot afford another decade of patchwork bus funding",
        "slug": "opinion-eastbrook-cannot-afford-another-decade-of-patchwork-bus-funding",
        "kind": "opinion",
        "dek": (
            "Year-to-year grants have left the region with timetables nobody can plan a life around. "
            "The transport bill is a chance to fix that."
        ),
        "body": (
            "<p>Ask anyone who relies on the number 12 bus what they want from the transport bill, and the "
            "answer will not be a new route or a shiny depot. It will be a timetable that is still there next year.</p>"
            "<p>For a decade the region’s buses have been paid for one year at a time. Every spring, services are "
            "cut or saved depending on a grant letter that arrives weeks before the money runs out.</p>"
            "<p>The bill now before parliament would give regional authorities five-year budgets instead. That is "
            "not glamorous, and it will not by itself add a single bus. But it would let councils sign longer "
            "contracts, keep drivers, and promise riders that a route will outlast an election.</p>"
            "<p>Members should pass it, and resist amendments that would quietly bring the annual bidding back.</p>"
        ),
        "section": "politics",
        "authors": ["tomas-reyes"],
        "publisher": None,
        "original_url": "",
        "rights": "",
        "tags": ["Transport", "Eastbrook"],
        "hours_ago": 12,
        "image": None,
        "status": "published",
        "comment_policy": "open",
    },
]


def portrait(name, color, *, size=600):
    """A square JPEG portrait placeholder: a head-and-shoulders silhouette and the initials, in the
    author's colour (real pixels, like the demo's other images)."""
    image = Image.new("RGB", (size, size), color)
    draw = ImageDraw.Draw(image)
    base = tuple(int(color[i : i + 2], 16) for i in (1, 3, 5))
    light = tuple(min(255, round(channel + (255 - channel) * 0.35)) for channel in base)
    draw.ellipse([size * 0.32, size * 0.14, size * 0.68, size * 0.52], fill=light)
    draw.ellipse([size * 0.14, size * 0.56, size * 0.86, size * 1.25], fill=light)
    initials = "".join(word[0] for word in name.split()[:2]).upper()
    font = ImageFont.load_default(size=size // 7)
    draw.text((size / 2, size * 0.82), initials, fill=(255, 255, 255), font=font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85, optimize=True)
    return ContentFile(buffer.getvalue())
