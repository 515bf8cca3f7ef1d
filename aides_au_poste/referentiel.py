"""The barème of aides au poste (financement/data/bareme_aide_au_poste.csv) and the RSA's montants forfaitaires
(financement/data/montants_rsa.csv) shipped with the project.

Once loaded, rows are the administrators' to correct (with history): `charger_bareme` (the first load, the demo)
only creates what is missing; `recharger_bareme` (a migration shipping new rows) also brings the rows no
administrator ever touched to the file.

Loaded by a migration so a fresh database has it; `apps` is the registry to read the model from (the migration's
historical one, or the current one).
"""

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

FICHIER = Path(__file__).resolve().parent / "data" / "bareme_aide_au_poste.csv"
FICHIER_RSA = Path(__file__).resolve().parent / "data" / "montants_rsa.csv"


def lignes_du_bareme() -> list[dict]:
    """The rows of the shipped file: type, date_effet (a date), montant_socle_annuel_par_etp (a Decimal), source."""
    with FICHIER.open(encoding="utf-8") as f:
        return [
            {
                "type": ligne["type"],
                "date_effet": dt.date.fromisoformat(ligne["date_effet"]),
                "montant_socle_annuel_par_etp": Decimal(ligne["montant_socle_annuel_par_etp"]),
                "source": ligne["source"],
            }
            for ligne in csv.DictReader(f, delimiter=";")
        ]


def charger_bareme(apps, schema_editor=None) -> None:
    Bareme = apps.get_model("financement", "BaremeAideAuPoste")
    for ligne in lignes_du_bareme():
        Bareme.objects.get_or_create(
            type=ligne["type"],
            date_effet=ligne["date_effet"],
            defaults={c: ligne[c] for c in ("montant_socle_annuel_par_etp", "source")},
        )


def recharger_bareme(apps, schema_editor=None) -> None:
    """Bring the table to the shipped file without undoing the administrators' work (docs/decisions.md).

    A row is the administrators' when its history holds a version by someone: the administration and the
    revaluation page write one at every creation or change of a row, with its author; the project's loads write
    none, or one without author. Such a row is left as it is,
    even where the file says otherwise (an administrator may have entered an arrêté before the project shipped
    it). A row the file lacks is created; a row only the project ever wrote takes the file's amount and source."""
    Bareme = apps.get_model("financement", "BaremeAideAuPoste")
    try:  # the history of the barème before the trail of changes (migration 0007), for the migrations before it
        versions = apps.get_model("financement", "BaremeHistorique").objects.values_list("bareme_id", flat=True)
    except LookupError:
        versions = (
            apps.get_model("financement", "HistoricalBaremeAideAuPoste")
            .objects.filter(history_user__isnull=False)
            .values_list("id", flat=True)
        )
    des_administrateurs = set(versions.distinct())
    existantes = {(b.type, b.date_effet): b for b in Bareme.objects.all()}
    a_creer, a_corriger = [], []
    for ligne in lignes_du_bareme():
        existante = existantes.get((ligne["type"], ligne["date_effet"]))
        if existante is None:
            a_creer.append(Bareme(**ligne))
        elif existante.pk not in des_administrateurs and (
            existante.montant_socle_annuel_par_etp,
            existante.source,
        ) != (ligne["montant_socle_annuel_par_etp"], ligne["source"]):
            existante.montant_socle_annuel_par_etp = ligne["montant_socle_annuel_par_etp"]
            existante.source = ligne["source"]
            a_corriger.append(existante)
    Bareme.objects.bulk_create(a_creer)
    Bareme.objects.bulk_update(a_corriger, ["montant_socle_annuel_par_etp", "source"])


def charger_montants_rsa(apps, schema_editor=None) -> None:
    MontantRsa = apps.get_model("financement", "MontantRsa")
    with FICHIER_RSA.open(encoding="utf-8") as f:
        for ligne in csv.DictReader(f, delimiter=";"):
            MontantRsa.objects.get_or_create(
                date_effet=ligne["date_effet"],
                defaults={"montant_forfaitaire": Decimal(ligne["montant_forfaitaire"]), "source": ligne["source"]},
            )
