// The buttons that open a confirmation (templates/commun/_confirmation.html) are hidden in the HTML: without
// JavaScript the DSFR modal cannot open, and a disclosure asks instead. With it, they are shown. Included once per
// confirmation: running again changes nothing.
(function () {
  "use strict";
  document.querySelectorAll("button[data-confirmation][hidden]").forEach(function (bouton) {
    bouton.hidden = false;
  });
})();
