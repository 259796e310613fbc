package dev.durablediffusion.workflows.generation;

import io.temporal.activity.ActivityInterface;

@ActivityInterface
public interface LanczosUpscaleActivities {

  UpscaleResult upscaleLanczos(UpscaleInput input);
}
