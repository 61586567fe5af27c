"""What each part of a WordPress export becomes (tests/wordpress/fixtures/gazette.wxr.xml covers every mapping)."""

from datetime import UTC, datetime

import pytest
from taggit.models import Tag

from articles.models import Article, Author, Publisher, Section
from comments.models import Comment, ModerationEvent
from wordpress.models import ImportedItem

pytestmark = pytest.mark.django_db

Status = Article.Status


def article(wp_id):
    return ImportedItem.objects.get(kind="post", wp_id=wp_id).article


def comment(wp_id):
    return ImportedItem.objects.get(kind="comment", wp_id=wp_id).comment


def test_each_post_status_maps_to_a_newsroom_state(imported):
    assert article(101).status == Status.PUBLISHED and article(101).is_published()
    assert article(103).status == Status.DRAFT and article(103).published_at is None
    assert article(104).status == Status.IN_REVIEW
    future = article(105)
    assert future.is_scheduled and future.published_at == datetime(2024, 7, 1, 9, 0, tzinfo=UTC)
    private = article(106)
    assert private.status == Status.UNPUBLISHED and not private.is_published()
    assert "Private in WordPress" in private.desk_note
    protected = article(108)
    assert protected.status == Status.UNPUBLISHED and "Password-protected" in protected.desk_note
    assert not ImportedItem.objects.filter(wp_id=107).exists()
    assert Article.objects.count() == 9
    assert set(Article.objects.published().values_list("headline", flat=True)) == {
        "Hello World & Friends",
        "Ünïcödé blocks — 日本語",
        "Wire story",
        "日本語の記事",
    }


def test_dates_are_utc_from_the_gmt_date_or_the_local_date_in_the_exports_time_zone(imported):
    hello = article(101)
    assert hello.published_at == datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
    assert hello.updated_at == datetime(2024, 3, 2, 9, 0, tzinfo=UTC)  # not the day of the import
    blocks = article(102)  # post_date_gmt 0000-00-00: local 08:30 at the export's UTC+01:00
    assert blocks.published_at == datetime(2024, 3, 5, 7, 30, tzinfo=UTC)
    assert "UTC+01:00" in imported


def test_headline_slug_standfirst_and_body(imported):
    hello = article(101)
    assert hello.headline == "Hello World & Friends"
    assert hello.slug == "hello-world"
    assert hello.dek == "The first story of the old site."
    assert hello.body.startswith("<p>First paragraph with <strong>bold</strong> words.<br>")
    assert "<script" not in hello.body and "onclick" not in hello.body
    assert "<p>Clicked paragraph.</p>" in hello.body
    assert "Boxed text survives." in hello.body
    assert "[contact-form-7" not in hello.body and "[sic]" in hello.body and "[1]" in hello.body


def test_unicode_headlines_tags_and_slugs_work(imported, client):
    japanese = article(112)
    assert japanese.headline == "日本語の記事"
    assert japanese.slug == "post-112"  # slugs are ASCII; the old Unicode address redirects
    assert [tag.name for tag in japanese.tags.all()] == ["日本"]
    assert client.get(japanese.get_absolute_url()).status_code == 200
    tag = Tag.objects.get(name="日本")
    assert client.get(f"/tag/{tag.slug}/").status_code == 200
    assert Tag.objects.filter(name="Café").exists()


def test_categories_become_sections_the_first_primary_the_others_tags(imported):
    hello = article(101)
    assert hello.section.name == "News" and hello.section.slug == "news"
    assert {tag.name for tag in hello.tags.all()} == {"World", "Politics", "日本"}
    economy = Section.objects.get(name="Économie")
    assert economy.slug == "economie" and article(102).section == economy
    assert article(112).section.slug == "world"
    assert Section.objects.filter(slug="wire").exists()


def test_authors_get_display_names_and_never_an_email(imported):
    assert [author.name for author in article(101).authors_in_order] == ["Jane Doe"]
    assert [author.name for author in article(102).authors_in_order] == ["Maria Müller"]
    assert article(111).authors_in_order[0].slug == "ghost"  # named by dc:creator only
    eddie = ImportedItem.objects.get(kind="author", wp_id=3).author
    assert eddie.name == "Eddie Tor" and "@" not in eddie.slug
    assert not any("@" in name for name in Author.objects.values_list("name", flat=True))


