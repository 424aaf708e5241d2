"""The workbook's tabs and columns as data: the one place the contract of the workbook lives.

Everything that reads, writes, validates or sets up the workbook works from these
definitions: header aliases (fr / nl), value kinds, choice values with their aliases,
ID prefixes, which cells hold personal data, which dropdowns come from the Lists tab.
`docs/workbook.md` describes that contract for people; its tables of tabs, columns and values
are generated from this module by `scripts/docs.py`.

The canonical DataFrame shape of a tab, as the store returns it (what domain code relies on):

The store (`sheets/`) returns each tab of the workbook as a pandas DataFrame whose columns are
the canonical English headers defined below (tabs, columns, kinds, choice values). Per kind:
- ID / TEXT: `str`, "" when blank (never NaN/None).
- CHOICE: the canonical English value (e.g. "Mentee", "Ready", "Intro planned"), "" when blank; a
  value that could not be understood is kept as its raw text (and reported as a finding).
- DATE: pandas `datetime64[ns]` column (normalised to midnight), `NaT` when blank/unreadable.
- TIMESTAMP: pandas `datetime64[ns]`, NaT when blank.
- NUMBER: float64, NaN when blank.
- BOOL: Python bool.
- LIST and SLOTS: a Python `list[str]` per cell (empty list when blank). Slots are canonical
  "Mon AM", "Mon PM", "Mon EVE", ... "Sun EVE".
- Plus an int column `_row`: the sheet row number of the record (header is row 1).
- Staff may have added their own columns: extra columns may be present; ignore them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Kind(Enum):
    """How a column's cells are read tolerantly and written canonically."""

    TEXT = "text"
    ID = "id"
    DATE = "date"
    TIMESTAMP = "timestamp"
    NUMBER = "number"
    BOOL = "bool"
    LIST = "list"
    SLOTS = "slots"
    CHOICE = "choice"


@dataclass(frozen=True)
class Choice:
    """One allowed value of a choice column, with the words staff may type for it."""

    value: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind = Kind.TEXT
    aliases: tuple[str, ...] = ()
    choices: tuple[Choice, ...] = ()
    personal: bool = False
    lists_column: str | None = None
    """The column of the Lists tab whose values this column's dropdown offers."""

    @property
    def choice_values(self) -> tuple[str, ...]:
        return tuple(choice.value for choice in self.choices)


@dataclass(frozen=True)
class Tab:
    name: str
    columns: tuple[Column, ...]
    id_prefix: str | None = None
    aliases: tuple[str, ...] = ()
    key: str | None = "ID"
    """The column that identifies a row (None: rows are not addressed one by one)."""
    free_text: tuple[str, ...] = field(default=())
    """Free-text columns that may hold personal details about the people of a duo."""
    identity: tuple[str, ...] = field(default=())
    """For a tab without an ID: the columns that together say which row is which (a person's
    registration to a session); an append of a row already there writes nothing."""

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"{self.name} has no column {name!r}")

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)


def _choices(*rows: tuple[str, ...]) -> tuple[Choice, ...]:
    return tuple(Choice(row[0], row[1:]) for row in rows)


