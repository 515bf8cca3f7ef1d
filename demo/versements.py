"""The ASP's payments for the demo annexes, as the ASP makes them (spec §5, docs/decisions.md): an advance of 1/12
of the socle conventionné at the start of each month, the regularisation of each point (after months 5, 8, 11
and after the end) at the end of the second month after it — once that month's declaration is due and checked —
and the part modulée in one payment in the fourth month. Amounts come from the rules applied to the demo's own
declarations; payments not yet made on the demo's today are not there."""

import datetime as dt
from decimal import Decimal

from aides_au_poste.models import NatureVersement, Versement
from aides_au_poste.queries import aides_des_annexes
from aides_au_poste.regles import arrondi_euro
from conventions.models import AnnexeFinanciere
from demo.plan import AUJOURD_HUI
from parcours.regles import ajouter_mois

ZERO = Decimal(0)


def _versements_de(aide) -> list[Versement]:
    versements, verse_par_mois = [], {}
    avance = arrondi_euro(aide.avance_mensuelle)
    for mois in aide.mois:
        date = mois.replace(day=5)
        if date <= AUJOURD_HUI and avance:
            versements.append(
                Versement(annexe_id=aide.annexe_id, date=date, montant=avance, nature=NatureVersement.AVANCE)
            )
            verse_par_mois[mois] = avance
    regularise = ZERO
    dernier_declare = aide.dernier_mois_declare
    for point in aide.regularisations:
        date = ajouter_mois(point.mois, 3) - dt.timedelta(days=1)  # the end of the second month after the point
        if date > AUJOURD_HUI or dernier_declare is None or point.mois > dernier_declare:
            break
        # What the ASP actually paid (advances rounded to the cent) is what the regularisation settles.
        avances = sum((montant for mois, montant in verse_par_mois.items() if mois <= point.mois), ZERO)
        montant = arrondi_euro(point.du_cumule) - avances - regularise
        if montant:
            versements.append(
                Versement(annexe_id=aide.annexe_id, date=date, montant=montant, nature=NatureVersement.REGULARISATION)
            )
        regularise += montant
    modulation = arrondi_euro(aide.modulation)
    date_modulation = ajouter_mois(aide.mois[0], 3).replace(day=20)
    if modulation and date_modulation <= AUJOURD_HUI:
        versements.append(
            Versement(
                annexe_id=aide.annexe_id, date=date_modulation, montant=modulation, nature=NatureVersement.MODULATION
            )
        )
    return versements


def creer_versements(annexes) -> None:
    """Idempotent: a payment is keyed by annexe, date, nature and amount."""
    aides = aides_des_annexes(AnnexeFinanciere.objects.filter(pk__in=[a.pk for a in annexes]), versements=False)
    Versement.objects.bulk_create([v for aide in aides for v in _versements_de(aide)], ignore_conflicts=True)
