from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from base.api import ParametresAnneeDepartement, PourcentageField
from base.formats import montant
from siae.serializers import SiaeResumeSerializer

from . import regles
from .models import LigneBudgetaire, LigneFinancement, PeriodeBudgetaire, Projet


class ProjetResumeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Projet
        fields = ["id", "nom", "porteur"]
        read_only_fields = fields


class LigneFinancementSerializer(serializers.ModelSerializer):
    financeur_libelle = serializers.CharField(source="get_financeur_display", read_only=True)
    dispositif_libelle = serializers.CharField(source="get_dispositif_display", read_only=True)
    siae = SiaeResumeSerializer(read_only=True, allow_null=True, help_text="La structure bénéficiaire, ou null.")
    projet = ProjetResumeSerializer(read_only=True, allow_null=True, help_text="Le projet bénéficiaire, ou null.")
    reste_a_verser = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    candidature_fdi = serializers.PrimaryKeyRelatedField(
        source="candidature",
        read_only=True,
        allow_null=True,
        help_text="La candidature FDI accordée que la ligne reprend, ou null.",
    )

    class Meta:
        model = LigneFinancement
        fields = [
            "id", "annee", "departement", "financeur", "financeur_libelle", "dispositif", "dispositif_libelle",
            "libelle", "siae", "projet", "montant_engage", "montant_verse", "reste_a_verser", "part_variable_max",
            "candidature_fdi",
        ]  # fmt: skip
        read_only_fields = fields


class TotalSerializer(serializers.Serializer):
    engage = serializers.SerializerMethodField(help_text="En euros, 2 décimales.")
    verse = serializers.SerializerMethodField()
    reste_a_verser = serializers.SerializerMethodField()
    part_variable_max = serializers.SerializerMethodField(help_text="Comprise dans l'engagé.")

    def get_engage(self, total) -> str:
        return montant(total.engage)

    def get_verse(self, total) -> str:
        return montant(total.verse)

    def get_reste_a_verser(self, total) -> str:
        return montant(total.reste_a_verser)

    def get_part_variable_max(self, total) -> str:
        return montant(total.part_variable_max)


class TotalFinanceurSerializer(TotalSerializer):
    financeur = serializers.CharField(help_text="Code du financeur, ou TOTAL.")
    libelle = serializers.CharField()
    lignes = serializers.IntegerField(help_text="Lignes de financement saisies.")
    annexes = serializers.IntegerField(help_text="Annexes financières des montants calculés.")


class TotalDispositifSerializer(TotalSerializer):
    financeur = serializers.CharField()
    dispositif = serializers.CharField()
    libelle = serializers.CharField()
    source = serializers.CharField(help_text="« calculé depuis les annexes » ou « lignes saisies ».")
    calcule = serializers.BooleanField(help_text="Calculé depuis les annexes financières, jamais saisi.")
    verse_suivi = serializers.BooleanField(help_text="Faux : les versements de ce montant ne sont pas enregistrés.")
    lignes = serializers.IntegerField()
    annexes = serializers.IntegerField()


class TotauxSerializer(serializers.Serializer):
    annee = serializers.IntegerField()
    departement = serializers.CharField(allow_null=True)
    par_financeur = TotalFinanceurSerializer(many=True, help_text="Une ligne par financeur présent, puis TOTAL.")
    par_dispositif = TotalDispositifSerializer(many=True)


class TotauxParametresSerializer(ParametresAnneeDepartement):
    """annee (required) and departement."""


class LigneBudgetaireSerializer(serializers.ModelSerializer):
    class Meta:
        model = LigneBudgetaire
        fields = ["periode", "sens", "rubrique", "libelle", "montant", "remarque"]
        read_only_fields = fields


class PeriodeSerializer(serializers.ModelSerializer):
    """A period of the budget with its totals: charges (indirect costs computed), produits, result."""

    personnel = serializers.SerializerMethodField()
    fonctionnement = serializers.SerializerMethodField()
    frais_indirects = serializers.SerializerMethodField(help_text="Taux du projet × (personnel + fonctionnement).")
    total_charges = serializers.SerializerMethodField()
    total_produits = serializers.SerializerMethodField()
    resultat = serializers.SerializerMethodField(help_text="Produits − charges : « 0.00 » quand équilibré.")
    equilibre = serializers.SerializerMethodField()

    class Meta:
        model = PeriodeBudgetaire
        fields = [
            "id", "libelle", "debut", "fin", "personnel", "fonctionnement", "frais_indirects", "total_charges",
            "total_produits", "resultat", "equilibre",
        ]  # fmt: skip
        read_only_fields = fields

    def bilan(self, periode) -> regles.BilanPeriode:
        return self.context["bilans"][periode.pk]

    def get_personnel(self, periode) -> str:
        return montant(self.bilan(periode).montant("PERSONNEL"))

    def get_fonctionnement(self, periode) -> str:
        return montant(self.bilan(periode).montant("FONCTIONNEMENT"))

    def get_frais_indirects(self, periode) -> str:
        return montant(self.bilan(periode).frais_indirects)

    def get_total_charges(self, periode) -> str:
        return montant(self.bilan(periode).total_charges)

    def get_total_produits(self, periode) -> str:
        return montant(self.bilan(periode).total_produits)

    def get_resultat(self, periode) -> str:
        return montant(self.bilan(periode).resultat)

    def get_equilibre(self, periode) -> bool:
        return self.bilan(periode).equilibre


class ProjetSerializer(serializers.ModelSerializer):
    siae_porteuse = SiaeResumeSerializer(read_only=True, allow_null=True)
    etat_libelle = serializers.CharField(source="get_etat_display", read_only=True)
    taux_frais_indirects = PourcentageField(help_text="En % des charges directes (« 20.0 »).")
    periodes = serializers.SerializerMethodField()
    lignes_budgetaires = LigneBudgetaireSerializer(many=True, read_only=True)
    equilibre = serializers.SerializerMethodField(help_text="Chaque période a des charges et un résultat nul.")
    erreurs_equilibre = serializers.SerializerMethodField(help_text="Pourquoi le budget n'est pas équilibré.")

    class Meta:
        model = Projet
        fields = [
            "id", "nom", "porteur", "siae_porteuse", "departement", "description", "etat", "etat_libelle",
            "taux_frais_indirects", "periodes", "lignes_budgetaires", "equilibre", "erreurs_equilibre",
        ]  # fmt: skip
        read_only_fields = fields

    def bilans(self, projet) -> list[regles.BilanPeriode]:
        # From the prefetched periods and lines: no query per project.
        return regles.bilan_budget(
            [regles.Periode(p.pk, p.libelle) for p in self._periodes(projet)],
            [
                regles.MontantBudget(lg.periode_id, lg.sens, lg.rubrique, lg.montant)
                for lg in projet.lignes_budgetaires.all()
            ],
            projet.taux_frais_indirects,
        )

    @staticmethod
    def _periodes(projet):
        return sorted(projet.periodes.all(), key=lambda p: (p.ordre, p.debut))

    @extend_schema_field(PeriodeSerializer(many=True))
    def get_periodes(self, projet):
        bilans = {b.periode.cle: b for b in self.bilans(projet)}
        return PeriodeSerializer(self._periodes(projet), many=True, context={"bilans": bilans}).data

    def get_equilibre(self, projet) -> bool:
        return not regles.erreurs_equilibre(self.bilans(projet))

    def get_erreurs_equilibre(self, projet) -> list[str]:
        return regles.erreurs_equilibre(self.bilans(projet))
