"""The demo's activity, planned in plain Python before anything is written: annexes financières, hires,
contracts, monthly hours and exits, and the monthly declarations of 2024, 2025 and 2026.

Everything comes from seeded random generators, so the plan, and the database written from it, is the same on
every run. The 2025 hours are distributed so that the département table, as the application computes it from the
declarations, is the Meuse bilan's (seed 000): the *hours* of each kind are fixed (ETP réalisés × annual hours of a
post, in cents), not the figures the application derives from them.

2025 and 2026 are drawn first, from the salariés in parcours on 1 January 2025. 2024 is drawn after them, from a
second generator, so that adding it changed nothing of theirs: its salariés are those already there on
1 January 2025 (hired in 2023 or 2024) and those who left during 2024. Then the exit motifs are adjusted to the
rates of sorties dynamiques of the seeds (sorties.py), the situation at hire to the objectives (publics.py), and a
few PASS IAE are suspended or prolonged (cycle_pass.py): none of this touches a date or an hour.
"""

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from base.calendrier import dernier_jour_du_mois, mois_entre
from conventions.regles import HEURES_ANNUELLES_PAR_DEFAUT
from demo.cycle_pass import CycleDuPass, planifier_cycle_du_pass
from demo.publics import ajuster_publics
from demo.sorties import MOTIFS, MOTIFS_RUPTURE, ajuster_sorties
from parcours.regles import HEURES_MAX_PAR_MOIS, age_au, ajouter_mois, fin_pass_iae

GRAINE = 55
# The generator of what was added after 2025 and 2026: 2024, the exit motifs, the publics, the PASS samples.
GRAINE_SUITE = 2024
# The demo's "today": October 2026 is due since 15 November, November and December are not.
AUJOURD_HUI = dt.date(2026, 11, 23)
ANNEE_PRECEDENTE = 2024
ANNEE_CLOSE = 2025
ANNEE_EN_COURS = 2026
PREMIER_MOIS = dt.date(ANNEE_CLOSE, 1, 1)  # the first month drawn (2024 is drawn afterwards)
DERNIER_MOIS_DU = dt.date(ANNEE_EN_COURS, 10, 1)
CENT = Decimal("0.01")

# Seed 000 (bilan of the Meuse CDIAE): ETP réalisés of the year by kind. The year's hours of a kind are this
# figure × the annual hours of a post (ACI 425,85 × 1 820 h = 775 047,00 h), spread over structures, months and
# salariés in cents.
ETP_REALISES_DU_BILAN = {
    "ACI": Decimal("425.85"),
    "AI": Decimal("54.07"),
    "ETTI": Decimal("18.12"),
    "EI": Decimal("32.83"),
}


@dataclass(frozen=True)
class Avenant:
    mois_effet: dt.date
    etp: Decimal
    motif: str


@dataclass(frozen=True)
class Profil:
    """One structure's two annexes and how it consumes them. `taux_*` are indicative: 2025's are scaled by kind
    so that the kind's hours are the bilan's."""

    etp_2025: str
    taux_2025: str
    etp_2026: str
    taux_2026: str
    modulation: str  # in % of the socle
    cofinancement_cd: str = "0"
    avenant_2025: Avenant | None = None
    avenant_2026: Avenant | None = None


def _avenant(annee, mois, etp, motif):
    return Avenant(dt.date(annee, mois, 1), Decimal(etp), motif)


