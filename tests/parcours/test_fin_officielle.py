"""The official end of a PASS IAE, issued by les emplois de l'inclusion: the optional `date_fin_pass` column of the
parcours import, the form of the salarié's page and the API. When known it is the end in force (`PassIae.date_fin`,
which every rule reads); the computed end is shown beside it and a difference is flagged."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from imports.services import analyser_fichier, executer_import, preparer_import
from parcours import services_pass
from parcours.importation import ImportParcours
from parcours.models import FinOfficielleHistorique, MotifProlongation, MotifSuspension, PassIae
from parcours.regles_pass import FinDuPass, erreurs_fin_officielle
from tests.factories import ParcoursFactory, PassIaeFactory, SiaeFactory

pytestmark = pytest.mark.django_db

D = dt.date
ENTETE = ";".join(ImportParcours.colonnes)
NUMERO = "999992500009"
# Started on 1 March 2024: the computed end is 28 February 2026.
FIN_CALCULEE = D(2026, 2, 28)


# The rules, without the database -------------------------------------------------------------------------------


def test_la_fin_officielle_est_la_fin_en_vigueur():
    assert FinDuPass(D(2026, 3, 31), FIN_CALCULEE).en_vigueur == D(2026, 3, 31)
    assert FinDuPass(None, FIN_CALCULEE).en_vigueur == FIN_CALCULEE
    assert FinDuPass(D(2026, 3, 31), None).en_vigueur == D(2026, 3, 31)
    assert FinDuPass(None, None).en_vigueur is None


def test_l_ecart_n_est_signale_que_si_les_deux_fins_sont_connues_et_different():
    assert FinDuPass(FIN_CALCULEE, FIN_CALCULEE).ecart == ""
    assert FinDuPass(None, FIN_CALCULEE).ecart == ""
    assert FinDuPass(D(2026, 3, 31), None).ecart == ""
    plus_tot = FinDuPass(D(2026, 3, 31), FIN_CALCULEE)
    assert plus_tot.ecart_jours == -31
    assert (
        plus_tot.ecart
        == "fin calculée : 28/02/2026, différente de la fin officielle (31/03/2026) : 31 jours plus tôt."
    )
    assert FinDuPass(D(2026, 2, 27), FIN_CALCULEE).ecart.endswith(": 1 jour plus tard.")


def test_une_fin_officielle_ne_precede_pas_le_debut():
    assert erreurs_fin_officielle(D(2024, 3, 1), D(2024, 3, 1)) == []
    assert erreurs_fin_officielle(None, D(2024, 3, 1)) == erreurs_fin_officielle(D(2020, 1, 1), None) == []
    (erreur,) = erreurs_fin_officielle(D(2024, 2, 29), D(2024, 3, 1))
    assert erreur.message == "Fin officielle : elle précède le début du PASS IAE (01/03/2024)."


# The import ----------------------------------------------------------------------------------------------------


def ligne(siret, *, debut_pass="2024-03-01", embauche="2024-03-01", fin_pass="", numero=NUMERO):
    # The columns in the order of ImportParcours.colonnes: type_siae, then date_fin_pass, last.
    return f"{numero};Martin;Léa;1985-03-14;F;{siret};{debut_pass};{embauche};CDDI;26;non;non;non;non;;;;{fin_pass}"


def analyser(*lignes, utilisateur=None):
    contenu = "\n".join([ENTETE, *lignes]) + "\n"
    return analyser_fichier("parcours", "parcours.csv", contenu.encode("utf-8"), utilisateur)


def importer(*lignes, utilisateur=None):
    analyse = analyser(*lignes, utilisateur=utilisateur)
    assert analyse.valide, [str(e) for e in analyse.erreurs]
    ImportParcours(utilisateur).appliquer(analyse)
    return analyse


def test_la_colonne_est_facultative_et_annoncee():
    assert "date_fin_pass" in ImportParcours.colonnes and "date_fin_pass" in ImportParcours.colonnes_optionnelles
    # The file of the format without the column.
    assert ImportParcours.colonnes[-1] == "date_fin_pass"


def test_la_page_d_import_explique_la_colonne(client_de, personnel_a):
    page = client_de(personnel_a).get("/imports/nouveau/").content.decode()
    assert "<code>date_fin_pass</code> (facultative)" in page
    assert (
        "<li><code>date_fin_pass</code> : fin officielle du PASS IAE, délivrée par les emplois de l&#x27;inclusion"
        in page
    )


def test_sans_la_colonne_la_fin_est_calculee(siae_a):
    contenu = ";".join(ImportParcours.colonnes[:-1]) + "\n" + ligne(siae_a.siret).rsplit(";", 1)[0] + "\n"
    analyse = analyser_fichier("parcours", "parcours.csv", contenu.encode("utf-8"))
    assert analyse.valide, [str(e) for e in analyse.erreurs]
    ImportParcours().appliquer(analyse)
    pass_iae = PassIae.objects.get(numero=NUMERO)
    assert (pass_iae.date_fin, pass_iae.date_fin_officielle) == (FIN_CALCULEE, None)


def test_la_fin_officielle_du_fichier_est_la_fin_du_pass(siae_a):
    importer(ligne(siae_a.siret, fin_pass="31/03/2026"))
    pass_iae = PassIae.objects.get(numero=NUMERO)
    assert (pass_iae.date_fin, pass_iae.date_fin_officielle) == (D(2026, 3, 31), D(2026, 3, 31))
    # Imported again: nothing changes. Without a value: the official end stays.
    assert [c.action for c in analyser(ligne(siae_a.siret, fin_pass="2026-03-31")).changements] == ["inchange"]
    assert [c.action for c in analyser(ligne(siae_a.siret)).changements] == ["inchange"]
    importer(ligne(siae_a.siret))
    pass_iae.refresh_from_db()
    assert pass_iae.date_fin == D(2026, 3, 31)
    # A new official end (a prolongation granted in les emplois de l'inclusion).
    analyse = importer(ligne(siae_a.siret, fin_pass="2026-09-30"))
    assert [(c.action, c.details) for c in analyse.changements] == [("modification", "date_fin_pass")]
    pass_iae.refresh_from_db()
    assert (pass_iae.date_fin, pass_iae.date_fin_officielle) == (D(2026, 9, 30), D(2026, 9, 30))
    # Each official end the files brought, in the PASS's history.
    assert list(pass_iae.fins_officielles.values_list("date_fin_officielle", flat=True)) == [
        D(2026, 9, 30),
        D(2026, 3, 31),
    ]


def test_l_import_journalise_qui_a_apporte_la_fin_officielle(siae_a, agent_55):
    journal = preparer_import(
        "parcours", "parcours.csv", f"{ENTETE}\n{ligne(siae_a.siret, fin_pass='2026-03-31')}\n".encode(), agent_55
    )
    executer_import(journal)
    (version,) = FinOfficielleHistorique.objects.all()
    assert (version.date_fin_officielle, version.auteur, version.import_origine) == (D(2026, 3, 31), agent_55, journal)


def test_une_embauche_se_verifie_sur_la_fin_officielle(siae_a):
    # Hired on 15 March 2026: after the computed end, before the official one.
    assert analyser(ligne(siae_a.siret, embauche="2026-03-15", fin_pass="2026-03-31")).valide
    refus = analyser(ligne(siae_a.siret, embauche="2026-03-15", fin_pass="2026-03-10"))
    assert [str(e) for e in refus.erreurs] == [
        "ligne 2, colonne date_embauche : le PASS IAE n'est pas valide à cette date (valide jusqu'au 10/03/2026)"
    ]


def test_une_fin_officielle_illisible_ou_avant_le_debut_est_refusee(siae_a):
    refus = analyser(ligne(siae_a.siret, fin_pass="31/02/2026"), ligne(siae_a.siret, fin_pass="2024-02-29"))
    assert [str(e) for e in refus.erreurs] == [
        "ligne 2, colonne date_fin_pass : « 31/02/2026 » n'est pas une date (AAAA-MM-JJ ou JJ/MM/AAAA)",
        "ligne 3, colonne date_fin_pass : la fin officielle précède le début du PASS IAE (01/03/2024)",
    ]
    assert not PassIae.objects.exists()


def suivi_ailleurs(fin_officielle=None):
    """Léa Martin's PASS, followed by another structure (an EI)."""
    return ParcoursFactory(
        siae=SiaeFactory(ei=True),
        salarie__nom="Martin",
        salarie__prenom="Léa",
        salarie__date_naissance=D(1985, 3, 14),
        pass_iae__numero=NUMERO,
        pass_iae__date_debut=D(2024, 3, 1),
        pass_iae__date_fin_officielle=fin_officielle,
        date_embauche=D(2024, 3, 1),
    )


