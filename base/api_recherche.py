"""The `search` parameter of /api/v1/ (REST_FRAMEWORK's DEFAULT_FILTER_BACKENDS)."""

from rest_framework import filters
from rest_framework.exceptions import ValidationError


class Recherche(filters.SearchFilter):
    """DRF's `search`, refusing the NUL character with a 400: PostgreSQL's text cannot hold it, and the lookup
    would fail in the database (a 500)."""

    def get_search_terms(self, request):
        if "\x00" in request.query_params.get(self.search_param, ""):
            raise ValidationError({self.search_param: ["La recherche contient un caractère nul."]})
        return super().get_search_terms(request)
