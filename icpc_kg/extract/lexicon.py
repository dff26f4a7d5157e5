"""The words the extraction rules use, in English and French, in one place: heads of
organisation names, positions, ordinals, world regions, kinds of events that name sections of
a site. Each list is a plain block of words (or "key = value" lines) so it reads like a list."""

from __future__ import annotations


def words(block: str) -> frozenset[str]:
    return frozenset(block.split())


def lines(block: str) -> frozenset[str]:
    """One entry per line, for entries with spaces ("training sessions")."""
    return frozenset(line.strip() for line in block.splitlines() if line.strip())


def pairs(block: str) -> dict[str, str]:
    found = {}
    for line in block.splitlines():
        if "=" in line:
            key, value = line.split("=", 1)
            found[key.strip()] = value.strip()
    return found


# Lower-case words allowed inside a proper name ("Centre for the Prevention of Crime").
CONNECTORS = words(
    """
    & and at au aux d da das de del della den der des di dos du e en et for in l la le les of
    on pour sur the to van von y à
"""
)

# World regions in English and French (folded name = canonical name).
WORLD_REGIONS = pairs(
    """
    africa = Africa
    afrique = Africa
    afrique de l'ouest = West Africa
    afrique du nord = North Africa
    afrique subsaharienne = Sub-Saharan Africa
    amerique centrale = Central America
    amerique du nord = North America
    amerique du sud = South America
    amerique latine = Latin America
    amerique latine et caraibes = Latin America and the Caribbean
    asia = Asia
    asia-pacific = Asia-Pacific
    asie = Asia
    asie-pacifique = Asia-Pacific
    caraibes = Caribbean
    caribbean = Caribbean
    central america = Central America
    east africa = East Africa
    eastern europe = Eastern Europe
    europe = Europe
    latin america = Latin America
    latin america and the caribbean = Latin America and the Caribbean
    les ameriques = The Americas
    maghreb = Maghreb
    middle east = Middle East
    moyen-orient = Middle East
    north africa = North Africa
    north america = North America
    oceania = Oceania
    oceanie = Oceania
    south america = South America
    south asia = South Asia
    southeast asia = Southeast Asia
    sub-saharan africa = Sub-Saharan Africa
    the americas = The Americas
    the caribbean = Caribbean
    west africa = West Africa
    western europe = Western Europe
"""
)

# Other names of countries (folded name = ISO 3166 alpha-2).
COUNTRY_ALIASES = pairs(
    """
    america = US
    bolivia = BO
    britain = GB
    cote d'ivoire = CI
    czech republic = CZ
    dr congo = CD
    england = GB
    etats-unis = US
    etats-unis d'amerique = US
    great britain = GB
    holland = NL
    iran = IR
    ivory coast = CI
    laos = LA
    moldova = MD
    north korea = KP
    rdc = CD
    russia = RU
    south korea = KR
    syria = SY
    tanzania = TZ
    the netherlands = NL
    u.k. = GB
    u.s. = US
    u.s.a. = US
    uk = GB
    united states of america = US
    us = US
    usa = US
    venezuela = VE
    vietnam = VN
"""
)

# Cities whose usual form differs from the gazetteer's ("Washington, D.C.").
CITY_ALIASES = pairs(
    """
    washington d.c. = Washington DC
    washington dc = Washington DC
    washington, d.c. = Washington DC
    washington, dc = Washington DC
"""
)

# City names that are also everyday words; a page that means the city says more.
COMMON_WORDS = words(
    """
    bath center centre city college commerce concord council enterprise forum friendship gap
    hope independence justice liberty march marina may mission network nice normal
    opportunity orange panel paradise police prevention program programme progress
    providence reading safety sale security session summit union university victoria welcome
    workshop
"""
)

# Words that make a name a venue ("Palais des congrès", "Maison du ...").
VENUE_WORDS = words(
    """
    amphitheatre amphithéâtre arena auditorium bibliothèque building campus centre-ville
    chamber château hall hotel house hôtel library maison museum musée palace palais
    pavilion pavillon room salle stadium theater theatre théâtre édifice
"""
)

# Head words that make a capitalised phrase an organisation's name.
HEADS = words(
    """
    agence agencia agency alliance ambassade association authority autorité bank banque
    board bureau cabinet center centre chamber chambre coalition collectif college collège
    comité commission committee conseil consejo consulat consulate corporation council court
    department direction directorate département embajada embassy federation fondation fonds
    foundation fund fundación fédération gendarmerie gouvernement government group groupe
    institut institute instituto league ligue ministerio ministry ministère municipality
    municipalité nations network observatoire observatorio observatory office organisation
    organization regroupement réseau secretariat secretaría secrétariat service services
    society société subsecretaría sûreté tribunal undersecretariat union unit unité
    universidad university université école
"""
)

