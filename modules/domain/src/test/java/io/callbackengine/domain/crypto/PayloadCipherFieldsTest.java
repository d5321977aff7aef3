package io.callbackengine.domain.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link PayloadCipher#encryptFields}: which values are chosen, how each becomes plaintext, what is kept. */
class PayloadCipherFieldsTest {

  private static final SecureRandom RANDOM = new SecureRandom();
  private final PayloadCipher cipher = new PayloadCipher(CipherAlgorithm.AES_128_CFB,
      "K1xxxxxxxxxxxx2P".getBytes(UTF_8), "POxxxxxxxxxxxxLY".getBytes(UTF_8), RANDOM);

  private static JsonObject body() {
    return new JsonObject()
        .put("status", "délivré")
        .put("code", 200)
        .put("price", 0.5)
        .put("ok", true)
        .put("meta", new JsonObject().put("b", 1).put("a", new JsonArray().add("x").add(2)))
        .put("tags", new JsonArray().add("a").add(JsonObject.of("k", "v")))
        .put("nothing", null);
  }

  private String plaintextOf(JsonObject encrypted, String field) {
    return new String(cipher.decrypt(encrypted.getString(field)), UTF_8);
  }

  @Test
  void withoutParamsEveryTopLevelValueIsEncryptedOnItsOwn() {
    JsonObject result = cipher.encryptFields(body(), null);

    assertThat(result.fieldNames()).containsExactly("status", "code", "price", "ok", "meta", "tags", "nothing");
    result.forEach(entry -> assertThat(entry.getValue()).as(entry.getKey()).isInstanceOf(String.class));
    // A string is encrypted as its UTF-8 bytes, without JSON quotes; everything else as compact JSON text.
    assertThat(plaintextOf(result, "status")).isEqualTo("délivré");
    assertThat(plaintextOf(result, "code")).isEqualTo("200");
    assertThat(plaintextOf(result, "price")).isEqualTo("0.5");
    assertThat(plaintextOf(result, "ok")).isEqualTo("true");
    assertThat(plaintextOf(result, "meta")).isEqualTo("{\"b\":1,\"a\":[\"x\",2]}");
    assertThat(plaintextOf(result, "tags")).isEqualTo("[\"a\",{\"k\":\"v\"}]");
    assertThat(plaintextOf(result, "nothing")).isEqualTo("null");
    assertThat(result.getString("status")).isEqualTo(cipher.encrypt("délivré".getBytes(UTF_8)));
  }

  @Test
  void withParamsOnlyThosePresentAreEncryptedAndOrderIsKept() {
    JsonObject result = cipher.encryptFields(body(), List.of("tags", "status", "absent", "nothing"));

    assertThat(result.fieldNames()).containsExactly("status", "code", "price", "ok", "meta", "tags", "nothing");
    assertThat(plaintextOf(result, "status")).isEqualTo("délivré");
    assertThat(plaintextOf(result, "tags")).isEqualTo("[\"a\",{\"k\":\"v\"}]");
    assertThat(plaintextOf(result, "nothing")).isEqualTo("null");
    assertThat(result.containsKey("absent")).isFalse();
    assertThat(result.getInteger("code")).isEqualTo(200);
    assertThat(result.getDouble("price")).isEqualTo(0.5);
    assertThat(result.getBoolean("ok")).isTrue();
    assertThat(result.getJsonObject("meta")).isEqualTo(body().getJsonObject("meta"));
  }

  @Test
  void emptyParamsEncryptNothing() {
    assertThat(cipher.encryptFields(body(), List.of())).isEqualTo(body());
  }

  @Test
  void inputIsNotChangedAndResultSharesNoNestedValues() {
    JsonObject input = body();

    JsonObject all = cipher.encryptFields(input, null);
    JsonObject some = cipher.encryptFields(input, List.of("status"));
    some.getJsonObject("meta").put("added", true);

    assertThat(all).isNotSameAs(input);
    assertThat(input).isEqualTo(body());
  }

  @Test
  void randomIvModeEncryptsEachFieldUnderItsOwnIv() {
    PayloadCipher randomIv = new PayloadCipher(CipherAlgorithm.AES_256_GCM,
        "K1xxxxxxxxxxxxxxxxxxxxxxxxxxxx2P".getBytes(UTF_8), null, RANDOM);
    JsonObject input = new JsonObject().put("a", "same").put("b", "same");

    JsonObject result = randomIv.encryptFields(input, null);

    assertThat(result.getString("a")).isNotEqualTo(result.getString("b"));
    assertThat(randomIv.decrypt(result.getString("a"))).isEqualTo("same".getBytes(UTF_8));
    assertThat(randomIv.decrypt(result.getString("b"))).isEqualTo("same".getBytes(UTF_8));
  }
}