ROLE = _choices(("Mentor",), ("Mentee", "Mentoré", "Mentorée", "Menté"))
PARTICIPANT_STATUS = _choices(
    (
        "Applied",
        "Candidat",
        "Candidature",
        "Inscrit",
        "Aangemeld",
        "Kandidaat",
        "New",
        "Nouveau",
    ),
    (
        "Info session",
        "Séance d'info",
        "Séance d'information",
        "Infosessie",
        "Infosessie gevolgd",
    ),
    ("Intake done", "Intake", "Entretien fait", "Entretien réalisé", "Intake gedaan"),
    ("Trained", "Formé", "Formée", "Opgeleid", "Getraind"),
    ("Ready", "Prêt", "Prête", "Klaar", "Klaar om te matchen"),
    ("In duo", "En duo"),
    ("Alumni", "Alumnus", "Ancien", "Ancienne", "Oud-deelnemer"),
    ("On hold", "En pause", "En attente", "Gepauzeerd", "In wacht"),
    (
        "Withdrawn",
        "Retiré",
        "Retirée",
        "Abandon",
        "Teruggetrokken",
        "Afgehaakt",
        "Gestopt",
    ),
)
GENDER = _choices(
    ("Woman", "Femme", "F", "Vrouw", "V", "W", "Female"),
    ("Man", "Homme", "H", "M", "Male"),
    ("Other", "Autre", "Ander", "X"),
    ("Prefer not to say", "Ne souhaite pas le dire", "Zeg ik liever niet", "Onbekend"),
)
DUO_STATUS = _choices(
    ("Proposed", "Proposé", "Voorgesteld"),
    ("Intro planned", "Intro prévue", "Rencontre prévue", "Kennismaking gepland"),
    ("Active", "Actif", "Actief", "Lopend", "En cours"),
    ("Completed", "Terminé", "Afgerond", "Voltooid"),
    ("Ended early", "Arrêté", "Arrêt anticipé", "Fin anticipée", "Vroegtijdig gestopt"),
    ("Declined", "Refusé", "Décliné", "Geweigerd", "Afgewezen"),
)
MEETING_MODE = _choices(
    (
        "In person",
        "En personne",
        "Présentiel",
        "Face à face",
        "Fysiek",
        "Live",
        "Ter plaatse",
    ),
    ("Video", "Vidéo", "Visio", "Videogesprek", "Online", "En ligne"),
    ("Phone", "Téléphone", "Telefoon", "Tel", "Tél"),
)
WITH = _choices(
    ("Mentor",),
    ("Mentee", "Mentoré", "Mentorée"),
    ("Both", "Les deux", "Tous les deux", "Beiden", "Allebei", "Duo"),
)
HEALTH = _choices(
    ("Good", "Bon", "Bien", "Goed", "OK"),
    ("Some concerns", "Quelques inquiétudes", "Inquiétudes", "Enkele zorgen", "Zorgen"),
    ("At risk", "À risque", "En danger", "Risico", "In gevaar"),
)
SESSION_KIND = _choices(
    (
        "Info session",
        "Séance d'info",
        "Séance d'information",
        "Infosessie",
        "Infomoment",
    ),
    ("Training", "Formation", "Opleiding", "Vorming"),
    (
        "Peer exchange",
        "Intervision",
        "Échange entre pairs",
        "Intervisie",
        "Uitwisseling",
    ),
)
ATTENDANCE_STATUS = _choices(
    ("Registered", "Inscrit", "Inscrite", "Ingeschreven"),
    ("Attended", "Présent", "Présente", "Aanwezig"),
    ("Absent", "Afwezig", "Excusé", "Verontschuldigd"),
    ("Cancelled", "Annulé", "Annulée", "Geannuleerd"),
)
RESPONDENT = _choices(
    ("Mentor",),
    ("Mentee", "Mentoré", "Mentorée"),
    ("Coordinator", "Coordinateur", "Coordinatrice", "Coördinator"),
)
OBJECTIVES_MET = _choices(
    ("Yes", "Oui", "Ja"),
    ("Partly", "En partie", "Partiellement", "Gedeeltelijk", "Deels"),
    ("No", "Non", "Nee"),
)
OUTCOME = _choices(
    ("Job", "Emploi", "Travail", "Werk", "Baan"),
    ("Internship", "Stage"),
    ("Training", "Formation", "Opleiding"),
    ("Studies", "Études", "Etudes", "Studie"),
    ("Volunteering", "Bénévolat", "Volontariat", "Vrijwilligerswerk"),
    (
        "Still searching",
        "Toujours en recherche",
        "En recherche",
        "Nog op zoek",
        "Zoekend",
    ),
    ("Other", "Autre", "Ander", "Andere"),
)
CONTRACT = _choices(
    ("Permanent", "CDI", "Vast", "Vast contract", "Onbepaalde duur"),
    ("3 months or more", "3 mois ou plus", "3 maanden of meer", "3 mois et plus"),
    ("Under 3 months", "Moins de 3 mois", "Minder dan 3 maanden", "Less than 3 months"),
    ("None", "Aucun", "Pas de contrat", "Geen", "Geen contract"),
)
GAIN = _choices(
    ("Yes", "Oui", "Ja"),
    ("Partly", "En partie", "Partiellement", "Un peu", "Gedeeltelijk", "Deels", "Een beetje"),
    ("No", "Non", "Nee"),
)
"""A gain the mentee reports at the end: more autonomous, a career plan, a wider network."""
ANOTHER_MENTEE = _choices(
    ("Yes", "Oui", "Ja"),
    ("No", "Non", "Nee"),
    ("Maybe", "Peut-être", "Misschien", "Eventueel"),
)
SOURCE = _choices(
    ("Coordinator", "Coordinateur", "Coordinatrice", "Coördinator", "Coordination"),
    (
        "Self-filled",
        "Rempli soi-même",
        "Auto-évaluation",
        "Lien personnel",
        "Zelf ingevuld",
        "Zelfevaluatie",
        "Persoonlijke link",
    ),
)
"""Who typed an evaluation: the coordinator, or the respondent from their personal link."""
RESIDENCE = _choices(
    (
        "Long-term",
        "Long terme",
        "Séjour long",
        "Séjour illimité",
        "Illimité",
        "Lange termijn",
        "Langdurig",
        "Onbeperkt verblijf",
    ),
    ("Temporary", "Temporaire", "Séjour temporaire", "Limité", "Tijdelijk", "Tijdelijk verblijf"),
    ("Unknown", "Inconnu", "Inconnue", "À vérifier", "Onbekend", "Na te kijken"),
)
"""The mentee's residence in Belgium: the programme asks for a legal long-term residence."""
ORIGIN = _choices(
    (
        "Non-EU nationality",
        "Nationalité hors UE",
        "Hors UE",
        "Non-UE",
        "Niet-EU-nationaliteit",
        "Buiten de EU",
        "Niet-EU",
    ),
    (
        "Parent born outside the EU",
        "(Grand-)parent born outside the EU",
        "Parent né hors UE",
        "(Grand-)parent né hors UE",
        "Grand-parent né hors UE",
        "Ouder geboren buiten de EU",
        "(Groot)ouder geboren buiten de EU",
        "Grootouder geboren buiten de EU",
    ),
    ("Neither", "Ni l'un ni l'autre", "Aucun des deux", "Geen van beide"),
)
"""The mentee's link to a country outside the EU: their nationality, or a (grand)parent's birth."""
LOOKING_FOR = _choices(
    ("Work", "Emploi", "Travail", "Job", "Werk", "Baan"),
    ("Training", "Formation", "Opleiding"),
    ("Both", "Les deux", "Emploi et formation", "Beide", "Allebei", "Werk en opleiding"),
    ("Neither", "Ni l'un ni l'autre", "Aucun", "Rien", "Geen van beide", "Niets"),
)
"""What the mentee is looking for: the programme is for people looking for work or training."""
SITUATION = _choices(
    ("Job", "Emploi", "Travail", "Werk", "Baan"),
    ("Internship", "Stage"),
    (
        "Qualifying training",
        "Formation qualifiante",
        "Formation",
        "Kwalificerende opleiding",
        "Opleiding",
        "Training",
    ),
    ("Studies", "Études", "Etudes", "Studie"),
    ("Looking", "En recherche", "Cherche", "Zoekend", "Nog op zoek", "Still searching"),
    ("Unreachable", "Injoignable", "Pas joignable", "Onbereikbaar", "Niet bereikbaar"),
    ("Unknown", "Inconnu", "Inconnue", "Onbekend"),
)
"""A mentee's situation at a follow-up contact; "Unreachable" is an answer of its own."""
FOLLOW_UP_SOURCE = _choices(
    (
        "Coordinator call",
        "Appel",
        "Appel coordinateur",
        "Appel du coordinateur",
        "Telefoon",
        "Oproep coördinator",
        "Coordinator",
    ),
    ("Self-filled", "Rempli par la personne", "Auto", "Zelf ingevuld", "Self"),
)
MESSAGE_LANGUAGE = _choices(
    ("fr", "Français", "Francais", "French", "Frans", "FR"),
    ("nl", "Nederlands", "Néerlandais", "Dutch", "Vlaams", "NL"),
    ("en", "English", "Anglais", "Engels", "EN"),
)
"""The language the tool writes to a person in (the Apply form's language)."""
OUTBOX_STATUS = _choices(
    ("Queued", "En attente", "À envoyer", "In wachtrij", "Te verzenden"),
    ("Sending", "En cours d'envoi", "Wordt verzonden"),
    ("Sent", "Envoyé", "Envoyée", "Verzonden", "Verstuurd"),
    ("Failed", "Échec", "Échoué", "Mislukt"),
    ("Cancelled", "Annulé", "Annulée", "Geannuleerd"),
)
STAFF_ROLE = _choices(
    ("Admin", "Administrateur", "Administratrice", "Beheerder"),
    ("Coordinator", "Coordinateur", "Coordinatrice", "Coördinator"),
)

