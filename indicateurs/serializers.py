"""The figures of /api/v1/consommation/, /api/v1/indicateurs/sorties/ and /api/v1/indicateurs/publics/."""

from rest_framework import serializers

from base.api import PaginationSerializer


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


class ConsommationSerializer(PaginationSerializer):
    annee = serializers.IntegerField()
    departement = serializers.CharField(allow_null=True)
    par_type = ConsommationTypeSerializer(many=True, help_text="Une ligne par type présent, puis TOTAL.")
    siae = ConsommationSiaeSerializer(many=True, help_text="Les structures de la page.")
