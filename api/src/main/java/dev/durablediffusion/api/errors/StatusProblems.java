package dev.durablediffusion.api.errors;

import org.springframework.http.HttpStatus;

/** The problem type and a plain reason for an error status no handler explained further. */
final class StatusProblems {

  private StatusProblems() {}

  static String type(HttpStatus status) {
    return switch (status) {
      case BAD_REQUEST -> "/problems/invalid-request";
      case NOT_FOUND -> "/problems/not-found";
      case METHOD_NOT_ALLOWED -> "/problems/method-not-allowed";
      case NOT_ACCEPTABLE -> "/problems/not-acceptable";
      case UNSUPPORTED_MEDIA_TYPE -> "/problems/unsupported-media-type";
      case INTERNAL_SERVER_ERROR -> "/problems/internal";
      default -> "about:blank";
    };
  }

  static String detail(HttpStatus status) {
    return switch (status) {
      case BAD_REQUEST -> "the request is not well-formed HTTP";
      case NOT_FOUND -> "nothing is found at this path";
      case METHOD_NOT_ALLOWED -> "this path does not take that method; the Allow header lists those"
          + " it takes";
      case NOT_ACCEPTABLE -> "this path answers only in the media types its API documents";
      case UNSUPPORTED_MEDIA_TYPE -> "send the body as application/json";
      case INTERNAL_SERVER_ERROR -> "the request failed on the server; it has been logged";
      default -> status.getReasonPhrase();
    };
  }
}