DAYS: tuple[tuple[str, ...], ...] = (
    ("Mon", "Monday", "Lundi", "Lun", "Maandag", "Ma"),
    ("Tue", "Tuesday", "Mardi", "Mar", "Dinsdag", "Di"),
    ("Wed", "Wednesday", "Mercredi", "Mer", "Woensdag", "Wo"),
    ("Thu", "Thursday", "Jeudi", "Jeu", "Donderdag", "Do"),
    ("Fri", "Friday", "Vendredi", "Ven", "Vrijdag", "Vr"),
    ("Sat", "Saturday", "Samedi", "Sam", "Zaterdag", "Za"),
    ("Sun", "Sunday", "Dimanche", "Dim", "Zondag", "Zo"),
)
DAY_PARTS: tuple[tuple[str, ...], ...] = (
    ("AM", "Morning", "Matin", "Matinée", "Voormiddag", "Ochtend", "VM"),
    ("PM", "Afternoon", "Après-midi", "Aprem", "Namiddag", "Middag", "NM"),
    ("EVE", "Evening", "Soir", "Soirée", "Avond"),
)
SLOTS: tuple[str, ...] = tuple(f"{day[0]} {part[0]}" for day in DAYS for part in DAY_PARTS)

TEXT, ID, DATE, TIMESTAMP = Kind.TEXT, Kind.ID, Kind.DATE, Kind.TIMESTAMP
NUMBER, BOOL, LIST, CHOICE = Kind.NUMBER, Kind.BOOL, Kind.LIST, Kind.CHOICE


