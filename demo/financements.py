"""The demo's other financing lines and projects (seeds 000 and 004), for 2025 and 2026 in the Meuse.

- the shared accompaniment posts (ASP mutualisés) of seed 004, budget reproduced line by line over 05–12/2025 and
  01–12/2026 (charges 66 360 € and 96 720 €, indirect costs 11 060 € and 16 120 €, result 0 €), retained, with its
  FSE+, pauvreté convention (État and Département) and FDI lines;
- an FSE+ envelope of 240 000 € at most for projects of 4 ACI (seed 000), each with a balanced budget;
- an FDI call per year, its candidatures within the caps (accorded ones become État FDI lines);
- the Département's support of the structures' accompaniment of bRSA, with a variable part on results (seed 000:
  "1,501 M€ dont 421 778 € maximum de part variable", the co-financing of the aides au poste included, which comes
  from the annexes), a pauvreté convention line, the CALPAE subsidy of the État and the Département, communes and
  EPCI, a private foundation.

2025 is over: fixed parts are paid, variable parts mostly; 2026 is running: about half of the fixed parts is paid.
Everything is written through the services, and only when missing: running the demo again changes nothing.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from demo.plan import PROFILS
from demo.structures import DEPARTEMENT, siret_demo
from financements import services
from financements.choix import DecisionFdi, Dispositif, EtatProjet, Financeur, Rubrique
from financements.models import AppelAProjets, CandidatureFdi, LigneFinancement, Projet
from financements.regles import frais_indirects
from financements.services import SaisieLigneBudget, SaisiePeriode
from siae.models import Siae

D = Decimal
ANNEES = (2025, 2026)


def _euros(valeur) -> Decimal:
    return D(valeur).quantize(D(1), rounding=ROUND_HALF_UP)


# Seed 004, the periods moved to 2025–2026: (rubrique, label, amount of each period, remark).
ASP_MUTUALISES = "Postes d'ASP mutualisés – lien avec les entreprises"
PERIODES_ASP = [
    SaisiePeriode("05 à 12/2025", dt.date(2025, 5, 1), dt.date(2025, 12, 31)),
    SaisiePeriode("01 à 12/2026", dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
]
BUDGET_ASP = [
    (Rubrique.PERSONNEL, "Salaire chargé ASP secteur Commercy", ("23600", "36000"),
     "2 950 € / mois en 2025, 3 000 € / mois en 2026"),
    (Rubrique.PERSONNEL, "Salaire chargé ASP ½ temps renfort, ½ temps coordination", ("26000", "39600"),
     "3 250 € / mois en 2025, 3 300 € / mois en 2026"),
    (Rubrique.FONCTIONNEMENT, "Achat fournitures et matériel Commercy", ("1200", "0"),
     "1 ordinateur avec raccord réseau et 1 téléphone portable en 2025"),
    (Rubrique.FONCTIONNEMENT, "Achat fournitures et matériel renfort coordination", ("1200", "0"),
     "1 ordinateur avec raccord réseau et 1 téléphone portable en 2025"),
    (Rubrique.FONCTIONNEMENT, "Frais de déplacement, hébergement, restauration, divers Commercy", ("1300", "2000"),
     ""),
    (Rubrique.FONCTIONNEMENT, "Frais de déplacement, hébergement, restauration, divers renfort coordination",
     ("2000", "3000"), ""),
    (Rubrique.FSE, "Fonds européens FSE+", ("27265", "51911"), "Répartition à définir par le Département"),
    (Rubrique.ETAT, "Convention pauvreté, part État", ("11833", "11833"), ""),
    (Rubrique.ETAT, "FDI État", ("4000", "4000"), ""),
    (Rubrique.DEPARTEMENT, "Convention pauvreté, part Département", ("11833", "11833"), ""),
    # The seed's sub-lines (8 571 + 2 857) miss the euro its total (11 429) rounds from 20 000 × 8/14: it is here.
    (Rubrique.SIAE, "SIAE secteur Commercy", ("8572", "12857"),
     "Base de 15 000 € sur budget 14 mois (268 € / mois si 4 SIAE)"),
    (Rubrique.SIAE, "SIAE sur mi-temps renfort Bar-le-Duc / Verdun", ("2857", "4286"),
     "Base de 5 000 € sur budget 14 mois (hors mi-temps coordination)"),
]  # fmt: skip
# Its financing lines: (financeur, dispositif, label, committed 2025, paid 2025, committed 2026, paid 2026).
LIGNES_ASP = [
    (Financeur.FSE, Dispositif.FSE, "ASP mutualisés – FSE+", "27265", "13632.50", "51911", "0"),
    (Financeur.ETAT, Dispositif.CONVENTION_PAUVRETE, "ASP mutualisés – convention pauvreté, part État",
     "11833", "11833", "11833", "5916.50"),
    (Financeur.DEPARTEMENT, Dispositif.CONVENTION_PAUVRETE, "ASP mutualisés – convention pauvreté, part Département",
     "11833", "11833", "11833", "5916.50"),
    (Financeur.ETAT, Dispositif.FDI, "ASP mutualisés – FDI État", "4000", "4000", "4000", "0"),
]  # fmt: skip

# The FSE+ envelope (240 000 € at most a year) for projects of 4 ACI: (rang of the ACI, project, direct charges
# (personnel, fonctionnement) and FSE+ of 2025 then 2026, the Département's share of each year).
PROJETS_FSE = [
    (1, "Parcours renforcés vers l'emploi des bRSA", ("62000", "10000", "72000"), ("62000", "8000", "70000"), "8000"),
    (3, "Levée des freins à la mobilité", ("48000", "14000", "60000"), ("50000", "12000", "60000"), "6000"),
    (7, "Formation en situation de travail", ("52000", "8000", "58000"), ("48000", "9000", "55000"), "7000"),
    (12, "Accompagnement socioprofessionnel renforcé", ("41000", "7000", "50000"), ("36000", "6000", "45000"),
     "4000"),
]  # fmt: skip

# The FDI calls: (year, deadline, candidatures: (rang of the SIAE, project, investment cost, investment aid,
# consulting cost, consulting aid, decision)).
APPELS_FDI = {
    2025: (dt.date(2025, 4, 30), [
        (5, "Équipement du chantier de maraîchage", "40000", "28000", "0", "0", DecisionFdi.ACCORDEE),
        (21, "Étude de faisabilité d'une EITI", "0", "0", "15000", "4500", DecisionFdi.ACCORDEE),
        (13, "Atelier vélo : outillage et aménagement du local", "60000", "36000", "10000", "3000",
         DecisionFdi.REFUSEE),
    ]),
    2026: (dt.date(2026, 4, 30), [
        (2, "Recyclerie : camion de collecte", "120000", "84000", "20000", "6000", DecisionFdi.ACCORDEE),
        (13, "Atelier vélo : outillage et aménagement du local", "45000", "27000", "0", "0", DecisionFdi.EN_ATTENTE),
    ]),
}  # fmt: skip

# The Département's support of the ACI's accompaniment of bRSA: per ETP conventionné, 42 % of it variable. With
# its other lines and the co-financing, its 2025 total is near the seed's 1,501 M€ (421 778 € variable at most).
SOUTIEN_PAR_ETP = D("2350")
PART_VARIABLE = D("0.42")
PART_VARIABLE_ATTEINTE_2025 = D("0.8")

# Other lines on structures: (financeur, dispositif, rang, label, committed each year).
AUTRES_LIGNES = [
    (Financeur.ETAT, Dispositif.AUTRE, 2, "Subvention CALPAE, part État", "20000"),
    (Financeur.DEPARTEMENT, Dispositif.AUTRE, 2, "Subvention CALPAE, part Département", "20000"),
    (Financeur.ETAT, Dispositif.CONVENTION_PAUVRETE, 21, "Convention pauvreté – repérage et mobilisation des bRSA",
     "18000"),
    (Financeur.COMMUNE_EPCI, Dispositif.AUTRE, 3, "Agglomération du Grand Verdun – chantier espaces verts", "15000"),
    (Financeur.COMMUNE_EPCI, Dispositif.AUTRE, 8, "Ville de Bar-le-Duc – ressourcerie", "8000"),
    (Financeur.COMMUNE_EPCI, Dispositif.AUTRE, 9, "Communauté de communes – entretien des rivières", "12000"),
    (Financeur.AUTRE, Dispositif.AUTRE, 14, "Fondation d'entreprise – atelier numérique", "5000"),
]  # fmt: skip


def _siae(rang: int) -> Siae:
    """The demo structure of that rank (1 to 28: 20 ACI, 3 AI, 2 ETTI, 3 EI)."""
    return Siae.objects.get(siret=siret_demo(rang))


def _ligne(financeur, dispositif, annee, libelle, engage, verse, part_variable=0, siae=None, projet=None) -> None:
    if LigneFinancement.objects.filter(
        financeur=financeur, dispositif=dispositif, annee=annee, libelle=libelle, siae=siae, projet=projet
    ).exists():
        return
    services.enregistrer_ligne(
        LigneFinancement(
            financeur=financeur,
            dispositif=dispositif,
            annee=annee,
            libelle=libelle,
            siae=siae,
            projet=projet,
            montant_engage=D(engage),
            montant_verse=D(verse),
            part_variable_max=D(part_variable),
        )
    )


def _projet(nom, porteur, periodes, lignes, etat, siae=None, description="", taux=None) -> tuple[Projet, bool]:
    """The project as it is, or created with its periods, budget and state."""
    existant = Projet.objects.filter(departement=DEPARTEMENT, nom=nom).first()
    if existant is not None:
        return existant, False
    projet = Projet(nom=nom, porteur=porteur, siae_porteuse=siae, departement=DEPARTEMENT, description=description)
    if taux is not None:
        projet.taux_frais_indirects = D(taux)
    services.enregistrer_projet(projet, periodes)
    services.enregistrer_budget(projet, lignes)
    for etape in {
        EtatProjet.DEPOSE: [EtatProjet.DEPOSE],
        EtatProjet.RETENU: [EtatProjet.DEPOSE, EtatProjet.RETENU],
        EtatProjet.REFUSE: [EtatProjet.DEPOSE, EtatProjet.REFUSE],
    }.get(etat, []):
        projet = services.changer_etat_projet(projet, etape)
    return projet, True


def _annee(annee: int) -> SaisiePeriode:
    return SaisiePeriode(f"01 à 12/{annee}", dt.date(annee, 1, 1), dt.date(annee, 12, 31))


def _asp_mutualises() -> None:
    lignes = [SaisieLigneBudget(r, libelle, tuple(D(m) for m in montants), remarque)
              for r, libelle, montants, remarque in BUDGET_ASP]  # fmt: skip
    projet, _ = _projet(
        ASP_MUTUALISES,
        "Groupement d'employeurs fictif de la Meuse",
        PERIODES_ASP,
        lignes,
        EtatProjet.RETENU,
        description=(
            "Deux nouveaux postes d'accompagnateurs socioprofessionnels mutualisés entre les SIAE, dédiés à "
            "l'accompagnement « vers et dans l'emploi » : un ETP sur l'axe Commercy / Saint-Mihiel, un ETP en renfort "
            "de l'axe Bar-le-Duc / Verdun dont un mi-temps de coordination du réseau des ASP mutualisés. "
            "Présence hebdomadaire au service entreprises de France Travail, promotion des PMSMP et des contrats "
            "passerelle."
        ),
    )
    for financeur, dispositif, libelle, engage_1, verse_1, engage_2, verse_2 in LIGNES_ASP:
        _ligne(financeur, dispositif, 2025, libelle, engage_1, verse_1, projet=projet)
        _ligne(financeur, dispositif, 2026, libelle, engage_2, verse_2, projet=projet)


def _asp_existants() -> None:
    """The three shared accompaniment posts already running (seed 000: co-financed by the État and the Département,
    FSE+ included), carried by the same employers' group."""
    lignes = _budget_simple(
        [
            (Rubrique.PERSONNEL, "Salaires chargés des 3 ASP mutualisés", ("118800", "121500")),
            (Rubrique.FONCTIONNEMENT, "Déplacements et fonctionnement", ("7200", "7500")),
        ],
        [
            (Rubrique.FSE, "FSE+", ("60000", "60000")),
            (Rubrique.ETAT, "État", ("45000", "46000")),
            (Rubrique.DEPARTEMENT, "Département", ("45000", "46000")),
        ],
        D("0.20"),
    )
    projet, _ = _projet(
        "ASP mutualisés existants (3 postes)",
        "Groupement d'employeurs fictif de la Meuse",
        [_annee(2025), _annee(2026)],
        lignes,
        EtatProjet.RETENU,
        description="Trois accompagnateurs socioprofessionnels partagés par 14 SIAE.",
    )
    for annee, etat, departement, fse, fraction_versee in (
        (2025, "45000", "45000", "60000", D(1)),
        (2026, "46000", "46000", "60000", D("0.5")),
    ):
        for financeur, dispositif, montant in (
            (Financeur.ETAT, Dispositif.ASP_MUTUALISE, etat),
            (Financeur.DEPARTEMENT, Dispositif.ASP_MUTUALISE, departement),
            (Financeur.FSE, Dispositif.FSE, fse),
        ):
            libelle = f"ASP mutualisés existants – {Financeur(financeur).label}"
            _ligne(financeur, dispositif, annee, libelle, montant, _euros(D(montant) * fraction_versee), projet=projet)


