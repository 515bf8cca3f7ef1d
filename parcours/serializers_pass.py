"""The suspensions and prolongations of PASS IAE in /api/v1/: nominative, read-only."""

from rest_framework import serializers

from siae.serializers import SiaeResumeSerializer

from .models import MotifProlongation, MotifSuspension, Prolongation, Suspension
from .serializers import PassIaeSerializer


class MotifSuspensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = MotifSuspension
        fields = ["code", "libelle"]
        read_only_fields = fields


class MotifProlongationSerializer(serializers.ModelSerializer):
    class Meta:
        model = MotifProlongation
        fields = ["code", "libelle"]
        read_only_fields = fields


class SuspensionSerializer(serializers.ModelSerializer):
    pass_iae = PassIaeSerializer(read_only=True)
    siae = SiaeResumeSerializer(read_only=True)
    motif = MotifSuspensionSerializer(read_only=True)
    duree_jours = serializers.SerializerMethodField(help_text="Début et fin compris : la fin du PASS recule d'autant.")

    class Meta:
        model = Suspension
        fields = ["id", "pass_iae", "siae", "motif", "date_debut", "date_fin", "duree_jours", "date_creation"]
        read_only_fields = fields

    def get_duree_jours(self, suspension) -> int:
        return (suspension.date_fin - suspension.date_debut).days + 1


class ProlongationSerializer(serializers.ModelSerializer):
    pass_iae = PassIaeSerializer(read_only=True)
    siae = SiaeResumeSerializer(read_only=True)
    motif = MotifProlongationSerializer(read_only=True)

    class Meta:
        model = Prolongation
        fields = [
            "id", "pass_iae", "siae", "motif", "date_debut", "date_fin", "statut", "date_demande", "date_decision",
            "decideur", "prescripteur_organisation", "prescripteur_personne", "date_fin_formation", "motif_refus",
        ]  # fmt: skip
        read_only_fields = fields
