from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import DetailView, ListView, TemplateView

from base.exports import TEXTE, Colonne, Tableau, filtres_du_formulaire, format_demande, reponse_tableaux
from base.vues import AgentRequisMixin, PerimetreMixin

from .filters import SiaeFilter
from .forms import ContactFormSet, SiaeForm
from .models import Siae
from .services import enregistrer_siae

COLONNES_EXPORT = [
    Colonne("nom", "Nom", TEXTE, 40),
    Colonne("type", "Type", TEXTE, 8),
    Colonne("siret", "SIRET", TEXTE, 16),
    Colonne("code_postal", "Code postal", TEXTE, 12),
    Colonne("commune", "Commune", TEXTE, 24),
    Colonne("departement", "Département", TEXTE, 12),
    Colonne("ensemblier", "Ensemblier", TEXTE, 30),
    Colonne("regie_de_quartier", "Régie de quartier", TEXTE, 12),
]


class SiaeListe(PerimetreMixin, ListView):
    """The structures the user sees, filtered; `?export=csv|xlsx` downloads them all (every page of the list)."""

    model = Siae
    paginate_by = 25
    template_name = "siae/liste.html"

    def get(self, request, *args, **kwargs):
        format_ = format_demande(request)
        if format_ is None:
            return super().get(request, *args, **kwargs)
        lignes = [
            {
                "nom": s.nom,
                "type": s.type,
                "siret": s.siret,
                "code_postal": s.code_postal,
                "commune": s.commune,
                "departement": s.departement,
                "ensemblier": str(s.ensemblier) if s.ensemblier_id else None,
                "regie_de_quartier": "oui" if s.regie_de_quartier else "non",
            }
            for s in self.get_queryset()
        ]
        tableau = Tableau("Structures", COLONNES_EXPORT, lignes, filtres_du_formulaire(self.filtre.form))
        return reponse_tableaux(format_, [tableau], "structures")

    def get_queryset(self):
        self.filtre = SiaeFilter(self.request.GET, queryset=super().get_queryset(), request=self.request)
        return self.filtre.qs.select_related("ensemblier").order_by("nom", "pk")

    def get_context_data(self, **kwargs):
        contexte = super().get_context_data(**kwargs)
        parametres = self.request.GET.copy()
        parametres.pop("page", None)
        parametres.pop("export", None)
        contexte.update(
            filtre=self.filtre,
            parametres=parametres.urlencode(),
            peut_creer=self.request.user.perimetre.est_agent,
            plusieurs_departements=len(self.request.user.perimetre.departements) > 1
            or self.request.user.perimetre.administrateur,
        )
        return contexte


class SiaeDetail(PerimetreMixin, DetailView):
    model = Siae
    template_name = "siae/detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("ensemblier")

    def get_context_data(self, **kwargs):
        contexte = super().get_context_data(**kwargs)
        nominatif = self.request.user.perimetre.voit_nominatif(self.object)
        contexte["contacts"] = list(self.object.contacts.all()) if nominatif else None
        contexte["peut_modifier"] = Siae.objects.gerees_par(self.request.user).filter(pk=self.object.pk).exists()
        return contexte


class SiaeEdition(AgentRequisMixin, TemplateView):
    """Creation (no pk) and edition of a structure and its contacts, for the DDETS agents of its département."""

    template_name = "siae/formulaire.html"

    def get_object(self):
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(Siae.objects.gerees_par(self.request.user), pk=self.kwargs["pk"])

    def formulaires(self, siae):
        donnees = self.request.POST if self.request.method == "POST" else None
        formulaire = SiaeForm(donnees, instance=siae, user=self.request.user)
        contacts = ContactFormSet(donnees, instance=siae or Siae(), prefix="contacts")
        return formulaire, contacts

    def get(self, request, *args, **kwargs):
        siae = self.get_object()
        formulaire, contacts = self.formulaires(siae)
        return self.render_to_response({"form": formulaire, "contacts": contacts, "siae": siae})

    def post(self, request, *args, **kwargs):
        siae = self.get_object()
        formulaire, contacts = self.formulaires(siae)
        if formulaire.is_valid() and contacts.is_valid():
            siae = enregistrer_siae(formulaire, contacts)
            messages.success(request, f"La structure « {siae.nom} » a été enregistrée.")
            return redirect("siae:detail", pk=siae.pk)
        return self.render_to_response({"form": formulaire, "contacts": contacts, "siae": siae})
