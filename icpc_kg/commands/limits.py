"""The input-limit options shared by ``validate``, ``serve`` and ``query`` (one definition, one
help text; the README's "Limits" table lists them)."""

from __future__ import annotations

import click

from icpc_kg.guards.limits import (
    DEFAULT_MAX_DEPTH,
    DEFAULT_MAX_HEADER,
    DEFAULT_MAX_LITERAL,
    DEFAULT_MAX_QUERY,
    InputLimits,
)

MAX_DEPTH = click.option(
    "--max-depth",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_DEPTH,
    show_default=True,
    help="Deepest nesting accepted in RDF (collections, [ ], JSON objects, XML elements) and "
    "SPARQL (brackets, subqueries, chains of UNION/OPTIONAL/operators); deeper gets 400/exit 2.",
)
MAX_LITERAL = click.option(
    "--max-literal",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_LITERAL,
    show_default=True,
    help="Longest literal or IRI, in bytes, in submitted RDF and in queries; longer gets "
    "413/exit 2.",
)
MAX_QUERY = click.option(
    "--max-query",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_QUERY,
    show_default=True,
    help="Longest SPARQL query or update, in bytes (UTF-8); longer gets 413.",
)
MAX_HEADER = click.option(
    "--max-header",
    type=click.IntRange(min=1024),
    default=DEFAULT_MAX_HEADER,
    show_default=True,
    help="Largest request head (request line and headers), in bytes; larger gets 431.",
)


def input_limits(max_depth: int, max_literal: int) -> InputLimits:
    return InputLimits(max_depth=max_depth, max_literal=max_literal)
