"""Settings for `make bench` only: production settings (DEBUG off) with the floor view's URLconf.

The floor view (bench/urls.py) is reachable only under these settings; newsroom/settings.py never
names this module, so production URLs never hold it.
"""

from newsroom.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
