package dev.durablediffusion.api.generation;

import dev.durablediffusion.api.auth.Tenant;
import java.net.URI;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/v1/generations")
public class GenerationController {

  private final GenerationService generations;

  public GenerationController(GenerationService generations) {
    this.generations = generations;
  }

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<Map<String, String>> create(
      @RequestAttribute(Tenant.REQUEST_ATTRIBUTE) Tenant tenant,
      @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
      @RequestBody CreateGenerationBody body) {
    String id = generations.submit(tenant.id(), body, idempotencyKey);
    URI location = URI.create("/v1/generations/" + id);
    return ResponseEntity.accepted()
        .location(location)
        .body(Map.of("id", id, "url", location.toString()));
  }

  @GetMapping("/{id}")
  public GenerationResource get(
      @RequestAttribute(Tenant.REQUEST_ATTRIBUTE) Tenant tenant, @PathVariable String id) {
    return generations.resource(tenant.id(), id);
  }

  @PostMapping("/{id}/cancel")
  public ResponseEntity<GenerationResource> cancel(
      @RequestAttribute(Tenant.REQUEST_ATTRIBUTE) Tenant tenant, @PathVariable String id) {
    return ResponseEntity.accepted().body(generations.cancel(tenant.id(), id));
  }

  @GetMapping(value = "/{id}/images/{index}", produces = MediaType.IMAGE_PNG_VALUE)
  public ResponseEntity<byte[]> image(
      @RequestAttribute(Tenant.REQUEST_ATTRIBUTE) Tenant tenant,
      @PathVariable String id,
      @PathVariable int index) {
    return generations
        .image(tenant.id(), id, index)
        .map(png -> ResponseEntity.ok().contentType(MediaType.IMAGE_PNG).body(png))
        .orElseThrow(() -> new GenerationNotFoundException(id + "/images/" + index));
  }

  @GetMapping(value = "/{id}/preview", produces = MediaType.IMAGE_PNG_VALUE)
  public ResponseEntity<byte[]> preview(
      @RequestAttribute(Tenant.REQUEST_ATTRIBUTE) Tenant tenant, @PathVariable String id) {
    return generations
        .preview(tenant.id(), id)
        .map(png -> ResponseEntity.ok().contentType(MediaType.IMAGE_PNG).body(png))
        .orElseThrow(() -> new GenerationNotFoundException(id + "/preview"));
  }
}
