"""Benchmark of the WordPress import: generate an export, import it, report time and peak memory.

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python bench/wordpress.py --posts 2000 --media-dir --twice
    DATABASE_URL=postgres://postgres@127.0.0.1/newsroom_bench .venv/bin/python bench/wordpress.py --posts 20000

It migrates the configured database (use a throw-away one: the import is written to it), writes a WXR
file of --posts posts (classic and block content, categories, tags, --comments threaded comments each,
an attachment every tenth post, shown by that post as its featured image and in its body, every other
one at WordPress's wide width) to a temporary folder, runs `import_wordpress` on it in this process,
and prints the wall time, posts and comments a second, and the peak resident memory (ru_maxrss) of the
whole process. `--twice` runs the import a second time (everything unchanged) and times that too.
`--media-dir` also writes a JPEG (1600 × 1067, about 250 KB, as a WordPress upload often is) for each
attachment into an uploads folder and imports with `--media-dir`, so each becomes a library image; the
library's originals and renditions are kept in the temporary folder (renditions are made by the
renditions job, which the benchmark does not run: the import only enqueues it).
"""

import argparse
import multiprocessing
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-" + "x" * 40)

WORDS = [
    *("government", "council", "minister", "election", "budget", "harbour", "storm", "court", "police"),
    *("school", "hospital", "market", "strike", "vote", "reform", "report", "village", "river", "bridge"),
    *("summit", "treaty", "defence", "weather", "season", "festival"),
]

HEADER = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Bench Gazette</title><link>https://bench.example</link><language>en-US</language>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://bench.example</wp:base_site_url><wp:base_blog_url>https://bench.example</wp:base_blog_url>
"""


def sentence(rng, words=12):
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def paragraphs(rng, count):
    return "\n\n".join(" ".join(sentence(rng) for _ in range(4)) for _ in range(count))


def blocks(rng, count):
    parts = []
    for index in range(count):
        if index == 2:
            parts.append(
                '<!-- wp:heading -->\n<h2 class="wp-block-heading">' + sentence(rng, 4) + "</h2>\n<!-- /wp:heading -->"
            )
        parts.append(
            "<!-- wp:paragraph -->\n<p>" + " ".join(sentence(rng) for _ in range(4)) + "</p>\n<!-- /wp:paragraph -->"
        )
    return "\n\n".join(parts)


def image_markup(number, wp_id, month, *, block):
    """The attachment's image in its post: a wp:image block (every other one "align":"wide") or [caption]."""
    src = f"https://bench.example/wp-content/uploads/2024/{month:02d}/p{wp_id}.jpg"
    attachment_id = 500000 + number
    if block:
        wide = number % 40 == 10
        attrs = f'{{"id":{attachment_id},"sizeSlug":"large"' + (',"align":"wide"' if wide else "") + "}"
        figure_class = "wp-block-image size-large" + (" alignwide" if wide else "")
        return (
            f'<!-- wp:image {attrs} -->\n<figure class="{figure_class}"><img src="{src}" alt="Photo {wp_id}" '
            f'class="wp-image-{attachment_id}"/><figcaption class="wp-element-caption">Photo {wp_id}</figcaption>'
            "</figure>\n<!-- /wp:image -->"
        )
    return (
        f'[caption id="attachment_{attachment_id}" align="aligncenter" width="1024"]<img class="size-large '
        f'wp-image-{attachment_id}" src="{src}" alt="Photo {wp_id}" width="1024" height="683" /> Photo {wp_id}'
        "[/caption]"
    )


def write_uploads(folder, *, posts):
    """A JPEG for every attachment of the export, under folder/YYYY/MM/ as in wp-content/uploads."""
    from io import BytesIO

    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (1600, 1067))
    draw = ImageDraw.Draw(picture)
    rng = random.Random(7)
    for _ in range(400):  # shapes of many colours: a JPEG about the size of a photograph's
        x, y = rng.randrange(1600), rng.randrange(1067)
        colour = tuple(rng.randrange(256) for _ in range(3))
        draw.ellipse((x, y, x + rng.randrange(20, 300), y + rng.randrange(20, 300)), fill=colour)
    data = BytesIO()
    picture.save(data, "JPEG", quality=85)
    data = data.getvalue()
    count = 0
    for number in range(10, posts + 1, 10):
        path = folder / f"2024/{1 + number % 12:02d}/p{1000 + number}.jpg"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        count += 1
    return count, len(data)


