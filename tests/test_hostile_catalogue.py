"""The hostile-input catalogue: concrete attacks on every surface, each with its safe outcome.

Every case names what must happen (a clear refusal, a cleaned value, a 404...) and checks that
nothing else changed: the rows of every table the site writes are counted before and after.
Surfaces: the comment form, search, URLs, request headers, the editors' forms and uploads.
"""

import io
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image
from taggit.models import Tag

from articles.models import Article, Publication, Publisher
from comments.models import Comment, CommentSettings, ModerationEvent
from tests.articles.test_admin import article_form_data
from tests.factories import comment_form_data, image_bytes, make_article, make_comment

pytestmark = pytest.mark.django_db

TABLES = {"articles": Article, "comments": Comment, "events": ModerationEvent, "tags": Tag, "publishers": Publisher}


def counts():
    return {name: model.objects.count() for name, model in TABLES.items()}


@dataclass
class Site:
    client: Client
    editor: Client
    article: Article
    reply_target: Comment
    foreign_comment: Comment


@pytest.fixture
def site(client, editor_client, publication, section, settings):
    settings.COMMENTS_MIN_FORM_AGE = 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    CommentSettings.objects.create(flood_seconds=0)
    article = make_article(headline="Harbour bridge reopens", section=section, tags=["Port"])
    other = make_article(headline="Another story", section=section)
    return Site(
        client=client,
        editor=editor_client,
        article=article,
        reply_target=make_comment(article=article, author_name="Grace"),
        foreign_comment=make_comment(article=other, author_name="Linus"),
    )


@dataclass
class Attack:
    """One hostile input: what is sent, the status it must get, what must (not) be in the answer,
    and which tables may change (by how many rows); every other table must stay as it was."""

    id: str
    send: object
    status: int | set
    contains: list = field(default_factory=list)
    absent: list = field(default_factory=list)
    changes: dict = field(default_factory=dict)
    then: object = None


def run(site, attack):
    before = counts()
    response = attack.send(site)
    statuses = attack.status if isinstance(attack.status, set) else {attack.status}
    assert response.status_code in statuses, (attack.id, response.status_code)
    body = b"" if response.streaming else response.content
    for text in attack.contains:
        assert text.encode() in body, (attack.id, text)
    for text in attack.absent:
        assert text.encode() not in body, (attack.id, text)
    after = counts()
    expected = {name: before[name] + attack.changes.get(name, 0) for name in TABLES}
    assert after == expected, (attack.id, "something else changed")
    if attack.then:
        attack.then(site)


# The comment form -------------------------------------------------------------------------------


def comment(**fields):
    def send(site):
        data = comment_form_data(**{key: value(site) if callable(value) else value for key, value in fields.items()})
        return site.client.post(reverse("comments:post", args=[site.article.pk]), data, REMOTE_ADDR="203.0.113.9")

    return send


def stored(check):
    def then(site):
        assert check(Comment.objects.order_by("-pk").first()), "stored as expected"

    return then


SAVED = {"comments": 1, "events": 1}
LINKS = " ".join(f"https://spam{n}.example/" for n in range(100))

