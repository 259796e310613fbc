package dev.durablediffusion.engine;

/**
 * Token ids of one prompt, padded to the model's text window.
 *
 * @param truncated whether the prompt had more tokens than the window holds
 */
record PromptTokens(long[] ids, boolean truncated) {}
