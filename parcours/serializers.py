from rest_framework import serializers

from siae.serializers import SiaeResumeSerializer

from .models import Contrat, MotifSortie, Parcours, PassIae, Salarie


class PassIaeSerializer(serializers.ModelSerializer):
    """`date_fin` is the end in force: `date_fin_officielle` (les emplois de l'inclusion) when it is known, else
    the end computed from the start, the suspensions and the granted prolongations."""

    class Meta:
        model = PassIae
        fields = ["numero", "date_debut", "date_fin", "date_fin_officielle"]
        read_only_fields = fields


class SalarieSerializer(serializers.ModelSerializer):
    """A person in parcours: identity as needed, never a social security number (none is stored)."""

    pass_iae = PassIaeSerializer(many=True, read_only=True)

    class Meta:
        model = Salarie
        fields = ["id", "nom", "prenom", "date_naissance", "genre", "pass_iae"]
        read_only_fields = fields


class SalarieResumeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Salarie
        fields = ["id", "nom", "prenom"]
        read_only_fields = fields


class MotifSortieSerializer(serializers.ModelSerializer):
    class Meta:
        model = MotifSortie
        fields = ["code", "libelle", "categorie"]
        read_only_fields = fields


class ContratSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contrat
        fields = ["type", "date_debut", "date_fin", "heures_hebdo"]
        read_only_fields = fields


class ParcoursSerializer(serializers.ModelSerializer):
    salarie = SalarieResumeSerializer(read_only=True)
    siae = SiaeResumeSerializer(read_only=True)
    pass_iae = PassIaeSerializer(read_only=True)
    motif_sortie = MotifSortieSerializer(read_only=True, allow_null=True)
    contrats = ContratSerializer(many=True, read_only=True)

    class Meta:
        model = Parcours
        fields = [
            "id", "salarie", "siae", "pass_iae", "date_embauche", "date_sortie", "motif_sortie",
            "brsa", "qpv", "zrr", "rqth", "niveau_formation", "duree_chomage", "contrats",
        ]  # fmt: skip
        read_only_fields = fields
