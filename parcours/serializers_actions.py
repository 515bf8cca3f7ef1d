"""The insertion actions in /api/v1/: nominative (the salarié, their parcours)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import ActionInsertion, Parcours, TypeActionInsertion
from .serializers import SalarieResumeSerializer

SCHEMA_TYPE = {
    "type": "string",
    "enum": list(TypeActionInsertion.values),
    "description": " ; ".join(f"{t.value} : {t.label}" for t in TypeActionInsertion),
}


@extend_schema_field(SCHEMA_TYPE)
class TypeActionField(serializers.ChoiceField):
    """Its own inline enum: `type` is already the name of other choice sets in the schema."""

    def __init__(self, **kwargs):
        super().__init__(choices=TypeActionInsertion.choices, **kwargs)


class ActionInsertionSerializer(serializers.ModelSerializer):
    parcours = serializers.PrimaryKeyRelatedField(
        queryset=Parcours.objects.none(),
        help_text="Identifiant d'un parcours de votre structure (ou de votre département pour la DDETS).",
    )
    type = TypeActionField()
    salarie = SalarieResumeSerializer(source="parcours.salarie", read_only=True)
    siae = serializers.IntegerField(source="parcours.siae_id", read_only=True)

    class Meta:
        model = ActionInsertion
        fields = [
            "id", "parcours", "salarie", "siae", "type", "libelle", "organisme", "date_debut", "date_fin", "heures",
            "date_creation",
        ]  # fmt: skip
        read_only_fields = ["id", "salarie", "siae", "date_creation"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        requete = self.context.get("request")
        if requete is not None:
            # Only a parcours the user writes for: any other id is "not found", whether it exists or not.
            self.fields["parcours"].queryset = Parcours.objects.de_la_structure(requete.user)
