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


def site_url_the_demo_serves_with(**env) -> str:
    """Run `make demo`'s last line with the server swapped for a command that prints SITE_URL."""
    serve = demo_commands().strip().splitlines()[-1]
    assert serve.endswith(" manage.py runserver 0.0.0.0:8101")
    assignment = serve[: serve.index('" ') + 1]  # SITE_URL="${SITE_URL:-http://...}"
    printing = f"{assignment} sh -c 'echo \"$SITE_URL\"'"
    result = subprocess.run(
        ["sh", "-c", printing], capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", **env}, check=True
    )
    return result.stdout.strip()


def test_make_demo_serves_with_site_url_at_its_host():
    assert site_url_the_demo_serves_with() == "http://0.0.0.0:8101"


def test_make_demo_keeps_a_site_url_that_is_set():
    assert site_url_the_demo_serves_with(SITE_URL="https://tracker.example.org") == "https://tracker.example.org"


def test_readme_lists_site_url_among_the_production_settings():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    production = readme[readme.index("## Running it for real") :]
    production = production[: production.index("\n## ", 1)]
    assert "`SITE_URL`" in production
