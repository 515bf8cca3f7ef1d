"""Every link shown to a role leads somewhere: for each of the four demo accounts, the pages are followed breadth
first from the home page, through every internal `<a href>`, and none answers 404 or 500, nor shows a technical
page.

The crawl is bounded: a few pages per URL pattern and query (an annexe, a second one, a third: the same template),
at most PAGES_MAX pages per role. A file (CSV, XLSX, PDF) is fetched for its status only; the logout and the
administration's inner pages (Django's own) are not followed."""

from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urldefrag, urljoin, urlsplit

import pytest
from django.urls import Resolver404, resolve

from comptes.models import Utilisateur

pytestmark = [pytest.mark.django_db, pytest.mark.lent, pytest.mark.usefixtures("demo")]

COMPTES = ("agent.ddets@pilot-iae.test", "siae@pilot-iae.test", "cdiae@pilot-iae.test", "admin@pilot-iae.test")
PAGES_MAX = 400
# Pages of one URL pattern with one set of query parameters: enough to meet each kind of row of a list.
PAR_MOTIF = 3
NON_SUIVIS = ("/comptes/deconnexion", "/admin/")
TECHNIQUE = ("Traceback", "technical_500", "Using the URLconf", "DEBUG = True", "Page not found at")


class Liens(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def liens_internes(page: str, html: str) -> list[str]:
    lecteur = Liens()
    lecteur.feed(html)
    liens = []
    for href in lecteur.hrefs:
        if href.startswith(("mailto:", "tel:", "javascript:", "#")):
            continue
        if (lien := interne(page, href)) is not None:
            liens.append(lien)
    return liens


def interne(page: str, href: str) -> str | None:
    """The path and query of a link of this page, None when it leaves the site."""
    morceaux = urlsplit(urldefrag(urljoin(page, href))[0])
    if morceaux.netloc not in ("", "testserver"):
        return None
    return morceaux.path + (f"?{morceaux.query}" if morceaux.query else "")


def motif(url: str) -> tuple:
    """What makes two URLs the same page to check: the view and the names of the query's parameters."""
    morceaux = urlsplit(url)
    try:
        vue = resolve(morceaux.path).view_name
    except Resolver404:
        vue = morceaux.path
    return vue, tuple(sorted({cle for cle, _ in parse_qsl(morceaux.query, keep_blank_values=True)}))


def entrees_du_menu(client) -> set[str]:
    menu = client.get("/").context["navigation"]
    return {"/", *(lien["url"] for entree in menu for lien in entree.get("sous_menu", [entree]))}


def parcourir(client) -> tuple[list[str], int]:
    """Follow the links from the home page; the failures found, and the number of pages fetched. A page that is
    not an entry of the menu has a breadcrumb."""
    menu = entrees_du_menu(client)
    a_voir = deque([("/", "(départ)")])
    vus = {"/"}
    par_motif = Counter()
    echecs = []
    pages = 0
    while a_voir and pages < PAGES_MAX:
        url, origine = a_voir.popleft()
        reponse = client.get(url)
        pages += 1
        if reponse.status_code in (301, 302):
            cible = reponse.headers["Location"]
            if "/comptes/connexion" in cible:
                echecs.append(f"{url} (lien de {origine}) renvoie à la connexion")
            elif (lien := interne(url, cible)) is not None:
                if urlsplit(url).path in menu:
                    # A menu entry that leads elsewhere (the contrôle, the historique): that page is the entry.
                    menu.add(urlsplit(lien).path)
                if lien not in vus:
                    # A redirection is followed as the link that led to it.
                    vus.add(lien)
                    a_voir.append((lien, origine))
            continue
        if reponse.status_code >= 400 and reponse.status_code != 405:
            echecs.append(f"{url} (lien de {origine}) : {reponse.status_code}")
            continue
        if not reponse.get("Content-Type", "").startswith("text/html"):
            continue
        html = reponse.content.decode()
        if any(marque in html for marque in TECHNIQUE):
            echecs.append(f"{url} (lien de {origine}) : page technique")
            continue
        if urlsplit(url).path not in menu and 'class="fr-breadcrumb"' not in html:
            echecs.append(f"{url} (lien de {origine}) : sans fil d'Ariane")
        for lien in liens_internes(url, html):
            if lien in vus or lien.startswith(NON_SUIVIS):
                continue
            vus.add(lien)
            cle = motif(lien)
            if par_motif[cle] >= PAR_MOTIF:
                continue
            par_motif[cle] += 1
            a_voir.append((lien, url))
    return echecs, pages


@pytest.mark.parametrize("email", COMPTES)
def test_aucun_lien_mort(client, email):
    client.force_login(Utilisateur.objects.get(email=email))
    echecs, pages = parcourir(client)
    assert pages > 20, "le parcours doit voir plus que l'accueil"
    assert echecs == [], "\n".join(echecs)
