"""Writes the demo's planned activity (plan.py) through the applications' services, so that every annexe, hire
and declaration line goes through the same rules and checks as a real one. Each step is keyed: what already
exists is left as it is, so running the demo again changes nothing."""

import datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.conf import settings

from conventions.models import AnnexeFinanciere, Convention
from conventions.services import ajouter_avenant, creer_annexe
from declarations.models import DeclarationMensuelle, LigneDeclaration
from declarations.services import (
    DeclarationRefusee,
    LigneSaisie,
    codes_motifs,
    enregistrer_lignes,
    renvoyer_declaration,
    transmettre_declaration,
    valider_declaration,
    verifier_lignes,
)
from demo.plan import AUJOURD_HUI, CENT, Plan, periodes_de_convention, planifier
from demo.versements import creer_versements
from parcours.models import (
    Contrat,
    MotifProlongation,
    MotifSuspension,
    Parcours,
    Prolongation,
    StatutProlongation,
    Suspension,
)
from parcours.services import enregistrer_embauches
from parcours.services_pass import (
    accorder_prolongation,
    demander_prolongation,
    enregistrer_suspension,
    refuser_prolongation,
)

# Why the demo's corrected declarations have a version 2 (kept on that version, as a structure would give it).
CORRECTION = "Virgule mal placée dans les heures d'un salarié de la version validée"


def _heure_locale(moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))


def _mettre_a_jour(modele, objets, champs: list[str]) -> None:
    """Like bulk_update, one UPDATE per distinct set of values (much faster here: few objects share none)."""
    par_valeurs = defaultdict(list)
    for objet in objets:
        par_valeurs[tuple(getattr(objet, c) for c in champs)].append(objet.pk)
    for valeurs, pks in par_valeurs.items():
        modele.objects.filter(pk__in=pks).update(**dict(zip(champs, valeurs, strict=True)))


def _annexes(plan: Plan, structures) -> dict[tuple[int, int], AnnexeFinanciere]:
    """Each annexe through `creer_annexe` (in its structure's convention), its avenant through `ajouter_avenant`;
    an existing one (same number without its avenant part) is kept."""
    for rang, siae in enumerate(structures, start=1):
        for debut, fin in periodes_de_convention(rang):
            Convention.objects.get_or_create(siae=siae, type=siae.type, date_debut=debut, defaults={"date_fin": fin})
    # The prefix is unique among the demo structures' annexes, those a fluxIAE import adopted (its ASP id set, the
    # demo's flux: demo/fluxiae.py) included; another structure's AF from a flux may repeat it.
    existantes = {
        a.prefixe: a
        for a in AnnexeFinanciere.objects.filter(
            prefixe__in=[a.numero[:-4] for a in plan.annexes], siae__in=structures
        )
    }
    annexes = {}
    for prevue in plan.annexes:
        annexe = existantes.get(prevue.numero[:-4])
        if annexe is None:
            annexe = creer_annexe(numero=prevue.numero, siae=structures[prevue.rang - 1], **prevue.valeurs)
            if prevue.avenant:
                ajouter_avenant(
                    annexe,
                    mois_effet=prevue.avenant.mois_effet,
                    etp_conventionnes=prevue.avenant.etp,
                    motif=prevue.avenant.motif,
                )
        annexes[(prevue.rang, prevue.annee)] = annexe
    return annexes


def _parcours(plan: Plan, structures) -> dict[tuple[str, int], Parcours]:
    """Salariés, PASS IAE, parcours and the hire's contract through `enregistrer_embauches` (one call per
    structure), then the contract renewals."""
    for rang, siae in enumerate(structures, start=1):
        enregistrer_embauches([(siae, e.valeurs()) for e in plan.par_rang.get(rang, [])])
    parcours = {
        (p.pass_iae.numero, p.siae_id): p
        for p in Parcours.objects.filter(siae__in=structures).select_related("salarie", "pass_iae")
    }
    existants = {(c.parcours_id, c.date_debut): c for c in Contrat.objects.filter(parcours__siae__in=structures)}
    a_creer, a_modifier = [], []
    for embauche in plan.embauches:
        p = parcours[(embauche.numero_pass, structures[embauche.rang - 1].pk)]
        for type_, debut, fin, heures_hebdo in embauche.contrats:
            contrat = existants.get((p.pk, debut))
            if contrat is None:
                a_creer.append(
                    Contrat(parcours=p, type=type_, date_debut=debut, date_fin=fin, heures_hebdo=heures_hebdo)
                )
            elif contrat.date_fin != fin:
                contrat.date_fin = fin
                a_modifier.append(contrat)
    Contrat.objects.bulk_create(a_creer, batch_size=500)
    _mettre_a_jour(Contrat, a_modifier, ["date_fin"])
    # Auto-prescription is not part of a hire's situation in `enregistrer_embauches`: set as planned.
    auto_prescrits = {
        parcours[(e.numero_pass, structures[e.rang - 1].pk)].pk for e in plan.embauches if e.auto_prescription
    }
    a_jour = Parcours.objects.filter(siae__in=structures)
    a_jour.filter(pk__in=auto_prescrits, auto_prescription=False).update(auto_prescription=True)
    a_jour.exclude(pk__in=auto_prescrits).filter(auto_prescription=True).update(auto_prescription=False)
    return parcours


