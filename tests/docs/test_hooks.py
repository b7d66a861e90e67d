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

    config = {"docs_dir": str(DOCS)}
    result = hooks.on_page_markdown("<!-- leadwire:cli -->", Page(), config, None)

    assert "## `leadwire init`" in result
    assert "<!-- leadwire:cli -->" not in result


def test_section_body_stops_at_the_next_heading_of_its_level(hooks):
    """A section ends at a heading of its level; fenced `# lines` do not end it."""
    markdown = (
        "# Page\n\n## Figures\n\n```sh\n# a comment\nrun\n```\n\n"
        "### Detail\n\ntext\n\n## Limits\n\nother\n"
    )

    body = hooks.section_body(markdown, "Figures")

    assert body == "```sh\n# a comment\nrun\n```\n\n### Detail\n\ntext"


def test_section_body_of_a_missing_heading_is_none(hooks):
    """Asking for a heading the page lacks gives None, not an empty text."""
    assert hooks.section_body("# Page\n\n## Other\n", "Figures") is None


def test_include_of_a_pending_page_says_so(hooks, tmp_path):
    """An include from a page not written yet says the figures are to come."""
    markdown = '<!-- leadwire:include engine.md "Performance" -->'

    result = hooks.include_sections(markdown, tmp_path, {"engine.md"})

    assert result == "*Not published yet: the figures will come with engine.md.*"


def test_include_copies_the_named_section(hooks, tmp_path):
    """An include is replaced with the section's body from the other page."""
    (tmp_path / "pii.md").write_text("# PII\n\n## Speed\n\n| a | b |\n\n## Next\n")
    markdown = 'Intro.\n\n<!-- leadwire:include pii.md "Speed" -->\n'

    result = hooks.include_sections(markdown, tmp_path, set())

    assert result == "Intro.\n\n| a | b |\n"


def test_benchmark_figures_come_from_their_pages(hooks):
    """Each section the benchmarks page includes exists on its page."""
    source = (DOCS / "benchmarks.md").read_text("utf-8")
    includes = hooks._INCLUDE.findall(source)

    assert includes, "the benchmarks page includes no figures"
    for page, title in includes:
        if (DOCS / page).is_file():
            text = (DOCS / page).read_text("utf-8")
            assert hooks.section_body(text, title), f"{page} has no {title!r}"
