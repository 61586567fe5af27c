"""Comment mail leaves the request: jobs enqueued after commit, worked by the real database queue and
delivered to a real SMTP peer on 127.0.0.1, retried when the mail server fails."""

from datetime import timedelta
from email.header import decode_header, make_header

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from comments import services
from comments.models import Comment
from tests.factories import make_article, make_comment, make_publication, make_section
from tests.smtp import SMTPServer

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def hung_smtp():
    server = SMTPServer(hang=True)
    yield server
    server.close()


@pytest.fixture
def smtp():
    server = SMTPServer()
    yield server
    server.close()


@pytest.fixture
def real_queue_and_smtp(settings, hung_smtp):
    """The database job queue and Django's SMTP backend, pointed at a mail server that never answers."""
    settings.TASKS = DATABASE_QUEUE
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", hung_smtp.port
    settings.EMAIL_TIMEOUT = 30  # a request that waited for this mail server would take 30 s and fail below
    return settings


def work_the_queue():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_a_held_comment_with_a_hung_mail_server_is_saved_at_once_and_mailed_by_the_worker_later(
    client, real_queue_and_smtp, hung_smtp, smtp, post_comment, moderator
):
    make_publication()
    article = make_article(headline="Harbour bridge reopens", section=make_section())
    response = post_comment(client, article, comment="Please approve me.")
    assert response.status_code == 302
    assert Comment.objects.get().body == "Please approve me." and Comment.objects.get().is_pending
    assert hung_smtp.connections == 0, "the request never talked to the mail server"
    (job,) = DBTaskResult.objects.all()
    assert job.task_path == "comments.tasks.send_moderation_request" and job.status == "READY"

    real_queue_and_smtp.EMAIL_PORT = smtp.port  # the mail server answers again
    work_the_queue()
    [(_sender, recipients, message)] = smtp.messages
    assert recipients == ["moderator@example.com"]
    assert "Please moderate" in str(make_header(decode_header(message["Subject"])))
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True)
def test_a_failed_delivery_is_logged_and_tried_again_later_without_losing_anything(
    client, real_queue_and_smtp, smtp, post_comment, moderator, caplog
):
    make_publication()
    article = make_article(section=make_section())
    real_queue_and_smtp.EMAIL_PORT = 9  # nothing listens on the discard port: connection refused
    post_comment(client, article, comment="Held while the mail server is down.")
    work_the_queue()
    assert "failed (try 1); trying again in 60 s" in caplog.text
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.task_result.kwargs == {"attempt": 2} and retry.run_after > timezone.now() + timedelta(seconds=50)

    real_queue_and_smtp.EMAIL_PORT = smtp.port
    work_the_queue()
    assert smtp.messages == [], "not before its time"
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        work_the_queue()
    assert len(smtp.messages) == 1
    assert Comment.objects.get().body == "Held while the mail server is down."


@pytest.mark.django_db
def test_an_approval_rolled_back_sends_nothing(article, moderator, committed):
    comment = make_comment(article=article, status=Comment.Status.PENDING, notify_replies=True)
    with committed():
        try:
            with transaction.atomic():
                services.comment_approve(comment=comment, actor=moderator, base_url="http://testserver")
                raise RuntimeError("the moderator's transaction failed after the approval")
        except RuntimeError:
            pass
    assert mail.outbox == []
    assert Comment.objects.get(pk=comment.pk).is_pending


@pytest.mark.django_db
def test_the_approval_mail_goes_out_only_after_the_moderators_transaction_commits(article, moderator, committed):
    comment = make_comment(article=article, status=Comment.Status.PENDING, notify_replies=True)
    with committed(), transaction.atomic():
        services.comment_approve(comment=comment, actor=moderator, base_url="http://testserver")
        assert mail.outbox == [], "nothing is sent while the approval can still roll back"
    [message] = mail.outbox
    assert "is published" in message.subject


@pytest.mark.django_db
def test_mail_links_use_the_site_address(settings, client, article, moderator, post_comment):
    settings.SITE_URL = "https://news.example.com"
    post_comment(client, article)
    [message] = mail.outbox
    assert "https://news.example.com" + article.get_absolute_url() in message.body
    assert "http://testserver" not in message.body
