package dev.durablediffusion.workflows.generation;

import java.util.List;

public record UpscaleInput(String generationId, List<ImageRef> images, UpscaleSpec upscale) {}
