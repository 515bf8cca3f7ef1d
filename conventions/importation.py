"""`importer annexes`: keyed by `numero`. A new number with the same prefix and a higher A/M is an avenant: its
`etp_conventionnes` apply from its `date_debut` (or the annexe's start, if earlier) and its `date_fin` becomes
the annexe's end.

An empty `taux_modulation` changes nothing (0 % for a new annexe). Once an annexe has a modulation decision, its rate
is the decided one (modulation/services.py): a line that gives another one is refused, the file with it."""

from decimal import Decimal

from django.utils import timezone

from base.departements import DEPARTEMENTS
from base.formats import etp_fr, taux_fr
from imports.importeur import Analyse, Changement, ErreurColonne, Importeur
from imports.lecture import ErreurLigne, date_fr, decimal_fr, texte
from siae.models import Siae, TypeSiae
from siae.regles import normaliser_siret

from .models import TRANSITIONS, AnnexeFinanciere, Avenant, EtatAnnexe
from .regles import HEURES_ANNUELLES_PAR_DEFAUT, analyser_numero_annexe, departement_du_numero, periode_en_mois_entiers
from .services import ajouter_avenant, creer_annexe, modifier_version

CHAMPS_ANNEXE = (
    "heures_annuelles_par_etp",
    "taux_modulation",
    "montant_cofinance_cd",
    "etat",
    "objectif_sorties_dynamiques",
    "objectif_emploi_durable",
    "objectif_part_brsa",
)
CENT = Decimal(100)


def erreur_taux_decide(annexe, taux: Decimal) -> str | None:
    """A rate given for an annexe whose modulation has been decided: only the decided one."""
    if annexe.taux_modulation_decide_le is None or taux == annexe.taux_modulation:
        return None
    date = timezone.localtime(annexe.taux_modulation_decide_le)
    return (
        f"le taux est fixé par la décision de modulation du {date:%d/%m/%Y} "
        f"({taux_fr(annexe.taux_modulation)}) ; modifiez-le sur la page de modulation de l'annexe"
    )