# In the order of the structures (rang 1 to 28: 20 ACI, 3 AI, 2 ETTI, 3 EI). The Département co-finances eight
# ACI for 400 000 € a year, as in the bilan. 2025's ACI headcounts add up to the
# bilan's 426,99 ETP (the third one: 16 ETP for 8 months, 19 for 4, i.e. 17 over the year), AI 54, ETTI 20, EI 32.
PROFILS = [
    Profil("32.00", "1.018", "32.00", "1.007", "5", "68000.00"),
    Profil("28.50", "0.972", "28.50", "0.988", "4"),
    Profil(
        "16.00", "1.037", "19.00", "1.032", "6", "45500.00",
        avenant_2025=_avenant(2025, 9, "19.00", "Ouverture d'un second chantier de maraîchage"),
    ),
    Profil("24.00", "0.927", "23.00", "0.947", "2"),
    Profil("21.00", "1.004", "21.00", "0.998", "5", "41000.00"),
    Profil("18.50", "0.986", "18.50", "0.969", "3.5", "34000.00"),
    Profil("26.00", "1.061", "27.00", "1.043", "8"),
    Profil("15.00", "0.908", "14.00", "0.926", "1"),
    Profil("22.49", "1.013", "22.49", "1.004", "4.5"),
    Profil("30.00", "0.979", "30.00", "0.983", "5.5", "61500.00"),
    Profil(
        "12.00", "0.893", "12.00", "0.902", "0",
        avenant_2026=_avenant(2026, 7, "10.00", "Dialogue de gestion de mi-année : reprise de 2 ETP non consommés"),
    ),
    Profil("19.50", "1.026", "20.00", "1.021", "7"),
    Profil("25.00", "0.994", "25.00", "1.001", "5", "54600.00"),
    Profil("16.00", "1.002", "16.00", "0.962", "3", "27300.00"),
    Profil("20.00", "0.957", "20.00", "0.974", "4"),
    Profil("14.50", "1.048", "15.50", "1.052", "9"),
    Profil("27.00", "0.991", "27.00", "0.987", "5", "68100.00"),
    Profil("18.00", "1.016", "18.00", "1.012", "6"),
    Profil("23.00", "0.938", "22.00", "0.958", "2.5"),
    Profil("17.50", "1.009", "17.50", "1.018", "5"),
    # AI
    Profil("24.00", "1.043", "24.00", "1.022", "5"),
    Profil("18.00", "0.948", "18.00", "0.956", "3"),
    Profil("12.00", "1.017", "13.00", "1.013", "6"),
    # ETTI
    Profil("12.00", "0.868", "12.00", "0.917", "2"),
    Profil("8.00", "0.963", "9.00", "0.972", "4"),
    # EI
    Profil("14.00", "1.053", "14.00", "1.031", "7"),
    Profil("10.00", "0.986", "10.00", "0.997", "5"),
    Profil("8.00", "1.042", "9.00", "1.024", "6"),
]  # fmt: skip

# 2024, by rang: the annexe's ETP and indicative rate of consumption (modulation and co-financing as in 2025).
# Most 2024 annexes are closed (CLOTURE) since the ASP's last regularisation; these ones are still VALIDE.
PROFILS_2024 = [
    ("32.00", "1.004"), ("28.50", "0.981"), ("16.00", "1.012"), ("24.00", "0.941"), ("20.00", "1.021"),
    ("18.50", "0.975"), ("24.00", "1.038"), ("15.00", "0.921"), ("22.49", "0.996"), ("30.00", "0.987"),
    ("13.00", "0.884"), ("19.50", "1.011"), ("25.00", "0.990"), ("16.00", "1.008"), ("20.00", "0.963"),
    ("14.00", "1.041"), ("27.00", "0.985"), ("18.00", "1.009"), ("23.00", "0.952"), ("17.50", "1.002"),
    # AI
    ("24.00", "1.031"), ("18.00", "0.962"), ("12.00", "1.008"),
    # ETTI
    ("12.00", "0.902"), ("8.00", "0.948"),
    # EI
    ("13.00", "1.047"), ("10.00", "0.979"), ("8.00", "1.036"),
]  # fmt: skip
AVENANTS_2024 = {7: _avenant(2024, 6, "26.00", "Reprise d'un chantier d'insertion d'une structure voisine")}
VALIDEES_2024 = {9, 16, 23, 27}

# 2026, by rang: October declarations sent after the 15 November deadline, October not declared at all, and
# the states of the months the DDETS has not finished validating.
OCTOBRE_EN_RETARD = {4, 8, 24, 27}
OCTOBRE_MANQUANT = {15, 22}
OCTOBRE_VALIDE = {1, 5, 9, 13, 17}
NON_VALIDEES_2026 = {dt.date(2026, 8, 1): {19}, dt.date(2026, 9, 1): {2, 12, 19, 23}}
# One August declaration sent back to its structure, and one 2025 declaration corrected after its validation.
A_CORRIGER = (
    28,
    dt.date(2026, 8, 1),
    "Deux salariés ont les mêmes heures qu'en juillet au centime près : merci de vérifier.",
)
CORRIGEE = (2, dt.date(2025, 3, 1))

OBJECTIF_PART_BRSA = {"ACI": "40", "AI": "35", "ETTI": "30", "EI": "35"}


