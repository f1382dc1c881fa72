// Swagger UI from the bundled package, started without an inline script (the CSP forbids them).
window.addEventListener("DOMContentLoaded", () => {
  if (window.SwaggerUIBundle) {
    window.SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui" });
  }
});
