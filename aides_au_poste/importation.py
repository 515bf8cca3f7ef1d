"""`importer versements` (formats.md): `numero_annexe;date;montant;nature`, the payments received from the ASP.

Key: (annexe, date, nature, montant). A line already recorded is unchanged, so importing the same file twice
changes nothing; two identical lines in one file are refused (the second is named). `numero_annexe` may be the
number of any version of the annexe (its initial number or an avenant's). A regularisation may be negative (an
amount recovered); an advance or a modulation is positive. Agents only (imports/views.TYPES_STRUCTURE), each
for the annexes of their département.
"""

from decimal import Decimal

from base.departements import DEPARTEMENTS
from base.formats import montant_fr
from conventions.models import AnnexeFinanciere, Avenant
from imports.importeur import Analyse, Changement, ErreurColonne, Importeur
from imports.lecture import ErreurLigne, date_fr, decimal_fr, texte

from .models import NatureVersement, Versement

MAXIMUM = Decimal("9999999999.99")
ENTIERS = Versement._meta.get_field("montant").max_digits - Versement._meta.get_field("montant").decimal_places


class ImportVersements(Importeur):
    type = "versements"
    colonnes = ("numero_annexe", "date", "montant", "nature")

    def nettoyer_ligne(self, brut):
        numero = texte(brut["numero_annexe"]).upper()
        if not numero:
            raise ErreurColonne("numero_annexe", "obligatoire")
        try:
            date = date_fr(brut["date"])
        except ValueError as erreur:
            raise ErreurColonne("date", str(erreur)) from None
        if not texte(brut["montant"]):
            raise ErreurColonne("montant", "obligatoire")
        try:
            # Refused before any arithmetic: 1e30 has no cents to round to within the decimal context.
            montant = decimal_fr(brut["montant"], entiers=ENTIERS)
        except ValueError as erreur:
            raise ErreurColonne("montant", str(erreur)) from None
        if montant != montant.quantize(Decimal("0.01")):
            raise ErreurColonne("montant", "au plus deux décimales (centimes)")
        if abs(montant) > MAXIMUM:
            raise ErreurColonne("montant", "montant trop élevé")
        nature = texte(brut["nature"]).upper()
        if nature not in NatureVersement.values:
            raise ErreurColonne("nature", f"nature inconnue ({', '.join(NatureVersement.values)})")
        if montant == 0:
            raise ErreurColonne("montant", "un versement ne peut pas être nul")
        if montant < 0 and nature != NatureVersement.REGULARISATION:
            raise ErreurColonne("montant", "seule une régularisation peut être négative")
        return {"numero": numero, "date": date, "montant": montant.quantize(Decimal("0.01")), "nature": nature}

    def planifier(self, lignes, analyse: Analyse):
        numeros = {v["numero"] for _, v in lignes}
        annexes = {a.numero: a for a in AnnexeFinanciere.objects.filter(numero__in=numeros).select_related("siae")}
        for avenant in Avenant.objects.filter(numero__in=numeros).select_related("annexe__siae"):
            annexes.setdefault(avenant.numero, avenant.annexe)
        existants = set(
            Versement.objects.filter(annexe__in={a.pk for a in annexes.values()}).values_list(
                "annexe_id", "date", "nature", "montant"
            )
        )
        perimetre = self.utilisateur.perimetre if self.utilisateur else None
        vus, plan = {}, []
        for numero, v in lignes:
            annexe = annexes.get(v["numero"])
            if annexe is None:
                analyse.erreurs.append(ErreurLigne(numero, "numero_annexe", f"aucune annexe de numéro {v['numero']}"))
                continue
            departement = annexe.siae.departement
            if perimetre and not perimetre.administrateur and departement not in perimetre.departements_ddets:
                analyse.erreurs.append(
                    ErreurLigne(
                        numero,
                        "numero_annexe",
                        f"vous ne gérez pas le département {departement} ({DEPARTEMENTS[departement]})",
                    )
                )
                continue
            cle = (annexe.pk, v["date"], v["nature"], v["montant"])
            if cle in vus:
                analyse.erreurs.append(ErreurLigne(numero, "montant", f"versement déjà présent ligne {vus[cle]}"))
                continue
            vus[cle] = numero
            analyse.departements.add(departement)
            libelle = f"{annexe.numero} – {NatureVersement(v['nature']).label} du {v['date']:%d/%m/%Y}"
            if cle in existants:
                analyse.changements.append(Changement("inchange", numero, libelle))
                continue
            analyse.changements.append(Changement("creation", numero, libelle, montant_fr(v["montant"])))
            plan.append(Versement(annexe=annexe, date=v["date"], montant=v["montant"], nature=v["nature"]))
        analyse.plan = plan

    def appliquer(self, analyse):
        for versement in analyse.plan:
            versement.import_origine = self.journal
        Versement.objects.bulk_create(analyse.plan)
