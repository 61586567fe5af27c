"""make backup / make restore round-trip articles, tags, comments and images (database and media)."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests import live
from tests.live import BASE_DIR, manage

CREATE = """
from django.core.files.base import ContentFile
from articles.models import Article, Section
from comments.models import Comment
from tests.factories import image_bytes, make_article, make_image
article = make_article(headline="Backed-up story", section=Section.objects.create(name="World", slug="world"),
                       tags=["Zürich", "Floods"], image=make_image(image_bytes(size=(64, 48)), name="photo.png"))
Comment.objects.create(article=article, author_name="Ada", author_email="ada@example.com", body="Kept comment.",
                       status="approved")
"""
DAMAGE = """
import shutil
from django.conf import settings
from articles.models import Article
from taggit.models import Tag
Article.objects.all().delete(); Tag.objects.all().delete()
shutil.rmtree(settings.MEDIA_ROOT); shutil.rmtree(settings.ORIGINALS_ROOT)
"""
SHOW = """
from django.core.files.storage import storages
from articles.models import Article
from comments.models import Comment
article = Article.objects.get()
image, served = article.image, article.image.renditions().largest.url.removeprefix("/media/")
print(article.headline, sorted(article.tags.names()), [c.body for c in Comment.objects.all()],
      image.file.name, storages["originals"].exists(image.file.name), image.width,
      served, storages["default"].exists(served))
"""


def make(env, target):
    result = subprocess.run(
        ["make", "-s", target, f"BIN={Path(sys.executable).parent}", f"STAMP={BASE_DIR / 'Makefile'}"],
        cwd=BASE_DIR,
        env={**env, "DATABASE_URL": env["LIVE_DIRECT_DATABASE_URL"]},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture
def site(tmp_path):
    with live.site_env(tmp_path) as env:
        yield env


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip_articles_tags_comments_and_images(site):
    manage(site, "migrate", "--no-input", "-v", "0")
    manage(site, "shell", "-v", "0", "-c", CREATE)
    before = manage(site, "shell", "-v", "0", "-c", SHOW)
    assert "Backed-up story ['Floods', 'Zürich'] ['Kept comment.']" in before and "True 64" in before
    assert before.strip().endswith("True"), "a public rendition exists"
    make(site, "backup")
    made = sorted(path.suffix for path in Path(site["NEWSROOM_BACKUP_DIR"]).iterdir())
    assert made.count(".tar") == 2 and len(made) == 4, made  # the database, its metadata, media, originals
    manage(site, "shell", "-v", "0", "-c", DAMAGE)
    make(site, "restore")
    assert manage(site, "shell", "-v", "0", "-c", SHOW) == before
