"""How the tag field reads and writes tags: comma-separated, as WordPress does.

django-taggit's defaults quote every multi-word tag ("North Korea" shows as "\"North Korea\"")
and read a comma-less entry as one tag per word. Here a comma always separates tags, so
"North Korea" is one tag and is shown without quotes; only a tag that itself holds a comma
is quoted. settings.TAGGIT_TAGS_FROM_STRING and TAGGIT_STRING_FROM_TAGS point here.
"""

import re

_QUOTED = re.compile(r'"([^"]*)"')
NAME_MAX_LENGTH = 100  # taggit's Tag.name


def parse_tags(text):
    """Tag names from the field's text: split on commas outside "quotes", spaces folded, duplicates
    (ignoring case) and empty names dropped, each cut to the length a tag name can have; in typed order."""
    if not text:
        return []
    text = re.sub(r"[\x00-\x1f\x7f]", " ", text)
    names, quoted = [], []

    def keep(match):
        quoted.append(match.group(1))
        return f"\x00{len(quoted) - 1}\x00"

    for part in _QUOTED.sub(keep, text).replace('"', "").split(","):
        part = re.sub(r"\x00(\d+)\x00", lambda match: quoted[int(match.group(1))], part)
        name = " ".join(part.split())[:NAME_MAX_LENGTH].strip()
        if name and name.casefold() not in {seen.casefold() for seen in names}:
            names.append(name)
    return names


def edit_string(tags):
    """The field's text for `tags`: names joined by ", ", quoted only when a name holds a comma."""
    names = sorted((tag.name for tag in tags), key=str.casefold)
    return ", ".join(f'"{name}"' if "," in name else name for name in names)