# Length of a parcours in days (triangular: shortest, longest, most frequent); it ends before its PASS IAE.
DUREES = {"ACI": (120, 700, 360), "EI": (120, 700, 300), "AI": (60, 700, 240), "ETTI": (45, 700, 200)}
PART_RUPTURES = {"ACI": 0.08, "EI": 0.10, "AI": 0.0, "ETTI": 0.0}
HEURES_HEBDO = {
    "ACI": {"20": 4, "24": 10, "26": 26, "28": 26, "30": 26, "35": 8},
    "EI": {"26": 15, "28": 20, "30": 30, "35": 35},
}  # fmt: skip
# Months of holidays: fewer hours worked.
SAISON = {
    "ACI": {7: 0.95, 8: 0.84, 12: 0.92},
    "EI": {7: 0.94, 8: 0.82, 12: 0.93},
    "AI": {7: 0.9, 8: 0.78, 12: 0.88},
    "ETTI": {7: 0.92, 8: 0.8, 12: 0.85},
}
# Expected hours of one person in one month (presence, absences and seasons included): sizes the workforce.
HEURES_MOYENNES = {"ACI": 106.0, "EI": 112.0, "AI": 68.0, "ETTI": 92.0}

FEMMES = {"ACI": 0.38, "EI": 0.36, "AI": 0.52, "ETTI": 0.22}
# bRSA at hire, from 25 (under 25, the RSA is the exception: young parents).
BRSA = {"ACI": 0.52, "EI": 0.40, "AI": 0.45, "ETTI": 0.34}
BRSA_MOINS_DE_25_ANS = 0.05

PRENOMS = {
    "F": [
        "Amandine", "Aurélie", "Camille", "Céline", "Chloé", "Christelle", "Élodie", "Émilie", "Fatima", "Inès",
        "Jessica", "Julie", "Karine", "Laetitia", "Laura", "Léa", "Lucie", "Manon", "Marie", "Mélanie", "Nadia",
        "Nathalie", "Océane", "Pauline", "Sabrina", "Sandrine", "Sarah", "Sophie", "Stéphanie", "Valérie",
        "Virginie", "Yasmina", "Sylvie", "Martine", "Brigitte", "Josiane", "Coralie", "Anaïs", "Morgane", "Aline",
    ],
    "M": [
        "Alexandre", "Antoine", "Arnaud", "Bruno", "Cédric", "Christophe", "Damien", "David", "Dylan", "Éric",
        "Fabien", "Florian", "Franck", "Grégory", "Guillaume", "Hervé", "Jérémy", "Jérôme", "Julien", "Karim",
        "Kevin", "Laurent", "Loïc", "Ludovic", "Mathieu", "Mehdi", "Mickaël", "Nicolas", "Olivier", "Pascal",
        "Patrick", "Philippe", "Romain", "Samir", "Sébastien", "Stéphane", "Thierry", "Thomas", "Yannick", "Joël",
    ],
}  # fmt: skip
# Fictive surnames, each marked as such ("Fictif-…"), so that no demo line can be taken for a real person.
NOMS = [
    "Aubry", "Barbier", "Bertin", "Blanchard", "Bouvier", "Brun", "Carpentier", "Chevalier", "Collin", "Colin",
    "Cordier", "Courtois", "Didier", "Dumont", "Durand", "Étienne", "Fabre", "Faure", "Fleury", "Fontaine",
    "François", "Gaillard", "Garnier", "Gauthier", "Gérard", "Gillet", "Guérin", "Henry", "Hubert", "Humbert",
    "Jacob", "Jacquot", "Klein", "Lambert", "Laurent", "Lecomte", "Lefèvre", "Lemoine", "Leroy", "Marchal",
    "Marchand", "Masson", "Mathieu", "Mercier", "Meyer", "Michel", "Morel", "Muller", "Nicolas", "Noël",
    "Perrin", "Petitjean", "Pierson", "Poirot", "Renard", "Roussel", "Schmitt", "Thiery", "Thomas", "Vautrin",
]  # fmt: skip
NIVEAUX = {"SANS": 20, "INFRA_CAP": 24, "CAP_BEP": 36, "BAC": 14, "BAC_PLUS_2": 5, "BAC_PLUS_3": 1}


