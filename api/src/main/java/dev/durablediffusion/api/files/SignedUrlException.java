package dev.durablediffusion.api.files;

/** A signed image URL that is forged, altered or past its expiry. */
public class SignedUrlException extends RuntimeException {

  private final ImageUrlSigner.Verdict verdict;

  public SignedUrlException(ImageUrlSigner.Verdict verdict) {
    super(
        verdict == ImageUrlSigner.Verdict.EXPIRED
            ? "this image link has expired; read the generation again for a fresh one"
            : "this image link's signature does not match");
    this.verdict = verdict;
  }

  public ImageUrlSigner.Verdict verdict() {
    return verdict;
  }
}
