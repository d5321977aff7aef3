package io.callbackengine.app;

import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.callbackengine.app.TestEngine.TestAccount;
import io.callbackengine.app.config.EngineConfig;
import io.callbackengine.store.MasterKeyCheck;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Secrets at rest (issue 2 §6) and durability across restarts: a raw SELECT shows no key, IV or signing secret; a
 * generated master key lands in a 0600 file; a wrong master key stops start-up; profiles survive a restart.
 */
class SecretsAtRestIT {

  @Test
  void rawRowsHoldNoPlaintextSecretsAndProfilesSurviveARestart() {
    String schema = TestEngine.freshSchema(SecretsAtRestIT.class);
    TestEngine engine = TestEngine.start(schema);
    try {
      TestAccount account = engine.createAccount("Secrets");
      JsonObject created = engine.request(POST, ProfileApiIT.profiles(account)).apiKey(account.apiKey())
          .json(ProfileApiIT.minimal("Secretive").put("enc", new JsonObject().put("algo", "AES-256-CFB")
              .put("key", "K0123456789abcdefghijklmnopqrstZ").put("IV", "IV0123456789abcZ"))).data();

      StringBuilder raw = new StringBuilder();
      engine.sql("select *, encode(enc_key, 'escape') k, encode(enc_iv, 'escape') i, "
          + "encode(signing_secret, 'escape') s from profiles").forEach(row -> raw.append(row.toJson().encode()));
      String secret = created.getString("signing_secret");
      assertThat(raw.toString())
          .contains(created.getString("profile_id"))
          .doesNotContain("K0123456789abcdefghijklmnopqrstZ")
          .doesNotContain("IV0123456789abcZ")
          .doesNotContain(secret)
          .doesNotContain(secret.substring("whsec_".length()));

      engine = engine.restart();
      JsonObject fetched = engine.request(GET, ProfileApiIT.profiles(account) + "/" + created.getString("profile_id"))
          .apiKey(account.apiKey()).send().data();
      assertThat(fetched).isEqualTo(created);
    } finally {
      engine.close();
    }
  }

  @Test
  void aMasterKeyThatCannotOpenTheStoredSecretsStopsStartUp() {
    String schema = TestEngine.freshSchema(SecretsAtRestIT.class);
    TestEngine first = TestEngine.start(schema);
    first.createAccount("Keyed");
    TestEngine.await(first.app.stop());
    try {
      Map<String, String> env = TestEngine.environment(schema);
      env.put("CALLBACK_MASTER_KEY", "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=");

      assertThatThrownBy(() -> TestEngine.start(schema, env))
          .isInstanceOf(MasterKeyCheck.WrongMasterKeyException.class)
          .hasMessageContaining("master key cannot decrypt the secrets");
    } finally {
      first.sql("drop schema if exists " + schema + " cascade");
      TestEngine.await(first.clientVertx.close());
    }
  }

  @Test
  void generatesAMasterKeyFileReadableByItsOwnerOnlyWhenNoneIsConfigured() throws Exception {
    String schema = TestEngine.freshSchema(SecretsAtRestIT.class);
    Path dataDir = TestEngine.tempDir().resolve("data");
    Map<String, String> env = TestEngine.environment(schema);
    env.put("CALLBACK_MASTER_KEY", "");
    env.put("CALLBACK_DATA_DIR", dataDir.toString());

    TestEngine engine = TestEngine.start(schema, env);
    try {
      Path keyFile = dataDir.resolve(MasterKeySource.FILE_NAME);
      assertThat(keyFile).exists();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
      String key = Files.readString(keyFile).trim();
      assertThat(java.util.Base64.getDecoder().decode(key)).hasSize(32);

      engine = engine.restart(); // reads the same file, so the stored check value still opens
      assertThat(Files.readString(keyFile).trim()).isEqualTo(key);
    } finally {
      engine.close();
    }
  }

  @Test
  void aMalformedMasterKeyIsAConfigurationError() {
    Map<String, String> env = TestEngine.environment("unused");
    env.put("CALLBACK_MASTER_KEY", "c2hvcnQ=");

    assertThatThrownBy(() -> Application.start(EngineConfig.load(Optional.empty(), env)))
        .hasMessageContaining("CALLBACK_MASTER_KEY must be base64 of 32 bytes");
  }
}
