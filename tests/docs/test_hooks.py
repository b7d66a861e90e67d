"""The mkdocs hooks: pending pages, and the markers rendered from code."""

from __future__ import annotations

from docs_support import DOCS


def test_nav_keeps_existing_pages_and_drops_missing_ones(hooks, tmp_path):
    """Entries of missing pages go, sections left empty go, the rest stays."""
    (tmp_path / "index.md").write_text("# Home\n")
    missing: set[str] = set()
    nav = [
        {"Home": "index.md"},
        {"Plugins": [{"VK": "plugins/vk.md"}]},
        {"Guides": [{"Later": "later.md"}, "index.md"]},
        {"Site": "https://example.test/"},
    ]

    kept = hooks.existing_nav(nav, tmp_path, missing)

    assert kept == [
        {"Home": "index.md"},
        {"Guides": ["index.md"]},
        {"Site": "https://example.test/"},
    ]
    assert missing == {"plugins/vk.md", "later.md"}


def test_links_to_pending_pages_become_text(hooks):
    """A link to a page the nav names but nobody wrote yet keeps only its text."""
    markdown = "See [the engine](../engine.md#retries) and [Home](../index.md)."

    result = hooks.unlink_pending(markdown, "reference/errors.md", {"engine.md"})

    assert result == "See the engine and [Home](../index.md)."


def test_links_to_other_missing_pages_are_kept(hooks):
    """A link to a page outside the nav stays, so the strict build reports it."""
    markdown = "See [a typo](engnie.md)."

    assert hooks.unlink_pending(markdown, "index.md", {"engine.md"}) == markdown


def test_every_marker_is_used(hooks):
    """Each marker the hooks render appears in some page."""
    sources = "".join(path.read_text("utf-8") for path in DOCS.rglob("*.md"))

    for marker in hooks.MARKERS:
        assert marker in sources, f"no page uses {marker}"


def test_markers_are_replaced(hooks):
    """A page's marker is replaced with the rendered reference."""

    class File:
        src_uri = "reference/cli.md"

    class Page:
        file = File()

    result = hooks.on_page_markdown("<!-- leadwire:cli -->", Page(), {}, None)

    assert "## `leadwire init`" in result
    assert "<!-- leadwire:cli -->" not in result
