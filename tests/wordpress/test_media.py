"""The media step with the media library: attachments become library images (once), bodies get the library's
figures, galleries and embeds, posts their featured images, sticky posts a pin on the front page; missing and
hostile files are reported, never fatal; a dry run stores no file."""

import re
import shutil
import struct
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.db import DatabaseError, connection

from articles import curation
from articles.models import Front, FrontChange, Image
from articles.richtext import sanitize_html
from tests.factories import image_bytes
from tests.wordpress.conftest import EXPORT, UPLOADS
from wordpress.attachment_import import attachments_by_file
from wordpress.importer import Importer
from wordpress.models import ImportedItem

pytestmark = pytest.mark.django_db


def record(wp_id, kind="attachment"):
    return ImportedItem.objects.get(kind=kind, wp_id=wp_id)


def library_image(wp_id):
    return Image.objects.get(pk=record(wp_id).details["image_id"])


def article(wp_id):
    return record(wp_id, "post").article


def stored_files():
    """Every file the import left in storage: library originals and renditions."""
    return sorted(
        str(path)
        for root in (settings.ORIGINALS_ROOT, settings.MEDIA_ROOT)
        for path in Path(root).rglob("*")
        if path.is_file()
    )


def report_row(output, name):
    return next(line.split()[1:] for line in output.splitlines() if line.split()[:1] == [name])


@pytest.fixture
def uploads(tmp_path):
    """A copy of the fixture uploads folder that a test may change."""
    folder = tmp_path / "uploads"
    shutil.copytree(UPLOADS, folder)
    return folder


def test_image_attachments_become_library_images_with_their_text(imported):
    assert Image.objects.count() == 3  # photo, chart, boats; not the brochure (a PDF) nor the lost file
    photo = library_image(301)
    assert (photo.title, photo.alt, photo.caption) == ("photo", "A harbour at dawn", "The harbour")
    assert photo.source == "https://old.example.com/wp-content/uploads/2024/03/photo.jpg"
    assert (photo.width, photo.height) == (120, 80)
    assert [tag.name for tag in photo.tags.all()] == ["wordpress"]
    assert photo.renditions_are_current  # the renditions job ran after the batch committed
    # WordPress had no alt text for the boats: the title stands in, and the report says to check it.
    assert library_image(303).alt == "Boats in the harbour"
    assert "images without alt text in WordPress: their caption or title is used, check them: 2" in imported
    assert report_row(imported, "images") == ["3", "0", "0", "2", "0"]


def test_the_thumbnail_becomes_the_featured_image(imported):
    assert article(101).image == library_image(301)
    assert article(102).image is None


def test_images_galleries_and_embeds_in_bodies_become_the_librarys_blocks(imported):
    photo, chart, boats = library_image(301), library_image(302), library_image(303)
    hello = article(101).body
    # [caption] (align="aligncenter": the text's width) with its own caption; a raw <img> of a resized copy,
    # alone on its line, found by its file.
    assert (
        f'<figure data-image-id="{photo.pk}" data-size="inline"><figcaption>The harbour, photographed at dawn'
        "</figcaption></figure>" in hello
    )
    assert f'<figure data-image-id="{boats.pk}" data-size="inline"></figure>' in hello
    assert f'<figure data-gallery="{photo.pk} {chart.pk}" data-size="inline"></figure>' in hello  # [gallery ids]
    assert '<figure data-embed="https://www.youtube.com/watch?v=dQw4w9WgXcQ"></figure>' in hello  # a URL line
    assert '<figure data-embed="https://vimeo.com/123456"></figure>' in hello  # [embed]
    assert "an icon</a> image" in hello  # an image inside running text, with no attachment: a link as before
    blocks = article(102).body
    chart_figure = f'<figure data-image-id="{chart.pk}" data-size="inline"><figcaption>The chart</figcaption></figure>'
    assert chart_figure in blocks  # wp:image
    # wp:gallery with "align":"wide" (WordPress's wide width); [gallery] in wp:shortcode has no alignment.
    assert f'<figure data-gallery="{photo.pk} {chart.pk}" data-size="wide"></figure>' in blocks
    assert f'<figure data-gallery="{photo.pk}" data-size="inline"></figure>' in blocks
    video = '<figure data-embed="https://www.youtube.com/watch?v=M7lc1UVf-VE"><figcaption>The video</figcaption>'
    assert video in blocks  # wp:embed, with its caption
    for body in (hello, blocks):
        assert sanitize_html(body) == body
    assert set(article(101).body_images.all()) == {photo, chart, boats}


