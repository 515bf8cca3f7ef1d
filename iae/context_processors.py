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


def _lien(libelle: str, nom_url: str) -> dict:
    return {"libelle": libelle, "url": reverse(nom_url)}


def _navigation(request) -> list[dict]:
    """The main menu of the user's roles: entries, some with a sub-menu (DSFR navigation)."""
    user = request.user
    if not user.is_authenticated:
        return []
    perimetre = user.perimetre
    nominatif = perimetre.est_agent or bool(perimetre.siae_ids)
    menu = [
        _lien("Accueil", "pilotage:accueil"),
        {
            "libelle": "Structures",
            "sous_menu": [_lien("Structures", "siae:liste"), _lien("Annexes financières", "conventions:annexes")],
        },
        {
            "libelle": "Indicateurs",
            "sous_menu": [
                *(
                    [_lien("Tableau de bord", "pilotage:cockpit")]
                    if perimetre.departements or perimetre.administrateur
                    else []
                ),
                _lien("Consommation des ETP", "indicateurs:consommation"),
                _lien("Sorties", "indicateurs:sorties"),
                _lien("Publics", "indicateurs:publics"),
                _lien("Aides au poste", "aides_au_poste:aides"),
                _lien("Financements", "financements:financements"),
                _lien("Cofinancement des bRSA", "aides_au_poste:cofinancement"),
                _lien("Bilans et dialogue de gestion", "bilans:liste"),
                *(
                    [_lien("Simuler une revalorisation", "aides_au_poste:revalorisation")]
                    if perimetre.est_agent
                    else []
                ),
                *([_lien("Simuler un redéploiement", "pilotage:redeploiement")] if perimetre.est_agent else []),
                *([_lien("Modulation", "modulation:liste")] if perimetre.est_agent else []),
            ],
        },
    ]
    if nominatif:
        menu.append(
            {
                "libelle": "Suivi",
                "sous_menu": [
                    _lien("Déclarations mensuelles", "declarations:suivi"),
                    *([_lien("Écarts ASP / déclarations", "fluxiae:ecarts")] if perimetre.est_agent else []),
                    _lien("Salariés", "parcours:liste"),
                    *(
                        [_lien("Discordances d'identité à l'import", "parcours:discordances")]
                        if perimetre.est_agent
                        else []
                    ),
                    _lien("Contrôle a posteriori", "controle:accueil"),
                    *([_lien("Historique des changements", "historique:accueil")] if perimetre.est_agent else []),
                ],
            }
        )
        menu.append(_lien("Imports", "imports:liste"))
    if perimetre.est_agent:
        # The API's documentation (Swagger, in English) is for the DDETS's and the administrators' tools.
        menu.append(_lien("API", "api-docs"))
    if user.is_staff:
        menu.append(_lien("Administration", "admin:index"))
    # The active link is the longest URL the path starts with: /aides-au-poste/cofinancement/ is not also
    # "Aides au poste".
    chemin = request.path
    tous = [lien for entree in menu for lien in entree.get("sous_menu", [entree])]
    candidats = [
        lien["url"] for lien in tous if (chemin == "/" if lien["url"] == "/" else chemin.startswith(lien["url"]))
    ]
    actif = max(candidats, key=len, default=None)
    for entree in menu:
        liens = entree.get("sous_menu", [entree])
        for lien in liens:
            lien["actif"] = lien["url"] == actif
        entree["actif"] = any(lien["actif"] for lien in liens)
    return menu


def site(request):
    return {"SITE_CONFIG": SITE, "navigation": _navigation(request)}
