"""The drawing itself, with matplotlib: each function takes plain values (Decimal, dates, labels) and returns the
`<svg>` element to inline in a template. Only `base.graphiques` calls it, when a chart is not in the shared cache
yet; importing matplotlib takes a second, so nothing else imports this module (a command, the URLconf).

The output is deterministic (same input, same bytes: fixed hash salt, no date in the metadata), text stays text
(`svg.fonttype = none`: the PDF stays searchable, the page can be read by a screen reader), the figure scales with
its container (`viewBox`, `width="100%"`), and carries its accessible name (`<title>`, `role="img"`,
`aria-labelledby`). The title is not drawn: the page puts it in a heading, and the table next to the chart gives
the figures to those who cannot see it.

Figures are built with `matplotlib.figure.Figure`, not pyplot: nothing is registered in pyplot's global state, so
nothing is left open between two requests.
"""

import datetime
import hashlib
import html
import io
import re
from decimal import Decimal

import matplotlib

matplotlib.use("Agg")

from matplotlib import ticker  # noqa: E402  (the backend must be chosen before these imports)
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from base.formats import nombre_fr  # noqa: E402
from base.graphiques import (  # noqa: E402
    BLEU_CLAIR,
    BLEU_FRANCE,
    GRILLE,
    GRIS,
    MOIS_COURTS,
    PALETTE,
    POLICE_PAGE,
    ROUGE,
    TEXTE,
)

# A px is a pt here: the SVG backend counts in points at 72 per inch, so a figure of w/72 inches has a viewBox
# w units wide, which the page then scales.
PX_PAR_POUCE = 72

REGLAGES = {
    "svg.hashsalt": "pilot-iae",
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 11,
    "axes.edgecolor": GRIS,
    "axes.labelcolor": TEXTE,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "xtick.color": TEXTE,
    "ytick.color": TEXTE,
    "legend.frameon": False,
}


# The fonts charts are drawn with (Marianne in the PDF) lack the narrow no-break space: thousands are separated by a
# plain no-break space in charts.
SEPARATEUR = "\u00a0"


def _nombre(valeur, decimales: int, unite: str = "") -> str:
    texte = nombre_fr(valeur, decimales, separateur=SEPARATEUR)
    if not unite:
        return texte
    return f"{texte}\u00a0{unite}"


def _decimales(valeurs, maximum: int = 2) -> int:
    """The fewest decimals that show every value exactly (up to `maximum`): 10, 20 → 0; 12,5 → 1."""
    for decimales in range(maximum + 1):
        pas = Decimal(1).scaleb(-decimales)
        if all(Decimal(str(v)) == Decimal(str(v)).quantize(pas) for v in valeurs):
            return decimales
    return maximum


class FormatFrancais(ticker.Formatter):
    """Axis graduations in French: decimal comma, narrow no-break space between thousands, the same number of
    decimals on every tick of an axis."""

    def __init__(self, unite: str = ""):
        self.unite = unite
        self.decimales = 0

    def format_ticks(self, values):
        self.decimales = _decimales([round(v, 6) for v in values], maximum=2)
        return [self(v) for v in values]

    def __call__(self, x, pos=None):
        return _nombre(round(x, 6), self.decimales, self.unite)


def _figure(largeur: int, hauteur: int) -> Figure:
    return Figure(figsize=(largeur / PX_PAR_POUCE, hauteur / PX_PAR_POUCE), dpi=PX_PAR_POUCE)


def _identifiant(*parties) -> str:
    return "graphique-" + hashlib.sha256(repr(parties).encode()).hexdigest()[:10]