def _col(
    name: str,
    kind: Kind = TEXT,
    *aliases: str,
    choices: tuple[Choice, ...] = (),
    personal: bool = False,
    lists: str | None = None,
) -> Column:
    return Column(name, kind, aliases, choices, personal, lists)


UPDATED_ON = _col("Updated on", TIMESTAMP, "Mis à jour le", "Modifié le", "Bijgewerkt op")
NOTES = _col("Notes", TEXT, "Remarques", "Commentaires", "Opmerkingen", "Notities")
CANCELLED = _col("Cancelled", BOOL, "Annulé", "Annulée", "Annulation", "Geannuleerd")
"""A meeting, check-in or evaluation cancelled from the Duos page: kept, but counted nowhere."""

PARTICIPANTS = Tab(
    "Participants",
    (
        _col("ID", ID, "Identifiant", "Code"),
        _col("Role", CHOICE, "Rôle", "Rol", "Type", choices=ROLE),
        _col("Status", CHOICE, "Statut", "Stade", "Fase", choices=PARTICIPANT_STATUS),
        _col("First name", TEXT, "Prénom", "Voornaam", personal=True),
        _col(
            "Last name",
            TEXT,
            "Nom",
            "Nom de famille",
            "Achternaam",
            "Familienaam",
            personal=True,
        ),
        _col("Email", TEXT, "E-mail", "Courriel", "Adresse e-mail", "Mail", personal=True),
        _col(
            "Phone",
            TEXT,
            "Téléphone",
            "GSM",
            "Telefoon",
            "Telefoonnummer",
            personal=True,
        ),
        _col(
            "Birth date",
            DATE,
            "Date de naissance",
            "Geboortedatum",
            "Né le",
            personal=True,
        ),
        _col("Gender", CHOICE, "Genre", "Sexe", "Geslacht", "Gender", choices=GENDER),
        _col(
            "Office",
            CHOICE,
            "Bureau",
            "Antenne",
            "Kantoor",
            "Afdeling",
            lists="Offices",
        ),
        _col("Postcode", TEXT, "Code postal", "Postcode", "CP", personal=True),
        _col("Languages", LIST, "Langues", "Talen", lists="Languages"),
        _col(
            "Sectors",
            LIST,
            "Secteurs",
            "Secteur",
            "Sectoren",
            "Sector",
            lists="Sectors",
        ),
        _col(
            "Topics",
            LIST,
            "Thèmes",
            "Besoins",
            "Thema's",
            "Onderwerpen",
            lists="Topics",
        ),
        _col("Availability", Kind.SLOTS, "Disponibilités", "Beschikbaarheid"),
        _col(
            "Personality",
            TEXT,
            "Personnalité",
            "Persoonlijkheid",
            "Intérêts",
            personal=True,
        ),
        _col("Preferences", TEXT, "Préférences", "Voorkeuren", personal=True),
        _col("Goal", TEXT, "Objectif", "Motivation", "Doel", "Motivatie", personal=True),
        _col("Background", TEXT, "Parcours", "Achtergrond", "Loopbaan", personal=True),
        _col(
            "Country of origin",
            TEXT,
            "Pays d'origine",
            "Land van herkomst",
            personal=True,
        ),
        _col(
            "Residence",
            CHOICE,
            "Séjour",
            "Titre de séjour",
            "Verblijf",
            "Verblijfsstatus",
            choices=RESIDENCE,
            personal=True,
        ),
        _col(
            "Origin",
            CHOICE,
            "Nationalité ou origine",
            "Nationalité",
            "Nationaliteit of herkomst",
            "Herkomst",
            choices=ORIGIN,
            personal=True,
        ),
        _col(
            "Looking for",
            CHOICE,
            "Recherche",
            "Cherche",
            "Zoekt",
            "Op zoek naar",
            choices=LOOKING_FOR,
        ),
        _col("Capacity", NUMBER, "Capacité", "Capaciteit"),
        _col("Coordinator", TEXT, "Coordinateur", "Coordinatrice", "Coördinator"),
        _col("Source", TEXT, "Origine", "Canal", "Bron", "Via"),
        _col("Applied on", DATE, "Candidature le", "Inscrit le", "Aangemeld op"),
        _col("Consent on", DATE, "Consentement le", "Consentement", "Toestemming op"),
        _col(
            "Opted out on",
            DATE,
            "Désinscrit le",
            "Plus de messages le",
            "Afgemeld op",
            "Geen berichten meer op",
        ),
        _col(
            "Language",
            CHOICE,
            "Langue des messages",
            "Langue de contact",
            "Taal van de berichten",
            "Contacttaal",
            choices=MESSAGE_LANGUAGE,
        ),
        _col("Intake on", DATE, "Entretien le", "Intake le", "Intake op"),
        _col("Trained on", DATE, "Formé le", "Formation le", "Opgeleid op"),
        Column(NOTES.name, NOTES.kind, NOTES.aliases, personal=True),
        UPDATED_ON,
    ),
    id_prefix="P",
)

