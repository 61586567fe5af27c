"""The admin site: the usual one, plus two-factor login (django-otp, TOTP).

Staff who have an authenticator app (a confirmed TOTP device) must give its code when they
sign in; members of TWO_FACTOR_GROUPS (and superusers once they have a device) cannot sign in
without one. A superuser adds devices under "TOTP devices" (the QR code is shown there).
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user, user_has_device
from django_otp.admin import OTPAdminAuthenticationForm


def two_factor_required(user):
    """Must this user sign in with a one-time code? Members of TWO_FACTOR_GROUPS, and anyone with a device."""
    if user_has_device(user, confirmed=True):
        return True
    groups = settings.TWO_FACTOR_GROUPS
    return bool(groups) and ("*" in groups or user.groups.filter(name__in=groups).exists())


class TwoFactorAdminAuthenticationForm(OTPAdminAuthenticationForm):
    """Password, then the authenticator code when this user needs one (the code field may stay empty otherwise)."""

    def clean(self):
        self.cleaned_data = AdminAuthenticationForm.clean(self)
        user = self.get_user()
        if user is not None and two_factor_required(user):
            if not any(devices_for_user(user, confirmed=True)):
                raise ValidationError(
                    _("Your account must sign in with an authenticator app. Ask an administrator to set one up."),
                    code="two_factor_not_set_up",
                )
            self.clean_otp(user)
        return self.cleaned_data


class NewsroomAdminSite(admin.AdminSite):
    login_form = TwoFactorAdminAuthenticationForm
    login_template = "otp/admin111/login.html"

    def has_permission(self, request):
        user = request.user
        if not super().has_permission(request):
            return False
        return user.is_verified() or not two_factor_required(user)
