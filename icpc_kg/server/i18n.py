"""The languages of the HTML pages (English and French): UI strings, the labels of common
terms that the ontology does not label itself, and how a request chooses its language
(``?lang=``, then the ``lang`` cookie set by the switch, then Accept-Language)."""

from __future__ import annotations

import re

LANGUAGES = ("en", "fr")
DEFAULT_LANGUAGE = "en"
LANG_COOKIE = "lang"

UI: dict[str, tuple[str, str]] = {
    # key: (English, French)
    "site_title": ("ICPC knowledge graph", "Graphe de connaissances du CIPC"),
    "site_tagline": (
        "Events, organisations, people, themes and publications of the International Centre "
        "for the Prevention of Crime, each fact with the passage that states it.",
        "Événements, organisations, personnes, thèmes et publications du Centre international "
        "pour la prévention de la criminalité, chaque fait avec le passage qui l'énonce.",
    ),
    "home": ("Home", "Accueil"),
    "events": ("Events", "Événements"),
    "events_timeline": ("Events timeline", "Chronologie des événements"),
    "organisations": ("Organisations", "Organisations"),
    "people": ("People", "Personnes"),
    "publications": ("Publications", "Publications"),
    "themes": ("Themes", "Thèmes"),
    "search": ("Search", "Recherche"),
    "search_labels": ("Search labels", "Rechercher dans les libellés"),
    "search_placeholder": ("a name, a title, a theme…", "un nom, un titre, un thème…"),
    "no_results": ("Nothing found.", "Aucun résultat."),
    "results_for": ("Results for", "Résultats pour"),
    "query": ("SPARQL query", "Requête SPARQL"),
    "run_query": ("Run query", "Exécuter la requête"),
    "examples": ("Examples", "Exemples"),
    "example_pick": ("Load an example…", "Charger un exemple…"),
    "result_format": ("Result format", "Format du résultat"),
    "ontology": ("Ontology", "Ontologie"),
    "api": ("Query API", "API de requêtes"),
    "data": ("Data", "Données"),
    "downloads": ("Downloads", "Téléchargements"),
    "validate": ("Validate a contribution", "Valider une contribution"),
    "validate_intro": (
        "Paste RDF you want to contribute; it is checked against the published graph and its "
        "shapes. Nothing is stored.",
        "Collez le RDF que vous souhaitez proposer ; il est vérifié par rapport au graphe publié "
        "et à ses formes. Rien n'est enregistré.",
    ),
    "input_format": ("Input format", "Format d'entrée"),
    "check": ("Check", "Vérifier"),
    "conforms": ("The contribution conforms.", "La contribution est conforme."),
    "does_not_conform": (
        "The contribution does not conform.",
        "La contribution n'est pas conforme.",
    ),
    "type": ("Type", "Type"),
    "properties": ("Properties", "Propriétés"),
    "property": ("Property", "Propriété"),
    "value": ("Value", "Valeur"),
    "incoming": ("Referenced by", "Cité par"),
    "sources": ("Sources", "Sources"),
    "source_passage": ("Source passage", "Passage source"),
    "characters": ("characters", "caractères"),
    "in_document": ("in", "dans"),
    "original_page": ("original page", "page d'origine"),
    "document_text": ("Text of the document", "Texte du document"),
    "other_formats": ("Other formats", "Autres formats"),
    "graph": ("Graph", "Graphe"),
    "graphs": ("Named graphs", "Graphes nommés"),
    "triples": ("triples", "triplets"),
    "rows": ("rows", "lignes"),
    "truncated": (
        "The result was cut at {n} rows (the server's limit). Add a LIMIT or narrow the query.",
        "Le résultat a été tronqué à {n} lignes (limite du serveur). Ajoutez une clause LIMIT ou "
        "restreignez la requête.",
    ),
    "undated": ("Undated", "Sans date"),
    "series": ("Event series", "Séries d'événements"),
    "part_of": ("part of", "fait partie de"),
    "classes": ("Classes", "Classes"),
    "object_properties": ("Properties", "Propriétés"),
    "subclass_of": ("Subclass of", "Sous-classe de"),
    "subproperty_of": ("Subproperty of", "Sous-propriété de"),
    "domain": ("Domain", "Domaine"),
    "range": ("Range", "Image"),
    "definition": ("Definition", "Définition"),
    "version": ("Version", "Version"),
    "parameters": ("Parameters", "Paramètres"),
    "required": ("required", "obligatoire"),
    "optional": ("optional", "facultatif"),
    "default": ("default", "par défaut"),
    "try_it": ("Try it", "Essayer"),
    "openapi": ("OpenAPI description", "Description OpenAPI"),
    "file": ("File", "Fichier"),
    "size": ("Size", "Taille"),
    "bytes": ("bytes", "octets"),
    "checksum": ("SHA-256", "SHA-256"),
    "error": ("Error", "Erreur"),
    "back_home": ("Back to the home page", "Retour à l'accueil"),
    "language": ("Language", "Langue"),
    "switch_to": ("Français", "English"),
    "about_data": ("About this data", "À propos de ces données"),
    "endpoint": ("SPARQL endpoint", "Point d'accès SPARQL"),
    "count_events": ("events", "événements"),
    "count_organisations": ("organisations", "organisations"),
    "count_people": ("people", "personnes"),
    "count_publications": ("publications", "publications"),
    "count_themes": ("themes", "thèmes"),
    "count_triples": ("triples", "triplets"),
    "catalogue": ("Data catalogue (DCAT)", "Catalogue de données (DCAT)"),
    "void": ("Dataset description (VoID)", "Description du jeu de données (VoID)"),
    "sitemap": ("Sitemap", "Plan du site"),
    "shapes": ("SHACL shapes", "Formes SHACL"),
    "context": ("JSON-LD context", "Contexte JSON-LD"),
    "with_js": (
        "With JavaScript, picking an example fills the form; without it, use the example links.",
        "Avec JavaScript, choisir un exemple remplit le formulaire ; sinon, suivez les liens des "
        "exemples.",
    ),
    "subject": ("Subject", "Sujet"),
    "predicate": ("Predicate", "Prédicat"),
    "object": ("Object", "Objet"),
    "answer_yes": ("Yes", "Oui"),
    "answer_no": ("No", "Non"),
    "download_as": ("Download as", "Télécharger en"),
    "served_from": ("Served from", "Servi depuis"),
}

