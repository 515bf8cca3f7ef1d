// Every design-system table scrolls inside its container when it is wider than the page: the container becomes a
// named, focusable region so that a keyboard user can scroll it too (RGAA 7.1, axe "scrollable-region-focusable").
// The templates of the wide tables carry these attributes already; this covers the others.
document.querySelectorAll(".fr-table__container:not([tabindex])").forEach((conteneur) => {
  const legende = conteneur.querySelector("caption");
  conteneur.setAttribute("tabindex", "0");
  conteneur.setAttribute("role", "region");
  conteneur.setAttribute("aria-label", legende ? legende.textContent.trim().replace(/\s+/g, " ") : "Tableau");
});
