"""SHACL Core constraint components, one module per section of the spec (chapter 4):

==========================  ==============================================================
``value_type.py``           4.1 sh:class, sh:datatype, sh:nodeKind
``cardinality.py``          4.2 sh:minCount, sh:maxCount
``value_range.py``          4.3 sh:minExclusive, sh:minInclusive, sh:maxExclusive, sh:maxInclusive
``string_based.py``         4.4 sh:minLength, sh:maxLength, sh:pattern, sh:languageIn, sh:uniqueLang
``property_pair.py``        4.5 sh:equals, sh:disjoint, sh:lessThan, sh:lessThanOrEquals
``logical.py``              4.6 sh:not, sh:and, sh:or, sh:xone
``shape_based.py``          4.7 sh:node, sh:qualifiedValueShape (sh:property: the evaluator)
``other.py``                4.8 sh:closed, sh:hasValue, sh:in
==========================  ==============================================================

Each module maps the parameter that declares a constraint to a builder; :data:`BUILDERS`
gathers them. SHACL-SPARQL (chapter 5 and 6) is :mod:`icpc_kg.shacl.sparql`.
"""

from __future__ import annotations

from rdflib.namespace import SH
from rdflib.term import Node

from icpc_kg.shacl.constraints import (
    cardinality,
    logical,
    other,
    property_pair,
    shape_based,
    string_based,
    value_range,
    value_type,
)
from icpc_kg.shacl.constraints.base import Builder

BUILDERS: dict[Node, Builder] = {
    **value_type.BUILDERS,
    **cardinality.BUILDERS,
    **value_range.BUILDERS,
    **string_based.BUILDERS,
    **property_pair.BUILDERS,
    **logical.BUILDERS,
    **shape_based.BUILDERS,
    **other.BUILDERS,
}
# Parameters read by a builder besides the one that declares the constraint.
COMPANION_PARAMETERS = (
    SH.flags,
    SH.ignoredProperties,
    SH.qualifiedMinCount,
    SH.qualifiedMaxCount,
    SH.qualifiedValueShapesDisjoint,
)
CORE_PARAMETERS = frozenset({*BUILDERS, *COMPANION_PARAMETERS, SH.property})
