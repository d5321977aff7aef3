package io.callbackengine.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.callbackengine.domain.crypto.CipherAlgorithm;
import io.callbackengine.domain.crypto.PayloadCipher;
import io.callbackengine.domain.signing.SigningSecret;
import io.callbackengine.domain.signing.WebhookSignature;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The receiver-side commands, and the command line's help and errors, without a database. */
class CommandLineTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Main.run(List.of(args), Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void decryptsWhatTheEngineEncryptsWithAFixedIv() {
    String value = new PayloadCipher(CipherAlgorithm.AES_128_CFB, "K1xxxxxxxxxxxx2P".getBytes(StandardCharsets.UTF_8),
        "POxxxxxxxxxxxxLY".getBytes(StandardCharsets.UTF_8), new SecureRandom()).encrypt("DELIVRD".getBytes(StandardCharsets.UTF_8));

    int status = run("decrypt", "--algo", "AES-128-CFB", "--key", "K1xxxxxxxxxxxx2P", "--iv", "POxxxxxxxxxxxxLY", value);

    assertThat(status).isZero();
    assertThat(out()).isEqualTo("DELIVRD" + System.lineSeparator());
  }

  @Test
  void decryptsTheEncryptedFieldsOfAWholeJsonOrUrlencodedBody() throws Exception {
    PayloadCipher cipher = new PayloadCipher(CipherAlgorithm.AES_128_CFB,
        "K1xxxxxxxxxxxx2P".getBytes(StandardCharsets.UTF_8), "POxxxxxxxxxxxxLY".getBytes(StandardCharsets.UTF_8),
        new SecureRandom());
    String status = cipher.encrypt("DELIVRD".getBytes(StandardCharsets.UTF_8));
    java.nio.file.Path json = java.nio.file.Files.createTempFile("body", ".json");
    java.nio.file.Files.writeString(json, new io.vertx.core.json.JsonObject().put("status", status).put("to", "+91")
        .encode());
    java.nio.file.Path form = java.nio.file.Files.createTempFile("body", ".txt");
    java.nio.file.Files.writeString(form, "status=" + java.net.URLEncoder.encode(status, StandardCharsets.UTF_8)
        + "&to=%2B91+98");

    assertThat(run("decrypt", "--algo", "AES-128-CFB", "--key", "K1xxxxxxxxxxxx2P", "--iv", "POxxxxxxxxxxxxLY",
        "--body", json.toString(), "--params", "status")).isZero();
    assertThat(new io.vertx.core.json.JsonObject(out())).isEqualTo(new io.vertx.core.json.JsonObject()
        .put("status", "DELIVRD").put("to", "+91"));
    out.reset();
    assertThat(run("decrypt", "--algo", "AES-128-CFB", "--key", "K1xxxxxxxxxxxx2P", "--iv", "POxxxxxxxxxxxxLY",
        "--body", form.toString(), "--body-type", "urlencoded", "--params", "status")).isZero();
    assertThat(out()).isEqualTo("status=DELIVRD\nto=+91 98" + System.lineSeparator());
    assertThat(run("decrypt", "--algo", "AES-128-CFB", "--key", "K1xxxxxxxxxxxx2P", "--body", json.toString(),
        "--body-type", "xml")).isEqualTo(2);
  }

  @Test
  void decryptsRandomIvGcmValuesAndRefusesAWrongKey() {
    String value = new PayloadCipher(CipherAlgorithm.AES_256_GCM, "k".repeat(32).getBytes(StandardCharsets.UTF_8), null,
        new SecureRandom()).encrypt("{\"a\":1}".getBytes(StandardCharsets.UTF_8));

    assertThat(run("decrypt", "--algo", "AES-256-GCM", "--key", "k".repeat(32), value)).isZero();
    assertThat(out()).startsWith("{\"a\":1}");
    assertThat(run("decrypt", "--algo", "AES-256-GCM", "--key", "x".repeat(32), value)).isEqualTo(1);
    assertThat(err()).startsWith("Cannot decrypt");
  }

  @Test
  void verifiesASignatureTheEngineMadeAndRejectsATamperedBody() {
    SigningSecret secret = SigningSecret.generate(new SecureRandom());
    long now = Instant.now().getEpochSecond();
    String body = "{\"status\":\"DELIVRD\"}";
    String signature = WebhookSignature.sign("msg_1", now, body.getBytes(StandardCharsets.UTF_8), List.of(secret));

    int valid = run("verify-signature", "--secret", secret.value(), "--id", "msg_1", "--timestamp", Long.toString(now),
        "--signature", signature, "--body", body);
    int tampered = run("verify-signature", "--secret", secret.value(), "--id", "msg_1", "--timestamp", Long.toString(now),
        "--signature", signature, "--body", body.replace("DELIVRD", "FAILED"));

    assertThat(valid).isZero();
    assertThat(out()).startsWith("valid");
    assertThat(tampered).isEqualTo(1);
    assertThat(err()).contains("invalid: no signature matches");
  }

  @Test
  void everyCommandHasHelpAndWrongArgumentsExitTwo() {
    for (String command : List.of("serve", "migrate", "create-account", "decrypt", "verify-signature")) {
      out.reset();
      assertThat(run(command, "--help")).isZero();
      assertThat(out()).startsWith("Usage: java -jar callback-engine.jar");
    }
    assertThat(run("--help")).isZero();
    assertThat(out()).contains("verify-signature");
    assertThat(run("decrypt", "--algo", "DES", "--key", "k", "v")).isEqualTo(2);
    assertThat(err()).contains("--algo must be one of");
    assertThat(run("launch-rockets")).isEqualTo(2);
    assertThat(err()).contains("Unknown command 'launch-rockets'");
  }
}
