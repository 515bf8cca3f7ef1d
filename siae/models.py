from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Upper

from base.departements import DEPARTEMENT_CHOICES
from base.historique import Historique
from comptes.perimetre import perimetre_de

from .regles import erreur_siret


class TypeSiae(models.TextChoices):
    ACI = "ACI", "Atelier et chantier d'insertion"
    AI = "AI", "Association intermédiaire"
    EI = "EI", "Entreprise d'insertion"
    ETTI = "ETTI", "Entreprise de travail temporaire d'insertion"
    EITI = "EITI", "Entreprise d'insertion par le travail indépendant"


def valider_siret(valeur: str) -> None:
    erreur = erreur_siret(valeur)
    if erreur:
        raise ValidationError(erreur[0].upper() + erreur[1:] + ".", code="siret")


class Ensemblier(models.Model):
    """A group of SIAE run together (often an ACI with an EI and an AI)."""

    nom = models.CharField(max_length=200, unique=True)

    class Meta:
        ordering = ["nom"]

    def __str__(self):
        return self.nom


class SiaeQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(perimetre_de(user).filtre_structures(siae="pk", departement="departement"))

    def gerees_par(self, user):
        return self.filter(perimetre_de(user).filtre_gestion(departement="departement"))

    def avec_donnees_nominatives(self, user):
        """Structures whose people the user may see and record: agents of the département, the SIAE's staff."""
        return self.filter(perimetre_de(user).filtre_nominatif(siae="pk", departement="departement"))


class Siae(models.Model):
    # Unique per kind, not alone: one employer may run two kinds of SIAE (an AI and an EI) under one SIRET, as the
    # ASP's own key (structure id, kind) says.
    siret = models.CharField("SIRET", max_length=14, validators=[valider_siret])
    nom = models.CharField(max_length=255)
    type = models.CharField(max_length=4, choices=TypeSiae.choices)
    departement = models.CharField("département", max_length=3, choices=DEPARTEMENT_CHOICES)
    ensemblier = models.ForeignKey(Ensemblier, on_delete=models.SET_NULL, null=True, blank=True, related_name="siae")
    regie_de_quartier = models.BooleanField(
        "régie de quartier", default=False, help_text="Conventionnée comme EI ou ACI."
    )
    adresse = models.CharField(max_length=255, blank=True)
    code_postal = models.CharField(max_length=5, blank=True)
    commune = models.CharField(max_length=120, blank=True)
    email = models.EmailField("e-mail de la structure", blank=True)
    telephone = models.CharField("téléphone", max_length=20, blank=True)
    # The ASP's structure id (fluxIAE `structure_id_siae`), shared by the kinds of one structure: what next week's
    # flux is matched on, the SIRET being able to move. None for a structure the flux has never given. Indexed by
    # the unique constraint (id_asp, type) below, whose partial index serves a lookup by id alone.
    id_asp = models.PositiveIntegerField(
        "identifiant ASP",
        null=True,
        blank=True,
        editable=False,
        help_text="Identifiant de la structure à l'ASP (structure_id_siae du fluxIAE), donné par son import.",
    )
    date_creation = models.DateTimeField(auto_now_add=True)
    date_modification = models.DateTimeField(auto_now=True)

    objects = SiaeQuerySet.as_manager()

    historique = Historique(departement="departement")

    class Meta:
        verbose_name = "SIAE"
        verbose_name_plural = "SIAE"
        ordering = ["nom"]
        indexes = [
            models.Index(fields=["departement", "type"], name="siae_dep_type_idx"),
            models.Index(fields=["departement", "commune"], name="siae_dep_commune_idx"),
            models.Index(Upper("nom"), name="siae_nom_upper_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["siret", "type"],
                name="siae_siret_unique_par_type",
                violation_error_message="Une SIAE de ce type a déjà ce SIRET.",
            ),
            models.UniqueConstraint(
                fields=["id_asp", "type"],
                condition=models.Q(id_asp__isnull=False),
                name="siae_id_asp_unique_par_type",
                violation_error_message="Une SIAE de ce type a déjà cet identifiant ASP.",
            ),
            models.CheckConstraint(
                name="siae_regie_ei_ou_aci",
                condition=models.Q(regie_de_quartier=False) | models.Q(type__in=["EI", "ACI"]),
                violation_error_message="Une régie de quartier est conventionnée comme EI ou ACI.",
            ),
            models.CheckConstraint(
                name="siae_siret_14_chiffres",
                condition=models.Q(siret__regex=r"^[0-9]{14}$"),
                violation_error_message="Le SIRET doit compter exactement 14 chiffres.",
            ),
        ]

    def __str__(self):
        return f"{self.nom} ({self.type})"

    def clean(self):
        if self.regie_de_quartier and self.type not in (TypeSiae.EI, TypeSiae.ACI):
            raise ValidationError({"regie_de_quartier": "Une régie de quartier est conventionnée comme EI ou ACI."})


class ContactSiae(models.Model):
    """A person to reach at the structure (director, accompaniment officer…). Not shown to CDIAE members."""

    siae = models.ForeignKey(Siae, on_delete=models.CASCADE, related_name="contacts")
    nom = models.CharField(max_length=150)
    fonction = models.CharField(max_length=150, blank=True)
    email = models.EmailField("e-mail", blank=True)
    telephone = models.CharField("téléphone", max_length=20, blank=True)

    class Meta:
        verbose_name = "contact"
        ordering = ["nom"]

    def __str__(self):
        return f"{self.nom} ({self.fonction})" if self.fonction else self.nom


# The order of the CDIAE bilan's table: the insertion workshops, then the intermediary associations, then the
# temporary work and the enterprises.
ORDRE_DES_TYPES = ("ACI", "AI", "ETTI", "EI", "EITI")
