"""Storage that scales out: originals and renditions only through Django's storage API, so any storage works,
S3-compatible object storage (django-storages) included, by setting alone."""

import io

import pytest
from django.core.files.storage import storages
from django.core.management import call_command
from PIL import Image as PILImage

from articles import media
from newsroom.env import storages_config
from tests.factories import jpeg_with_exif, make_article, make_image

pytestmark = pytest.mark.django_db

STATIC = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}


def test_everything_works_on_a_storage_that_is_not_a_filesystem(client, publication, settings):
    """Files in memory, as in object storage: code that opened a filesystem path would find nothing there."""
    from pathlib import Path

    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage", "OPTIONS": {"base_url": "/media/"}},
        "originals": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
        "staticfiles": STATIC,
    }
    image = make_image(jpeg_with_exif(size=(1200, 800)))
    article = make_article(image=image, body=media.figure_html(image, size="wide"))
    assert storages["originals"].exists(image.file.name) and not storages["default"].exists(image.file.name)
    largest = image.renditions().largest
    with storages["default"].open(largest.url.removeprefix("/media/")) as handle, PILImage.open(handle) as picture:
        assert picture.size == (1200, 800) and not dict(picture.getexif())
    assert largest.url in client.get(article.get_absolute_url()).content.decode()
    # Moving the focal point and the make_renditions command work there too.
    image.focal_x = 0.1
    media.image_save(image=image)
    out = io.StringIO()
    call_command("make_renditions", stdout=out, stderr=io.StringIO())
    assert "1 images have new renditions" in out.getvalue()
    assert not [
        p for root in (settings.MEDIA_ROOT, settings.ORIGINALS_ROOT) for p in Path(root).rglob("*") if p.is_file()
    ]


def test_s3_settings_come_from_the_environment_alone():
    config = storages_config(
        "s3",
        debug=False,
        environ={
            "NEWSROOM_S3_BUCKET": "news-media",
            "NEWSROOM_S3_ORIGINALS_BUCKET": "news-originals",
            "NEWSROOM_S3_ENDPOINT_URL": "https://s3.example.net",
            "NEWSROOM_S3_REGION": "eu-west-1",
            "NEWSROOM_S3_CUSTOM_DOMAIN": "media.example.com",
        },
    )
    public, private = config["default"], config["originals"]
    assert public["BACKEND"] == private["BACKEND"] == "storages.backends.s3.S3Storage"
    assert public["OPTIONS"]["bucket_name"] == "news-media" and public["OPTIONS"]["querystring_auth"] is False
    assert public["OPTIONS"]["custom_domain"] == "media.example.com"
    assert private["OPTIONS"]["bucket_name"] == "news-originals" and private["OPTIONS"]["default_acl"] == "private"
    assert private["OPTIONS"]["endpoint_url"] == "https://s3.example.net"
    assert "access_key" not in str(config) and "secret" not in str(config)  # boto3 reads those itself
    one_bucket = storages_config("s3", debug=False, environ={"NEWSROOM_S3_BUCKET": "news"})
    assert one_bucket["originals"]["OPTIONS"]["bucket_name"] == "news"
    assert one_bucket["originals"]["OPTIONS"]["location"] == "private" != one_bucket["default"]["OPTIONS"]["location"]


def test_s3_without_a_bucket_stops_the_site_at_start_up():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="NEWSROOM_S3_BUCKET"):
        storages_config("s3", debug=False, environ={})


@pytest.fixture
def s3(settings, monkeypatch):
    """A mocked S3 (moto) with a public media bucket and a private originals bucket, configured as
    production would be: by the environment alone."""
    moto = pytest.importorskip("moto")
    pytest.importorskip("storages")
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    with moto.mock_aws():
        import boto3

        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket="news-media")
        client.create_bucket(Bucket="news-originals")
        config = storages_config(
            "s3",
            debug=False,
            environ={
                "NEWSROOM_S3_BUCKET": "news-media",
                "NEWSROOM_S3_ORIGINALS_BUCKET": "news-originals",
                "NEWSROOM_S3_REGION": "us-east-1",
                "NEWSROOM_S3_CUSTOM_DOMAIN": "media.example.com",
            },
        )
        settings.STORAGES = {**config, "staticfiles": STATIC}
        yield client


def test_images_live_in_s3_originals_privately_and_renditions_publicly(client, publication, s3):
    image = make_image(jpeg_with_exif(size=(1200, 800)))
    article = make_article(image=image)
    originals = [item["Key"] for item in s3.list_objects_v2(Bucket="news-originals")["Contents"]]
    assert originals == ["private/" + image.file.name]
    public = [item["Key"] for item in s3.list_objects_v2(Bucket="news-media")["Contents"]]
    assert public and all(key.startswith(f"media/renditions/{image.pk}/") for key in public)
    assert not any("originals" in key for key in public)
    grants = s3.get_object_acl(Bucket="news-originals", Key=originals[0])["Grants"]
    assert not [grant for grant in grants if "AllUsers" in str(grant.get("Grantee", {}))]
    html = client.get(article.get_absolute_url()).content.decode()
    assert "https://media.example.com/media/renditions/" in html and "news-originals" not in html
    head = s3.head_object(Bucket="news-media", Key=public[0])
    assert head["CacheControl"] == "public, max-age=31536000, immutable"
    body = s3.get_object(Bucket="news-media", Key=next(k for k in public if k.endswith(".jpg")))["Body"].read()
    assert b"Secret Model" not in body  # no EXIF in what is public
