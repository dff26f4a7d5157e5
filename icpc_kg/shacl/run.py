"""Asking the store: focus nodes as SPARQL patterns, queries with Python functions, results.

A :class:`Focus` is a SPARQL group that binds ``?this`` to each focus node once: the targets of
a shape (2.1.3), or the value nodes of another focus (for sh:node, sh:property and the logical
constraints, whose shapes are checked on value nodes). Nested foci are sub-selects, so every
query the engine sends is self-contained and the store evaluates it set-wise, never one focus
node at a time from Python. Blank nodes never appear in query text (SPARQL cannot name the
store's blank nodes): a test on a term the query cannot spell is a Python function.
"""

from __future__ import annotations

import itertools
import re
import threading
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from rdflib.namespace import RDFS
from rdflib.term import Node

from icpc_kg.errors import ShaclFailure
from icpc_kg.rdfio import from_rdflib
from icpc_kg.shacl.shapes import Path, Targets, label
from icpc_kg.shacl.written import Written

FUNCTION_BASE = "urn:x-icpc-kg:shacl:function:"
CACHE_LIMIT = 200_000
TRUE = ox.Literal(True)
FALSE = ox.Literal(False)
Functions = dict[str, Callable[..., Any]]
_COUNTER = itertools.count()
_COUNTER_LOCK = threading.Lock()
NOTHING = "{ FILTER (false) }"  # a focus without nodes
SHAPES_GRAPH_MARKER = "@shapes-graph@"  # $shapesGraph, until the run names the graph
_SUBCLASSES = re.compile(r"@subclasses-of<([^>]*)>@")


def register(functions: Functions, test: Callable[..., bool | None]) -> str:
    """A SPARQL function that applies ``test`` to its arguments (pyoxigraph terms),
    remembering each answer; ``None`` from ``test`` is an error. Returns ``<iri>`` to call."""
    with _COUNTER_LOCK:
        name = f"{FUNCTION_BASE}{next(_COUNTER)}"
    cache: dict[tuple[Any, ...], ox.Literal | None] = {}

    def call(*terms: Any) -> ox.Literal | None:
        if terms in cache:
            return cache[terms]
        if len(cache) > CACHE_LIMIT:  # plans live as long as the process: bound what they keep
            cache.clear()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            verdict = test(*terms)
        answer = None if verdict is None else TRUE if verdict else FALSE
        cache[terms] = answer
        return answer

    functions[name] = call
    return f"<{name}>"


def subclasses_marker(cls: str) -> str:
    """A placeholder the run replaces by ``cls`` and its subclasses in the data graph."""
    return f"@subclasses-of<{cls}>@"


def sparql_term(node: Node) -> str | None:
    """``node`` in SPARQL syntax; None for a blank node, which a query cannot name."""
    term = from_rdflib(node)
    return None if isinstance(term, ox.BlankNode) else str(term)


@dataclass
class Rows:
    """A query's variables and rows (tuples of terms, None where unbound)."""

    names: list[str]
    rows: list[tuple[Any, ...]]

    def column(self, name: str) -> list[Any]:
        index = self.names.index(name)
        return [row[index] for row in self.rows]

    def dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.names, row, strict=True)) for row in self.rows]


@dataclass(frozen=True)
class Focus:
    """A SPARQL group binding ``?this`` to each focus node once; ``depth`` counts nesting;
    ``functions`` are the Python functions the pattern calls."""

    pattern: str
    depth: int = 0
    functions: Functions = field(default_factory=dict, compare=False, hash=False)

    def values(self, path: Path | None) -> str:
        """A pattern binding ``?this`` and ``?v`` to each of its value nodes."""
        if path is None:
            return f"{self.pattern} BIND (?this AS ?v)"
        return f"{self.pattern} ?this {path.sparql} ?v ."

    def of_values(self, path: Path | None) -> Focus:
        """The value nodes as focus nodes (of the shapes checked on them)."""
        inner = f"SELECT DISTINCT ?v WHERE {{ {self.values(path)} }}"
        pattern = f"{{ SELECT (?v AS ?this) WHERE {{ {{ {inner} }} }} }}"
        return Focus(pattern, self.depth + 1, self.functions)


