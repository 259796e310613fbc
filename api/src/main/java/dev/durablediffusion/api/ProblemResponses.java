package dev.durablediffusion.api;

import dev.durablediffusion.api.files.ImageUrlSigner;
import dev.durablediffusion.api.files.SignedUrlException;
import dev.durablediffusion.api.generation.GenerationFinishedException;
import dev.durablediffusion.api.generation.GenerationNotFoundException;
import dev.durablediffusion.api.generation.InvalidRequestException;
import dev.durablediffusion.api.generation.TemporalUnavailableException;
import dev.durablediffusion.api.json.JsonBodyErrors;
import dev.durablediffusion.api.limits.BodyLimitFilter;
import dev.durablediffusion.api.limits.TooManyRequestsException;
import dev.durablediffusion.model.FieldError;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowServiceException;
import java.net.URI;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/** Every error as {@code application/problem+json}; validation problems list each field. */
@RestControllerAdvice
public class ProblemResponses {

  private static final Logger log = LoggerFactory.getLogger(ProblemResponses.class);

  @ExceptionHandler(InvalidRequestException.class)
  ProblemDetail invalid(InvalidRequestException e) {
    return invalidRequest(e.errors());
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof BodyLimitFilter.BodyTooLargeException) {
        ProblemDetail problem =
            ProblemDetail.forStatusAndDetail(
                HttpStatus.PAYLOAD_TOO_LARGE,
                "the request body must be at most " + BodyLimitFilter.MAX_BODY_BYTES + " bytes");
        problem.setType(URI.create("/problems/body-too-large"));
        return closing(problem);
      }
      if (cause instanceof BodyLimitFilter.BodyReadTimeoutException) {
        ProblemDetail problem =
            ProblemDetail.forStatusAndDetail(
                HttpStatus.REQUEST_TIMEOUT,
                "the request body did not arrive in time; send it at once");
        problem.setType(URI.create("/problems/body-too-slow"));
        return closing(problem);
      }
    }
    return ResponseEntity.badRequest()
        .body(invalidRequest(List.of(JsonBodyErrors.of(e.getCause()))));
  }

  /** The rest of a refused body is not read: the connection ends with the answer. */
  private static ResponseEntity<ProblemDetail> closing(ProblemDetail problem) {
    return ResponseEntity.status(problem.getStatus())
        .header(HttpHeaders.CONNECTION, "close")
        .body(problem);
  }

  @ExceptionHandler(MissingServletRequestParameterException.class)
  ProblemDetail missingParameter(MissingServletRequestParameterException e) {
    return invalidRequest(List.of(new FieldError(e.getParameterName(), "is required")));
  }

  @ExceptionHandler(TooManyRequestsException.class)
  ResponseEntity<ProblemDetail> tooMany(TooManyRequestsException e) {
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, e.getMessage());
    problem.setType(URI.create(e.problemType()));
    return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
        .header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, e.retryAfterSeconds())))
        .body(problem);
  }

  @ExceptionHandler(SignedUrlException.class)
  ProblemDetail signedUrl(SignedUrlException e) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, e.getMessage());
    problem.setType(
        URI.create(
            e.verdict() == ImageUrlSigner.Verdict.EXPIRED
                ? "/problems/link-expired"
                : "/problems/invalid-signature"));
    return problem;
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ProblemDetail mismatch(MethodArgumentTypeMismatchException e) {
    return invalidRequest(List.of(new FieldError(e.getName(), "has the wrong type")));
  }

  @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
  ProblemDetail mediaType(HttpMediaTypeNotSupportedException e) {
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.UNSUPPORTED_MEDIA_TYPE, "send the body as application/json");
    problem.setType(URI.create("/problems/unsupported-media-type"));
    return problem;
  }

  @ExceptionHandler(GenerationNotFoundException.class)
  ProblemDetail notFound(GenerationNotFoundException e) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    problem.setType(URI.create("/problems/not-found"));
    return problem;
  }

  @ExceptionHandler(GenerationFinishedException.class)
  ProblemDetail finished(GenerationFinishedException e) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
    problem.setType(URI.create("/problems/already-finished"));
    return problem;
  }

  /**
   * Temporal is out of reach (restarting, or the network between): the request may succeed
   * shortly, so 503 with a hint when to retry. Any other refusal by Temporal is a 500, logged.
   */
  @ExceptionHandler({
    WorkflowServiceException.class,
    StatusRuntimeException.class,
    TemporalUnavailableException.class
  })
  ResponseEntity<ProblemDetail> temporalFailure(RuntimeException e) {
    if (!(e instanceof TemporalUnavailableException) && !TemporalAvailability.isUnavailable(e)) {
      log.error("the workflow service refused a request", e);
      ProblemDetail problem =
          ProblemDetail.forStatusAndDetail(
              HttpStatus.INTERNAL_SERVER_ERROR, "the workflow service refused the request");
      problem.setType(URI.create("/problems/internal"));
      return ResponseEntity.internalServerError().body(problem);
    }
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.SERVICE_UNAVAILABLE,
            "the workflow service cannot be reached just now; retry after the given seconds");
    problem.setType(URI.create("/problems/temporarily-unavailable"));
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, "2")
        .body(problem);
  }

  private static ProblemDetail invalidRequest(List<FieldError> errors) {
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.BAD_REQUEST,
            errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
    problem.setType(URI.create("/problems/invalid-request"));
    problem.setTitle("Invalid request");
    problem.setProperty("errors", errors);
    return problem;
  }
}