@dataclass
class Embauche:
    """A salarié, their PASS IAE and their parcours in one structure, with the contracts and the hours of every
    month the demo declares."""

    rang: int
    numero_pass: str
    nom: str
    prenom: str
    date_naissance: dt.date
    genre: str
    date_embauche: dt.date
    sortie_prevue: dt.date
    motif_sortie: str
    situation: dict
    type_contrat: str
    heures_hebdo: Decimal | None
    intensite: float  # AI, ETTI: the share of a full month of work the person usually gets
    contrats: list[tuple[str, dt.date, dt.date | None, Decimal | None]] = field(default_factory=list)
    date_sortie: dt.date | None = None  # the exit as declared (None while it is not)
    heures: dict[dt.date, Decimal] = field(default_factory=dict)
    auto_prescription: bool = False  # hired on the structure's own eligibility diagnosis

    @property
    def fin_pass(self) -> dt.date:
        return fin_pass_iae(self.date_embauche)

    def present(self, mois: dt.date) -> bool:
        return self.date_embauche <= dernier_jour_du_mois(mois) and self.sortie_prevue >= mois

    def valeurs(self) -> dict:
        """What `parcours.services.enregistrer_embauches` takes."""
        return {
            "numero_pass": self.numero_pass,
            "nom": self.nom,
            "prenom": self.prenom,
            "date_naissance": self.date_naissance,
            "genre": self.genre,
            "date_debut_pass": self.date_embauche,
            "date_embauche": self.date_embauche,
            "type_contrat": self.type_contrat,
            "heures_hebdo": self.heures_hebdo,
            **self.situation,
        }


@dataclass
class AnnexePrevue:
    rang: int
    annee: int
    numero: str  # version A0M0
    etp: Decimal
    avenant: Avenant | None
    valeurs: dict  # the other fields of creer_annexe

    def etp_du_mois(self, mois: dt.date) -> Decimal:
        if self.avenant and mois >= self.avenant.mois_effet:
            return self.avenant.etp
        return self.etp


@dataclass
class DeclarationPrevue:
    rang: int
    mois: dt.date
    transmission: dt.datetime  # local time
    etat: str  # VALIDEE, TRANSMISE or A_CORRIGER
    motif_retour: str = ""
    premiere_version: dt.datetime | None = None  # a validated version later corrected: when it was sent


@dataclass
class Plan:
    types: list[str]
    annexes: list[AnnexePrevue]
    embauches: list[Embauche]
    declarations: list[DeclarationPrevue]
    cycle_du_pass: CycleDuPass

    def __post_init__(self):
        self.par_rang = {}
        for embauche in self.embauches:
            self.par_rang.setdefault(embauche.rang, []).append(embauche)

    def lignes(self, rang: int, mois: dt.date) -> list[tuple[Embauche, Decimal, dt.date | None, str]]:
        """(embauche, hours, exit date, exit motif) of the structure's declaration for the month."""
        lignes = []
        for embauche in self.par_rang.get(rang, []):
            if mois in embauche.heures:
                sort = embauche.date_sortie is not None and embauche.date_sortie <= dernier_jour_du_mois(mois)
                lignes.append(
                    (embauche, embauche.heures[mois], embauche.date_sortie if sort else None,
                     embauche.motif_sortie if sort else "")
                )  # fmt: skip
        return lignes


def _tirage(rng: random.Random, poids: dict) -> str:
    return rng.choices(list(poids), weights=list(poids.values()))[0]


def numero_annexe(type_: str, annee: int, ordre: int) -> str:
    return f"{type_}055{annee % 100:02d}{ordre:04d}A0M0"


def periodes_de_convention(rang: int) -> list[tuple[dt.date, dt.date]]:
    """Conventions of 3 years: most structures renewed theirs for 2025-2027 (after 2022-2024), a third for
    2026-2028 (after 2023-2025)."""
    if rang % 3 == 0:
        return [(dt.date(2023, 1, 1), dt.date(2025, 12, 31)), (dt.date(2026, 1, 1), dt.date(2028, 12, 31))]
    return [(dt.date(2022, 1, 1), dt.date(2024, 12, 31)), (dt.date(2025, 1, 1), dt.date(2027, 12, 31))]


def mois_declares(rang: int, annee: int) -> list[dt.date]:
    if annee <= ANNEE_CLOSE:
        return mois_entre(dt.date(annee, 1, 1), dt.date(annee, 12, 1))
    dernier = dt.date(annee, 9, 1) if rang in OCTOBRE_MANQUANT else DERNIER_MOIS_DU
    return mois_entre(dt.date(annee, 1, 1), dernier)


