"""/api/v1/actions-insertion/: the insertion actions of parcours (trainings, PMSMP, accompaniments).

Nominative, through `visible_to`: the DDETS agents of the département and the structure's own staff read them,
CDIAE members get an empty list and 404 on an object. The structure and the DDETS record them (POST, checked by
the same rules as the salarié's page) and remove one recorded by mistake (DELETE); anyone else's id answers 404,
and a POST by a role that records nothing (the CDIAE) 403. An action is not modified: remove it and record it
again. Filters: `parcours`, `siae` (ids), `type`, `annee` (of its start).
"""

import django_filters
from django.core.exceptions import ValidationError as ErreurDjango
from rest_framework import permissions, viewsets
from rest_framework.exceptions import ValidationError

from base.api import AnneeFilter, EntierFilter

from .models import ActionInsertion, TypeActionInsertion
from .serializers_actions import ActionInsertionSerializer
from .services_actions import enregistrer_action


class ActionInsertionFilter(django_filters.FilterSet):
    parcours = EntierFilter(label="Parcours (id)", field_name="parcours_id")
    siae = EntierFilter(label="Structure (id)", field_name="parcours__siae_id")
    type = django_filters.ChoiceFilter(label="Type d'action", choices=TypeActionInsertion.choices)
    annee = AnneeFilter(label="Année de début", field_name="date_debut__year")

    class Meta:
        model = ActionInsertion
        fields = ["parcours", "siae", "type", "annee"]


class LectureOuEcritureNominative(permissions.BasePermission):
    """Reads within the scope; writes by the roles that write about people (DDETS agents, SIAE staff)."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS or view.detail:
            return True
        perimetre = request.user.perimetre
        return perimetre.est_agent or bool(perimetre.siae_ids)


class ActionInsertionViewSet(viewsets.ModelViewSet):
    queryset = ActionInsertion.objects.none()  # for the schema; requests read get_queryset()
    http_method_names = ["get", "post", "delete", "head", "options"]
    serializer_class = ActionInsertionSerializer
    permission_classes = [permissions.IsAuthenticated, LectureOuEcritureNominative]
    filterset_class = ActionInsertionFilter
    search_fields = ["libelle", "organisme", "parcours__salarie__nom", "parcours__pass_iae__numero"]
    ordering_fields = ["date_debut", "date_creation"]
    ordering = ["-date_debut", "id"]

    def get_queryset(self):
        user = self.request.user
        if self.request.method in permissions.SAFE_METHODS:
            queryset = ActionInsertion.objects.visible_to(user)
        else:
            queryset = ActionInsertion.objects.de_la_structure(user)
        return queryset.select_related("parcours__salarie")

    def perform_create(self, serializer):
        d = serializer.validated_data
        try:
            serializer.instance = enregistrer_action(
                d["parcours"],
                type=d["type"],
                libelle=d["libelle"],
                organisme=d.get("organisme", ""),
                date_debut=d["date_debut"],
                date_fin=d.get("date_fin"),
                heures=d.get("heures"),
                auteur=self.request.user,
            )
        except ErreurDjango as refus:
            raise ValidationError(refus.message_dict) from refus
