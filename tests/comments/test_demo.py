import io

import pytest
from django.core.management import call_command

from comments.demo import DEMO_THREADS
from comments.models import Comment

pytestmark = pytest.mark.django_db


def test_the_demo_site_has_a_comment_thread_and_one_comment_to_moderate(client):
    call_command("load_demo", "--no-admin", stdout=io.StringIO())
    assert Comment.objects.public().count() == 3
    held = Comment.objects.awaiting_moderation().get()
    thread = Comment.objects.public().filter(parent__isnull=False).get()
    html = client.get(thread.article.get_absolute_url()).content.decode()
    assert "3 comments" in html and thread.body in html
    assert held.body not in client.get(held.article.get_absolute_url()).content.decode()
    call_command("load_demo", "--no-admin", stdout=io.StringIO())
    assert Comment.objects.count() == sum(len(thread["comments"]) for thread in DEMO_THREADS)