# Heads that also name other things ("Forum" is an event too): they count only with an
# acronym or after a phrase only an organisation can follow.
WEAK_HEADS = words(
    """
    forum mission partnership program programme table trust
"""
)

# Words that end a French organisation name ("le ministère ... qui").
FRENCH_STOP = words(
    """
    a afin avec ce cette dans en entre est la le les lors ont par pour que qui sa selon ses
    son sont sur un une vers à était été
"""
)

# Small words inside French organisation names ("ministère de la Justice").
FRENCH_NAME_CONNECTORS = words(
    """
    au aux d de des du en et l la le pour sur
"""
)

# Words that make a phrase a position someone holds, in English and French.
ROLE_WORDS = words(
    """
    adjoint adjointe administrateur administrator administratrice adviser advisor agent
    agente ambassadeur ambassador ambassadrice analyst analyste animateur animatrice
    assistant associate attaché attachée attorney avocat avocate candidate capitaine captain
    ceo chair chairman chairperson chairwoman chargé chargée chef chercheur chercheuse chief
    co-founder co-ordinator commandant commander commissaire commissioner conseiller
    conseillère constable consultant consultante coo coordinateur coordinator coordinatrice
    coordonnateur coordonnatrice councillor councilor counsellor counselor criminologist
    criminologue dean delegate deputy detective directeur director directrice doctorant
    doctorante délégué déléguée economist editor educator enseignant enseignante executive
    expert experte facilitator fellow fondateur fondatrice formateur formatrice founder
    gestionnaire governor head inspecteur inspector inspectrice intern intervenant
    intervenante investigator journalist judge juge lawyer leader lecturer lieutenant
    magistrate maire mairesse manager mayor mediator member membre minister ministre nurse
    officer physician planner policier policière practitioner premier president procureur
    procureure professeur professeure professor prosecutor président présidente psychologist
    psychologue representative représentant représentante researcher responsable rédacteur
    rédactrice scientist secretary secrétaire senator sergeant sergent sociologist
    sociologue sous-ministre specialist spécialiste stagiaire strategist student
    superintendent teacher trainer travailleur travailleuse urbaniste vice-president
    vice-présidente worker économiste étudiant étudiante
"""
)

# Words before a position ("Senior Analyst", "directrice générale").
ROLE_MODIFIERS = words(
    """
    acting adjoint adjointe assistant associate co deputy executive general général générale
    interim junior lead national nationale principal principale regional régional régionale
    scientific scientifique senior special spécial spéciale technical technique vice
"""
)

# Plural kinds that name a section of a site ("Webinars"), not a series (folded).
GENERIC_PLURALS = lines(
    """
    activites
    activities
    ateliers
    colloques
    colloquia
    colloquiums
    conferences
    congresses
    evenements
    events
    formations
    forums
    keynotes
    lectures
    online seminars
    panel discussions
    panels
    plenaries
    plenary sessions
    plenieres
    presentations
    round tables
    roundtables
    seances
    seminaires
    seminars
    sessions
    sommets
    summits
    symposia
    symposiums
    tables rondes
    talks
    training
    training courses
    training sessions
    trainings
    web conferences
    web-conferences
    webinaires
    webinars
    workshops
"""
)

# Words that make a plural kind a listing ("Upcoming webinars"), not a series (folded).
LISTING_QUALIFIERS = words(
    """
    a all autres coming des future latest les next nos other our passees passes past
    precedentes precedents previous prochaines prochains recent recentes recents tous
    upcoming venir
"""
)

# Ordinal words in English and French (word = number).
ORDINALS = {
    key: int(value)
    for key, value in pairs(
        """
    cinquième = 5
    deuxieme = 2
    deuxième = 2
    dixième = 10
    douzième = 12
    eighth = 8
    eleventh = 11
    fifteenth = 15
    fifth = 5
    first = 1
    fourteenth = 14
    fourth = 4
    huitième = 8
    neuvième = 9
    ninth = 9
    onzième = 11
    premier = 1
    premiere = 1
    première = 1
    quatrième = 4
    second = 2
    seconde = 2
    septième = 7
    seventh = 7
    sixième = 6
    sixth = 6
    tenth = 10
    third = 3
    thirteenth = 13
    troisième = 3
    twelfth = 12
    twentieth = 20
"""
    ).items()
}

# Words that make an event a training, whose facilitator ("animée par") teaches it rather
# than moderates it (folded, accents removed).
TRAINING_WORDS = words(
    """
    course courses cours formation formations training trainings
"""
)
