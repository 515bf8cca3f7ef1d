"""Exit motifs, editable by administrators with their history kept (parcours/admin.py)."""

import pytest

from parcours.models import CategorieSortie, MotifSortie, MotifSortieHistorique

pytestmark = pytest.mark.django_db

INLINE = {
    "historique-TOTAL_FORMS": "0",
    "historique-INITIAL_FORMS": "0",
    "historique-MIN_NUM_FORMS": "0",
    "historique-MAX_NUM_FORMS": "1000",
}


def formulaire(motif=None, **valeurs):
    donnees = {"code": "", "libelle": "", "categorie": "", "actif": "on", **INLINE}
    if motif is not None:
        donnees.update(code=motif.code, libelle=motif.libelle, categorie=motif.categorie)
        if not motif.actif:
            del donnees["actif"]
        total = motif.historique.count()
        donnees.update({"historique-TOTAL_FORMS": str(total), "historique-INITIAL_FORMS": str(total)})
        for i, version in enumerate(motif.historique.order_by("-date", "-pk")):
            donnees[f"historique-{i}-id"] = str(version.pk)
            donnees[f"historique-{i}-motif"] = str(motif.pk)
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
    assert (version.libelle, version.categorie, version.actif, version.auteur) == (
        "Immersion suivie d'embauche",
        CategorieSortie.EMPLOI_TRANSITION,
        True,
        admin,
    )


def test_chaque_modification_est_une_version(client_de, admin):
    motif = MotifSortie.objects.get(code="CHOMAGE")
    assert motif.historique.count() == 1  # the first version, loaded with the motifs
    client = client_de(admin)
    adresse = f"/admin/parcours/motifsortie/{motif.pk}/change/"
    reponse = client.post(adresse, formulaire(motif, categorie="SORTIE_POSITIVE"))
    assert reponse.status_code == 302, reponse.content.decode()[:2000]
    motif.refresh_from_db()
    reponse = client.post(adresse, formulaire(motif, actif=None))
    assert reponse.status_code == 302
    versions = list(MotifSortieHistorique.objects.filter(motif=motif).order_by("pk"))
    assert [(v.categorie, v.actif) for v in versions] == [
        ("AUTRE", True),
        ("SORTIE_POSITIVE", True),
        ("SORTIE_POSITIVE", False),
    ]
    assert [v.auteur for v in versions[1:]] == [admin, admin]
    motif.refresh_from_db()
    assert (motif.categorie, motif.actif) == ("SORTIE_POSITIVE", False)


def test_enregistrer_sans_changement_n_ajoute_rien(client_de, admin):
    motif = MotifSortie.objects.get(code="CDI")
    reponse = client_de(admin).post(f"/admin/parcours/motifsortie/{motif.pk}/change/", formulaire(motif))
    assert reponse.status_code == 302
    assert motif.historique.count() == 1


def test_historique_en_lecture_seule(client_de, admin):
    motif = MotifSortie.objects.get(code="CDI")
    page = client_de(admin).get(f"/admin/parcours/motifsortie/{motif.pk}/change/")
    assert page.status_code == 200
    formset = page.context["inline_admin_formsets"][0]
    assert formset.has_add_permission is False
    assert formset.has_delete_permission is False
    assert "Embauche en CDI (hors SIAE)" in page.content.decode()
    # Versions posted by hand are ignored: the history is written by the application only.
    premiere = motif.historique.get()
    client_de(admin).post(
        f"/admin/parcours/motifsortie/{motif.pk}/change/",
        formulaire(motif, **{"historique-0-libelle": "réécrit", "historique-0-categorie": "RETRAIT"}),
    )
    premiere.refresh_from_db()
    assert (premiere.libelle, premiere.categorie) == ("Embauche en CDI (hors SIAE)", "EMPLOI_DURABLE")


def test_reserve_aux_administrateurs(client_de, agent_55):
    motif = MotifSortie.objects.get(code="CDI")
    reponse = client_de(agent_55).post(
        f"/admin/parcours/motifsortie/{motif.pk}/change/", formulaire(motif, categorie="RETRAIT")
    )
    assert reponse.status_code == 302 and "/admin/login/" in reponse.url
    motif.refresh_from_db()
    assert motif.categorie == "EMPLOI_DURABLE" and motif.historique.count() == 1
