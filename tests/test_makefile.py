"""`make demo HOST=...` makes emailed links point where the demo serves, unless SITE_URL is set."""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def demo_commands(**env) -> str:
    result = subprocess.run(
        ["make", "-n", "demo", "HOST=0.0.0.0:8101"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", **env},
        check=True,
    )
    return result.stdout


def test_make_demo_sets_site_url_from_host():
    assert 'SITE_URL="${SITE_URL:-http://0.0.0.0:8101}"' in demo_commands()
