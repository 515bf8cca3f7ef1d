from django.db import models
from django.db.models import Q

from base.departements import DEPARTEMENT_CHOICES
from comptes.perimetre import perimetre_departement_queryset, perimetre_queryset
from siae.models import TypeSiae


class IndicateurMensuel(models.Model):
    """The consumption of one active annexe for one month, materialised from the same SQL aggregates the live pages
    run (`indicateurs.queries_consommation`) and rebuilt by `indicateurs.services.rafraichir`: what the curves and
    the monthly summary read (`indicateurs.queries`). Never written by hand; a row is as fresh as its
    `date_calcul`: the last time its figures changed (a refresh that finds them right does not rewrite it). It holds
    only what is read: the ETP-mois, and what they are grouped and scoped by."""

    annexe = models.ForeignKey(
        "conventions.AnnexeFinanciere", on_delete=models.CASCADE, related_name="indicateurs_mensuels"
    )
    mois = models.DateField(help_text="Premier jour du mois.")
    # Copied from the annexe and its structure so that a département's year is one range of one index.
    siae = models.ForeignKey("siae.Siae", on_delete=models.CASCADE, related_name="+")
    departement = models.CharField("département", max_length=3)
    type = models.CharField(max_length=4, choices=TypeSiae.choices)
    etp_conventionnes = models.DecimalField("ETP conventionnés", max_digits=8, decimal_places=2, default=0)
    # ETP-mois at full precision: rounding happens only when a figure is shown.
    etp_realises = models.DecimalField("ETP réalisés", max_digits=32, decimal_places=20, default=0)
    date_calcul = models.DateTimeField("calculé le")

    objects = perimetre_queryset("siae", chemin_departement="departement").as_manager()

    class Meta:
        verbose_name = "indicateur mensuel"
        verbose_name_plural = "indicateurs mensuels"
        ordering = ["annexe", "mois"]
        constraints = [
            models.UniqueConstraint(fields=["annexe", "mois"], name="indicateur_annexe_mois_unique"),
            models.CheckConstraint(
                condition=Q(etp_conventionnes__gte=0, etp_realises__gte=0), name="indicateur_valeurs_positives"
            ),
        ]
        indexes = [
            # A département's months (all kinds, or one: the kind is read from the index itself).
            models.Index(fields=["departement", "mois", "type"], name="indicateur_dep_mois_type_idx"),
            models.Index(fields=["siae", "mois"], name="indicateur_siae_mois_idx"),
        ]

    def __str__(self):
        return f"{self.annexe.numero} – {self.mois:%m/%Y}"


