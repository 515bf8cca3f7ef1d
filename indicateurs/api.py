"""/api/v1/indicateurs/sorties/ and /api/v1/indicateurs/publics/: the rows of `exporter indicateurs` (sections
`sorties` and `publics`), and the same per structure. Aggregated, not nominative: the DDETS and the CDIAE of the
département, SIAE staff for their own structure; the scoping and validation of /api/v1/consommation/.

The rows by kind are the scope's, in full; the rows per structure come one page at a time (`?page=`), computed for
that page's structures only: nationally, thousands of structures would otherwise be aggregated for every call.
The structures paginated are those that may have a row (an annexe in the year, a parcours in the year, an exit
in the year): a page lists those of its structures that have one.
"""

from django.db.models import Exists, OuterRef, Q
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from base.api import (
    PARAMETRE_PAGE,
    PaginationSerializer,
    ParametresAnneeDepartement,
    annee_et_departement,
    bornes_annee,
    paginer,
)
from base.formats import etp, taux
from conventions.models import AnnexeFinanciere
from conventions.queries import annexes_du_departement
from indicateurs.queries_sorties import publics_des_siae, sorties_des_siae
from indicateurs.sections import (
    ligne_publics,
    ligne_sorties,
    section_consommation,
    section_publics,
    section_sorties,
    siae_exportees,
    structures_du_departement,
)
from indicateurs.serializers import ConsommationSerializer
from parcours.models import Parcours
from siae.models import Siae

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


class SortiesSerializer(PaginationSerializer):
    annee = serializers.IntegerField()
    departement = serializers.CharField(allow_null=True)
    par_type = SortiesTypeSerializer(many=True, help_text="Une ligne par type présent, puis TOTAL.")
    siae = SortiesSiaeSerializer(
        many=True, help_text="Les structures de la page ayant des sorties examinées dans l'année."
    )


class PublicsSerializer(PaginationSerializer):
    annee = serializers.IntegerField()
    departement = serializers.CharField(allow_null=True)
    par_type = PublicsTypeSerializer(many=True, help_text="Une ligne par type présent, puis TOTAL.")
    siae = PublicsSiaeSerializer(many=True, help_text="Les structures de la page ayant des salariés ou des embauches.")


def annee_et_structures(request) -> tuple[int, str | None, object]:
    """The year (400 when missing or invalid), the département (404 out of scope) and the structures seen."""
    annee, departement, parametres = annee_et_departement(request)
    return annee, departement, structures_du_departement(departement, base=Siae.objects.visible_to(request.user))


ORDRE_DES_STRUCTURES = ("type", "nom", "siret", "pk")


def page_de_structures(request, vue, structures) -> tuple[object, dict]:
    """The structures of the requested page (a queryset), in the rows' order, and the pagination to answer."""
    ids, pagination = paginer(request, vue, structures.order_by(*ORDRE_DES_STRUCTURES).values_list("pk", flat=True))
    return Siae.objects.filter(pk__in=ids), pagination


def avec_sorties(structures, annee: int):
    """The structures with a parcours ending in the year: those whose exits may be examined."""
    debut, fin = bornes_annee(annee)
    return structures.filter(
        Exists(Parcours.objects.filter(siae=OuterRef("pk"), date_sortie__gte=debut, date_sortie__lte=fin))
    )


def avec_parcours(structures, annee: int):
    """The structures with a parcours overlapping the year: those that may have salariés or hires in it."""
    debut, fin = bornes_annee(annee)
    return structures.filter(
        Exists(
            Parcours.objects.filter(siae=OuterRef("pk"), date_embauche__lte=fin).filter(
                Q(date_sortie__isnull=True) | Q(date_sortie__gte=debut)
            )
        )
    )


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
        parameters=[ParametresAnneeDepartement, PARAMETRE_PAGE],
        responses=SortiesSerializer,
    )
    def get(self, request):
        annee, departement, structures = annee_et_structures(request)
        page, pagination = page_de_structures(request, self, avec_sorties(structures, annee))
        siae = sorted(sorties_des_siae(page, annee), key=lambda s: (s.structure.type, s.structure.nom))
        donnees = {
            **pagination,
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
        parameters=[ParametresAnneeDepartement, PARAMETRE_PAGE],
        responses=PublicsSerializer,
    )
    def get(self, request):
        annee, departement, structures = annee_et_structures(request)
        page, pagination = page_de_structures(request, self, avec_parcours(structures, annee))
        siae = sorted(publics_des_siae(page, annee), key=lambda s: (s.structure.type, s.structure.nom))
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
            **pagination,
            "annee": annee,
            "departement": departement,
            "par_type": section_publics(structures, annee),
            "siae": lignes,
        }
        return Response(PublicsSerializer(donnees).data)


def lignes_siae(annexes, annee: int) -> list[dict]:
    """The rows of `exporter indicateurs`, with the structure's id and the year-end projection."""
    lignes = []
    for structure, ligne in siae_exportees(annexes, annee):
        projection = None
        if structure.projection_etp is not None:
            projection = {
                "mois_ecoules": structure.mois_ecoules,
                "etp_realises": etp(structure.projection_etp),
                "ecart": etp(structure.ecart_projection_etp),
            }
        lignes.append({"id": structure.siae_id, **ligne, "projection": projection})
    return lignes


class ConsommationView(APIView):
    """ETP conventionnés against ETP réalisés (spec §4): the figures of the dashboards and `exporter indicateurs`."""

    @extend_schema(
        summary="Consommation des ETP d'une année",
        description=(
            "Par type de structure (puis TOTAL) et par structure, sur les annexes actives qui chevauchent l'année "
            "et que l'utilisateur peut voir : un agent DDETS ou un membre du CDIAE, celles de son département ; le "
            "personnel d'une structure, les siennes seulement. Un département hors du périmètre répond 404. Les "
            "chiffres sont ceux des tableaux de bord et de `exporter indicateurs` : sur les douze mois d'une année "
            "passée, de janvier au dernier mois déclaré pour l'année en cours ; la projection prolonge linéairement "
            "les mois déclarés jusqu'à décembre."
        ),
        parameters=[ParametresAnneeDepartement, PARAMETRE_PAGE],
        responses=ConsommationSerializer,
    )
    def get(self, request):
        annee, departement, parametres = annee_et_departement(request)
        annexes = annexes_du_departement(departement, annee, base=AnnexeFinanciere.objects.visible_to(request.user))
        page, pagination = page_de_structures(request, self, Siae.objects.filter(pk__in=annexes.values("siae_id")))
        donnees = {
            **pagination,
            "annee": annee,
            "departement": departement,
            "par_type": section_consommation(annexes, annee, materialise=True),
            "siae": lignes_siae(annexes.filter(siae__in=page), annee),
        }
        return Response(ConsommationSerializer(donnees).data)
