"""The trail of changes (docs/decisions.md, « L'historique des changements ») on django-simple-history: a model
traced declares `historique = Historique(departement="siae__departement")`; every save and delete of one object
then writes a version: who, when, what the row became, and what the change replaced (`changements`).

Who: the web request's user (simple-history's `HistoryRequestMiddleware`), or the author a service or a task names
with `auteur_des_changements(user)` (a task has no request). Bulk writes of a service go through `creer_en_masse`,
`modifier_en_masse` and `supprimer_en_masse`: one query for the versions of all the rows. An import is one entry
for the whole file (its journal, `imports.models.TraceImport`): inside `ecriture_groupee()`, rows write no version.

The versions are append-only: neither the models nor their querysets update or delete one. The only exception is
the erasure of personal data past its retention period (`effacer_donnees_personnelles`, docs/rgpd.md)."""

import contextvars
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin
from simple_history.manager import HistoricalQuerySet
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from base.versions import donnees_modifiees

_auteur = contextvars.ContextVar("auteur_des_changements", default=None)
_motif = contextvars.ContextVar("motif_des_changements", default=None)
_groupee = contextvars.ContextVar("ecriture_groupee", default=False)

CREATION, MODIFICATION, SUPPRESSION = "+", "~", "-"


class TraceImmuable(Exception):
    """A version of the trail was about to be changed or deleted."""

    def __init__(self):
        super().__init__("L'historique ne se modifie pas : chaque changement y ajoute une version.")


@contextmanager
def auteur_des_changements(utilisateur):
    """The author of the changes written inside the block, where no web request says it (a task, a command)."""
    jeton = _auteur.set(utilisateur)
    try:
        yield
    finally:
        _auteur.reset(jeton)


@contextmanager
def motif_des_changements(motif: str):
    """Why the changes written inside the block were made (an envelope's comment): the versions' reason."""
    jeton = _motif.set(motif or None)
    try:
        yield
    finally:
        _motif.reset(jeton)


@contextmanager
def ecriture_groupee():
    """Rows written inside the block write no version: the caller records one entry for all of them (an import
    and its journal), so that a file of 50,000 lines stays one entry and one query."""
    jeton = _groupee.set(True)
    try:
        yield
    finally:
        _groupee.reset(jeton)


def en_ecriture_groupee() -> bool:
    return _groupee.get()


def auteur_courant(request=None, **kwargs):
    """simple-history's `get_user`: the author named by the code first, else the request's user."""
    explicite = _auteur.get()
    if explicite is not None:
        return explicite
    if request is None:
        request = getattr(HistoricalRecords.context, "request", None)
    utilisateur = getattr(request, "user", None)
    return utilisateur if getattr(utilisateur, "is_authenticated", False) else None


class ImmuableQuerySetMixin:
    def update(self, **kwargs):
        raise TraceImmuable()

    def delete(self):
        raise TraceImmuable()

    def effacer_donnees_personnelles(self, **valeurs) -> int:
        """The one change the trail accepts: personal data past its retention period (docs/rgpd.md)."""
        return super().update(**valeurs)


class ImmuableQuerySet(ImmuableQuerySetMixin, models.QuerySet):
    pass


class TraceQuerySet(ImmuableQuerySetMixin, HistoricalQuerySet):
    pass


class Immuable(models.Model):
    """An entry of the trail: written once, never changed nor deleted (not even by the administration)."""

    objects = ImmuableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TraceImmuable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TraceImmuable()


class TraceBase(Immuable):
    """What every version adds to simple-history's fields: it is an entry of the trail, and it keeps what the change
    replaced, read from the database just before the write (`Historique.pre_save`): the previous version may not
    say it, a whole import writing none."""

    changements = models.JSONField(
        "changements",
        null=True,
        blank=True,
        encoder=DjangoJSONEncoder,
        help_text="{champ: [avant, après]} des champs changés ; vide pour une création ou une suppression.",
    )

    objects = TraceQuerySet.as_manager()

    class Meta:
        abstract = True


class Historique(HistoricalRecords):
    """`HistoricalRecords` with the project's author capture, append-only versions, the rows of an import left to
    its one entry, and `departement`: the path from the object to its département, which scopes the trail page to
    the DDETS of that département (None: a national row, the barème, seen by every DDETS)."""

    def __init__(self, *, departement: str | None = None, **options):
        options.setdefault("bases", [TraceBase])
        options.setdefault("get_user", auteur_courant)
        options.setdefault("historical_queryset", TraceQuerySet)
        super().__init__(**options)
        self.chemin_departement = departement

    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        if getattr(sender._meta, "simple_history_manager_attribute", None) == self.manager_name:
            modele = getattr(sender, self.manager_name).model
            modele.chemin_departement = self.chemin_departement
            modele.modele_suivi = sender
            models.signals.pre_save.connect(self.pre_save, sender=sender, weak=False)
            pre_create_historical_record.connect(_noter_les_changements, sender=modele, weak=False)

    def pre_save(self, instance, raw=False, update_fields=None, **kwargs):
        """What the row holds before it is changed: one query, for the version to say from which value to which."""
        if raw or en_ecriture_groupee() or instance._state.adding or instance.pk is None:
            return
        champs = [
            c.attname
            for c in self.fields_included(instance)
            if (update_fields is None or c.name in update_fields or c.attname in update_fields)
            and not getattr(c, "auto_now", False)  # the date of the save itself is no change
        ]
        instance._valeurs_avant = type(instance)._base_manager.filter(pk=instance.pk).values(*champs).first()

    def get_meta_options(self, model):
        options = super().get_meta_options(model)
        options["verbose_name"] = f"version : {model._meta.verbose_name}"
        options["verbose_name_plural"] = f"versions : {model._meta.verbose_name_plural}"
        return options

    def get_change_reason_for_object(self, instance, history_type, using):
        return super().get_change_reason_for_object(instance, history_type, using) or _motif.get()

    def post_save(self, instance, created, using=None, **kwargs):
        if en_ecriture_groupee():
            return
        champs = kwargs.get("update_fields")
        # A save of untraced fields only (a login's `last_login`) changes nothing the trail shows.
        if champs is not None and champs and set(champs) <= set(self.excluded_fields):
            return
        # Nor does a save that writes again what the row held.
        avant = None if created else instance.__dict__.get("_valeurs_avant")
        if avant is not None and not _changements(avant, instance):
            del instance.__dict__["_valeurs_avant"]
            return
        super().post_save(instance, created, using=using, **kwargs)

    def post_delete(self, instance, using=None, **kwargs):
        if en_ecriture_groupee():
            return
        super().post_delete(instance, using=using, **kwargs)