def _cycle_du_pass(plan: Plan, structures, auteurs: dict) -> None:
    """The planned suspensions and prolongations (one of each per PASS and start date), through the PASS IAE's
    services on the demo's today: checked by the rules of spec §6 (a refused one stops the demo), each moving the
    PASS's end as a real one does."""
    cycle = plan.cycle_du_pass
    numeros = {s.numero_pass for s in cycle.suspensions} | {p.numero_pass for p in cycle.prolongations}
    # The structure's latest parcours on the PASS: the one a suspension or a request is made from.
    parcours = {
        (p.pass_iae.numero, p.siae_id): p
        for p in Parcours.objects.filter(pass_iae__numero__in=numeros, siae__in=structures)
        .select_related("pass_iae", "siae", "salarie")
        .order_by("date_embauche")
    }
    motifs_suspension = {m.code: m for m in MotifSuspension.objects.all()}
    motifs_prolongation = {m.code: m for m in MotifProlongation.objects.all()}
    deja = set(Suspension.objects.filter(pass_iae__numero__in=numeros).values_list("pass_iae__numero", "date_debut"))
    for suspension in cycle.suspensions:
        if (suspension.numero_pass, suspension.date_debut) in deja:
            continue
        siae = structures[suspension.rang - 1]
        enregistrer_suspension(
            parcours[(suspension.numero_pass, siae.pk)],
            motif=motifs_suspension[suspension.motif],
            date_debut=suspension.date_debut,
            date_fin=suspension.date_fin,
            auteur=auteurs.get(siae.pk),
            aujourd_hui=AUJOURD_HUI,
        )
    deja = set(Prolongation.objects.filter(pass_iae__numero__in=numeros).values_list("pass_iae__numero", "date_debut"))
    for prevue in cycle.prolongations:
        if (prevue.numero_pass, prevue.date_debut) in deja:
            continue
        siae = structures[prevue.rang - 1]
        prolongation = demander_prolongation(
            parcours[(prevue.numero_pass, siae.pk)],
            motif=motifs_prolongation[prevue.motif],
            date_fin=prevue.date_fin,
            date_demande=prevue.date_demande,
            date_fin_formation=prevue.date_fin_formation,
            prescripteur_organisation=prevue.prescripteur_organisation,
            prescripteur_personne=prevue.prescripteur_personne,
            auteur=auteurs.get(siae.pk),
            aujourd_hui=AUJOURD_HUI,
        )
        if prevue.statut == StatutProlongation.ACCORDEE:
            accorder_prolongation(prolongation, date_decision=prevue.date_decision, aujourd_hui=AUJOURD_HUI)
        elif prevue.statut == StatutProlongation.REFUSEE:
            refuser_prolongation(
                prolongation,
                motif_refus=prevue.motif_refus,
                date_decision=prevue.date_decision,
                aujourd_hui=AUJOURD_HUI,
            )


