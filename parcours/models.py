from django.conf import settings
from django.db import models

from base.historique import Historique
from comptes.perimetre import perimetre_queryset


class CategorieSortie(models.TextChoices):
    EMPLOI_DURABLE = "EMPLOI_DURABLE", "Emploi durable"
    EMPLOI_TRANSITION = "EMPLOI_TRANSITION", "Emploi de transition"
    SORTIE_POSITIVE = "SORTIE_POSITIVE", "Sortie positive"
    AUTRE = "AUTRE", "Autre sortie"
    RETRAIT = "RETRAIT", "Retrait (neutralisée)"


class MotifSortie(models.Model):
    """An exit motif and the category it counts in for the sorties dynamiques (spec §7)."""

    code = models.CharField(max_length=40, unique=True)
    libelle = models.CharField("libellé", max_length=255)
    categorie = models.CharField("catégorie", max_length=20, choices=CategorieSortie.choices)
    actif = models.BooleanField(default=True)

    # Each version (libellé, category, active or not), changed by whom and when.
    historique = Historique(departement=None)

    class Meta:
        verbose_name = "motif de sortie"
        verbose_name_plural = "motifs de sortie"
        ordering = ["categorie", "libelle"]

    def __str__(self):
        return self.libelle


class Genre(models.TextChoices):
    FEMME = "F", "Femme"
    HOMME = "M", "Homme"


class DureeChomage(models.TextChoices):
    AUCUNE = "", "Moins de 12 mois ou non renseignée"
    DELD = "DELD", "Demandeur d'emploi de longue durée (12 à 23 mois)"
    DETLD = "DETLD", "Demandeur d'emploi de très longue durée (24 mois et plus)"


class NiveauFormation(models.TextChoices):
    NON_RENSEIGNE = "", "Non renseigné"
    SANS = "SANS", "Sans qualification ni diplôme"
    INFRA_CAP = "INFRA_CAP", "Infra CAP (niveau 3 non atteint)"
    CAP_BEP = "CAP_BEP", "CAP, BEP (niveau 3)"
    BAC = "BAC", "Baccalauréat (niveau 4)"
    BAC_PLUS_2 = "BAC_PLUS_2", "Bac + 2 (niveau 5)"
    BAC_PLUS_3 = "BAC_PLUS_3", "Bac + 3 et plus (niveau 6 et plus)"


# Below CAP, for the publics indicators (spec §8).
NIVEAUX_INFRA_CAP = (NiveauFormation.SANS, NiveauFormation.INFRA_CAP)


class TrancheAge(models.TextChoices):
    """The age on the hire date, in the brackets the publics indicators count (spec §8): what a parcours keeps of
    the birth date once it is erased (docs/rgpd.md)."""

    MOINS_DE_26 = "MOINS_26", "Moins de 26 ans"
    DE_26_A_49 = "26_49", "De 26 à 49 ans"
    CINQUANTE_ET_PLUS = "50_PLUS", "50 ans et plus"


class TypeContrat(models.TextChoices):
    CDDI = "CDDI", "CDD d'insertion"
    CDDU = "CDDU", "CDD d'usage"
    MISSION = "MISSION", "Mission d'intérim"
    CDI_INCLUSION = "CDI_INCLUSION", "CDI inclusion"
    PASSERELLE = "PASSERELLE", "Contrat passerelle"
    INDEPENDANT = "INDEPENDANT", "Accompagnement d'un travailleur indépendant"