def _en_svg(figure: Figure, titre: str, identifiant: str) -> str:
    with matplotlib.rc_context(REGLAGES):
        tampon = io.StringIO()
        figure.savefig(tampon, format="svg", metadata={"Date": None, "Creator": None})
    figure.clear()
    svg = tampon.getvalue()
    svg = svg[svg.index("<svg") :]
    # Several charts share a page: the inner ids that are referenced (clip paths, markers) get the chart's own
    # prefix, the others (one per drawn group) are dropped.
    references = set(re.findall(r"url\(#([^)]+)\)", svg)) | set(re.findall(r'xlink:href="#([^"]+)"', svg))
    svg = re.sub(
        r'\s\bid="([^"]+)"',
        lambda m: f' id="{identifiant}-{m.group(1)}"' if m.group(1) in references else "",
        svg,
    )
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{identifiant}-\1)", svg)
    svg = re.sub(r'xlink:href="#([^"]+)"', rf'xlink:href="#{identifiant}-\1"', svg)
    svg = svg.replace("font-family: 'DejaVu Sans'", f"font-family: {POLICE_PAGE}")
    svg = svg.replace("'DejaVu Sans'", POLICE_PAGE)
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    # matplotlib's one style sheet (`*{stroke-linejoin: round; stroke-linecap: butt}`) becomes attributes of the
    # root, which its elements inherit: a page's Content-Security-Policy admits no inline style sheet, and this
    # one, inlined in a page, would have styled the whole page.
    svg = re.sub(r"\s*<defs>\s*<style[^>]*>[^<]*</style>\s*</defs>", "", svg, count=1)
    entete = re.match(r"<svg [^>]*>", svg).group(0)
    largeur, hauteur = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', entete).groups()
    nouvel_entete = (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1" '
        f'id="{identifiant}" class="graphique" width="100%" viewBox="0 0 {largeur} {hauteur}" '
        f'style="max-width: {largeur}px; height: auto" preserveAspectRatio="xMidYMid meet" '
        f'stroke-linejoin="round" stroke-linecap="butt" role="img" aria-labelledby="{identifiant}-titre">'
        f'<title id="{identifiant}-titre">{html.escape(titre or "Graphique")}</title>'
    )
    return svg.replace(entete, nouvel_entete, 1).strip() + "\n"


def _sans_donnees(axes) -> None:
    axes.set_axis_off()
    axes.text(0.5, 0.5, "Aucune donnée", ha="center", va="center", color=TEXTE, transform=axes.transAxes)


def _en_float(valeurs) -> list[float | None]:
    return [None if v is None else float(v) for v in valeurs]


def courbe_consommation(
    mois: list[datetime.date],
    cumul_conventionne: list[Decimal],
    cumul_realise: list[Decimal | None],
    projection: list[Decimal | None] | None,
    titre: str,
    largeur: int,
    hauteur: int,
) -> str:
    identifiant = _identifiant("courbe", mois, cumul_conventionne, cumul_realise, projection, titre)
    with matplotlib.rc_context(REGLAGES):
        figure = _figure(largeur, hauteur)
        axes = figure.add_subplot()
        if not mois:
            _sans_donnees(axes)
            return _en_svg(figure, titre, identifiant)
        x = list(range(len(mois)))
        axes.plot(x, _en_float(cumul_conventionne), color=GRIS, linewidth=2, label="Conventionné (cumul)")
        realise = _en_float(cumul_realise)
        points = [(i, v) for i, v in zip(x, realise, strict=True) if v is not None]
        if points:
            axes.plot(
                [i for i, _ in points],
                [v for _, v in points],
                color=BLEU_FRANCE,
                linewidth=2.5,
                marker="o",
                markersize=4,
                label="Réalisé (cumul)",
            )
        if projection and any(v is not None for v in projection):
            prevus = [(i, float(v)) for i, v in zip(x, projection, strict=True) if v is not None]
            axes.plot(
                [i for i, _ in prevus],
                [v for _, v in prevus],
                color=BLEU_CLAIR,
                linewidth=2,
                linestyle="--",
                label="Projection",
            )
            # Below the line: the conventionné's label sits above, and both end on the same month.
            dernier_i, dernier_v = prevus[-1]
            axes.annotate(
                nombre_fr(dernier_v, 2, separateur=SEPARATEUR),
                (dernier_i, dernier_v),
                xytext=(0, -16),
                textcoords="offset points",
                ha="center",
                color=BLEU_CLAIR,
            )
        if points:
            dernier_i, dernier_v = points[-1]
            axes.annotate(
                nombre_fr(dernier_v, 2, separateur=SEPARATEUR),
                (dernier_i, dernier_v),
                xytext=(0, -16),
                textcoords="offset points",
                ha="center",
                color=BLEU_FRANCE,
            )
        fin = float(cumul_conventionne[-1]) if cumul_conventionne else 0.0
        axes.annotate(
            nombre_fr(fin, 2, separateur=SEPARATEUR),
            (x[-1], fin),
            xytext=(0, 6),
            textcoords="offset points",
            ha="center",
            color=TEXTE,
        )
        axes.set_xticks(x, [MOIS_COURTS[m.month - 1] for m in mois])
        axes.set_xlim(-0.5, len(mois) - 0.5)
        axes.set_ylim(bottom=0)
        axes.margins(y=0.12)
        axes.yaxis.set_major_formatter(FormatFrancais())
        axes.set_ylabel("ETP-mois cumulés")
        axes.grid(axis="y", color=GRILLE)
        axes.set_axisbelow(True)
        axes.legend(loc="upper left")
        figure.tight_layout()
        return _en_svg(figure, titre, identifiant)