class FaitParcours(models.Model):
    """What the sorties (spec §7) and the publics (spec §8) need of one parcours, computed once when its data changes
    (`indicateurs.services_parcours`) rather than on every read: the hours of its whole span (retained
    declarations of active annexes), whether its exit is examined, its characteristics at hire. The structure's
    kind and département, and the exit motif's category, are read through their tables: they change without the
    parcours."""

    parcours = models.OneToOneField(
        "parcours.Parcours", on_delete=models.CASCADE, primary_key=True, related_name="fait"
    )
    siae = models.ForeignKey("siae.Siae", on_delete=models.CASCADE, related_name="+")
    pass_iae = models.ForeignKey("parcours.PassIae", on_delete=models.CASCADE, related_name="+")
    annee_sortie = models.PositiveSmallIntegerField("année de sortie", null=True, blank=True)
    motif_sortie = models.ForeignKey(
        "parcours.MotifSortie", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    heures = models.DecimalField("heures du parcours", max_digits=12, decimal_places=2, default=0)
    examinee = models.BooleanField("sortie examinée", default=False)
    femme = models.BooleanField(default=False)
    brsa = models.BooleanField(default=False)
    qpv = models.BooleanField(default=False)
    zrr = models.BooleanField(default=False)
    rqth = models.BooleanField(default=False)
    deld_detld = models.BooleanField(default=False)
    infra_cap = models.BooleanField(default=False)
    moins_26_ans = models.BooleanField("moins de 26 ans à l'embauche", default=False)
    cinquante_ans_et_plus = models.BooleanField("50 ans et plus à l'embauche", default=False)
    date_calcul = models.DateTimeField("calculé le")

    objects = perimetre_queryset("siae", nominatif=True).as_manager()

    class Meta:
        verbose_name = "fait d'un parcours"
        verbose_name_plural = "faits des parcours"
        ordering = ["parcours"]
        indexes = [models.Index(fields=["siae", "annee_sortie"], name="fait_siae_sortie_idx")]

    def __str__(self):
        return f"Parcours {self.parcours_id}"


class PresenceAnnuelle(models.Model):
    """A parcours with at least one hour worked in a year (retained declarations of active annexes): the publics of
    the year count the salariés of these rows. `seul` says the PASS IAE has no other such row that year, which is
    the case of nearly every salarié: those rows count by a plain sum in any group, and only the salariés present
    in several parcours need a distinct count."""

    fait = models.ForeignKey(FaitParcours, on_delete=models.CASCADE, related_name="presences", db_column="parcours_id")
    annee = models.PositiveSmallIntegerField("année")
    siae = models.ForeignKey("siae.Siae", on_delete=models.CASCADE, related_name="+")
    pass_iae = models.ForeignKey("parcours.PassIae", on_delete=models.CASCADE, related_name="+")
    # True when written (nearly always right); the refresh then corrects the others in the same transaction.
    seul = models.BooleanField("seule présence du PASS IAE dans l'année", db_default=True)

    objects = perimetre_queryset("siae", nominatif=True).as_manager()

    class Meta:
        verbose_name = "présence annuelle d'un parcours"
        verbose_name_plural = "présences annuelles des parcours"
        ordering = ["annee", "fait"]
        constraints = [models.UniqueConstraint(fields=["fait", "annee"], name="presence_parcours_annee_unique")]
        indexes = [
            models.Index(fields=["siae", "annee"], name="presence_siae_annee_idx"),
            models.Index(fields=["pass_iae", "annee"], name="presence_pass_annee_idx"),
            # The few presences of salariés in several parcours, the only ones the publics count distinctly.
            models.Index(fields=["annee", "siae"], condition=Q(seul=False), name="presence_partagee_idx"),
        ]

    def __str__(self):
        return f"Parcours {self.fait_id} en {self.annee}"


class ParStructureEtAnnee(models.Model):
    """A structure's counts for one year, kept so that any group (a kind, a département, the country) sums rows:
    the structure, the scoping by it, the order and the name of such a row. Each kind says its year."""

    siae = models.ForeignKey("siae.Siae", on_delete=models.CASCADE, related_name="+")

    objects = perimetre_queryset("siae").as_manager()

    class Meta:
        abstract = True
        ordering = ["annee", "siae"]

    def __str__(self):
        return f"Structure {self.siae_id} en {self.annee}"


class PublicsAnnuels(ParStructureEtAnnee):
    """A structure's salariés of a year counted from its presences whose PASS IAE has no other presence that year
    (`PresenceAnnuelle.seul`): in total and per public. Those salariés are counted once whatever the group, so any
    group (a kind, a département, the country) sums these rows, and only the few salariés present in several
    parcours are counted distinctly from the presences. Rebuilt with the presences (`services_parcours`)."""

    annee = models.PositiveSmallIntegerField("année")
    salaries = models.PositiveIntegerField(default=0)
    femme = models.PositiveIntegerField(default=0)
    brsa = models.PositiveIntegerField(default=0)
    qpv = models.PositiveIntegerField(default=0)
    zrr = models.PositiveIntegerField(default=0)
    moins_26_ans = models.PositiveIntegerField(default=0)
    cinquante_ans_et_plus = models.PositiveIntegerField(default=0)
    rqth = models.PositiveIntegerField(default=0)
    deld_detld = models.PositiveIntegerField(default=0)
    infra_cap = models.PositiveIntegerField(default=0)

    class Meta(ParStructureEtAnnee.Meta):
        verbose_name = "publics d'une structure dans l'année"
        verbose_name_plural = "publics des structures par année"
        constraints = [models.UniqueConstraint(fields=["siae", "annee"], name="publics_siae_annee_unique")]
        indexes = [models.Index(fields=["annee", "siae"], name="publics_annee_siae_idx")]


class SortiesAnnuelles(ParStructureEtAnnee):
    """A structure's examined exits of a year (the facts of its parcours, `FaitParcours.examinee`), in total and
    per category of their motif. A parcours exits once: any group (a kind, a département, the country) sums these
    rows. Rebuilt with the facts (`services_parcours`)."""

    annee = models.PositiveSmallIntegerField("année de sortie")
    examinees = models.PositiveIntegerField("sorties examinées", default=0)
    retraits = models.PositiveIntegerField(default=0)
    emploi_durable = models.PositiveIntegerField(default=0)
    emploi_transition = models.PositiveIntegerField(default=0)
    sorties_positives = models.PositiveIntegerField(default=0)

    class Meta(ParStructureEtAnnee.Meta):
        verbose_name = "sorties d'une structure dans l'année"
        verbose_name_plural = "sorties des structures par année"
        constraints = [models.UniqueConstraint(fields=["siae", "annee"], name="sorties_siae_annee_unique")]
        indexes = [models.Index(fields=["annee", "siae"], name="sorties_annee_siae_idx")]


class EmbauchesAnnuelles(ParStructureEtAnnee):
    """A structure's hires of a year (its parcours begun in it) and those of bRSA: any group sums these rows.
    Rebuilt with the facts of the parcours (`services_parcours`)."""

    annee = models.PositiveSmallIntegerField("année d'embauche")
    embauches = models.PositiveIntegerField(default=0)
    brsa = models.PositiveIntegerField("embauches de bRSA", default=0)

    class Meta(ParStructureEtAnnee.Meta):
        verbose_name = "embauches d'une structure dans l'année"
        verbose_name_plural = "embauches des structures par année"
        constraints = [models.UniqueConstraint(fields=["siae", "annee"], name="embauches_siae_annee_unique")]
        indexes = [models.Index(fields=["annee", "siae"], name="embauches_annee_siae_idx")]


class CalculDepartement(models.Model):
    """When the materialised figures of a département were last recomputed whole (every night, or on demand): every
    row is at least as fresh. The rows themselves only record when their figures last changed."""

    departement = models.CharField("département", max_length=3, unique=True)
    date_calcul = models.DateTimeField("recalculé le")

    class Meta:
        verbose_name = "recalcul d'un département"
        verbose_name_plural = "recalculs des départements"
        ordering = ["departement"]

    def __str__(self):
        return f"{self.departement} : {self.date_calcul:%d/%m/%Y %H:%M}"


class ObjectifBrsa(models.Model):
    """The share of bénéficiaires du RSA among hires a département sets itself for a year (the CAOM's floor): the
    cockpit draws it and the bilan compares with it. Without one, the 40 % of `regles_sorties.OBJECTIF_PART_BRSA`.
    The DDETS types it with its bilan's editorial sections."""

    departement = models.CharField("département", max_length=3, choices=DEPARTEMENT_CHOICES)
    annee = models.PositiveSmallIntegerField("année")
    seuil = models.DecimalField(
        "objectif de bénéficiaires du RSA dans les embauches (%)",
        max_digits=5,
        decimal_places=2,
        help_text="Le seuil minimal partagé dans la CAOM, comparé à la part réalisée.",
    )

    # A département's figure: read by its DDETS and its CDIAE, as the bilan it comes with.
    objects = perimetre_departement_queryset("departement").as_manager()

    class Meta:
        verbose_name = "objectif bRSA d'un département"
        verbose_name_plural = "objectifs bRSA des départements"
        ordering = ["departement", "annee"]
        constraints = [
            models.UniqueConstraint(
                fields=["departement", "annee"],
                name="objectif_brsa_un_par_departement_et_annee",
                violation_error_message="L'objectif de ce département pour cette année existe déjà.",
            ),
            models.CheckConstraint(condition=Q(annee__gte=2000, annee__lte=2100), name="objectif_brsa_annee"),
            models.CheckConstraint(condition=Q(seuil__gte=0, seuil__lte=100), name="objectif_brsa_seuil"),
        ]

    def __str__(self):
        return f"Objectif bRSA {self.departement} {self.annee} : {self.seuil} %"
