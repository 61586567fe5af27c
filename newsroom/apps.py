from django.contrib.admin.apps import AdminConfig


class NewsroomAdminConfig(AdminConfig):
    """django.contrib.admin with our site (two-factor login) as the default `admin.site`."""

    default_site = "newsroom.admin.NewsroomAdminSite"
