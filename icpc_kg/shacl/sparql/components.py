"""SPARQL-based constraint components (SHACL 6): components a shapes graph declares itself.

A component is a SHACL instance of ``sh:ConstraintComponent`` (a subclass of it counts) with
parameter declarations (``sh:parameter``, each with an IRI ``sh:path``; the parameter's name
is the path's local name) and validators. A shape that has values for every mandatory
parameter declares a constraint of the component, one per combination of values; the
validator is the shape kind's own (``sh:nodeValidator``, ``sh:propertyValidator``), else
``sh:validator``, else the constraint is ignored (6.2.3). Every parameter value is pre-bound
as a variable of its name; messages come from the validator, else from the component.

SHACL-AF SPARQL-based targets (``sh:target`` with ``sh:select``, or of a type that is a
``sh:SPARQLTargetType``) are read here too: they are the same kind of declared query.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import rdflib
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from icpc_kg.errors import ShaclFailure
from icpc_kg.rdfio import from_rdflib
from icpc_kg.shacl.constraints.base import Constraint, Context
from icpc_kg.shacl.shapes import is_instance, is_true, label, subclasses
from icpc_kg.shacl.sparql.constraints import AskConstraint, SelectConstraint
from icpc_kg.shacl.sparql.query import prepare

_NCNAME_END = re.compile(r"[A-Za-z_\u00C0-\uFFFF][\w.\-\u00B7\u00C0-\uFFFF]*$")
RESERVED_NAMES = {"this", "shapesGraph", "currentShape", "path", "PATH", "value"}


@dataclass(frozen=True)
class Parameter:
    path: rdflib.URIRef
    name: str
    optional: bool


@dataclass(frozen=True)
class Component:
    node: Node
    parameters: tuple[Parameter, ...]

    @property
    def mandatory(self) -> list[Parameter]:
        return [p for p in self.parameters if not p.optional]


def parameter_name(iri: rdflib.URIRef, where: str) -> str:
    """The local name of a parameter's path (6.1: the longest NCName at the end)."""
    found = _NCNAME_END.search(str(iri))
    if found is None:
        raise ShaclFailure(f"{where}: the parameter {label(iri)} has no local name for a variable")
    return found.group()


def declared_components(g: rdflib.Graph) -> list[Component]:
    """The constraint components the shapes graph declares, SHACL's own left out."""
    found: list[Component] = []
    nodes: set[Node] = set()
    for cls in subclasses(g, SH.ConstraintComponent):
        nodes.update(g.subjects(RDF.type, cls))
    for node in sorted(nodes, key=str):
        if str(node).startswith(str(SH)):
            continue
        where = label(node)
        parameters = []
        for declaration in g.objects(node, SH.parameter):
            path = g.value(declaration, SH.path)
            if not isinstance(path, rdflib.URIRef):
                raise ShaclFailure(f"{where}: each sh:parameter has an IRI as sh:path")
            name = parameter_name(path, where)
            if name in RESERVED_NAMES:
                raise ShaclFailure(f"{where}: a parameter may not be named {name}")
            optional = is_true(g.value(declaration, SH.optional))
            parameters.append(Parameter(path, name, optional))
        if len({p.name for p in parameters}) != len(parameters):
            raise ShaclFailure(f"{where}: two parameters have the same name")
        if parameters and any(not p.optional for p in parameters):
            found.append(Component(node, tuple(sorted(parameters, key=lambda p: p.name))))
    return found


def component_constraints(ctx: Context, component: Component) -> list[Constraint]:
    """The constraints of ``component`` that the shape of ``ctx`` declares."""
    g = ctx.g
    values = {p.name: ctx.values(p.path) for p in component.parameters}
    if any(not values[p.name] for p in component.mandatory):
        return []
    validator = _validator(g, component.node, ctx.path is not None)
    if validator is None:
        return []  # no validator for this kind of shape: the constraint is ignored
    where = f"{label(ctx.shape.node)} ({label(component.node)})"
    messages = [m for m in g.objects(validator, SH.message) if isinstance(m, rdflib.Literal)]
    if not messages:
        messages = [
            m for m in g.objects(component.node, SH.message) if isinstance(m, rdflib.Literal)
        ]
    ask = g.value(validator, SH.ask)
    select = g.value(validator, SH.select)
    if (ask is None) == (select is None):
        raise ShaclFailure(f"{where}: a validator has exactly one sh:ask or sh:select")
    names = [p.name for p in component.parameters if values[p.name]]
    constraints: list[Constraint] = []
    for combination in itertools.product(*(values[name] for name in names)):
        bound = dict(zip(names, combination, strict=True))
        constants: dict[str, Node] = dict(bound)
        if isinstance(ctx.shape.node, rdflib.URIRef):
            constants["currentShape"] = ctx.shape.node
        prebound = {"this", *(p.name for p in component.parameters)}
        path = ctx.path.sparql if ctx.path is not None else None
        if ask is not None:
            prepared = prepare(g, validator, str(ask), prebound | {"value"}, constants, None)
            kind: type[SelectConstraint] = AskConstraint
        else:
            prepared = prepare(g, validator, str(select), prebound, constants, path)
            kind = SelectConstraint
        constraints.append(
            kind(
                rdflib.URIRef(str(component.node)),
                component.parameters[0].path,
                combination[0],
                messages=sorted(messages, key=str),
                prepared=prepared,
                parameters={name: from_rdflib(node) for name, node in bound.items()},
            )
        )
    return constraints


def _validator(g: rdflib.Graph, component: Node, property_shape: bool) -> Node | None:
    own = SH.propertyValidator if property_shape else SH.nodeValidator
    for predicate in (own, SH.validator):
        found = sorted(g.objects(component, predicate), key=str)
        if found:
            return found[0]
    return None


def sparql_targets(g: rdflib.Graph, shape: Node) -> tuple[str, ...]:
    """The SELECT queries of the shape's SHACL-AF SPARQL-based targets (binding ?this)."""
    queries: list[str] = []
    for target in sorted(g.objects(shape, SH.target), key=str):
        where = f"{label(shape)} sh:target {label(target)}"
        select = g.value(target, SH.select)
        constants: dict[str, Node] = {}
        holder = target
        if select is None:
            kind = next(
                (t for t in g.objects(target, RDF.type) if is_instance(g, t, SH.SPARQLTargetType)),
                None,
            )
            if kind is None:
                raise ShaclFailure(f"{where}: only SPARQL-based targets are supported")
            select = g.value(kind, SH.select)
            holder = kind
            for declaration in g.objects(kind, SH.parameter):
                path = g.value(declaration, SH.path)
                if isinstance(path, rdflib.URIRef):
                    value = g.value(target, path)
                    if value is not None:
                        constants[parameter_name(path, where)] = value
        if select is None:
            raise ShaclFailure(f"{where}: a SPARQL-based target has one sh:select")
        prepared = prepare(g, holder, str(select), set(constants), constants, None)
        if not prepared.analysis.projects_this:
            raise ShaclFailure(f"{where}: a target's query must select ?this")
        queries.append(f"{{ {prepared.text} }}")
    return tuple(queries)
