from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from imports.importeur import ImporteurArchive
from imports.limites import FichierIllisible, Limites
from imports.models import Import, StatutImport
from imports.registre import importeur_pour, types_d_import
from imports.services import analyser_archive, confirmer_import, executer_archive, executer_import, preparer_import


class Command(BaseCommand):
    help = (
        "Importe un fichier CSV ou XLSX (tout ou rien), ou le fluxIAE de l'ASP (un dossier ou l'archive Zip). "
        "Exemples : importer siae structures.csv ; importer fluxiae /chemin/du/flux --departement 55"
    )

    def add_arguments(self, parser):
        parser.add_argument("type", choices=sorted(types_d_import()))
        parser.add_argument("fichier", type=Path)
        parser.add_argument(
            "--departement",
            action="append",
            default=[],
            help="fluxIAE : ne charger que ce département (répétable) ; sans lui, tous ceux du flux.",
        )
        parser.add_argument("--apercu", action="store_true", help="Analyser sans rien enregistrer.")

    def handle(self, *args, type, fichier, departement, apercu, **options):
        if isinstance(importeur_pour(type), ImporteurArchive):
            journal = self.archive(type, fichier, departement, apercu)
        else:
            if not fichier.is_file():
                raise CommandError(f"fichier introuvable : {fichier}")
            try:
                Limites.des_reglages().verifier_taille(fichier.stat().st_size)  # before a byte is read
            except FichierIllisible as refus:
                raise CommandError(f"{fichier.name} : {refus.message}") from None
            journal = preparer_import(type, fichier.name, fichier.read_bytes())
            for avertissement in journal.avertissements:
                self.stdout.write(f"Avertissement : {avertissement}")
            if journal.statut == StatutImport.ANALYSE and not apercu:
                # The operator's command is the confirmation: the warnings are printed, and kept in the journal.
                if journal.avertissements:
                    confirmer_import(journal)
                journal = executer_import(journal)
        attendu = StatutImport.ANALYSE if apercu else StatutImport.TERMINE
        if journal.statut != attendu:
            for erreur in journal.erreurs:
                self.stderr.write(erreur)
            if journal.erreurs_non_listees:
                self.stderr.write(f"… et {journal.erreurs_non_listees} autre(s) erreur(s), non listée(s).")
            self.stderr.write(f"Fichier refusé : {journal.nombre_d_erreurs} erreur(s), rien n'a été enregistré.")
            raise SystemExit(1)
        for vue, compte in journal.comptes_par_vue.items():
            ignores = sum(compte["ignores"].values())
            self.stdout.write(
                f"{vue} : {compte['crees']} créé(s), {compte['modifies']} modifié(s), {compte['inchanges']} "
                f"inchangé(s), {ignores} ignoré(s)"
                + "".join(f"\n  ignoré(s) : {n} – {raison}" for raison, n in compte["ignores"].items())
            )
        for nom in journal.fichiers_ignores:
            self.stdout.write(f"Fichier ignoré : {nom}")
        self.stdout.write(
            f"{journal.nom_fichier} : {journal.nb_crees} créé(s), {journal.nb_modifies} modifié(s), "
            f"{journal.nb_inchanges} inchangé(s)."
        )

    def archive(self, type_: str, chemin: Path, departements: list[str], apercu: bool) -> Import:
        """A folder or an archive, read where it is (a national flux is several gigabytes: never copied)."""
        if not chemin.exists():
            raise CommandError(f"dossier ou archive introuvable : {chemin}")
        journal = Import.objects.create(
            type=type_,
            nom_fichier=chemin.name,
            statut=StatutImport.EN_ANALYSE if apercu else StatutImport.EN_COURS,
            departements_demandes=sorted(departements),
            departement=departements[0] if len(departements) == 1 else "",
        )
        if apercu:
            return analyser_archive(journal, chemin)
        return executer_archive(journal, chemin)
