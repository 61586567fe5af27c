import pytest


@pytest.fixture(autouse=True)
def _instant_forms_and_locmem_mail(settings):
    """Tests post at once (no 3-second wait) and read mail from django.core.mail.outbox."""
    settings.COMMENTS_MIN_FORM_AGE = 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def article(publication, section):
    from tests.factories import make_article

    return make_article(headline="Harbour bridge reopens", section=section)


@pytest.fixture
def moderator(db):
    from tests.factories import make_moderator

    return make_moderator()


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture
def post_comment():
    """post_comment(client, article, **fields) POSTs the comment form as a reader's browser would."""
    from django.urls import reverse

    from tests.factories import comment_form_data

    def post(client, article, *, ip="203.0.113.7", user_agent="Mozilla/5.0 (Reader)", **overrides):
        url = reverse("comments:post", args=[article.pk])
        return client.post(url, comment_form_data(**overrides), REMOTE_ADDR=ip, HTTP_USER_AGENT=user_agent)

    return post
