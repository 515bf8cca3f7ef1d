"""Exit motifs, editable by administrators with their history kept (parcours/admin.py): each creation or change
is a version of the trail, read-only in the administration."""

import pytest

from parcours.models import CategorieSortie, MotifSortie

pytestmark = pytest.mark.django_db


def formulaire(motif=None, **valeurs):
    donnees = {"code": "", "libelle": "", "categorie": "", "actif": "on"}
    if motif is not None:
        donnees.update(code=motif.code, libelle=motif.libelle, categorie=motif.categorie)
        if not motif.actif:
            del donnees["actif"]
    donnees.update(valeurs)
    return {k: v for k, v in donnees.items() if v is not None}


def test_la_creation_ouvre_l_historique(client_de, admin):
    reponse = client_de(admin).post(
        "/admin/parcours/motifsortie/add/",
        formulaire(code="IMMERSION", libelle="Immersion suivie d'embauche", categorie="EMPLOI_TRANSITION"),
    )
    assert reponse.status_code == 302, reponse.content.decode()[:2000]
    motif = MotifSortie.objects.get(code="IMMERSION")
    version = motif.historique.get()
    assert (version.libelle, version.categorie, version.actif, version.history_user, version.history_type) == (
        "Immersion suivie d'embauche",
        CategorieSortie.EMPLOI_TRANSITION,
        True,
        admin,
        "+",
    )


def test_chaque_modification_est_une_version(client_de, admin):
    motif = MotifSortie.objects.get(code="CHOMAGE")
    assert motif.historique.count() == 1  # the first version, loaded with the motifs (kept from the former history)
    client = client_de(admin)
    adresse = f"/admin/parcours/motifsortie/{motif.pk}/change/"
    reponse = client.post(adresse, formulaire(motif, categorie="SORTIE_POSITIVE"))
    assert reponse.status_code == 302, reponse.content.decode()[:2000]
    motif.refresh_from_db()
    reponse = client.post(adresse, formulaire(motif, actif=None))
    assert reponse.status_code == 302
    versions = list(motif.historique.order_by("history_date", "history_id"))
    assert [(v.categorie, v.actif) for v in versions] == [
        ("AUTRE", True),
        ("SORTIE_POSITIVE", True),
        ("SORTIE_POSITIVE", False),
    ]
    assert [v.history_user for v in versions[1:]] == [admin, admin]
    motif.refresh_from_db()
    assert (motif.categorie, motif.actif) == ("SORTIE_POSITIVE", False)


def test_enregistrer_sans_changement_n_ajoute_rien(client_de, admin):
    motif = MotifSortie.objects.get(code="CDI")
    reponse = client_de(admin).post(f"/admin/parcours/motifsortie/{motif.pk}/change/", formulaire(motif))
    assert reponse.status_code == 302
    assert motif.historique.count() == 1


def test_historique_en_lecture_seule(client_de, admin):
    motif = MotifSortie.objects.get(code="CDI")
    client = client_de(admin)
    page = client.get(f"/admin/parcours/motifsortie/{motif.pk}/history/")
    assert page.status_code == 200
    premiere = motif.historique.get()
    # A version cannot be brought back from the administration: a correction is a new change.
    adresse = f"/admin/parcours/motifsortie/{motif.pk}/history/{premiere.history_id}/"
    assert client.post(adresse, formulaire(motif, libelle="réécrit")).status_code == 403
    premiere = motif.historique.get()
    assert (premiere.libelle, premiere.categorie) == ("Embauche en CDI (hors SIAE)", "EMPLOI_DURABLE")


def test_reserve_aux_administrateurs(client_de, agent_55):
    motif = MotifSortie.objects.get(code="CDI")
    reponse = client_de(agent_55).post(
        f"/admin/parcours/motifsortie/{motif.pk}/change/", formulaire(motif, categorie="RETRAIT")
    )
    assert reponse.status_code == 302 and "/admin/login/" in reponse.url
    motif.refresh_from_db()
    assert motif.categorie == "EMPLOI_DURABLE" and motif.historique.count() == 1
