package dev.durablediffusion.storage;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The model catalog ({@code dd.models.*}).
 *
 * @param defaultModel the model of requests that name none
 * @param fromStorage whether manifests in the models area of storage join the catalog
 * @param directory an optional local directory of bundles ({@code
 *     <directory>/<name>/manifest.json})
 */
@ConfigurationProperties(prefix = "dd.models")
public record ModelCatalogProperties(
    @DefaultValue("tiny-shapes") String defaultModel,
    @DefaultValue("false") boolean fromStorage,
    Path directory) {}
