from datetime import timedelta

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, CommentSettings, ModerationEvent
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:comments_comment_changelist"


def run_action(client, action, comments, **extra):
    data = {"action": action, ACTION_CHECKBOX_NAME: [comment.pk for comment in comments], **extra}
    return client.post(reverse(CHANGELIST), data, follow=True)


def test_migrations_made_the_moderators_and_editors_groups():
    moderators = Group.objects.get(name="Moderators")
    codenames = set(moderators.permissions.values_list("codename", flat=True))
    assert codenames == {
        "view_comment",
        "add_comment",
        "change_comment",
        "delete_comment",
        "view_moderationevent",
        "view_commenterban",
        "add_commenterban",
        "change_commenterban",
        "delete_commenterban",
        "view_commentflag",
    }
    editors = Group.objects.get(name="Editors")
    assert codenames | {"change_commentsettings", "view_commentsettings"} <= set(
        editors.permissions.values_list("codename", flat=True)
    )


def test_a_moderator_sees_comments_and_nothing_else(moderator_client, article):
    index = moderator_client.get(reverse("admin:index")).content.decode()
    assert reverse(CHANGELIST) in index
    assert "/admin/articles/" not in index and "/admin/auth/" not in index
    assert moderator_client.get(reverse(CHANGELIST)).status_code == 200
    assert moderator_client.get(reverse("admin:articles_article_changelist")).status_code == 403
    assert moderator_client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert moderator_client.get(reverse("admin:comments_commentsettings_changelist")).status_code == 403


def test_readers_and_staff_without_permission_cannot_moderate(client, django_user_model, article):
    comment = make_comment(article=article)
    assert client.get(reverse(CHANGELIST)).status_code == 302  # to the login page
    client.force_login(django_user_model.objects.create_user("intern", is_staff=True))
    assert client.get(reverse(CHANGELIST)).status_code == 403
    response = client.post(reverse("admin:comments_comment_moderate", args=[comment.pk, "approve"]))
    assert response.status_code == 403


def test_the_list_shows_status_article_author_email_ip_date_and_excerpt(moderator_client, article):
    make_comment(
        article=article,
        author_name="Grace Hopper",
        author_email="grace@example.com",
        ip_address="198.51.100.77",
        body="A long comment " * 20,
        status=Comment.Status.PENDING,
    )
    html = moderator_client.get(reverse(CHANGELIST)).content.decode()
    for text in [
        "Grace Hopper",
        "grace@example.com",
        "198.51.100.77",
        "Harbour bridge reopens",
        "Pending",
        "A long comment",
    ]:
        assert text in html
    assert "A long comment " * 20 not in html  # an excerpt, not the whole text


def test_filters_by_status_article_and_date_and_search_by_name_email_text_ip(moderator_client, article):
    other = make_article(headline="Other story")
    pending = make_comment(article=article, author_name="Pending Person", status=Comment.Status.PENDING)
    approved = make_comment(article=other, author_name="Approved Person", author_email="apr@example.com")
    spam = make_comment(
        article=article, author_name="Spam Person", body="Cheap watches", ip_address="203.0.113.250", status="spam"
    )

    def names(query):
        response = moderator_client.get(reverse(CHANGELIST) + query)
        assert response.status_code == 200
        return {comment.author_name for comment in response.context["cl"].result_list}

    assert names("?status=pending") == {pending.author_name}
    assert names("?status=spam") == {spam.author_name}
    assert names(f"?article__id__exact={other.pk}") == {approved.author_name}
    Comment.objects.filter(pk=spam.pk).update(created_at=timezone.now() - timedelta(days=400))
    assert names(f"?created_at__year={timezone.now().year}") == {"Pending Person", "Approved Person"}
    assert names("?q=Approved") == {"Approved Person"}
    assert names("?q=apr@example") == {"Approved Person"}
    assert names("?q=watches") == {"Spam Person"}
    assert names("?q=203.0.113.250") == {"Spam Person"}
    html = moderator_client.get(reverse(CHANGELIST)).content.decode()
    assert "Pending (1)" in html and "Spam (1)" in html and "Approved (1)" in html


