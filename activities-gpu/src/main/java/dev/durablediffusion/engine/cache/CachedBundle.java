package dev.durablediffusion.engine.cache;

import dev.durablediffusion.engine.bundle.VerifiedBundle;

/**
 * @param hit whether the bundle was already on this node's disk
 * @param fetchMillis time spent downloading and verifying (0-ish on a hit)
 */
public record CachedBundle(VerifiedBundle bundle, boolean hit, long fetchMillis) {}
