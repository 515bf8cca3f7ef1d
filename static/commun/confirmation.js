// The confirmations of templates/commun/_confirmation.html. The buttons that open them are hidden in the HTML:
// without JavaScript the DSFR modal cannot open, and a disclosure asks instead; with it, they are shown. A form sent
// otherwise than from its open modal (Enter in one of its fields) opens the modal instead of leaving unconfirmed.
// Included once per confirmation: running again changes nothing.
(function () {
  "use strict";
  document.querySelectorAll("[data-confirmation-declencheur][hidden]").forEach(function (enveloppe) {
    enveloppe.hidden = false;
    var formulaire = enveloppe.closest("form");
    var bouton = enveloppe.querySelector("button[aria-controls]");
    var modale = bouton && document.getElementById(bouton.getAttribute("aria-controls"));
    if (!formulaire || !modale || formulaire.dataset.confirmationSuivie) return;
    formulaire.dataset.confirmationSuivie = "1";
    formulaire.addEventListener("submit", function (evenement) {
      var envoyeur = evenement.submitter;
      if (envoyeur && envoyeur.closest(".fr-modal--opened")) return;
      evenement.preventDefault();
      if (window.dsfr) window.dsfr(modale).modal.disclose();
    });
  });
})();
