from rest_framework import serializers

from iae.api import ANNEE_MAX, ANNEE_MIN, MoisField, PourcentageField
from iae.departements import DEPARTEMENT_CHOICES
from siae.serializers import SiaeResumeSerializer

from .models import AnnexeFinanciere, Avenant, EtpConventionneMensuel


class AvenantSerializer(serializers.ModelSerializer):
    """One version of the annexe: the initial one (A0M0), then each avenant."""

    mois_effet = MoisField()

    class Meta:
        model = Avenant
        fields = ["numero", "mois_effet", "etp_conventionnes", "date_fin", "date_creation"]
        read_only_fields = fields


class EtpMensuelSerializer(serializers.ModelSerializer):
    mois = MoisField()

    class Meta:
        model = EtpConventionneMensuel
        fields = ["mois", "etp_conventionnes"]
        read_only_fields = fields


class AnnexeFinanciereSerializer(serializers.ModelSerializer):
    siae = SiaeResumeSerializer(read_only=True)
    etp_conventionnes = serializers.DecimalField(
        max_digits=8,
        decimal_places=2,
        read_only=True,
        help_text="ETP conventionnés de la dernière version (avenant compris) ; mois par mois : `etp_mensuels`.",
    )
    taux_modulation = PourcentageField(help_text="Part modulée, en % du socle (« 5.0 »).")
    objectif_sorties_dynamiques = PourcentageField(en_pourcentage=True, allow_null=True)
    objectif_emploi_durable = PourcentageField(en_pourcentage=True, allow_null=True)
    objectif_emploi_transition = PourcentageField(en_pourcentage=True, allow_null=True)
    objectif_sorties_positives = PourcentageField(en_pourcentage=True, allow_null=True)
    objectif_part_brsa = PourcentageField(en_pourcentage=True, allow_null=True)
    avenants = AvenantSerializer(many=True, read_only=True)

    class Meta:
        model = AnnexeFinanciere
        fields = [
            "id", "numero", "prefixe", "siae", "type", "date_debut", "date_fin", "etat", "etp_conventionnes",
            "heures_annuelles_par_etp", "taux_modulation", "montant_cofinance_cd",
            "objectif_sorties_dynamiques", "objectif_emploi_durable", "objectif_emploi_transition",
            "objectif_sorties_positives", "objectif_part_brsa", "avenants",
        ]  # fmt: skip
        read_only_fields = fields


class AnnexeFinanciereDetailSerializer(AnnexeFinanciereSerializer):
    etp_mensuels = EtpMensuelSerializer(many=True, read_only=True)

    class Meta(AnnexeFinanciereSerializer.Meta):
        fields = [*AnnexeFinanciereSerializer.Meta.fields, "etp_mensuels"]
        read_only_fields = fields


# /api/v1/consommation/


class ConsommationParametresSerializer(serializers.Serializer):
    """The query parameters of /api/v1/consommation/."""

    annee = serializers.IntegerField(
        min_value=ANNEE_MIN,
        max_value=ANNEE_MAX,
        help_text="Année civile des chiffres.",
        error_messages={
            "required": "Indiquez l'année (par exemple annee=2025).",
            "null": "Indiquez l'année (par exemple annee=2025).",
            "invalid": "L'année doit être un nombre entier (par exemple annee=2025).",
            "min_value": f"L'année doit être comprise entre {ANNEE_MIN} et {ANNEE_MAX}.",
            "max_value": f"L'année doit être comprise entre {ANNEE_MIN} et {ANNEE_MAX}.",
            "max_string_length": "L'année doit être un nombre entier (par exemple annee=2025).",
        },
    )
    departement = serializers.ChoiceField(
        choices=DEPARTEMENT_CHOICES,
        required=False,
        help_text="Département (dans votre périmètre) ; sans lui, tout votre périmètre.",
        error_messages={"invalid_choice": "« {input} » n'est pas un code de département."},
    )


class ConsommationTypeSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="Type de structure, ou TOTAL.")
    etp_conventionnes = serializers.CharField(allow_null=True, help_text="ETP, 2 décimales (« 426.99 »).")
    etp_realises = serializers.CharField(allow_null=True)
    taux_consommation = serializers.CharField(
        allow_null=True, help_text="En %, 1 décimale (« 99.7 ») ; null sans ETP conventionné."
    )


class ProjectionSerializer(serializers.Serializer):
    mois_ecoules = serializers.IntegerField(help_text="De janvier au dernier mois déclaré.")
    etp_realises = serializers.CharField(help_text="ETP réalisés projetés sur l'année (linéaire).")
    ecart = serializers.CharField(help_text="Projection moins ETP conventionnés de l'année.")


class ConsommationSiaeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    siret = serializers.CharField()
    nom = serializers.CharField()
    type = serializers.CharField()
    etp_conventionnes = serializers.CharField(allow_null=True)
    etp_realises = serializers.CharField(allow_null=True)
    taux_consommation = serializers.CharField(allow_null=True)
    statut_consommation = serializers.CharField(
        allow_null=True, help_text="sous-consommation, conforme ou sur-consommation ; null sans ETP conventionné."
    )
    taux_sorties_dynamiques = serializers.CharField(
        allow_null=True, help_text="En %, 1 décimale ; null sans sortie examinée hors retraits (spec §7)."
    )
    projection = ProjectionSerializer(allow_null=True, help_text="Null tant que rien n'est déclaré dans l'année.")


class ConsommationSerializer(serializers.Serializer):
    annee = serializers.IntegerField()
    departement = serializers.CharField(allow_null=True)
    par_type = ConsommationTypeSerializer(many=True, help_text="Une ligne par type présent, puis TOTAL.")
    siae = ConsommationSiaeSerializer(many=True)
