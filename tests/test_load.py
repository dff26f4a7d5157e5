"""Loading content files: one named graph per file, blank nodes kept apart between files."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from icpc_kg.load import LoadedDataset, load_extra_files


def test_the_same_blank_node_label_in_two_files_is_two_nodes(tmp_path: Path) -> None:
    for name in ("a.nt", "b.nt"):
        (tmp_path / name).write_text(
            f'_:b0 <http://schema.org/name> "{name}" .\n', encoding="utf-8"
        )
    dataset = LoadedDataset(ox.Store())
    load_extra_files(dataset, [tmp_path / "a.nt", tmp_path / "b.nt"])
    subjects = {q.subject for q in dataset.store}
    assert len(subjects) == 2
    assert all(isinstance(s, ox.BlankNode) for s in subjects)


def test_blank_nodes_within_one_file_stay_linked(tmp_path: Path) -> None:
    path = tmp_path / "c.nq"
    path.write_text(
        '_:x <http://schema.org/name> "x" <http://ex/g1> .\n'
        "<http://ex/s> <http://schema.org/about> _:x <http://ex/g1> .\n",
        encoding="utf-8",
    )
    dataset = LoadedDataset(ox.Store())
    load_extra_files(dataset, [path])
    quads = list(dataset.store)
    named = next(q.subject for q in quads if q.predicate.value.endswith("name"))
    about = next(q.object for q in quads if q.predicate.value.endswith("about"))
    assert named == about
    assert {q.graph_name for q in quads} == {ox.NamedNode("http://ex/g1")}
