package dev.durablediffusion.workflows.generation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * The images of a generation as the store step left them in the outputs area.
 *
 * @param executionMillis the store step's own time, reported as the {@code storing} timing
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StoredImages(List<ImageRef> outputs, long executionMillis) {}
