package dev.durablediffusion.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

/** The OpenAPI document's header: what the API is and how to authenticate. */
final class OpenApiDocument {

  static final String BEARER = "apiKey";

  private OpenApiDocument() {}

  static OpenAPI describe() {
    return new OpenAPI()
        .info(
            new Info()
                .title("Durable Diffusion API")
                .version("v1")
                .description(
                    "Prompt-to-image generations run as durable workflows. Errors are"
                        + " application/problem+json; see docs/api.md."))
        .components(
            new Components()
                .addSecuritySchemes(
                    BEARER,
                    new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .description(
                            "an API key or, where configured, a Microsoft Entra ID access token;"
                                + " it names the tenant")))
        .addSecurityItem(new SecurityRequirement().addList(BEARER));
  }
}
