package dev.durablediffusion.workflows.generation;

import java.util.List;

public record UpscaleResult(List<ImageRef> images, long executionMillis) {}
