from rest_framework import permissions, viewsets

from .filters import SiaeFilter
from .models import Siae
from .serializers import SiaeSerializer


class LectureOuAgentDDETS(permissions.BasePermission):
    """Everyone reads within their scope; only DDETS agents write, within their département."""

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or request.user.perimetre.est_agent


class SiaeViewSet(viewsets.ModelViewSet):
    queryset = Siae.objects.none()  # for the schema; requests read get_queryset()
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
