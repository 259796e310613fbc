package dev.durablediffusion.api.limits;

/** A request refused for now; the client may retry after {@code retryAfterSeconds}. */
public class TooManyRequestsException extends RuntimeException {

  private final String problemType;
  private final long retryAfterSeconds;

  public TooManyRequestsException(String problemType, String detail, long retryAfterSeconds) {
    super(detail);
    this.problemType = problemType;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public String problemType() {
    return problemType;
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