class Salarie(models.Model):
    """A person in parcours. Identity only as needed: never the NIR. Past the retention period after the end of
    their parcours (docs/rgpd.md), the identity is erased (`parcours.services_rgpd`): the row stays, with the sex,
    for the figures of past years, and `date_anonymisation` says when."""

    nom = models.CharField(max_length=150)
    prenom = models.CharField("prénom", max_length=150)
    # Required on every form; empty only once erased (constraint below).
    date_naissance = models.DateField("date de naissance", null=True)
    genre = models.CharField(max_length=1, choices=Genre.choices)
    date_anonymisation = models.DateTimeField(
        "données personnelles effacées le",
        null=True,
        blank=True,
        editable=False,
        help_text="Vide tant que l'identité est conservée.",
    )

    objects = perimetre_queryset("parcours__siae", nominatif=True, distinct=True).as_manager()

    historique = Historique(departement="parcours__siae__departement")

    class Meta:
        verbose_name = "salarié"
        ordering = ["nom", "prenom"]
        indexes = [
            models.Index(fields=["nom", "prenom", "date_naissance"], name="salarie_identite_idx"),
            models.Index(fields=["date_anonymisation"], name="salarie_anonymisation_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_naissance__isnull=False) | models.Q(date_anonymisation__isnull=False),
                name="salarie_naissance_sauf_anonymise",
            ),
        ]
        permissions = [("exporter_donnees_personnelles", "Peut exporter toutes les données d'un salarié (RGPD)")]

    def __str__(self):
        if self.date_anonymisation:
            return f"Salarié anonymisé n° {self.pk}"
        return f"{self.prenom} {self.nom}"

    @property
    def anonymise(self) -> bool:
        return self.date_anonymisation is not None


class DiscordanceIdentite(models.Model):
    """Lines of a parcours import whose identity did not match the person of their PASS IAE number, counted per
    analysis, user and structure: what rate-limits the probing of identities (parcours.services_identite) and what
    the DDETS of the structure's département reads. It holds counts and ids, never the identity tried."""

    date = models.DateTimeField(auto_now_add=True)
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    siae = models.ForeignKey("siae.Siae", on_delete=models.CASCADE, related_name="+", verbose_name="structure")
    nombre = models.PositiveIntegerField("lignes discordantes")

    objects = perimetre_queryset("siae", nominatif=True).as_manager()

    class Meta:
        verbose_name = "discordance d'identité à l'import"
        verbose_name_plural = "discordances d'identité à l'import"
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["auteur", "date"], name="discordance_auteur_date_idx"),
            models.Index(fields=["siae", "date"], name="discordance_siae_date_idx"),
        ]
        constraints = [models.CheckConstraint(condition=models.Q(nombre__gt=0), name="discordance_nombre_positif")]

    def __str__(self):
        return f"{self.nombre} ligne(s) discordante(s) le {self.date:%d/%m/%Y}"


class PassIae(models.Model):
    """A PASS IAE. Its dates may be unknown: the ASP's flux gives the number, not always the start. Then every rule
    that needs them says the date is unknown rather than guess it (regles_pass), and the pages show « inconnue ».
    A known start always has its end.

    `date_fin` is the end in force, the one every rule and page reads: the official end issued by les emplois de
    l'inclusion when it is known (`date_fin_officielle`), else the end the rules compute from the start, the
    suspensions and the granted prolongations (`services_pass.fin_calculee`). The pages show the computed end
    beside the official one and flag a difference (docs/decisions.md)."""

    numero = models.CharField("numéro", max_length=12, unique=True)
    salarie = models.ForeignKey(Salarie, on_delete=models.CASCADE, related_name="pass_iae")
    date_debut = models.DateField("début", null=True, blank=True, help_text="Vide : inconnue.")
    date_fin = models.DateField(
        "fin",
        null=True,
        blank=True,
        help_text="La fin officielle si elle est connue, sinon début + 24 mois − 1 jour, repoussée par les "
        "suspensions et les prolongations accordées.",
    )
    date_fin_officielle = models.DateField(
        "fin officielle",
        null=True,
        blank=True,
        help_text="La fin délivrée par les emplois de l'inclusion ; vide : inconnue, la fin est calculée.",
    )

    objects = perimetre_queryset("salarie__parcours__siae", nominatif=True, distinct=True).as_manager()

    historique = Historique(departement="salarie__parcours__siae__departement")

    class Meta:
        verbose_name = "PASS IAE"
        verbose_name_plural = "PASS IAE"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_debut__isnull=True)
                | models.Q(date_fin__isnull=False, date_fin__gte=models.F("date_debut")),
                name="pass_periode",
            ),
            models.CheckConstraint(condition=models.Q(numero__regex=r"^[0-9A-Z]{12}$"), name="pass_numero_12"),
            # The official end, when known, is the end in force.
            models.CheckConstraint(
                condition=models.Q(date_fin_officielle__isnull=True)
                | models.Q(date_fin__isnull=False, date_fin=models.F("date_fin_officielle")),
                name="pass_fin_officielle_en_vigueur",
            ),
        ]

    def __str__(self):
        return self.numero


