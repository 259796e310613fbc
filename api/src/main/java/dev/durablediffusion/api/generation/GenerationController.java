package dev.durablediffusion.api.generation;

import dev.durablediffusion.api.auth.Tenant;
import dev.durablediffusion.api.events.GenerationEventStreams;
import dev.durablediffusion.model.FieldError;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

@RestController
@RequestMapping("/v1/generations")
public class GenerationController {

  /** The longest {@code Prefer: wait=N} honoured, in seconds. */
  public static final int MAX_WAIT_SECONDS = 60;

  private static final Pattern WAIT = Pattern.compile("(?:^|[;,\\s])wait=(\\d{1,9})(?:$|[;,\\s])");

  private final GenerationSubmission submission;
  private final GenerationLookup lookup;
  private final GenerationListing listing;
  private final GenerationCancellation cancellation;
  private final GenerationImages images;
  private final GenerationEventStreams events;

  public GenerationController(
      GenerationSubmission submission,
      GenerationLookup lookup,
      GenerationListing listing,
      GenerationCancellation cancellation,
      GenerationImages images,
      GenerationEventStreams events) {
    this.submission = submission;
    this.lookup = lookup;
    this.listing = listing;
    this.cancellation = cancellation;
    this.images = images;
    this.events = events;
  }

  /**
   * Starts a generation: 202 with its id. With {@code Prefer: wait=N} (N ≤ 60) it answers 200 with
   * the finished generation when it ends within N seconds.
   */
  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<?> create(
      @RequestAttribute(Tenant.REQUEST_ATTRIBUTE) Tenant tenant,
      @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
      @RequestHeader(name = "Prefer", required = false) String prefer,
      @RequestBody CreateGenerationBody body) {
    Optional<Duration> wait = waitPreference(prefer);
    String id = submission.submit(tenant.id(), body, idempotencyKey);
    URI location = URI.create("/v1/generations/" + id);
    if (wait.isPresent()) {
      Optional<GenerationResource> ended = lookup.awaitEnd(tenant.id(), id, wait.get());
      if (ended.isPresent()) {
        return ResponseEntity.ok()
            .location(location)
            .header("Preference-Applied", "wait=" + wait.get().toSeconds())
            .body(ended.get());
      }
    }
    return ResponseEntity.accepted()
        .location(location)
        .body(Map.of("id", id, "url", location.toString()));
  }

  private static Optional<Duration> waitPreference(String prefer) {
    if (prefer == null) {
      return Optional.empty();
    }
    Matcher matcher = WAIT.matcher(prefer.trim());
    if (!matcher.find()) {
      return Optional.empty();
    }
    long seconds = Long.parseLong(matcher.group(1));
    if (seconds < 1 || seconds > MAX_WAIT_SECONDS) {
      throw new InvalidRequestException(
          List.of(new FieldError("Prefer", "wait must be between 1 and " + MAX_WAIT_SECONDS)));
    }
    return Optional.of(Duration.ofSeconds(seconds));
  }

  /** The tenant's generations, newest first, {@code limit} per page. */
  @GetMapping
  public GenerationSummary.Page list(
      @RequestAttribute(Tenant.REQUEST_ATTRIBUTE) Tenant tenant,
      @RequestParam(defaultValue = "20") int limit,
      @RequestParam(required = false) String cursor,
      @RequestParam(required = false) String status) {
    return listing.list(tenant.id(), limit, cursor, status);
  }

  @GetMapping("/{id}")
  public GenerationResource get(
      @RequestAttribute(Tenant.REQUEST_ATTRIBUTE) Tenant tenant, @PathVariable String id) {
    return lookup.resource(tenant.id(), id);
  }

  /** Server-Sent Events until the generation ends; resumes after {@code Last-Event-ID}. */
  @GetMapping(value = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  public SseEmitter events(
      @RequestAttribute(Tenant.REQUEST_ATTRIBUTE) Tenant tenant,
      @PathVariable String id,
      @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) {
    long after = 0;
    if (lastEventId != null && !lastEventId.isBlank()) {
      try {
        after = Long.parseLong(lastEventId.trim());
      } catch (NumberFormatException e) {
        throw new InvalidRequestException(
            List.of(new FieldError("Last-Event-ID", "must be an event id this stream sent")));
      }
    }
    return events.open(tenant.id(), id, after);
  }

  @PostMapping("/{id}/cancel")
  public ResponseEntity<GenerationResource> cancel(
      @RequestAttribute(Tenant.REQUEST_ATTRIBUTE) Tenant tenant, @PathVariable String id) {
    return ResponseEntity.accepted().body(cancellation.cancel(tenant.id(), id));
  }

  @GetMapping(value = "/{id}/images/{index}", produces = MediaType.IMAGE_PNG_VALUE)
  public ResponseEntity<byte[]> image(
      @RequestAttribute(Tenant.REQUEST_ATTRIBUTE) Tenant tenant,
      @PathVariable String id,
      @PathVariable int index) {
    return images
        .output(tenant.id(), id, index)
        .map(png -> ResponseEntity.ok().contentType(MediaType.IMAGE_PNG).body(png))
        .orElseThrow(() -> new GenerationNotFoundException(id + "/images/" + index));
  }

  @GetMapping(value = "/{id}/preview", produces = MediaType.IMAGE_PNG_VALUE)
  public ResponseEntity<byte[]> preview(
      @RequestAttribute(Tenant.REQUEST_ATTRIBUTE) Tenant tenant, @PathVariable String id) {
    return images
        .preview(tenant.id(), id)
        .map(png -> ResponseEntity.ok().contentType(MediaType.IMAGE_PNG).body(png))
        .orElseThrow(() -> new GenerationNotFoundException(id + "/preview"));
  }
}