def test_une_autre_structure_ne_corrige_pas_la_fin_officielle(siae_a, personnel_a):
    suivi_ailleurs(D(2026, 3, 31))
    embauche = "2025-01-06"
    refus = analyser(ligne(siae_a.siret, embauche=embauche, fin_pass="2026-04-30"), utilisateur=personnel_a)
    assert [str(e) for e in refus.erreurs] == [
        "ligne 2, colonne date_fin_pass : ce PASS IAE est suivi par une autre structure : seule elle ou la DDETS "
        "peut corriger sa fin officielle"
    ]
    assert analyser(ligne(siae_a.siret, embauche=embauche, fin_pass="2026-03-31"), utilisateur=personnel_a).valide
    assert analyser(ligne(siae_a.siret, embauche=embauche), utilisateur=personnel_a).valide


def test_une_autre_structure_renseigne_une_fin_officielle_inconnue(siae_a, personnel_a):
    suivi_ailleurs()
    importer(ligne(siae_a.siret, embauche="2025-01-06", fin_pass="2026-03-31"), utilisateur=personnel_a)
    assert PassIae.objects.get(numero=NUMERO).date_fin == D(2026, 3, 31)


def test_corriger_le_debut_garde_la_fin_officielle(siae_a):
    importer(ligne(siae_a.siret, fin_pass="2026-03-31"))
    importer(ligne(siae_a.siret, debut_pass="2024-02-01"))
    pass_iae = PassIae.objects.get(numero=NUMERO)
    assert (pass_iae.date_debut, pass_iae.date_fin) == (D(2024, 2, 1), D(2026, 3, 31))
    assert services_pass.fin_calculee(pass_iae) == D(2026, 1, 31)


