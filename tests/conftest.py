import os

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _isolated_cache_and_media(settings, tmp_path):
    """Each test starts with an empty cache and writes uploads (public media and private originals) to its own
    folders."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ORIGINALS_ROOT = tmp_path / "originals"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def task_backend():
    """The suite's job queue (tests/tasks_backend.py), emptied around each test."""
    from django_tasks import default_task_backend

    default_task_backend.clear()
    yield default_task_backend
    if hasattr(default_task_backend, "clear"):  # a test may have switched to the real database queue
        default_task_backend.clear()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs what the block's writes left for after commit (events, jobs), as a real
    commit would; the test's own transaction never commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def publication(db):
    from tests.factories import make_publication

    return make_publication()


@pytest.fixture
def section(db):
    from tests.factories import make_section

    return make_section(name="World", slug="world")


@pytest.fixture
def editor(db, django_user_model):
    """A staff user with every articles permission, as the Editors group will have."""
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("editor", "editor@example.com", "correct horse battery", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=["articles", "taggit"]))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def reporter(db):
    """A member of the Reporters group (made by the data migration), with an author profile."""
    from articles.models import Author
    from tests.factories import make_user

    user = make_user("reporter", group="Reporters", first_name="Rita", last_name="Reporter")
    Author.objects.create(name="Rita Reporter", slug="rita-reporter", user=user)
    return user


@pytest.fixture
def desk_editor(db):
    """A member of the Editors group (made by the data migration); not a superuser."""
    from tests.factories import make_user

    return make_user("desk", group="Editors", first_name="Dana", last_name="Desk")


@pytest.fixture
def desk(desk_editor):
    """A test client logged in as the desk editor."""
    from django.test import Client

    client = Client()
    client.force_login(desk_editor)
    return client


def pytest_collection_modifyitems(config, items):
    """Browser tests need Debian's chromium; they skip without it unless CI demands them."""
    if os.path.exists("/usr/bin/chromium") or os.environ.get("NEWSROOM_REQUIRE_BROWSER"):
        return
    skip = pytest.mark.skip(reason="/usr/bin/chromium is not installed (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def heard():
    """Every articles.events ContentChange sent during the test, in order."""
    from articles import events

    changes = []

    def listen(sender, change, **kwargs):
        changes.append(change)

    events.content_changed.connect(listen)
    yield changes
    events.content_changed.disconnect(listen)
