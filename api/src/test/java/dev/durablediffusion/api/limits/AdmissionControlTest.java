package dev.durablediffusion.api.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AdmissionControlTest {

  private final AtomicLong depth = new AtomicLong();
  private final AtomicLong now = new AtomicLong();
  private final AtomicLong reads = new AtomicLong();
  private final AdmissionControl admission =
      new AdmissionControl(
          () -> {
            reads.incrementAndGet();
            return depth.get();
          },
          10,
          Duration.ofSeconds(1),
          Duration.ofSeconds(7),
          now::get);

  @Test
  void refusesInteractiveWorkAtTheLimitAndAlwaysAdmitsBatch() {
    depth.set(10);

    assertThatThrownBy(() -> admission.admit("interactive"))
        .isInstanceOfSatisfying(
            TooManyRequestsException.class,
            e -> {
              assertThat(e.problemType()).isEqualTo("/problems/gpu-busy");
              assertThat(e.retryAfterSeconds()).isEqualTo(7);
            });
    assertThatCode(() -> admission.admit("batch")).doesNotThrowAnyException();
  }

  @Test
  void readsTheBacklogAtMostOncePerRefresh() {
    depth.set(3);
    admission.admit("interactive");
    depth.set(50);
    admission.admit("interactive");

    now.addAndGet(Duration.ofSeconds(1).toNanos());

    assertThatThrownBy(() -> admission.admit("interactive"))
        .isInstanceOf(TooManyRequestsException.class);
    assertThat(reads.get()).isEqualTo(2);
  }

  @Test
  void anUnreadableBacklogAdmitsWork() {
    AdmissionControl blind =
        new AdmissionControl(
            () -> {
              throw new IllegalStateException("DescribeTaskQueue unavailable");
            },
            1,
            Duration.ofSeconds(1),
            Duration.ofSeconds(7),
            now::get);

    assertThatCode(() -> blind.admit("interactive")).doesNotThrowAnyException();
  }
}