# Labels of terms from other vocabularies that the pages show (ICPC terms carry their own
# rdfs:label in both languages in the ontology).
TERM_LABELS: dict[str, tuple[str, str]] = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type": ("type", "type"),
    "http://www.w3.org/2000/01/rdf-schema#label": ("label", "libellé"),
    "http://www.w3.org/2000/01/rdf-schema#comment": ("comment", "commentaire"),
    "http://www.w3.org/2000/01/rdf-schema#subClassOf": ("subclass of", "sous-classe de"),
    "http://www.w3.org/2000/01/rdf-schema#subPropertyOf": ("subproperty of", "sous-propriété de"),
    "http://www.w3.org/2000/01/rdf-schema#domain": ("domain", "domaine"),
    "http://www.w3.org/2000/01/rdf-schema#range": ("range", "image"),
    "http://www.w3.org/2000/01/rdf-schema#isDefinedBy": ("defined by", "défini par"),
    "http://www.w3.org/2000/01/rdf-schema#seeAlso": ("see also", "voir aussi"),
    "http://www.w3.org/2002/07/owl#inverseOf": ("inverse of", "inverse de"),
    "http://schema.org/name": ("name", "nom"),
    "http://schema.org/alternateName": ("other name", "autre nom"),
    "http://schema.org/description": ("description", "description"),
    "http://schema.org/startDate": ("start date", "date de début"),
    "http://schema.org/endDate": ("end date", "date de fin"),
    "http://schema.org/location": ("place", "lieu"),
    "http://schema.org/url": ("web page", "page web"),
    "http://schema.org/about": ("about", "au sujet de"),
    "http://schema.org/author": ("author", "auteur"),
    "http://schema.org/publisher": ("publisher", "éditeur"),
    "http://schema.org/datePublished": ("date published", "date de publication"),
    "http://schema.org/headline": ("headline", "titre"),
    "http://schema.org/inLanguage": ("language", "langue"),
    "http://schema.org/isPartOf": ("part of", "fait partie de"),
    "http://schema.org/containedInPlace": ("in", "situé dans"),
    "http://schema.org/givenName": ("given name", "prénom"),
    "http://schema.org/familyName": ("family name", "nom de famille"),
    "http://schema.org/honorificPrefix": ("title", "civilité"),
    "http://schema.org/position": ("position", "position"),
    "http://purl.org/dc/terms/source": ("source document", "document source"),
    "http://purl.org/dc/terms/title": ("title", "titre"),
    "http://purl.org/dc/terms/description": ("description", "description"),
    "http://purl.org/dc/terms/created": ("created", "créé le"),
    "http://purl.org/dc/terms/modified": ("modified", "modifié le"),
    "http://purl.org/dc/terms/date": ("date", "date"),
    "http://purl.org/dc/terms/creator": ("creator", "créateur"),
    "http://purl.org/dc/terms/publisher": ("publisher", "éditeur"),
    "http://purl.org/dc/terms/license": ("licence", "licence"),
    "http://purl.org/dc/terms/format": ("format", "format"),
    "http://purl.org/dc/terms/spatial": ("place covered", "couverture spatiale"),
    "http://www.w3.org/2004/02/skos/core#prefLabel": ("preferred label", "libellé préféré"),
    "http://www.w3.org/2004/02/skos/core#altLabel": ("other label", "autre libellé"),
    "http://www.w3.org/2004/02/skos/core#definition": ("definition", "définition"),
    "http://www.w3.org/2004/02/skos/core#broader": ("broader theme", "thème plus large"),
    "http://www.w3.org/2004/02/skos/core#narrower": ("narrower theme", "thème plus précis"),
    "http://www.w3.org/2004/02/skos/core#inScheme": ("in scheme", "dans le schéma"),
    "http://www.w3.org/2004/02/skos/core#hasTopConcept": ("top theme", "thème de tête"),
    "http://www.w3.org/2004/02/skos/core#topConceptOf": ("top theme of", "thème de tête de"),
    "http://www.w3.org/2004/02/skos/core#broadMatch": ("broad match", "correspondance large"),
    "http://www.w3.org/2004/02/skos/core#relatedMatch": ("related match", "correspondance"),
    "http://www.w3.org/ns/oa#hasSource": ("document", "document"),
    "http://www.w3.org/ns/oa#hasSelector": ("selector", "sélecteur"),
    "http://www.w3.org/ns/oa#exact": ("quoted text", "texte cité"),
    "http://www.w3.org/ns/oa#start": ("start offset", "début"),
    "http://www.w3.org/ns/oa#end": ("end offset", "fin"),
    "http://www.w3.org/ns/org#hasMembership": ("membership", "appartenance"),
    "http://www.w3.org/ns/org#member": ("member", "membre"),
    "http://www.w3.org/ns/org#organization": ("organisation", "organisation"),
    "http://www.w3.org/ns/org#role": ("role", "rôle"),
}