# The model and the services ------------------------------------------------------------------------------------


def test_la_base_garde_la_fin_officielle_en_vigueur():
    with pytest.raises(IntegrityError), transaction.atomic():
        PassIaeFactory(date_debut=D(2024, 3, 1), date_fin=FIN_CALCULEE, date_fin_officielle=D(2026, 3, 31))
    PassIaeFactory(date_debut=D(2024, 3, 1), date_fin=D(2026, 3, 31), date_fin_officielle=D(2026, 3, 31))


@pytest.fixture
def parcours(siae_a):
    return ParcoursFactory(
        siae=siae_a,
        salarie__date_naissance=D(1960, 5, 1),
        pass_iae__date_debut=D(2024, 3, 1),
        date_embauche=D(2024, 3, 1),
    )


def test_saisir_puis_retirer_la_fin_officielle(parcours):
    pass_iae = services_pass.enregistrer_fin_officielle(parcours, date_fin_officielle=D(2026, 3, 31))
    assert (pass_iae.date_fin, pass_iae.date_fin_officielle) == (D(2026, 3, 31), D(2026, 3, 31))
    pass_iae = services_pass.enregistrer_fin_officielle(parcours, date_fin_officielle=None)
    assert (pass_iae.date_fin, pass_iae.date_fin_officielle) == (FIN_CALCULEE, None)
    services_pass.enregistrer_fin_officielle(parcours, date_fin_officielle=None)  # unchanged: no new version
    assert list(pass_iae.fins_officielles.values_list("date_fin_officielle", flat=True)) == [None, D(2026, 3, 31)]
    with pytest.raises(ValidationError) as refus:
        services_pass.enregistrer_fin_officielle(parcours, date_fin_officielle=D(2024, 2, 1))
    assert refus.value.message_dict == {
        "date_fin_officielle": ["Fin officielle : elle précède le début du PASS IAE (01/03/2024)."]
    }


def test_une_prolongation_suit_la_fin_officielle_qui_reste_la_fin(parcours):
    """The prolongation starts the day after the official end; granted here, it moves the computed end only: the
    official end stays the end until les emplois de l'inclusion's new one is entered, and the page flags it."""
    services_pass.enregistrer_fin_officielle(parcours, date_fin_officielle=D(2026, 3, 31))
    demande = services_pass.demander_prolongation(
        parcours,
        motif=MotifProlongation.objects.get(code="FIN_FORMATION"),
        date_fin=D(2026, 12, 31),
        date_fin_formation=D(2026, 12, 31),
        date_demande=D(2026, 1, 5),
        aujourd_hui=D(2026, 1, 5),
    )
    assert demande.date_debut == D(2026, 4, 1)
    services_pass.accorder_prolongation(demande, aujourd_hui=D(2026, 1, 6))
    pass_iae = PassIae.objects.get()
    assert pass_iae.date_fin == D(2026, 3, 31)
    assert services_pass.fin_calculee(pass_iae) == FIN_CALCULEE + dt.timedelta(days=275)  # 1 April–31 December
    services_pass.enregistrer_fin_officielle(parcours, date_fin_officielle=D(2026, 12, 31))
    pass_iae.refresh_from_db()
    assert pass_iae.date_fin == D(2026, 12, 31)


