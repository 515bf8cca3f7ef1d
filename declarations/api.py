"""/api/v1/declarations/: read-only (declarations are entered in the pages and imported).

The list is not nominative (counts and hours): it follows the structures' scope, CDIAE members included. The
detail carries the lines, which name people: it follows the nominative scope, so CDIAE members get 404.
"""

from decimal import Decimal

import django_filters
from django.db.models import Count, DecimalField, Prefetch, Sum, Value
from django.db.models.functions import Coalesce
from rest_framework import viewsets

from base.api import AnneeFilter, EntierFilter, MoisFilter

from .models import DeclarationMensuelle, EtatDeclaration, LigneDeclaration
from .serializers import DeclarationDetailSerializer, DeclarationSerializer

ZERO = Decimal("0.00")
TOTAUX_DES_LIGNES = {
    "nombre_lignes": Count("lignes"),
    "heures_travaillees": Coalesce(
        Sum("lignes__heures_travaillees"), Value(0), output_field=DecimalField(max_digits=12, decimal_places=2)
    ),
}
TOTAUX_DES_LIGNES_PAR_DECLARATION = {
    "nombre_lignes": Count("pk"),
    "heures_travaillees": Sum("heures_travaillees"),
}


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
        declarations = declarations.select_related("annexe__siae")
        if self.action == "retrieve":
            return declarations.annotate(**TOTAUX_DES_LIGNES)
        return declarations

    def paginate_queryset(self, queryset):
        """The lines are counted and summed for the page's declarations only, once the page is cut: counting
        them over every declaration of the scope (an aggregate before the LIMIT) cost seconds nationally, on the
        first page as on the last."""
        page = super().paginate_queryset(queryset) or []
        totaux = {
            ligne["declaration_id"]: ligne
            for ligne in LigneDeclaration.objects.filter(declaration__in=[d.pk for d in page])
            .values("declaration_id")
            .annotate(**TOTAUX_DES_LIGNES_PAR_DECLARATION)
            .order_by()
        }
        for declaration in page:
            ligne = totaux.get(declaration.pk, {})
            declaration.nombre_lignes = ligne.get("nombre_lignes", 0)
            declaration.heures_travaillees = ligne.get("heures_travaillees", ZERO)
        return page
