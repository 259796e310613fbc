package dev.durablediffusion.storage;

import java.time.Instant;

/** What storage knows about a stored object besides its bytes. */
public record ObjectInfo(long size, String contentType, Instant lastModified) {}