DUOS = Tab(
    "Duos",
    (
        _col("ID", ID, "Identifiant", "Code"),
        _col("Mentor ID", ID, "ID mentor", "Mentor"),
        _col("Mentee ID", ID, "ID mentoré", "ID mentee", "Mentoré", "Mentee"),
        _col("Office", CHOICE, "Bureau", "Antenne", "Kantoor", lists="Offices"),
        _col("Coordinator", TEXT, "Coordinateur", "Coordinatrice", "Coördinator"),
        _col("Status", CHOICE, "Statut", "Fase", choices=DUO_STATUS),
        _col("Proposed on", DATE, "Proposé le", "Voorgesteld op"),
        _col("Intro on", DATE, "Intro le", "Première rencontre", "Kennismaking op"),
        _col("Intro time", TEXT, "Heure de l'intro", "Heure de la rencontre", "Uur kennismaking"),
        _col("Intro place", TEXT, "Lieu de l'intro", "Lieu de la rencontre", "Plaats kennismaking"),
        _col("Agreement on", DATE, "Convention le", "Signé le", "Overeenkomst op"),
        _col("Planned end", DATE, "Fin prévue", "Geplande einde", "Gepland einde"),
        _col("Ended on", DATE, "Terminé le", "Fin le", "Beëindigd op"),
        _col(
            "End reason",
            TEXT,
            "Motif de fin",
            "Raison de fin",
            "Reden einde",
            lists="End reasons",
        ),
        _col("Match score", NUMBER, "Score", "Score de match", "Matchscore"),
        _col("Match reasons", TEXT, "Raisons du match", "Redenen match"),
        _col("Objectives", TEXT, "Objectifs", "Doelstellingen", "Doelen"),
        _col("Link version", NUMBER, "Version du lien", "Linkversie"),
        NOTES,
        UPDATED_ON,
    ),
    id_prefix="D",
    free_text=("Objectives", "Notes", "Match reasons"),
)

MEETINGS = Tab(
    "Meetings",
    (
        _col("ID", ID, "Identifiant"),
        _col("Duo ID", ID, "ID duo", "Duo"),
        _col("Date", DATE, "Datum"),
        _col("Hours", NUMBER, "Heures", "Durée", "Uren", "Duur"),
        _col("Mode", CHOICE, "Modalité", "Type", "Vorm", choices=MEETING_MODE),
        _col("Topics", LIST, "Thèmes", "Sujets", "Thema's", "Onderwerpen", lists="Topics"),
        _col("Summary", TEXT, "Résumé", "Samenvatting", "Verslag"),
        _col("Logged by", TEXT, "Encodé par", "Noté par", "Ingevoerd door"),
        _col("Logged on", TIMESTAMP, "Encodé le", "Ingevoerd op"),
        CANCELLED,
    ),
    id_prefix="M",
    aliases=("Rencontres", "Réunions", "Ontmoetingen", "Afspraken"),
    free_text=("Summary",),
)

