from rest_framework import serializers

from base.api import MoisField, PourcentageField
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
