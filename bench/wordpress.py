"""Benchmark of the WordPress import: generate an export, import it, report time and peak memory.

    DJANGO_DEBUG=1 .venv/bin/python bench/wordpress.py --posts 2000 --comments 4
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench .venv/bin/python bench/wordpress.py --posts 20000

It migrates the configured database (use a throw-away one: the import is written to it), writes a WXR
file of --posts posts (classic and block content, categories, tags, --comments threaded comments each,
an attachment every tenth post) to a temporary folder, runs `import_wordpress` on it in this process,
and prints the wall time, posts and comments a second, and the peak resident memory (ru_maxrss) of the
whole process. `--twice` runs the import a second time (everything unchanged) and times that too.
"""

import argparse
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
                f"{terms}{''.join(thread)}</item>\n"
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
    options = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from articles.models import Article
    from comments.models import Comment

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    with tempfile.TemporaryDirectory() as folder:
        export = Path(folder) / "export.xml"
        started = time.monotonic()
        write_export(export, posts=options.posts, comments=options.comments)
        size = export.stat().st_size / 1024 / 1024
        print(
            f"export: {options.posts} posts, {options.posts * options.comments} comments, {size:.1f} MiB "
            f"(written in {time.monotonic() - started:.1f} s); memory before the import: {peak_mib():.0f} MiB"
        )
        articles, comments = Article.objects.count(), Comment.objects.count()
        runs = 2 if options.twice else 1
        for run in range(1, runs + 1):
            started = time.monotonic()
            with open(os.devnull, "w") as quiet:
                call_command("import_wordpress", str(export), "--batch-size", str(options.batch_size), stdout=quiet)
            elapsed = time.monotonic() - started
            new_articles = Article.objects.count() - articles
            new_comments = Comment.objects.count() - comments
            articles, comments = articles + new_articles, comments + new_comments
            print(
                f"import run {run}: {elapsed:.1f} s; {new_articles} articles and {new_comments} comments written "
                f"({options.posts / elapsed:.0f} posts/s); peak memory {peak_mib():.0f} MiB"
            )


if __name__ == "__main__":
    main()
