"""How comments are shown: plain text made safe HTML, and the reply tree built in Python."""

import re
from collections import defaultdict

from django.utils.html import escape, linebreaks
from django.utils.safestring import mark_safe

URL_PATTERN = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"'`]+")
TRAILING_PUNCTUATION = ".,;:!?'\"*"
LINK_REL = "nofollow ugc noopener"


def _split_trailing(url):
    """Leave sentence punctuation and an unbalanced closing bracket outside the link."""
    trail = ""
    while url:
        if url[-1] in TRAILING_PUNCTUATION or (
            url[-1] in ")]}" and url.count(url[-1]) > url.count({")": "(", "]": "[", "}": "{"}[url[-1]])
        ):
            url, trail = url[:-1], url[-1] + trail
        else:
            break
    return url, trail


def linkify(text):
    """Escape `text` and turn http(s):// and www. addresses into links a search engine does not follow."""
    parts, position = [], 0
    for match in URL_PATTERN.finditer(text):
        url, _trail = _split_trailing(match.group())
        if not url or url.lower() in {"http://", "https://", "www."}:
            continue
        href = url if url.lower().startswith(("http://", "https://")) else f"https://{url}"
        parts.append(escape(text[position : match.start()]))
        parts.append(f'<a href="{escape(href)}" rel="{LINK_REL}">{escape(url)}</a>')
        position = match.start() + len(url)
    parts.append(escape(text[position:]))
    return "".join(parts)


def format_comment(text):
    """A commenter's plain text as HTML: escaped, links clickable, paragraphs and line breaks kept."""
    return mark_safe(linebreaks(linkify(text or ""), autoescape=False))  # noqa: S308 - linkify escaped it


def build_thread(comments, *, max_depth):
    """Arrange comments (oldest first) as a tree for the template, in Python: no query per level.

    Each comment gets `depth`, `thread_children` and `can_reply`. Replies deeper than max_depth
    are shown, in order, at max_depth (as WordPress does); a reply whose parent is not in the
    list (held, spam, deleted) is shown at the top level rather than lost.
    """
    if max_depth <= 1:  # threading off: one list, oldest first
        for comment in comments:
            comment.depth, comment.can_reply, comment.thread_children = 1, False, []
        return list(comments)
    present = {comment.pk for comment in comments}
    children = defaultdict(list)
    for comment in comments:
        children[comment.parent_id if comment.parent_id in present else None].append(comment)

    def descendants(comment_id, seen):
        found = []
        for child in children.get(comment_id, []):
            if child.pk not in seen:
                seen.add(child.pk)
                found.extend([child, *descendants(child.pk, seen)])
        return found

    def level(parent_id, depth, seen):
        nodes = []
        for comment in children.get(parent_id, []):
            if comment.pk in seen:
                continue
            seen.add(comment.pk)
            comment.depth = depth
            comment.can_reply = depth < max_depth
            if depth < max_depth:
                comment.thread_children = level(comment.pk, depth + 1, seen)
                nodes.append(comment)
            else:
                comment.thread_children = []
                flattened = sorted(descendants(comment.pk, seen), key=lambda c: (c.created_at, c.pk))
                for late in flattened:
                    late.depth, late.can_reply, late.thread_children = depth, False, []
                nodes.extend([comment, *flattened])
        return nodes

    return level(None, 1, set())
