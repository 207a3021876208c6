"""Settings for bench/load.py: the production settings plus one bare view (bench/load_urls.py)."""

from aliadvisor.settings import *  # noqa: F403

ROOT_URLCONF = "bench.load_urls"