def test_the_reader_page_shows_the_figures_gallery_and_embeds(imported, client):
    photo = library_image(301)
    response = client.get(article(101).get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<figure class="media media-inline">') == 2
    assert photo.renditions().largest.url in html and "The harbour, photographed at dawn" in html
    assert 'class="gallery media-inline"' in html and html.count('class="gallery-item"') == 2
    assert 'class="embed embed-youtube"' in html and 'class="embed embed-vimeo"' in html
    assert "/originals/" not in html  # readers get renditions, never the private original


def test_a_missing_file_is_reported_and_its_image_stays_a_link(imported):
    assert record(305).details["status"] == "missing"
    assert "image, skipped: file not found under --media-dir: 1 (WordPress IDs 305)" in imported
    assert '<a href="https://old.example.com/wp-content/uploads/2024/03/lost.jpg"' in article(102).body
    assert "media: image whose file is not in the library: kept as a link: 1" in imported


def test_a_file_that_arrives_later_is_imported_and_its_posts_converted_again(run_import, uploads):
    (uploads / "2024/03/photo.jpg").unlink()
    first = run_import(EXPORT, media_dir=uploads)
    assert "file not found under --media-dir: 2 (WordPress IDs 301, 305)" in first
    hello = article(101)
    assert hello.image is None and "data-image-id" in hello.body  # the boats are there, the photo is not
    assert '<a href="https://old.example.com/wp-content/uploads/2024/03/photo.jpg"' in hello.body
    shutil.copy(UPLOADS / "2024/03/photo.jpg", uploads / "2024/03/photo.jpg")
    second = run_import(EXPORT, media_dir=uploads)
    assert report_row(second, "images")[:3] == ["1", "0", "2"]
    hello.refresh_from_db()
    assert hello.image == library_image(301)
    assert f'data-image-id="{hello.image.pk}"' in hello.body
    assert report_row(second, "posts")[1] == "2"  # the two posts showing the photo


def _bomb_png():
    """A tiny PNG that says it is 60,000 × 60,000 pixels."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 60_000, 60_000, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"<?php system($_GET['c']); ?>", "Upload a valid image"),
        (image_bytes(size=(400, 300), format="JPEG")[:600], "Upload a valid image"),  # truncated
        (_bomb_png(), "too many pixels"),
        (b"", "The submitted file is empty"),
    ],
    ids=["not-an-image", "truncated", "decompression-bomb", "empty"],
)
def test_a_hostile_file_is_refused_and_reported_and_the_import_goes_on(run_import, uploads, content, reason):
    (uploads / "2024/03/photo.jpg").write_bytes(content)
    output = run_import(EXPORT, media_dir=uploads)
    assert re.search(
        rf"image, failed: file refused by the media library: [^\n]*{reason}[^\n]*: 1 \(WordPress IDs 301\)", output
    )
    assert record(301).details["status"] == "refused"
    assert Image.objects.count() == 2 and report_row(output, "posts")[0] == "9"
    assert article(101).image is None
    assert len([name for name in stored_files() if "/originals/" in name]) == 2


def test_running_again_creates_no_second_image_and_no_second_file(run_import):
    run_import()
    images = list(Image.objects.order_by("pk").values_list("pk", "version"))
    files = stored_files()
    second = run_import()
    assert list(Image.objects.order_by("pk").values_list("pk", "version")) == images
    assert stored_files() == files
    assert report_row(second, "images") == ["0", "0", "3", "2", "0"]
    assert report_row(second, "posts")[:3] == ["0", "0", "9"]


def test_an_edited_attachment_updates_its_library_image(run_import, uploads, tmp_path):
    run_import(EXPORT, media_dir=uploads)
    photo = library_image(301)
    originals = [name for name in stored_files() if "/originals/" in name]
    edited = tmp_path / "edited.xml"
    edited.write_text(EXPORT.read_text().replace("A harbour at dawn]]", "Boats moored in a harbour at dawn]]"))
    (uploads / "2024/03/photo.jpg").write_bytes(image_bytes(size=(200, 100), format="JPEG"))
    output = run_import(edited, media_dir=uploads)
    assert report_row(output, "images")[:3] == ["0", "1", "2"]
    assert library_image(301).pk == photo.pk and Image.objects.count() == 3
    photo.refresh_from_db()
    assert photo.alt == "Boats moored in a harbour at dawn" and (photo.width, photo.height) == (200, 100)
    assert photo.version == 2 and photo.renditions_are_current
    # The new original replaced the old one: still one original per image.
    assert len([name for name in stored_files() if "/originals/" in name]) == len(originals) == 3


def test_a_dry_run_stores_no_file_and_reports_the_images_it_would_make(run_import):
    output = run_import(EXPORT, "--dry-run")
    assert Image.objects.count() == 0 and stored_files() == []
    assert report_row(output, "images") == ["3", "0", "0", "2", "0"]
    assert not Front.objects.filter(pins__isnull=False).exists() and not FrontChange.objects.exists()


def test_embeds_are_fetched_later_by_the_embed_job_not_by_the_import(run_import, task_backend, settings, monkeypatch):
    settings.EMBED_OEMBED = True
    fetched = []
    monkeypatch.setattr("articles.embeds.fetch_oembed", lambda spec: fetched.append(spec.url) or ("", "", None))
    run_import(EXPORT, "--dry-run")
    assert not [result for result in task_backend.results if result.task.name == "fetch_embed"] and not fetched
    run_import()
    jobs = [result.args[0] for result in task_backend.results if result.task.name == "fetch_embed"]
    assert "https://www.youtube.com/watch?v=dQw4w9WgXcQ" in jobs and "https://vimeo.com/123456" in jobs
    assert sorted(set(fetched)) == sorted(set(jobs))


def test_a_sticky_post_is_pinned_on_the_front_page_once(run_import, client):
    run_import()
    front = Front.objects.home()
    assert [pin.article for pin in front.pins.all()] == [article(101)]
    assert FrontChange.objects.count() == 1
    run_import()
    assert front.pins.count() == 1 and FrontChange.objects.count() == 1
    # The desk unpins it: a later run does not pin it again.
    curation.front_save(front=front, pins=[])
    run_import()
    assert front.pins.count() == 0


def test_a_file_path_leading_out_of_the_media_dir_is_never_read(run_import, uploads, tmp_path):
    secret = tmp_path / "secret.jpg"
    secret.write_bytes(image_bytes(format="JPEG"))
    (uploads / "2024/03/link.jpg").symlink_to(secret)
    escaping = tmp_path / "escaping.xml"
    text = EXPORT.read_text().replace("<![CDATA[2024/03/photo.jpg]]>", "<![CDATA[../secret.jpg]]>")
    escaping.write_text(text.replace("<![CDATA[2024/03/chart.png]]>", "<![CDATA[2024/03/link.jpg]]>"))
    output = run_import(escaping, media_dir=uploads)
    assert "file not found under --media-dir: 3 (WordPress IDs 301, 302, 305)" in output
    assert [image.title for image in Image.objects.all()] == ["Boats in the harbour"]


def test_a_file_too_big_for_the_library_is_refused_unread(run_import, settings):
    settings.MAX_UPLOAD_BYTES = 1000  # the photo has 1,327 bytes, the others fewer
    output = run_import()
    assert re.search(r"image, failed: file refused by the media library: [^\n]*the largest allowed is[^\n]*301", output)
    assert Image.objects.count() == 2


def test_without_a_media_dir_images_are_links_and_a_later_run_with_it_brings_them_in(run_import):
    first = run_import(EXPORT, media_dir=None)
    assert Image.objects.count() == 0 and "image, skipped: no --media-dir given: 5" in first
    assert "data-image-id" not in article(101).body and article(101).image is None
    run_import()
    assert Image.objects.count() == 3 and article(101).image == library_image(301)
    assert f'data-image-id="{library_image(303).pk}"' in article(101).body


def test_a_file_copied_again_unchanged_is_not_stored_again(run_import, uploads):
    run_import(EXPORT, media_dir=uploads)
    files = stored_files()
    photo = uploads / "2024/03/photo.jpg"
    photo.write_bytes(photo.read_bytes())  # as a copy without preserved times would
    output = run_import(EXPORT, media_dir=uploads)
    assert report_row(output, "images")[:3] == ["0", "0", "3"] and stored_files() == files
    assert library_image(301).version == 1


ICON = """	<item>
		<title><![CDATA[Icon]]></title>
		<wp:post_id>306</wp:post_id>
		<wp:status><![CDATA[inherit]]></wp:status>
		<wp:post_parent>101</wp:post_parent>
		<wp:post_type><![CDATA[attachment]]></wp:post_type>
		<wp:attachment_url><![CDATA[https://old.example.com/wp-content/uploads/2024/03/icon.png]]></wp:attachment_url>
		<wp:postmeta><wp:meta_key><![CDATA[_wp_attached_file]]></wp:meta_key>
		<wp:meta_value><![CDATA[2024/03/icon.png]]></wp:meta_value></wp:postmeta>
		<wp:postmeta><wp:meta_key><![CDATA[_wp_attachment_image_alt]]></wp:meta_key>
		<wp:meta_value><![CDATA[A tiny icon]]></wp:meta_value></wp:postmeta>
	</item>
"""
INLINE_PARAGRAPH = "<p>Text with an inline image, a [sic] and a footnote [1].</p>"


def export_with_icon(tmp_path):
    """The fixture export with an attachment for the icon that post 101 shows inside a sentence."""
    path = tmp_path / "with-icon.xml"
    path.write_text(EXPORT.read_text().replace("</channel>", ICON + "</channel>"))
    return path


def test_a_library_image_inside_text_becomes_a_figure_after_its_paragraph(run_import, uploads, tmp_path, client):
    (uploads / "2024/03/icon.png").write_bytes(image_bytes(size=(32, 32), format="PNG"))
    output = run_import(export_with_icon(tmp_path), media_dir=uploads)
    icon = library_image(306)
    body = article(101).body
    assert f'{INLINE_PARAGRAPH}\n<figure data-image-id="{icon.pk}" data-size="inline"></figure>' in body
    assert "icon.png" not in body and "an icon" not in body  # the in-text link is gone
    assert icon in article(101).body_images.all()
    assert "media: images inside text: shown as a figure after their paragraph: 1" in output
    html = client.get(article(101).get_absolute_url()).content.decode()
    assert html.count('<figure class="media media-inline">') == 3 and icon.renditions().largest.url in html


def test_an_image_inside_text_whose_file_is_missing_stays_a_link_in_its_sentence(run_import, tmp_path):
    output = run_import(export_with_icon(tmp_path))  # no icon.png under --media-dir
    assert record(306).details["status"] == "missing"
    body = article(101).body
    link = '<a href="https://old.example.com/wp-content/uploads/2024/03/icon.png" rel="noopener noreferrer">an icon</a>'
    assert f"<p>Text with an inline {link} image, a [sic] and a footnote [1].</p>" in body
    assert "media: image inside text whose file is not in the library: kept as a link: 1" in output


def originals():
    return [name for name in stored_files() if "/originals/" in name]


@pytest.mark.parametrize("failure", [DatabaseError("the disk is full"), KeyboardInterrupt()], ids=["error", "ctrl-c"])
def test_files_stored_by_a_batch_that_rolls_back_are_deleted(run_import, monkeypatch, failure):
    """Batches of two attachments: 301 and 302 (photo, chart) commit; 303 and 304 (boats, brochure) store the
    boats' file, then the batch fails: its file goes with its row."""
    original = Importer._write_attachments
    seen = []

    def failing(self, items):
        original(self, items)
        seen.append(originals())
        if len(seen) == 2:
            raise failure

    monkeypatch.setattr(Importer, "_write_attachments", failing)
    with pytest.raises(Exception, match="after 1 batches"):
        run_import(EXPORT, "--batch-size", "2")
    assert [len(files) for files in seen] == [2, 3]  # the boats' file was stored before the batch failed
    assert Image.objects.count() == 2
    kept = {str(Path(settings.ORIGINALS_ROOT) / image.file.name) for image in Image.objects.all()}
    assert set(originals()) == kept and len(originals()) == 2
    monkeypatch.setattr(Importer, "_write_attachments", original)
    run_import(EXPORT, "--batch-size", "2")
    assert Image.objects.count() == 3 and len(originals()) == 3


def test_attachments_found_by_their_file_use_an_index(db):
    """A raw <img> without its attachment ID is matched by its file's path (AttachmentsImport._attachment_by_url,
    once per image file a batch meets): that query must not read every imported object of the site."""
    paths = ["2024/03/photo-300x200.jpg", "2024/03/photo.jpg", "2024/03/photo-scaled.jpg"]
    query = attachments_by_file("old.example.com", paths)
    if connection.vendor == "postgresql":  # the table is small: the planner would rather read it all
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
    assert "wordpress_item_file_path" in query.explain()