@pytest.mark.parametrize(
    ("action", "start", "end"),
    [
        ("approve", "pending", "approved"),
        ("unapprove", "approved", "pending"),
        ("mark_spam", "pending", "spam"),
        ("move_to_trash", "approved", "trash"),
    ],
)
def test_bulk_actions_change_status_and_are_recorded(moderator_client, moderator, article, action, start, end):
    comments = [make_comment(article=article, status=start) for _ in range(3)]
    untouched = make_comment(article=article, status=start)
    response = run_action(moderator_client, action, comments)
    assert response.status_code == 200
    assert "3 comments" in response.content.decode()
    assert set(Comment.objects.filter(pk__in=[c.pk for c in comments]).values_list("status", flat=True)) == {end}
    assert Comment.objects.get(pk=untouched.pk).status == start
    events = ModerationEvent.objects.filter(comment__in=comments)
    assert events.count() == 3
    assert {(e.actor, e.from_status, e.to_status) for e in events} == {(moderator, start, end)}


def test_bulk_delete_asks_then_deletes_and_keeps_the_history(moderator_client, moderator, article):
    comments = [make_comment(article=article) for _ in range(2)]
    confirm = run_action(moderator_client, "delete_selected", comments)
    assert "Are you sure" in confirm.content.decode()
    run_action(moderator_client, "delete_selected", comments, post="yes")
    assert not Comment.objects.exists()
    events = ModerationEvent.objects.filter(action="deleted")
    assert events.count() == 2 and {e.actor for e in events} == {moderator}
    assert all(e.comment is None and "Harbour bridge reopens" in e.comment_label for e in events)


def test_deleting_one_comment_from_its_page_is_recorded(moderator_client, article):
    comment = make_comment(article=article)
    url = reverse("admin:comments_comment_delete", args=[comment.pk])
    moderator_client.post(url, {"post": "yes"})
    assert not Comment.objects.exists()
    assert ModerationEvent.objects.get().action == "deleted"


def test_quick_buttons_moderate_one_comment_and_go_back(moderator_client, article):
    comment = make_comment(article=article, status=Comment.Status.PENDING)
    html = moderator_client.get(reverse(CHANGELIST)).content.decode()
    approve_url = reverse("admin:comments_comment_moderate", args=[comment.pk, "approve"])
    assert f'formaction="{approve_url}"' in html
    back = reverse(CHANGELIST) + "?status=pending"
    response = moderator_client.post(approve_url, HTTP_REFERER="http://testserver" + back)
    assert response.status_code == 302 and response["Location"] == "http://testserver" + back
    assert Comment.objects.get().status == "approved"
    evil = moderator_client.post(
        reverse("admin:comments_comment_moderate", args=[comment.pk, "spam"]), HTTP_REFERER="https://evil.example/"
    )
    assert evil["Location"] == reverse(CHANGELIST)
    assert moderator_client.get(approve_url).status_code == 405
    assert (
        moderator_client.post(reverse("admin:comments_comment_moderate", args=[comment.pk, "explode"])).status_code
        == 403
    )


def test_the_admin_index_shows_the_pending_count_with_a_link(moderator_client, article):
    for _ in range(3):
        make_comment(article=article, status=Comment.Status.PENDING)
    make_comment(article=article)
    html = moderator_client.get(reverse("admin:index")).content.decode()
    assert "3 comments awaiting moderation" in html
    assert f'href="{reverse(CHANGELIST)}?status=pending"' in html
    assert html.index("pending-comments-panel") < html.index('id="content-main"')


def test_the_pending_panel_is_hidden_from_staff_who_cannot_see_comments(client, django_user_model, db):
    client.force_login(django_user_model.objects.create_user("intern", is_staff=True))
    assert "awaiting moderation" not in client.get(reverse("admin:index")).content.decode()


def test_moderators_see_ip_and_user_agent_on_the_change_page_and_edits_are_recorded(
    moderator_client, moderator, article
):
    comment = make_comment(article=article, ip_address="198.51.100.8", user_agent="Firefox/99", status="pending")
    url = reverse("admin:comments_comment_change", args=[comment.pk])
    html = moderator_client.get(url).content.decode()
    assert "198.51.100.8" in html and "Firefox/99" in html
    assert f'href="{reverse("admin:comments_comment_reply", args=[comment.pk])}"' in html
    data = {
        "status": "approved",
        "body": "Edited by a moderator.",
        "author_name": comment.author_name,
        "author_email": comment.author_email,
        "author_url": "",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
    }
    response = moderator_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    comment.refresh_from_db()
    assert comment.body == "Edited by a moderator." and comment.status == "approved"
    actions = set(comment.events.values_list("action", "actor"))
    assert actions == {("edited", moderator.pk), ("approved", moderator.pk)}
    history = moderator_client.get(url).content.decode()
    assert "changed: body" in history and "Approved" in history


