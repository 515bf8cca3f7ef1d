"""`importer siae`: `siret;nom;type;code_postal;commune;departement;ensemblier`, keyed by (SIRET, type).

One employer may run two kinds of SIAE under one SIRET (an AI and an EI): a line whose kind is new for a known
SIRET creates that kind's structure, and the preview says which structure already has the SIRET (to correct a
structure's kind, its page is the place)."""

from django.utils import timezone

from base.departements import DEPARTEMENTS, normaliser_departement
from imports.importeur import Analyse, Changement, ErreurColonne, Importeur
from imports.lecture import ErreurLigne, texte, texte_limite

from .models import Ensemblier, Siae, TypeSiae
from .regles import erreur_siret, normaliser_siret

CHAMPS = ("nom", "code_postal", "commune", "departement")
# The longest text each column's field keeps: a longer one is refused with its line and column, never cut.
LONGUEURS = {
    "nom": Siae._meta.get_field("nom").max_length,
    "commune": Siae._meta.get_field("commune").max_length,
    "ensemblier": Ensemblier._meta.get_field("nom").max_length,
}


def texte_de(brut, colonne: str) -> str:
    try:
        return texte_limite(brut.get(colonne, ""), LONGUEURS[colonne])
    except ValueError as erreur:
        raise ErreurColonne(colonne, str(erreur)) from None


class ImportSiae(Importeur):
    type = "siae"
    colonnes = ("siret", "nom", "type", "code_postal", "commune", "departement", "ensemblier")
    colonnes_optionnelles = frozenset({"ensemblier"})

    def codes(self):
        return {"type": list(TypeSiae.choices)}

    def nettoyer_ligne(self, brut):
        siret = normaliser_siret(texte(brut["siret"]))
        if erreur := erreur_siret(siret):
            raise ErreurColonne("siret", erreur)
        nom = texte_de(brut, "nom")
        if not nom:
            raise ErreurColonne("nom", "le nom est obligatoire")
        type_ = texte(brut["type"]).upper()
        if type_ not in TypeSiae.values:
            raise ErreurColonne("type", f"« {type_} » n'est pas un type de SIAE ({', '.join(TypeSiae.values)})")
        code_postal = texte(brut["code_postal"])
        if isinstance(brut["code_postal"], int | float) and code_postal.isdigit():
            code_postal = code_postal.zfill(5)  # a spreadsheet keeps 01000 as the number 1000
        if code_postal and (len(code_postal) != 5 or not code_postal.isdigit()):
            raise ErreurColonne("code_postal", f"« {code_postal} » n'est pas un code postal (5 chiffres)")
        departement = normaliser_departement(texte(brut["departement"]))
        if departement is None:
            raise ErreurColonne("departement", f"« {texte(brut['departement'])} » n'est pas un code de département")
        perimetre = self.utilisateur.perimetre if self.utilisateur else None
        if perimetre and not perimetre.administrateur and departement not in perimetre.departements_ddets:
            raise ErreurColonne(
                "departement", f"vous ne gérez pas le département {departement} ({DEPARTEMENTS[departement]})"
            )
        return {
            "siret": siret,
            "nom": nom,
            "type": type_,
            "code_postal": code_postal,
            "commune": texte_de(brut, "commune"),
            "departement": departement,
            "ensemblier": texte_de(brut, "ensemblier"),
        }

    def planifier(self, lignes, analyse: Analyse):
        existantes = {
            (siae.siret, siae.type): siae
            for siae in Siae.objects.select_related("ensemblier").filter(
                siret__in={valeurs["siret"] for _, valeurs in lignes}
            )
        }
        autres_types = {}
        for siret, type_ in existantes:
            autres_types.setdefault(siret, []).append(type_)
        perimetre = self.utilisateur.perimetre if self.utilisateur else None
        vues: dict[tuple[str, str], int] = {}
        plan = []
        for numero, valeurs in lignes:
            siret, type_ = valeurs["siret"], valeurs["type"]
            if (siret, type_) in vues:
                analyse.erreurs.append(
                    ErreurLigne(numero, "siret", f"SIRET déjà présent ligne {vues[siret, type_]} pour le type {type_}")
                )
                continue
            vues[siret, type_] = numero
            analyse.departements.add(valeurs["departement"])
            siae = existantes.get((siret, type_))
            if siae is None:
                deja = sorted(autres_types.get(siret, []))
                detail = f"ce SIRET est déjà celui d'une SIAE {', '.join(deja)}" if deja else ""
                analyse.changements.append(Changement("creation", numero, f"{valeurs['nom']} ({siret})", detail))
                plan.append((None, valeurs))
                continue
            if perimetre and not perimetre.administrateur and siae.departement not in perimetre.departements_ddets:
                analyse.erreurs.append(
                    ErreurLigne(numero, "siret", f"cette SIAE relève du département {siae.departement}")
                )
                continue
            differences = [
                f"{champ} : « {getattr(siae, champ)} » → « {valeurs[champ]} »"
                for champ in CHAMPS
                if getattr(siae, champ) != valeurs[champ]
            ]
            ancien_ensemblier = siae.ensemblier.nom if siae.ensemblier else ""
            if ancien_ensemblier != valeurs["ensemblier"]:
                differences.append(f"ensemblier : « {ancien_ensemblier} » → « {valeurs['ensemblier']} »")
            action = "modification" if differences else "inchange"
            analyse.changements.append(
                Changement(action, numero, f"{valeurs['nom']} ({siret})", " ; ".join(differences))
            )
            if differences:
                plan.append((siae, valeurs))
        analyse.plan = plan

    def appliquer(self, analyse):
        noms = {valeurs["ensemblier"] for _, valeurs in analyse.plan if valeurs["ensemblier"]}
        ensembliers = {e.nom: e for e in Ensemblier.objects.filter(nom__in=noms)}
        nouveaux = [Ensemblier(nom=nom) for nom in noms - ensembliers.keys()]
        for ensemblier in Ensemblier.objects.bulk_create(nouveaux):
            ensembliers[ensemblier.nom] = ensemblier
        a_creer, a_modifier = [], []
        maintenant = timezone.now()
        for siae, valeurs in analyse.plan:
            cible = siae or Siae(siret=valeurs["siret"], type=valeurs["type"])
            for champ in CHAMPS:
                setattr(cible, champ, valeurs[champ])
            cible.ensemblier = ensembliers.get(valeurs["ensemblier"])
            cible.date_modification = maintenant
            (a_modifier if siae else a_creer).append(cible)
        Siae.objects.bulk_create(a_creer, batch_size=1000)
        Siae.objects.bulk_update(a_modifier, [*CHAMPS, "ensemblier", "date_modification"], batch_size=1000)
