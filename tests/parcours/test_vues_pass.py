"""The pages of a PASS IAE's life on the salarié's page: the timeline, and the forms of a suspension, a prolongation
(request, decision), a contract and an exit. Written by the structure's own staff and the DDETS of its
département; anyone else gets 404."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from parcours import services_pass
from parcours.models import (
    MotifProlongation,
    MotifSortie,
    MotifSuspension,
    Prolongation,
    StatutProlongation,
    Suspension,
)
from parcours.regles import ajouter_mois
from tests.factories import (
    AnnexeFinanciereFactory,
    DeclarationFactory,
    LigneDeclarationFactory,
    ParcoursFactory,
    SiaeFactory,
)

pytestmark = pytest.mark.django_db

AUJOURD_HUI = timezone.localdate()
# A PASS and a hire 20 months ago: it ends in 4 months, a prolongation may be requested.
DEBUT = ajouter_mois(AUJOURD_HUI, -20).replace(day=1)
UN_JOUR = dt.timedelta(days=1)


def iso(date: dt.date) -> str:
    return f"{date:%Y-%m-%d}"


@pytest.fixture
def parcours_a(siae_a):
    return ParcoursFactory(
        siae=siae_a,
        salarie__nom="Martin",
        salarie__prenom="Léa",
        salarie__date_naissance=dt.date(1962, 4, 1),
        pass_iae__date_debut=DEBUT,
        date_embauche=DEBUT,
    )


def url(nom: str, parcours) -> str:
    return f"/salaries/parcours/{parcours.pk}/{nom}/"


def suspension_valide():
    debut = AUJOURD_HUI - dt.timedelta(days=30)
    return {
        "motif": MotifSuspension.objects.get(code="CONTRAT_SUSPENDU_15J").pk,
        "date_debut": iso(debut),
        "date_fin": iso(debut + dt.timedelta(days=9)),
    }


def demande_rqth(parcours):
    return services_pass.demander_prolongation(
        parcours,
        motif=MotifProlongation.objects.get(code="RQTH"),
        date_fin=ajouter_mois(parcours.pass_iae.date_fin, 6),
        prescripteur_organisation="Cap emploi Meuse",
    )


# Suspension --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["personnel_a", "agent_55"])
def test_la_structure_et_la_ddets_suspendent_le_pass(request, client_de, role, parcours_a):
    client = client_de(request.getfixturevalue(role))
    assert client.get(url("suspension", parcours_a)).status_code == 200
    reponse = client.post(url("suspension", parcours_a), suspension_valide())
    assert reponse.status_code == 302
    assert reponse["Location"] == f"/salaries/{parcours_a.salarie_id}/#parcours-{parcours_a.pk}"
    fin_avant = parcours_a.pass_iae.date_fin
    parcours_a.pass_iae.refresh_from_db()
    assert parcours_a.pass_iae.date_fin == fin_avant + dt.timedelta(days=10)
    assert Suspension.objects.get().siae == parcours_a.siae


def test_une_suspension_qui_commence_demain_est_refusee_sur_son_champ(client_de, personnel_a, parcours_a):
    donnees = {
        **suspension_valide(),
        "date_debut": iso(AUJOURD_HUI + UN_JOUR),
        "date_fin": iso(AUJOURD_HUI + 5 * UN_JOUR),
    }
    reponse = client_de(personnel_a).post(url("suspension", parcours_a), donnees)
    assert reponse.status_code == 200
    erreurs = reponse.context["form"].errors
    assert list(erreurs) == ["date_debut"] and erreurs["date_debut"][0].startswith("Début : ")
    assert "Début : une suspension ne commence pas dans le futur" in reponse.content.decode()
    assert not Suspension.objects.exists()


def test_les_erreurs_de_saisie_nomment_le_champ(client_de, personnel_a, parcours_a):
    reponse = client_de(personnel_a).post(url("suspension", parcours_a), {"date_debut": "31/02/2025"})
    erreurs = reponse.context["form"].errors
    assert erreurs["motif"][0].startswith("Motif : ")
    assert erreurs["date_debut"][0].startswith("Début : ")
    assert erreurs["date_fin"][0].startswith("Fin : ")
    reponse = client_de(personnel_a).post(url("contrat", parcours_a), {"type": "CDDI", "heures_hebdo": "50"})
    assert reponse.context["form"].errors["heures_hebdo"] == [
        "Heures par semaine : assurez-vous que cette valeur est inférieure ou égale à 48."
    ]


def test_le_motif_contrat_passerelle_n_est_pas_propose_hors_ei_et_aci(client_de, agent_55):
    parcours = ParcoursFactory(siae=SiaeFactory(ai=True), pass_iae__date_debut=DEBUT, date_embauche=DEBUT)
    formulaire = client_de(agent_55).get(url("suspension", parcours)).context["form"]
    codes = {m.code for m in formulaire.fields["motif"].queryset}
    assert "CONTRAT_PASSERELLE" not in codes and "CONTRAT_ROMPU" in codes


# Prolongation ------------------------------------------------------------------------------------------------


def test_demande_puis_accord_par_un_prescripteur(client_de, personnel_a, parcours_a):
    client = client_de(personnel_a)
    fin_pass = parcours_a.pass_iae.date_fin
    page = client.get(url("prolongation", parcours_a)).content.decode()
    assert f"le {fin_pass + UN_JOUR:%d/%m/%Y}" in page
    reponse = client.post(
        url("prolongation", parcours_a),
        {
            "motif": MotifProlongation.objects.get(code="RQTH").pk,
            "date_fin": iso(ajouter_mois(fin_pass, 12)),
            "date_demande": iso(AUJOURD_HUI),
            "prescripteur_organisation": "Cap emploi Meuse",
        },
    )
    assert reponse.status_code == 302
    demande = Prolongation.objects.get()
    assert (demande.statut, demande.date_debut, demande.decideur) == ("DEMANDEE", fin_pass + UN_JOUR, "PRESCRIPTEUR")

    decision = f"/salaries/prolongations/{demande.pk}/decision/"
    formulaire = client.get(decision).context["form"]
    assert formulaire.initial["prescripteur_organisation"] == "Cap emploi Meuse"
    reponse = client.post(
        decision, {"statut": "ACCORDEE", "date_decision": iso(AUJOURD_HUI), "prescripteur_organisation": "Cap emploi"}
    )
    assert reponse.status_code == 200
    assert reponse.context["form"].errors["prescripteur_personne"][0].startswith("Prescripteur (personne) : ")
    reponse = client.post(
        decision,
        {
            "statut": "ACCORDEE",
            "date_decision": iso(AUJOURD_HUI),
            "prescripteur_organisation": "Cap emploi Meuse",
            "prescripteur_personne": "Anne Durand",
        },
    )
    assert reponse.status_code == 302
    demande.refresh_from_db()
    assert (demande.statut, demande.prescripteur_personne) == ("ACCORDEE", "Anne Durand")
    parcours_a.pass_iae.refresh_from_db()
    assert parcours_a.pass_iae.date_fin == ajouter_mois(fin_pass, 12)
    # Decided: the decision page is gone.
    assert client.get(decision).status_code == 404


def accordee(parcours, code, debut, fin):
    return Prolongation.objects.create(
        pass_iae=parcours.pass_iae,
        motif=MotifProlongation.objects.get(code=code),
        date_debut=debut,
        date_fin=fin,
        statut=StatutProlongation.ACCORDEE,
        date_demande=debut - dt.timedelta(days=30),
        date_decision=debut - dt.timedelta(days=20),
        decideur=MotifProlongation.objects.get(code=code).decideur,
        siae=parcours.siae,
    )


def test_le_formulaire_refuse_une_rqth_au_dela_de_60_mois_de_parcours(client_de, agent_55, siae_a):
    """12 months of training and 24 of RQTH already granted: the PASS ends in a few months, after 60 months, and
    a further RQTH request is refused on its field, with the reason (R.5132-1-8)."""
    debut = ajouter_mois(AUJOURD_HUI, -56).replace(day=1)
    parcours = ParcoursFactory(
        siae=siae_a, salarie__date_naissance=dt.date(1975, 3, 1), pass_iae__date_debut=debut, date_embauche=debut
    )
    accordee(parcours, "FIN_FORMATION", ajouter_mois(debut, 24), ajouter_mois(debut, 36) - UN_JOUR)
    accordee(parcours, "RQTH", ajouter_mois(debut, 36), ajouter_mois(debut, 48) - UN_JOUR)
    accordee(parcours, "RQTH", ajouter_mois(debut, 48), ajouter_mois(debut, 60) - UN_JOUR)
    fin_pass = services_pass.recalculer_fin_du_pass(parcours.pass_iae)
    assert fin_pass == ajouter_mois(debut, 60) - UN_JOUR
    reponse = client_de(agent_55).post(
        url("prolongation", parcours),
        {
            "motif": MotifProlongation.objects.get(code="RQTH").pk,
            "date_fin": iso(ajouter_mois(fin_pass, 6)),
            "date_demande": iso(AUJOURD_HUI),
            "prescripteur_organisation": "Cap emploi Meuse",
        },
    )
    assert reponse.status_code == 200
    [erreur] = reponse.context["form"].errors["date_fin"]
    assert erreur.startswith(
        "Fin : avec ce motif, les prolongations du PASS IAE, tous motifs confondus, totalisent au plus 36 mois "
        "(1\u202f09"
    )
    assert erreur.endswith("il en reste 0.")
    assert "tous motifs confondus, totalisent au plus 36 mois" in reponse.content.decode()
    assert Prolongation.objects.count() == 3


def test_un_refus_sans_motif_est_refuse(client_de, agent_55, parcours_a):
    demande = demande_rqth(parcours_a)
    decision = f"/salaries/prolongations/{demande.pk}/decision/"
    donnees = {
        "statut": "REFUSEE",
        "date_decision": iso(AUJOURD_HUI),
        "prescripteur_organisation": "Cap emploi Meuse",
        "prescripteur_personne": "Anne Durand",
    }
    reponse = client_de(agent_55).post(decision, donnees)
    assert reponse.context["form"].errors["motif_refus"] == ["Motif du refus : un refus s'explique par écrit."]
    reponse = client_de(agent_55).post(decision, {**donnees, "motif_refus": "Le parcours peut se conclure."})
    assert reponse.status_code == 302
    demande.refresh_from_db()
    assert (demande.statut, demande.motif_refus) == (StatutProlongation.REFUSEE, "Le parcours peut se conclure.")


def test_la_structure_decide_seule_de_ses_motifs(client_de, personnel_a, parcours_a):
    demande = services_pass.demander_prolongation(
        parcours_a,
        motif=MotifProlongation.objects.get(code="FIN_FORMATION"),
        date_fin=ajouter_mois(parcours_a.pass_iae.date_fin, 3),
        date_fin_formation=ajouter_mois(parcours_a.pass_iae.date_fin, 3),
    )
    decision = f"/salaries/prolongations/{demande.pk}/decision/"
    formulaire = client_de(personnel_a).get(decision).context["form"]
    assert "prescripteur_personne" not in formulaire.fields
    reponse = client_de(personnel_a).post(decision, {"statut": "ACCORDEE", "date_decision": iso(AUJOURD_HUI)})
    assert reponse.status_code == 302
    demande.refresh_from_db()
    assert demande.statut == StatutProlongation.ACCORDEE


# Contract and exit -------------------------------------------------------------------------------------------


def test_un_contrat_en_saisie_francaise(client_de, personnel_a, parcours_a):
    client = client_de(personnel_a)
    debut = DEBUT + dt.timedelta(days=200)
    donnees = {
        "type": "CDDI",
        "date_debut": iso(debut),
        "date_fin": iso(ajouter_mois(debut, 6)),
        "heures_hebdo": "19,5",
    }
    reponse = client.post(url("contrat", parcours_a), donnees)
    assert reponse.status_code == 200
    assert (
        reponse.context["form"]
        .errors["heures_hebdo"][0]
        .startswith("Heures par semaine : un CDDI compte au moins 20 h par semaine")
    )
    assert client.post(url("contrat", parcours_a), {**donnees, "heures_hebdo": "20,5"}).status_code == 302
    assert parcours_a.contrats.order_by("date_debut").last().heures_hebdo == Decimal("20.50")
    # Only the kinds of contract of an ACI are offered.
    choix = {c for c, _ in client.get(url("contrat", parcours_a)).context["form"].fields["type"].choices}
    assert choix == {"CDDI", "CDI_INCLUSION", "PASSERELLE"}


def test_une_sortie(client_de, personnel_a, parcours_a):
    client = client_de(personnel_a)
    cdi = MotifSortie.objects.get(code="CDI")
    reponse = client.post(url("sortie", parcours_a), {"date_sortie": iso(DEBUT - UN_JOUR), "motif_sortie": cdi.pk})
    assert reponse.context["form"].errors["date_sortie"][0].startswith("Date de sortie : elle précède l'embauche")
    assert (
        client.post(url("sortie", parcours_a), {"date_sortie": iso(AUJOURD_HUI), "motif_sortie": cdi.pk}).status_code
        == 302
    )
    parcours_a.refresh_from_db()
    assert (parcours_a.date_sortie, parcours_a.motif_sortie) == (AUJOURD_HUI, cdi)
    assert client.get(url("sortie", parcours_a)).context["form"].initial["date_sortie"] == AUJOURD_HUI


# Who may -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["personnel_b", "agent_57", "membre_cdiae_55"])
def test_hors_perimetre_404(request, client_de, role, parcours_a):
    demande = demande_rqth(parcours_a)
    client = client_de(request.getfixturevalue(role))
    adresses = [url(nom, parcours_a) for nom in ("suspension", "prolongation", "contrat", "sortie")]
    adresses.append(f"/salaries/prolongations/{demande.pk}/decision/")
    for adresse in adresses:
        assert client.get(adresse).status_code == 404, adresse
        assert client.post(adresse, suspension_valide()).status_code == 404, adresse
    assert not Suspension.objects.exists()
    demande.refresh_from_db()
    assert demande.statut == StatutProlongation.DEMANDEE


def test_anonyme_vers_la_connexion(client_de, parcours_a):
    reponse = client_de().get(url("suspension", parcours_a))
    assert reponse.status_code == 302 and "connexion" in reponse["Location"]


# The timeline ------------------------------------------------------------------------------------------------


@pytest.fixture
def parcours_complet(parcours_a):
    """A suspension, a granted prolongation, a pending one, a renewal, hours declared, an exit."""
    services_pass.enregistrer_suspension(
        parcours_a,
        motif=MotifSuspension.objects.get(code="CONTRAT_SUSPENDU_15J"),
        date_debut=DEBUT + dt.timedelta(days=100),
        date_fin=DEBUT + dt.timedelta(days=109),
    )
    accordee = demande_rqth(parcours_a)
    services_pass.accorder_prolongation(accordee, prescripteur_personne="Anne Durand")
    services_pass.demander_prolongation(
        parcours_a,
        motif=MotifProlongation.objects.get(code="RQTH"),
        date_fin=ajouter_mois(accordee.date_fin, 3),
        prescripteur_organisation="Cap emploi Meuse",
    )
    services_pass.enregistrer_contrat(
        parcours_a,
        type="CDDI",
        date_debut=DEBUT + dt.timedelta(days=180),
        date_fin=DEBUT + dt.timedelta(days=400),
        heures_hebdo=Decimal("24"),
    )
    annexe = AnnexeFinanciereFactory(siae=parcours_a.siae, annee=DEBUT.year)
    LigneDeclarationFactory(
        declaration=DeclarationFactory(annexe=annexe, mois=DEBUT),
        parcours=parcours_a,
        heures_travaillees=Decimal("86.67"),
    )
    services_pass.enregistrer_sortie(
        parcours_a, date_sortie=AUJOURD_HUI - UN_JOUR, motif_sortie=MotifSortie.objects.get(code="CDI")
    )
    parcours_a.pass_iae.refresh_from_db()
    return parcours_a


def test_la_chronologie_du_parcours(client_de, personnel_a, parcours_complet):
    reponse = client_de(personnel_a).get(f"/salaries/{parcours_complet.salarie_id}/")
    page = reponse.content.decode()
    pass_iae = parcours_complet.pass_iae
    etapes = [e.titre for _, chronologie, _, _ in reponse.context["parcours"] for e in chronologie]
    assert etapes[:2] == ["Début du PASS IAE", "Embauche"]
    # The pending request starts after the current end.
    assert etapes[-2:] == ["Fin du PASS IAE", "Prolongation du PASS IAE"]
    for attendu in (
        "Chronologie du parcours",
        "Suspension du PASS IAE",
        "Contrat de travail suspendu depuis plus de 15 jours",
        "(10 jours)",
        "Prolongation du PASS IAE",
        "Accordée",
        "Demandée",
        "Cap emploi Meuse – Anne Durand",
        "Enregistrer la décision",
        "CDD d&#x27;insertion",
        "24,00 h par semaine",
        "Heures déclarées",
        "86,67 h",
        "Sortie",
        f"{pass_iae.date_fin:%d/%m/%Y}",
    ):
        assert attendu in page, attendu
    dates = [e.date for _, chronologie, _, _ in reponse.context["parcours"] for e in chronologie]
    assert dates == sorted(dates)


def test_la_suspension_d_une_autre_structure_reste_cachee_a_la_structure(client_de, personnel_a, agent_55, parcours_a):
    ailleurs = ParcoursFactory(
        siae=SiaeFactory(ei=True, nom="Autre structure"),
        salarie=parcours_a.salarie,
        pass_iae=parcours_a.pass_iae,
        date_embauche=DEBUT + dt.timedelta(days=60),
    )
    services_pass.enregistrer_suspension(
        ailleurs,
        motif=MotifSuspension.objects.get(code="CONTRAT_ROMPU"),
        date_debut=DEBUT + dt.timedelta(days=70),
        date_fin=DEBUT + dt.timedelta(days=80),
    )
    assert (
        "Contrat de travail rompu"
        not in client_de(personnel_a).get(f"/salaries/{parcours_a.salarie_id}/").content.decode()
    )
    assert (
        "Contrat de travail rompu" in client_de(agent_55).get(f"/salaries/{parcours_a.salarie_id}/").content.decode()
    )


def test_le_nombre_de_requetes_de_la_page_ne_depend_pas_du_parcours(
    client_de, agent_55, parcours_a, django_assert_max_num_queries
):
    client = client_de(agent_55)
    adresse = f"/salaries/{parcours_a.salarie_id}/"
    client.get(adresse)  # the session, once
    with CaptureQueriesContext(connection) as requetes:
        assert client.get(adresse).status_code == 200
    nombre = len(requetes)

    # Much more on the page: a second parcours on the same PASS, suspensions, prolongations, contracts, hours.
    services_pass.enregistrer_suspension(
        parcours_a,
        motif=MotifSuspension.objects.get(code="CONTRAT_ROMPU"),
        date_debut=DEBUT + dt.timedelta(days=10),
        date_fin=DEBUT + dt.timedelta(days=20),
    )
    autre = ParcoursFactory(
        siae=SiaeFactory(ei=True),
        salarie=parcours_a.salarie,
        pass_iae=parcours_a.pass_iae,
        date_embauche=DEBUT + dt.timedelta(days=60),
    )
    services_pass.enregistrer_suspension(
        autre,
        motif=MotifSuspension.objects.get(code="CONTRAT_PASSERELLE"),
        date_debut=DEBUT + dt.timedelta(days=70),
        date_fin=DEBUT + dt.timedelta(days=80),
    )
    accordee = demande_rqth(parcours_a)
    services_pass.accorder_prolongation(accordee, prescripteur_personne="Anne Durand")
    services_pass.enregistrer_contrat(
        autre,
        type="CDDI",
        date_debut=DEBUT + dt.timedelta(days=90),
        date_fin=DEBUT + dt.timedelta(days=300),
        heures_hebdo=25,
    )
    annexe = AnnexeFinanciereFactory(siae=parcours_a.siae, annee=DEBUT.year)
    for mois in range(3):
        declaration = DeclarationFactory(annexe=annexe, mois=ajouter_mois(DEBUT.replace(month=1), mois))
        LigneDeclarationFactory(declaration=declaration, parcours=parcours_a)

    with django_assert_max_num_queries(nombre):
        reponse = client.get(adresse)
    assert len(reponse.context["parcours"]) == 2
