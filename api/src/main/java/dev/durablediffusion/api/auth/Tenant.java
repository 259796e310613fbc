package dev.durablediffusion.api.auth;

/** The authenticated tenant of a request. */
public record Tenant(String id) {

  public static final String REQUEST_ATTRIBUTE = "dev.durablediffusion.api.auth.Tenant";
}
