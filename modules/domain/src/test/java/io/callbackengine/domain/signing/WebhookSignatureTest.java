package io.callbackengine.domain.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

  // The test vector published with the Standard Webhooks reference libraries.
  private static final SigningSecret SECRET = SigningSecret.parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  private static final long TIMESTAMP = 1614265330;
  private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
  private static final String EXPECTED = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

  private static final Instant SENT = Instant.ofEpochSecond(TIMESTAMP);
  private static final Duration TOLERANCE = Duration.ofMinutes(5);

  @Test
  void matchesTheStandardWebhooksTestVector() {
    assertThat(WebhookSignature.sign(ID, TIMESTAMP, BODY, List.of(SECRET))).isEqualTo(EXPECTED);
  }

  @Test
  void matchesAnIndependentJceComputation() throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(Base64.getDecoder().decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), "HmacSHA256"));
    byte[] digest = mac.doFinal((ID + "." + TIMESTAMP + ".{\"test\": 2432232314}").getBytes(StandardCharsets.UTF_8));
    assertThat("v1," + Base64.getEncoder().encodeToString(digest)).isEqualTo(EXPECTED);
  }

  @Test
  void signsOncePerSecretInOrder() {
    SigningSecret other = SigningSecret.generate(new SecureRandom());
    String header = WebhookSignature.sign(ID, TIMESTAMP, BODY, List.of(other, SECRET));
    String[] signatures = header.split(" ");
    assertThat(signatures).hasSize(2);
    assertThat(signatures[0]).isEqualTo(WebhookSignature.sign(ID, TIMESTAMP, BODY, List.of(other)));
    assertThat(signatures[1]).isEqualTo(EXPECTED);
    assertThat(WebhookSignature.verify(ID, "1614265330", header, BODY, SECRET, SENT, TOLERANCE)).isTrue();
    assertThat(WebhookSignature.verify(ID, "1614265330", header, BODY, other, SENT, TOLERANCE)).isTrue();
  }

  @Test
  void needsASecretToSign() {
    assertThatIllegalArgumentException().isThrownBy(() -> WebhookSignature.sign(ID, TIMESTAMP, BODY, List.of()));
  }

  @Test
  void verifiesTheTestVector() {
    assertThat(WebhookSignature.verify(ID, "1614265330", EXPECTED, BODY, SECRET, SENT, TOLERANCE)).isTrue();
    assertThat(WebhookSignature.verify(ID, "1614265330", "v1,bm9wZQ== " + EXPECTED, BODY, SECRET, SENT, TOLERANCE))
        .isTrue();
  }

  @Test
  void rejectsATamperedBody() {
    byte[] tampered = "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8);
    assertThat(WebhookSignature.verify(ID, "1614265330", EXPECTED, tampered, SECRET, SENT, TOLERANCE)).isFalse();
  }

  @Test
  void rejectsAnotherIdOrTimestamp() {
    assertThat(WebhookSignature.verify("msg_other", "1614265330", EXPECTED, BODY, SECRET, SENT, TOLERANCE)).isFalse();
    assertThat(WebhookSignature.verify(ID, "1614265331", EXPECTED, BODY, SECRET, SENT, TOLERANCE)).isFalse();
  }

  @Test
  void rejectsTheWrongSecret() {
    SigningSecret wrong = SigningSecret.generate(new SecureRandom());
    assertThat(WebhookSignature.verify(ID, "1614265330", EXPECTED, BODY, wrong, SENT, TOLERANCE)).isFalse();
  }

  @Test
  void acceptsATimestampJustWithinToleranceEitherWay() {
    assertThat(WebhookSignature.verify(ID, "1614265330", EXPECTED, BODY, SECRET, SENT.plus(TOLERANCE), TOLERANCE))
        .isTrue();
    assertThat(WebhookSignature.verify(ID, "1614265330", EXPECTED, BODY, SECRET, SENT.minus(TOLERANCE), TOLERANCE))
        .isTrue();
  }

  @Test
  void rejectsAStaleOrFutureTimestamp() {
    Instant late = SENT.plus(TOLERANCE).plusSeconds(1);
    Instant early = SENT.minus(TOLERANCE).minusSeconds(1);
    assertThat(WebhookSignature.verify(ID, "1614265330", EXPECTED, BODY, SECRET, late, TOLERANCE)).isFalse();
    assertThat(WebhookSignature.verify(ID, "1614265330", EXPECTED, BODY, SECRET, early, TOLERANCE)).isFalse();
  }

  @Test
  void rejectsMalformedHeaders() {
    assertThat(WebhookSignature.verify(ID, "soon", EXPECTED, BODY, SECRET, SENT, TOLERANCE)).isFalse();
    assertThat(WebhookSignature.verify(ID, "99999999999999999", EXPECTED, BODY, SECRET, SENT, TOLERANCE)).isFalse();
    assertThat(WebhookSignature.verify(ID, null, EXPECTED, BODY, SECRET, SENT, TOLERANCE)).isFalse();
    assertThat(WebhookSignature.verify(ID, "1614265330", null, BODY, SECRET, SENT, TOLERANCE)).isFalse();
    assertThat(WebhookSignature.verify(ID, "1614265330", "", BODY, SECRET, SENT, TOLERANCE)).isFalse();
    assertThat(WebhookSignature.verify(ID, "1614265330", "v1,%%%", BODY, SECRET, SENT, TOLERANCE)).isFalse();
    assertThat(WebhookSignature.verify(ID, "1614265330", EXPECTED.replace("v1,", "v2,"), BODY, SECRET, SENT,
        TOLERANCE)).isFalse();
    assertThat(WebhookSignature.verify(ID, "1614265330", EXPECTED.substring(3), BODY, SECRET, SENT, TOLERANCE))
        .isFalse();
  }

  @Test
  void headerNamesAreTheStandardOnes() {
    assertThat(List.of(WebhookSignature.ID_HEADER, WebhookSignature.TIMESTAMP_HEADER,
        WebhookSignature.SIGNATURE_HEADER)).containsExactly("webhook-id", "webhook-timestamp", "webhook-signature");
  }

  @Test
  void isSafeToCallFromManyThreads() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<String>> calls = IntStream.range(0, 2_000)
          .<Callable<String>>mapToObj(i -> () -> WebhookSignature.sign(ID, TIMESTAMP, BODY, List.of(SECRET)))
          .toList();
      for (Future<String> result : pool.invokeAll(calls)) {
        assertThat(result.get()).isEqualTo(EXPECTED);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
