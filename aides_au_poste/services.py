"""Writes of the barème and of the RSA table (each creation or change of a row is a version of its
`historique`, with its author), and of the amounts computed per annexe (`AideCalculee`)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from base.historique import auteur_des_changements
from base.rafraichissement import rafraichir_apres_commit
from conventions.models import ETATS_ACTIFS, AnnexeFinanciere

from .models import AideCalculee, BaremeAideAuPoste, MontantRsa
from .queries import CALCULS_GARDES, aides_des_annexes, calculs_gardes

LOT = 1000


def calculer_les_aides(annexes, realises=None) -> tuple[int, int]:
    """Bring the `AideCalculee` of these annexes (a queryset) in line with the rules: the active ones computed
    (`aides_des_annexes`, their ETP réalisés read by `realises`), written only where an amount changes; the rows of
    the others deleted. The caller holds the transaction (the indicators' refresh). Returns (written, deleted)."""
    aides = aides_des_annexes(annexes.filter(etat__in=ETATS_ACTIFS), versements=False, realises=realises)
    gardees = {ligne.pk: ligne for ligne in AideCalculee.objects.filter(annexe__in=annexes.values("pk"))}
    maintenant = timezone.now()
    nouvelles, changees = [], []
    for aide in aides:
        calculs = calculs_gardes(aide)
        ligne = gardees.pop(aide.annexe_id, None)
        if ligne is None:
            nouvelles.append(AideCalculee(annexe_id=aide.annexe_id, date_calcul=maintenant, **calculs))
        elif any(getattr(ligne, c) != v for c, v in calculs.items()):
            for c, v in calculs.items():
                setattr(ligne, c, v)
            ligne.date_calcul = maintenant
            changees.append(ligne)
    AideCalculee.objects.bulk_create(nouvelles, batch_size=LOT)
    AideCalculee.objects.bulk_update(changees, [*CALCULS_GARDES, "date_calcul"], batch_size=LOT)
    supprimees, _ = AideCalculee.objects.filter(pk__in=list(gardees)).delete()
    return len(nouvelles) + len(changees), supprimees


def rafraichir_les_aides_du_type(type_: str, depuis) -> None:
    """A row of the barème of a kind changed from `depuis`: the active annexes of that kind still running then are
    computed again once the change commits (with the rest of their figures)."""
    for annexe_id in (
        AnnexeFinanciere.objects.actives()
        .filter(type=type_, date_fin__gte=depuis)
        .order_by("pk")
        .values_list("pk", flat=True)
    ):
        rafraichir_apres_commit(annexe_id)


@transaction.atomic
def ajouter_ligne_bareme(*, type, date_effet, montant, source, auteur=None) -> BaremeAideAuPoste:
    """A revaluation: a new dated row (refused by the database when the kind already has a row at that date)."""
    ligne = BaremeAideAuPoste(type=type, date_effet=date_effet, montant_socle_annuel_par_etp=montant, source=source)
    ligne.full_clean()
    with auteur_des_changements(auteur):
        ligne.save()
    rafraichir_les_aides_du_type(type, date_effet)
    return ligne


@transaction.atomic
def ajouter_montant_rsa(*, date_effet, montant_forfaitaire, source, auteur=None) -> MontantRsa:
    """A revaluation of the RSA: a new dated row; a date already in the table is refused (the row is corrected in
    the administration, where the change is logged)."""
    if MontantRsa.objects.filter(date_effet=date_effet).exists():
        raise ValidationError({"date_effet": f"Le montant au {date_effet:%d/%m/%Y} est déjà dans la table."})
    ligne = MontantRsa(date_effet=date_effet, montant_forfaitaire=montant_forfaitaire, source=source, auteur=auteur)
    ligne.full_clean()
    with auteur_des_changements(auteur):
        ligne.save()
    return ligne
