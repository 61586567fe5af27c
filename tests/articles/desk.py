"""Admin helpers shared by the editorial-workflow tests."""

from django.test import Client
from django.urls import reverse

from tests.html_forms import admin_form


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def save(client, article, **values):
    """Post the article's admin form as rendered, with `values` changed."""
    data = admin_form(client, change_url(article), "article_form")
    data.update(values)
    return client.post(change_url(article), data)
