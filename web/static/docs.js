// Swagger UI 5 (reads OpenAPI 3.1) from the bundled package, started without an inline script (the CSP forbids them).
// Its accessibility gaps are filled as it renders: headings that jump from h1 to h3/h4 get aria-level 2/3, the
// scrollable examples become focusable, and each response table's live region gets a name of its own.
"use strict";

function fillGaps(root) {
  root.querySelectorAll("h3.opblock-tag, section.models h4, .opblock-section-header h4").forEach((heading) => {
    if (!heading.hasAttribute("aria-level")) heading.setAttribute("aria-level", heading.matches("h3.opblock-tag, section.models h4") ? "2" : "3");
  });
  root.querySelectorAll(".highlight-code pre, pre.microlight").forEach((pre) => {
    if (!pre.hasAttribute("tabindex")) pre.setAttribute("tabindex", "0");
  });
  root.querySelectorAll("[id$='_responses']").forEach((region) => {
    if (!region.hasAttribute("aria-label")) region.setAttribute("aria-label", "Responses of " + region.id.replace(/_responses$/, "").replace(/_/g, " "));
  });
}

window.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("swagger-ui");
  if (!window.SwaggerUIBundle || !root) return;
  window.SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: false, defaultModelsExpandDepth: 2,
                           defaultModelExpandDepth: 3, docExpansion: "list", syntaxHighlight: false });
  new MutationObserver(() => fillGaps(root)).observe(root, { childList: true, subtree: true });
});
