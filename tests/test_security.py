"""Project-wide defences: login redirects, security headers, lockout, two-factor login, health probes."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("staffer", "staffer@example.com", PASSWORD, is_staff=True)


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)", "http:///evil.example"],
)
def test_login_with_a_next_address_on_another_site_lands_on_the_admin_not_a_404(client, staff, next_url):
    """Regression: Django's fallback is /accounts/profile/, which does not exist here."""
    response = client.post(
        reverse("admin:login") + "?next=" + next_url, {"username": "staffer", "password": PASSWORD, "next": next_url}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert client.get(response["Location"]).status_code == 200
