// While a bilan (or a dialogue de gestion sheet) is being generated, its row asks the server for its progression
// every 2 seconds and shows it; once ready, the row offers the download, without reloading the page (a form being
// typed is kept). The row names its download (`data-libelle`); the form that asks for one is `data-generation`.
(function () {
  "use strict";
  var INTERVALLE = 2000;

  function badge(statut, libelle) {
    var classes = { PRET: "fr-badge--success", ECHEC: "fr-badge--error" };
    var p = document.createElement("p");
    p.className = "fr-badge fr-badge--sm fr-badge--no-icon " + (classes[statut] || "fr-badge--info");
    p.textContent = libelle;
    return p;
  }

  function terminer(ligne, donnees) {
    var statut = ligne.querySelector("[data-role=statut]");
    var fichier = ligne.querySelector("[data-role=fichier]");
    statut.replaceChildren(badge(donnees.statut, donnees.libelle));
    if (donnees.statut === "PRET") {
      var lien = document.createElement("a");
      lien.className = "fr-link fr-icon-download-line fr-link--icon-left";
      lien.href = donnees.url;
      lien.textContent = (ligne.dataset.libelle || "Télécharger le bilan") + " (PDF, " + donnees.pages + " pages)";
      fichier.replaceChildren(lien);
    } else {
      var erreur = document.createElement("p");
      erreur.className = "fr-text--sm fr-mb-0 fr-error-text";
      erreur.textContent = donnees.erreur;
      fichier.replaceChildren(erreur);
    }
    var bouton = document.querySelector("form[data-generation] button[disabled]");
    if (bouton) {
      bouton.disabled = false;
      bouton.removeAttribute("title");
    }
  }

  function suivre(ligne) {
    fetch(ligne.dataset.suivi, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (reponse) {
        if (!reponse.ok) throw new Error(reponse.status);
        return reponse.json();
      })
      .then(function (donnees) {
        if (donnees.statut === "PRET" || donnees.statut === "ECHEC") {
          terminer(ligne, donnees);
          return;
        }
        var barre = ligne.querySelector("progress");
        var etape = ligne.querySelector("[data-role=etape]");
        if (barre) {
          barre.value = donnees.progression;
          barre.textContent = donnees.progression + " %";
        }
        if (etape) etape.textContent = (donnees.etape || "En attente") + " – " + donnees.progression + " %";
        window.setTimeout(function () { suivre(ligne); }, INTERVALLE);
      })
      .catch(function () {
        // A lost connection: try again a little later rather than give up on the row.
        window.setTimeout(function () { suivre(ligne); }, INTERVALLE * 3);
      });
  }

  document.querySelectorAll("tr[data-suivi]").forEach(function (ligne) {
    window.setTimeout(function () { suivre(ligne); }, INTERVALLE);
  });
})();
