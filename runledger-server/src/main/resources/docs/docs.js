// The API reference: Swagger UI over this server's own /openapi.json. Everything it loads comes
// from this server; validatorUrl null keeps it from sending the document to a public validator.
window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  validatorUrl: null,
  displayOperationId: true,
  defaultModelsExpandDepth: 0,
});