def _decimales_valeurs(valeurs, unite: str) -> int:
    presentes = [v for v in valeurs if v is not None]
    if unite == "€":
        return 0
    return _decimales(presentes, maximum=1 if unite == "%" else 2)


def barres(
    categories: list[str],
    series: dict[str, list[Decimal | None]],
    titre: str = "",
    unite: str = "",
    ligne_objectif: Decimal | None = None,
    largeur: int = 720,
    hauteur: int = 320,
) -> str:
    """Bars grouped by category, one colour per series (e.g. a rate per kind of SIAE, one series per year), each
    bar labelled with its value; `ligne_objectif` draws the target as a red dashed line. None draws no bar."""
    identifiant = _identifiant("barres", categories, series, titre, unite, ligne_objectif)
    with matplotlib.rc_context(REGLAGES):
        figure = _figure(largeur, hauteur)
        axes = figure.add_subplot()
        toutes = [v for valeurs in series.values() for v in valeurs if v is not None]
        if not categories or not toutes:
            _sans_donnees(axes)
            return _en_svg(figure, titre, identifiant)
        decimales = _decimales_valeurs(toutes, unite)
        comptes = unite != "%" and all(Decimal(str(v)) == int(v) for v in toutes)
        nombre_series = max(len(series), 1)
        epaisseur = min(0.8 / nombre_series, 0.5)
        etiquettes = []
        for rang, (nom, valeurs) in enumerate(series.items()):
            decalage = (rang - (nombre_series - 1) / 2) * epaisseur
            presentes = [(i, float(v)) for i, v in enumerate(valeurs) if v is not None]
            rectangles = axes.bar(
                [i + decalage for i, _ in presentes],
                [v for _, v in presentes],
                width=epaisseur * 0.92,
                color=PALETTE[rang % len(PALETTE)],
                label=nom,
            )
            etiquettes += axes.bar_label(
                rectangles,
                # A count of zero draws no bar and needs no label; a rate of 0 % keeps its own.
                labels=["" if comptes and v == 0 else _nombre(v, decimales, unite) for _, v in presentes],
                padding=2,
                fontsize=9,
                color=TEXTE,
                # On a white ground: the objective's line or a graduation passing behind a label leaves it legible.
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5},
                zorder=4,
            )
        if ligne_objectif is not None:
            axes.axhline(
                float(ligne_objectif),
                color=ROUGE,
                linestyle="--",
                linewidth=1.5,
                label=f"Objectif {_nombre(ligne_objectif, _decimales([ligne_objectif], 1), unite)}",
            )
        axes.set_xticks(range(len(categories)), categories)
        axes.set_ylim(bottom=0)
        axes.margins(y=0.15)
        if comptes:
            # Counts: no half graduation.
            axes.yaxis.set_major_locator(ticker.MaxNLocator(integer=True))
        axes.yaxis.set_major_formatter(FormatFrancais(unite))
        axes.grid(axis="y", color=GRILLE)
        axes.set_axisbelow(True)
        if len(series) > 1 or ligne_objectif is not None:
            # Built by hand: a series without any value (a year with no data) keeps its colour in the legend,
            # and the objective comes last.
            poignees = [Patch(color=PALETTE[rang % len(PALETTE)], label=nom) for rang, nom in enumerate(series)]
            poignees += [p for p in axes.get_lines() if not p.get_label().startswith("_")]
            axes.legend(handles=poignees, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncols=len(poignees))
        figure.tight_layout()
        _etiquettes_lisibles(figure, axes, etiquettes)
        return _en_svg(figure, titre, identifiant)


