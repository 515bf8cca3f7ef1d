"""/api/v1/modulation/: the proposal and decisions of the modulation of the annexes (the page's figures).

- `GET /api/v1/modulation/?annee=&departement=`: the annexes starting in the year, each with its criteria, scores,
  proposed, decided and current rate and amounts; the envelope for the agents of the département.
- `GET /api/v1/modulation/<annexe>/`: one annexe, with every decision.
- `POST /api/v1/modulation/<annexe>/decisions/` (`taux` in %, `commentaire`): a DDETS agent of the annexe's
  département decides; the annexe's rate becomes the decided one.

Read by the DDETS agents of the département and the structure's own staff (its annexes), never by the CDIAE
(empty list, 404). A département out of scope answers 404, an annexe out of scope 404; a decision by a role that
never decides (SIAE staff, CDIAE) 403, by an agent of another département 404.
"""

from django.core.exceptions import ValidationError as ErreurDjango
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from aides_au_poste.queries import annexes_de_l_annee
from base.api import PARAMETRE_PAGE, annee_et_departement, paginer
from base.formats import montant
from conventions.models import AnnexeFinanciere
from conventions.queries import annexes_du_departement

from . import queries, regles
from .serializers import (
    DecisionCreationSerializer,
    DecisionSerializer,
    ModulationAnnexeSerializer,
    ModulationSerializer,
    ParametresSerializer,
    donnees_ligne,
)
from .services import decider_modulation


class DecisionParLesAgents(permissions.BasePermission):
    """Reads within the scope; a decision by the DDETS agents (and administrators) only."""

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or request.user.perimetre.est_agent


class ModulationViewSet(viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated, DecisionParLesAgents]
    queryset = AnnexeFinanciere.objects.none()  # for the schema; requests read get_queryset()
    serializer_class = ModulationAnnexeSerializer
    filter_backends = []
    # The list paginates by hand (`base.api.paginer`): its envelope is the département's, its rows the page's.
    pagination_class = None

    def get_queryset(self):
        user = self.request.user
        if self.request.method in permissions.SAFE_METHODS:
            # The annexes whose instruction the user shares: the DDETS of the département, the structure itself.
            return AnnexeFinanciere.objects.de_la_structure(user)
        return AnnexeFinanciere.objects.gerees_par(user)

    @extend_schema(
        summary="Modulation des annexes d'une année",
        description="Les annexes viennent par pages (`page`) ; l'enveloppe et son reste sont ceux du département.",
        parameters=[ParametresSerializer, PARAMETRE_PAGE],
        responses=ModulationSerializer,
    )
    def list(self, request):
        annee, departement, parametres = annee_et_departement(request, ParametresSerializer)
        annexes = annexes_de_l_annee(annexes_du_departement(departement, annee, base=self.get_queryset()), annee)
        # The annexes one page at a time, in the order of `lignes_de_modulation`; only the page is computed.
        page, pagination = paginer(
            request, self, annexes.order_by("type", "siae__nom", "numero", "pk").values_list("pk", flat=True)
        )
        trouvee = None
        if departement and request.user.perimetre.gere_le_departement(departement):
            trouvee = queries.enveloppe_de(departement, annee)
        enveloppe = None
        if trouvee is None:
            lignes = queries.lignes_de_modulation(annexes.filter(pk__in=page))
        else:
            # The envelope is the département's: its balance counts every annexe of the département, the rows of
            # the page are read from them.
            toutes = queries.lignes_de_modulation(annexes)
            bilan = queries.bilan_enveloppe(trouvee, queries.totaux(toutes))
            enveloppe = {
                "montant": montant(bilan.enveloppe),
                "modulation": montant(bilan.total),
                "reste": montant(bilan.reste),
            }
            dans_la_page = set(page)
            lignes = [ligne for ligne in toutes if ligne.aide.annexe_id in dans_la_page]
        donnees = {
            **pagination,
            "annee": annee,
            "departement": departement,
            "enveloppe": enveloppe,
            "annexes": [donnees_ligne(ligne) for ligne in lignes],
        }
        return Response(ModulationSerializer(donnees).data)

    @extend_schema(summary="Modulation d'une annexe et ses décisions", responses=ModulationAnnexeSerializer)
    def retrieve(self, request, pk=None):
        annexe = self.get_object()
        ligne = queries.lignes_de_modulation(AnnexeFinanciere.objects.filter(pk=annexe.pk))[0]
        donnees = {**donnees_ligne(ligne), "decisions": ligne.decisions}
        return Response(ModulationAnnexeSerializer(donnees).data)

    @extend_schema(
        summary="Décider du taux de modulation d'une annexe",
        request=DecisionCreationSerializer,
        responses={201: DecisionSerializer},
    )
    @action(detail=True, methods=["post"], url_path="decisions")
    def decisions(self, request, pk=None):
        annexe = self.get_object()  # 404 for an annexe the user does not manage
        entree = DecisionCreationSerializer(data=request.data)
        entree.is_valid(raise_exception=True)
        d = entree.validated_data
        try:
            decision = decider_modulation(annexe, regles.taux_en_fraction(d["taux"]), d["commentaire"], request.user)
        except AnnexeFinanciere.DoesNotExist as refus:
            raise Http404 from refus
        except ErreurDjango as refus:
            erreurs = refus.message_dict
            if "__all__" in erreurs:
                erreurs["non_field_errors"] = erreurs.pop("__all__")
            raise ValidationError(erreurs) from refus
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)
