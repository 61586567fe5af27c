"""Admin for what other systems use: Content API keys, webhook subscriptions and the delivery log.

Superusers manage them (no editorial group is given these permissions). A new API key is shown once,
on the page that follows its creation, and only its digest is stored; revoking is an action.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles import outbound, webhooks
from articles.models import ApiKey, WebhookDelivery, WebhookEvent, WebhookSubscription

SECRET_MIN_LENGTH = 24


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "prefix",
        "owner",
        "sees_scheduled",
        "rate_limit",
        "is_active",
        "last_used_at",
        "created_at",
    ]
    list_filter = ["sees_scheduled", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix"]
    fields = ["name", "owner", "sees_scheduled", "rate_limit", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "created_at", "last_used_at", "revoked_at"]
    autocomplete_fields = ["owner"]
    actions = ["revoke"]

    def save_model(self, request, obj, form, change):
        if not change:
            request.new_api_key = obj.set_new_key()
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        """Show the new key on this page only: it is never stored, so it can never be shown again."""
        context = {
            **self.admin_site.each_context(request),
            "title": _("Copy the new API key"),
            "opts": self.opts,
            "key": obj,
            "raw_key": request.new_api_key,
            "list_url": reverse("admin:articles_apikey_changelist"),
        }
        response = TemplateResponse(request, "admin/articles/apikey/created.html", context)
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description=_("Revoke the selected keys"), permissions=["change"])
    def revoke(self, request, queryset):
        keys = list(queryset.filter(revoked_at__isnull=True))
        for key in keys:
            key.revoked_at = timezone.now()
            key.save(update_fields=["revoked_at"])  # the post_save signal drops its cached record
        self.message_user(
            request,
            ngettext("%(count)d key revoked.", "%(count)d keys revoked.", len(keys)) % {"count": len(keys)},
            messages.SUCCESS,
        )


def validate_target(url):
    """A webhook target must be reachable and public (or in NEWSROOM_WEBHOOK_ALLOWED_NETWORKS)."""
    try:
        outbound.resolve(url)
    except outbound.UnsafeTarget as refused:
        raise ValidationError(str(refused), code="unsafe_target") from None


class WebhookSubscriptionForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        label=_("events"),
        choices=WebhookEvent.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What to send. Each event is POSTed as JSON with the object's current representation."),
    )
    target_url = forms.URLField(
        label=_("target URL"),
        max_length=500,
        assume_scheme="https",
        help_text=WebhookSubscription._meta.get_field("target_url").help_text,
    )

    class Meta:
        model = WebhookSubscription
        fields = ["name", "target_url", "secret", "events", "owner", "is_active"]

    def clean_target_url(self):
        url = self.cleaned_data["target_url"]
        validate_target(url)
        return url

    def clean_secret(self):
        secret = self.cleaned_data["secret"].strip()
        if len(secret) < SECRET_MIN_LENGTH:
            raise ValidationError(
                _("Use a secret of at least %(count)d characters."),
                code="short_secret",
                params={"count": SECRET_MIN_LENGTH},
            )
        return secret


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    form = WebhookSubscriptionForm
    list_display = ["name", "target_url", "is_active", "event_list", "owner", "disabled_at", "deliveries_link"]
    list_filter = ["is_active"]
    search_fields = ["name", "target_url"]
    readonly_fields = ["disabled_at", "disabled_reason", "created_at", "deliveries_link"]
    autocomplete_fields = ["owner"]

    def get_fields(self, request, obj=None):
        fields = ["name", "target_url", "secret", "events", "owner", "is_active"]
        return fields + (self.readonly_fields if obj else [])

    @admin.display(description=_("events"))
    def event_list(self, obj):
        return ", ".join(obj.events)

    @admin.display(description=_("delivery log"))
    def deliveries_link(self, obj):
        if obj.pk is None:
            return "—"
        url = reverse("admin:articles_webhookdelivery_changelist") + f"?subscription__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, _("Deliveries"))

    def save_model(self, request, obj, form, change):
        turned_on = change and obj.is_active and "is_active" in form.changed_data
        if turned_on:
            obj.disabled_at = None
            obj.disabled_reason = ""
        super().save_model(request, obj, form, change)
        if turned_on:
            from newsroom.tasks import enqueue_on_commit

            enqueue_on_commit(webhooks.send_deliveries, obj.pk)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "subscription",
        "event",
        "object_label",
        "status",
        "response_code",
        "duration_ms",
        "attempts",
        "next_attempt_at",
    ]
    list_filter = ["status", "event", "subscription"]
    list_select_related = ["subscription"]
    search_fields = ["uuid", "object_id"]
    date_hierarchy = "created_at"
    actions = ["send_again"]
    fields = [
        "uuid",
        "subscription",
        "event",
        "object_type",
        "object_id",
        "status",
        "attempts",
        "response_code",
        "duration_ms",
        "error",
        "response_excerpt",
        "created_at",
        "last_attempt_at",
        "next_attempt_at",
        "delivered_at",
        "payload",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("object"))
    def object_label(self, obj):
        return f"{obj.object_type} {obj.object_id}"

    @admin.action(description=_("Send the selected deliveries again"), permissions=["change"])
    def send_again(self, request, queryset):
        deliveries = list(queryset)
        webhooks.redeliver(deliveries)
        self.message_user(
            request,
            ngettext("%(count)d delivery queued again.", "%(count)d deliveries queued again.", len(deliveries))
            % {"count": len(deliveries)},
            messages.SUCCESS,
        )