COMMENT_ATTACKS = [
    Attack(
        "script tag in the text",
        comment(comment="<script>alert(1)</script>"),
        302,
        changes=SAVED,
        then=stored(lambda c: c.body == "<script>alert(1)</script>"),
    ),  # stored as typed, escaped when shown
    Attack("javascript: website", comment(url="javascript:alert(1)"), 400, ["web address"]),
    Attack("data: website", comment(url="data:text/html,<script>alert(1)</script>"), 400, ["web address"]),
    Attack("vbscript: website", comment(url="vbscript:msgbox(1)"), 400, ["web address"]),
    Attack("NUL in the text", comment(comment="harbour\x00bridge"), 400, ["Null characters are not allowed."]),
    Attack("NUL in the name", comment(author="Ada\x00"), 400, ["Null characters are not allowed."]),
    Attack(
        "RTL override in the name",
        comment(author="\u202emoc.knab"),
        302,
        changes=SAVED,
        then=stored(lambda c: c.author_name == "moc.knab"),
    ),
    Attack("zero-width spam word", comment(comment="cheap v\u200biagra"), 302, changes=SAVED),
    Attack("homoglyph email (Cyrillic a)", comment(email="\u0430da@example.com"), {302, 400}, changes={}, then=None),
    Attack("over-long email", comment(email="a" * 95 + "@example.com"), 400, ["at most 100 characters"]),
    Attack("email with a header injection", comment(email="ada@example.com\r\nBcc: x@example.com"), 400),
    Attack(
        "name with a header injection",
        comment(author="Eve\r\nBcc: x@example.com"),
        302,
        changes=SAVED,
        then=stored(lambda c: "\n" not in c.author_name and "\r" not in c.author_name),
    ),
    Attack("100 links", comment(comment=LINKS), 302, changes=SAVED, then=stored(lambda c: c.is_pending)),
    Attack("1 MB text", comment(comment="x" * 1_000_000), 400, ["at most 65525 characters"]),
    Attack(
        "SQL metacharacters",
        comment(comment="'); DROP TABLE comments_comment; --"),
        302,
        changes=SAVED,
        then=stored(lambda c: c.body == "'); DROP TABLE comments_comment; --"),
    ),
    Attack("SQL in the name", comment(author="Robert'); DROP TABLE articles_article;--"), 302, changes=SAVED),
    Attack("honeypot filled", comment(subject="buy now"), 400, ["could not be accepted"]),
    Attack("no form token", comment(form_token=""), 400, ["has not been posted yet"]),
    Attack("forged form token", comment(form_token="eyJ0IjoxfQ:forged:sig"), 400, ["has not been posted yet"]),
    Attack(
        "reply to a comment on another article",
        comment(comment_parent=lambda s: s.foreign_comment.pk),
        400,
        ["no longer published"],
    ),
    Attack("reply to an absurd comment number", comment(comment_parent="99999999999999999999999"), 400),
    Attack("reply to a negative comment number", comment(comment_parent="-1"), 400),
    Attack("name of spaces only", comment(author="   \t  "), 400, ["Please enter your name."]),
    Attack("1,000-character name", comment(author="n" * 1000), 400, ["at most 245 characters"]),
    Attack(
        "control characters",
        comment(comment="Agreed\x0c\x07\x01 entirely", author="Ada\x1b"),
        302,
        changes=SAVED,
        then=stored(lambda c: c.body == "Agreed entirely" and c.author_name == "Ada"),
    ),
    Attack(
        "non-characters",
        comment(comment="fine\uffff\ufffe words"),
        302,
        changes=SAVED,
        then=stored(lambda c: c.body == "fine words"),
    ),
    Attack("HTML entity smuggling", comment(comment="&lt;script&gt;alert(1)&lt;/script&gt;"), 302, changes=SAVED),
]


@pytest.mark.parametrize("attack", COMMENT_ATTACKS, ids=lambda attack: attack.id)
def test_comment_form(site, attack):
    run(site, attack)


def test_a_stored_script_is_shown_as_text(site):
    make_comment(article=site.article, body="<script>alert(1)</script><img src=x onerror=alert(2)>")
    html = site.client.get(site.article.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)" in html


def test_a_replayed_form_is_refused_the_second_time(site):
    data = comment_form_data(comment="Once only.")
    url = reverse("comments:post", args=[site.article.pk])
    assert site.client.post(url, data).status_code == 302
    before = counts()
    response = site.client.post(url, {**data, "comment": "Once only, again."})
    assert response.status_code == 400 and "already been sent once" in response.content.decode()
    assert counts() == before


def test_a_post_without_csrf_keeps_the_text_and_saves_nothing(site):
    strict = Client(enforce_csrf_checks=True)
    before = counts()
    response = strict.post(reverse("comments:post", args=[site.article.pk]), comment_form_data(comment="My words."))
    assert response.status_code == 403 and "My words." in response.content.decode()
    assert counts() == before


# Search -----------------------------------------------------------------------------------------


def get(path):
    return lambda site: site.client.get(path)


SEARCH_ATTACKS = [
    Attack("10,000-character query", get("/search/?q=" + "a" * 10_000), 200),
    Attack("NUL in the query", get("/search/?q=harbour%00bridge"), 200),
    Attack(
        "script in the query",
        get("/search/?q=%3Cscript%3Ealert(1)%3C/script%3E"),
        200,
        ["&lt;script&gt;alert(1)"],
        ["<script>alert(1)"],
    ),
    Attack("tsquery operators", get("/search/?q=%26%7C!():*%3C-%3E"), 200),
    Attack("SQL in the query", get("/search/?q=%27%20OR%201%3D1%20--"), 200),
    Attack("SQL in the section", get("/search/?q=harbour&section=%27%20OR%201%3D1--"), 200),
    Attack("end of the calendar", get("/search/?q=defence&end=9999-12-31"), 200, ["Choose a date between"]),
    Attack("start of the calendar", get("/search/?q=defence&start=0001-01-01"), 200, ["Choose a date between"]),
    Attack("non-UTF-8 query string", get("/search/?q=%ff%fe%fd"), 200),
    Attack("huge page number", get("/search/?q=harbour&page=99999999999999999999"), 404),
    Attack("negative page number", get("/search/?q=harbour&page=-1"), 404),
    Attack("page as words", get("/search/?q=harbour&page=last%27--"), 404),
]