class ImportAnnexes(Importeur):
    type = "annexes"
    colonnes = (
        "numero",
        "siret",
        "type",
        "date_debut",
        "date_fin",
        "etp_conventionnes",
        "heures_annuelles_par_etp",
        "taux_modulation",
        "montant_cofinance_cd",
        "etat",
        "objectif_sorties_dynamiques",
        "objectif_emploi_durable",
        "objectif_part_brsa",
    )
    colonnes_optionnelles = frozenset(
        {
            "heures_annuelles_par_etp",
            "objectif_sorties_dynamiques",
            "objectif_emploi_durable",
            "objectif_part_brsa",
            "montant_cofinance_cd",
            "taux_modulation",
        }
    )

    def codes(self):
        return {"type": list(TypeSiae.choices), "etat": list(EtatAnnexe.choices)}

    def _decimal(self, brut, colonne, obligatoire=True, minimum=None, maximum=None, decimales=None):
        """The column's number, within [minimum, maximum] when given. Without a maximum, one too large for its field
        (an amount of 1e12) is refused here rather than by the database at writing; so is one with more decimals
        than `decimales`."""
        valeur = texte(brut.get(colonne, ""))
        if not valeur:
            if obligatoire:
                raise ErreurColonne(colonne, "obligatoire")
            return None
        entiers = None
        if maximum is None:
            champ = AnnexeFinanciere._meta.get_field(colonne)
            entiers = champ.max_digits - champ.decimal_places
        try:
            nombre = decimal_fr(valeur, entiers=entiers, decimales=decimales)
        except ValueError as erreur:
            raise ErreurColonne(colonne, str(erreur)) from None
        if (minimum is not None and nombre < minimum) or (maximum is not None and nombre > maximum):
            raise ErreurColonne(
                colonne,
                f"doit être entre {minimum} et {maximum}" if maximum is not None else f"doit être au moins {minimum}",
            )
        return nombre

    def nettoyer_ligne(self, brut):
        numero = texte(brut["numero"]).upper()
        parties = analyser_numero_annexe(numero)
        if parties is None:
            raise ErreurColonne("numero", f"« {numero} » ne suit pas le format ACI055220001A0M0")
        type_ = texte(brut["type"]).upper()
        if type_ not in TypeSiae.values:
            raise ErreurColonne("type", f"type inconnu ({', '.join(TypeSiae.values)})")
        if parties["type"] != type_:
            raise ErreurColonne("type", f"le numéro indique le type {parties['type']}")
        dates = {}
        for colonne in ("date_debut", "date_fin"):
            try:
                dates[colonne] = date_fr(brut[colonne])
            except ValueError as erreur:
                raise ErreurColonne(colonne, str(erreur)) from None
        if erreur := periode_en_mois_entiers(dates["date_debut"], dates["date_fin"]):
            raise ErreurColonne("date_fin" if "fin" in erreur else "date_debut", erreur)
        etat = texte(brut["etat"]).upper() or EtatAnnexe.PROVISOIRE
        if etat not in EtatAnnexe.values:
            raise ErreurColonne("etat", f"état inconnu ({', '.join(EtatAnnexe.values)})")
        heures = self._decimal(brut, "heures_annuelles_par_etp", obligatoire=False, minimum=1, maximum=2500)
        taux = self._decimal(brut, "taux_modulation", obligatoire=False, minimum=0, maximum=10)
        return {
            "numero": numero,
            "parties": parties,
            "siret": normaliser_siret(texte(brut["siret"])),
            "type": type_,
            **dates,
            "etp_conventionnes": self._decimal(brut, "etp_conventionnes", minimum=0, maximum=10000),
            "heures_annuelles_par_etp": heures or HEURES_ANNUELLES_PAR_DEFAUT[type_],
            "taux_modulation": None if taux is None else taux / CENT,  # None: not given
            "montant_cofinance_cd": self._decimal(
                brut, "montant_cofinance_cd", obligatoire=False, minimum=0, decimales=2
            )
            or Decimal(0),
            "etat": etat,
            "objectif_sorties_dynamiques": self._decimal(brut, "objectif_sorties_dynamiques", False, 0, 100),
            "objectif_emploi_durable": self._decimal(brut, "objectif_emploi_durable", False, 0, 100),
            "objectif_part_brsa": self._decimal(brut, "objectif_part_brsa", False, 0, 100),
        }

    def planifier(self, lignes, analyse: Analyse):
        # One SIRET may carry two kinds of SIAE (an AI and an EI): the line's type says which.
        structures = {}
        for structure in Siae.objects.filter(siret__in={v["siret"] for _, v in lignes}).order_by("type"):
            structures.setdefault(structure.siret, {})[structure.type] = structure
        prefixes = {v["parties"]["prefixe"] for _, v in lignes}
        annexes = {a.prefixe: a for a in AnnexeFinanciere.objects.filter(prefixe__in=prefixes)}
        versions = {a.numero: a for a in Avenant.objects.filter(annexe__prefixe__in=prefixes)}
        perimetre = self.utilisateur.perimetre if self.utilisateur else None
        vus, plan = {}, []
        for numero, v in sorted(
            lignes, key=lambda nl: (nl[1]["parties"]["avenant"], nl[1]["parties"]["modification"])
        ):
            du_siret = structures.get(v["siret"], {})
            if not du_siret:
                analyse.erreurs.append(ErreurLigne(numero, "siret", f"aucune SIAE de SIRET {v['siret']}"))
                continue
            siae = du_siret.get(v["type"])
            if siae is None:
                types = " et ".join(du_siret)
                message = (
                    f"la SIAE est de type {types}" if len(du_siret) == 1 else f"ce SIRET est celui des SIAE {types}"
                )
                analyse.erreurs.append(ErreurLigne(numero, "type", message))
                continue
            if departement_du_numero(v["parties"]["departement"]) != siae.departement:
                analyse.erreurs.append(
                    ErreurLigne(numero, "numero", f"la SIAE est dans le département {siae.departement}")
                )
                continue
            if perimetre and not perimetre.administrateur and siae.departement not in perimetre.departements_ddets:
                analyse.erreurs.append(
                    ErreurLigne(
                        numero,
                        "siret",
                        f"vous ne gérez pas le département {siae.departement} ({DEPARTEMENTS[siae.departement]})",
                    )
                )
                continue
            if v["numero"] in vus:
                analyse.erreurs.append(ErreurLigne(numero, "numero", f"numéro déjà présent ligne {vus[v['numero']]}"))
                continue
            vus[v["numero"]] = numero
            analyse.departements.add(siae.departement)
            annexe = annexes.get(v["parties"]["prefixe"])
            if annexe is not None and annexe.siae_id != siae.pk:
                analyse.erreurs.append(ErreurLigne(numero, "siret", "cette annexe appartient à une autre SIAE"))
                continue
            if v["taux_modulation"] is None:
                v["taux_modulation"] = Decimal(0) if annexe is None else annexe.taux_modulation
            elif annexe is not None and (erreur := erreur_taux_decide(annexe, v["taux_modulation"])):
                analyse.erreurs.append(ErreurLigne(numero, "taux_modulation", erreur))
                continue
            if annexe is None:
                analyse.changements.append(Changement("creation", numero, f"{v['numero']} – {siae.nom}"))
                annexes[v["parties"]["prefixe"]] = AnnexeFinanciere(
                    prefixe=v["parties"]["prefixe"], siae=siae, taux_modulation=v["taux_modulation"]
                )
                plan.append(("creation", siae, v))
                continue
            if annexe.pk and v["etat"] != annexe.etat and v["etat"] not in TRANSITIONS[annexe.etat]:
                analyse.erreurs.append(
                    ErreurLigne(
                        numero,
                        "etat",
                        f"une annexe {EtatAnnexe(annexe.etat).label.lower()} ne peut pas passer à l'état "
                        f"« {EtatAnnexe(v['etat']).label.lower()} »",
                    )
                )
                continue
            version = versions.get(v["numero"])
            differences = [c for c in CHAMPS_ANNEXE if annexe.pk and getattr(annexe, c) != v[c]]
            if version is None:
                analyse.changements.append(
                    Changement(
                        "creation",
                        numero,
                        f"avenant {v['numero']}",
                        f"{etp_fr(v['etp_conventionnes'])} ETP à partir de {v['date_debut']:%m/%Y}",
                    )
                )
                plan.append(("avenant", siae, v))
                continue
            if version.etp_conventionnes != v["etp_conventionnes"]:
                differences.append("etp_conventionnes")
            if (
                annexe.pk
                and (annexe.date_debut, annexe.date_fin) != (v["date_debut"], v["date_fin"])
                and (version.rang_avenant, version.rang_modification) == (0, 0)
            ):
                differences.append("période")
            analyse.changements.append(
                Changement("modification" if differences else "inchange", numero, v["numero"], ", ".join(differences))
            )
            if differences:
                plan.append(("modification", siae, v))
        analyse.plan = plan

    def appliquer(self, analyse):
        for action, siae, v in analyse.plan:
            valeurs = {c: v[c] for c in CHAMPS_ANNEXE}
            if action == "creation":
                creer_annexe(
                    numero=v["numero"],
                    siae=siae,
                    auteur=self.utilisateur,
                    type=v["type"],
                    date_debut=v["date_debut"],
                    date_fin=v["date_fin"],
                    etp_conventionnes=v["etp_conventionnes"],
                    **valeurs,
                )
                continue
            annexe = AnnexeFinanciere.objects.get(prefixe=v["parties"]["prefixe"])
            for champ, valeur in valeurs.items():
                setattr(annexe, champ, valeur)
            annexe.save()
            if action == "avenant":
                ajouter_avenant(
                    annexe,
                    mois_effet=max(v["date_debut"], annexe.date_debut),
                    etp_conventionnes=v["etp_conventionnes"],
                    date_fin=v["date_fin"],
                    numero=v["numero"],
                    auteur=self.utilisateur,
                    motif="Import",
                )
            else:
                modifier_version(
                    annexe,
                    v["numero"],
                    etp_conventionnes=v["etp_conventionnes"],
                    date_debut=v["date_debut"],
                    date_fin=v["date_fin"],
                )
