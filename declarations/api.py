"""/api/v1/declarations/: read-only (declarations are entered in the pages and imported).

The list is not nominative (counts and hours): it follows the structures' scope, CDIAE members included. The
detail carries the lines, which name people: it follows the nominative scope, so CDIAE members get 404.
"""

import django_filters
from django.db.models import Count, DecimalField, Prefetch, Sum, Value
from django.db.models.functions import Coalesce
from rest_framework import viewsets

from base.api import AnneeFilter, EntierFilter, MoisFilter

from .models import DeclarationMensuelle, EtatDeclaration, LigneDeclaration
from .serializers import DeclarationDetailSerializer, DeclarationSerializer


class DeclarationFilter(django_filters.FilterSet):
    annexe = EntierFilter(label="Annexe (id)", field_name="annexe_id")
    siae = EntierFilter(label="Structure (id)", field_name="annexe__siae_id")
    mois = MoisFilter(label="Mois", help_text="AAAA-MM")
    annee = AnneeFilter(label="Année", field_name="mois__year")
    etat = django_filters.ChoiceFilter(label="État", choices=EtatDeclaration.choices)
    retenue = django_filters.BooleanFilter(help_text="true : la version dont les heures comptent.")

    class Meta:
        model = DeclarationMensuelle
        fields = ["annexe", "siae", "mois", "annee", "etat", "retenue"]


class DeclarationViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = DeclarationMensuelle.objects.none()  # for the schema; requests read get_queryset()
    filterset_class = DeclarationFilter
    search_fields = ["annexe__numero", "annexe__siae__nom", "annexe__siae__siret"]
    ordering_fields = ["mois", "version", "etat", "date_transmission"]
    ordering = ["-mois", "annexe__numero", "-version"]

    def get_serializer_class(self):
        return DeclarationDetailSerializer if self.action == "retrieve" else DeclarationSerializer

    def get_queryset(self):
        user = self.request.user
        declarations = DeclarationMensuelle.objects.visible_to(user)
        if self.action == "retrieve":
            # The lines name people: the declaration's people must be visible too (never to CDIAE members).
            lignes = (
                LigneDeclaration.objects.visible_to(user)
                .select_related("parcours__salarie", "parcours__pass_iae", "motif_sortie")
                .order_by("parcours__salarie__nom", "parcours__salarie__prenom", "pk")
            )
            declarations = declarations.de_la_structure(user).prefetch_related(Prefetch("lignes", queryset=lignes))
        return declarations.select_related("annexe__siae").annotate(
            nombre_lignes=Count("lignes"),
            heures_travaillees=Coalesce(
                Sum("lignes__heures_travaillees"), Value(0), output_field=DecimalField(max_digits=12, decimal_places=2)
            ),
        )
