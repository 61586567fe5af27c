"""The articles app's models, one module per concern; import them from here."""

from articles.models.article import Article, ArticleQuerySet, Byline, TaggedArticle
from articles.models.common import SLUG_MAX_LENGTH, UPDATE_GRACE, HttpsURLField, unique_slug
from articles.models.curation import BreakingNews, Front, FrontChange, FrontPin
from articles.models.desk import ArticleAutosave, DeskNotification, EditLock
from articles.models.editorial import ArticleRevision, Correction, CorrectionQuerySet, SlugRedirect
from articles.models.integrations import ApiKey, WebhookDelivery, WebhookEvent, WebhookSubscription
from articles.models.kind import ArticleKind
from articles.models.media import BodyImage, Embed, Image, ImageQuerySet, ImageTag, TaggedImage
from articles.models.page import Page, PageQuerySet
from articles.models.publication import Author, Publication, PublicationQuerySet, Publisher, Section

__all__ = [
    "SLUG_MAX_LENGTH",
    "UPDATE_GRACE",
    "ApiKey",
    "Article",
    "ArticleAutosave",
    "ArticleKind",
    "ArticleQuerySet",
    "ArticleRevision",
    "Author",
    "BodyImage",
    "BreakingNews",
    "Byline",
    "Correction",
    "CorrectionQuerySet",
    "DeskNotification",
    "EditLock",
    "Embed",
    "Front",
    "FrontChange",
    "FrontPin",
    "HttpsURLField",
    "Image",
    "ImageQuerySet",
    "ImageTag",
    "Page",
    "PageQuerySet",
    "Publication",
    "PublicationQuerySet",
    "Publisher",
    "Section",
    "SlugRedirect",
    "TaggedArticle",
    "TaggedImage",
    "WebhookDelivery",
    "WebhookEvent",
    "WebhookSubscription",
    "unique_slug",
]
