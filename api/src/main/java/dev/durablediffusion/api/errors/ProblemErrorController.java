package dev.durablediffusion.api.errors;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The container's error page: whatever ended in an error status without a problem body (an unknown
 * path, a method the path does not take, an exception no handler took) answers {@code
 * application/problem+json}, whatever the client accepts. Exception messages are not echoed.
 */
@RestController
public class ProblemErrorController implements ErrorController {

  @RequestMapping("${server.error.path:/error}")
  ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
    HttpStatus status = status(request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE));
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, StatusProblems.detail(status));
    problem.setType(URI.create(StatusProblems.type(status)));
    Object path = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
    if (path instanceof String uri && uri.startsWith("/")) {
      problem.setInstance(URI.create(uri.replaceAll("[^A-Za-z0-9/._~-]", "_")));
    }
    return ResponseEntity.status(status)
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(problem);
  }

  private static HttpStatus status(Object code) {
    HttpStatus status = code instanceof Integer i ? HttpStatus.resolve(i) : null;
    return status == null || !status.isError() ? HttpStatus.INTERNAL_SERVER_ERROR : status;
  }
}
