package dev.durablediffusion.api;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The API ({@code dd.api.*}).
 *
 * @param keys {@code tenant:key,tenant:key}; also read from {@code DD_API_KEYS}
 * @param devKeyWhenEmpty create tenant {@code dev} with a fresh key, printed once, when no key is
 *     configured (the embedded default only)
 */
@ConfigurationProperties(prefix = "dd.api")
public record ApiProperties(
    @DefaultValue("") String keys, @DefaultValue("false") boolean devKeyWhenEmpty) {}
