"""Security headers django-csp and Django do not set themselves.

- Permissions-Policy: no page needs the camera, microphone, location, payment or USB.
- The admin's rich-text editor (TipTap) injects its own <style> element, so admin pages allow
  inline styles (never inline scripts); reader pages allow neither.
- Inline data scripts (JSON-LD, the admin editor's import map) are allowed by their SHA-256
  hash, computed from the response itself, so script-src never needs 'unsafe-inline' and a
  cached page stays valid (no per-request nonce baked into its HTML).
"""

import base64
import hashlib
import re

from newsroom.reverse import reverse

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), browsing-topics=()"
)
# Inline <script> elements that hold data, not code; anything else inline stays blocked.
_DATA_SCRIPT = re.compile(
    rb'<script type="(?:application/ld\+json|importmap)"[^>]*>(.*?)</script>', re.DOTALL | re.IGNORECASE
)


def script_hashes(html):
    return sorted(
        {f"'sha256-{base64.b64encode(hashlib.sha256(body).digest()).decode()}'" for body in _DATA_SCRIPT.findall(html)}
    )


class SecurityHeadersMiddleware:
    """Sits after csp.middleware.CSPMiddleware in MIDDLEWARE, so its hashes reach the policy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if request.path.startswith(reverse("admin:index")):
            _update_policy(response, "style-src", ["'unsafe-inline'"])
        is_html = not response.streaming and response.get("Content-Type", "").startswith("text/html")
        if is_html and b"<script" in response.content and (hashes := script_hashes(response.content)):
            _update_policy(response, "script-src", hashes)
        return response


def _update_policy(response, directive, sources):
    """Add sources to one directive of this response's policy (django-csp reads response._csp_update)."""
    update = dict(getattr(response, "_csp_update", None) or {})
    update[directive] = [*update.get(directive, []), *sources]
    response._csp_update = update