def test_une_suspension_apres_la_fin_calculee_mais_avant_la_fin_officielle(parcours):
    services_pass.enregistrer_fin_officielle(parcours, date_fin_officielle=D(2026, 3, 31))
    services_pass.enregistrer_suspension(
        parcours,
        motif=MotifSuspension.objects.get(code="CONTRAT_ROMPU"),
        date_debut=D(2026, 3, 10),
        date_fin=D(2026, 3, 20),
        aujourd_hui=D(2026, 3, 25),
    )
    assert PassIae.objects.get().date_fin == D(2026, 3, 31)


# The pages and the API -----------------------------------------------------------------------------------------


def test_le_formulaire_de_la_fin_officielle(client_de, personnel_a, parcours):
    client = client_de(personnel_a)
    adresse = f"/salaries/parcours/{parcours.pk}/fin-officielle/"
    page = client.get(adresse).content.decode()
    assert "la fin calculée par Pilot'IAE est le 28/02/2026" in page
    reponse = client.post(adresse, {"date_fin_officielle": "2024-01-31"})
    assert reponse.context["form"].errors["date_fin_officielle"] == [
        "Fin officielle : elle précède le début du PASS IAE (01/03/2024)."
    ]
    reponse = client.post(adresse, {"date_fin_officielle": "2026-03-31"})
    assert reponse.status_code == 302
    assert PassIae.objects.get().date_fin == D(2026, 3, 31)
    (version,) = FinOfficielleHistorique.objects.all()
    assert (version.date_fin_officielle, version.auteur, version.import_origine) == (D(2026, 3, 31), personnel_a, None)
    assert client.get(adresse).context["form"].initial["date_fin_officielle"] == D(2026, 3, 31)


def test_la_page_du_salarie_signale_l_ecart_a_la_ddets(client_de, agent_55, parcours):
    adresse = f"/salaries/{parcours.salarie_id}/"
    page = client_de(agent_55).get(adresse).content.decode()
    assert "fr-alert--warning" not in page and "Saisir la fin officielle" in page
    services_pass.enregistrer_fin_officielle(parcours, date_fin_officielle=D(2026, 3, 31))
    reponse = client_de(agent_55).get(adresse)
    page = reponse.content.decode()
    assert (
        "valide du 01/03/2024 au 31/03/2026 (fin officielle, délivrée par les emplois de l'inclusion ; "
        "fin calculée : 28/02/2026)" in page
    )
    assert "Fin calculée : 28/02/2026, différente de la fin officielle (31/03/2026) : 31 jours plus tôt." in page
    assert "fr-alert--warning" in page and "fr-badge--warning" in page
    ((_, etapes, _, fin),) = reponse.context["parcours"]
    assert fin.ecart_jours == -31
    assert etapes[-1].detail == "fin officielle, délivrée par les emplois de l'inclusion"
    # The same end on both sides: nothing to flag.
    services_pass.enregistrer_fin_officielle(parcours, date_fin_officielle=FIN_CALCULEE)
    assert "fr-alert--warning" not in client_de(agent_55).get(adresse).content.decode()


def test_hors_perimetre_404(client_de, agent_57, personnel_b, parcours):
    for utilisateur in (agent_57, personnel_b):
        reponse = client_de(utilisateur).post(
            f"/salaries/parcours/{parcours.pk}/fin-officielle/", {"date_fin_officielle": "2026-03-31"}
        )
        assert reponse.status_code == 404
    assert PassIae.objects.get().date_fin_officielle is None


def test_l_api_donne_la_fin_officielle(client_de, agent_55, parcours):
    services_pass.enregistrer_fin_officielle(parcours, date_fin_officielle=D(2026, 3, 31))
    reponse = client_de(agent_55).get(f"/api/v1/parcours/{parcours.pk}/")
    assert reponse.json()["pass_iae"] == {
        "numero": parcours.pass_iae.numero,
        "date_debut": "2024-03-01",
        "date_fin": "2026-03-31",
        "date_fin_officielle": "2026-03-31",
    }
