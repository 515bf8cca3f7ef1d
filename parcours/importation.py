"""`importer parcours`: one line per hire of a salarié in a SIAE with the PASS IAE it uses.

Key: (numero_pass, structure, date_embauche). The structure is the SIAE of the SIRET; when one employer runs two
kinds of SIAE under that SIRET (an AI and an EI), the optional `type_siae` column says which, else the line is
refused. The PASS's end is computed (24 months − 1 day, pushed by the suspensions and prolongations of a PASS
already known; a start the ASP's flux left unknown is filled in), unless the optional `date_fin_pass` column gives
the official end issued by les emplois de l'inclusion: then that is the end (an empty cell says nothing and keeps
the official end already known). The contract rules the columns allow are checked
(regles_pass): a CDDI under 20 hours a week is refused, the file having no derogation column.
"""

from collections import defaultdict

from base.formats import date_fr as date_lisible
from imports.importeur import Analyse, Changement, ErreurColonne, Importeur
from imports.lecture import ErreurLigne, booleen, date_fr, decimal_fr, texte, texte_limite
from siae.models import Siae, TypeSiae
from siae.regles import normaliser_siret

from .models import Contrat, DureeChomage, Genre, NiveauFormation, Parcours, PassIae, Salarie, TypeContrat
from .regles import erreur_age_a_l_embauche, fin_pass_iae, forme_comparable
from .regles_pass import (
    CONTRATS_PAR_TYPE_DE_SIAE,
    decalage_de_la_fin,
    erreurs_cdi_inclusion,
    erreurs_fin_officielle,
    erreurs_heures_cddi,
    erreurs_type_de_contrat,
)
from .services import SITUATION, enregistrer_embauches
from .services_identite import fin_de_suspension, identites_modifiables, noter_discordances

__all__ = ["CONTRATS_PAR_TYPE_DE_SIAE", "ImportParcours"]

LONGUEURS = {colonne: Salarie._meta.get_field(colonne).max_length for colonne in ("nom", "prenom")}
_HEURES = Contrat._meta.get_field("heures_hebdo")


def decimal_heures(valeur):
    """Hours a week as the contract keeps them: 2 decimals at most, refused beyond rather than rounded."""
    return decimal_fr(valeur, entiers=_HEURES.max_digits - _HEURES.decimal_places, decimales=_HEURES.decimal_places)


# Where the contract rules' fields are in the file.
COLONNE_DU_CHAMP = {"type": "type_contrat", "heures_hebdo": "heures_hebdo", "date_debut": "date_embauche"}
SANS_DEROGATION = (
    " Le fichier n'a pas de colonne de dérogation : enregistrez ce contrat et sa dérogation sur la page du salarié."
)
# One message for every identity that does not match the person of a PASS IAE number already known: it says neither
# which field differs nor which structure or département follows the person (docs/decisions.md).
IDENTITE_DISCORDANTE = (
    "ce numéro de PASS IAE ne correspond pas à l'identité de la ligne (nom, prénom, date de naissance, sexe) : "
    "vérifiez-les. Une identité déjà enregistrée se corrige sur la page du salarié ou avec la DDETS"
)


def imports_suspendus(jusqu_au) -> str:
    return (
        "trop de lignes dont l'identité ne correspond pas au numéro de PASS IAE ces dernières heures : vos imports "
        f"de parcours sont suspendus jusqu'au {date_lisible(jusqu_au)}. La DDETS en est informée ; adressez-vous à "
        "elle pour corriger une identité"
    )


