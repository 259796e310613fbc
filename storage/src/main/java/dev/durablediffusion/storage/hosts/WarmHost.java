package dev.durablediffusion.storage.hosts;

import java.util.List;

/**
 * What one GPU worker said it holds in memory, and until when the statement stands.
 *
 * @param worker the worker's own task queue, which names it
 * @param device where its models run ({@code cpu}, {@code cuda:0})
 * @param models names of the models loaded, most recently used last
 * @param validUntilMillis when the record is stale unless renewed
 */
public record WarmHost(String worker, String device, List<String> models, long validUntilMillis) {}
