from types import SimpleNamespace

from django.urls import reverse

# The design system's header and footer read SITE_CONFIG; a constant one spares a query on every page.
SITE = SimpleNamespace(
    site_title="Pilot'IAE",
    site_tagline="Pilotage de l'insertion par l'activité économique",
    header_brand="république française",
    header_brand_html="République<br>Française",
    footer_brand="république française",
    footer_brand_html="République<br>Française",
    footer_description=(
        "Pilot'IAE aide les DDETS à piloter l'insertion par l'activité économique de leur département : "
        "conventions, ETP, aides au poste, sorties et bilans du CDIAE."
    ),
    beta_tag=True,
    mourning=False,
    accessibility_status="NON",
)


def _navigation(request) -> list[dict]:
    user = request.user
    if not user.is_authenticated:
        return []
    perimetre = user.perimetre
    liens = [{"libelle": "Accueil", "url": reverse("pilotage:accueil")}]
    liens.append({"libelle": "Structures", "url": reverse("siae:liste")})
    liens.append({"libelle": "Annexes", "url": reverse("conventions:annexes")})
    liens.append({"libelle": "Consommation", "url": reverse("conventions:consommation")})
    if perimetre.est_agent or perimetre.siae_ids:
        liens.append({"libelle": "Déclarations", "url": reverse("declarations:suivi")})
        liens.append({"libelle": "Salariés", "url": reverse("parcours:liste")})
    if perimetre.est_agent or perimetre.siae_ids:
        liens.append({"libelle": "Imports", "url": reverse("imports:liste")})
    liens.append({"libelle": "API", "url": reverse("api-docs")})
    if user.is_staff:
        liens.append({"libelle": "Administration", "url": reverse("admin:index")})
    chemin = request.path
    for lien in liens:
        lien["actif"] = chemin == lien["url"] if lien["url"] == "/" else chemin.startswith(lien["url"])
    return liens


def site(request):
    return {"SITE_CONFIG": SITE, "navigation": _navigation(request)}