def _budget_simple(directes: list[tuple], produits: list[tuple], taux: Decimal) -> list[SaisieLigneBudget]:
    """The rows of a budget (rubrique, label, amount of each period) and the structure's own share, which balances
    each period: direct charges + indirect costs − the other produits."""
    periodes = range(len(directes[0][2]))
    directes_par_periode = [sum(D(d[2][i]) for d in directes) for i in periodes]
    charges = [c + frais_indirects(taux, c, 0) for c in directes_par_periode]
    recus = [sum(D(p[2][i]) for p in produits) for i in periodes]
    part_propre = tuple(c - r for c, r in zip(charges, recus, strict=True))
    lignes = [SaisieLigneBudget(r, libelle, tuple(D(m) for m in montants)) for r, libelle, montants in directes]
    lignes += [SaisieLigneBudget(r, libelle, tuple(D(m) for m in montants)) for r, libelle, montants in produits]
    return [*lignes, SaisieLigneBudget(Rubrique.SIAE, "Autofinancement de la structure", part_propre)]


def _projets_fse() -> None:
    taux = D("0.20")
    for rang, nom, (p1, f1, fse1), (p2, f2, fse2), departement in PROJETS_FSE:
        siae = _siae(rang)
        lignes = _budget_simple(
            [
                (Rubrique.PERSONNEL, "Encadrement et accompagnement", (p1, p2)),
                (Rubrique.FONCTIONNEMENT, "Frais de fonctionnement du projet", (f1, f2)),
            ],
            [
                (Rubrique.FSE, "FSE+ (organisme intermédiaire : le Département)", (fse1, fse2)),
                (Rubrique.DEPARTEMENT, "Département", (departement, departement)),
            ],
            taux,
        )
        projet, _ = _projet(nom, siae.nom, [_annee(2025), _annee(2026)], lignes, EtatProjet.RETENU, siae=siae)
        _ligne(Financeur.FSE, Dispositif.FSE, 2025, f"{nom} – FSE+", fse1, D(fse1) / 2, projet=projet)
        _ligne(Financeur.FSE, Dispositif.FSE, 2026, f"{nom} – FSE+", fse2, 0, projet=projet)
        _ligne(Financeur.DEPARTEMENT, Dispositif.AUTRE, 2025, f"{nom} – Département", departement, departement,
               projet=projet)  # fmt: skip
        _ligne(Financeur.DEPARTEMENT, Dispositif.AUTRE, 2026, f"{nom} – Département", departement, 0, projet=projet)


