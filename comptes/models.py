from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q

from base.departements import DEPARTEMENT_CHOICES
from base.historique import Historique


class UtilisateurManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("L'adresse e-mail est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class Utilisateur(AbstractUser):
    """A person who logs in with an e-mail address. What they may see comes from their memberships."""

    username = None
    email = models.EmailField("adresse e-mail", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    objects = UtilisateurManager()

    # The administration's rights (superuser, staff) and the account's state are roles too; the password and the
    # last login are not part of the trail.
    historique = Historique(
        departement=("adhesions__organisation__departement", "adhesions__organisation__siae__departement"),
        excluded_fields=["password", "last_login"],
    )

    class Meta:
        verbose_name = "utilisateur"
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return self.get_full_name() or self.email

    @property
    def perimetre(self):
        from .perimetre import perimetre_de

        return perimetre_de(self)


class TypeOrganisation(models.TextChoices):
    DDETS = "DDETS", "DDETS"
    SIAE = "SIAE", "SIAE"
    CDIAE = "CDIAE", "CDIAE"


class Role(models.TextChoices):
    """The role a membership gives follows from the kind of organisation."""

    AGENT_DDETS = "AGENT_DDETS", "Agent DDETS"
    PERSONNEL_SIAE = "PERSONNEL_SIAE", "Personnel de SIAE"
    MEMBRE_CDIAE = "MEMBRE_CDIAE", "Membre du CDIAE"


ROLE_PAR_TYPE = {
    TypeOrganisation.DDETS: Role.AGENT_DDETS,
    TypeOrganisation.SIAE: Role.PERSONNEL_SIAE,
    TypeOrganisation.CDIAE: Role.MEMBRE_CDIAE,
}


class Organisation(models.Model):
    """A DDETS or a CDIAE (one département each), or a SIAE (one structure)."""

    type = models.CharField(max_length=5, choices=TypeOrganisation.choices)
    nom = models.CharField(max_length=200)
    departement = models.CharField("département", max_length=3, choices=DEPARTEMENT_CHOICES, blank=True)
    siae = models.OneToOneField(
        "siae.Siae", on_delete=models.CASCADE, null=True, blank=True, related_name="organisation"
    )

    historique = Historique(departement=("departement", "siae__departement"))

    class Meta:
        ordering = ["type", "departement", "nom"]
        constraints = [
            models.CheckConstraint(
                name="organisation_siae_ou_departement",
                condition=(
                    Q(type="SIAE", siae__isnull=False, departement="")
                    | (~Q(type="SIAE") & Q(siae__isnull=True) & ~Q(departement=""))
                ),
                violation_error_message=(
                    "Une SIAE est rattachée à sa structure ; une DDETS ou un CDIAE à un département."
                ),
            ),
            models.UniqueConstraint(
                fields=["type", "departement"], condition=~Q(type="SIAE"), name="une_ddets_un_cdiae_par_departement"
            ),
        ]

    def __str__(self):
        return self.nom

    @property
    def role(self) -> str:
        return ROLE_PAR_TYPE[self.type]


class Membre(models.Model):
    utilisateur = models.ForeignKey(Utilisateur, on_delete=models.CASCADE, related_name="adhesions")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="membres")
    actif = models.BooleanField(default=True)
    date_ajout = models.DateTimeField(auto_now_add=True)

    historique = Historique(departement=("organisation__departement", "organisation__siae__departement"))

    class Meta:
        verbose_name = "membre"
        constraints = [models.UniqueConstraint(fields=["utilisateur", "organisation"], name="membre_unique")]

    def __str__(self):
        return f"{self.utilisateur} – {self.organisation}"