def _annexes(types: list[str]) -> list[AnnexePrevue]:
    annexes, ordres = [], {}
    for rang, (type_, profil) in enumerate(zip(types, PROFILS, strict=True), start=1):
        ordres[type_] = ordres.get(type_, 0) + 1
        for annee, etp, avenant in (
            (ANNEE_PRECEDENTE, PROFILS_2024[rang - 1][0], AVENANTS_2024.get(rang)),
            (ANNEE_CLOSE, profil.etp_2025, profil.avenant_2025),
            (ANNEE_EN_COURS, profil.etp_2026, profil.avenant_2026),
        ):
            close = annee == ANNEE_PRECEDENTE and rang not in VALIDEES_2024
            annexes.append(
                AnnexePrevue(
                    rang=rang,
                    annee=annee,
                    numero=numero_annexe(type_, annee, ordres[type_]),
                    etp=Decimal(etp),
                    avenant=avenant,
                    valeurs={
                        "type": type_,
                        "date_debut": dt.date(annee, 1, 1),
                        "date_fin": dt.date(annee, 12, 31),
                        "etat": "CLOTURE" if close else "VALIDE",
                        "etp_conventionnes": Decimal(etp),
                        "heures_annuelles_par_etp": HEURES_ANNUELLES_PAR_DEFAUT[type_],
                        "taux_modulation": Decimal(profil.modulation) / 100,
                        "montant_cofinance_cd": Decimal(profil.cofinancement_cd),
                        "objectif_sorties_dynamiques": Decimal("60") if rang % 7 else Decimal("55"),
                        "objectif_emploi_durable": Decimal("25") if rang % 5 else Decimal("22"),
                        "objectif_part_brsa": Decimal(OBJECTIF_PART_BRSA[type_]),
                    },
                )
            )
    return annexes


def _heures_cibles(annexes: list[AnnexePrevue], types: list[str]) -> dict[tuple[int, int], Decimal]:
    """The hours each structure declares over each year, in cents. 2025: the indicative rates scaled so that
    each kind's total is the bilan's, exactly."""
    cibles, brutes_2025 = {}, {}
    for annexe in annexes:
        profil = PROFILS[annexe.rang - 1]
        taux = Decimal(
            {
                ANNEE_PRECEDENTE: PROFILS_2024[annexe.rang - 1][1],
                ANNEE_CLOSE: profil.taux_2025,
                ANNEE_EN_COURS: profil.taux_2026,
            }[annexe.annee]
        )
        etp_mois = sum(annexe.etp_du_mois(m) for m in mois_declares(annexe.rang, annexe.annee))
        brut = taux * etp_mois * annexe.valeurs["heures_annuelles_par_etp"] / 12
        if annexe.annee == ANNEE_CLOSE:
            brutes_2025[annexe.rang] = brut
        else:
            cibles[(annexe.rang, annexe.annee)] = brut.quantize(CENT, ROUND_HALF_UP)
    for type_, etp_realises in ETP_REALISES_DU_BILAN.items():
        total = etp_realises * HEURES_ANNUELLES_PAR_DEFAUT[type_]
        rangs = [r for r in brutes_2025 if types[r - 1] == type_]
        somme = sum(brutes_2025[r] for r in rangs)
        parts = {r: (brutes_2025[r] * total / somme).quantize(CENT, ROUND_HALF_UP) for r in rangs}
        parts[max(rangs, key=lambda r: parts[r])] += total - sum(parts.values())
        cibles.update({(r, ANNEE_CLOSE): h for r, h in parts.items()})
    return cibles


class _Identites:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.vues = set()
        self.compteurs = {}

    def numero_pass(self, debut: dt.date) -> str:
        annee = debut.year % 100
        self.compteurs[annee] = self.compteurs.get(annee, 0) + 1
        return f"99999{annee:02d}{self.compteurs[annee]:05d}"

    def personne(self, genre: str, embauche: dt.date) -> tuple[str, str, dt.date]:
        rng = self.rng
        while True:
            tranche = rng.random()
            bas, haut = (18, 25) if tranche < 0.2 else (26, 49) if tranche < 0.76 else (50, 62)
            age = rng.randint(bas, haut)
            naissance = ajouter_mois(embauche, -12 * age) - dt.timedelta(days=rng.randint(0, 360))
            nom, prenom = f"Fictif-{rng.choice(NOMS)}", rng.choice(PRENOMS[genre])
            if (nom, prenom, naissance) not in self.vues and 18 <= age_au(naissance, embauche) <= 62:
                self.vues.add((nom, prenom, naissance))
                return nom, prenom, naissance


