"""HTTP requests to addresses editors typed in (webhook targets), safe against server-side request forgery.

A target's host is resolved when the request is made, every address it resolves to must be public
(not loopback, private, link-local, multicast or reserved) unless it lies in one of the networks of
NEWSROOM_WEBHOOK_ALLOWED_NETWORKS, and the connection goes to the address that was checked, so a DNS
answer that changes between the check and the connection (DNS rebinding) cannot reach a private host.
Redirects are never followed. The standard library's http.client is all this needs.
"""

import http.client
import ipaddress
import socket
import ssl
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

RESPONSE_EXCERPT = 500


class UnsafeTarget(Exception):
    """The URL is not one the newsroom will send requests to (scheme, host, or a private address)."""


def address_allowed(address):
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if any(ip.version == network.version and ip in network for network in settings.WEBHOOK_ALLOWED_NETWORKS):
        return True
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)


def _parts(url):
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise UnsafeTarget(_("Only http:// and https:// addresses with a host name can receive webhooks."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise UnsafeTarget(_("The port of this address is not a number between 0 and 65535.")) from None
    return parts, port


def resolve(url):
    """(parts, port, address) for `url`, the address being one its host resolves to, all of them allowed."""
    parts, port = _parts(url)
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise UnsafeTarget(_("The host %(host)s cannot be found.") % {"host": parts.hostname}) from None
    addresses = [info[4][0] for info in infos]
    refused = [address for address in addresses if not address_allowed(address)]
    if not addresses or refused:
        raise UnsafeTarget(
            _("%(host)s is a private, loopback or reserved address (%(address)s); webhooks are not sent there.")
            % {"host": parts.hostname, "address": (refused or ["?"])[0]}
        )
    return parts, port, addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host, port, address, **kwargs):
        super().__init__(host, port, **kwargs)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, address, **kwargs):
        super().__init__(host, port, context=ssl.create_default_context(), **kwargs)
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(url, body, headers, *, timeout):
    """POST `body` to `url`; (status code, start of the response text). Raises UnsafeTarget, OSError or
    http.client.HTTPException when nothing could be sent or nothing came back."""
    parts, port, address = resolve(url)
    connection_class = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(parts.hostname, port, address, timeout=timeout)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        excerpt = response.read(RESPONSE_EXCERPT * 4).decode("utf-8", "replace")[:RESPONSE_EXCERPT]
        return response.status, excerpt
    finally:
        connection.close()
