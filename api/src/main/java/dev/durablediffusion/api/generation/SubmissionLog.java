package dev.durablediffusion.api.generation;

import dev.durablediffusion.workflows.generation.GenerationRequest;
import dev.durablediffusion.workflows.generation.RequestValidation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One log line per started generation; prompts appear only when configured to. */
public final class SubmissionLog {

  /** How prompts appear in log lines. */
  public enum Prompts {
    /** Only their length: the default, since prompts are the tenants' data. */
    REDACTED,
    /** Verbatim, for debugging where the logs are as private as the images. */
    FULL
  }

  private static final Logger log = LoggerFactory.getLogger(SubmissionLog.class);

  private final Prompts prompts;

  public SubmissionLog(Prompts prompts) {
    this.prompts = prompts;
  }

  void started(GenerationRequest request) {
    log.info(
        "started generation {}: model={} size={}x{} steps={} images={} priority={} prompt={}"
            + " negative_prompt={}",
        request.generationId(),
        orDefault(request.model()),
        orDefault(request.width()),
        orDefault(request.height()),
        orDefault(request.steps()),
        orDefault(request.numImages()),
        RequestValidation.priority(request),
        shown(request.prompt()),
        shown(request.negativePrompt()));
  }

  /** Line breaks are escaped so that a prompt cannot forge log lines. */
  String shown(String prompt) {
    if (prompt == null) {
      return "none";
    }
    if (prompts == Prompts.REDACTED) {
      return "[redacted, " + prompt.length() + " chars]";
    }
    return '"' + prompt.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r") + '"';
  }

  private static Object orDefault(Object value) {
    return value == null ? "default" : value;
  }
}