def cdata(text):
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def write_export(path, *, posts, comments, seed=13):
    rng = random.Random(seed)
    authors = [f"reporter{number}" for number in range(1, 21)]
    categories = [f"section-{number}" for number in range(1, 13)]
    tags = [f"topic-{number}" for number in range(1, 301)]
    comment_id = 1
    with open(path, "w", encoding="utf-8") as out:
        out.write(HEADER)
        for number, login in enumerate(authors, 1):
            out.write(
                f"<wp:author><wp:author_id>{number}</wp:author_id><wp:author_login>{cdata(login)}</wp:author_login>"
                f"<wp:author_email>{login}@bench.example</wp:author_email>"
                f"<wp:author_display_name>{cdata(f'Reporter {number}')}</wp:author_display_name></wp:author>\n"
            )
        for number, slug in enumerate(categories, 1):
            out.write(
                f"<wp:category><wp:term_id>{number}</wp:term_id><wp:category_nicename>{slug}</wp:category_nicename>"
                f"<wp:category_parent></wp:category_parent><wp:cat_name>{cdata(slug.title())}</wp:cat_name></wp:category>\n"
            )
        for number, slug in enumerate(tags, 100):
            out.write(
                f"<wp:tag><wp:term_id>{number}</wp:term_id><wp:tag_slug>{slug}</wp:tag_slug>"
                f"<wp:tag_name>{cdata(slug.replace('-', ' ').title())}</wp:tag_name></wp:tag>\n"
            )
        for number in range(1, posts + 1):
            wp_id = 1000 + number
            day = 1 + number % 28
            month = 1 + number % 12
            title = sentence(rng, 7)[:-1]
            slug = f"story-{wp_id}"
            content = blocks(rng, 6) if number % 2 else paragraphs(rng, 6)
            featured = ""
            if number % 10 == 0:  # the post of an attachment shows it, in its body and as its featured image
                content += "\n\n" + image_markup(number, wp_id, month, block=number % 20 == 10)
                featured = (
                    "<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key>"
                    f"<wp:meta_value>{500000 + number}</wp:meta_value></wp:postmeta>"
                )
            terms = "".join(
                f'<category domain="category" nicename="{category}">{cdata(category.title())}</category>'
                for category in rng.sample(categories, 2)
            ) + "".join(
                f'<category domain="post_tag" nicename="{tag}">{cdata(tag.title())}</category>'
                for tag in rng.sample(tags, 3)
            )
            thread = []
            for index in range(comments):
                parent = comment_id - 1 if index and index % 2 else 0
                thread.append(
                    f"<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>"
                    f"<wp:comment_author>{cdata(f'Reader {comment_id}')}</wp:comment_author>"
                    f"<wp:comment_author_email>reader{comment_id}@mail.example</wp:comment_author_email>"
                    "<wp:comment_author_url></wp:comment_author_url>"
                    f"<wp:comment_author_IP>203.0.113.{comment_id % 250}</wp:comment_author_IP>"
                    f"<wp:comment_date>2024-{month:02d}-{day:02d} 12:{index:02d}:00</wp:comment_date>"
                    f"<wp:comment_date_gmt>2024-{month:02d}-{day:02d} 11:{index:02d}:00</wp:comment_date_gmt>"
                    f"<wp:comment_content>{cdata(sentence(rng, 20))}</wp:comment_content>"
                    f"<wp:comment_approved>{'1' if index % 5 else '0'}</wp:comment_approved>"
                    "<wp:comment_type>comment</wp:comment_type>"
                    f"<wp:comment_parent>{parent}</wp:comment_parent><wp:comment_user_id>0</wp:comment_user_id></wp:comment>"
                )
                comment_id += 1
            out.write(
                f"<item><title>{escape(title)}</title><link>https://bench.example/2024/{month:02d}/{slug}/</link>"
                f"<dc:creator>{cdata(rng.choice(authors))}</dc:creator>"
                f'<guid isPermaLink="false">https://bench.example/?p={wp_id}</guid><description></description>'
                f"<content:encoded>{cdata(content)}</content:encoded><excerpt:encoded>{cdata(sentence(rng))}</excerpt:encoded>"
                f"<wp:post_id>{wp_id}</wp:post_id><wp:post_date>2024-{month:02d}-{day:02d} 10:00:00</wp:post_date>"
                f"<wp:post_date_gmt>2024-{month:02d}-{day:02d} 09:00:00</wp:post_date_gmt>"
                f"<wp:post_modified_gmt>2024-{month:02d}-{day:02d} 09:30:00</wp:post_modified_gmt>"
                f"<wp:comment_status>open</wp:comment_status><wp:post_name>{slug}</wp:post_name>"
                f"<wp:status>{'publish' if number % 20 else 'draft'}</wp:status><wp:post_parent>0</wp:post_parent>"
                f"<wp:post_type>post</wp:post_type><wp:post_password></wp:post_password><wp:is_sticky>0</wp:is_sticky>"
                f"{terms}{featured}{''.join(thread)}</item>\n"
            )
            if number % 10 == 0:
                out.write(
                    f"<item><title>photo {wp_id}</title><wp:post_id>{500000 + number}</wp:post_id>"
                    f"<wp:post_type>attachment</wp:post_type><wp:status>inherit</wp:status><wp:post_parent>{wp_id}</wp:post_parent>"
                    f"<wp:attachment_url>https://bench.example/wp-content/uploads/2024/{month:02d}/p{wp_id}.jpg</wp:attachment_url>"
                    f"<wp:postmeta><wp:meta_key>_wp_attached_file</wp:meta_key>"
                    f"<wp:meta_value>2024/{month:02d}/p{wp_id}.jpg</wp:meta_value></wp:postmeta></item>\n"
                )
        out.write("</channel>\n</rss>\n")


