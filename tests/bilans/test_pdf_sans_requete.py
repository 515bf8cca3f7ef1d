"""The PDF renderer fetches nothing but the project's static files. A structure named to break out of a CSS string
(a carriage return, then a rule whose background is a URL of the server itself) gets a sheet that fetches nothing:
its name never reaches the style sheet, and the fetcher refuses every other address before opening it."""

import socket
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from bilans.contenu import assembler_dialogue
from bilans.pdf import pdf_du_dialogue
from bilans.recuperateur import AdresseRefusee, RecuperateurStatique, racines_statiques
from tests.factories import AnnexeFinanciereFactory, SiaeFactory

from .outils import lit_le_pdf, normaliser, texte_du_pdf

NOM_PIEGE = "Z\r} } body { background: url(http://127.0.0.1:8102/sante/?x) } @page { @top-left { content: 'x' } }"
POLICE = finders.find("dsfr/dist/fonts/Marianne-Regular.woff")


@pytest.fixture
def sans_reseau():
    """Any connection attempt fails the test."""
    with mock.patch.object(socket.socket, "connect", side_effect=AssertionError("connexion tentée")) as connecter:
        yield connecter


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8102/sante/?x",
        "https://evil.example/x.png",
        "ftp://127.0.0.1/x",
        "gopher://127.0.0.1:6379/_INFO",
        "file:///etc/passwd",
        "file://autre-machine/etc/passwd",
        "//127.0.0.1:8102/sante/",
        "sante/",
    ],
)
def test_le_recuperateur_refuse_tout_le_reste(url, sans_reseau):
    recuperateur = RecuperateurStatique()
    with pytest.raises(AdresseRefusee):
        recuperateur.fetch(url)
    assert recuperateur.refusees == [url]
    assert not sans_reseau.called


def test_ni_en_remontant_des_fichiers_statiques(sans_reseau):
    racine = racines_statiques()[-1]
    recuperateur = RecuperateurStatique()
    with pytest.raises(AdresseRefusee):
        recuperateur.fetch((racine / ".." / ".." / ".." / "etc" / "passwd").as_uri())
    with pytest.raises(AdresseRefusee):
        recuperateur.fetch(Path(__file__).resolve().as_uri())  # a file of the project, not a static one


@pytest.mark.skipif(POLICE is None, reason="la police Marianne vient de django-dsfr")
def test_il_sert_les_fichiers_statiques_et_les_donnees_en_ligne(sans_reseau):
    recuperateur = RecuperateurStatique()
    reponse = recuperateur.fetch(Path(POLICE).as_uri())
    assert reponse.read(4) == b"wOFF"
    reponse.close()
    assert recuperateur.fetch("data:text/plain;base64,b2s=").read() == b"ok"
    assert recuperateur.refusees == []


@pytest.mark.django_db
def test_le_nom_n_entre_jamais_dans_la_feuille_de_style():
    siae = SiaeFactory(nom=NOM_PIEGE)
    html = render_to_string("bilans/pdf/dialogue.html", {"c": assembler_dialogue(siae, 2024)})
    styles = html.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "127.0.0.1" not in styles and "background: url(http" not in styles
    assert "string(structure)" in styles


@pytest.mark.django_db
@lit_le_pdf
def test_la_fiche_d_une_structure_au_nom_piege_ne_recupere_rien(sans_reseau):
    siae = SiaeFactory(nom=NOM_PIEGE)
    AnnexeFinanciereFactory(siae=siae, annee=2024)
    recuperateur = RecuperateurStatique()
    with mock.patch.object(RecuperateurStatique, "fetch", autospec=True, side_effect=RecuperateurStatique.fetch) as f:
        document = pdf_du_dialogue(assembler_dialogue(siae, 2024), recuperateur)
    demandees = [appel.args[1] for appel in f.call_args_list]
    assert demandees == recuperateur.demandees
    assert not [url for url in demandees if "127.0.0.1" in url or not url.startswith(("data:", "file:"))]
    assert recuperateur.refusees == []
    assert not sans_reseau.called
    # The name is text, in the page and in its margin, as it was typed.
    texte = normaliser(texte_du_pdf(document.contenu))
    assert "body { background: url(http://127.0.0.1:8102/sante/?x) }" in texte
    assert "Dialogue de gestion 2024 – Z } } body" in texte