class FinOfficielleHistorique(models.Model):
    """Each official end a PASS IAE was given (None: taken off, the computed end applies again), when, by whom, and
    by which import when a file brought it."""

    pass_iae = models.ForeignKey(PassIae, on_delete=models.CASCADE, related_name="fins_officielles")
    date_fin_officielle = models.DateField("fin officielle", null=True, blank=True)
    date = models.DateTimeField(auto_now_add=True)
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    import_origine = models.ForeignKey(
        "imports.Import", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "version de la fin officielle d'un PASS IAE"
        verbose_name_plural = "historique des fins officielles des PASS IAE"
        ordering = ["pass_iae", "-date", "-pk"]

    def __str__(self):
        fin = f"{self.date_fin_officielle:%d/%m/%Y}" if self.date_fin_officielle else "retirée"
        return f"{self.pass_iae.numero} : fin officielle {fin} (le {self.date:%d/%m/%Y})"


class Parcours(models.Model):
    """A salarié's parcours in one SIAE, from the first hire to the exit, with the situation at hire."""

    salarie = models.ForeignKey(Salarie, on_delete=models.CASCADE, related_name="parcours")
    siae = models.ForeignKey("siae.Siae", on_delete=models.PROTECT, related_name="parcours")
    pass_iae = models.ForeignKey(PassIae, on_delete=models.PROTECT, related_name="parcours")
    date_embauche = models.DateField("date d'embauche")
    date_sortie = models.DateField("date de sortie", null=True, blank=True)
    motif_sortie = models.ForeignKey(MotifSortie, on_delete=models.PROTECT, null=True, blank=True)
    brsa = models.BooleanField("bénéficiaire du RSA", default=False)
    qpv = models.BooleanField("résident d'un QPV", default=False)
    zrr = models.BooleanField("résident d'une ZRR", default=False)
    rqth = models.BooleanField("RQTH", default=False)
    niveau_formation = models.CharField(
        "niveau de formation", max_length=12, choices=NiveauFormation.choices, blank=True
    )
    duree_chomage = models.CharField("durée de chômage", max_length=5, choices=DureeChomage.choices, blank=True)
    auto_prescription = models.BooleanField(
        "embauche en auto-prescription",
        default=False,
        help_text="Embauche sur le diagnostic d'éligibilité de la structure elle-même (contrôlée a posteriori).",
    )
    # Written when the salarié's birth date is erased: the publics of past years still count this hire in its age
    # bracket (indicateurs.queries_sorties reads the birth date when there is one, this otherwise).
    tranche_age_embauche = models.CharField(
        "âge à l'embauche", max_length=8, choices=TrancheAge.choices, blank=True, editable=False
    )

    objects = perimetre_queryset("siae", nominatif=True).as_manager()

    historique = Historique(departement="siae__departement")

    class Meta:
        verbose_name = "parcours"
        verbose_name_plural = "parcours"
        ordering = ["-date_embauche"]
        indexes = [
            models.Index(fields=["siae", "date_embauche"], name="parcours_siae_embauche_idx"),
            models.Index(fields=["siae", "date_sortie"], name="parcours_siae_sortie_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["pass_iae", "siae", "date_embauche"], name="parcours_unique"),
            models.CheckConstraint(
                condition=models.Q(date_sortie__isnull=True) | models.Q(date_sortie__gte=models.F("date_embauche")),
                name="parcours_sortie_apres_embauche",
            ),
        ]

    def __str__(self):
        return f"{self.salarie} – {self.siae.nom}"


class Contrat(models.Model):
    parcours = models.ForeignKey(Parcours, on_delete=models.CASCADE, related_name="contrats")
    type = models.CharField(max_length=14, choices=TypeContrat.choices)
    date_debut = models.DateField("début")
    date_fin = models.DateField("fin", null=True, blank=True)
    heures_hebdo = models.DecimalField("heures par semaine", max_digits=4, decimal_places=2, null=True, blank=True)
    derogation = models.BooleanField(
        "dérogation", default=False, help_text="Dérogation à la durée minimale du CDDI (4 mois, 20 h par semaine)."
    )
    motif_derogation = models.CharField("motif de la dérogation", max_length=255, blank=True)
    # The ASP's id of the contract (fluxIAE `contrat_id_ctr`): what next week's flux is matched on. None for a
    # contract recorded here. Unique when set (NULLs never collide).
    id_asp = models.PositiveIntegerField(
        "identifiant ASP",
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text="Identifiant du contrat à l'ASP (contrat_id_ctr du fluxIAE), donné par son import.",
    )

    objects = perimetre_queryset("parcours__siae", nominatif=True).as_manager()

    historique = Historique(departement="parcours__siae__departement")

    class Meta:
        ordering = ["parcours", "date_debut"]
        indexes = [models.Index(fields=["parcours", "date_debut"], name="contrat_parcours_debut_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_fin__isnull=True) | models.Q(date_fin__gte=models.F("date_debut")),
                name="contrat_periode",
            ),
            models.CheckConstraint(
                condition=models.Q(heures_hebdo__isnull=True) | models.Q(heures_hebdo__gte=0, heures_hebdo__lte=48),
                name="contrat_heures_hebdo",
            ),
        ]

    def __str__(self):
        return f"{self.get_type_display()} du {self.date_debut:%d/%m/%Y}"


class Decideur(models.TextChoices):
    SIAE = "SIAE", "La structure"
    PRESCRIPTEUR = "PRESCRIPTEUR", "Un prescripteur habilité"


class LimiteDecision(models.TextChoices):
    MOIS = "MOIS", "Un nombre de mois"
    FIN_CONTRAT = "FIN_CONTRAT", "Jusqu'à la fin du contrat"


class LimiteCumul(models.TextChoices):
    AUCUNE = "AUCUNE", "Aucune"
    MOIS = "MOIS", "Un nombre de mois, toutes prolongations du PASS confondues"
    FIN_FORMATION = "FIN_FORMATION", "Jusqu'à la fin de la formation"


class MotifSuspension(models.Model):
    """A reason to suspend a PASS IAE and its limits (spec §6): rules kept as data, editable by administrators."""

    code = models.CharField(max_length=40, unique=True)
    libelle = models.CharField("libellé", max_length=255)
    duree_max_mois = models.PositiveSmallIntegerField("durée maximale (mois)", default=36)
    types_siae = models.CharField(
        "types de structure", max_length=40, blank=True, help_text="Séparés par des virgules ; vide : tous."
    )
    actif = models.BooleanField(default=True)

    historique = Historique(departement=None)

    class Meta:
        verbose_name = "motif de suspension"
        verbose_name_plural = "motifs de suspension"
        ordering = ["libelle"]

    def __str__(self):
        return self.libelle


class MotifProlongation(models.Model):
    """A reason to extend a PASS IAE beyond 24 months, who decides and its limits (spec §6), as data."""

    code = models.CharField(max_length=40, unique=True)
    libelle = models.CharField("libellé", max_length=255)
    decideur = models.CharField("qui décide", max_length=12, choices=Decideur.choices)
    limite_decision = models.CharField("limite d'une décision", max_length=12, choices=LimiteDecision.choices)
    duree_max_decision_mois = models.PositiveSmallIntegerField(
        "durée maximale d'une décision (mois)", null=True, blank=True
    )
    limite_cumul = models.CharField("limite du total", max_length=14, choices=LimiteCumul.choices)
    duree_max_cumulee_mois = models.PositiveSmallIntegerField(
        "total maximal des prolongations (mois)",
        null=True,
        blank=True,
        help_text="Toutes les prolongations du PASS IAE comptent, quel que soit leur motif (article R.5132-1-8).",
    )
    types_siae = models.CharField(
        "types de structure", max_length=40, blank=True, help_text="Séparés par des virgules ; vide : tous."
    )
    actif = models.BooleanField(default=True)

    historique = Historique(departement=None)

    class Meta:
        verbose_name = "motif de prolongation"
        verbose_name_plural = "motifs de prolongation"
        ordering = ["libelle"]

    def __str__(self):
        return self.libelle


class Suspension(models.Model):
    """A suspension of a PASS IAE: its end date moves later by the suspension's length in days."""

    pass_iae = models.ForeignKey(PassIae, on_delete=models.CASCADE, related_name="suspensions")
    motif = models.ForeignKey(MotifSuspension, on_delete=models.PROTECT)
    date_debut = models.DateField("début")
    date_fin = models.DateField("fin")
    siae = models.ForeignKey("siae.Siae", on_delete=models.PROTECT, related_name="suspensions")
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    date_creation = models.DateTimeField(auto_now_add=True)

    objects = perimetre_queryset("siae", nominatif=True).as_manager()

    historique = Historique(departement="siae__departement")

    class Meta:
        ordering = ["pass_iae", "date_debut"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_fin__gte=models.F("date_debut")), name="suspension_periode"
            ),
        ]

    def __str__(self):
        return f"Suspension du {self.date_debut:%d/%m/%Y} au {self.date_fin:%d/%m/%Y}"


