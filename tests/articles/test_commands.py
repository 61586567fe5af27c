import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection

from articles.models import Article
from tests.factories import image_bytes, make_article, make_image

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_make_renditions_makes_them_for_every_image_and_reports_broken_ones(publication, section, settings):
    good = make_image(image_bytes(size=(700, 400), format="JPEG"), name="good.jpg", renditions=False)
    bad = make_image(name="bad.jpg", renditions=False)
    bad.file.storage.delete(bad.file.name)
    bad.file.storage.save(bad.file.name, ContentFile(b"nope"))
    done = make_image(name="done.jpg")
    assert "Would make the renditions of 2 of 3 images." in run("make_renditions", "--dry-run")[0]
    assert not list((Path(settings.MEDIA_ROOT) / "renditions" / str(good.pk)).rglob("*"))
    out, err = run("make_renditions")
    assert "1 images have new renditions; 1 could not be used." in out
    assert f"Image {bad.pk}" in err
    assert list((Path(settings.MEDIA_ROOT) / "renditions" / str(good.pk)).rglob("original-320w.webp"))
    assert done.renditions_data == type(done).objects.get(pk=done.pk).renditions_data  # current: untouched


def test_rebuild_search_index(publication, section):
    article = make_article(headline="Lighthouse keepers", section=section)
    Article.objects.update(search_vector=None)
    out, _ = run("rebuild_search_index", "--dry-run")
    if connection.vendor == "postgresql":
        assert "Would rebuild the search vectors of 1 articles." in out
        assert Article.objects.get(pk=article.pk).search_vector is None
        out, _ = run("rebuild_search_index")
        assert "Rebuilt the search vectors of 1 articles." in out
        assert Article.objects.filter(pk=article.pk, search_vector__isnull=False).exists()
    else:
        assert "PostgreSQL only" in out
