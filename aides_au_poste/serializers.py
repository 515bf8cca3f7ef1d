from rest_framework import serializers

from base.api import PaginationSerializer

from .models import BaremeAideAuPoste, Versement


class BaremeSerializer(serializers.ModelSerializer):
    class Meta:
        model = BaremeAideAuPoste
        fields = ["id", "type", "date_effet", "montant_socle_annuel_par_etp", "source"]
        read_only_fields = fields


class VersementSerializer(serializers.ModelSerializer):
    numero_annexe = serializers.CharField(source="annexe.numero", read_only=True)
    siae = serializers.IntegerField(source="annexe.siae_id", read_only=True)

    class Meta:
        model = Versement
        fields = ["id", "annexe", "numero_annexe", "siae", "date", "montant", "nature"]
        read_only_fields = fields


class AidesTypeSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="Type de structure, ou TOTAL.")
    socle_conventionne = serializers.CharField(help_text="En euros, 2 décimales (« 9107233.27 »).")
    modulation = serializers.CharField()
    total_conventionne = serializers.CharField()
    du = serializers.CharField(help_text="Sur les ETP réalisés des mois déclarés, plafonné au socle conventionné.")
    verse = serializers.CharField(help_text="Somme des versements enregistrés.")


class AidesSiaeSerializer(AidesTypeSerializer):
    id = serializers.IntegerField()
    siret = serializers.CharField()
    nom = serializers.CharField()
    ecart = serializers.CharField(help_text="Dû − versé.")


class AidesAuPosteSerializer(PaginationSerializer):
    annee = serializers.IntegerField()
    departement = serializers.CharField(allow_null=True)
    par_type = AidesTypeSerializer(many=True, help_text="Une ligne par type présent, puis TOTAL.")
    siae = AidesSiaeSerializer(many=True, help_text="Les structures de la page.")
