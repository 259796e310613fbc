package dev.durablediffusion.engine;

import java.awt.image.BufferedImage;

/** One image and the seed that reproduces it on its own. */
public record GeneratedImage(BufferedImage image, long seed) {}
