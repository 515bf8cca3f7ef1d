from rest_framework import permissions, viewsets

from .filters import SiaeFilter
from .models import Siae
from .serializers import SiaeSerializer


class LectureOuAgentDDETS(permissions.BasePermission):
    """Everyone reads within their scope; only DDETS agents write, within their département.

    A write on one object goes on to the lookup among the structures the user manages (`get_queryset`), so that
    anyone else's id answers 404, as a read out of scope does (spec §10), rather than 403.
    """

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or request.user.perimetre.est_agent or view.detail


class SiaeViewSet(viewsets.ModelViewSet):
    queryset = Siae.objects.none()  # for the schema; requests read get_queryset()
    # No DELETE: conventions, parcours and declarations hang from a structure.
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    serializer_class = SiaeSerializer
    permission_classes = [permissions.IsAuthenticated, LectureOuAgentDDETS]
    filterset_class = SiaeFilter
    search_fields = ["nom", "siret", "commune"]
    ordering_fields = ["nom", "type", "commune", "siret"]
    ordering = ["nom"]

    def get_queryset(self):
        user = self.request.user
        if self.request.method in permissions.SAFE_METHODS:
            queryset = Siae.objects.visible_to(user)
        else:
            queryset = Siae.objects.gerees_par(user)
        return queryset.select_related("ensemblier").prefetch_related("contacts")
