"""Person entities from mentions: one per person (a family name alone meets the full name),
their memberships, roles and affiliations."""

from __future__ import annotations

from icpc_kg.extract.model import Entity, Extraction, Label, Membership, Span
from icpc_kg.extract.person_names import PersonMention, split_roles
from icpc_kg.extract.text import fold, slugify


def person_key(person: PersonMention, extraction: Extraction) -> str:
    """Mentions of one person meet by full name, or by family name when a later mention
    gives only that ("Mr. Brisebois")."""
    key = "person:" + slugify(person.name)
    if key in extraction.entities:
        return key
    if person.given is None and person.family:
        for entity in extraction.of_kind("person"):
            if fold(entity.fact("familyName") or "") == fold(person.family):
                return entity.key
    return key


def add_people(
    extraction: Extraction, people: list[PersonMention], org_keys: dict[int, str]
) -> list[tuple[PersonMention, str]]:
    """Person entities, their memberships (one per organisation) and roles."""
    lang = extraction.doc.lang
    added: list[tuple[PersonMention, str]] = []
    # "Dr. Wells" before "Dr. Kristopher Wells": the full name first, so the short one meets it
    people = sorted(people, key=lambda p: (p.given is None, p.start))
    for person in people:
        key = person_key(person, extraction)
        entity = extraction.entities.get(key) or extraction.add(Entity(key, "Person"))
        if not entity.names or len(person.name) > len(entity.names[0].text):
            entity.names = [Label(person.name, None)]
        if person.honorific:
            entity.add_fact("honorificPrefix", person.honorific)
        if person.given:
            entity.set_fact("givenName", person.given)
        if person.family:
            entity.set_fact("familyName", person.family)
        entity.add_span(person.extent)
        for role in person.roles:
            entity.add_fact("jobTitle", (role.title, lang))
            org_key = org_keys.get(role.org) if role.org is not None else None
            role_keys = [
                add_role(extraction, label, role.title_span) for label in split_roles(role.title)
            ]
            if org_key is not None:
                extraction.memberships.append(
                    Membership(key, org_key, role.title, role_keys, role.span, lang)
                )
                extraction.relate(key, "icpc:affiliation", org_key, role.span)
        for index in person.affiliations:
            org_key = org_keys.get(index)
            if org_key is not None:
                extraction.relate(key, "icpc:affiliation", org_key, person.extent)
                if not any(m.person == key and m.org == org_key for m in extraction.memberships):
                    extraction.memberships.append(
                        Membership(key, org_key, "", [], person.extent, lang)
                    )
        added.append((person, key))
    return added


def add_role(extraction: Extraction, label: str, span: Span) -> str:
    key = "role:" + slugify(label)
    entity = extraction.entities.get(key) or extraction.add(Entity(key, "Role"))
    label = label[0].upper() + label[1:] if label else label
    entity.add_name(label, extraction.doc.lang)
    entity.add_span(span)
    return key