def text(key: str, lang: str, **values: object) -> str:
    """The UI string ``key`` in ``lang`` (English when missing), with ``{name}`` filled in."""
    pair = UI.get(key)
    if pair is None:
        return key
    chosen = pair[1] if lang == "fr" else pair[0]
    return chosen.format(**values) if values else chosen


def term_label(iri: str, lang: str) -> str | None:
    pair = TERM_LABELS.get(iri)
    if pair is None:
        return None
    return pair[1] if lang == "fr" else pair[0]


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def local_name_label(iri: str) -> str:
    """A readable fallback for a term: its local name with camelCase split (startDate ->
    start date)."""
    local = re.split(r"[#/]", iri.rstrip("/#"))[-1] or iri
    return _CAMEL.sub(" ", local).replace("_", " ").lower()


def accept_language(header: str | None) -> str | None:
    """The supported language the Accept-Language header prefers, if any."""
    if not header:
        return None
    best: tuple[float, int] | None = None
    chosen = None
    for position, item in enumerate(header.split(",")):
        parts = [p.strip() for p in item.split(";")]
        tag = parts[0].lower().split("-")[0]
        q = 1.0
        for param in parts[1:]:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if tag in LANGUAGES and q > 0:
            key_ = (q, -position)
            if best is None or key_ > best:
                best, chosen = key_, tag
    return chosen


def choose_language(query_lang: str | None, cookie: str | None, header: str | None) -> str:
    """``?lang=`` first (the switch), then the cookie it set, then Accept-Language."""
    for candidate in (query_lang, cookie):
        if candidate and candidate.lower() in LANGUAGES:
            return candidate.lower()
    return accept_language(header) or DEFAULT_LANGUAGE