def test_the_moderation_history_is_read_only(moderator_client, article, django_user_model):
    comment = make_comment(article=article, status="pending")
    run_action(moderator_client, "approve", [comment])
    event = ModerationEvent.objects.get()
    assert moderator_client.get(reverse("admin:comments_moderationevent_changelist")).status_code == 200
    superuser = django_user_model.objects.create_superuser("root", "root@example.com", "pw")
    moderator_client.force_login(superuser)
    response = moderator_client.post(
        reverse("admin:comments_moderationevent_change", args=[event.pk]), {"note": "rewritten"}
    )
    assert response.status_code == 403
    assert moderator_client.get(reverse("admin:comments_moderationevent_add")).status_code == 403


def test_staff_reply_from_the_admin_is_published_and_approves_a_held_parent(moderator_client, moderator, article):
    parent = make_comment(article=article, status="pending", author_email="asker@example.com", notify_replies=True)
    url = reverse("admin:comments_comment_reply", args=[parent.pk])
    page = moderator_client.get(url).content.decode()
    assert parent.body in page and "replying publishes it too" in page
    response = moderator_client.post(url, {"body": "Thanks, we fixed it."})
    reply = Comment.objects.get(parent=parent)
    assert response.status_code == 302
    assert reply.status == "approved" and reply.user == moderator and reply.author_email == "moderator@example.com"
    parent.refresh_from_db()
    assert parent.status == "approved"
    assert {m.to[0] for m in mail.outbox} == {"asker@example.com"}
    html = moderator_client.get(article.get_absolute_url()).content.decode()
    assert "Thanks, we fixed it." in html and "Staff" in html
    assert moderator_client.post(url, {"body": "  "}).status_code == 200  # an empty reply is refused


def test_erase_action_asks_first_then_anonymises_every_comment_by_those_addresses(moderator_client, article):
    target = make_comment(article=article, author_email="gone@example.com", author_name="Gone Person")
    another = make_comment(article=make_article(), author_email="GONE@example.com", author_name="Gone Again")
    kept = make_comment(article=article, author_email="kept@example.com")
    confirm = run_action(moderator_client, "erase_personal_data", [target])
    assert "gone@example.com" in confirm.content.decode()
    assert Comment.objects.get(pk=target.pk).author_email == "gone@example.com"
    done = run_action(moderator_client, "erase_personal_data", [target], confirmed="yes")
    assert "Anonymised 2 comments" in done.content.decode()
    for comment in [target, another]:
        comment.refresh_from_db()
        assert (comment.author_name, comment.author_email, comment.ip_address, comment.user_agent) == (
            "Anonymous",
            "",
            None,
            "",
        )
    assert Comment.objects.get(pk=kept.pk).author_email == "kept@example.com"


def test_comment_settings_open_as_one_page_for_superusers(client, django_user_model, db):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "pw"))
    response = client.get(reverse("admin:comments_commentsettings_changelist"))
    rules = CommentSettings.objects.get()
    assert response["Location"] == reverse("admin:comments_commentsettings_change", args=[rules.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Hold comments with this many links" in page or "hold comments with this many links" in page.lower()
    assert client.get(reverse("admin:comments_commentsettings_add")).status_code == 403
    assert client.get(reverse("admin:comments_commentsettings_delete", args=[rules.pk])).status_code == 403


def test_comment_settings_edits_take_effect_at_once(client, django_user_model, article, post_comment):
    admin_client = client
    admin_client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "pw"))
    rules = CommentSettings.objects.create()
    data = {
        "auto_approve_known_authors": "",
        "max_links": "2",
        "moderation_words": "",
        "disallowed_words": "",
        "flood_seconds": "15",
        "thread_depth": "3",
        "comments_per_page": "50",
        "flags_to_hold": "3",
        "close_after_days": "",
        "notify_moderators": "on",
        "offer_reply_notifications": "on",
        "personal_data_days": "90",
    }
    response = admin_client.post(reverse("admin:comments_commentsettings_change", args=[rules.pk]), data)
    assert response.status_code == 302
    response = admin_client.post(
        reverse("admin:comments_commentsettings_change", args=[rules.pk]), {**data, "thread_depth": "0"}
    )
    assert response.status_code == 200 and "errornote" in response.content.decode()
    admin_client.logout()
    post_comment(admin_client, article)
    assert Comment.objects.get().status == "approved"  # holding first-time authors is off now


def test_editors_can_open_the_article_admin_comment_close_field(editor_client, article):
    html = editor_client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert 'name="comments_close_after_days"' in html
