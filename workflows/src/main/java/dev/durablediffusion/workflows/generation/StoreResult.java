package dev.durablediffusion.workflows.generation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * @param finalStatus the succeeded generation's status as recorded beside its images
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StoreResult(
    List<ImageRef> outputs, long executionMillis, GenerationStatus finalStatus) {}