def _changements(avant: dict | None, objet) -> dict | None:
    if avant is None:
        return None
    return {
        champ: [valeur, getattr(objet, champ)] for champ, valeur in avant.items() if valeur != getattr(objet, champ)
    }


def _noter_les_changements(sender, instance, history_instance, **kwargs):
    history_instance.changements = _changements(instance.__dict__.pop("_valeurs_avant", None), instance)


def modele_historique(modele):
    return getattr(modele, modele._meta.simple_history_manager_attribute).model


def _tracer(modele, objets: list, type_: str, avant: dict | None = None) -> None:
    """The versions of `objets`, in one query; `avant`: {pk: {field: value}} before a bulk update."""
    if objets:
        # A bulk write sends no signal: it moves the version of the data here (base/versions.py).
        donnees_modifiees()
    if en_ecriture_groupee() or not objets:
        return
    historique = modele_historique(modele)
    auteur = historique.get_default_history_user(objets[0])
    date = timezone.now()
    historique.objects.bulk_create(
        historique(
            history_date=date,
            history_user=auteur,
            history_type=type_,
            history_change_reason=getattr(objet, "_change_reason", None) or _motif.get(),
            changements=_changements((avant or {}).get(objet.pk), objet),
            **{champ.attname: getattr(objet, champ.attname) for champ in historique.tracked_fields},
        )
        for objet in objets
    )


def creer_en_masse(modele, objets) -> list:
    """`bulk_create` and the versions of the rows created, in two queries whatever their number."""
    crees = modele._default_manager.bulk_create(list(objets))
    _tracer(modele, crees, CREATION)
    return crees


def modifier_en_masse(modele, objets, champs) -> int:
    objets = list(objets)
    if not objets:
        return 0
    avant = None
    if not en_ecriture_groupee():
        attnames = [modele._meta.get_field(c).attname for c in champs]
        lignes = modele._base_manager.filter(pk__in=[o.pk for o in objets]).values("pk", *attnames)
        avant = {ligne.pop("pk"): ligne for ligne in lignes}
    nombre = modele._default_manager.bulk_update(objets, champs)
    _tracer(modele, objets, MODIFICATION, avant)
    return nombre


def supprimer_en_masse(queryset) -> int:
    """Delete and keep, for each row, a version saying who deleted it (in one query: the rows' own delete signals
    are silenced, and so are those of what the delete cascades to, which the caller deletes first if traced)."""
    objets = list(queryset)
    if not objets:
        return 0
    _tracer(queryset.model, objets, SUPPRESSION)
    with ecriture_groupee():
        queryset.model._base_manager.filter(pk__in=[o.pk for o in objets]).delete()
    return len(objets)


# Soft removal -------------------------------------------------------------------------------------------------------


class Retirable(models.Model):
    """What is removed stays, marked with who removed it and when (a sanction, a financing line): the trail shows
    the removal as a change of `retire_le`, and every figure reads the default manager, which leaves it out."""

    retire_le = models.DateTimeField("retiré le", null=True, blank=True, editable=False)
    retire_par = models.ForeignKey(
        "comptes.Utilisateur",
        verbose_name="retiré par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def retire(self) -> bool:
        return self.retire_le is not None


def sans_les_retires(queryset_class):
    """The default manager of a `Retirable` model: its queryset (scope and all) without the removed rows."""

    class SansLesRetires(models.Manager.from_queryset(queryset_class)):
        def get_queryset(self):
            return super().get_queryset().filter(retire_le__isnull=True)

    SansLesRetires.__name__ = f"SansLesRetires{queryset_class.__name__}"
    return SansLesRetires()


def retirer(objet: Retirable, auteur) -> None:
    """Remove softly: the row stays, its version says who removed it."""
    objet.retire_le, objet.retire_par = timezone.now(), auteur
    with auteur_des_changements(auteur):
        objet.save(update_fields=["retire_le", "retire_par"])


class HistoriqueAdmin(SimpleHistoryAdmin):
    """The administration of a traced model: its « Historique » shows the versions, read-only (nothing is brought
    back from there: a correction is a new change), and saving a form unchanged writes no version."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied("L'historique se consulte ; il ne se modifie pas.")
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        if change and not form.has_changed():
            obj.skip_history_when_saving = True
        try:
            super().save_model(request, obj, form, change)
        finally:
            obj.__dict__.pop("skip_history_when_saving", None)
