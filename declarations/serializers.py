from rest_framework import serializers

from base.api import MoisField
from base.formats import etp
from declarations.regles import echeance_declaration, etp_realises
from parcours.serializers import MotifSortieSerializer, SalarieResumeSerializer
from siae.serializers import SiaeResumeSerializer

from .models import DeclarationMensuelle, LigneDeclaration


class AnnexeResumeSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    numero = serializers.CharField(read_only=True)


class DeclarationSerializer(serializers.ModelSerializer):
    """A declaration without its lines: counts and hours only, nothing about a person."""

    annexe = AnnexeResumeSerializer(read_only=True)
    siae = SiaeResumeSerializer(source="annexe.siae", read_only=True)
    mois = MoisField()
    echeance = serializers.SerializerMethodField(help_text="Le 15 du mois suivant.")
    nombre_lignes = serializers.IntegerField(read_only=True, help_text="Salariés déclarés.")
    heures_travaillees = serializers.DecimalField(
        max_digits=12, decimal_places=2, read_only=True, help_text="Total des heures déclarées."
    )
    etp_realises = serializers.SerializerMethodField(help_text="Heures × 12 / heures annuelles d'un ETP de l'annexe.")

    class Meta:
        model = DeclarationMensuelle
        fields = [
            "id", "annexe", "siae", "mois", "version", "etat", "retenue", "date_transmission", "echeance",
            "nombre_lignes", "heures_travaillees", "etp_realises", "source",
        ]  # fmt: skip
        read_only_fields = fields

    def get_echeance(self, declaration) -> str:
        return echeance_declaration(declaration.mois).isoformat()

    def get_etp_realises(self, declaration) -> str:
        return etp(etp_realises(declaration.heures_travaillees, declaration.annexe.heures_annuelles_par_etp))


class LigneDeclarationSerializer(serializers.ModelSerializer):
    salarie = SalarieResumeSerializer(source="parcours.salarie", read_only=True)
    numero_pass = serializers.CharField(source="parcours.pass_iae.numero", read_only=True)
    motif_sortie = MotifSortieSerializer(read_only=True, allow_null=True)

    class Meta:
        model = LigneDeclaration
        fields = ["id", "parcours", "salarie", "numero_pass", "heures_travaillees", "date_sortie", "motif_sortie"]
        read_only_fields = fields


class DeclarationDetailSerializer(DeclarationSerializer):
    """With its lines, nominative: never for CDIAE members (their detail answers 404)."""

    lignes = LigneDeclarationSerializer(many=True, read_only=True)

    class Meta(DeclarationSerializer.Meta):
        fields = [*DeclarationSerializer.Meta.fields, "motif_retour", "lignes"]
        read_only_fields = fields
