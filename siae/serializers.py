from rest_framework import serializers

from .models import ContactSiae, Ensemblier, Siae


class ContactSiaeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContactSiae
        fields = ["nom", "fonction", "email", "telephone"]


class SiaeSerializer(serializers.ModelSerializer):
    ensemblier = serializers.CharField(source="ensemblier.nom", allow_blank=True, required=False, default="")
    contacts = serializers.SerializerMethodField()

    class Meta:
        model = Siae
        fields = [
            "id", "siret", "nom", "type", "departement", "ensemblier", "regie_de_quartier",
            "adresse", "code_postal", "commune", "email", "telephone", "contacts",
        ]  # fmt: skip
        read_only_fields = ["id"]

    def get_contacts(self, siae) -> list[dict] | None:
        """The people to reach; null for CDIAE members, who see no nominative data."""
        if not self.context["request"].user.perimetre.voit_nominatif(siae):
            return None
        return ContactSiaeSerializer(siae.contacts.all(), many=True).data

    def validate_departement(self, departement):
        perimetre = self.context["request"].user.perimetre
        if not perimetre.administrateur and departement not in perimetre.departements_ddets:
            raise serializers.ValidationError("Vous ne gérez pas ce département.")
        return departement

    def validate(self, donnees):
        regie = donnees.get("regie_de_quartier", getattr(self.instance, "regie_de_quartier", False))
        type_ = donnees.get("type", getattr(self.instance, "type", None))
        if regie and type_ not in ("EI", "ACI"):
            raise serializers.ValidationError(
                {"regie_de_quartier": "Une régie de quartier est conventionnée comme EI ou ACI."}
            )
        return donnees

    def _ensemblier(self, donnees):
        nom = (donnees.pop("ensemblier", {}) or {}).get("nom", "").strip()
        return Ensemblier.objects.get_or_create(nom=nom)[0] if nom else None

    def create(self, donnees):
        donnees["ensemblier"] = self._ensemblier(donnees)
        return super().create(donnees)

    def update(self, instance, donnees):
        if "ensemblier" in donnees:
            donnees["ensemblier"] = self._ensemblier(donnees)
        return super().update(instance, donnees)


class SiaeResumeSerializer(serializers.ModelSerializer):
    """The structure an annexe, a parcours or a declaration belongs to."""

    class Meta:
        model = Siae
        fields = ["id", "siret", "nom"]
        read_only_fields = fields
