"""What the apps above `parcours` hold on a salarié's parcours, plugged in when Django starts (their
`AppConfig.ready`), as `base.rafraichissement` does for the figures: the DPO's export and the purge of personal data
(`exports_rgpd`, `services_rgpd`) reach it without `parcours` importing them. docs/rgpd.md lists what each holds."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet


@dataclass(frozen=True)
class Complement:
    """What an app holds on parcours.

    - `cle`: the key its rows take under each parcours in the export;
    - `exporter(parcours_ids)`: {parcours id: [rows as dicts with French keys]}, a fixed number of queries;
    - `purger(salarie_ids)`: erases or deletes what it holds on these salariés being anonymised, in the caller's
      transaction; returns {what: how many};
    - `a_conserver()`: the ids of the parcours whose data must still be kept whatever their age (a control under
      way), as a queryset of `parcours_id` values.
    """

    cle: str
    exporter: Callable[[list[int]], dict[int, list[dict]]]
    purger: Callable[[list[int]], dict[str, int]] | None = None
    a_conserver: Callable[[], QuerySet] | None = None


_complements: dict[str, Complement] = {}


def inscrire(complement: Complement) -> None:
    """Called once by each app, from its `ready()` (a second call with the same key replaces the first)."""
    _complements[complement.cle] = complement


def complements() -> list[Complement]:
    return list(_complements.values())
