"""How comments are shown: plain text made safe HTML, and the reply tree built in Python."""

import re
from collections import defaultdict

from django.utils.html import escape, linebreaks
from django.utils.safestring import mark_safe

URL_PATTERN = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"'`]+")
TRAILING_PUNCTUATION = ".,;:!?'\"*"
LINK_REL = "nofollow ugc noopener"
PAGE_PARAMETER = "cpage"  # ?cpage=2#comments, as WordPress names its comment pages


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


def page_of_threads(thread, per_page, number):
    """The top-level comments (with their replies) of page `number` (1-based, oldest first), and the number of
    pages. `thread` is build_thread()'s list: replies follow the comment they answer, at depth > 1. A page
    number out of range gives the nearest page."""
    starts = [index for index, comment in enumerate(thread) if comment.depth == 1]
    if not per_page or len(starts) <= per_page:
        return thread, 1, 1
    pages = -(-len(starts) // per_page)
    number = min(max(number, 1), pages)
    first = starts[(number - 1) * per_page]
    last = starts[number * per_page] if number * per_page < len(starts) else len(thread)
    return thread[first:last], number, pages


def comment_page_url(comment):
    """The article page (and its comment page) showing `comment`, with its anchor: "/articles/x/?cpage=2#comment-7".

    A comment not shown to readers yet is placed where it will appear: under its parent, or (a new
    conversation) on the last page. Costs one query when the discussion has more than one page.
    """
    from comments.models import Comment, CommentSettings

    rules = CommentSettings.objects.current()
    article_url = comment.article.get_absolute_url()
    page = 1
    if rules.comments_per_page:
        comments = list(Comment.objects.public().on(comment.article).for_thread())
        thread = build_thread(comments, max_depth=rules.thread_depth)
        if any(shown.pk == comment.pk for shown in thread):
            page = page_number_of(thread, rules.comments_per_page, comment.pk)
        elif comment.parent_id and any(shown.pk == comment.parent_id for shown in thread):
            page = page_number_of(thread, rules.comments_per_page, comment.parent_id)
        else:
            page = page_of_threads(thread, rules.comments_per_page, 10**9)[2]
    query = f"?{PAGE_PARAMETER}={page}" if page > 1 else ""
    return f"{article_url}{query}#comment-{comment.pk}"


def page_number_of(thread, per_page, comment_id):
    """The page of `thread` showing comment `comment_id` (1 when not in the thread or not paged)."""
    if not per_page:
        return 1
    top = 0
    for comment in thread:
        if comment.depth == 1:
            top += 1
        if comment.pk == comment_id:
            return -(-top // per_page) if top else 1
    return 1
