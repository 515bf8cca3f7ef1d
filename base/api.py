"""What the endpoints of /api/v1/ share: the query parameters for a year, a month or an id, the output of a
month ("2022-06") and of a rate (a percentage string with one decimal, as the indicators show it)."""

import datetime as dt
import re
from decimal import Decimal

import django_filters
from django import forms
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound

from base.calendrier import ANNEE_MAX, ANNEE_MIN
from base.departements import DEPARTEMENT_CHOICES
from base.formats import taux

MOIS = re.compile(r"^(?P<annee>\d{4})-(?P<mois>\d{2})$")
SCHEMA_MOIS = {"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2022-06"}


def lire_mois(valeur: str) -> dt.date | None:
    """'2022-06' → 1 June 2022; None when the value is no month."""
    correspondance = MOIS.match(valeur.strip())
    if not correspondance or not 1 <= int(correspondance["mois"]) <= 12:
        return None
    return dt.date(int(correspondance["annee"]), int(correspondance["mois"]), 1)


class ChampMois(forms.Field):
    default_error_messages = {"invalid": "Mois invalide : attendu AAAA-MM (par exemple 2022-06)."}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        mois = lire_mois(str(value))
        if mois is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return mois


@extend_schema_field(SCHEMA_MOIS)
class MoisFilter(django_filters.Filter):
    """A month given as `AAAA-MM`, filtered as its first day."""

    field_class = ChampMois


# The ids of the database are 64-bit integers: beyond, a filter answers 400 rather than fail in the database.
ID_MAX = 2**63 - 1


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": ID_MAX})
class EntierFilter(django_filters.Filter):
    """An integer (an id): unlike a model choice, an id out of the user's scope is not told apart from an unknown
    one, it just matches nothing."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "integer", "minimum": ANNEE_MIN, "maximum": ANNEE_MAX, "example": 2025})
class AnneeFilter(django_filters.Filter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", ANNEE_MIN)
        kwargs.setdefault("max_value", ANNEE_MAX)
        super().__init__(*args, **kwargs)


def bornes_annee(annee: int) -> tuple[dt.date, dt.date]:
    return dt.date(annee, 1, 1), dt.date(annee, 12, 31)


@extend_schema_field(SCHEMA_MOIS)
class MoisField(serializers.ReadOnlyField):
    """A month (a date on its first day) shown as `2022-06`."""

    def to_representation(self, value):
        return f"{value:%Y-%m}"


@extend_schema_field({"type": "string", "example": "99.7"})
class PourcentageField(serializers.ReadOnlyField):
    """A rate as a percentage with one decimal ("5.0"), as the indicators show it. `en_pourcentage`: the value is
    stored in % (an objective, `60.00`) rather than as a fraction (the modulation, `0.0500`)."""

    def __init__(self, en_pourcentage: bool = False, **kwargs):
        self.en_pourcentage = en_pourcentage
        super().__init__(**kwargs)

    def to_representation(self, value):
        return taux(Decimal(value) / 100 if self.en_pourcentage else value)


def gestionnaire_d_exceptions(exc, context):
    """An object outside the scope is simply "introuvable", in French and without naming the model."""
    from django.http import Http404
    from rest_framework import exceptions
    from rest_framework.views import exception_handler

    if isinstance(exc, Http404) or (
        isinstance(exc, exceptions.NotFound) and str(exc.detail) == str(exceptions.NotFound.default_detail)
    ):
        exc = exceptions.NotFound("Introuvable.")
    return exception_handler(exc, context)


class ParametresAnneeDepartement(serializers.Serializer):
    """The query parameters of the figures of a year: `annee`, and `departement` (all the scope when absent)."""

    annee = serializers.IntegerField(
        min_value=ANNEE_MIN,
        max_value=ANNEE_MAX,
        help_text="Année civile des chiffres.",
        error_messages={
            "required": "Indiquez l'année (par exemple annee=2025).",
            "null": "Indiquez l'année (par exemple annee=2025).",
            "invalid": "L'année doit être un nombre entier (par exemple annee=2025).",
            "min_value": f"L'année doit être comprise entre {ANNEE_MIN} et {ANNEE_MAX}.",
            "max_value": f"L'année doit être comprise entre {ANNEE_MIN} et {ANNEE_MAX}.",
            "max_string_length": "L'année doit être un nombre entier (par exemple annee=2025).",
        },
    )
    departement = serializers.ChoiceField(
        choices=DEPARTEMENT_CHOICES,
        required=False,
        help_text="Département (dans votre périmètre) ; sans lui, tout votre périmètre.",
        error_messages={"invalid_choice": "« {input} » n'est pas un code de département."},
    )


def annee_et_departement(request, parametres_class=ParametresAnneeDepartement) -> tuple[int, str | None, dict]:
    """The year (400 when missing or invalid) and the département (404 when out of the user's scope) of a figures
    endpoint, with all the validated parameters."""
    parametres = parametres_class(data=request.query_params)
    parametres.is_valid(raise_exception=True)
    donnees = parametres.validated_data
    departement = donnees.get("departement")
    if departement and not request.user.perimetre.voit_le_departement(departement):
        raise NotFound("Ce département n'est pas dans votre périmètre.")
    return donnees["annee"], departement, donnees


# Figures endpoints: the aggregates of the scope (by kind, TOTAL) in full, the rows per structure one page at a time,
# computed for that page's structures only. The page is DRF's (`?page=`, PAGE_SIZE rows), its links those of a list.
PARAMETRE_PAGE = OpenApiParameter(
    "page",
    {"type": "integer", "minimum": 1},
    description="Numéro de la page des lignes par structure (à partir de 1). Une page au-delà de la dernière répond "
    "404.",
    required=False,
)


# What a figures endpoint says of its pages, as a list endpoint does (no docstring: it would be the schema's text).
class PaginationSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Nombre de structures sur l'ensemble des pages.")
    next = serializers.URLField(allow_null=True, help_text="La page suivante ; null sur la dernière.")
    previous = serializers.URLField(allow_null=True, help_text="La page précédente ; null sur la première.")


def paginer(request, vue, queryset) -> tuple[list, dict]:
    """One page of `queryset` (ordered) as the API's lists paginate, and the `count`, `next` and `previous` to put
    in the response. A page out of range answers 404."""
    from rest_framework.settings import api_settings

    pagination = api_settings.DEFAULT_PAGINATION_CLASS()
    page = pagination.paginate_queryset(queryset, request, view=vue)
    return list(page), {
        "count": pagination.page.paginator.count,
        "next": pagination.get_next_link(),
        "previous": pagination.get_previous_link(),
    }


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
def adresse_inconnue(request, *args, **kwargs):
    """Any address under /api/v1/ that no endpoint answers (an id that is no number, a mistyped path): a 404 in
    JSON like every other answer of the API, not the site's HTML page."""
    raise NotFound("Introuvable.")