ETAT_DU_PROJET = {
    DecisionFdi.ACCORDEE: EtatProjet.RETENU,
    DecisionFdi.REFUSEE: EtatProjet.REFUSE,
    DecisionFdi.EN_ATTENTE: EtatProjet.DEPOSE,
}


def _fdi() -> None:
    for annee, (date_limite, candidatures) in APPELS_FDI.items():
        appel = AppelAProjets.objects.filter(departement=DEPARTEMENT, annee=annee, nom=f"FDI {annee} – Meuse").first()
        if appel is None:
            appel = services.enregistrer_appel(
                AppelAProjets(
                    nom=f"FDI {annee} – Meuse",
                    annee=annee,
                    departement=DEPARTEMENT,
                    date_limite=date_limite,
                    description="Fonds de développement de l'inclusion : investissement et conseil des SIAE.",
                )
            )
        for rang, nom, cout_inv, aide_inv, cout_conseil, aide_conseil, decision in candidatures:
            siae = _siae(rang)
            directes = [
                (rubrique, libelle, (montant,))
                for rubrique, libelle, montant in (
                    (Rubrique.FONCTIONNEMENT, "Investissement (matériel, aménagement)", cout_inv),
                    (Rubrique.FONCTIONNEMENT, "Conseil et études", cout_conseil),
                )
                if D(montant)
            ]
            aide = D(aide_inv) + D(aide_conseil)
            lignes = _budget_simple(directes, [(Rubrique.ETAT, "FDI (demandé)", (aide,))], D(0))
            # An FDI project is an investment: no indirect costs on it. A project refused one year (the bike
            # workshop) answers again the next, as a new project of that year.
            projet, _ = _projet(
                f"{nom} ({annee})", siae.nom, [_annee(annee)], lignes, ETAT_DU_PROJET[decision], siae=siae, taux="0"
            )
            if CandidatureFdi.objects.filter(appel=appel, projet=projet).exists():
                continue
            candidature = services.enregistrer_candidature(
                CandidatureFdi(
                    appel=appel,
                    projet=projet,
                    cout_eligible_investissement=D(cout_inv),
                    aide_investissement=D(aide_inv),
                    cout_eligible_conseil=D(cout_conseil),
                    aide_conseil=D(aide_conseil),
                    decision=decision,
                )
            )
            if decision == DecisionFdi.ACCORDEE and annee == 2025:
                ligne = candidature.ligne_financement
                ligne.montant_verse = ligne.montant_engage
                services.enregistrer_ligne(ligne)