def _nouvelle_embauche(rng, identites, rang, type_, embauche: dt.date, duree: int) -> Embauche:
    genre = "F" if rng.random() < FEMMES[type_] else "M"
    nom, prenom, naissance = identites.personne(genre, embauche)
    sortie = embauche + dt.timedelta(days=duree)
    if duree < 120 and type_ in ("ACI", "EI"):
        motif = _tirage(rng, MOTIFS_RUPTURE)
    else:
        motif = _tirage(rng, MOTIFS[type_])
        while motif == "RETRAITE" and age_au(naissance, sortie) < 60:
            motif = _tirage(rng, MOTIFS[type_])
    chomage = rng.random()
    situation = {
        "brsa": rng.random() < (BRSA[type_] if age_au(naissance, embauche) >= 25 else BRSA_MOINS_DE_25_ANS),
        "qpv": rng.random() < 0.13,
        "zrr": rng.random() < 0.34,
        "rqth": rng.random() < 0.11,
        "niveau_formation": _tirage(rng, NIVEAUX) if rng.random() < 0.92 else "",
        "duree_chomage": "DELD" if chomage < 0.27 else "DETLD" if chomage < 0.5 else "",
    }
    if type_ in ("ACI", "EI"):
        type_contrat, heures_hebdo = "CDDI", Decimal(_tirage(rng, HEURES_HEBDO[type_]))
    elif type_ == "AI":
        type_contrat, heures_hebdo = ("CDDU" if rng.random() < 0.75 else "MISSION"), None
    else:
        type_contrat, heures_hebdo = "MISSION", Decimal("35")
    return Embauche(
        rang=rang,
        numero_pass=identites.numero_pass(embauche),
        nom=nom,
        prenom=prenom,
        date_naissance=naissance,
        genre=genre,
        date_embauche=embauche,
        sortie_prevue=sortie,
        motif_sortie=motif,
        situation=situation,
        type_contrat=type_contrat,
        heures_hebdo=heures_hebdo,
        intensite=rng.uniform(0.45, 1.0) if type_ == "AI" else rng.uniform(0.6, 1.0),
    )


def _duree(rng, type_) -> int:
    if rng.random() < PART_RUPTURES[type_]:
        return rng.randint(45, 119)
    bas, haut, mode = DUREES[type_]
    return round(rng.triangular(bas, haut, mode))


def _effectifs(rang, type_, annexes, cibles, annees=(ANNEE_CLOSE, ANNEE_EN_COURS)) -> dict[dt.date, int]:
    """The headcount to keep each month, from the hours the structure will declare."""
    effectifs = {}
    for annee in annees:
        mois = mois_declares(rang, annee)
        annexe = next(a for a in annexes if a.rang == rang and a.annee == annee)
        etp_mois = sum(annexe.etp_du_mois(m) for m in mois)
        for m in mois:
            part = float(annexe.etp_du_mois(m) / etp_mois) if etp_mois else 0
            effectifs[m] = round(float(cibles[(rang, annee)]) * part / HEURES_MOYENNES[type_])
    return effectifs


def _simuler(rng, identites, rang, type_, effectifs) -> list[Embauche]:
    """Hires keep the headcount: the salariés in parcours on 1 January 2025, then each month as many hires as
    needed to replace the month's exits."""
    embauches = []
    for _ in range(effectifs[PREMIER_MOIS]):
        duree = _duree(rng, type_)
        debut = PREMIER_MOIS - dt.timedelta(days=rng.randint(1, duree - 1))
        embauches.append(_nouvelle_embauche(rng, identites, rang, type_, debut, duree))
    for mois, effectif in effectifs.items():
        fin = dernier_jour_du_mois(mois)
        restent = sum(1 for e in embauches if e.date_embauche < mois and e.sortie_prevue > fin)
        for _ in range(max(0, effectif - restent)):
            debut = mois + dt.timedelta(days=rng.randint(0, 27))
            embauches.append(_nouvelle_embauche(rng, identites, rang, type_, debut, _duree(rng, type_)))
    return embauches