class StatutProlongation(models.TextChoices):
    DEMANDEE = "DEMANDEE", "Demandée"
    ACCORDEE = "ACCORDEE", "Accordée"
    REFUSEE = "REFUSEE", "Refusée"


class Prolongation(models.Model):
    """An extension of a PASS IAE beyond 24 months, requested, then granted or refused (with a written reason)."""

    pass_iae = models.ForeignKey(PassIae, on_delete=models.CASCADE, related_name="prolongations")
    motif = models.ForeignKey(MotifProlongation, on_delete=models.PROTECT)
    date_debut = models.DateField("début", help_text="Le lendemain de la fin du PASS en vigueur.")
    date_fin = models.DateField("fin")
    statut = models.CharField(max_length=10, choices=StatutProlongation.choices, default=StatutProlongation.DEMANDEE)
    date_demande = models.DateField("date de la demande")
    date_decision = models.DateField("date de la décision", null=True, blank=True)
    decideur = models.CharField("décidée par", max_length=12, choices=Decideur.choices)
    prescripteur_organisation = models.CharField("organisation du prescripteur", max_length=255, blank=True)
    prescripteur_personne = models.CharField("prescripteur (personne)", max_length=255, blank=True)
    date_fin_formation = models.DateField("fin de la formation", null=True, blank=True)
    motif_refus = models.TextField("motif du refus", blank=True)
    siae = models.ForeignKey("siae.Siae", on_delete=models.PROTECT, related_name="prolongations")
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    date_creation = models.DateTimeField(auto_now_add=True)

    objects = perimetre_queryset("siae", nominatif=True).as_manager()

    historique = Historique(departement="siae__departement")

    class Meta:
        ordering = ["pass_iae", "date_debut"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_fin__gte=models.F("date_debut")), name="prolongation_periode"
            ),
            models.CheckConstraint(
                condition=~models.Q(statut="REFUSEE") | ~models.Q(motif_refus=""), name="prolongation_refus_motive"
            ),
        ]

    def __str__(self):
        return f"Prolongation du {self.date_debut:%d/%m/%Y} au {self.date_fin:%d/%m/%Y} ({self.get_statut_display()})"


