"""Purging a CDN when reader pages change: a job per content-changed event, when NEWSROOM_CDN_PURGE_URL is set.

It names the changed reader pages and the Content API answers the change made stale. The request is
Cloudflare's purge API (POST {"files": [urls]} or {"purge_everything": true}, with
`Authorization: Bearer NEWSROOM_CDN_PURGE_TOKEN`); another CDN can be fronted by a small endpoint that
takes the same body. A path's other query strings (page 2, search terms) expire by s-maxage.
"""

import json
import logging
import urllib.request

from django.conf import settings

from articles import events
from articles.api.invalidation import api_paths
from articles.chrome import site_root
from newsroom.tasks import background_task, enqueue_on_commit

logger = logging.getLogger(__name__)


@background_task
def purge_cdn(paths, everything, objects):
    """Purge the reader pages of a change and the Content API answers it made stale (articles.api.invalidation)."""
    change = events.ContentChange(
        kind="", paths=frozenset(paths), objects=tuple(map(tuple, objects)), everything=everything
    )
    stale_api = api_paths(change)
    everything = everything or stale_api is None
    files = sorted(set(paths) | (stale_api or set()))
    body = {"purge_everything": True} if everything else {"files": [site_root() + path for path in files]}
    request = urllib.request.Request(  # noqa: S310 (the operator's own https endpoint, from the settings)
        settings.CDN_PURGE_URL,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {settings.CDN_PURGE_TOKEN}"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        if response.status >= 300:
            raise OSError(f"CDN purge answered {response.status}")


def on_content_changed(sender, change, **kwargs):
    if settings.CDN_PURGE_URL and (change.paths or change.everything):
        enqueue_on_commit(purge_cdn, sorted(change.paths), change.everything, [list(key) for key in change.objects])


events.content_changed.connect(on_content_changed, dispatch_uid="cdn-purge")
