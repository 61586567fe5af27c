"""Nothing private ever appears in the Content API: a crawl of every endpoint over the demo site, anonymously
and with a partner key, never meets a commenter's email, IP address or user agent, a draft, a desk note,
a staff account's email or an API key."""

import io
import json
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from articles.models import ApiKey, Article
from comments.models import Comment
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db

EMAIL = "whistle.blower@private.example"
IP = "203.0.113.77"
AGENT = "SecretAgentBrowser/7.0"
DRAFT = "Unannounced merger of Acme and Bigco"
DESK_NOTE = "Source is the CFO, never name her"


@pytest.fixture
def demo(settings):
    settings.API_ANON_PER_MINUTE = 1_000_000
    call_command("load_demo", "--no-admin", stdout=io.StringIO())
    story = Article.objects.published().first()
    Article.objects.filter(pk=story.pk).update(desk_note=DESK_NOTE)
    for status in Comment.Status.values:
        make_comment(article=story, author_email=EMAIL, ip_address=IP, user_agent=AGENT, status=status)
    make_article(headline=DRAFT, status=Article.Status.DRAFT, tags=["Acme merger"], desk_note=DESK_NOTE)
    make_article(headline="Scheduled story", published_at=timezone.now() + timedelta(days=1), desk_note=DESK_NOTE)
    get_user_model().objects.create_user("staffer", "staffer.private@newsroom.example", "x", is_staff=True)
    key = ApiKey(name="Partner", sees_scheduled=True)
    raw_key = key.set_new_key()
    key.save()
    return {"story": story, "raw_key": raw_key, "key": key}


def urls_in(value):
    """Every API URL mentioned in a JSON document (api_url, next, articles_api_url...)."""
    if isinstance(value, dict):
        for item in value.values():
            yield from urls_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from urls_in(item)
    elif isinstance(value, str) and value.startswith("http://testserver/api/v1/"):
        yield value.removeprefix("http://testserver")


def crawl(client, headers):
    """Fetch the index, every list (all pages) and everything any answer links to; returns {url: body}."""
    seen, queue = {}, ["/api/v1/", "/api/v1/openapi.json", "/api/v1/docs"]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        response = client.get(url, headers=headers)
        assert response.status_code == 200, url
        assert not response.cookies, url
        seen[url] = response.content.decode()
        if response["Content-Type"].startswith("application/json") and not url.endswith("openapi.json"):
            queue += list(urls_in(json.loads(seen[url])))
            for article_id in {item["id"] for item in json.loads(seen[url]).get("items", []) if "standfirst" in item}:
                queue.append(f"/api/v1/articles/{article_id}/comments")
    return seen


@pytest.mark.parametrize("keyed", [False, True], ids=["anonymous", "partner-key"])
def test_no_endpoint_ever_shows_private_data(client, demo, keyed):
    headers = {"X-API-Key": demo["raw_key"]} if keyed else {}
    pages = crawl(client, headers)
    kinds = {url.split("/")[3].split("?")[0] for url in pages}
    assert {"articles", "sections", "tags", "authors", "publishers", "pages", "publication", "comments"} <= kinds
    assert any(f"/api/v1/articles/{demo['story'].pk}/comments" == url for url in pages)
    everything = "\n".join(pages.values())
    assert EMAIL.split("@")[0] not in everything and "private.example" not in everything
    for secret in [
        IP,
        AGENT,
        DRAFT,
        "Acme merger",
        DESK_NOTE,
        "staffer.private",
        demo["raw_key"],
        demo["key"].hashed_key,
    ]:
        assert secret not in everything, secret
    assert ("Scheduled story" in everything) is keyed
    comments = json.loads(pages[f"/api/v1/articles/{demo['story'].pk}/comments"])["items"]
    assert sum(1 for comment in comments if comment["body"].startswith("Comment number")) == 1  # approved only
    assert set(comments[0]) == {
        "id", "article_id", "parent_id", "author_name", "created_at", "body", "is_staff_reply", "url", "api_url",
    }  # fmt: skip
