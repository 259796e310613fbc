package dev.durablediffusion.workflows.generation;

import java.util.List;

/**
 * @param finalStatus the succeeded generation's status as recorded beside its images
 */
public record StoreResult(
    List<ImageRef> outputs, long executionMillis, GenerationStatus finalStatus) {}
