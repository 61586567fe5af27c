"""Comment mail, sent by jobs after the write that calls for it has committed (comments.services).

Each job re-reads the comment and checks it still calls for the mail, and the notices mark
themselves sent, so a job tried again after a mail-server failure never mails twice.
"""

from django.utils import timezone

from comments import notifications
from comments.models import Comment
from newsroom.tasks import background_task


def _comment(comment_id):
    return Comment.objects.select_related("article", "parent").filter(pk=comment_id).first()


@background_task
def send_moderation_request(comment_id, base_url):
    comment = _comment(comment_id)
    if comment is not None and comment.is_pending:
        notifications.send_moderation_request(comment, base_url=base_url)


@background_task
def send_approval_notice(comment_id, base_url):
    comment = _comment(comment_id)
    if comment is None or not comment.is_public() or comment.approval_notified_at is not None:
        return
    if notifications.send_approval_notice(comment, base_url=base_url):
        Comment.objects.filter(pk=comment.pk).update(approval_notified_at=timezone.now())


@background_task
def send_reply_notice(comment_id, base_url):
    """Tell the author of the comment this one answers, once, when the reply is public."""
    comment = _comment(comment_id)
    if comment is None or not comment.parent_id or not comment.is_public() or comment.reply_notified_at is not None:
        return
    if notifications.send_reply_notice(comment, base_url=base_url):
        Comment.objects.filter(pk=comment.pk).update(reply_notified_at=timezone.now())
