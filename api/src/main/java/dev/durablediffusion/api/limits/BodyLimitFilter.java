package dev.durablediffusion.api.limits;

import dev.durablediffusion.api.errors.ProblemDocument;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies over the limit with 413: at once when Content-Length says so, and while
 * reading when the body is chunked. A body still arriving when the read time is up is refused
 * with 408, so a client that trickles bytes holds a request thread for that long at most.
 */
public class BodyLimitFilter extends OncePerRequestFilter {

  public static final int MAX_BODY_BYTES = 64 * 1024;

  private final long maxReadNanos;
  private final LongSupplier nanoTime;

  public BodyLimitFilter(Duration maxReadTime, LongSupplier nanoTime) {
    this.maxReadNanos = maxReadTime.toNanos();
    this.nanoTime = nanoTime;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (request.getContentLengthLong() > MAX_BODY_BYTES) {
      writeTooLarge(response);
      return;
    }
    chain.doFilter(new Limited(request, nanoTime.getAsLong() + maxReadNanos, nanoTime), response);
  }

  public static void writeTooLarge(HttpServletResponse response) throws IOException {
    response.setHeader("Connection", "close");
    ProblemDocument.write(
        response,
        "/problems/body-too-large",
        HttpStatus.PAYLOAD_TOO_LARGE,
        "the request body must be at most " + MAX_BODY_BYTES + " bytes");
  }

  /** Thrown while reading a body that passes the limit. */
  public static class BodyTooLargeException extends IOException {
    BodyTooLargeException() {
      super("request body exceeds " + MAX_BODY_BYTES + " bytes");
    }
  }

  /** Thrown while reading a body that is still arriving when its read time is up. */
  public static class BodyReadTimeoutException extends IOException {
    BodyReadTimeoutException() {
      super("the request body did not arrive in time");
    }
  }

  private static final class Limited extends HttpServletRequestWrapper {
    private final long deadline;
    private final LongSupplier nanoTime;
    private ServletInputStream limited;

    Limited(HttpServletRequest request, long deadline, LongSupplier nanoTime) {
      super(request);
      this.deadline = deadline;
      this.nanoTime = nanoTime;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (limited == null) {
        limited = new CountingStream(super.getInputStream(), deadline, nanoTime);
      }
      return limited;
    }
  }

  private static final class CountingStream extends ServletInputStream {
    private final ServletInputStream in;
    private final long deadline;
    private final LongSupplier nanoTime;
    private long read;

    CountingStream(ServletInputStream in, long deadline, LongSupplier nanoTime) {
      this.in = in;
      this.deadline = deadline;
      this.nanoTime = nanoTime;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = in.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) throws IOException {
      read += n;
      if (read > MAX_BODY_BYTES) {
        throw new BodyTooLargeException();
      }
      if (!in.isFinished() && nanoTime.getAsLong() - deadline > 0) {
        throw new BodyReadTimeoutException();
      }
    }

    @Override
    public boolean isFinished() {
      return in.isFinished();
    }

    @Override
    public boolean isReady() {
      return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      in.setReadListener(listener);
    }
  }
}
