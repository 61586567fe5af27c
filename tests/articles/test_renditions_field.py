"""Image.renditions_data is decoded once per process per stored text, into a manifest nothing can change in place."""

import copy
import json
import pickle

import pytest

from articles.models import Image
from tests.factories import make_image

pytestmark = pytest.mark.django_db


def test_images_read_with_the_same_manifest_share_one_decoded_copy(monkeypatch):
    image = make_image()
    decoded = []
    loads = json.loads
    monkeypatch.setattr(json, "loads", lambda text, **kwargs: decoded.append(text) or loads(text, **kwargs))
    first, second = Image.objects.get(pk=image.pk), Image.objects.get(pk=image.pk)
    assert first.renditions_data is second.renditions_data
    assert first.renditions_data == image.renditions_data and first.renditions_data["crops"]["card"]
    assert first.renditions().fallback_srcset == image.renditions().fallback_srcset
    assert len(decoded) <= 1  # none when an earlier test read the same text


def test_a_read_manifest_cannot_be_changed_in_place_but_can_be_replaced():
    image = Image.objects.get(pk=make_image().pk)
    with pytest.raises(TypeError, match="read-only"):
        image.renditions_data["version"] = 99
    with pytest.raises(TypeError, match="read-only"):
        image.renditions_data["focal"].append(0.5)
    with pytest.raises(TypeError, match="read-only"):
        image.renditions_data.update(version=99)
    changed = copy.deepcopy(image.renditions_data)
    changed["version"] = 99
    image.renditions_data = changed
    image.save()
    assert Image.objects.get(pk=image.pk).renditions_data["version"] == 99


def test_an_image_read_and_saved_keeps_its_manifest_and_a_pickled_one_is_a_plain_dict():
    image = Image.objects.get(pk=make_image().pk)
    stored = json.loads(json.dumps(image.renditions_data))
    image.alt = "The harbour at noon"
    image.save()
    assert Image.objects.get(pk=image.pk).renditions_data == stored
    unpickled = pickle.loads(pickle.dumps(image.renditions_data))  # noqa: S301 (our own bytes)
    assert type(unpickled) is dict and type(unpickled["focal"]) is list and unpickled == stored
    unpickled["version"] = 1  # a copy of its own


def test_a_bylines_photo_read_with_its_article_shares_the_decoded_manifest(publication, section):
    from articles.models import Article
    from tests.factories import make_article, make_author

    portrait = make_image(name="portrait.jpg", alt="A reporter")
    author = make_author(photo=portrait)
    for number in range(2):
        make_article(headline=f"Story {number}", section=section, authors=[author])
    first, second = Article.objects.for_listing().order_by("pk")
    photos = [article.authors_in_order[0].photo for article in (first, second)]
    assert photos[0].renditions_data is photos[1].renditions_data is Image.objects.get(pk=portrait.pk).renditions_data
    assert photos[0].renditions_data == portrait.renditions_data
    assert photos[0].crop("square").fallback_srcset == portrait.crop("square").fallback_srcset
