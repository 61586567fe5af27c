"""Demo comments for `load_demo`: a short approved thread and one comment waiting for a moderator."""

from datetime import timedelta

from articles.models import Article
from comments.models import Comment

DEMO_THREADS = [
    {
        "article": "pacific-defence-ministers-agree-to-expand-joint-maritime-patrols",
        "comments": [
            {
                "key": "harbour",
                "author_name": "Margaret Chen",
                "author_email": "margaret.chen@example.com",
                "body": "Good to see the patrol schedule published. Does anyone know whether the fisheries "
                "agencies will share the new surveillance data?\n\nThe agreement text is at "
                "https://www.example.org/maritime-patrols for anyone who wants the detail.",
                "minutes_ago": 240,
            },
            {
                "key": "reply",
                "parent": "harbour",
                "author_name": "Tom Aldous",
                "author_email": "tom.aldous@example.com",
                "author_url": "https://tom.example.net",
                "body": "According to the joint statement, yes: the data goes to a shared regional centre.",
                "minutes_ago": 200,
            },
            {
                "key": "other",
                "author_name": "Rangi Parata",
                "author_email": "rangi@example.com",
                "body": "Smaller island states should get a seat at the planning table, not just the briefing.",
                "minutes_ago": 150,
            },
        ],
    },
    {
        "article": "central-bank-holds-rates-as-inflation-eases-for-third-straight-month",
        "comments": [
            {
                "key": "held",
                "author_name": "First-time Reader",
                "author_email": "first.reader@example.com",
                "body": "Mortgage holders will be relieved. Will the bank publish its forecasts this month?",
                "minutes_ago": 30,
                "status": Comment.Status.PENDING,
            },
        ],
    },
]


def load_demo_comments(*, now):
    """Create the demo comments once; returns the comments created (none when they exist already)."""
    created = []
    for thread in DEMO_THREADS:
        article = Article.objects.filter(slug=thread["article"]).first()
        if article is None or Comment.objects.filter(article=article).exists():
            continue
        saved = {}
        for data in thread["comments"]:
            comment = Comment.objects.create(
                article=article,
                parent=saved.get(data.get("parent")),
                author_name=data["author_name"],
                author_email=data["author_email"],
                author_url=data.get("author_url", ""),
                body=data["body"],
                status=data.get("status", Comment.Status.APPROVED),
                created_at=now - timedelta(minutes=data["minutes_ago"]),
                ip_address="192.0.2.10",
                user_agent="Mozilla/5.0 (demo)",
            )
            saved[data["key"]] = comment
            created.append(comment)
    return created
