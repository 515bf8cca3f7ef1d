"""/api/v1/financements/ (with /totaux/) and /api/v1/projets/: read-only, through the user's scope. Lines,
projects and FDI candidatures are written on the pages, which check the caps and the balance."""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from base.api import AnneeFilter, EntierFilter, annee_et_departement, bornes_annee
from base.departements import DEPARTEMENT_CHOICES
from conventions.models import AnnexeFinanciere
from conventions.queries import annexes_du_departement

from . import queries
from .choix import Dispositif, EtatProjet, Financeur
from .models import LigneFinancement, Projet
from .serializers import LigneFinancementSerializer, ProjetSerializer, TotauxParametresSerializer, TotauxSerializer


class LigneFinancementFilter(django_filters.FilterSet):
    annee = AnneeFilter(label="Année")
    departement = django_filters.ChoiceFilter(label="Département", choices=DEPARTEMENT_CHOICES)
    financeur = django_filters.ChoiceFilter(choices=Financeur.choices)
    dispositif = django_filters.ChoiceFilter(choices=Dispositif.choices)
    siae = EntierFilter(label="Structure bénéficiaire (id)", field_name="siae_id")
    projet = EntierFilter(label="Projet bénéficiaire (id)", field_name="projet_id")

    class Meta:
        model = LigneFinancement
        fields = ["annee", "departement", "financeur", "dispositif", "siae", "projet"]


class LigneFinancementViewSet(viewsets.ReadOnlyModelViewSet):
    """The financing lines recorded (other than the aide au poste, computed from the annexes): the DDETS and the
    CDIAE of the département, the staff of the structure concerned (beneficiary, or carrier of the project)."""

    queryset = LigneFinancement.objects.none()
    serializer_class = LigneFinancementSerializer
    filterset_class = LigneFinancementFilter
    search_fields = ["libelle", "siae__nom", "projet__nom"]
    ordering_fields = ["annee", "financeur", "dispositif", "montant_engage", "montant_verse"]
    ordering = ["-annee", "financeur", "dispositif", "pk"]

    def get_queryset(self):
        return LigneFinancement.objects.visible_to(self.request.user).select_related("siae", "projet")

    @extend_schema(
        summary="Totaux d'une année par financeur et par dispositif",
        description=(
            "Engagé, versé, reste à verser et part variable maximale par financeur (puis TOTAL) et par financeur et "
            "dispositif : les lignes saisies, plus l'aide au poste et la modulation de l'État et le cofinancement "
            "des aides au poste par le Département, calculés depuis les annexes financières actives qui commencent "
            "dans l'année. Un département hors du périmètre répond 404."
        ),
        parameters=[TotauxParametresSerializer],
        responses=TotauxSerializer,
        filters=False,
    )
    @action(detail=False, pagination_class=None, filter_backends=[])
    def totaux(self, request):
        annee, departement, parametres = annee_et_departement(request, TotauxParametresSerializer)
        lignes = LigneFinancement.objects.visible_to(request.user)
        annexes = annexes_du_departement(departement, annee, base=AnnexeFinanciere.objects.visible_to(request.user))
        if departement:
            lignes = lignes.filter(departement=departement)
        par_dispositif = queries.totaux_par_dispositif(lignes, annee, annexes=annexes)
        donnees = {
            "annee": annee,
            "departement": departement,
            "par_financeur": queries.regrouper_par_financeur(par_dispositif),
            "par_dispositif": par_dispositif,
        }
        return Response(TotauxSerializer(donnees).data)


class ProjetFilter(django_filters.FilterSet):
    departement = django_filters.ChoiceFilter(label="Département", choices=DEPARTEMENT_CHOICES)
    etat = django_filters.ChoiceFilter(label="État", choices=EtatProjet.choices)
    annee = AnneeFilter(label="Année", method="filtrer_annee", help_text="Projets dont une période chevauche l'année.")
    financeur = django_filters.ChoiceFilter(
        choices=Financeur.choices, method="filtrer_financeur", help_text="Projets qu'il finance (lignes saisies)."
    )
    siae_porteuse = EntierFilter(label="SIAE porteuse (id)", field_name="siae_porteuse_id")

    class Meta:
        model = Projet
        fields = ["departement", "etat", "annee", "financeur", "siae_porteuse"]

    def filtrer_annee(self, queryset, name, annee):
        debut, fin = bornes_annee(annee)
        return queryset.filter(pk__in=Projet.objects.filter(periodes__debut__lte=fin, periodes__fin__gte=debut))

    def filtrer_financeur(self, queryset, name, financeur):
        return queryset.filter(pk__in=LigneFinancement.objects.filter(financeur=financeur).values("projet_id"))


class ProjetViewSet(viewsets.ReadOnlyModelViewSet):
    """Projects with their budget: periods with charges (indirect costs computed), produits and result, the budget
    lines, and whether every period balances."""

    queryset = Projet.objects.none()
    serializer_class = ProjetSerializer
    filterset_class = ProjetFilter
    search_fields = ["nom", "porteur"]
    ordering_fields = ["nom", "departement", "etat"]
    ordering = ["departement", "nom", "pk"]

    def get_queryset(self):
        return (
            Projet.objects.visible_to(self.request.user)
            .select_related("siae_porteuse")
            .prefetch_related("periodes", "lignes_budgetaires")
        )
