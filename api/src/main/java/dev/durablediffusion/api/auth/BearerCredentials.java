package dev.durablediffusion.api.auth;

import java.util.Optional;

/** One kind of {@code Authorization: Bearer} credential, and the tenant it belongs to. */
@FunctionalInterface
public interface BearerCredentials {

  /** Empty when the credential is not of this kind, or not valid. */
  Optional<String> tenantOf(String bearer);
}