class Run:
    """One validation: the store, its data graph, the focus restriction, and caches."""

    def __init__(
        self,
        store: ox.Store,
        graph_args: dict[str, Any],
        focus: list[str] | None,
        written: Written,
        shapes_graph: str | None = None,
    ) -> None:
        self.store = store
        self.graph_args = graph_args
        self.focus = focus  # SPARQL terms of the only focus nodes to validate, or None
        self.written = written
        self.shapes_graph = shapes_graph  # the shapes graph's name in the store, if there
        self._closures: dict[str, tuple[str, ...]] = {}
        self._lock = threading.Lock()

    def select(self, query: str, functions: Functions | None = None) -> Rows:
        """The query's rows, read to the end here: pyoxigraph's result iterators must not
        outlive the thread that made them, not even in an exception's traceback."""
        kwargs: dict[str, Any] = dict(self.graph_args)
        if functions:
            kwargs["custom_functions"] = {ox.NamedNode(k): f for k, f in functions.items()}
        try:
            solutions = self.store.query(self.expand(query), **kwargs)
        except SyntaxError as error:
            raise ShaclFailure(f"a query of the engine does not parse: {error}") from None
        assert isinstance(solutions, ox.QuerySolutions)
        names = [v.value for v in solutions.variables]
        rows = []
        try:
            for row in solutions:
                rows.append(tuple(row))
        except Exception as error:
            # Raised anew, without the traceback that holds the iterator.
            del solutions
            raise ShaclFailure(f"a SHACL check failed: {type(error).__name__}: {error}") from None
        del solutions
        return Rows(names, rows)

    def ask(self, pattern: str, functions: Functions | None = None) -> bool:
        return bool(self.select(f"SELECT * WHERE {{ {pattern} }} LIMIT 1", functions).rows)

    def subclasses(self, cls: str) -> tuple[str, ...]:
        """``cls`` and its rdfs:subClassOf descendants in the data graph."""
        with self._lock:
            known = self._closures.get(cls)
        if known is not None:
            return known
        query = f"SELECT DISTINCT ?c WHERE {{ ?c <{RDFS.subClassOf}>* <{cls}> }}"
        solutions = self.store.query(query, **self.graph_args)
        assert isinstance(solutions, ox.QuerySolutions)
        found = {row[0].value for row in solutions if isinstance(row[0], ox.NamedNode)}
        found.add(cls)
        closure = tuple(sorted(found))
        with self._lock:
            self._closures[cls] = closure
        return closure

    def expand(self, text: str) -> str:
        """``text`` with each class's subclasses filled in, and the shapes graph named."""
        text = _SUBCLASSES.sub(
            lambda m: " ".join(f"<{c}>" for c in self.subclasses(m.group(1))), text
        )
        if SHAPES_GRAPH_MARKER in text:
            if self.shapes_graph is None:
                raise ShaclFailure(
                    "a SPARQL query uses $shapesGraph, but the shapes graph is not a graph of "
                    "the data's dataset here"
                )
            text = text.replace(SHAPES_GRAPH_MARKER, f"<{self.shapes_graph}>")
        return text

    def target_focus(self, targets: Targets) -> Focus:
        """The focus nodes of ``targets`` (restricted to the validated nodes, if given)."""
        functions: Functions = {}
        branches: list[str] = []  # groups binding ?this to some targets
        if targets.classes:
            markers = " ".join(subclasses_marker(str(c)) for c in targets.classes)
            branches.append(f"{{ VALUES ?class {{ {markers} }} ?this a ?class }}")
        spelled = [t for n in targets.nodes if (t := sparql_term(n)) is not None]
        blank = {from_rdflib(n) for n in targets.nodes if sparql_term(n) is None}
        if blank:
            test = register(functions, lambda v: v in blank)
            branches.append(
                f"{{ SELECT DISTINCT ?this WHERE {{ {{ ?this ?p ?o }} UNION {{ ?s ?p ?this }} "
                f"FILTER ({test}(?this)) }} }}"
            )
        branches += [f"{{ ?this <{p}> ?object }}" for p in targets.subjects_of]
        branches += [f"{{ ?subject <{p}> ?this }}" for p in targets.objects_of]
        branches += [f"{{ {query} }}" for query in targets.sparql]
        if self.focus is not None:
            # Test each given node: a VALUES joined to the target patterns would only be joined
            # after they found every target of the graph.
            tests = [f"EXISTS {branch}" for branch in branches]
            if spelled:
                tests.append(f"?this IN ({', '.join(spelled)})")
            if not tests:
                return Focus(NOTHING)
            given = " ".join(self.focus)
            return Focus(
                f"{{ SELECT DISTINCT ?this WHERE {{ VALUES ?this {{ {given} }} "
                f"FILTER ({' || '.join(tests)}) }} }}",
                functions=functions,
            )
        if spelled:
            branches.append(f"{{ VALUES ?this {{ {' '.join(spelled)} }} }}")
        if not branches:
            return Focus(NOTHING)
        union = " UNION ".join(branches)
        return Focus(f"{{ SELECT DISTINCT ?this WHERE {{ {union} }} }}", functions=functions)


def check_depth(run: Run, focus: Focus, limit: int, shape: Node) -> bool:
    """False when ``focus`` is nested deeper than ``limit`` but has no node (nothing to check
    there); a failure when it does (recursive shapes on data that loops, say)."""
    if focus.depth <= limit:
        return True
    if not run.ask(focus.pattern):
        return False
    raise ShaclFailure(
        f"{label(shape)}: shapes nest more than {limit} levels deep on this data "
        "(recursive shapes over data that loops?)"
    )


def focus_terms(nodes: Iterable[Node]) -> list[str]:
    """The SPARQL terms of the focus nodes a caller asks for; blank nodes cannot be named in a
    query, so only IRIs and literals are kept (as pyshacl keeps only IRIs)."""
    terms = {t for n in nodes if (t := sparql_term(n)) is not None}
    return sorted(terms)
