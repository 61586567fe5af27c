"""The demo's media: library pictures drawn with Pillow (no network), with credits and rights, and one story
that shows every kind of media a body can hold (load_demo).

The pictures are invented scenes: a gradient sky, a horizon, shapes standing for the subject. Each
subject sits where its focal point is, so the crops visibly keep it in view.
"""

import io

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont

# key: (title, alt, caption, credit, licence, source, size, colours, label, subject (x, y), tags)
DEMO_IMAGES = {
    "harbour": {
        "title": "Harbour at dawn",
        "alt": "Fishing boats moored along a quay under an orange sky, a lighthouse on the right.",
        "caption": "The old harbour at first light, before the fleet goes out.",
        "credit": "Photo: Ines Calder / Newsroom Daily",
        "licence": "staff",
        "source": "Staff photographer",
        "size": (1600, 900),
        "colors": ["#f4a261", "#264653"],
        "label": "Harbour",
        "focal": (0.82, 0.38),
        "tags": ["harbour", "coast"],
    },
    "flood-wall": {
        "title": "New flood wall",
        "alt": "A concrete flood wall runs along a river bank beside a footpath.",
        "caption": "The first section of the flood wall, finished in March.",
        "credit": "Photo: Tomás Reyes / Newsroom Daily",
        "licence": "staff",
        "source": "Staff photographer",
        "size": (1500, 1000),
        "colors": ["#8ecae6", "#023047"],
        "label": "Flood wall",
        "focal": (0.3, 0.6),
        "tags": ["flooding", "infrastructure"],
    },
    "engineer": {
        "title": "Site engineer (portrait)",
        "alt": "An engineer in a hard hat and orange jacket stands on the wall, looking at the river.",
        "caption": "Site engineer Maya Osei on the finished wall.",
        "credit": "Photo: Tomás Reyes / Newsroom Daily",
        "licence": "staff",
        "source": "Staff photographer",
        "size": (800, 1200),
        "colors": ["#ffb703", "#fb8500"],
        "label": "Engineer",
        "focal": (0.5, 0.3),
        "tags": ["people", "infrastructure"],
    },
    "aerial": {
        "title": "River from the air",
        "alt": "An aerial view of a river bending through a town, with the new wall along its east bank.",
        "caption": "The river bends through the old town; the wall follows its eastern bank.",
        "credit": "Aerial photo: Skyline Survey Ltd",
        "licence": "licensed",
        "source": "Skyline Survey Ltd, licence 2024-118",
        "restrictions": "Editorial use in coverage of the flood scheme only.",
        "size": (1600, 667),
        "colors": ["#2a9d8f", "#1d3557"],
        "label": "Aerial view",
        "focal": (0.65, 0.5),
        "tags": ["aerial", "flooding"],
    },
    "meeting": {
        "title": "Residents' meeting",
        "alt": "Residents sit in rows of chairs in a community hall, facing a panel at a table.",
        "caption": "About 200 residents came to the consultation in the community hall.",
        "credit": "Photo: Priya Raman / Newsroom Daily",
        "licence": "staff",
        "source": "Staff photographer",
        "size": (1600, 1067),
        "colors": ["#e9c46a", "#6d597a"],
        "label": "Meeting",
        "focal": (0.5, 0.5),
        "tags": ["people"],
    },
    "pumps": {
        "title": "Pumping station",
        "alt": "Three large blue pumps inside a brick pumping station.",
        "caption": "The pumping station can move 12 cubic metres of water a second.",
        "credit": "Handout: River Authority",
        "licence": "handout",
        "source": "River Authority press office",
        "size": (1600, 1200),
        "colors": ["#457b9d", "#a8dadc"],
        "label": "Pumps",
        "focal": (0.4, 0.55),
        "tags": ["infrastructure"],
    },
    "sandbags": {
        "title": "Sandbags in 2019",
        "alt": "A row of sandbags in front of shop doors on a flooded street.",
        "caption": "Sandbags on Market Street during the 2019 flood.",
        "credit": "Photo: Archive / Newsroom Daily",
        "licence": "staff",
        "source": "Newsroom Daily archive",
        "size": (1500, 1000),
        "colors": ["#6c757d", "#343a40"],
        "label": "2019 flood",
        "focal": (0.5, 0.7),
        "tags": ["archive", "flooding"],
    },
}

