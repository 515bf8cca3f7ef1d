"""Changing an annexe's state: nothing preselected, each change confirmed with what it implies (computed on the
server: the months still to declare, the declarations waiting for validation), and a bare post changes nothing."""

import datetime as dt

import pytest

from conventions.forms import EtatForm
from conventions.models import EtatAnnexe
from conventions.regles import implications_du_changement, libelle_du_changement
from declarations.models import EtatDeclaration
from declarations.queries import restes_a_declarer, suivi_des_declarations
from tests.factories import AnnexeFinanciereFactory, DeclarationFactory

NOV, DEC = dt.date(2026, 11, 1), dt.date(2026, 12, 1)


class TestImplications:
    def test_clore_avec_deux_mois_a_declarer(self):
        phrases = implications_du_changement("VALIDE", "CLOTURE", [NOV, DEC], 0)
        assert phrases[0] == "2 mois restent à déclarer sur la période de l'annexe (novembre 2026 et décembre 2026)."
        assert "ne change plus" in phrases[-1]

    def test_un_mois_et_des_declarations_a_valider(self):
        phrases = implications_du_changement("VALIDE", "ANNULE", [DEC], 3)
        assert phrases[0] == "1 mois reste à déclarer sur la période de l'annexe (décembre 2026)."
        assert phrases[1] == "3 déclarations transmises attendent encore leur validation."
        assert "ne compte plus dans les chiffres" in phrases[2]
        assert implications_du_changement("VALIDE", "CLOTURE", [], 1)[0] == (
            "1 déclaration transmise attend encore sa validation."
        )

    def test_tout_est_declare_rien_a_signaler_sur_les_mois(self):
        assert implications_du_changement("VALIDE", "CLOTURE", [], 0) == [
            "L'annexe clôturée ne change plus : sa modulation est figée jusqu'à ce qu'elle soit rouverte."
        ]

    def test_les_autres_changements(self):
        assert "rouverte" in implications_du_changement("CLOTURE", "VALIDE", [NOV], 0)[0]
        assert "comptera dans les chiffres" in implications_du_changement("BROUILLON", "PROVISOIRE", [NOV], 0)[0]
        assert "brouillon" in implications_du_changement("ANNULE", "BROUILLON", [], 0)[0]
        assert libelle_du_changement("CLOTURE", "VALIDE") == "Rouvrir l'annexe"
        assert libelle_du_changement("PROVISOIRE", "VALIDE") == "Valider l'annexe"


@pytest.mark.django_db
class TestRestesADeclarer:
    def test_les_mois_sans_declaration_transmise_et_celles_a_valider(self, siae_a):
        annexe = AnnexeFinanciereFactory(siae=siae_a, annee=2024)
        for mois in range(1, 10):
            DeclarationFactory(annexe=annexe, mois=dt.date(2024, mois, 1), etat=EtatDeclaration.VALIDEE)
        DeclarationFactory(annexe=annexe, mois=dt.date(2024, 10, 1), etat=EtatDeclaration.TRANSMISE)
        DeclarationFactory(
            annexe=annexe,
            mois=dt.date(2024, 11, 1),
            etat=EtatDeclaration.BROUILLON,
            retenue=False,
            date_transmission=None,
        )
        suivis = suivi_des_declarations([annexe.pk], dt.date(2024, 1, 1), dt.date(2024, 12, 1))
        reste = restes_a_declarer(suivis)
        assert reste.mois == [dt.date(2024, 11, 1), dt.date(2024, 12, 1)] and reste.a_valider == 1


@pytest.mark.django_db
class TestLaPageDeLAnnexe:
    def test_rien_n_est_preselectionne(self, siae_a):
        annexe = AnnexeFinanciereFactory(siae=siae_a, annee=2024)
        form = EtatForm(annexe=annexe)
        assert form.fields["etat"].choices[0] == ("", "Choisir le nouvel état")
        assert not EtatForm({}, annexe=annexe).is_valid()

    def test_chaque_changement_est_confirme_avec_ce_qu_il_implique(self, client_de, agent_55, siae_a):
        annexe = AnnexeFinanciereFactory(siae=siae_a, annee=2024)
        for mois in range(1, 11):
            DeclarationFactory(annexe=annexe, mois=dt.date(2024, mois, 1), etat=EtatDeclaration.VALIDEE)
        page = client_de(agent_55).get(f"/annexes/{annexe.pk}/").content.decode()
        # No select whose first option would be applied in one click: one button per change, each opening its modal.
        assert 'name="etat" id=' not in page and "<select" not in page.split("Changer l'état")[1].split("</ul>")[0]
        assert 'aria-controls="confirmer-etat-CLOTURE"' in page and 'id="confirmer-etat-CLOTURE"' in page
        assert "2 mois restent à déclarer sur la période de l&#x27;annexe (novembre 2024 et décembre 2024)." in page
        assert f"L&#x27;annexe {annexe.numero} passera de « Validée » à « Clôturée »." in page
        # Without JavaScript the same confirmation is a disclosure.
        assert "<noscript>" in page and "Confirmer : clôturer l&#x27;annexe" in page

    def test_la_structure_ne_voit_aucun_changement(self, client_de, personnel_a, siae_a):
        annexe = AnnexeFinanciereFactory(siae=siae_a, annee=2024)
        assert "confirmer-etat-" not in client_de(personnel_a).get(f"/annexes/{annexe.pk}/").content.decode()


@pytest.mark.django_db
class TestLeChangementConfirme:
    def test_sans_confirmation_rien_ne_change(self, client_de, agent_55, siae_a):
        annexe = AnnexeFinanciereFactory(siae=siae_a, annee=2024)
        reponse = client_de(agent_55).post(f"/annexes/{annexe.pk}/etat/", {"etat": "CLOTURE"}, follow=True)
        annexe.refresh_from_db()
        assert annexe.etat == EtatAnnexe.VALIDE
        assert "pas été confirmé : l" in reponse.content.decode()

    def test_confirme_il_s_applique(self, client_de, agent_55, siae_a):
        annexe = AnnexeFinanciereFactory(siae=siae_a, annee=2024)
        reponse = client_de(agent_55).post(f"/annexes/{annexe.pk}/etat/", {"etat": "CLOTURE", "confirme": "1"})
        annexe.refresh_from_db()
        assert reponse.status_code == 302 and annexe.etat == EtatAnnexe.CLOTURE

    def test_un_etat_vide_ne_change_rien(self, client_de, agent_55, siae_a):
        annexe = AnnexeFinanciereFactory(siae=siae_a, annee=2024)
        client_de(agent_55).post(f"/annexes/{annexe.pk}/etat/", {"etat": "", "confirme": "1"})
        annexe.refresh_from_db()
        assert annexe.etat == EtatAnnexe.VALIDE
