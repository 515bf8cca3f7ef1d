import datetime as dt
from decimal import Decimal
import pytest
from tests.fluxiae.flux import ecrire_flux, SEMAINE_N, PERSONNES, AF_ACI
from fluxiae.services import importer_flux
from declarations.models import DeclarationMensuelle
from declarations.services import enregistrer_lignes, LigneSaisie
from parcours.models import Parcours, PassIae
from conventions.models import AnnexeFinanciere

@pytest.mark.django_db
def test_sonde(tmp_path):
    d = ecrire_flux(tmp_path / "n", SEMAINE_N)
    importer_flux(d, ["55"])
    PassIae.objects.update(date_debut=dt.date(2024, 1, 1), date_fin=dt.date(2026, 12, 31))
    julie = Parcours.objects.select_related("salarie", "pass_iae").get(pass_iae__numero=PERSONNES[504][0])
    annexe = AnnexeFinanciere.objects.get(id_asp=AF_ACI)
    print(list(DeclarationMensuelle.objects.filter(annexe=annexe, mois=dt.date(2025,10,1)).values_list("version","source","etat","retenue")))
    enregistrer_lignes(annexe, dt.date(2025, 10, 1), [LigneSaisie(julie, Decimal("99"))], transmettre=True, remplacer=True)
    print(list(DeclarationMensuelle.objects.filter(annexe=annexe, mois=dt.date(2025,10,1)).values_list("version","source","etat","retenue", "lignes__heures_travaillees")))
    b = importer_flux(d, ["55"])
    print(b.vues["EtatMensuelIndiv"])
    print(list(DeclarationMensuelle.objects.filter(annexe=annexe, mois=dt.date(2025,10,1)).values_list("version","source","etat","retenue", "lignes__heures_travaillees")))
