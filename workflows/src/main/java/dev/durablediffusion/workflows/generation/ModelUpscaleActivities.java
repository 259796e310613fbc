package dev.durablediffusion.workflows.generation;

import io.temporal.activity.ActivityInterface;

@ActivityInterface
public interface ModelUpscaleActivities {

  UpscaleResult upscaleWithModel(UpscaleInput input);
}
