// The page that follows one bilan or dialogue sheet being prepared: it asks the server for the progression every
// 2 seconds and shows it; once the work has ended (ready or failed) it reloads, and the server shows the download
// link or the error. Without JavaScript the page refreshes itself (a meta refresh in <noscript>).
(function () {
  "use strict";
  var INTERVALLE = 2000;
  var bloc = document.getElementById("avancement");
  if (!bloc) return;
  var barre = document.getElementById("avancement-barre");
  var etape = document.getElementById("avancement-etape");
  var texte = document.getElementById("avancement-texte");

  function interroger() {
    fetch(bloc.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (reponse) {
        if (!reponse.ok) throw new Error(reponse.status);
        return reponse.json();
      })
      .then(function (donnees) {
        if (donnees.statut === "PRET" || donnees.statut === "ECHEC") {
          window.location.reload();
          return;
        }
        if (barre) {
          barre.value = donnees.progression;
          barre.textContent = donnees.progression + " %";
        }
        if (etape) etape.textContent = donnees.etape || "En attente";
        if (texte) texte.textContent = donnees.progression + " %";
        window.setTimeout(interroger, INTERVALLE);
      })
      .catch(function () {
        // A lost connection: try again a little later rather than give up.
        window.setTimeout(interroger, INTERVALLE * 3);
      });
  }

  window.setTimeout(interroger, INTERVALLE);
})();
