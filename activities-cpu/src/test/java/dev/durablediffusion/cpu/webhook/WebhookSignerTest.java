package dev.durablediffusion.cpu.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookSignerTest {

  // The published example of the Standard Webhooks reference libraries.
  private static final String REFERENCE_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String REFERENCE_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  private static final long REFERENCE_TIMESTAMP = 1614265330;
  private static final byte[] REFERENCE_BODY =
      "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
  private static final String REFERENCE_SIGNATURE =
      "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

  private static final Duration TOLERANCE = Duration.ofMinutes(5);
  private static final Instant NOW = Instant.ofEpochSecond(REFERENCE_TIMESTAMP);
  private static final byte[] BODY =
      "{\"type\":\"generation.completed\"}".getBytes(StandardCharsets.UTF_8);

  @Test
  void signsTheStandardWebhooksReferenceExample() {
    WebhookHeaders headers =
        new WebhookSigner(REFERENCE_SECRET).sign(REFERENCE_ID, REFERENCE_TIMESTAMP, REFERENCE_BODY);

    assertThat(headers)
        .isEqualTo(new WebhookHeaders(REFERENCE_ID, "1614265330", REFERENCE_SIGNATURE));
  }

  @Test
  void verifiesTheStandardWebhooksReferenceExample() {
    WebhookHeaders headers = new WebhookHeaders(REFERENCE_ID, "1614265330", REFERENCE_SIGNATURE);

    assertThat(new WebhookSigner(REFERENCE_SECRET).verify(headers, REFERENCE_BODY, NOW, TOLERANCE))
        .isTrue();
  }

  @Test
  void verifiesWhatItSigned() {
    WebhookSigner signer = new WebhookSigner(WebhookSigner.newSecret());

    WebhookHeaders headers = signer.sign("msg_1", NOW.getEpochSecond(), BODY);

    assertThat(signer.verify(headers, BODY, NOW, TOLERANCE)).isTrue();
  }

  @Test
  void rejectsATamperedBody() {
    WebhookSigner signer = new WebhookSigner(REFERENCE_SECRET);
    WebhookHeaders headers = signer.sign(REFERENCE_ID, REFERENCE_TIMESTAMP, REFERENCE_BODY);

    byte[] tampered = "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8);

    assertThat(signer.verify(headers, tampered, NOW, TOLERANCE)).isFalse();
  }

  @Test
  void rejectsASignatureMadeWithAnotherSecret() {
    WebhookHeaders headers =
        new WebhookSigner(WebhookSigner.newSecret()).sign("msg_1", NOW.getEpochSecond(), BODY);

    assertThat(new WebhookSigner(REFERENCE_SECRET).verify(headers, BODY, NOW, TOLERANCE)).isFalse();
  }

  @Test
  void rejectsATimestampOutsideTheTolerance() {
    WebhookSigner signer = new WebhookSigner(REFERENCE_SECRET);
    WebhookHeaders old =
        signer.sign("msg_1", NOW.minus(Duration.ofMinutes(6)).getEpochSecond(), BODY);
    WebhookHeaders future =
        signer.sign("msg_1", NOW.plus(Duration.ofMinutes(6)).getEpochSecond(), BODY);

    assertThat(signer.verify(old, BODY, NOW, TOLERANCE)).isFalse();
    assertThat(signer.verify(future, BODY, NOW, TOLERANCE)).isFalse();
  }

  @Test
  void acceptsAHeaderWhereOneOfSeveralSignaturesMatches() {
    WebhookHeaders headers =
        new WebhookHeaders(REFERENCE_ID, "1614265330", "v1,bm9wZQ== " + REFERENCE_SIGNATURE);

    assertThat(new WebhookSigner(REFERENCE_SECRET).verify(headers, REFERENCE_BODY, NOW, TOLERANCE))
        .isTrue();
  }

  @Test
  void newSecretsAreDistinctWhsecSecretsOf24Bytes() {
    String first = WebhookSigner.newSecret();
    String second = WebhookSigner.newSecret();

    assertThat(first).startsWith("whsec_").hasSize("whsec_".length() + 32).isNotEqualTo(second);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        "whsec_MfKQ9r8GKYqrTwjU-D8ILPZIo2LaLaSw",
        "whsec_c2hvcnQta2V5"
      })
  void rejectsAMalformedSecretWithoutQuotingIt(String secret) {
    String keyPart = secret.substring(secret.indexOf('_') + 1);

    assertThatIllegalArgumentException()
        .isThrownBy(() -> new WebhookSigner(secret))
        .withMessageStartingWith("a webhook signing secret must")
        .withMessageNotContaining(keyPart)
        .withNoCause();
  }
}
