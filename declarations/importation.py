"""`importer declarations`: one line per salarié and month, keyed by (numero_annexe, mois, numero_pass).

Lines of a month create or complete that month's declaration of the annexe, transmitted. A transmitted declaration
is not touched: a changed line opens a new version, and the preview says which transmitted month it replaces and
which exit it would remove. A file without the `date_sortie` column says nothing of exits: they stay as declared.
"""

import datetime as dt
from collections import defaultdict

from django.db.models import Prefetch
from django.utils import timezone

from base.calendrier import dernier_jour_du_mois
from conventions.models import ETATS_ACTIFS, Avenant
from imports.importeur import Analyse, Changement, ErreurColonne, Importeur
from imports.lecture import ErreurLigne, date_fr, decimal_fr, texte
from parcours.models import Parcours
from siae.models import Siae
from siae.regles import normaliser_siret

from .models import DeclarationMensuelle, EtatDeclaration, LigneDeclaration
from .regles import (
    avertissement_remplacement,
    avertissement_sortie_supprimee,
    details_ligne,
    se_modifie_sur_place,
    transmission_a_ecrire,
)
from .services import LigneSaisie, codes_motifs, contrats_par_parcours, enregistrer_lignes, verifier_lignes


def mois_fr(valeur) -> dt.date:
    if isinstance(valeur, dt.date):
        return valeur.replace(day=1) if not isinstance(valeur, dt.datetime) else valeur.date().replace(day=1)
    brut = texte(valeur)
    for format_ in ("%Y-%m", "%m/%Y", "%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(brut, format_).date().replace(day=1)
        except ValueError:
            continue
    raise ValueError(f"« {brut} » n'est pas un mois (AAAA-MM)")


_HEURES = LigneDeclaration._meta.get_field("heures_travaillees")


def decimal_heures(valeur):
    """Hours of a month as a line keeps them: 2 decimals at most, refused beyond rather than rounded."""
    return decimal_fr(valeur, entiers=_HEURES.max_digits - _HEURES.decimal_places, decimales=_HEURES.decimal_places)


def pas_la_votre(numero_annexe: str) -> str:
    """Said alike of an annexe number that does not exist and of one that is another structure's: a structure
    learns neither that it exists elsewhere nor whose it is."""
    return f"aucune annexe n° {numero_annexe} parmi celles de vos structures"


class ImportDeclarations(Importeur):
    type = "declarations"
    colonnes = ("siret", "numero_annexe", "mois", "numero_pass", "heures_travaillees", "date_sortie", "motif_sortie")
    colonnes_optionnelles = frozenset({"date_sortie", "motif_sortie"})

    def codes(self):
        # The active motifs of the reference table, as the check reads them (one query).
        return {"motif_sortie": sorted((code, motif.libelle) for code, motif in codes_motifs().items())}

    def nettoyer_ligne(self, brut):
        valeurs = {
            "siret": normaliser_siret(texte(brut["siret"])),
            "numero_annexe": texte(brut["numero_annexe"]).upper(),
            "numero_pass": texte(brut["numero_pass"]).replace(" ", "").upper(),
            "motif_sortie": texte(brut.get("motif_sortie", "")).upper(),
        }
        for colonne, analyseur in (("mois", mois_fr), ("heures_travaillees", decimal_heures)):
            try:
                valeurs[colonne] = analyseur(brut[colonne])
            except ValueError as erreur:
                raise ErreurColonne(colonne, str(erreur)) from None
        # Without the column, the file does not speak of exits (not even to remove one).
        valeurs["sortie_donnee"] = "date_sortie" in brut
        sortie = texte(brut.get("date_sortie", ""))
        try:
            valeurs["date_sortie"] = date_fr(brut["date_sortie"]) if sortie else None
        except ValueError as erreur:
            raise ErreurColonne("date_sortie", str(erreur)) from None
        return valeurs

    def planifier(self, lignes, analyse: Analyse):
        versions = {
            a.numero: a.annexe
            for a in Avenant.objects.filter(numero__in={v["numero_annexe"] for _, v in lignes}).select_related(
                "annexe__siae"
            )
        }
        autorisees = None
        if self.utilisateur is not None:
            autorisees = set(Siae.objects.avec_donnees_nominatives(self.utilisateur).values_list("pk", flat=True))
        candidats = defaultdict(list)
        for parcours in Parcours.objects.filter(
            siae__in={a.siae_id for a in versions.values()}, pass_iae__numero__in={v["numero_pass"] for _, v in lignes}
        ).select_related("pass_iae", "salarie"):
            candidats[(parcours.siae_id, parcours.pass_iae.numero)].append(parcours)

        groupes = defaultdict(list)
        for numero, v in lignes:
            annexe = versions.get(v["numero_annexe"])
            if autorisees is not None and (annexe is None or annexe.siae_id not in autorisees):
                analyse.erreurs.append(ErreurLigne(numero, "numero_annexe", pas_la_votre(v["numero_annexe"])))
                continue
            if annexe is None:
                analyse.erreurs.append(ErreurLigne(numero, "numero_annexe", f"aucune annexe n° {v['numero_annexe']}"))
                continue
            if annexe.siae.siret != v["siret"]:
                analyse.erreurs.append(ErreurLigne(numero, "siret", "cette annexe n'est pas celle de ce SIRET"))
                continue
            if annexe.etat not in ETATS_ACTIFS:
                analyse.erreurs.append(
                    ErreurLigne(numero, "numero_annexe", f"l'annexe est à l'état « {annexe.get_etat_display()} »")
                )
                continue
            if not (annexe.date_debut <= v["mois"] <= annexe.date_fin):
                analyse.erreurs.append(ErreurLigne(numero, "mois", "hors de la période de l'annexe"))
                continue
            parcours = self._parcours_du_mois(candidats[(annexe.siae_id, v["numero_pass"])], v["mois"])
            if parcours is None:
                analyse.erreurs.append(
                    ErreurLigne(
                        numero,
                        "numero_pass",
                        f"aucun parcours du PASS IAE {v['numero_pass']} dans la structure ce mois-ci",
                    )
                )
                continue
            analyse.departements.add(annexe.siae.departement)
            saisie = LigneSaisie(parcours, v["heures_travaillees"], v["date_sortie"], v["motif_sortie"], numero)
            groupes[(annexe, v["mois"])].append(saisie)

        versions = self._versions_des_mois(groupes)
        sans_sortie = {numero for numero, v in lignes if not v["sortie_donnee"]}
        for (annexe, mois), saisies in groupes.items():
            du_mois = versions.get((annexe.pk, mois))
            if du_mois:
                self._garder_les_sorties(saisies, du_mois[-1], sans_sortie)
        toutes = [s for saisies in groupes.values() for s in saisies]
        contrats = contrats_par_parcours([s.parcours.pk for s in toutes])
        motifs = codes_motifs()
        for (_, mois), saisies in groupes.items():
            verification = verifier_lignes(mois, saisies, contrats, motifs)
            analyse.erreurs.extend(ErreurLigne(p.ligne, p.champ, p.message) for p in verification.erreurs)
        if analyse.erreurs:
            analyse.erreurs.sort(key=lambda e: e.ligne)
            return
        analyse.plan = self._changements(groupes, versions, motifs, analyse)

    @staticmethod
    def _parcours_du_mois(candidats: list[Parcours], mois: dt.date) -> Parcours | None:
        fin = dernier_jour_du_mois(mois)
        actifs = [p for p in candidats if p.date_embauche <= fin and (p.date_sortie is None or p.date_sortie >= mois)]
        return max(actifs, key=lambda p: p.date_embauche) if actifs else None

    @staticmethod
    def _versions_des_mois(groupes) -> dict:
        """Every version of the months of the file, oldest first, the lines with their exit motif (two queries)."""
        versions = defaultdict(list)
        for declaration in (
            DeclarationMensuelle.objects.filter(annexe__in={a for a, _ in groupes}, mois__in={m for _, m in groupes})
            .prefetch_related(Prefetch("lignes", queryset=LigneDeclaration.objects.select_related("motif_sortie")))
            .order_by("version")
        ):
            versions[(declaration.annexe_id, declaration.mois)].append(declaration)
        return versions

    @staticmethod
    def _garder_les_sorties(saisies: list[LigneSaisie], actuelle: DeclarationMensuelle, sans_sortie: set) -> None:
        """A line of a file without the `date_sortie` column keeps the exit its salarié's line already declares."""
        declarees = {ligne.parcours_id: ligne for ligne in actuelle.lignes.all() if ligne.date_sortie}
        for saisie in saisies:
            ligne = declarees.get(saisie.parcours.pk)
            if saisie.ligne in sans_sortie and ligne is not None:
                saisie.date_sortie, saisie.motif_sortie = ligne.date_sortie, ligne.motif_sortie.code

    def _changements(self, groupes, versions, motifs, analyse: Analyse) -> list:
        """Compare with the current version of each month; only the months where importing writes are in the plan.
        A month already transmitted, and an exit the file removes, are said in French for confirmation."""
        plan = []
        for (annexe, mois), saisies in groupes.items():
            du_mois = versions.get((annexe.pk, mois), [])
            actuelle = du_mois[-1] if du_mois else None
            existantes = {ligne.parcours_id: ligne for ligne in actuelle.lignes.all()} if actuelle else {}
            change, sorties_retirees = False, []
            for saisie in saisies:
                motif = motifs[saisie.motif_sortie] if saisie.motif_sortie else None
                ligne = existantes.get(saisie.parcours.pk)
                libelle = f"{annexe.numero} {mois:%m/%Y} – {saisie.parcours.salarie}"
                if ligne is not None and (ligne.heures_travaillees, ligne.date_sortie, ligne.motif_sortie) == (
                    saisie.heures,
                    saisie.date_sortie,
                    motif,
                ):
                    analyse.changements.append(Changement("inchange", saisie.ligne, libelle))
                    continue
                avant = None
                if ligne is not None:
                    motif_avant = ligne.motif_sortie.libelle if ligne.motif_sortie else ""
                    avant = (ligne.heures_travaillees, ligne.date_sortie, motif_avant)
                apres = (saisie.heures, saisie.date_sortie, motif.libelle if motif else "")
                action = "creation" if avant is None else "modification"
                analyse.changements.append(Changement(action, saisie.ligne, libelle, details_ligne(avant, apres)))
                change = True
                if ligne is not None and ligne.date_sortie and not saisie.date_sortie:
                    salarie = saisie.parcours.salarie
                    sorties_retirees.append(
                        avertissement_sortie_supprimee(
                            saisie.ligne, ligne.date_sortie, f"{salarie.prenom} {salarie.nom}", mois
                        )
                    )
            if actuelle is not None and not change and not transmission_a_ecrire(actuelle.etat, actuelle.retenue):
                continue
            plan.append((annexe, mois, saisies))
            transmise = next((v for v in du_mois if v.retenue), None) or next(
                (v for v in reversed(du_mois) if not se_modifie_sur_place(v.etat)), None
            )
            if transmise is not None:
                version = actuelle.version if se_modifie_sur_place(actuelle.etat) else actuelle.version + 1
                analyse.avertissements.append(
                    avertissement_remplacement(
                        annexe.numero,
                        mois,
                        timezone.localdate(transmise.date_transmission) if transmise.date_transmission else None,
                        transmise.etat == EtatDeclaration.VALIDEE,
                        version,
                    )
                )
            analyse.avertissements.extend(sorties_retirees)
        return plan

    def motif_version(self) -> str:
        if self.journal is None:
            return "Import d'un fichier de déclarations en ligne de commande"
        return f"Import du fichier « {self.journal.nom_fichier} » (import n° {self.journal.pk})"

    def appliquer(self, analyse):
        for annexe, mois, saisies in analyse.plan:
            enregistrer_lignes(
                annexe,
                mois,
                saisies,
                auteur=self.utilisateur,
                transmettre=True,
                remplacer=False,
                motif=self.motif_version(),
            )