class ImportParcours(Importeur):
    type = "parcours"
    colonnes = (
        "numero_pass",
        "nom",
        "prenom",
        "date_naissance",
        "genre",
        "siret",
        "date_debut_pass",
        "date_embauche",
        "type_contrat",
        "heures_hebdo",
        "brsa",
        "qpv",
        "zrr",
        "rqth",
        "niveau_formation",
        "duree_chomage",
        "type_siae",
        "date_fin_pass",
    )
    colonnes_optionnelles = frozenset(
        {"niveau_formation", "duree_chomage", "heures_hebdo", "auto_prescription", "type_siae", "date_fin_pass"}
    )
    explications = {
        "date_debut_pass": "début du PASS IAE ; sa fin se calcule (24 mois − 1 jour, repoussée par les suspensions "
        "et les prolongations accordées) si date_fin_pass ne la donne pas",
        "type_siae": "ACI, AI, EI, ETTI ou EITI, quand le SIRET est celui de plusieurs structures",
        "date_fin_pass": "fin officielle du PASS IAE, délivrée par les emplois de l'inclusion : elle devient la fin "
        "du PASS, la fin calculée reste affichée à côté et un écart est signalé sur la page du salarié ; vide, la "
        "fin officielle déjà connue est gardée",
    }

    def codes(self):
        return {
            "genre": list(Genre.choices),
            "type_contrat": list(TypeContrat.choices),
            "niveau_formation": [(code, libelle) for code, libelle in NiveauFormation.choices if code],
            "duree_chomage": [(code, libelle) for code, libelle in DureeChomage.choices if code],
            "type_siae": list(TypeSiae.choices),
        }

    def _valeur(self, brut, colonne, analyseur):
        try:
            return analyseur(brut[colonne])
        except ValueError as erreur:
            raise ErreurColonne(colonne, str(erreur)) from None

    def nettoyer_ligne(self, brut):
        numero = texte(brut["numero_pass"]).replace(" ", "").upper()
        if len(numero) != 12 or not numero.isalnum():
            raise ErreurColonne("numero_pass", f"« {numero} » n'est pas un numéro de PASS IAE (12 caractères)")
        valeurs = {"numero_pass": numero, "siret": normaliser_siret(texte(brut["siret"]))}
        valeurs["type_siae"] = texte(brut.get("type_siae", "")).upper()
        if valeurs["type_siae"] and valeurs["type_siae"] not in TypeSiae.values:
            raise ErreurColonne(
                "type_siae", f"« {valeurs['type_siae']} » n'est pas un type de SIAE ({', '.join(TypeSiae.values)})"
            )
        for colonne in ("nom", "prenom"):
            valeurs[colonne] = self._valeur(brut, colonne, lambda v, c=colonne: texte_limite(v, LONGUEURS[c]))
            if not valeurs[colonne]:
                raise ErreurColonne(colonne, "obligatoire")
        for colonne in ("date_naissance", "date_debut_pass", "date_embauche"):
            valeurs[colonne] = self._valeur(brut, colonne, date_fr)
        # The official end (les emplois de l'inclusion), when the file gives it; empty: nothing said.
        fin_officielle = texte(brut.get("date_fin_pass", ""))
        valeurs["date_fin_pass"] = self._valeur(brut, "date_fin_pass", date_fr) if fin_officielle else None
        if erreurs := erreurs_fin_officielle(valeurs["date_fin_pass"], valeurs["date_debut_pass"]):
            raise ErreurColonne("date_fin_pass", f"la fin officielle {erreurs[0].texte.removeprefix('elle ')[:-1]}")
        valeurs["genre"] = texte(brut["genre"]).upper()
        if valeurs["genre"] not in Genre.values:
            raise ErreurColonne("genre", "F ou M attendu")
        valeurs["type_contrat"] = texte(brut["type_contrat"]).upper()
        if valeurs["type_contrat"] not in TypeContrat.values:
            raise ErreurColonne("type_contrat", f"type de contrat inconnu ({', '.join(TypeContrat.values)})")
        heures = texte(brut.get("heures_hebdo", ""))
        valeurs["heures_hebdo"] = self._valeur(brut, "heures_hebdo", decimal_heures) if heures else None
        if valeurs["heures_hebdo"] is not None and not (0 <= valeurs["heures_hebdo"] <= 48):
            raise ErreurColonne("heures_hebdo", "entre 0 et 48 heures par semaine")
        valeurs["auto_prescription"] = (
            self._valeur(brut, "auto_prescription", booleen) if "auto_prescription" in brut else False
        )
        for colonne in ("brsa", "qpv", "zrr", "rqth"):
            valeurs[colonne] = self._valeur(brut, colonne, booleen)
        niveau = texte(brut.get("niveau_formation", "")).upper()
        if niveau not in NiveauFormation.values:
            raise ErreurColonne(
                "niveau_formation", f"valeurs possibles : {', '.join(v for v in NiveauFormation.values if v)}"
            )
        valeurs["niveau_formation"] = niveau
        duree = texte(brut.get("duree_chomage", "")).upper()
        if duree not in DureeChomage.values:
            raise ErreurColonne("duree_chomage", "DELD, DETLD ou vide")
        valeurs["duree_chomage"] = duree
        if erreur := erreur_age_a_l_embauche(valeurs["date_naissance"], valeurs["date_embauche"]):
            raise ErreurColonne("date_naissance", erreur)
        if valeurs["date_embauche"] < valeurs["date_debut_pass"]:
            raise ErreurColonne(
                "date_embauche",
                f"le PASS IAE n'est pas encore valide à cette date (début le {valeurs['date_debut_pass']:%d/%m/%Y})",
            )
        return valeurs

    def erreurs_du_contrat(self, numero, v, siae, contrat) -> list[ErreurLigne]:
        """The contract rules (regles_pass) the file's columns allow to check: the kind for the structure, a CDDI's
        20 hours a week (unless the contract already carries a derogation recorded on the salarié's page: the file
        has no derogation column), a CDI inclusion's age and 12 months of parcours since the PASS's start. The
        file has no contract end: the durations are checked on the salarié's page."""
        derogation = contrat is not None and contrat.derogation
        erreurs = [
            *erreurs_type_de_contrat(v["type_contrat"], siae.type),
            *erreurs_heures_cddi(v["type_contrat"], v["heures_hebdo"], derogation=derogation),
            *erreurs_cdi_inclusion(
                v["type_contrat"],
                v["date_embauche"],
                date_naissance=v["date_naissance"],
                debut_parcours_iae=v["date_debut_pass"],
            ),
        ]
        return [
            ErreurLigne(
                numero,
                COLONNE_DU_CHAMP[e.champ],
                e.texte + (SANS_DEROGATION if e.champ == "heures_hebdo" and v["heures_hebdo"] is not None else ""),
            )
            for e in erreurs
        ]

    @staticmethod
    def structure_de_la_ligne(numero, v, structures: list[Siae]) -> tuple[Siae | None, ErreurLigne | None]:
        """The SIAE of the line's SIRET, of the line's `type_siae` when given. Two kinds under one SIRET and no
        `type_siae`: refused, naming the kinds, rather than a guess."""
        if v["type_siae"]:
            du_type = [s for s in structures if s.type == v["type_siae"]]
            if du_type:
                return du_type[0], None
            if structures:
                types = " et ".join(s.type for s in structures)
                qui = f"d'une SIAE {types}" if len(structures) == 1 else f"des SIAE {types}"
                return None, ErreurLigne(
                    numero, "type_siae", f"le SIRET {v['siret']} est celui {qui}, pas d'une {v['type_siae']}"
                )
        elif len(structures) > 1:
            types = " et ".join(s.type for s in structures)
            return None, ErreurLigne(
                numero,
                "siret",
                f"le SIRET {v['siret']} est celui de plusieurs SIAE ({types}) : "
                "précisez laquelle dans la colonne type_siae",
            )
        elif structures:
            return structures[0], None
        return None, ErreurLigne(numero, "siret", f"aucune SIAE de SIRET {v['siret']}")

    @staticmethod
    def fin_en_vigueur(v, pass_iae: PassIae | None):
        """The PASS's end in force once the line is written: the official end the line gives, else the one already
        known, else 24 months − 1 day from the line's start, pushed by the suspensions and prolongations of a known
        PASS."""
        officielle = v["date_fin_pass"] or (pass_iae.date_fin_officielle if pass_iae is not None else None)
        if officielle is not None:
            return officielle
        fin = fin_pass_iae(v["date_debut_pass"])
        if pass_iae is not None:
            fin += decalage_de_la_fin(pass_iae.date_debut, pass_iae.date_fin)
        return fin

    @staticmethod
    def identite_de_la_ligne(v, salarie: Salarie, modifiable: bool) -> dict | None:
        """The line's values when its identity is that of the PASS's person, None when it is not. The name and the
        birth date must match (case, accents and hyphens aside): the import never changes them. The first name and
        the sex must too, unless the user may change this person's identity (then a difference corrects it); a mere
        difference of spelling keeps the identity recorded."""
        if (forme_comparable(v["nom"]), v["date_naissance"]) != (
            forme_comparable(salarie.nom),
            salarie.date_naissance,
        ):
            return None
        if modifiable:
            return v
        if (forme_comparable(v["prenom"]), v["genre"]) != (forme_comparable(salarie.prenom), salarie.genre):
            return None
        return {**v, "prenom": salarie.prenom, "genre": salarie.genre}

    def planifier(self, lignes, analyse: Analyse):
        if self.utilisateur is not None and (jusqu_au := fin_de_suspension(self.utilisateur)):
            analyse.erreurs.append(ErreurLigne(1, "numero_pass", imports_suspendus(jusqu_au)))
            return
        sirets = {v["siret"] for _, v in lignes}
        structures = {}
        for siae in Siae.objects.filter(siret__in=sirets).order_by("type"):
            structures.setdefault(siae.siret, []).append(siae)
        if self.utilisateur is not None:
            modifiables = set(
                Siae.objects.avec_donnees_nominatives(self.utilisateur)
                .filter(siret__in=sirets)
                .values_list("pk", flat=True)
            )
        numeros = {v["numero_pass"] for _, v in lignes}
        passes = PassIae.objects.select_related("salarie").in_bulk(numeros, field_name="numero")
        identites_permises = identites_modifiables(self.utilisateur, {p.salarie_id for p in passes.values()})
        discordances = defaultdict(list)  # structure id → the salarié of each line whose identity does not match
        # A person followed by another structure is theirs to correct: here only a new hire may be added.
        visibles = None
        if self.utilisateur is not None:
            visibles = set(
                Salarie.objects.de_la_structure(self.utilisateur)
                .filter(pass_iae__numero__in=numeros)
                .values_list("pk", flat=True)
            )
        parcours_existants = {
            (p.pass_iae.numero, p.siae_id, p.date_embauche): p
            for p in Parcours.objects.filter(pass_iae__numero__in=numeros).select_related("pass_iae")
        }
        contrats = {
            (c.parcours_id, c.date_debut): c
            for c in Contrat.objects.filter(parcours__in=[p.pk for p in parcours_existants.values()])
        }
        vues, plan = {}, []
        for numero, v in lignes:
            siae, erreur = self.structure_de_la_ligne(numero, v, structures.get(v["siret"], []))
            if erreur is not None:
                analyse.erreurs.append(erreur)
                continue
            if self.utilisateur is not None and siae.pk not in modifiables:
                analyse.erreurs.append(ErreurLigne(numero, "siret", "cette SIAE n'est pas dans votre périmètre"))
                continue
            cle = (v["numero_pass"], siae.pk, v["date_embauche"])
            existant = parcours_existants.get(cle)
            contrat = contrats.get((existant.pk, v["date_embauche"])) if existant else None
            if erreurs := self.erreurs_du_contrat(numero, v, siae, contrat):
                analyse.erreurs.extend(erreurs)
                continue
            if cle in vues:
                analyse.erreurs.append(ErreurLigne(numero, "numero_pass", f"embauche déjà présente ligne {vues[cle]}"))
                continue
            vues[cle] = numero
            pass_iae = passes.get(v["numero_pass"])
            if pass_iae is not None:
                modifiable = pass_iae.salarie_id in identites_permises
                v = self.identite_de_la_ligne(v, pass_iae.salarie, modifiable)
                if v is None:
                    discordances[siae.pk].append(pass_iae.salarie_id)
                    analyse.erreurs.append(ErreurLigne(numero, "numero_pass", IDENTITE_DISCORDANTE))
                    continue
            if pass_iae and visibles is not None and pass_iae.salarie_id not in visibles:
                # An unknown start or official end (a PASS from the ASP's flux) is filled in, not corrected.
                if pass_iae.date_debut not in (None, v["date_debut_pass"]):
                    analyse.erreurs.append(
                        ErreurLigne(
                            numero,
                            "date_debut_pass",
                            "ce PASS IAE est suivi par une autre structure : seule elle ou la DDETS peut corriger "
                            "sa date de début",
                        )
                    )
                    continue
                if v["date_fin_pass"] and pass_iae.date_fin_officielle not in (None, v["date_fin_pass"]):
                    analyse.erreurs.append(
                        ErreurLigne(
                            numero,
                            "date_fin_pass",
                            "ce PASS IAE est suivi par une autre structure : seule elle ou la DDETS peut corriger "
                            "sa fin officielle",
                        )
                    )
                    continue
            fin = self.fin_en_vigueur(v, pass_iae)
            if v["date_embauche"] > fin:
                analyse.erreurs.append(
                    ErreurLigne(
                        numero,
                        "date_embauche",
                        f"le PASS IAE n'est pas valide à cette date (valide jusqu'au {fin:%d/%m/%Y})",
                    )
                )
                continue
            analyse.departements.add(siae.departement)
            libelle = f"{v['prenom']} {v['nom']} ({v['numero_pass']}) chez {siae.nom}"
            if existant is None:
                analyse.changements.append(Changement("creation", numero, libelle))
                plan.append((siae, v))
                continue
            differences = [c for c in (*SITUATION, "auto_prescription") if getattr(existant, c) != v[c]]
            if pass_iae.date_debut != v["date_debut_pass"]:
                differences.append("date_debut_pass")
            if v["date_fin_pass"] and pass_iae.date_fin_officielle != v["date_fin_pass"]:
                differences.append("date_fin_pass")
            if contrat is None or contrat.type != v["type_contrat"] or contrat.heures_hebdo != v["heures_hebdo"]:
                differences.append("contrat")
            salarie = pass_iae.salarie
            if (salarie.prenom, salarie.genre) != (v["prenom"], v["genre"]):
                differences.append("identité")
            analyse.changements.append(
                Changement("modification" if differences else "inchange", numero, libelle, ", ".join(differences))
            )
            if differences:
                plan.append((siae, v))
        analyse.plan = plan
        if discordances and self.utilisateur is not None:
            self.noter_les_discordances(discordances, analyse)

    def noter_les_discordances(self, discordances: dict, analyse: Analyse) -> None:
        """Count the lines whose identity did not match against the user; once they reach the limit of the window,
        the file says nothing more of any line: what it would have said of the others could still tell a right
        identity from a wrong one."""
        noter_discordances(self.utilisateur, discordances)
        if jusqu_au := fin_de_suspension(self.utilisateur):
            analyse.erreurs = [ErreurLigne(1, "numero_pass", imports_suspendus(jusqu_au))]
            analyse.changements, analyse.avertissements, analyse.plan = [], [], []

    def appliquer(self, analyse):
        enregistrer_embauches(analyse.plan, auteur=self.utilisateur, import_origine=self.journal)