def _moteur(figure: Figure):
    """The renderer that lays the texts out, to measure them (the SVG's own draws them with the same metrics)."""
    if not isinstance(figure.canvas, FigureCanvasAgg):
        FigureCanvasAgg(figure)
    return figure.canvas.get_renderer()


def _chevauchements(figure: Figure, textes) -> list[tuple[str, str]]:
    """The pairs of non-empty texts whose drawn boxes overlap, as the renderer lays them out."""
    moteur = _moteur(figure)
    # A margin of a fifth of their width around them: the page draws them in its own font, a little wider than the
    # one they are measured with.
    boites = [(t.get_text(), t.get_window_extent(moteur).expanded(1.2, 1.0)) for t in textes if t.get_text()]
    return [
        (texte, autre_texte)
        for rang, (texte, boite) in enumerate(boites)
        for autre_texte, autre in boites[rang + 1 :]
        if boite.overlaps(autre)
    ]


def _etiquettes_lisibles(figure: Figure, axes, etiquettes) -> None:
    """Bars side by side of close heights (three years of one kind) put their value labels on one line, wider than
    the bars: the labels then turn upright, one per bar, and the chart grows upwards until they fit in it. The
    scale is uniform, so a chart that is clear at its size stays so in a narrower page or in the PDF."""
    if not _chevauchements(figure, etiquettes):
        return
    for etiquette in etiquettes:
        etiquette.set_rotation(90)
        etiquette.set_verticalalignment("bottom")
    moteur = _moteur(figure)
    for _ in range(10):
        haut = axes.get_window_extent(moteur).y1
        if all(e.get_window_extent(moteur).y1 <= haut for e in etiquettes if e.get_text()):
            break
        bas, sommet = axes.get_ylim()
        axes.set_ylim(bas, sommet + (sommet - bas) * 0.1)


def barres_horizontales(
    categories: list[str],
    valeurs: list[Decimal | None],
    titre: str = "",
    unite: str = "",
    largeur: int = 720,
) -> str:
    """One horizontal bar per category (e.g. amounts by financeur), first category on top, value at the end.
    The height follows the number of categories. With negative values (gaps to a target), the bars diverge from a
    zero line, negative ones in the lighter blue, positive ones signed."""
    identifiant = _identifiant("horizontales", categories, valeurs, titre, unite)
    hauteur = max(160, 60 + 34 * len(categories))
    with matplotlib.rc_context(REGLAGES):
        figure = _figure(largeur, hauteur)
        axes = figure.add_subplot()
        presentes = [v for v in valeurs if v is not None]
        if not categories or not presentes:
            _sans_donnees(axes)
            return _en_svg(figure, titre, identifiant)
        decimales = _decimales_valeurs(presentes, unite)
        divergent = any(v < 0 for v in presentes)
        rangs = list(range(len(categories)))
        nombres = [0.0 if v is None else float(v) for v in valeurs]
        couleurs = [BLEU_CLAIR if v < 0 else BLEU_FRANCE for v in nombres]
        rectangles = axes.barh(rangs, nombres, height=0.6, color=couleurs)

        def etiquette(v):
            if v is None:
                return "–"
            return ("+" if divergent and v > 0 else "") + _nombre(v, decimales, unite)

        axes.bar_label(rectangles, labels=[etiquette(v) for v in valeurs], padding=3, fontsize=9, color=TEXTE)
        if divergent:
            axes.axvline(0, color=TEXTE, linewidth=0.8)
        else:
            axes.set_xlim(left=0)
        axes.set_yticks(rangs, categories)
        axes.invert_yaxis()
        axes.margins(x=0.2)
        axes.xaxis.set_major_locator(ticker.MaxNLocator(nbins=5))
        axes.xaxis.set_major_formatter(FormatFrancais(unite))
        axes.grid(axis="x", color=GRILLE)
        axes.set_axisbelow(True)
        figure.tight_layout()
        return _en_svg(figure, titre, identifiant)
