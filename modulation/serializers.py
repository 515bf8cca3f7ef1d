"""The modulation in /api/v1/: proposals (criteria, indicators, scores), decisions and the envelope.

Rates are percentages with one decimal as strings (« 4.5 »), as everywhere in the API; the share of an indicator
too; hours per ETP with one decimal, scores out of 100 with one decimal, amounts in euros with two; a figure
without data is null. The rows are built by `donnees_*` from the queries' values; the serializers describe them
(schema) and check the input of a decision."""

from decimal import Decimal

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from base.api import PaginationSerializer, PourcentageField
from base.calendrier import ANNEE_MAX, ANNEE_MIN
from base.departements import DEPARTEMENT_CHOICES
from base.formats import montant, taux

from .models import DecisionModulation
from .queries import LigneModulation
from .regles import Critere, Indicateur, Unite, arrondi_note


def _un_chiffre(valeur) -> str | None:
    return None if valeur is None else str(arrondi_note(valeur))


def _valeur_indicateur(indicateur: Indicateur, valeur) -> str | None:
    if valeur is None:
        return None
    return taux(valeur) if indicateur.unite == Unite.PART else _un_chiffre(valeur)


def donnees_indicateur(i: Indicateur) -> dict:
    return {
        "code": i.code,
        "libelle": i.libelle,
        "unite": i.unite,
        "numerateur": str(i.numerateur),
        "denominateur": str(i.denominateur),
        "valeur": _valeur_indicateur(i, i.valeur),
        "cible": _valeur_indicateur(i, i.cible),
        "cible_par_defaut": i.cible_par_defaut,
        "plafond": _valeur_indicateur(i, i.plafond),
        "poids": i.poids,
        "note": _un_chiffre(i.note),
    }


def donnees_critere(c: Critere) -> dict:
    return {
        "code": c.code,
        "libelle": c.libelle,
        "poids": c.poids,
        "note": _un_chiffre(c.note),
        "indicateurs": [donnees_indicateur(i) for i in c.indicateurs],
    }


def donnees_ligne(ligne: LigneModulation) -> dict:
    aide, decision = ligne.aide, ligne.decision
    return {
        "annexe": aide.annexe_id,
        "numero": aide.numero,
        "siae": {"id": aide.siae_id, "siret": aide.siret, "nom": aide.nom},
        "type": aide.type,
        "etat": ligne.etat,
        "annee_criteres": ligne.proposition.annee_reference,
        "criteres": [donnees_critere(c) for c in ligne.proposition.criteres],
        "note_globale": _un_chiffre(ligne.proposition.note),
        "taux_propose": taux(ligne.proposition.taux),
        "taux_decide": taux(decision.taux) if decision else None,
        "date_decision": decision.date if decision else None,
        "taux_annexe": taux(ligne.taux_annexe),
        "socle_conventionne": montant(ligne.socle_conventionne),
        "modulation": montant(ligne.modulation),
        "modulation_au_taux_propose": montant(ligne.modulation_proposee),
    }


class ParametresSerializer(serializers.Serializer):
    """The query parameters of /api/v1/modulation/."""

    annee = serializers.IntegerField(
        min_value=ANNEE_MIN,
        max_value=ANNEE_MAX,
        help_text="Année des annexes (qui commencent dans l'année) ; leurs critères portent sur l'année d'avant.",
        error_messages={
            "required": "Indiquez l'année (par exemple annee=2026).",
            "invalid": "L'année doit être un nombre entier (par exemple annee=2026).",
            "min_value": f"L'année doit être comprise entre {ANNEE_MIN} et {ANNEE_MAX}.",
            "max_value": f"L'année doit être comprise entre {ANNEE_MIN} et {ANNEE_MAX}.",
        },
    )
    departement = serializers.ChoiceField(
        choices=DEPARTEMENT_CHOICES,
        required=False,
        help_text="Département (dans votre périmètre) ; sans lui, tout votre périmètre.",
        error_messages={"invalid_choice": "« {input} » n'est pas un code de département."},
    )


class IndicateurSerializer(serializers.Serializer):
    code = serializers.CharField()
    libelle = serializers.CharField()
    unite = serializers.ChoiceField(choices=[Unite.PART, Unite.HEURES_PAR_ETP])
    numerateur = serializers.CharField()
    denominateur = serializers.CharField()
    valeur = serializers.CharField(allow_null=True, help_text="Une part en % (« 44.1 ») ou des heures par ETP.")
    cible = serializers.CharField()
    cible_par_defaut = serializers.BooleanField(help_text="Vrai : cible par défaut, faute d'objectif négocié.")
    plafond = serializers.CharField(help_text="La valeur qui vaut 100 points.")
    poids = serializers.IntegerField()
    note = serializers.CharField(allow_null=True, help_text="Sur 100 ; null sans donnée.")


class CritereSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=["publics", "effort", "resultats"])
    libelle = serializers.CharField()
    poids = serializers.IntegerField()
    note = serializers.CharField(allow_null=True)
    indicateurs = IndicateurSerializer(many=True)


class SiaeModulationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    siret = serializers.CharField()
    nom = serializers.CharField()


class LigneModulationSerializer(serializers.Serializer):
    annexe = serializers.IntegerField(help_text="Identifiant de l'annexe financière.")
    numero = serializers.CharField()
    siae = SiaeModulationSerializer()
    type = serializers.CharField()
    etat = serializers.CharField()
    annee_criteres = serializers.IntegerField()
    criteres = CritereSerializer(many=True)
    note_globale = serializers.CharField(allow_null=True)
    taux_propose = serializers.CharField(allow_null=True, help_text="En %, au demi-point ; null sans donnée.")
    taux_decide = serializers.CharField(allow_null=True, help_text="Le taux de la dernière décision, en %.")
    date_decision = serializers.DateTimeField(allow_null=True)
    taux_annexe = serializers.CharField(help_text="Le taux de l'annexe aujourd'hui, en %.")
    socle_conventionne = serializers.CharField()
    modulation = serializers.CharField(help_text="Au taux de l'annexe, en euros.")
    modulation_au_taux_propose = serializers.CharField(allow_null=True)


class DecisionSerializer(serializers.ModelSerializer):
    numero_annexe = serializers.CharField(source="annexe.numero", read_only=True)
    taux = PourcentageField()
    taux_propose = PourcentageField(allow_null=True)
    auteur = serializers.SerializerMethodField()

    class Meta:
        model = DecisionModulation
        fields = [
            "id", "annexe", "numero_annexe", "date", "auteur", "taux", "taux_propose", "note_publics", "note_effort",
            "note_resultats", "annee_reference", "commentaire", "donnees",
        ]  # fmt: skip
        read_only_fields = fields

    def get_auteur(self, decision) -> str | None:
        auteur = decision.auteur
        return (auteur.get_full_name() or auteur.email) if auteur else None


class ModulationAnnexeSerializer(LigneModulationSerializer):
    decisions = DecisionSerializer(many=True, help_text="Toutes les décisions, la plus récente d'abord.")


class EnveloppeSerializer(serializers.Serializer):
    montant = serializers.CharField()
    modulation = serializers.CharField(help_text="Somme des modulations des annexes, chacune au centime.")
    reste = serializers.CharField(help_text="Enveloppe − modulation : négatif, un dépassement.")


# The answer of the list is one object (the year, the envelope, the annexes), not a list of them.
@extend_schema_serializer(many=False)
class ModulationSerializer(PaginationSerializer):
    annee = serializers.IntegerField()
    departement = serializers.CharField(allow_null=True)
    enveloppe = EnveloppeSerializer(
        allow_null=True, help_text="Pour les agents de la DDETS du département ; null sans enveloppe saisie."
    )
    annexes = LigneModulationSerializer(many=True, help_text="Les annexes de la page.")


class DecisionCreationSerializer(serializers.Serializer):
    taux = serializers.DecimalField(
        max_digits=3,
        decimal_places=1,
        min_value=Decimal(0),
        max_value=Decimal(10),
        help_text="Le taux décidé en % du socle, de 0 à 10, au dixième de point (« 4.5 »).",
        error_messages={
            "invalid": "Taux décidé : un nombre en % est attendu (« 4.5 »).",
            # These two go through the validators' %-formatting.
            "min_value": "Taux décidé : le taux de modulation est compris entre 0 et 10 %%.",
            "max_value": "Taux décidé : le taux de modulation est compris entre 0 et 10 %%.",
            "max_decimal_places": "Taux décidé : le taux se décide au dixième de point (« 4.5 »).",
            "max_digits": "Taux décidé : le taux de modulation est compris entre 0 et 10 %.",
            "required": "Taux décidé : indiquez le taux.",
        },
    )
    commentaire = serializers.CharField(
        help_text="Les raisons de la décision (obligatoire ; la structure le voit).",
        error_messages={
            "blank": "Commentaire : expliquez la décision.",
            "required": "Commentaire : expliquez la décision.",
        },
    )
