"""/api/v1/indicateurs/sorties/ and /api/v1/indicateurs/publics/: the rows of `exporter indicateurs` (sections
`sorties` and `publics`), and the same per structure. Aggregated, not nominative: the DDETS and the CDIAE of the
département, SIAE staff for their own structure; the scoping and validation of /api/v1/consommation/."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from conventions.api import dans_le_perimetre
from conventions.serializers import ConsommationParametresSerializer
from pilotage.indicateurs import (
    ligne_publics,
    ligne_sorties,
    section_publics,
    section_sorties,
    structures_du_departement,
    taux,
)
from siae.models import Siae

from .queries import publics_des_siae, sorties_des_siae

PARTS_PUBLICS = ("femmes", "brsa", "qpv", "moins_26_ans", "50_ans_et_plus", "rqth", "zrr", "deld_detld", "infra_cap")
TAUX = "En %, 1 décimale (« 49.1 ») ; null quand il n'y a rien à diviser."


def _taux(aide=TAUX):
    return serializers.CharField(allow_null=True, help_text=aide)


def champs_sorties() -> dict:
    return {
        "type": serializers.CharField(help_text="Type de structure, ou TOTAL."),
        "examinees": serializers.IntegerField(help_text="Sorties de l'année examinées (spec §7), retraits compris."),
        "retraits": serializers.IntegerField(help_text="Sorties neutralisées."),
        "emploi_durable": serializers.IntegerField(),
        "emploi_transition": serializers.IntegerField(),
        "sorties_positives": serializers.IntegerField(),
        "autres": serializers.IntegerField(help_text="Autres sorties (motif de catégorie AUTRE ou absent)."),
        "taux_sorties_dynamiques": _taux(
            "(emploi durable + transition + positives) ÷ (examinées − retraits), en %, 1 décimale ; null sans "
            "sortie examinée hors retraits."
        ),
        "taux_emploi_durable": _taux(),
    }


def champs_publics() -> dict:
    part = "Part des salariés, en %, 1 décimale ; null sans salarié."
    return {
        "type": serializers.CharField(help_text="Type de structure, ou TOTAL."),
        "salaries": serializers.IntegerField(
            help_text="Salariés (PASS IAE distincts) ayant travaillé au moins une heure dans l'année."
        ),
        **{nom: _taux(part) for nom in PARTS_PUBLICS},
    }


STRUCTURE = {
    "id": serializers.IntegerField(),
    "siret": serializers.CharField(),
    "nom": serializers.CharField(),
}

# Built with type(): "50_ans_et_plus" is no Python name.
SortiesTypeSerializer = type("SortiesTypeSerializer", (serializers.Serializer,), champs_sorties())
SortiesSiaeSerializer = type("SortiesSiaeSerializer", (serializers.Serializer,), {**STRUCTURE, **champs_sorties()})
PublicsTypeSerializer = type("PublicsTypeSerializer", (serializers.Serializer,), champs_publics())
PublicsSiaeSerializer = type(
    "PublicsSiaeSerializer",
    (serializers.Serializer,),
    {
        **STRUCTURE,
        **champs_publics(),
        "embauches": serializers.IntegerField(help_text="Embauches de l'année (parcours commencés)."),
        "part_brsa_embauches": _taux("Part des bénéficiaires du RSA dans les embauches, en %."),
        "objectif_part_brsa": serializers.CharField(
            help_text="Objectif de l'annexe financière, 40.0 (%) quand elle n'en fixe pas."
        ),
        "sous_objectif_brsa": serializers.BooleanField(),
    },
)


class SortiesSerializer(serializers.Serializer):
    annee = serializers.IntegerField()
    departement = serializers.CharField(allow_null=True)
    par_type = SortiesTypeSerializer(many=True, help_text="Une ligne par type présent, puis TOTAL.")
    siae = SortiesSiaeSerializer(many=True, help_text="Les structures ayant des sorties examinées dans l'année.")


class PublicsSerializer(serializers.Serializer):
    annee = serializers.IntegerField()
    departement = serializers.CharField(allow_null=True)
    par_type = PublicsTypeSerializer(many=True, help_text="Une ligne par type présent, puis TOTAL.")
    siae = PublicsSiaeSerializer(many=True)


def annee_et_structures(request) -> tuple[int, str | None, object]:
    """The year (400 when missing or invalid), the département (404 out of scope) and the structures seen."""
    parametres = ConsommationParametresSerializer(data=request.query_params)
    parametres.is_valid(raise_exception=True)
    annee = parametres.validated_data["annee"]
    departement = parametres.validated_data.get("departement")
    if departement and not dans_le_perimetre(request.user, departement):
        raise NotFound("Ce département n'est pas dans votre périmètre.")
    return annee, departement, structures_du_departement(departement, base=Siae.objects.visible_to(request.user))


def _identite(structure) -> dict:
    return {"id": structure.siae_id, "siret": structure.siret, "nom": structure.nom}


PERIMETRE = (
    "Sur les structures que l'utilisateur peut voir : un agent DDETS ou un membre du CDIAE, celles de son "
    "département ; le personnel d'une structure, la sienne. Un département hors du périmètre répond 404 ; "
    "sans département, tout le périmètre. Les lignes par type sont celles de `exporter indicateurs`."
)


class SortiesView(APIView):
    """Sorties dynamiques (spec §7): the figures of the dashboards and `exporter indicateurs`."""

    @extend_schema(
        summary="Sorties dynamiques d'une année",
        description=(
            "Sorties de l'année examinées (ACI, EI : au moins 3 mois entre l'embauche et la sortie ; AI, ETTI : au "
            "moins 150 heures travaillées dans le parcours ; EITI : toujours), par catégorie du motif (sa catégorie "
            "actuelle), retraits neutralisés. " + PERIMETRE
        ),
        parameters=[ConsommationParametresSerializer],
        responses=SortiesSerializer,
    )
    def get(self, request):
        annee, departement, structures = annee_et_structures(request)
        siae = sorted(sorties_des_siae(structures, annee), key=lambda s: (s.structure.type, s.structure.nom))
        donnees = {
            "annee": annee,
            "departement": departement,
            "par_type": section_sorties(structures, annee),
            "siae": [{**_identite(s.structure), **ligne_sorties(s.structure.type, s.compte)} for s in siae],
        }
        return Response(SortiesSerializer(donnees).data)


class PublicsView(APIView):
    """Publics (spec §8): the figures of the dashboards and `exporter indicateurs`."""

    @extend_schema(
        summary="Publics d'une année",
        description=(
            "Salariés (PASS IAE distincts) ayant travaillé au moins une heure dans l'année, et la part de chaque "
            "caractéristique enregistrée à l'embauche (l'âge à la date d'embauche). Par structure, en plus : les "
            "embauches de l'année et la part des bénéficiaires du RSA, contre l'objectif de l'annexe (40 % à "
            "défaut). " + PERIMETRE
        ),
        parameters=[ConsommationParametresSerializer],
        responses=PublicsSerializer,
    )
    def get(self, request):
        annee, departement, structures = annee_et_structures(request)
        siae = sorted(publics_des_siae(structures, annee), key=lambda s: (s.structure.type, s.structure.nom))
        lignes = [
            {
                **_identite(s.structure),
                **ligne_publics(s.structure.type, s.publics),
                "embauches": s.embauches.embauches,
                "part_brsa_embauches": taux(s.embauches.part),
                "objectif_part_brsa": taux(s.embauches.objectif / 100),
                "sous_objectif_brsa": s.embauches.sous_l_objectif,
            }
            for s in siae
        ]
        donnees = {
            "annee": annee,
            "departement": departement,
            "par_type": section_publics(structures, annee),
            "siae": lignes,
        }
        return Response(PublicsSerializer(donnees).data)