CHECK_INS = Tab(
    "Check-ins",
    (
        _col("ID", ID, "Identifiant"),
        _col("Duo ID", ID, "ID duo", "Duo"),
        _col("Date", DATE, "Datum"),
        _col("Coordinator", TEXT, "Coordinateur", "Coordinatrice", "Coördinator"),
        _col("With", CHOICE, "Avec", "Met", choices=WITH),
        _col("Health", CHOICE, "Santé", "État", "Gezondheid", "Status", choices=HEALTH),
        NOTES,
        _col("Follow-up", TEXT, "Suivi", "Opvolging", "Actie"),
        _col("Logged on", TIMESTAMP, "Encodé le", "Ingevoerd op"),
        CANCELLED,
    ),
    id_prefix="C",
    aliases=("Suivis", "Suivi", "Opvolging", "Opvolgingen"),
    free_text=("Notes", "Follow-up"),
)

SESSIONS = Tab(
    "Sessions",
    (
        _col("ID", ID, "Identifiant"),
        _col("Kind", CHOICE, "Type", "Soort", choices=SESSION_KIND),
        _col("Date", DATE, "Datum"),
        _col("Start time", TEXT, "Début", "Heure de début", "Beginuur", "Van"),
        _col("End time", TEXT, "Fin", "Heure de fin", "Einduur", "Tot"),
        _col("Office", CHOICE, "Bureau", "Antenne", "Kantoor", lists="Offices"),
        _col("Language", CHOICE, "Langue", "Taal", lists="Languages"),
        _col("Capacity", NUMBER, "Capacité", "Places", "Capaciteit", "Plaatsen"),
        _col("Address", TEXT, "Adresse", "Lieu", "Adres", "Locatie"),
        _col("Video link", TEXT, "Lien vidéo", "Lien visio", "Videolink", "Link"),
        _col("What to bring", TEXT, "À apporter", "A apporter", "Mee te brengen", "Meebrengen"),
        NOTES,
    ),
    id_prefix="S",
    aliases=("Séances", "Sessies"),
)

ATTENDANCE = Tab(
    "Attendance",
    (
        _col("Session ID", ID, "ID séance", "ID session", "Sessie ID", "Séance", "Sessie"),
        _col(
            "Participant ID",
            ID,
            "ID participant",
            "Deelnemer ID",
            "Participant",
            "Deelnemer",
        ),
        _col(
            "Status",
            CHOICE,
            "Statut",
            "Présence",
            "Aanwezigheid",
            choices=ATTENDANCE_STATUS,
        ),
        UPDATED_ON,
    ),
    aliases=("Présences", "Aanwezigheden"),
    key=None,
    identity=("Session ID", "Participant ID"),
)

EVALUATIONS = Tab(
    "Evaluations",
    (
        _col("ID", ID, "Identifiant"),
        _col("Duo ID", ID, "ID duo", "Duo"),
        _col(
            "Respondent",
            CHOICE,
            "Répondant",
            "Respondent",
            "Invuller",
            choices=RESPONDENT,
        ),
        _col("Date", DATE, "Datum"),
        _col(
            "Objectives met",
            CHOICE,
            "Objectifs atteints",
            "Doelen bereikt",
            "Doelstellingen bereikt",
            choices=OBJECTIVES_MET,
        ),
        _col(
            "Outcome",
            CHOICE,
            "Résultat",
            "Issue",
            "Resultaat",
            "Uitkomst",
            choices=OUTCOME,
        ),
        _col("Contract", CHOICE, "Contrat", "Contract", choices=CONTRACT),
        _col("Satisfaction", NUMBER, "Tevredenheid"),
        _col("Comments", TEXT, "Commentaires", "Remarques", "Opmerkingen", "Commentaar"),
        _col(
            "Autonomy",
            CHOICE,
            "Autonomie",
            "Plus autonome",
            "Zelfstandigheid",
            "Zelfstandiger",
            choices=GAIN,
        ),
        _col(
            "Career plan",
            CHOICE,
            "Projet professionnel",
            "Projet de carrière",
            "Loopbaanplan",
            "Beroepsproject",
            choices=GAIN,
        ),
        _col(
            "Network",
            CHOICE,
            "Réseau",
            "Réseau élargi",
            "Netwerk",
            "Netwerk uitgebreid",
            choices=GAIN,
        ),
        _col(
            "Another mentee",
            CHOICE,
            "Autre mentoré",
            "Nouveau mentoré",
            "Nog een mentee",
            "Nieuwe mentee",
            choices=ANOTHER_MENTEE,
        ),
        _col("Source", CHOICE, "Origine", "Saisi par", "Bron", "Ingevuld door", choices=SOURCE),
        CANCELLED,
    ),
    id_prefix="E",
    aliases=("Évaluations", "Evaluaties"),
    free_text=("Comments",),
)