@pytest.mark.parametrize("attack", SEARCH_ATTACKS, ids=lambda attack: attack.id)
def test_search(site, attack):
    run(site, attack)


# URLs -------------------------------------------------------------------------------------------

URL_ATTACKS = [
    Attack("10,000-character article slug", get("/articles/" + "a" * 10_000 + "/"), 404),
    Attack("10,000-character tag slug", get("/tag/" + "é" * 10_000 + "/"), 404),
    Attack("../ in an article address", get("/articles/../../etc/passwd"), 404),
    Attack("encoded ../ in media", get("/media/..%2F..%2Fnewsroom%2Fsettings.py"), {400, 404}, [], ["SECRET"]),
    Attack("../ in media", get("/media/../manage.py"), {400, 404}, [], ["DJANGO_SETTINGS_MODULE"]),
    Attack("NUL in a path", get("/articles/harbour%00/"), 404),
    Attack("huge front page number", get("/?page=99999999999999999999"), 404),
    Attack("huge archive year", get("/archive/9999/"), 404),
    Attack("year zero", get("/archive/0000/"), 404),
    Attack("month thirteen", get("/archive/2026/13/"), 404),
    Attack("huge article number for pending comments", get("/comments/pending/99999999999999999999/"), {200, 404}),
    Attack("garbage unsubscribe token", get("/comments/unsubscribe/" + "x" * 5000 + "/"), 400),
    Attack("garbage share link", get("/preview/" + "A" * 3000 + "/"), {404, 410}),
    Attack("unknown feed", get("/tag/no-such-tag/feed/"), 404),
    Attack("non-UTF-8 path", get("/articles/%ff%fe/"), 404),
]


@pytest.mark.parametrize("attack", URL_ATTACKS, ids=lambda attack: attack.id)
def test_urls(site, attack):
    run(site, attack)


def test_posting_to_an_absurd_article_number_is_a_404(site):
    before = counts()
    response = site.client.post("/comments/post/99999999999999999999/", comment_form_data())
    assert response.status_code == 404
    assert counts() == before


# Headers ----------------------------------------------------------------------------------------

HEADER_ATTACKS = [
    Attack("foreign Host header", lambda site: site.client.get("/", HTTP_HOST="evil.example"), 400),
    Attack("Host header with a path", lambda site: site.client.get("/", HTTP_HOST="testserver/evil"), 400),
    Attack(
        "10,000-character user agent on a comment",
        lambda site: site.client.post(
            reverse("comments:post", args=[site.article.pk]), comment_form_data(), HTTP_USER_AGENT="U" * 10_000
        ),
        302,
        changes=SAVED,
        then=stored(lambda c: len(c.user_agent) == 255),
    ),
    Attack("garbage Accept-Language", lambda site: site.client.get("/", HTTP_ACCEPT_LANGUAGE="\x00;q=9," * 500), 200),
    Attack(
        "damaged remember-me cookie",
        lambda site: (site.client.cookies.load({"comment_author": "%7B%22name%22"}), site.client.get("/"))[1],
        200,
    ),
    Attack(
        "forged pending-comments cookie",
        lambda site: (
            site.client.cookies.load({"comment_pending": "1.2.3:forged"}),
            site.client.get(reverse("comments:pending", args=[site.article.pk])),
        )[1],
        200,
        [],
        ["comment-"],
    ),
    Attack(
        "spoofed X-Forwarded-For without a trusted proxy",
        lambda site: site.client.post(
            reverse("comments:post", args=[site.article.pk]),
            comment_form_data(),
            REMOTE_ADDR="198.51.100.3",
            HTTP_X_FORWARDED_FOR="127.0.0.1",
        ),
        302,
        changes=SAVED,
        then=stored(lambda c: c.ip_address == "198.51.100.3"),
    ),
    Attack(
        "X-Forwarded-Proto https on a plain-HTTP site",
        lambda site: site.client.get("/", HTTP_X_FORWARDED_PROTO="https"),
        200,
    ),
]


@pytest.mark.parametrize("attack", HEADER_ATTACKS, ids=lambda attack: attack.id)
def test_headers(site, attack):
    run(site, attack)


# The editors' forms -----------------------------------------------------------------------------


def add_article(**fields):
    def send(site):
        return site.editor.post(
            reverse("admin:articles_article_add"), article_form_data(site.article.section, **fields)
        )

    return send


def newest_article(check):
    def then(site):
        assert check(Article.objects.order_by("-pk").first())

    return then


