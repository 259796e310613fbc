package dev.durablediffusion.api.files;

import dev.durablediffusion.api.generation.GenerationNotFoundException;
import dev.durablediffusion.storage.ObjectRef;
import dev.durablediffusion.storage.ObjectStore;
import dev.durablediffusion.workflows.generation.StorageLayout;
import java.time.Clock;
import java.time.Duration;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Output images behind signed URLs: the signature, not an API key, is the credential. */
@RestController
public class FilesController {

  private final ImageUrlSigner signer;
  private final ObjectStore store;
  private final Clock clock;

  public FilesController(ImageUrlSigner signer, ObjectStore store, Clock clock) {
    this.signer = signer;
    this.store = store;
    this.clock = clock;
  }

  @GetMapping(
      value = "/v1/files/{tenant}/{id}/{index:\\d{1,2}}.png",
      produces = MediaType.IMAGE_PNG_VALUE)
  public ResponseEntity<byte[]> image(
      @PathVariable String tenant,
      @PathVariable String id,
      @PathVariable int index,
      @RequestParam long expires,
      @RequestParam String signature) {
    ImageUrlSigner.Verdict verdict = signer.verify(tenant, id, index, expires, signature);
    if (verdict != ImageUrlSigner.Verdict.VALID) {
      throw new SignedUrlException(verdict);
    }
    byte[] png =
        store
            .get(ObjectRef.parse(StorageLayout.output(tenant, id, index)))
            .orElseThrow(() -> new GenerationNotFoundException(id + "/images/" + index));
    long remaining = Math.max(0, expires - clock.instant().getEpochSecond());
    return ResponseEntity.ok()
        .contentType(MediaType.IMAGE_PNG)
        .cacheControl(CacheControl.maxAge(Duration.ofSeconds(remaining)).cachePrivate())
        .body(png);
  }
}
