// The declaration grid: the error summary (or the summary before transmitting) takes the focus, and the totals of
// hours and ETP follow what is typed. The server computes the same totals on every page it renders: without
// this script they are those of the grid as saved.
(function () {
  "use strict";
  var premier = document.getElementById("resume-erreurs") || document.getElementById("recapitulatif");
  if (premier) {
    premier.focus();
  }

  var totaux = document.getElementById("totaux");
  var grille = document.getElementById("grille");
  if (!totaux || !grille) {
    return;
  }
  // ETP of a month = hours × 12 / annual hours of a post (declarations.regles.etp_realises).
  var heuresParEtp = parseFloat(totaux.dataset.heuresParEtp);
  var format = new Intl.NumberFormat("fr-FR", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  var champs = grille.querySelectorAll("input[name$='-heures']");

  function lire(valeur) {
    var texte = valeur.replace(/[\s\u00a0\u202f]/g, "").replace(",", ".");
    if (texte === "" || !/^\d+(\.\d*)?$/.test(texte)) {
      return null;
    }
    return parseFloat(texte);
  }

  function recalculer() {
    var heures = 0;
    var vides = 0;
    champs.forEach(function (champ) {
      var valeur = lire(champ.value);
      if (champ.value.trim() === "") {
        vides += 1;
      } else if (valeur !== null) {
        heures += valeur;
      }
    });
    totaux.querySelector("[data-total=heures]").textContent = format.format(heures);
    totaux.querySelector("[data-total=etp]").textContent = format.format((heures * 12) / heuresParEtp);
    totaux.querySelector("[data-total=vides]").textContent = String(vides);
  }

  grille.addEventListener("input", function (evenement) {
    if (evenement.target.name && /-heures$/.test(evenement.target.name)) {
      recalculer();
    }
  });
})();