def _simuler_annee_precedente(rng, identites, rang, type_, restees, effectifs) -> list[Embauche]:
    """The salariés who left during 2024, hired then or before: with those who were still there on 1 January 2025
    (`restees`, hired in 2023 or 2024), they keep 2024's headcount. The length of their parcours is drawn again
    until it ends in 2024 (those who stayed longer are already among `restees`)."""
    debut_annee, fin_annee = dt.date(ANNEE_PRECEDENTE, 1, 1), dt.date(ANNEE_PRECEDENTE, 12, 31)

    def sortie_en_2024(debut_selon_duree):
        for _ in range(40):
            duree = _duree(rng, type_)
            debut = debut_selon_duree(duree)
            if debut and debut + dt.timedelta(days=duree) <= fin_annee:
                return _nouvelle_embauche(rng, identites, rang, type_, debut, duree)
        return None  # late in the year, no parcours is that short: the year's hours go to the others

    def deja_la_au_1er_janvier(duree):
        """Hired before the year, leaving at any time of it."""
        reste = rng.randint(1, 366)
        return debut_annee + dt.timedelta(days=reste - duree) if duree > reste else None

    parties = []
    deja_la = sum(1 for e in restees if e.date_embauche < debut_annee)
    for _ in range(effectifs[debut_annee] - deja_la):
        parties.append(sortie_en_2024(deja_la_au_1er_janvier))
    for mois, effectif in effectifs.items():
        fin = dernier_jour_du_mois(mois)
        restent = sum(1 for e in restees + parties if e and e.date_embauche < mois and e.sortie_prevue > fin)
        arrivent = sum(1 for e in restees if mois <= e.date_embauche <= fin)
        for _ in range(max(0, effectif - restent - arrivent)):
            parties.append(sortie_en_2024(lambda duree, mois=mois: mois + dt.timedelta(days=rng.randint(0, 27))))
    return [e for e in parties if e]


def _heures_de_l_annee(rng, rang, type_, annee, embauches, cible: Decimal) -> None:
    """The hours of each salarié present in each month the structure declares in the year, adding up to the
    year's target; an exit in a declared month is declared."""
    mois = mois_declares(rang, annee)
    presents = [(e, m) for m in mois for e in embauches if e.present(m)]
    heures = _repartir([_heures_naturelles(rng, type_, e, m) for e, m in presents], cible)
    for (embauche, m), h in zip(presents, heures, strict=True):
        embauche.heures[m] = h
        if m <= embauche.sortie_prevue <= dernier_jour_du_mois(m):
            embauche.date_sortie = embauche.sortie_prevue


def _heures_naturelles(rng, type_, embauche: Embauche, mois: dt.date) -> float:
    """Hours of the month before the structure's total is fixed: the contract's, prorated to the days in
    parcours, less absences and holidays."""
    fin = dernier_jour_du_mois(mois)
    jours = (min(embauche.sortie_prevue, fin) - max(embauche.date_embauche, mois)).days + 1
    presence = jours / fin.day
    absences = rng.uniform(0.2, 0.7) if rng.random() < 0.05 else rng.uniform(0.86, 1.0)
    saison = SAISON[type_].get(mois.month, 1.0)
    if type_ in ("ACI", "EI"):
        base = float(embauche.heures_hebdo) * 52 / 12
    elif type_ == "AI":
        base = 130 * embauche.intensite * rng.uniform(0.6, 1.1)
    else:
        base = 151.67 * embauche.intensite * rng.uniform(0.5, 1.05)
    return base * presence * absences * saison


def _repartir(naturelles: list[float], total: Decimal) -> list[Decimal]:
    """Scale hours to add up to `total` exactly, in cents."""
    facteur = float(total) / sum(naturelles)
    heures = [Decimal(n * facteur).quantize(CENT, ROUND_HALF_UP) for n in naturelles]
    reste = total - sum(heures)
    pas = CENT if reste > 0 else -CENT
    ordre = sorted(range(len(heures)), key=lambda i: (-heures[i], i))
    i = 0
    while reste:
        heures[ordre[i % len(ordre)]] += pas
        reste -= pas
        i += 1
    assert all(0 <= h <= HEURES_MAX_PAR_MOIS for h in heures), "heures hors de 0 à 208 h"
    return heures


def _contrats(rng, type_, embauche: Embauche) -> list[tuple]:
    """The hire's contract and its renewals, up to the exit when it is declared, else beyond the demo's today
    (a CDDI of 4 to 12 months, then renewals; AI and ETTI: missions of 1 to 3 months)."""
    contrats, debut, premier = [], embauche.date_embauche, True
    fin_pass = embauche.fin_pass
    while True:
        if type_ in ("ACI", "EI"):
            duree = rng.choice([4, 6, 6, 8, 12] if premier else [4, 6, 6, 12])
        else:
            duree = rng.choice([1, 1, 2, 3])
        fin = min(ajouter_mois(debut, duree) - dt.timedelta(days=1), fin_pass)
        if embauche.date_sortie and fin >= embauche.date_sortie:
            contrats.append((embauche.type_contrat, debut, embauche.date_sortie, embauche.heures_hebdo))
            return contrats
        contrats.append((embauche.type_contrat, debut, fin, embauche.heures_hebdo))
        if fin > AUJOURD_HUI or fin >= fin_pass:
            return contrats
        debut, premier = fin + dt.timedelta(days=1), False


