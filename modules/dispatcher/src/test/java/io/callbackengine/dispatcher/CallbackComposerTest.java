package io.callbackengine.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.callbackengine.domain.crypto.CipherAlgorithm;
import io.callbackengine.domain.profile.BodyType;
import io.callbackengine.domain.profile.CallbackMethod;
import io.callbackengine.domain.profile.CallbackProfile;
import io.callbackengine.domain.profile.Encryption;
import io.callbackengine.domain.profile.ProfileChannel;
import io.callbackengine.domain.profile.ProfileSpec;
import io.callbackengine.domain.profile.ProfileStatus;
import io.callbackengine.domain.signing.SigningSecret;
import io.callbackengine.domain.signing.WebhookSignature;
import io.callbackengine.store.delivery.ClaimedDelivery;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CallbackComposerTest {

  private static final Instant NOW = Instant.parse("2026-03-04T05:06:07.123Z");
  private final SecureRandom random = new SecureRandom();
  private final CallbackComposer composer = new CallbackComposer(random, "CallbackEngine/test");
  private final SigningSecret secret = SigningSecret.generate(random);

  private CallbackProfile profile(CallbackMethod method, Map<String, String> headers, Encryption enc) {
    ProfileSpec spec = new ProfileSpec("Composer", method, "https://example.com/cb/<to>", headers,
        new JsonObject().put("status", "<status>").put("n", "<n>"), null, enc, ProfileChannel.SMS, List.of("SMS-sent"),
        null, Map.of());
    return new CallbackProfile("SG_1", "HX1", spec, ProfileStatus.ACTIVE, secret, null, null, NOW, null);
  }

  private static ClaimedDelivery delivery() {
    return new ClaimedDelivery("msg_abc", "SG_1", 0, "HX1", 1, UUID.randomUUID(), NOW, "evt_1", "SMS-sent", "sms",
        new JsonObject().put("status", "OK").put("n", 2).put("to", "a/b").encode());
  }

  private static String header(CallbackRequest request, String name) {
    return request.headers().stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
        .findFirst().orElse(null);
  }

  @Test
  void timestampIsTheComposingInstantToTheMillisecond() {
    ProfileSpec spec = new ProfileSpec("Composer", CallbackMethod.POST, "https://example.com/cb", Map.of(),
        new JsonObject().put("when", "<timestamp>"), null, null, ProfileChannel.SMS, List.of("SMS-sent"), null,
        Map.of());
    CallbackProfile profile = new CallbackProfile("SG_1", "HX1", spec, ProfileStatus.ACTIVE, secret, null, null, NOW,
        null);
    Instant[] instants = {NOW, NOW.plusNanos(400_000), NOW.plusMillis(1), NOW.minusSeconds(86_400),
        Instant.parse("2026-03-04T05:06:08Z"), NOW};
    String[] expected = {"2026-03-04T05:06:07.123Z", "2026-03-04T05:06:07.123Z", "2026-03-04T05:06:07.124Z",
        "2026-03-03T05:06:07.123Z", "2026-03-04T05:06:08Z", "2026-03-04T05:06:07.123Z"};

    for (int i = 0; i < instants.length; i++) {
      JsonObject body = new JsonObject(composer.compose(profile, delivery(), instants[i]).body());
      assertThat(body.getString("when")).as("composed at %s", instants[i]).isEqualTo(expected[i]);
    }
  }

  @Test
  void aHandedOverEventsDataIsSharedByItsDeliveriesUnchanged() {
    JsonObject data = new JsonObject().put("status", "OK").put("n", 2).put("to", "a/b")
        .put("nested", new JsonObject().put("deep", "x"));
    JsonObject before = data.copy();
    Encryption enc = new Encryption(CipherAlgorithm.AES_256_GCM, "0123456789abcdef0123456789abcdef", null, null);
    ProfileSpec spec = new ProfileSpec("Composer", CallbackMethod.POST, "https://example.com/cb/<to>", Map.of(),
        new JsonObject().put("status", "<status>").put("nested", "<nested>"), null, enc, ProfileChannel.SMS,
        List.of("SMS-sent"), null, Map.of());
    CallbackProfile encrypting = new CallbackProfile("SG_2", "HX1", spec, ProfileStatus.ACTIVE, secret, null, null,
        NOW, null);

    for (CallbackProfile profile : List.of(encrypting, profile(CallbackMethod.POST, Map.of(), null))) {
      CallbackRequest request = composer.compose(profile, ClaimedDelivery.handedOver("msg_" + profile.id(),
          profile.id(), 0, "HX1", UUID.randomUUID(), NOW, "evt_1", "SMS-sent", "sms", data), NOW);
      assertThat(request.url()).isEqualTo("https://example.com/cb/a%2Fb");
    }
    assertThat(data).isEqualTo(before);
  }

  @Test
  void signsExactlyTheBytesItSends() {
    CallbackRequest request = composer.compose(profile(CallbackMethod.POST, Map.of(), null), delivery(), NOW);

    assertThat(request.url()).isEqualTo("https://example.com/cb/a%2Fb");
    assertThat(new JsonObject(request.body())).isEqualTo(new JsonObject().put("status", "OK").put("n", 2));
    assertThat(header(request, "content-type")).isEqualTo("application/json");
    assertThat(header(request, "user-agent")).isEqualTo("CallbackEngine/test");
    assertThat(header(request, "webhook-id")).isEqualTo("msg_abc");
    assertThat(header(request, "webhook-timestamp")).isEqualTo(Long.toString(NOW.getEpochSecond()));
    assertThat(WebhookSignature.verify("msg_abc", header(request, "webhook-timestamp"), header(request, "webhook-signature"),
        request.body().getBytes(), secret, NOW, Duration.ofMinutes(5))).isTrue();
  }

  @Test
  void signsWithBothSecretsWhileARotationOverlaps() {
    SigningSecret newer = SigningSecret.generate(random);
    CallbackProfile base = profile(CallbackMethod.POST, Map.of(), null);
    CallbackProfile rotated = new CallbackProfile(base.id(), base.sid(), base.spec(), base.status(), newer, secret,
        NOW.plusSeconds(60), base.createdAt(), NOW);

    CallbackRequest request = composer.compose(rotated, delivery(), NOW);
    String signatures = header(request, "webhook-signature");

    assertThat(signatures.split(" ")).hasSize(2);
    for (SigningSecret s : List.of(newer, secret)) {
      assertThat(WebhookSignature.verify("msg_abc", header(request, "webhook-timestamp"), signatures,
          request.body().getBytes(), s, NOW, Duration.ofMinutes(5))).isTrue();
    }
    assertThat(composer.compose(rotated, delivery(), NOW.plusSeconds(61)).headers().stream()
        .filter(h -> h.getKey().equals("webhook-signature")).findFirst().orElseThrow().getValue().split(" ")).hasSize(1);
  }

  @Test
  void getSendsTheBodyAsQueryParametersAndSignsAnEmptyBody() {
    CallbackRequest request = composer.compose(profile(CallbackMethod.GET, Map.of(), null), delivery(), NOW);

    assertThat(request.url()).isEqualTo("https://example.com/cb/a%2Fb?status=OK&n=2");
    assertThat(request.body().length()).isZero();
    assertThat(header(request, "content-type")).isNull();
  }

  @Test
  void encryptsTheChosenValues() {
    Encryption enc = new Encryption(CipherAlgorithm.AES_256_GCM, "k".repeat(32), null, List.of("status"));

    CallbackRequest request = composer.compose(profile(CallbackMethod.PUT, Map.of(), enc), delivery(), NOW);
    JsonObject body = new JsonObject(request.body());

    assertThat(body.getInteger("n")).isEqualTo(2);
    assertThat(new String(enc.cipher(random).decrypt(body.getString("status")), StandardCharsets.UTF_8)).isEqualTo("OK");
  }

  @Test
  void keepsAProfilesOwnContentTypeAndBuildsFormsForMultipart() {
    CallbackRequest own = composer.compose(profile(CallbackMethod.POST,
        Map.of("Content-Type", "application/vnd.acme+json"), null), delivery(), NOW);
    CallbackRequest form = composer.compose(profile(CallbackMethod.POST,
        Map.of("Content-Type", "multipart/form-data"), null), delivery(), NOW);

    assertThat(own.headers().stream().filter(h -> h.getKey().equalsIgnoreCase("content-type")).toList()).hasSize(1);
    assertThat(header(own, "content-type")).isEqualTo("application/vnd.acme+json");
    String boundary = header(form, "content-type").substring("multipart/form-data; boundary=".length());
    assertThat(form.body().toString()).startsWith("--" + boundary + "\r\n").endsWith("--" + boundary + "--\r\n")
        .contains("name=\"status\"\r\n\r\nOK\r\n").contains("name=\"n\"\r\n\r\n2\r\n");
  }

  private CallbackProfile typed(BodyType type, JsonObject body, String textBody, Map<String, String> headers,
      Encryption enc) {
    ProfileSpec spec = new ProfileSpec("Composer", CallbackMethod.POST, "https://example.com/cb", headers, body, null,
        enc, ProfileChannel.SMS, List.of("SMS-sent"), null, Map.of("to", "to"), type, textBody, null, null);
    return new CallbackProfile("SG_1", "HX1", spec, ProfileStatus.ACTIVE, secret, null, null, NOW, null);
  }

  @Test
  void aUrlencodedBodyIsOneFormFieldPerMember() {
    CallbackRequest request = composer.compose(typed(BodyType.URLENCODED,
        new JsonObject().put("status", "<status>").put("n", "<n>").put("to", "<to>"), null, Map.of(), null), delivery(), NOW);

    assertThat(request.body().toString()).isEqualTo("status=OK&n=2&to=a%2Fb");
    assertThat(header(request, "content-type")).isEqualTo("application/x-www-form-urlencoded");
  }

  @Test
  void aTextBodyEncryptsTheNamedPlaceholderThenEscapesIt() {
    Encryption enc = new Encryption(CipherAlgorithm.AES_128_CFB, "K1xxxxxxxxxxxx2P", "POxxxxxxxxxxxxLY", List.of("to"));
    CallbackRequest request = composer.compose(typed(BodyType.XML, null, "<r><dest><to></dest><e><event></e></r>",
        Map.of(), enc), delivery(), NOW);

    String encrypted = enc.cipher(random).encrypt("a/b".getBytes(StandardCharsets.UTF_8));
    assertThat(request.body().toString()).isEqualTo("<r><dest>" + encrypted + "</dest><e>SMS-sent</e></r>");
    assertThat(header(request, "content-type")).isEqualTo("application/xml; charset=utf-8");
    assertThat(composer.compose(typed(BodyType.TEXT, null, "<to>", Map.of("Content-Type", "text/x-own"), null),
        delivery(), NOW).headers()).filteredOn(h -> h.getKey().equalsIgnoreCase("content-type"))
        .extracting(Map.Entry::getValue).containsExactly("text/x-own");
  }
}
