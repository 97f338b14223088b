"""MkDocs hooks of the documentation site (mkdocs.yml): the command reference is generated from
the program when the site is built (tracer/cli/reference.py), so it cannot drift from it."""

from __future__ import annotations

MARKER = "<!-- generated: the command reference -->"


def on_page_markdown(markdown, page, config, files):
    if MARKER not in markdown:
        return markdown
    from tracer.cli import app
    from tracer.cli.reference import cli_reference

    return markdown.replace(MARKER, cli_reference(app).split("\n", 1)[1])
