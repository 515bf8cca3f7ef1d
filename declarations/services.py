"""Monthly declarations: checking the lines (spec §3), recording them, and the states of a declaration.

A transmitted declaration is never edited: a change opens a new version, with its author and reason, and the
previous one is kept as it was. The `retenue` version of a month is the latest transmitted one; its hours are the
ones every figure reads.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from base.calendrier import dernier_jour_du_mois
from base.historique import creer_en_masse, modifier_en_masse, supprimer_en_masse
from base.rafraichissement import rafraichir_apres_commit
from conventions.models import AnnexeFinanciere
from parcours.models import Contrat, MotifSortie, Parcours
from parcours.regles import chevauche_le_mois, depasse_le_contrat, erreurs_ligne_declaration

from .models import DeclarationMensuelle, EtatDeclaration, LigneDeclaration
from .regles import avertissement_depassement, se_modifie_sur_place, transmission_a_ecrire


@dataclass
class LigneSaisie:
    parcours: Parcours
    heures: Decimal
    date_sortie: dt.date | None = None
    motif_sortie: str = ""
    ligne: int | None = None  # line number in a file, None in the browser grid


@dataclass
class Probleme:
    ligne: int | None
    salarie: str
    champ: str
    message: str
    parcours_id: int | None = None

    def __str__(self):
        debut = f"ligne {self.ligne}, colonne {self.champ}" if self.ligne else f"{self.salarie}, {self.champ}"
        return f"{debut} : {self.message}"


@dataclass
class Verification:
    erreurs: list[Probleme] = field(default_factory=list)
    avertissements: list[Probleme] = field(default_factory=list)


LIBELLES_CHAMPS = {
    "heures_travaillees": "heures travaillées",
    "numero_pass": "PASS IAE",
    "date_sortie": "date de sortie",
    "motif_sortie": "motif de sortie",
}


def contrats_par_parcours(parcours_ids) -> dict[int, list[Contrat]]:
    resultat = defaultdict(list)
    for contrat in Contrat.objects.filter(parcours__in=parcours_ids):
        resultat[contrat.parcours_id].append(contrat)
    return resultat


def codes_motifs() -> dict[str, MotifSortie]:
    return {m.code: m for m in MotifSortie.objects.filter(actif=True)}


def contrat_du_mois(contrats: list[Contrat], parcours: Parcours, mois: dt.date) -> Contrat | None:
    """The contract that covers the month, if the parcours had not ended before it."""
    if parcours.date_sortie and parcours.date_sortie < mois:
        return None
    couvrants = [c for c in contrats if chevauche_le_mois(c.date_debut, c.date_fin, mois)]
    return max(couvrants, key=lambda c: c.date_debut) if couvrants else None


def verifier_lignes(mois: dt.date, lignes: list[LigneSaisie], contrats: dict, motifs: dict) -> Verification:
    """Every line refused names the salarié (or the file line) and the field; nothing is written here."""
    verification = Verification()
    vus = {}
    for saisie in lignes:
        parcours = saisie.parcours
        nom = f"{parcours.salarie.prenom} {parcours.salarie.nom} (PASS {parcours.pass_iae.numero})"
        if parcours.pk in vus:
            verification.erreurs.append(
                Probleme(
                    saisie.ligne,
                    nom,
                    "numero_pass",
                    f"salarié déjà déclaré ce mois (ligne {vus[parcours.pk]})",
                    parcours.pk,
                )
            )
            continue
        vus[parcours.pk] = saisie.ligne
        contrat = contrat_du_mois(contrats.get(parcours.pk, []), parcours, mois)
        for champ, message in erreurs_ligne_declaration(
            mois=mois,
            heures=saisie.heures,
            contrat_couvre_le_mois=contrat is not None,
            pass_debut=parcours.pass_iae.date_debut,
            pass_fin=parcours.pass_iae.date_fin,
            date_embauche=parcours.date_embauche,
            date_sortie=saisie.date_sortie,
            motif_sortie_connu=saisie.motif_sortie in motifs,
            motif_sortie_donne=bool(saisie.motif_sortie),
            motifs_valides=motifs,
        ):
            champ_affiche = champ if saisie.ligne else LIBELLES_CHAMPS[champ]
            verification.erreurs.append(Probleme(saisie.ligne, nom, champ_affiche, message, parcours.pk))
        if contrat and depasse_le_contrat(saisie.heures, contrat.heures_hebdo):
            champ = "heures_travaillees" if saisie.ligne else LIBELLES_CHAMPS["heures_travaillees"]
            verification.avertissements.append(
                Probleme(
                    saisie.ligne,
                    nom,
                    champ,
                    avertissement_depassement(saisie.heures, contrat.heures_hebdo),
                    parcours.pk,
                )
            )
    return verification


class DeclarationRefusee(ValidationError):
    def __init__(self, erreurs: list[Probleme]):
        super().__init__([str(e) for e in erreurs])
        self.erreurs = erreurs


def derniere_version(annexe, mois) -> DeclarationMensuelle | None:
    return DeclarationMensuelle.objects.filter(annexe=annexe, mois=mois).order_by("-version").first()


def _derniere_version_verrouillee(annexe, mois) -> DeclarationMensuelle | None:
    # Lock the annexe, then the month's versions: two clicks, or a click and an import, open one version, not two,
    # the month's first one included (no version yet to lock: the annexe's row is what they queue on).
    AnnexeFinanciere.objects.select_for_update().filter(pk=annexe.pk).values_list("pk").first()
    return (
        DeclarationMensuelle.objects.select_for_update().filter(annexe=annexe, mois=mois).order_by("-version").first()
    )


class EcritureConcurrente(IntegrityError):
    """Another request wrote the same month at the same moment (a database without row locks, a write outside
    these services): nothing of this one is written."""


def _version_suivante(actuelle: DeclarationMensuelle, auteur, motif: str, lignes: dict) -> DeclarationMensuelle:
    """The next version of the month, a draft holding `lignes` ({parcours id: (hours, exit date, motif id)}); the
    previous one is left exactly as it was (it stays retained until the new one is transmitted)."""
    nouvelle = DeclarationMensuelle.objects.create(
        annexe_id=actuelle.annexe_id,
        mois=actuelle.mois,
        version=actuelle.version + 1,
        creee_par=auteur,
        motif_version=motif.strip(),
    )
    creer_en_masse(
        LigneDeclaration,
        (
            LigneDeclaration(
                declaration=nouvelle,
                parcours_id=parcours_id,
                heures_travaillees=heures,
                date_sortie=date_sortie,
                motif_sortie_id=motif_id,
            )
            for parcours_id, (heures, date_sortie, motif_id) in lignes.items()
        ),
    )
    return nouvelle


def _valeurs(ligne: LigneDeclaration) -> tuple:
    return (ligne.heures_travaillees, ligne.date_sortie, ligne.motif_sortie_id)


@transaction.atomic
def declaration_a_completer(annexe, mois, *, auteur=None, motif: str = "") -> DeclarationMensuelle:
    """The version lines go into: the current one while it is a draft; once it was transmitted, a new version,
    copy of it (the transmitted one stays as it was)."""
    actuelle = _derniere_version_verrouillee(annexe, mois)
    if actuelle is None:
        return DeclarationMensuelle.objects.create(annexe=annexe, mois=mois, version=1, creee_par=auteur)
    if se_modifie_sur_place(actuelle.etat):
        return actuelle
    return _version_suivante(
        actuelle, auteur, motif, {ligne.parcours_id: _valeurs(ligne) for ligne in actuelle.lignes.all()}
    )


def _reporter_sorties(mois: dt.date, lignes: list[LigneSaisie], motifs: dict, sorties_precedentes: dict) -> None:
    """The exit declared on a line is the parcours's exit. Removing it from the month's line removes it, but an exit
    recorded elsewhere (on the salarié's page) is not erased by a line that never carried it."""
    fin_du_mois = dernier_jour_du_mois(mois)
    modifies = []
    for saisie in lignes:
        parcours = saisie.parcours
        if saisie.date_sortie:
            motif = motifs[saisie.motif_sortie]
            if (parcours.date_sortie, parcours.motif_sortie_id) != (saisie.date_sortie, motif.pk):
                parcours.date_sortie, parcours.motif_sortie = saisie.date_sortie, motif
                modifies.append(parcours)
        elif (
            parcours.date_sortie
            and mois <= parcours.date_sortie <= fin_du_mois
            and sorties_precedentes.get(parcours.pk) == parcours.date_sortie
        ):
            parcours.date_sortie, parcours.motif_sortie = None, None
            modifies.append(parcours)
    modifier_en_masse(Parcours, modifies, ["date_sortie", "motif_sortie"])


def enregistrer_lignes(
    annexe,
    mois: dt.date,
    lignes: list[LigneSaisie],
    *,
    auteur=None,
    transmettre: bool,
    remplacer: bool,
    motif: str = "",
) -> tuple[DeclarationMensuelle, dict]:
    """Check then write the lines of a month, all or nothing. `remplacer`: the lines are the whole declaration
    (the browser grid); otherwise they complete it (an imported file). A draft is written in place; a version
    already transmitted is never touched: what changes goes into the next version, opened by `auteur` for `motif`,
    and nothing at all is written when nothing changes. Returns the declaration and the counts; EcritureConcurrente
    when another write of the month got there first."""
    try:
        return _enregistrer_lignes(
            annexe, mois, lignes, auteur=auteur, transmettre=transmettre, remplacer=remplacer, motif=motif
        )
    except IntegrityError as erreur:
        if isinstance(erreur, EcritureConcurrente):
            raise
        raise EcritureConcurrente(str(erreur)) from erreur


@transaction.atomic
def _enregistrer_lignes(annexe, mois, lignes, *, auteur, transmettre, remplacer, motif):
    contrats = contrats_par_parcours([s.parcours.pk for s in lignes])
    motifs = codes_motifs()
    verification = verifier_lignes(mois, lignes, contrats, motifs)
    if verification.erreurs:
        raise DeclarationRefusee(verification.erreurs)
    actuelle = _derniere_version_verrouillee(annexe, mois)
    existantes = {ligne.parcours_id: ligne for ligne in actuelle.lignes.all()} if actuelle else {}
    sorties_precedentes = {pk: ligne.date_sortie for pk, ligne in existantes.items() if ligne.date_sortie}
    comptes = {
        "creation": 0,
        "modification": 0,
        "inchange": 0,
        "avertissements": verification.avertissements,
        "ecrit": False,
        "nouvelle_version": False,
    }
    finales = {pk: _valeurs(ligne) for pk, ligne in existantes.items()}
    if remplacer:
        finales = {pk: valeurs for pk, valeurs in finales.items() if pk in {s.parcours.pk for s in lignes}}
    for saisie in lignes:
        valeurs = (saisie.heures, saisie.date_sortie, motifs[saisie.motif_sortie].pk if saisie.motif_sortie else None)
        avant = finales.get(saisie.parcours.pk)
        comptes["creation" if avant is None else "modification" if avant != valeurs else "inchange"] += 1
        finales[saisie.parcours.pk] = valeurs
    change = finales != {pk: _valeurs(ligne) for pk, ligne in existantes.items()}

    if actuelle is not None and not se_modifie_sur_place(actuelle.etat):
        if not change and not (transmettre and transmission_a_ecrire(actuelle.etat, actuelle.retenue)):
            return actuelle, comptes
        declaration = _version_suivante(actuelle, auteur, motif, finales)
        comptes["nouvelle_version"] = True
    else:
        declaration = actuelle or DeclarationMensuelle.objects.create(
            annexe=annexe, mois=mois, version=1, creee_par=auteur
        )
        _ecrire_sur_place(declaration, existantes, finales)
    comptes["ecrit"] = True
    _reporter_sorties(mois, lignes, motifs, sorties_precedentes)
    rafraichir_apres_commit(annexe.pk, mois)
    if transmettre:
        transmettre_declaration(declaration, auteur)
    return declaration, comptes


def _ecrire_sur_place(declaration: DeclarationMensuelle, existantes: dict, finales: dict) -> None:
    """A draft's lines brought to `finales`: created, updated or deleted."""
    a_creer, a_modifier = [], []
    for parcours_id, (heures, date_sortie, motif_id) in finales.items():
        ligne = existantes.get(parcours_id)
        if ligne is None:
            a_creer.append(
                LigneDeclaration(
                    declaration=declaration,
                    parcours_id=parcours_id,
                    heures_travaillees=heures,
                    date_sortie=date_sortie,
                    motif_sortie_id=motif_id,
                )
            )
        elif _valeurs(ligne) != (heures, date_sortie, motif_id):
            ligne.heures_travaillees, ligne.date_sortie, ligne.motif_sortie_id = heures, date_sortie, motif_id
            a_modifier.append(ligne)
    retirees = [ligne.pk for pk, ligne in existantes.items() if pk not in finales]
    if retirees:
        supprimer_en_masse(LigneDeclaration.objects.filter(pk__in=retirees))
    creer_en_masse(LigneDeclaration, a_creer)
    modifier_en_masse(LigneDeclaration, a_modifier, ["heures_travaillees", "date_sortie", "motif_sortie"])


@transaction.atomic
def transmettre_declaration(declaration: DeclarationMensuelle, auteur=None) -> DeclarationMensuelle:
    if declaration.etat in (EtatDeclaration.TRANSMISE, EtatDeclaration.VALIDEE) and declaration.retenue:
        return declaration
    precedentes = list(
        DeclarationMensuelle.objects.filter(annexe=declaration.annexe, mois=declaration.mois, retenue=True).exclude(
            pk=declaration.pk
        )
    )
    for precedente in precedentes:
        precedente.retenue = False
    modifier_en_masse(DeclarationMensuelle, precedentes, ["retenue"])
    declaration.etat = EtatDeclaration.TRANSMISE
    declaration.retenue = True
    declaration.motif_retour = ""
    if declaration.date_transmission is None:
        declaration.date_transmission = timezone.now()
        declaration.transmise_par = auteur
    declaration.save()
    rafraichir_apres_commit(declaration.annexe_id, declaration.mois)
    return declaration


def valider_declaration(declaration: DeclarationMensuelle) -> DeclarationMensuelle:
    if declaration.etat != EtatDeclaration.TRANSMISE:
        raise ValidationError("Seule une déclaration transmise peut être validée.")
    declaration.etat = EtatDeclaration.VALIDEE
    declaration.save(update_fields=["etat", "date_modification"])
    rafraichir_apres_commit(declaration.annexe_id, declaration.mois)
    return declaration


def renvoyer_declaration(declaration: DeclarationMensuelle, motif: str) -> DeclarationMensuelle:
    if declaration.etat != EtatDeclaration.TRANSMISE:
        raise ValidationError("Seule une déclaration transmise peut être renvoyée à la structure.")
    if not motif.strip():
        raise ValidationError({"motif_retour": "Indiquez ce que la structure doit corriger."})
    declaration.etat = EtatDeclaration.A_CORRIGER
    declaration.motif_retour = motif.strip()
    declaration.save(update_fields=["etat", "motif_retour", "date_modification"])
    rafraichir_apres_commit(declaration.annexe_id, declaration.mois)
    return declaration