FOLLOW_UPS = Tab(
    "Follow-ups",
    (
        _col("ID", ID, "Identifiant"),
        _col("Duo ID", ID, "ID duo", "Duo"),
        _col("Person ID", ID, "ID personne", "ID participant", "Deelnemer ID", "Personne"),
        _col("Due on", DATE, "Prévu le", "À faire le", "Gepland op", "Te doen op"),
        _col("Done on", DATE, "Fait le", "Contacté le", "Gedaan op", "Gecontacteerd op"),
        _col("Situation", CHOICE, "Situation", "Situatie", "Toestand", choices=SITUATION),
        _col("Contract", CHOICE, "Contrat", "Contract", choices=CONTRACT),
        _col("Source", CHOICE, "Source", "Origine", "Bron", choices=FOLLOW_UP_SOURCE),
        NOTES,
        _col("Logged on", TIMESTAMP, "Encodé le", "Ingevoerd op"),
        CANCELLED,
    ),
    id_prefix="F",
    aliases=("Suivis après", "Suivi après le duo", "Nazorg", "Opvolging na"),
    free_text=("Notes",),
)
"""The contacts with a mentee 3, 6 and 12 months after the duo's start (the months are
settings), for the figures DUO publishes: a follow-up cancelled from the app is kept, but
counted nowhere."""

BUDGETS = Tab(
    "Budgets",
    (
        _col("Office", CHOICE, "Bureau", "Antenne", "Kantoor", lists="Offices"),
        _col("Year", NUMBER, "Année", "Jaar"),
        _col("Budget", NUMBER, "Montant", "Bedrag", "Budget (EUR)"),
        NOTES,
        UPDATED_ON,
    ),
    aliases=("Budget", "Begrotingen", "Begroting"),
    key=None,
)
"""An office's yearly budget in euros, entered by an admin (the cost per duo's numerator).

A changed budget is a new row: for an office and year, the row updated last counts (then the
lowest in the sheet), so the earlier amounts stay as their history."""

STAFF = Tab(
    "Staff",
    (
        _col("Email", TEXT, "E-mail", "Courriel", "Mail"),
        _col("Name", TEXT, "Nom", "Naam"),
        _col("Role", CHOICE, "Rôle", "Rol", choices=STAFF_ROLE),
        _col("Offices", LIST, "Bureaux", "Antennes", "Kantoren", lists="Offices"),
        _col("Active", BOOL, "Actif", "Active", "Actief"),
        _col("Language", CHOICE, "Langue", "Taal", choices=MESSAGE_LANGUAGE),
    ),
    aliases=("Équipe", "Personnel", "Medewerkers", "Team"),
    key="Email",
)

LISTS = Tab(
    "Lists",
    (
        _col("Offices", TEXT, "Bureaux", "Antennes", "Kantoren"),
        _col("Sectors", TEXT, "Secteurs", "Sectoren"),
        _col("Languages", TEXT, "Langues", "Talen"),
        _col("Topics", TEXT, "Thèmes", "Thema's", "Onderwerpen"),
        _col("End reasons", TEXT, "Motifs de fin", "Redenen einde"),
    ),
    aliases=("Listes", "Lijsten"),
    key=None,
)

AUDIT = Tab(
    "Audit",
    (
        _col("When", TIMESTAMP, "Quand", "Wanneer"),
        _col("Who", TEXT, "Qui", "Wie"),
        _col("Action", TEXT, "Actie"),
        _col("Tab", TEXT, "Onglet", "Tabblad"),
        _col("Record ID", ID, "ID", "ID enregistrement", "Record"),
        _col("Details", TEXT, "Détails"),
    ),
    aliases=("Journal", "Logboek"),
    key=None,
)

SETTINGS = Tab(
    "Settings",
    (
        _col("Name", TEXT, "Nom", "Naam", "Réglage", "Instelling"),
        _col("Value", TEXT, "Valeur", "Waarde"),
        UPDATED_ON,
    ),
    aliases=("Réglages", "Paramètres", "Instellingen"),
    key="Name",
)
"""Admins' settings (attention thresholds, matching weights, ...): one row per changed setting.

Not in workbook.md's list: the app keeps them in the workbook so that every coordinator and
every app process shares them, and staff can see them.
"""