def _soutien_departemental() -> None:
    """Per ACI, per ETP conventionné of the year, part of it paid on results."""
    for rang, profil in enumerate(PROFILS, start=1):
        siae = _siae(rang)
        if siae.type != "ACI":
            continue
        for annee, etp in ((2025, profil.etp_2025), (2026, profil.etp_2026)):
            engage = (_euros(D(etp) * SOUTIEN_PAR_ETP / 100) * 100).quantize(D(1))
            variable = _euros(engage * PART_VARIABLE)
            fixe = engage - variable
            verse = fixe + _euros(variable * PART_VARIABLE_ATTEINTE_2025) if annee == 2025 else _euros(fixe / 2)
            _ligne(
                Financeur.DEPARTEMENT,
                Dispositif.AUTRE,
                annee,
                "Accompagnement socioprofessionnel des bRSA",
                engage,
                verse,
                part_variable=variable,
                siae=siae,
            )


def _autres_lignes() -> None:
    for financeur, dispositif, rang, libelle, montant in AUTRES_LIGNES:
        siae = _siae(rang)
        _ligne(financeur, dispositif, 2025, libelle, montant, montant, siae=siae)
        _ligne(financeur, dispositif, 2026, libelle, montant, _euros(D(montant) / 2), siae=siae)


def creer_financeurs() -> None:
    _asp_mutualises()
    _asp_existants()
    _projets_fse()
    _fdi()
    _soutien_departemental()
    _autres_lignes()
