// Swagger UI 5 (reads OpenAPI 3.1) from the bundled package, started without an inline script (the CSP forbids them).
window.addEventListener("DOMContentLoaded", () => {
  if (window.SwaggerUIBundle) {
    window.SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true, defaultModelsExpandDepth: 2,
                             defaultModelExpandDepth: 3, docExpansion: "list" });
  }
});
