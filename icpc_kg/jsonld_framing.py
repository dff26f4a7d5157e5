"""JSON-LD framing: pyld applies the frames, on only the nodes a frame can reach.

Frames are JSON-LD 1.1 frame documents in ``icpc_kg/frames/{profile}/{name}.jsonld`` (see
:mod:`icpc_kg.export`). pyld applies them with ``omitDefault`` on (a property a node lacks is
left out, not null). A language-map property is matched with ``[{}]``: ``{}`` would be an
empty language map that matches nothing. :func:`frame_nodes` gives pyld only the nodes a
frame can reach, in chunks of top-level nodes, and compacts its output with
:class:`~icpc_kg.jsonld_compaction.Compactor`; the result is the same as framing everything
at once (tested) in time linear in the graph.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from pyld import jsonld

from icpc_kg.jsonld_compaction import _pyld, compactor_for
from icpc_kg.jsonld_context import JsonObject, offline_document_loader, resolve_context

_FLAGS = ("@embed", "@explicit", "@omitDefault", "@requireAll")
_FRAME_OPTIONS: JsonObject = {
    "omitDefault": True,
    "omitGraph": False,
    "pruneBlankNodeIdentifiers": True,
}
# Top-level nodes framed per pyld call. pyld finds the nodes a reverse property reaches by
# scanning every node of its input for each top-level node, so those frames go in small steps.
_CHUNK = 200
_REVERSE_CHUNK = 20


def expand_frame(frame: JsonObject, context_document: JsonObject) -> JsonObject:
    """``frame`` with every key and type an absolute IRI and no ``@context``: a frame pyld
    applies without compacting anything afterwards."""
    options = {
        "documentLoader": offline_document_loader(context_document),
        "isFrame": True,
        "keepFreeFloatingNodes": True,
    }
    expanded = _pyld(jsonld.expand, frame, options)
    return _absolute_frame(expanded[0] if expanded else {})


def _absolute_frame(frame: JsonObject) -> JsonObject:
    # The expanded form of a frame does not expand again (an "@id": [{}] wildcard is refused),
    # so it is written back as the frame it stands for, with absolute IRIs as keys.
    out: JsonObject = {}
    for key, value in frame.items():
        if key in _FLAGS:
            out[key] = value[0] if isinstance(value, list) else value
        elif key == "@id":
            out[key] = {} if value in ([{}], {}) else value
        elif key == "@reverse":
            out[key] = {p: [_absolute_frame(s) for s in subs] for p, subs in value.items()}
        elif key.startswith("@"):
            out[key] = value
        else:
            out[key] = [_absolute_frame(s) if _is_node_frame(s) else s for s in value]
    return out


def _is_node_frame(value: Any) -> bool:
    return isinstance(value, dict) and not {"@value", "@list", "@language"} & set(value)


def frame_nodes(
    nodes: list[JsonObject],
    frame: JsonObject,
    context_document: JsonObject,
    ids: Sequence[str] | None = None,
    relabel: Callable[[], list[JsonObject]] | None = None,
) -> JsonObject:
    """pyld framing of flattened expanded ``nodes`` with ``frame``, always as an ``@graph``
    array, compacted with the frame's ``@context``; ``ids`` picks the top-level nodes.

    ``relabel`` gives the same nodes with canonical blank-node labels; it is called, and its
    nodes framed instead, only when the frame reaches a blank node.
    """
    context_reference = frame.get("@context", {})
    compactor = compactor_for(resolve_context(context_reference, context_document))
    absolute = expand_frame(frame, context_document)
    batches = _batches(nodes, absolute, ids)
    if relabel is not None and _touches_blank_nodes(batches):
        batches = _batches(relabel(), absolute, ids)
    graph: list[JsonObject] = []
    for batch, batch_ids in batches:
        if compactor is not None:
            scoped = {**absolute, "@context": {}}
            if batch_ids is not None:
                scoped["@id"] = batch_ids
            framed = _pyld(jsonld.frame, batch, scoped, {**_FRAME_OPTIONS, "compactArrays": False})
            graph.extend(compactor.compact_node(_reexpand(n)) for n in framed["@graph"])
        else:
            scoped = frame if batch_ids is None else {**frame, "@id": batch_ids}
            options = {
                **_FRAME_OPTIONS,
                "documentLoader": offline_document_loader(context_document),
            }
            graph.extend(_pyld(jsonld.frame, batch, scoped, options)["@graph"])
    return {"@context": context_reference, "@graph": graph}


Batch = tuple[list[JsonObject], list[str] | None]


def _batches(nodes: list[JsonObject], frame: JsonObject, ids: Sequence[str] | None) -> list[Batch]:
    """The inputs of the pyld calls: chunks of top-level nodes, each with what the frame can
    reach from them; or, for a frame that matches by duck typing, everything at once."""
    roots = list(ids) if ids is not None else _top_level_matches(nodes, frame)
    if roots is None:
        return [(nodes, None)]
    by_id = {node["@id"]: node for node in nodes}
    reverse = _reverse_index(nodes, frame)
    size = _REVERSE_CHUNK if reverse else _CHUNK
    chunks = [roots[i : i + size] for i in range(0, len(roots), size)]
    return [(_reachable(by_id, reverse, chunk, frame), chunk) for chunk in chunks]


def _touches_blank_nodes(batches: list[Batch]) -> bool:
    for batch, _ in batches:
        for node in batch:
            if node["@id"].startswith("_:"):
                return True
            for key, values in node.items():
                if any(str(v.get("@id", "")).startswith("_:") for v in _refs(key, values)):
                    return True
    return False


def _top_level_matches(nodes: list[JsonObject], frame: JsonObject) -> list[str] | None:
    if isinstance(frame.get("@id"), list):
        return [str(i) for i in frame["@id"]]
    types = frame.get("@type")
    if not isinstance(types, list) or not types or not all(isinstance(t, str) for t in types):
        return None
    wanted = set(types)
    return sorted(n["@id"] for n in nodes if wanted.intersection(n.get("@type", ())))


def _reverse_index(nodes: list[JsonObject], frame: JsonObject) -> dict[tuple[str, str], list[str]]:
    """(property, object) -> subjects, for the properties the frame follows backwards."""
    properties: set[str] = set()
    stack = [frame]
    while stack:
        current = stack.pop()
        for key, value in current.items():
            if key == "@reverse":
                properties.update(value)
                stack.extend(s for subs in value.values() for s in subs)
            elif not key.startswith("@"):
                stack.extend(s for s in value if _is_node_frame(s))
    index: dict[tuple[str, str], list[str]] = defaultdict(list)
    for node in nodes:
        for prop in properties.intersection(node):
            for value in node[prop]:
                if "@id" in value:
                    index[(prop, value["@id"])].append(node["@id"])
    return index


_ALL = None  # "every property" in the keep map below


def _reachable(
    by_id: dict[str, JsonObject],
    reverse: dict[tuple[str, str], list[str]],
    roots: Sequence[str],
    frame: JsonObject,
) -> list[JsonObject]:
    """The part of the graph framing ``roots`` with ``frame`` can touch: what each subframe
    embeds (with only the properties an explicit subframe lists), what its reverse properties
    reach, and everything below a subframe that embeds properties it does not list."""
    keep: dict[str, set[str] | None] = {}
    seen: set[tuple[str, int, str]] = set()
    # (node, the subframe it is framed with, the property a reverse frame reached it by)
    stack: list[tuple[str, JsonObject | None, str]] = [(root, frame, "") for root in roots]
    while stack:
        node_id, subframe, via = stack.pop()
        if (node_id, id(subframe), via) in seen:
            continue
        seen.add((node_id, id(subframe), via))
        node = by_id.get(node_id)
        if subframe is None:  # embedded with an implicit frame: the whole subtree
            keep[node_id] = _ALL
            if node is not None:
                stack.extend((v["@id"], None, "") for k, vs in node.items() for v in _refs(k, vs))
            continue
        explicit = subframe.get("@explicit", False) is True
        # pyld finds a reverse match by the referring property, so it stays on the node.
        listed = {k for k in subframe if not k.startswith("@")} | ({via} if via else set())
        if keep.get(node_id, set()) is not _ALL:
            previous = keep.get(node_id) or set()
            keep[node_id] = previous | listed if explicit else _ALL
        if node is not None:
            embeds_unlisted = not explicit and subframe.get("@embed", "@once") != "@never"
            for key, values in node.items():
                if key in subframe and not key.startswith("@"):
                    sub = subframe[key][0] if subframe[key] else {}
                    child = sub if _is_node_frame(sub) else None
                    stack.extend((v["@id"], child, "") for v in _refs(key, values))
                elif embeds_unlisted:
                    stack.extend((v["@id"], None, "") for v in _refs(key, values))
        for prop, subs in subframe.get("@reverse", {}).items():
            stack.extend((r, subs[0], prop) for r in reverse.get((prop, node_id), ()))
    out: list[JsonObject] = []
    for node_id, properties in keep.items():
        node = by_id.get(node_id)
        if node is None:
            continue
        if properties is _ALL:
            out.append(node)
        else:
            out.append({k: v for k, v in node.items() if k in properties or k.startswith("@")})
    return out


def _refs(key: str, values: Any) -> list[JsonObject]:
    if key.startswith("@"):
        return []
    return [v for v in values if "@id" in v]


def _reexpand(value: Any) -> Any:
    """pyld output compacted with an empty context and no array compaction, back in expanded
    form (``@type`` arrays, ``{"@value"}`` objects for bare values)."""
    if not isinstance(value, dict) or "@value" in value or "@list" in value:
        return value if isinstance(value, dict) else {"@value": value}
    out: JsonObject = {}
    for key, item in value.items():
        if key == "@type":
            out[key] = item if isinstance(item, list) else [item]
        elif key == "@id":
            out[key] = item
        elif key == "@reverse":
            out[key] = {p: [_reexpand(v) for v in vs] for p, vs in item.items()}
        else:
            out[key] = [_reexpand(v) for v in item]
    return out
