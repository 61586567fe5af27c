"""The articles app's models, one module per concern; import them from here."""

from articles.models.article import Article, ArticleQuerySet, Byline
from articles.models.common import SLUG_MAX_LENGTH, UPDATE_GRACE, HttpsURLField, unique_slug
from articles.models.editorial import ArticleRevision, Correction, CorrectionQuerySet, SlugRedirect
from articles.models.integrations import ApiKey, WebhookDelivery, WebhookEvent, WebhookSubscription
from articles.models.page import Page, PageQuerySet
from articles.models.publication import Author, Publication, PublicationQuerySet, Publisher, Section

__all__ = [
    "SLUG_MAX_LENGTH",
    "UPDATE_GRACE",
    "ApiKey",
    "Article",
    "ArticleQuerySet",
    "ArticleRevision",
    "Author",
    "Byline",
    "Correction",
    "CorrectionQuerySet",
    "HttpsURLField",
    "Page",
    "PageQuerySet",
    "Publication",
    "PublicationQuerySet",
    "Publisher",
    "Section",
    "SlugRedirect",
    "WebhookDelivery",
    "WebhookEvent",
    "WebhookSubscription",
    "unique_slug",
]