def _declarations(plan: Plan, structures, annexes, parcours, auteurs: dict) -> None:
    """Each structure's declaration of each month: its lines checked by `verifier_lignes` (spec §3: a refused line
    stops the demo), then written in bulk, transmitted on their planned date and validated, like
    `enregistrer_lignes` and `transmettre_declaration` would; the exits declared become the parcours' exits. The
    corrected declaration and the one sent back go through those services themselves."""
    deja = set(
        DeclarationMensuelle.objects.filter(annexe__in=annexes.values()).values_list("annexe_id", "mois").distinct()
    )
    contrats = defaultdict(list)
    for contrat in Contrat.objects.filter(parcours__siae__in=structures):
        contrats[contrat.parcours_id].append(contrat)
    motifs = codes_motifs()
    en_bloc, par_les_services = [], []
    for prevue in plan.declarations:
        annexe = annexes[(prevue.rang, prevue.mois.year)]
        if (annexe.pk, prevue.mois) in deja:
            continue
        siae = structures[prevue.rang - 1]
        lignes = [
            LigneSaisie(parcours[(e.numero_pass, siae.pk)], heures, date_sortie, motif)
            for e, heures, date_sortie, motif in plan.lignes(prevue.rang, prevue.mois)
        ]
        verification = verifier_lignes(prevue.mois, lignes, contrats, motifs)
        if verification.erreurs:
            raise DeclarationRefusee(verification.erreurs)
        if prevue.premiere_version or prevue.etat == "A_CORRIGER":
            par_les_services.append((prevue, annexe, auteurs.get(siae.pk), lignes))
            continue
        declaration = DeclarationMensuelle(
            annexe=annexe,
            mois=prevue.mois,
            version=1,
            etat=prevue.etat,
            retenue=True,
            date_transmission=_heure_locale(prevue.transmission),
            transmise_par=auteurs.get(siae.pk),
        )
        en_bloc.append((declaration, lignes))
    DeclarationMensuelle.objects.bulk_create([d for d, _ in en_bloc], batch_size=500)
    LigneDeclaration.objects.bulk_create(
        (
            LigneDeclaration(
                declaration=declaration,
                parcours=saisie.parcours,
                heures_travaillees=saisie.heures,
                date_sortie=saisie.date_sortie,
                motif_sortie=motifs[saisie.motif_sortie] if saisie.motif_sortie else None,
            )
            for declaration, lignes in en_bloc
            for saisie in lignes
        ),
        batch_size=1000,
    )
    sorties = []
    for _, lignes in en_bloc:
        for saisie in lignes:
            if saisie.date_sortie:
                saisie.parcours.date_sortie = saisie.date_sortie
                saisie.parcours.motif_sortie = motifs[saisie.motif_sortie]
                sorties.append(saisie.parcours)
    _mettre_a_jour(Parcours, sorties, ["date_sortie", "motif_sortie_id"])

    for prevue, annexe, auteur, lignes in par_les_services:
        if prevue.premiere_version:
            # A validated version with a misplaced decimal point on the largest line, corrected by a version 2.
            fautive = max(
                (i for i, ligne in enumerate(lignes) if not ligne.date_sortie), key=lambda i: lignes[i].heures
            )
            premieres = list(lignes)
            premieres[fautive] = LigneSaisie(lignes[fautive].parcours, (lignes[fautive].heures / 10).quantize(CENT))
            _transmettre(annexe, prevue.mois, premieres, prevue.premiere_version, auteur, "VALIDEE")
        _transmettre(
            annexe,
            prevue.mois,
            lignes,
            prevue.transmission,
            auteur,
            prevue.etat,
            prevue.motif_retour,
            motif_version=CORRECTION if prevue.premiere_version else "",
        )


def _transmettre(
    annexe, mois, lignes, moment, auteur, etat, motif_retour="", motif_version=""
) -> DeclarationMensuelle:
    declaration, _ = enregistrer_lignes(
        annexe, mois, lignes, auteur=auteur, transmettre=False, remplacer=True, motif=motif_version
    )
    declaration.date_transmission = _heure_locale(moment)
    declaration.transmise_par = auteur
    transmettre_declaration(declaration, auteur)
    if etat == "VALIDEE":
        valider_declaration(declaration)
    elif etat == "A_CORRIGER":
        renvoyer_declaration(declaration, motif_retour)
    return declaration


def creer_activite(structures: list, auteurs: dict | None = None) -> Plan:
    """Annexes, parcours, declarations and the ASP's payments of the demo structures (in the order `_structures`
    makes them).
    `auteurs`: siae pk → the account that transmits its declarations."""
    plan = planifier([s.type for s in structures])
    annexes = _annexes(plan, structures)
    parcours = _parcours(plan, structures)
    _cycle_du_pass(plan, structures, auteurs or {})
    _declarations(plan, structures, annexes, parcours, auteurs or {})
    creer_versements(list(annexes.values()))
    return plan
