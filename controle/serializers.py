from rest_framework import serializers

from siae.serializers import SiaeResumeSerializer

from .models import CampagneControle, ControleSiae, Sanction


class SanctionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sanction
        fields = ["type", "motif", "date_debut", "date_fin", "pourcentage", "date_decision"]
        read_only_fields = fields


class ControleSiaeSerializer(serializers.ModelSerializer):
    """A structure drawn, its counts and its outcome."""

    siae = SiaeResumeSerializer(read_only=True)
    type = serializers.CharField(source="siae.type", read_only=True)
    nb_embauches = serializers.IntegerField(read_only=True, help_text="Embauches tirées pour le contrôle.")
    nb_acceptees = serializers.IntegerField(read_only=True)
    nb_refusees = serializers.IntegerField(read_only=True)
    nb_justificatifs = serializers.IntegerField(read_only=True)
    sanctions = SanctionSerializer(many=True, read_only=True)

    class Meta:
        model = ControleSiae
        fields = [
            "id", "siae", "type", "nb_auto_prescriptions", "nb_embauches", "nb_acceptees", "nb_refusees",
            "nb_justificatifs", "resultat", "commentaire", "date_resultat", "sanctions",
        ]  # fmt: skip
        read_only_fields = fields


class CampagneControleSerializer(serializers.ModelSerializer):
    controles = ControleSiaeSerializer(
        many=True,
        read_only=True,
        help_text="Les structures tirées ; le personnel d'une structure n'y trouve que la sienne.",
    )

    class Meta:
        model = CampagneControle
        fields = [
            "id", "annee", "departement", "part_siae", "graine", "nb_siae_eligibles", "phase",
            "echantillonnage_debut", "echantillonnage_fin", "controle_debut", "controle_fin",
            "contradictoire_debut", "contradictoire_fin", "sanctions_debut", "date_creation", "controles",
        ]  # fmt: skip
        read_only_fields = fields
