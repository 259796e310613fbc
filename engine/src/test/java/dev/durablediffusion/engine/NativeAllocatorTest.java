package dev.durablediffusion.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class NativeAllocatorTest {

  private static final String LIBC =
      "7f2a1c000000-7f2a1c028000 r--p 00000000 08:01 1234 /usr/lib/x86_64-linux-gnu/libc.so.6";
  private static final String ANONYMOUS = "7ffd5a3e1000-7ffd5a402000 rw-p 00000000 00:00 0 ";

  @Test
  void readsAPreloadedAllocatorFromTheMappedFiles() {
    assertThat(
            NativeAllocator.fromMappings(
                Stream.of(
                    LIBC,
                    "7f2a1d000000-7f2a1d010000 r-xp 00000000 08:01 99"
                        + " /usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4.5.10")))
        .isEqualTo(NativeAllocator.TCMALLOC);
    assertThat(
            NativeAllocator.fromMappings(
                Stream.of(
                    ANONYMOUS,
                    "7f2a1d000000-7f2a1d010000 r-xp 00000000 08:01 98"
                        + " /usr/lib/x86_64-linux-gnu/libjemalloc.so.2",
                    LIBC)))
        .isEqualTo(NativeAllocator.JEMALLOC);
  }

  @Test
  void withoutOneItIsGlibcAndCalledSlowForCpuInference() {
    NativeAllocator allocator = NativeAllocator.fromMappings(Stream.of(ANONYMOUS, LIBC));
    assertThat(allocator).isEqualTo(NativeAllocator.GLIBC);
    assertThat(allocator.slowForCpuInference()).isTrue();
    assertThat(NativeAllocator.TCMALLOC.slowForCpuInference()).isFalse();
  }

  @Test
  void aLibraryMerelyNamedLikeOneInAnotherPathSegmentDoesNotCount() {
    assertThat(
            NativeAllocator.fromMappings(
                Stream.of("7f2a-7f2b r-xp 00000000 08:01 7 /opt/libtcmalloc-tools/lib/libfoo.so")))
        .isEqualTo(NativeAllocator.GLIBC);
  }

  @Test
  void thisTestJvmReportsWhatItRunsOn() {
    assertThat(NativeAllocator.current()).isNotEqualTo(NativeAllocator.UNKNOWN);
  }
}
