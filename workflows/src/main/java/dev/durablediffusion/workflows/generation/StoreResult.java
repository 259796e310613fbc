package dev.durablediffusion.workflows.generation;

import java.util.List;

public record StoreResult(List<ImageRef> outputs, long executionMillis) {}
