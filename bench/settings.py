"""Settings for benchmark runs: the project's settings plus the bare comparison views.

Everything else (DEBUG, SECRET_KEY, DATABASE_URL, throttle rates) still comes
from the environment, which `python -m bench` sets for the processes it starts.
"""

from corfu_tracker.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
