from django.urls import path

from comments import feeds, views

app_name = "comments"

urlpatterns = [
    path("post/<int:article_id>/", views.post_comment, name="post"),
    path("form-token/", views.form_token, name="form_token"),
    path("<int:comment_id>/", views.permalink, name="permalink"),
    path("<int:comment_id>/report/", views.flag, name="flag"),
    path("pending/<int:article_id>/", views.pending_comments, name="pending"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("feed/", feeds.LatestCommentsFeed(), name="feed"),
    path("feed/atom/", feeds.LatestCommentsAtomFeed(), name="feed_atom"),
    path("articles/<slug:slug>/feed/", feeds.ArticleCommentsFeed(), name="article_feed"),
    path("articles/<slug:slug>/feed/atom/", feeds.ArticleCommentsAtomFeed(), name="article_feed_atom"),
]
