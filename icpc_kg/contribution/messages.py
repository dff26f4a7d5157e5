"""The contribution checks' rule ids, severities and messages in English and French.

Each check has a stable rule id (its local name in ``https://w3id.org/icpc-kg/checks#``, which
is also its ``sh:sourceConstraintComponent`` in a Turtle report). Messages say what is wrong
and what to do; placeholders are filled with prefixed names (``id:event/x``) and values.
"""

from __future__ import annotations

from dataclasses import dataclass

from icpc_kg.contribution.model import CHECKS_NS


@dataclass(frozen=True)
class Rule:
    rule_id: str
    severity: str
    en: str
    fr: str

    @property
    def iri(self) -> str:
        return CHECKS_NS + self.rule_id

    def messages(self, **values: object) -> dict[str, str]:
        return {"en": self.en.format(**values), "fr": self.fr.format(**values)}


DANGLING_REFERENCE = Rule(
    "DanglingReference",
    "Violation",
    "{value} is described neither in this contribution nor in the published graph: check the "
    "IRI for a typo, or describe the resource in the contribution.",
    "{value} n'est décrit ni dans cette contribution ni dans le graphe publié : vérifiez l'IRI "
    "(faute de frappe ?) ou décrivez la ressource dans la contribution.",
)

EXISTING_RESOURCE_ADDS = Rule(
    "ExistingResource",
    "Info",
    "{focus} already exists in the published graph: the contribution adds {added} triple(s) "
    "to it and contradicts none of its values (see the diff).",
    "{focus} existe déjà dans le graphe publié : la contribution lui ajoute {added} triplet(s) "
    "sans contredire aucune de ses valeurs (voir le diff).",
)

EXISTING_RESOURCE_CHANGES = Rule(
    "ExistingResource",
    "Warning",
    "{focus} already exists in the published graph and the contribution gives other values "
    "for properties it has: {added} triple(s) added, {removed} published triple(s) "
    "contradicted (see the diff). Make sure the change is intended; for a different entity, "
    "use a new IRI.",
    "{focus} existe déjà dans le graphe publié et la contribution donne d'autres valeurs à "
    "des propriétés qu'il a : {added} triplet(s) ajouté(s), {removed} triplet(s) publié(s) "
    "contredit(s) (voir le diff). Vérifiez que ce changement est voulu ; pour une autre "
    "entité, utilisez un nouvel IRI.",
)

LIKELY_DUPLICATE = Rule(
    "LikelyDuplicate",
    "Warning",
    'Probably the same as the existing {candidate} ("{label}": {reason_en}): reuse that IRI '
    "instead of creating a new resource, or make the difference clear in the name and dates.",
    "Probablement identique à {candidate}, qui existe déjà (« {label} » : {reason_fr}) : "
    "réutilisez cet IRI plutôt que de créer une nouvelle ressource, ou rendez la différence "
    "claire dans le nom et les dates.",
)

IRI_OUTSIDE_BASE = Rule(
    "IriOutsideBase",
    "Violation",
    "The resource's IRI is outside the project base {base}: a contribution describes the "
    "graph's own resources; give it an IRI of the form {base}{{kind}}/{{slug}}.",
    "L'IRI de la ressource est hors de la base du projet {base} : une contribution décrit les "
    "ressources du graphe ; donnez-lui un IRI de la forme {base}{{type}}/{{identifiant}}.",
)

ONTOLOGY_TERM_CHANGE = Rule(
    "OntologyTermChange",
    "Violation",
    "A contribution cannot define or change ontology or shape terms ({path} on {focus}): "
    "remove this triple and propose the change to the ontology's maintainers.",
    "Une contribution ne peut pas définir ni modifier les termes de l'ontologie ou des formes "
    "({path} sur {focus}) : retirez ce triplet et proposez la modification aux responsables "
    "de l'ontologie.",
)

BLANK_NODE_ENTITY = Rule(
    "BlankNodeEntity",
    "Violation",
    "This {kind} is a blank node: entities need a stable IRI of the form {base}{{kind}}/{{slug}} "
    "so that others can link to them.",
    "Ce {kind} est un nœud anonyme : les entités ont besoin d'un IRI stable de la forme "
    "{base}{{type}}/{{identifiant}} pour qu'on puisse les lier.",
)

OWL_IMPORTS = Rule(
    "OwlImports",
    "Warning",
    "owl:imports {value} is ignored: validation never follows imports, and the graph does not "
    "import other ontologies; remove the triple.",
    "owl:imports {value} est ignoré : la validation ne suit jamais les imports et le graphe "
    "n'importe pas d'autres ontologies ; retirez le triplet.",
)

UNKNOWN_TERM = Rule(
    "UnknownTerm",
    "Violation",
    "{value} is not a term of the ICPC ontology{hint_en}: check the spelling against "
    "ontology/icpc.ttl.",
    "{value} n'est pas un terme de l'ontologie du CIPC{hint_fr} : vérifiez l'orthographe dans "
    "ontology/icpc.ttl.",
)

RULES = (
    DANGLING_REFERENCE,
    EXISTING_RESOURCE_ADDS,
    EXISTING_RESOURCE_CHANGES,
    LIKELY_DUPLICATE,
    IRI_OUTSIDE_BASE,
    ONTOLOGY_TERM_CHANGE,
    BLANK_NODE_ENTITY,
    OWL_IMPORTS,
    UNKNOWN_TERM,
)

VERDICT = {
    "en": {
        "conforms": "conforms",
        "conforms_strict": "conforms (strict)",
        "fails": "does not conform",
        "fails_strict": "does not conform (strict: warnings block)",
        "Violation": ("violation", "violations"),
        "Warning": ("warning", "warnings"),
        "Info": ("info", "infos"),
        "resources": ("resource", "resources"),
        "checked": "checked",
        "new": "new",
        "existing": "existing",
        "colon": ": ",
    },
    "fr": {
        "conforms": "conforme",
        "conforms_strict": "conforme (strict)",
        "fails": "non conforme",
        "fails_strict": "non conforme (strict : les avertissements bloquent)",
        "Violation": ("violation", "violations"),
        "Warning": ("avertissement", "avertissements"),
        "Info": ("info", "infos"),
        "resources": ("ressource", "ressources"),
        "checked": "vérifiée(s)",
        "new": "nouvelle",
        "existing": "existante",
        "colon": " : ",  # French puts a space before a colon
    },
}