class TypeActionInsertion(models.TextChoices):
    """The insertion actions a structure carries out during a parcours (the "effort d'insertion" of the
    modulation of the aide au poste)."""

    FORMATION = "FORMATION", "Formation (pré-qualifiante, qualifiante ou certifiante)"
    PMSMP = "PMSMP", "Période de mise en situation en milieu professionnel (PMSMP)"
    ACCOMPAGNEMENT_SOCIAL = "ACCOMPAGNEMENT_SOCIAL", "Accompagnement social (levée des freins)"
    ACCOMPAGNEMENT_PROFESSIONNEL = "ACCOMPAGNEMENT_PROFESSIONNEL", "Accompagnement professionnel (projet, emploi)"


class ActionInsertion(models.Model):
    """A training, an immersion (PMSMP) or an accompaniment of a salarié during their parcours in a structure."""

    parcours = models.ForeignKey(Parcours, on_delete=models.CASCADE, related_name="actions_insertion")
    type = models.CharField("type d'action", max_length=30, choices=TypeActionInsertion.choices)
    libelle = models.CharField("intitulé", max_length=255)
    organisme = models.CharField("organisme ou entreprise d'accueil", max_length=255, blank=True)
    date_debut = models.DateField("début")
    date_fin = models.DateField("fin", null=True, blank=True)
    heures = models.DecimalField("durée (heures)", max_digits=6, decimal_places=2, null=True, blank=True)
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    date_creation = models.DateTimeField(auto_now_add=True)

    objects = perimetre_queryset("parcours__siae", nominatif=True).as_manager()

    class Meta:
        verbose_name = "action d'insertion"
        verbose_name_plural = "actions d'insertion"
        ordering = ["parcours", "date_debut", "pk"]
        indexes = [
            models.Index(fields=["parcours", "date_debut"], name="action_parcours_debut_idx"),
            models.Index(fields=["date_debut", "type"], name="action_debut_type_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_fin__isnull=True) | models.Q(date_fin__gte=models.F("date_debut")),
                name="action_periode",
            ),
            models.CheckConstraint(
                condition=models.Q(heures__isnull=True) | models.Q(heures__gt=0), name="action_heures_positives"
            ),
            models.CheckConstraint(
                condition=~models.Q(type="PMSMP") | models.Q(date_fin__isnull=False), name="action_pmsmp_fin"
            ),
        ]

    def __str__(self):
        return f"{self.get_type_display()} du {self.date_debut:%d/%m/%Y}"


class PurgeDonneesPersonnelles(models.Model):
    """The trace of one purge of personal data past their retention period (docs/rgpd.md): when, started by whom
    or what, up to which date, and how many rows of each kind were anonymised or deleted. It names nobody."""

    date = models.DateTimeField(auto_now_add=True)
    origine = models.CharField(
        max_length=150, help_text="La tâche planifiée, ou la commande et le compte système qui l'a lancée."
    )
    date_limite = models.DateField(
        "fin de parcours avant le", help_text="Les salariés dont tout s'est terminé avant ce jour sont anonymisés."
    )
    date_limite_imports = models.DateField("fichiers d'import déposés avant le")
    nb_salaries = models.PositiveIntegerField("salariés anonymisés", default=0)
    nb_fichiers_import = models.PositiveIntegerField("fichiers d'import effacés", default=0)
    detail = models.JSONField("détail par nature de données", default=dict, blank=True)

    class Meta:
        verbose_name = "purge des données personnelles"
        verbose_name_plural = "purges des données personnelles"
        ordering = ["-date"]

    def __str__(self):
        return f"Purge du {self.date:%d/%m/%Y} : {self.nb_salaries} salarié(s) anonymisé(s)"