def _transmission(rng, mois: dt.date, en_retard: bool, dernier_jour: int = 27) -> dt.datetime:
    suivant = ajouter_mois(mois, 1)
    jour = rng.randint(16, dernier_jour) if en_retard else rng.randint(2, 14)
    return dt.datetime(suivant.year, suivant.month, jour, rng.randint(8, 17), rng.randint(0, 59))


def _declarations(rng, types, premier=PREMIER_MOIS, dernier=DERNIER_MOIS_DU) -> list[DeclarationPrevue]:
    declarations = []
    for mois in mois_entre(premier, dernier):
        for rang in range(1, len(types) + 1):
            if mois not in mois_declares(rang, mois.year):
                continue
            etat, motif, premiere = "VALIDEE", "", None
            if mois == DERNIER_MOIS_DU:
                transmission = _transmission(rng, mois, rang in OCTOBRE_EN_RETARD, dernier_jour=22)
                etat = "VALIDEE" if rang in OCTOBRE_VALIDE else "TRANSMISE"
            else:
                transmission = _transmission(rng, mois, rng.random() < 0.05)
                if rang in NON_VALIDEES_2026.get(mois, ()):
                    etat = "TRANSMISE"
            if (rang, mois) == A_CORRIGER[:2]:
                etat, motif = "A_CORRIGER", A_CORRIGER[2]
            if (rang, mois) == CORRIGEE:
                premiere = transmission
                suivant = ajouter_mois(transmission.date(), 1).replace(day=6)
                transmission = dt.datetime.combine(suivant, transmission.time())
            declarations.append(DeclarationPrevue(rang, mois, transmission, etat, motif, premiere))
    return declarations


def planifier(types: list[str]) -> Plan:
    """The whole demo activity for structures of these kinds (in the order of PROFILS)."""
    rng = random.Random(GRAINE)
    identites = _Identites(rng)
    annexes = _annexes(types)
    cibles = _heures_cibles(annexes, types)
    embauches, par_rang = [], {}
    for rang, type_ in enumerate(types, start=1):
        embauches_siae = _simuler(rng, identites, rang, type_, _effectifs(rang, type_, annexes, cibles))
        for annee in (ANNEE_CLOSE, ANNEE_EN_COURS):
            _heures_de_l_annee(rng, rang, type_, annee, embauches_siae, cibles[(rang, annee)])
        par_rang[rang] = [e for e in embauches_siae if e.heures]  # in parcours in a month the demo declares
        for embauche in par_rang[rang]:
            embauche.contrats = _contrats(rng, type_, embauche)
            embauches.append(embauche)
    declarations = _declarations(rng, types)

    # 2024, then the adjustments, from a second generator: the draws above are those of the 2025-2026 demo.
    rng = identites.rng = random.Random(GRAINE_SUITE)
    for rang, type_ in enumerate(types, start=1):
        effectifs = _effectifs(rang, type_, annexes, cibles, annees=(ANNEE_PRECEDENTE,))
        parties = _simuler_annee_precedente(rng, identites, rang, type_, par_rang[rang], effectifs)
        _heures_de_l_annee(
            rng, rang, type_, ANNEE_PRECEDENTE, par_rang[rang] + parties, cibles[(rang, ANNEE_PRECEDENTE)]
        )
        for embauche in parties:
            embauche.contrats = _contrats(rng, type_, embauche)
            embauches.append(embauche)
    declarations = (
        _declarations(rng, types, dt.date(ANNEE_PRECEDENTE, 1, 1), dt.date(ANNEE_PRECEDENTE, 12, 1)) + declarations
    )
    ajuster_sorties(rng, types, embauches)
    ajuster_publics(rng, types, embauches)
    cycle_du_pass = planifier_cycle_du_pass(rng, types, embauches, AUJOURD_HUI)
    return Plan(types, annexes, embauches, declarations, cycle_du_pass)
