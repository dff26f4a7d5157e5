"""Value range constraint components (SHACL 4.3): sh:minExclusive, sh:minInclusive,
sh:maxExclusive, sh:maxInclusive.

Each is the SPARQL comparison the spec names (``$minInclusive <= ?v`` ...): values of
incomparable types, and ill-typed literals, are results. The store compares the values it
keeps, which are the written literals' values unless a literal was ill-typed as written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
import rdflib
from rdflib.namespace import SH
from rdflib.term import Node

from icpc_kg.errors import ShaclFailure
from icpc_kg.literals import well_typed
from icpc_kg.shacl.constraints.base import Builder, Condition, Constraint, Context, ValueTest, leaf
from icpc_kg.shacl.run import sparql_term
from icpc_kg.shacl.shapes import label

if TYPE_CHECKING:
    from icpc_kg.shacl.engine import Evaluator
    from icpc_kg.shacl.plan import Plan

# parameter -> (component, the comparison that must hold, with the bound on the left)
RANGES = {
    SH.minExclusive: (SH.MinExclusiveConstraintComponent, "<"),
    SH.minInclusive: (SH.MinInclusiveConstraintComponent, "<="),
    SH.maxExclusive: (SH.MaxExclusiveConstraintComponent, ">"),
    SH.maxInclusive: (SH.MaxInclusiveConstraintComponent, ">="),
}


@dataclass
class RangeConstraint(ValueTest):
    operator: str = "<="

    def condition(self, plan: Plan) -> Condition:
        bound = sparql_term(self.value)
        expression = f"({bound} {self.operator} ?v)"

        def judge(written: Any, stored: Any, ev: Evaluator) -> bool:
            if isinstance(written, ox.Literal) and well_typed(written) is False:
                return False  # comparing an ill-typed literal is an error
            return ev.verdict(expression, {}, stored)

        return leaf(expression, {}, judge)


def _range(ctx: Context, value: Node, parameter: rdflib.URIRef) -> list[Constraint]:
    if not isinstance(value, rdflib.Literal):
        raise ShaclFailure(f"{label(ctx.shape.node)}: {label(parameter)} must be a literal")
    component, operator = RANGES[parameter]
    return [RangeConstraint(component, parameter, value, operator=operator)]


BUILDERS: dict[Node, Builder] = {
    parameter: (lambda p: lambda ctx, value: _range(ctx, value, p))(parameter)
    for parameter in RANGES
}