ADMIN_ATTACKS = [
    Attack("10,000-character slug", add_article(slug="s" * 10_000), 200, ["at most 200 characters"]),
    Attack(
        "script in the body",
        add_article(body="<p>Hi</p><script>alert(1)</script>"),
        302,
        changes={"articles": 1, "tags": 2},
        then=newest_article(lambda a: "<script" not in a.body),
    ),
    Attack(
        "event handler in the body",
        add_article(body='<p onclick="alert(1)">Hi<img src=x onerror=alert(2)></p>'),
        302,
        changes={"articles": 1, "tags": 2},
        then=newest_article(lambda a: "onclick" not in a.body and "onerror" not in a.body),
    ),
    Attack(
        "javascript: link in the body",
        add_article(body='<p><a href="javascript:alert(1)">x</a></p>'),
        302,
        changes={"articles": 1, "tags": 2},
        then=newest_article(lambda a: "javascript:" not in a.body),
    ),
    Attack("300-character tag", add_article(tags="t" * 300), 200, ["a tag has at most 100"]),
    Attack(
        "symbol-only and Unicode tags", add_article(tags="😀😀, -, Москва"), 302, changes={"articles": 1, "tags": 3}
    ),
    Attack("data: original URL", add_article(original_url="data:text/html,hi"), 200, ["Enter a valid URL"]),
    Attack("headline of control characters", add_article(headline="\x01\x02\x03"), 200),
]


@pytest.mark.parametrize("attack", ADMIN_ATTACKS, ids=lambda attack: attack.id)
def test_admin_forms(site, attack):
    run(site, attack)


def test_a_hostile_issn_is_refused(site):
    publication = Publication.objects.get()
    response = site.editor.post(
        reverse("admin:articles_publication_change", args=[publication.pk]),
        {"name": "The Gazette", "issn": "2330-717X'; DROP TABLE x;--", "language": "en"},
    )
    assert response.status_code == 200
    assert Publication.objects.get().issn == publication.issn


# Uploads ----------------------------------------------------------------------------------------


def public_files(image):
    """The bytes of every file of a library image that has a public URL (its re-encoded renditions)."""
    from django.conf import settings
    from django.core.files.storage import storages

    found = image.renditions()
    names = [rendition.url.removeprefix(settings.MEDIA_URL) for rendition in [*found.webp, *found.fallback]]
    return [storages["default"].open(name, "rb").read() for name in names]


def upload(name, data):
    def send(site):
        file = SimpleUploadedFile(name, data, content_type="image/png")
        data_ = article_form_data(site.article.section, new_image=file, new_image_alt="alt", headline="Kept headline")
        return site.editor.post(reverse("admin:articles_article_add"), data_)

    return send


def bomb():
    """A 1-bit PNG of 30,000 × 30,000 pixels: a few kilobytes that would decode to gigabytes."""
    buffer = io.BytesIO()
    Image.new("1", (30_000, 30_000)).save(buffer, format="PNG")
    return buffer.getvalue()


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
REFUSED = {"articles": 0}
UPLOAD_ATTACKS = [
    Attack("SVG with a script", upload("logo.svg", SVG), 200, ["Upload a valid image", "Kept headline"]),
    Attack("SVG named .png", upload("logo.png", SVG), 200, ["Upload a valid image"]),
    Attack(
        "GIF/JavaScript polyglot",
        upload("x.gif", b"GIF89a/*" + b"\x00" * 10 + b"*/=alert(1)//"),
        200,
        ["Upload a valid image"],
    ),
    Attack(
        "HTML named .jpg", upload("page.jpg", b"<html><script>alert(1)</script></html>"), 200, ["Upload a valid image"]
    ),
    Attack("truncated PNG", upload("cut.png", image_bytes(size=(200, 200))[:120]), 200, ["Upload a valid image"]),
    Attack("decompression bomb", upload("bomb.png", bomb()), 200, ["the largest allowed is"]),
    Attack("empty file", upload("empty.png", b""), 200, ["The submitted file is empty"]),
    Attack(
        "../ in the file name",
        upload("../../../etc/passwd.png", image_bytes()),
        302,
        changes={"articles": 1, "tags": 2},
        then=newest_article(lambda a: ".." not in a.image.file.name and not a.image.file.name.startswith("/")),
    ),
    Attack(
        "JPEG with a ZIP appended",
        upload("x.jpg", image_bytes(format="JPEG") + b"PK\x03\x04evil"),
        302,
        changes={"articles": 1, "tags": 2},
        then=newest_article(lambda a: all(b"PK\x03\x04" not in data for data in public_files(a.image))),
    ),
]


@pytest.mark.parametrize("attack", UPLOAD_ATTACKS, ids=lambda attack: attack.id)
def test_uploads(site, attack):
    run(site, attack)


CATALOGUE = COMMENT_ATTACKS + SEARCH_ATTACKS + URL_ATTACKS + HEADER_ATTACKS + ADMIN_ATTACKS + UPLOAD_ATTACKS


def test_the_catalogue_holds_at_least_sixty_distinct_attacks():
    assert len({attack.id for attack in CATALOGUE}) == len(CATALOGUE) >= 60
