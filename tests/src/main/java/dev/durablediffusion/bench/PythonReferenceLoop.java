package dev.durablediffusion.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The same denoise loop in Python/PyTorch: runs {@code tools/bench_python_loop.py} as a subprocess
 * (warm-up and timed runs inside it) and reads the JSON it prints.
 */
final class PythonReferenceLoop {

  /** What the script reported: its torch, its threads, and one timing per timed run. */
  record Result(String torchVersion, int threads, int interopThreads, List<LoopTimings> runs) {}

  private final String python;
  private final String script;

  PythonReferenceLoop(String python, String script) {
    this.python = python;
    this.script = script;
  }

  Result run(Path bundle, LoopSettings settings, int numImages, int warmup, int runs) {
    List<String> command =
        List.of(
            python,
            script,
            bundle.toString(),
            "--prompt",
            settings.prompt(),
            "--steps",
            String.valueOf(settings.steps()),
            "--guidance",
            String.valueOf(settings.guidanceScale()),
            "--seed",
            String.valueOf(settings.seed()),
            "--num-images",
            String.valueOf(numImages),
            "--warmup",
            String.valueOf(warmup),
            "--runs",
            String.valueOf(runs),
            "--threads",
            String.valueOf(settings.threads()));
    try {
      Process process =
          new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int status = process.waitFor();
      if (status != 0) {
        throw new IllegalStateException(String.join(" ", command) + " exited with " + status);
      }
      return parse(new ObjectMapper().readTree(stdout));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the Python loop ran", e);
    }
  }

  private static Result parse(JsonNode json) {
    List<LoopTimings> runs = new ArrayList<>();
    for (JsonNode run : json.get("runs")) {
      runs.add(
          new LoopTimings(
              run.get("total_ms").asDouble(),
              run.get("sampling_ms").asDouble(),
              run.get("unet_ms").asDouble()));
    }
    return new Result(
        json.get("torch_version").asText(),
        json.get("threads").asInt(),
        json.get("interop_threads").asInt(),
        runs);
  }
}