MEDIA_ARTICLE = {
    "headline": "The town that built a wall against the river",
    "slug": "the-town-that-built-a-wall-against-the-river",
    "dek": "Five years after the worst flood in living memory, a 2-kilometre wall, new pumps and a warning system "
    "are ready. Residents say they finally sleep through storms.",
    "section": "local",
    "authors": ["tomas-reyes"],
    "tags": ["Flooding", "Infrastructure", "Climate"],
    "hours_ago": 3,
    "image": "harbour",
    # A YouTube video and a Datawrapper chart, both shown only after the reader asks for them.
    "youtube": "https://www.youtube.com/watch?v=aqz-KE-bpKQ",
    "datawrapper": "https://datawrapper.dwcdn.net/dfL6T/1/",
}


def picture(spec):
    """A JPEG for a demo image: a gradient, a horizon, and a bright subject at the focal point."""
    width, height = spec["size"]
    start, end = (tuple(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in spec["colors"])
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        mix = y / (height - 1)
        draw.line([(0, y), (width, y)], fill=tuple(round(a + (b - a) * mix) for a, b in zip(start, end, strict=True)))
    horizon = round(height * 0.68)
    draw.rectangle([(0, horizon), (width, height)], fill=tuple(max(0, round(c * 0.55)) for c in end))
    x, y = spec["focal"][0] * width, spec["focal"][1] * height
    radius = min(width, height) * 0.12
    draw.ellipse(
        [(x - radius, y - radius), (x + radius, y + radius)], fill=(255, 255, 255), outline=(20, 20, 20), width=6
    )
    font = ImageFont.load_default(size=max(32, round(min(width, height) * 0.07)))
    draw.text((width * 0.06, height * 0.08), spec["label"], fill=(255, 255, 255), font=font, anchor="la")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=82, optimize=True)
    return ContentFile(buffer.getvalue(), name=f"{spec['label'].lower().replace(' ', '-')}.jpg")


def media_body(images):
    """The story's body: inline, wide and full pictures, a pull quote, a table, a gallery and two embeds."""
    from articles import media

    return "".join(
        [
            "<p>When the river rose through Market Street in the winter of 2019, it took eleven hours to reach the "
            "town hall steps and three weeks to leave. Five years and £48 million later, the town has finished the "
            "defences that residents were promised the morning after.</p>",
            media.figure_html(images["engineer"], size="inline"),
            "<p>The 2-kilometre wall follows the river's eastern bank from the railway bridge to the old mill. It is "
            "designed for a flood twice the size of 2019's, said the site engineer, Maya Osei, who has worked on "
            "the scheme since its first survey.</p>",
            media.figure_html(
                images["flood-wall"], size="wide", caption="The wall's first section, seen from the footbridge."
            ),
            "<h2>Pumps, gates and a warning system</h2>",
            "<p>Behind the wall, a rebuilt pumping station can move water back into the river when storm drains "
            "overflow, and six flood gates close across the roads that cross the embankment.</p>",
            media.pull_quote_html(
                "For the first time since 2019, I don’t lie awake when it rains.",
                attribution="Helen Marsh, who runs the bakery on Market Street",
            ),
            media.table_html(
                [
                    ["Part of the scheme", "Cost", "Finished"],
                    ["Flood wall (2 km)", "£31m", "March"],
                    ["Pumping station", "£11m", "May"],
                    ["Gates and warning system", "£6m", "June"],
                ]
            ),
            media.figure_html(images["aerial"], size="full"),
            "<p>The River Authority says the wall protects about 1,400 homes and 230 businesses. Insurers have "
            "begun to take that into account: several residents said their premiums fell this year.</p>",
            media.gallery_html(
                [images["meeting"], images["pumps"], images["sandbags"], images["harbour"]],
                caption="Five years of work, from the flood to the finished scheme.",
            ),
            "<h2>Watch: how the gates close</h2>",
            media.embed_html(MEDIA_ARTICLE["youtube"], caption="The River Authority's film of a test closure."),
            "<p>River levels at the town gauge since 2015, with the 2019 peak:</p>",
            media.embed_html(MEDIA_ARTICLE["datawrapper"], caption="River level at the town gauge, in metres."),
            "<hr>",
            "<p>The authority will test the gates again in October, before the storm season. Residents can sign up "
            "for flood warnings by text message at the town hall.</p>",
        ]
    )
