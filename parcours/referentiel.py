"""Reference data of parcours: the exit motifs (parcours/data/motifs_sortie.csv) and the reasons of suspension and
prolongation of a PASS IAE with their limits (spec §6). Loaded by migrations; `apps` is the model registry."""

import csv
from pathlib import Path

FICHIER_MOTIFS = Path(__file__).resolve().parent / "data" / "motifs_sortie.csv"

SUSPENSIONS = [
    ("CONTRAT_SUSPENDU_15J", "Contrat de travail suspendu depuis plus de 15 jours", ""),
    ("CONTRAT_ROMPU", "Contrat de travail rompu", ""),
    ("CONTRAT_TERMINE", "Contrat de travail terminé", ""),
    ("SITUATION_CTA", "Situation faisant l'objet d'un accompagnement (CTA)", ""),
    ("CONTRAT_PASSERELLE", "Contrat passerelle", "EI,ACI"),
]

# code, libellé, qui décide, limite d'une décision, mois, limite du total, mois, types. The total of a motif caps
# the sum of ALL the PASS's prolongations, whatever their motif (R.5132-1-8: 24 + 36 = 60 months at most for an
# RQTH holder, training prolongation included): `regles_pass.erreurs_cumul`.
PROLONGATIONS = [
    ("CDI_INCLUSION_57", "CDI inclusion, 57 ans et plus", "SIAE", "FIN_CONTRAT", None, "AUCUNE", None, ""),
    ("FIN_FORMATION", "Formation en cours", "SIAE", "MOIS", 12, "FIN_FORMATION", None, ""),
    ("SENIOR_50", "50 ans et plus, difficultés particulières", "PRESCRIPTEUR", "MOIS", 12, "MOIS", 60, ""),
    ("RQTH", "Reconnaissance de la qualité de travailleur handicapé", "PRESCRIPTEUR", "MOIS", 12, "MOIS", 36, ""),
    ("DIFFICULTES_PARTICULIERES", "Difficultés particulières", "PRESCRIPTEUR", "MOIS", 12, "MOIS", 36, "ACI,AI"),
]


# Create-only: once loaded, the rows are the administrators' (they edit them, with history); reloading the
# reference data must not undo their changes.


def charger_motifs_sortie(apps, schema_editor=None) -> None:
    MotifSortie = apps.get_model("parcours", "MotifSortie")
    with FICHIER_MOTIFS.open(encoding="utf-8") as f:
        for ligne in csv.DictReader(f, delimiter=";"):
            MotifSortie.objects.get_or_create(
                code=ligne["code"], defaults={"libelle": ligne["libelle"], "categorie": ligne["categorie"]}
            )


def charger_motifs_pass(apps, schema_editor=None) -> None:
    MotifSuspension = apps.get_model("parcours", "MotifSuspension")
    MotifProlongation = apps.get_model("parcours", "MotifProlongation")
    for code, libelle, types in SUSPENSIONS:
        MotifSuspension.objects.get_or_create(
            code=code, defaults={"libelle": libelle, "duree_max_mois": 36, "types_siae": types}
        )
    for code, libelle, decideur, limite, mois, cumul, mois_cumul, types in PROLONGATIONS:
        MotifProlongation.objects.get_or_create(
            code=code,
            defaults={
                "libelle": libelle,
                "decideur": decideur,
                "limite_decision": limite,
                "duree_max_decision_mois": mois,
                "limite_cumul": cumul,
                "duree_max_cumulee_mois": mois_cumul,
                "types_siae": types,
            },
        )


def historiser_motifs_sortie(apps, schema_editor=None) -> None:
    """The first version of each motif in its history."""
    MotifSortie = apps.get_model("parcours", "MotifSortie")
    MotifSortieHistorique = apps.get_model("parcours", "MotifSortieHistorique")
    for motif in MotifSortie.objects.exclude(pk__in=MotifSortieHistorique.objects.values("motif")):
        MotifSortieHistorique.objects.create(
            motif=motif, libelle=motif.libelle, categorie=motif.categorie, actif=motif.actif
        )