def peak_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--comments", type=int, default=4, help="comments per post")
    parser.add_argument("--batch-size", type=int, default=200)
    parser.add_argument("--twice", action="store_true", help="import again (nothing changed) and time it")
    parser.add_argument(
        "--media-dir", action="store_true", help="write a JPEG for each attachment and import with --media-dir"
    )
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        run(options, Path(folder))


def run(options, folder):
    # The library's originals and renditions go to the temporary folder, not to the project's.
    os.environ.setdefault("NEWSROOM_ORIGINALS_ROOT", str(folder / "private"))
    os.environ.setdefault("DJANGO_MEDIA_ROOT", str(folder / "media"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from articles.models import Article, Image
    from comments.models import Comment

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    export = folder / "export.xml"
    started = time.monotonic()
    write_export(export, posts=options.posts, comments=options.comments)
    size = export.stat().st_size / 1024 / 1024
    arguments = [str(export), "--batch-size", str(options.batch_size)]
    if options.media_dir:
        uploads = folder / "uploads"
        # In a child process, so that drawing the picture does not count in this process's peak memory.
        with multiprocessing.get_context("spawn").Pool(1) as pool:
            count, file_size = pool.apply(write_uploads, (uploads,), {"posts": options.posts})
        arguments += ["--media-dir", str(uploads)]
        print(f"uploads: {count} JPEGs of {file_size / 1024:.0f} KiB")
    print(
        f"export: {options.posts} posts, {options.posts * options.comments} comments, {size:.1f} MiB "
        f"(written in {time.monotonic() - started:.1f} s); memory before the import: {peak_mib():.0f} MiB"
    )
    articles, comments, images = Article.objects.count(), Comment.objects.count(), Image.objects.count()
    runs = 2 if options.twice else 1
    for number in range(1, runs + 1):
        started = time.monotonic()
        with open(os.devnull, "w") as quiet:
            call_command("import_wordpress", *arguments, stdout=quiet)
        elapsed = time.monotonic() - started
        new_articles = Article.objects.count() - articles
        new_comments = Comment.objects.count() - comments
        new_images = Image.objects.count() - images
        articles, comments, images = articles + new_articles, comments + new_comments, images + new_images
        print(
            f"import run {number}: {elapsed:.1f} s; {new_articles} articles, {new_comments} comments and "
            f"{new_images} library images written ({options.posts / elapsed:.0f} posts/s); "
            f"peak memory {peak_mib():.0f} MiB"
        )


if __name__ == "__main__":
    main()
