"""Running the import: once per batch an event and a reindex job, twice changes nothing, an interrupted run
resumes, the desk's edits are kept, a dry run writes nothing."""

import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import events, services
from articles.models import Article, ArticleRevision
from comments.models import Comment, ModerationEvent
from tests.wordpress.conftest import EXPORT, PUBLISHERS, UPLOADS
from wordpress import importer as importer_module
from wordpress.models import ImportedItem, LegacyRedirect

pytestmark = pytest.mark.django_db


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Article, ArticleRevision, Comment, ModerationEvent, ImportedItem, LegacyRedirect)
    }


@pytest.fixture
def heard():
    changes = []

    def receiver(sender, change, **kwargs):
        changes.append(change)

    events.content_changed.connect(receiver)
    yield changes
    events.content_changed.disconnect(receiver)


def test_one_event_and_one_reindex_job_per_batch_not_one_per_article(run_import, heard, task_backend):
    run_import(EXPORT, "--batch-size", "5")
    imported = [change for change in heard if change.kind == events.ARTICLES_IMPORTED]
    # 17 items: the 5 attachments in a batch of their own first (no article: no event), then 12 in batches of 5.
    assert len(imported) == 3
    assert all(change.everything for change in imported)
    assert not [change for change in heard if change.kind.startswith("article.")]
    reindex = [result for result in task_backend.results if result.task.name == "reindex_articles"]
    assert len(reindex) == 3
    assert sorted(pk for result in reindex for pk in result.args[0]) == sorted(
        Article.objects.values_list("pk", flat=True)
    )
    # The scheduled post still gets its go-live announcement at its time.
    assert [result.args[0] for result in task_backend.deferred] == [ImportedItem.objects.get(wp_id=105).article_id]


def test_running_twice_creates_nothing_twice(run_import):
    run_import()
    before = counts()
    second = run_import()
    assert counts() == before
    assert re.search(r"posts\s+0\s+0\s+9\s+1\s+0", second)
    assert re.search(r"comments\s+0\s+0\s+7\s+2\s+0", second)


def test_a_changed_post_is_updated_and_a_post_edited_on_the_desk_is_left_alone(run_import, tmp_path):
    run_import()
    hello = ImportedItem.objects.get(wp_id=101).article
    wire = ImportedItem.objects.get(wp_id=111).article
    wire.headline = "Wire story, edited by the desk"
    services.article_save(article=wire, user=None)
    changed = tmp_path / "changed.xml"
    text = EXPORT.read_text()
    text = text.replace("Hello World &amp; Friends", "Hello World, revised").replace("Wire story]]", "Wire story v2]]")
    text = text.replace("I disagree with Ada.", "I disagree with Ada, politely.")
    text = text.replace("<wp:comment_approved><![CDATA[0]]>", "<wp:comment_approved><![CDATA[1]]>")
    changed.write_text(text)
    output = run_import(changed)
    hello.refresh_from_db()
    wire.refresh_from_db()
    assert hello.headline == "Hello World, revised" and hello.revisions.count() == 2
    assert wire.headline == "Wire story, edited by the desk"
    assert "changed on the desk since the last import: left as it is: 1 (WordPress IDs 111)" in output
    reply = ImportedItem.objects.get(kind="comment", wp_id=1002).comment
    assert (
        reply.body == "I disagree with Ada, politely." and reply.parent == ImportedItem.objects.get(wp_id=1001).comment
    )
    held = ImportedItem.objects.get(kind="comment", wp_id=1003).comment
    assert held.status == Comment.Status.APPROVED
    assert held.events.filter(action=ModerationEvent.Action.APPROVED).exists()
    assert Comment.objects.count() == 7


def test_an_interrupted_run_keeps_its_batches_and_the_next_run_completes_it(run_import, monkeypatch):
    original = importer_module.Importer._write_post
    calls = {"n": 0}

    def interrupting(self, item, records, redirects):
        calls["n"] += 1
        if calls["n"] == 5:
            raise KeyboardInterrupt
        return original(self, item, records, redirects)

    monkeypatch.setattr(importer_module.Importer, "_write_post", interrupting)
    # The attachments' two batches (their pass comes first) and one batch of posts were saved.
    with pytest.raises(Exception, match="Interrupted after 3 batches"):
        run_import(EXPORT, "--batch-size", "3")
    partial = Article.objects.count()
    assert 0 < partial < 9
    monkeypatch.setattr(importer_module.Importer, "_write_post", original)
    output = run_import()
    assert Article.objects.count() == 9 and Comment.objects.count() == 7
    assert "unchanged" in output and re.search(rf"posts\s+{9 - partial}\s+0\s+{partial}\s+1\s+0", output)


def test_a_dry_run_writes_nothing_and_prints_the_same_report(run_import):
    dry = run_import(EXPORT, "--dry-run")
    assert counts() == dict.fromkeys(counts(), 0)
    assert "Dry run: nothing was written" in dry
    real = run_import()
    report = lambda text: text[text.index("imported    updated") :]  # noqa: E731
    assert report(dry) == report(real)


def test_a_new_batch_costs_a_bounded_number_of_queries_per_post(run_import):
    with CaptureQueriesContext(connection) as queries:
        run_import()
    assert len(queries) < 9 * 60 + 200  # ~40 per new article, plus the taxonomy and comments in bulk


def test_the_command_prints_progress_lines_when_not_on_a_terminal(db, committed, publication):
    out = io.StringIO()
    with committed():
        call_command(
            "import_wordpress", str(EXPORT), "--batch-size", "4", "--media-dir", str(UPLOADS),
            "--publisher-map", str(PUBLISHERS), stdout=out, stderr=io.StringIO(),
        )  # fmt: skip
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("Checking ")
    assert [line.split(":")[0] for line in lines if line.startswith("batch ")] == [
        f"batch {n}" for n in (1, 2, 3, 4, 5)
    ]
    assert "\r" not in out.getvalue()
