"""A web worker compiles its templates when it starts (base/demarrage.py): its first page is then built from the
cached loader, as every following one."""

from django.forms.renderers import get_default_renderer
from django.template import engines

from base.demarrage import preparer_le_worker


def _en_cache(moteur) -> set[str]:
    chargeur = moteur.engine.template_loaders[0]
    return {nom.split(":")[0] for nom in chargeur.get_template_cache}


def test_les_gabarits_des_pages_et_des_formulaires_sont_compiles_au_demarrage():
    for moteur in (engines["django"], get_default_renderer().engine):
        moteur.engine.template_loaders[0].reset()

    compiles = preparer_le_worker()

    pages = _en_cache(engines["django"])
    assert {"pilotage/cockpit.html", "base.html", "dsfr/breadcrumb.html"} <= pages
    assert "django/forms/widgets/select.html" in _en_cache(get_default_renderer().engine)
    assert compiles >= len(pages)
