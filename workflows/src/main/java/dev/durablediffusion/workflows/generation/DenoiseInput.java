package dev.durablediffusion.workflows.generation;

public record DenoiseInput(GenerationPlan plan, String modelDigest) {}
