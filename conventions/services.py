"""Writes of annexes financières: each one transaction, and the monthly ETP conventionnés rebuilt with it."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from base.calendrier import mois_entre, premier_du_mois
from base.historique import auteur_des_changements
from base.rafraichissement import rafraichir_apres_commit

from .models import TRANSITIONS, AnnexeFinanciere, Avenant, Convention, EtatAnnexe, EtpConventionneMensuel
from .regles import analyser_numero_annexe


def etp_par_mois(annexe: AnnexeFinanciere, avenants: list[Avenant]) -> dict[dt.date, Decimal]:
    """For each month of the annexe, the ETP of the latest version (highest A, then M) already in effect that
    month: a later avenant wins over an earlier one even when it takes effect from an earlier month."""
    resultat = {}
    for mois in mois_entre(annexe.date_debut, annexe.date_fin):
        en_vigueur = [a for a in avenants if a.mois_effet <= mois]
        derniere = max(en_vigueur, key=lambda a: (a.rang_avenant, a.rang_modification), default=None)
        resultat[mois] = derniere.etp_conventionnes if derniere else annexe.etp_conventionnes
    return resultat


def reconstruire_etp_mensuels(annexe: AnnexeFinanciere) -> None:
    avenants = list(annexe.avenants.all())
    par_mois = etp_par_mois(annexe, avenants)
    EtpConventionneMensuel.objects.filter(annexe=annexe).delete()
    EtpConventionneMensuel.objects.bulk_create(
        EtpConventionneMensuel(annexe=annexe, mois=mois, etp_conventionnes=etp) for mois, etp in par_mois.items()
    )
    if avenants:
        derniere = max(avenants, key=lambda a: (a.rang_avenant, a.rang_modification))
        annexe.numero = derniere.numero
        annexe.etp_conventionnes = derniere.etp_conventionnes
        annexe.save(update_fields=["numero", "etp_conventionnes", "date_modification"])
    rafraichir_apres_commit(annexe.pk)


def convention_pour(siae, type_: str, date_debut: dt.date, date_fin: dt.date) -> Convention:
    """The convention of the structure and kind that covers the annexe, created (3 years at most) if none does."""
    convention = Convention.objects.filter(
        siae=siae, type=type_, date_debut__lte=date_debut, date_fin__gte=date_fin
    ).first()
    if convention:
        return convention
    return Convention.objects.create(siae=siae, type=type_, date_debut=date_debut, date_fin=_fin(date_debut, date_fin))


def conventions_pour(demandes: list[tuple]) -> list[Convention]:
    """`convention_pour` for many annexes at once, `demandes` being (siae, type, start, end): two queries whatever
    their number (a national import brings thousands of annexes)."""
    connues = defaultdict(list)
    for convention in Convention.objects.filter(siae__in={siae.pk for siae, *_ in demandes}):
        connues[(convention.siae_id, convention.type)].append(convention)
    resultat, nouvelles = [None] * len(demandes), []
    # In order of start, so that a convention created for one year covers the next ones, as one by one.
    for rang in sorted(range(len(demandes)), key=lambda i: (demandes[i][0].pk, demandes[i][1], demandes[i][2])):
        siae, type_, debut, fin = demandes[rang]
        candidates = connues[(siae.pk, type_)]
        convention = next((c for c in candidates if c.date_debut <= debut and c.date_fin >= fin), None)
        if convention is None:
            convention = Convention(siae=siae, type=type_, date_debut=debut, date_fin=_fin(debut, fin))
            candidates.append(convention)
            nouvelles.append(convention)
        resultat[rang] = convention
    Convention.objects.bulk_create(nouvelles)
    return resultat


def _fin(date_debut: dt.date, date_fin: dt.date) -> dt.date:
    # A convention runs three civil years (longer only if this annexe itself does).
    return max(date_fin, dt.date(date_debut.year + 2, 12, 31))


@transaction.atomic
def creer_annexe(*, numero: str, siae, auteur=None, **valeurs) -> AnnexeFinanciere:
    parties = analyser_numero_annexe(numero)
    if parties is None:
        raise ValidationError({"numero": "Numéro d'annexe invalide (ex. ACI055220001A0M0)."})
    with auteur_des_changements(auteur):
        return _creer_annexe(numero, parties, siae, auteur, valeurs)


def _creer_annexe(numero, parties, siae, auteur, valeurs) -> AnnexeFinanciere:
    annexe = AnnexeFinanciere(numero=numero, prefixe=parties["prefixe"], siae=siae, **valeurs)
    annexe.convention = convention_pour(siae, annexe.type, annexe.date_debut, annexe.date_fin)
    annexe.full_clean(exclude=["convention"])
    annexe.save()
    Avenant.objects.create(
        annexe=annexe,
        numero=numero,
        rang_avenant=parties["avenant"],
        rang_modification=parties["modification"],
        mois_effet=annexe.date_debut,
        etp_conventionnes=annexe.etp_conventionnes,
        date_fin=annexe.date_fin,
        motif="Annexe initiale",
        auteur=auteur,
    )
    reconstruire_etp_mensuels(annexe)
    return annexe


def numero_suivant(annexe: AnnexeFinanciere) -> str:
    rang = max(annexe.avenants.values_list("rang_avenant", flat=True), default=0) + 1
    return f"{annexe.prefixe}A{rang}M0"


@transaction.atomic
def ajouter_avenant(
    annexe: AnnexeFinanciere,
    *,
    mois_effet: dt.date,
    etp_conventionnes: Decimal,
    date_fin: dt.date | None = None,
    motif: str = "",
    auteur=None,
    numero: str | None = None,
) -> Avenant:
    """Change the ETP conventionnés from a month on (and possibly the end of the annexe). The previous versions
    stay: the month-by-month figures before `mois_effet` do not move."""
    mois_effet = premier_du_mois(mois_effet)
    date_fin = date_fin or annexe.date_fin
    if not (annexe.date_debut <= mois_effet <= date_fin):
        raise ValidationError({"mois_effet": "Le mois d'effet doit être dans la période de l'annexe."})
    numero = numero or numero_suivant(annexe)
    parties = analyser_numero_annexe(numero)
    if parties is None or parties["prefixe"] != annexe.prefixe:
        raise ValidationError({"numero": f"Le numéro d'avenant doit commencer par {annexe.prefixe}."})
    with auteur_des_changements(auteur):
        return _ajouter_avenant(annexe, numero, parties, mois_effet, etp_conventionnes, date_fin, motif, auteur)


def _ajouter_avenant(annexe, numero, parties, mois_effet, etp_conventionnes, date_fin, motif, auteur) -> Avenant:
    avenant = Avenant.objects.create(
        annexe=annexe,
        numero=numero,
        rang_avenant=parties["avenant"],
        rang_modification=parties["modification"],
        mois_effet=mois_effet,
        etp_conventionnes=etp_conventionnes,
        date_fin=date_fin,
        motif=motif,
        auteur=auteur,
    )
    if date_fin != annexe.date_fin:
        annexe.date_fin = date_fin
        annexe.full_clean(exclude=["convention", "numero"])
        annexe.save(update_fields=["date_fin", "date_modification"])
    reconstruire_etp_mensuels(annexe)
    return avenant


@transaction.atomic
def modifier_version(annexe, numero: str, *, etp_conventionnes: Decimal, date_debut: dt.date, date_fin: dt.date):
    """Correct the ETP of one version (a wrong figure, not a new decision). The initial version also carries the
    period of the annexe."""
    version = annexe.avenants.get(numero=numero)
    version.etp_conventionnes = etp_conventionnes
    if (version.rang_avenant, version.rang_modification) == (0, 0):
        annexe.date_debut, annexe.date_fin = date_debut, date_fin
        version.mois_effet = date_debut
        annexe.full_clean(exclude=["convention", "numero"])
        annexe.save(update_fields=["date_debut", "date_fin", "date_modification"])
    version.save()
    reconstruire_etp_mensuels(annexe)


def changer_etat(annexe: AnnexeFinanciere, etat: str) -> AnnexeFinanciere:
    if etat not in TRANSITIONS[annexe.etat]:
        raise ValidationError(
            f"Une annexe {EtatAnnexe(annexe.etat).label.lower()} ne peut pas passer à l'état "
            f"« {EtatAnnexe(etat).label.lower()} »."
        )
    annexe.etat = etat
    annexe.save(update_fields=["etat", "date_modification"])
    rafraichir_apres_commit(annexe.pk)
    return annexe