def test_comments_keep_threading_status_dates_and_private_data(imported):
    first, reply, deep = comment(1001), comment(1002), comment(1008)
    assert reply.parent == first and deep.parent == reply
    assert first.article == article(101)
    assert first.status == Comment.Status.APPROVED
    assert comment(1003).status == Comment.Status.PENDING
    assert comment(1004).status == Comment.Status.SPAM
    assert comment(1005).status == Comment.Status.TRASH
    assert first.created_at == datetime(2024, 3, 1, 11, 0, tzinfo=UTC)
    assert (first.author_name, first.author_email, first.author_url) == (
        "Ada Reader",
        "ada@readers.example",
        "https://ada.example",
    )
    assert first.ip_address == "203.0.113.5" and deep.ip_address == "2001:db8::1"
    assert first.body == "Great piece! See my source (https://example.org/source)."
    unicode = comment(1009)
    assert unicode.author_name == "Zoë Ünicode" and unicode.body == "Ça marche — 日本語のコメント"
    assert unicode.author_email == "" and unicode.author_url == ""  # not valid: not kept
    assert comment(1005).ip_address is None
    assert Comment.objects.count() == 7
    assert not ImportedItem.objects.filter(kind="comment", wp_id__in=[1006, 1007]).exists()
    assert "pingbacks (not comments): 1" in imported and "trackbacks (not comments): 1" in imported
    history = ModerationEvent.objects.filter(comment=first).get()
    assert history.action == ModerationEvent.Action.SUBMITTED and history.note == "Imported from WordPress"


def test_ip_addresses_older_than_the_retention_period_are_not_brought_in(run_import, settings):
    from comments.models import CommentSettings

    CommentSettings.objects.create(personal_data_days=30)
    run_import()
    assert comment(1001).ip_address is None and comment(1001).author_email == "ada@readers.example"


def test_closed_comments_stay_closed(imported):
    assert article(112).comment_policy == Article.CommentPolicy.CLOSED
    assert article(101).comment_policy == Article.CommentPolicy.OPEN


def test_publisher_from_a_meta_key_or_a_category(imported):
    syndicated = article(102)
    assert syndicated.publisher.name == "Associated Press"
    assert syndicated.original_url == "https://apnews.example/article/1"
    assert article(111).publisher.name == "Reuters"
    assert article(101).publisher is None
    assert Publisher.objects.count() == 2


def test_sticky_posts_featured_images_and_attachments_are_recorded(imported):
    hello = ImportedItem.objects.get(kind="post", wp_id=101)
    assert hello.is_sticky and hello.featured_wp_id == 301
    assert not ImportedItem.objects.get(kind="post", wp_id=102).is_sticky
    photo = ImportedItem.objects.get(kind="attachment", wp_id=301)
    assert photo.url == "https://old.example.com/wp-content/uploads/2024/03/photo.jpg"
    assert photo.file_path == "2024/03/photo.jpg" and photo.parent_wp_id == 101
    assert photo.details["alt"] == "A harbour at dawn" and photo.details["status"] == "library"
    assert ImportedItem.objects.get(kind="attachment", wp_id=305).details["status"] == "missing"
    assert ImportedItem.objects.get(kind="attachment", wp_id=304).details["status"] == "not an image"
    assert {"kind": "image", "url": photo.url, "attachment_id": 301} in hello.details["media"]


def test_the_report_counts_every_kind_and_names_what_was_not_kept(imported):
    lines = imported.splitlines()
    row = {line.split()[0]: line.split()[1:] for line in lines if line[:1].isalpha() and len(line.split()) == 6}
    assert row["posts"] == ["9", "0", "0", "1", "0"]
    assert row["comments"] == ["7", "0", "0", "2", "0"]
    assert row["attachments"] == ["5", "0", "0", "0", "0"]
    assert row["images"] == ["3", "0", "0", "2", "0"]  # the missing file and the brochure are not images
    assert "image, skipped: file not found under --media-dir: 1 (WordPress IDs 305)" in imported
    assert row["authors"][0] == "4" and row["categories"][0] == "4" and row["publishers"][0] == "2"
    assert "shortcode removed: [contact-form-7]: 1" in imported
    assert "block removed: wp:latest-posts: 1" in imported
    assert "a WordPress page (not imported" in imported and "a menu item" in imported
    assert "front page: sticky posts pinned on the front page: 1" in imported


def test_revisions_say_the_article_came_from_wordpress(imported):
    revision = article(101).revisions.get()
    assert revision.summary == "Imported from WordPress (post 101)" and revision.created_by is None
