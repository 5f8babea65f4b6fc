// The API documentation page (/api/docs): Swagger UI over the generated OpenAPI document.
// A file of its own, not an inline script, so the page holds under a strict CSP.
window.addEventListener("DOMContentLoaded", () => {
  window.SwaggerUIBundle({
    url: "/api/openapi.json",
    dom_id: "#api-docs",
    deepLinking: true,
    withCredentials: true,
  });
});
