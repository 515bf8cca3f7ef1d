from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from base.historique import Immuable
from comptes.perimetre import perimetre_de


class TypeImport(models.TextChoices):
    SIAE = "siae", "Structures (SIAE)"
    ANNEXES = "annexes", "Annexes financières"
    PARCOURS = "parcours", "Parcours et PASS IAE"
    DECLARATIONS = "declarations", "Déclarations mensuelles"
    VERSEMENTS = "versements", "Versements de l'aide au poste"
    FLUXIAE = "fluxiae", "fluxIAE de l'ASP (archive hebdomadaire)"


class StatutImport(models.TextChoices):
    EN_ANALYSE = "EN_ANALYSE", "Analyse en cours"
    ANALYSE = "ANALYSE", "Analysé, en attente de confirmation"
    REFUSE = "REFUSE", "Refusé"
    EN_COURS = "EN_COURS", "En cours d'enregistrement"
    TERMINE = "TERMINE", "Enregistré"
    ECHEC = "ECHEC", "Échec technique"


class ImportQuerySet(models.QuerySet):
    def visible_to(self, user):
        perimetre = perimetre_de(user)
        if perimetre.administrateur:
            return self
        return self.filter(Q(auteur=user) | Q(departement__in=perimetre.departements_ddets, departement__gt=""))


def chemin_fichier(instance, nom):
    return f"imports/{instance.type}/{nom}"


class Import(models.Model):
    """The record of one file brought in: who, when, which file, what it changed, or why it was refused."""

    type = models.CharField(max_length=20, choices=TypeImport.choices)
    fichier = models.FileField(upload_to=chemin_fichier)
    nom_fichier = models.CharField("fichier", max_length=255)
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    departement = models.CharField(
        "département", max_length=3, blank=True, help_text="Vide quand le fichier concerne plusieurs départements."
    )
    date = models.DateTimeField(auto_now_add=True)
    date_fin = models.DateTimeField(null=True, blank=True)
    statut = models.CharField(max_length=10, choices=StatutImport.choices, default=StatutImport.ANALYSE)
    nb_lignes = models.PositiveIntegerField(default=0)
    nb_crees = models.PositiveIntegerField("créés", default=0)
    nb_modifies = models.PositiveIntegerField("modifiés", default=0)
    nb_inchanges = models.PositiveIntegerField("inchangés", default=0)
    # The first errors (settings.IMPORTS_ERREURS_GARDEES), in French, and how many there were in all.
    erreurs = models.JSONField(default=list, blank=True)
    nb_erreurs = models.PositiveIntegerField("erreurs", default=0)
    apercu = models.JSONField(default=list, blank=True)
    # What the preview says would replace or remove something already transmitted: the import runs only once
    # someone has ticked that they read it, and only if running it finds nothing beyond what was confirmed.
    avertissements = models.JSONField(default=list, blank=True)
    confirme_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="confirmé par",
    )
    date_confirmation = models.DateTimeField(null=True, blank=True)
    # Where the execution stands, written every few hundred lines while the file is checked again: the page polls it.
    lignes_total = models.PositiveIntegerField("lignes du fichier", default=0)
    lignes_traitees = models.PositiveIntegerField("lignes vérifiées", default=0)
    progression = models.PositiveSmallIntegerField("progression (%)", default=0)
    # An archive (the fluxIAE): the départements asked (empty: all), and what it changes, view by view.
    departements_demandes = models.JSONField("départements demandés", default=list, blank=True)
    comptes_par_vue = models.JSONField("par vue", default=dict, blank=True)
    fichiers_ignores = models.JSONField("fichiers ignorés", default=list, blank=True)
    # The file and what was read of its lines (preview, errors quoting values) hold personal data: erased past
    # their retention period (docs/rgpd.md, `imports.services_rgpd`); the record of who imported what stays.
    donnees_effacees_le = models.DateTimeField("fichier et détail effacés le", null=True, blank=True)

    objects = ImportQuerySet.as_manager()

    class Meta:
        ordering = ["-date"]
        indexes = [
            models.Index(fields=["departement", "-date"], name="import_dep_date_idx"),
            models.Index(fields=["date"], name="import_date_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(progression__lte=100), name="import_progression_0_100"),
            models.CheckConstraint(
                condition=Q(lignes_traitees__lte=models.F("lignes_total")), name="import_lignes_traitees_total"
            ),
        ]

    def __str__(self):
        return f"Import {self.get_type_display()} – {self.nom_fichier}"

    @property
    def nombre_d_erreurs(self) -> int:
        """All the errors found, of which `erreurs` lists the first (a journal older than the count: its list)."""
        return max(self.nb_erreurs, len(self.erreurs))

    @property
    def erreurs_non_listees(self) -> int:
        return self.nombre_d_erreurs - len(self.erreurs)


class TraceImport(Immuable):
    """The trail's one entry for an import written (docs/decisions.md, « L'historique des changements »): the rows
    of a file write no version each, the journal says which lines changed what. Written once, in the import's
    transaction; never changed."""

    journal = models.OneToOneField(Import, on_delete=models.PROTECT, related_name="trace")
    date = models.DateTimeField(default=timezone.now)
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    departement = models.CharField(
        "département", max_length=3, blank=True, help_text="Vide quand le fichier concerne plusieurs départements."
    )
    resume = models.CharField("résumé", max_length=255)

    class Meta:
        verbose_name = "import enregistré"
        verbose_name_plural = "imports enregistrés"
        ordering = ["-date"]
        indexes = [models.Index(fields=["departement", "date"], name="trace_import_dep_date_idx")]

    def __str__(self):
        return f"{self.journal} : {self.resume}"