OUTBOX = Tab(
    "Outbox",
    (
        _col("ID", ID, "Identifiant"),
        _col("Kind", TEXT, "Type", "Soort"),
        _col("To", TEXT, "À", "Destinataire", "Aan", "Ontvanger", personal=True),
        _col("Language", TEXT, "Langue", "Taal"),
        _col("Subject", TEXT, "Objet", "Sujet", "Onderwerp"),
        _col("Body", TEXT, "Texte", "Message", "Tekst", "Bericht", personal=True),
        _col("Calendar", TEXT, "Calendrier", "Invitation", "Agenda", "Uitnodiging"),
        _col("Record ID", ID, "ID enregistrement", "Record", "Dossier"),
        _col("Dedupe key", TEXT, "Clé", "Clé unique", "Sleutel"),
        _col("Status", CHOICE, "Statut", "État", "Status", choices=OUTBOX_STATUS),
        _col("Queued on", TIMESTAMP, "En attente depuis", "Mis en file le", "In wachtrij op"),
        _col("Sent on", TIMESTAMP, "Envoyé le", "Verzonden op"),
        _col("Via", TEXT, "Par", "Envoyé par", "Verzonden via"),
        _col("Attempts", NUMBER, "Essais", "Tentatives", "Pogingen"),
        _col("Error", TEXT, "Erreur", "Fout"),
    ),
    id_prefix="O",
    aliases=("Boîte d'envoi", "Envois", "Uitgaand", "Postvak uit"),
)
"""One row per message the tool sends (or offers to send): the record of what went out.

A message's dedupe key (kind, record, person, period) queued or sent once is never queued
again; staff may set a queued row's Status to Cancelled by hand and it is not sent.
"""

TEMPLATES = Tab(
    "Templates",
    (
        _col("Kind", TEXT, "Type", "Soort"),
        _col("Language", TEXT, "Langue", "Taal"),
        _col("Subject", TEXT, "Objet", "Sujet", "Onderwerp"),
        _col("Body", TEXT, "Texte", "Message", "Tekst", "Bericht"),
        UPDATED_ON,
    ),
    aliases=("Modèles", "Sjablonen"),
    key=None,
)
"""Admins' wording of the messages: one row per kind and language that differs from the
default (`message_templates.toml`)."""

TABS: tuple[Tab, ...] = (
    PARTICIPANTS,
    DUOS,
    MEETINGS,
    CHECK_INS,
    SESSIONS,
    ATTENDANCE,
    EVALUATIONS,
    FOLLOW_UPS,
    STAFF,
    LISTS,
    BUDGETS,
    SETTINGS,
    OUTBOX,
    TEMPLATES,
    AUDIT,
)
TABS_BY_NAME: dict[str, Tab] = {tab.name: tab for tab in TABS}


def tab(name: str) -> Tab:
    """The tab definition for a canonical tab name."""
    return TABS_BY_NAME[name]


LANGUAGES: tuple[tuple[str, ...], ...] = (
    ("French", "Français", "Francais", "Frans", "FR"),
    ("Dutch", "Néerlandais", "Nederlands", "Vlaams", "Flemish", "NL"),
    ("English", "Anglais", "Engels", "EN"),
    ("German", "Allemand", "Duits", "Deutsch", "DE"),
    ("Arabic", "Arabe", "Arabisch"),
    ("Berber", "Berbère", "Amazigh", "Tamazight", "Berbers"),
    ("Turkish", "Turc", "Turks"),
    ("Spanish", "Espagnol", "Spaans"),
    ("Portuguese", "Portugais", "Portugees"),
    ("Italian", "Italien", "Italiaans"),
    ("Russian", "Russe", "Russisch"),
    ("Ukrainian", "Ukrainien", "Oekraïens"),
    ("Dari", "Persian", "Persan", "Farsi", "Perzisch"),
    ("Pashto", "Pachto", "Pasjtoe"),
    ("Tigrinya", "Tigrigna", "Tigrinia"),
    ("Somali", "Somalien", "Somalisch"),
    ("Lingala",),
    ("Swahili",),
    ("Kurdish", "Kurde", "Koerdisch"),
    ("Albanian", "Albanais", "Albanees"),
    ("Romanian", "Roumain", "Roemeens"),
    ("Polish", "Polonais", "Pools"),
)
"""Language names staff may type, mapped to the English name the app stores and matches on."""

PROGRAMME_LANGUAGES: tuple[str, ...] = ("French", "Dutch", "English")
