package dev.durablediffusion.workflows.generation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.durablediffusion.model.FieldError;
import java.util.List;

/**
 * Why a generation failed.
 *
 * @param type a stable machine-readable type, see {@link ErrorTypes}
 * @param fields the request fields at fault, for invalid requests
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record GenerationError(
    String type, String message, boolean retryable, List<FieldError> fields) {}
