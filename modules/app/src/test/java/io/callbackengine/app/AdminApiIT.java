package io.callbackengine.app;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.callbackengine.app.TestEngine.Reply;
import io.callbackengine.app.TestEngine.TestAccount;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The admin API (API.md §3): accounts, api keys shown once and stored hashed, revocation that bites at once. */
class AdminApiIT {

  private static TestEngine engine;

  @BeforeAll
  static void start() {
    engine = TestEngine.start(TestEngine.freshSchema(AdminApiIT.class));
  }

  @AfterAll
  static void stop() {
    engine.close();
  }

  @Test
  void createsAnAccountWithAGeneratedSidAndAKeyShownOnce() {
    Reply reply = engine.admin(POST, "/admin/accounts").json(new JsonObject().put("name", "Acme"));

    assertThat(reply.status()).isEqualTo(201);
    assertThat(reply.body().getString("code")).isEqualTo("ADM200");
    assertThat(reply.body().getJsonObject("error")).isEqualTo(new JsonObject());
    JsonObject data = reply.data();
    assertThat(data.getString("sid")).matches("HX[A-Z0-9]{9}IN");
    assertThat(data.getString("api_key")).matches("A[A-Za-z0-9]{29}");
    assertThat(data.getString("created_at")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");

    Reply fetched = engine.admin(GET, "/admin/accounts/" + data.getString("sid")).send();
    assertThat(fetched.status()).isEqualTo(200);
    assertThat(fetched.data().fieldNames()).containsExactlyInAnyOrder("sid", "name", "created_at");
    assertThat(fetched.raw().toString()).doesNotContain(data.getString("api_key"));
  }

  @Test
  void storesOnlyAHashOfEachKey() {
    TestAccount account = engine.createAccount("Hashing");

    String everything = engine.sql("select string_agg(key_id || ' ' || prefix || ' ' || encode(key_hash, 'escape'), ' ') "
        + "from api_keys").iterator().next().getString(0);
    long matchingHashes = engine.sql("select count(*) from api_keys where key_hash = sha256(convert_to('"
        + account.apiKey() + "', 'UTF8'))").iterator().next().getLong(0);

    assertThat(everything).doesNotContain(account.apiKey());
    assertThat(matchingHashes).isEqualTo(1);
  }

  @Test
  void acceptsAChosenSidAndRefusesItTwice() {
    Reply first = engine.admin(POST, "/admin/accounts").json(new JsonObject().put("name", "Chosen").put("sid", "HXCHOSEN01IN"));
    Reply second = engine.admin(POST, "/admin/accounts").json(new JsonObject().put("name", "Again").put("sid", "HXCHOSEN01IN"));

    assertThat(first.status()).isEqualTo(201);
    assertThat(first.data().getString("sid")).isEqualTo("HXCHOSEN01IN");
    assertThat(second.status()).isEqualTo(409);
    assertThat(second.body().getString("code")).isEqualTo("ADM400");
  }

  @Test
  void validatesAccountCreation() {
    Reply missing = engine.admin(POST, "/admin/accounts").json(new JsonObject());
    Reply badSid = engine.admin(POST, "/admin/accounts").json(new JsonObject().put("name", "x").put("sid", "no spaces"));
    Reply unknown = engine.admin(POST, "/admin/accounts").json(new JsonObject().put("name", "x").put("plan", "gold"));

    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.body().getString("message")).isEqualTo("body must have required property 'name'");
    assertThat(badSid.status()).isEqualTo(400);
    assertThat(badSid.body().getString("message")).startsWith("body/sid must match pattern");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.body().getString("message")).isEqualTo("body must NOT have additional property 'plan'");
  }

  @Test
  void listsAccountsWithPaging() {
    engine.createAccount("List one");
    engine.createAccount("List two");

    Reply page = engine.admin(GET, "/admin/accounts?limit=1&offset=0").send();
    Reply badLimit = engine.admin(GET, "/admin/accounts?limit=0").send();

    assertThat(page.status()).isEqualTo(200);
    assertThat(page.data().getJsonArray("accounts")).hasSize(1);
    assertThat(page.data().getLong("total")).isGreaterThanOrEqualTo(2);
    assertThat(badLimit.status()).isEqualTo(400);
    assertThat(badLimit.body().getJsonArray("error").getJsonObject(0).getString("query")).isEqualTo("query/limit must be >= 1");
  }

  @Test
  void issuesListsAndRevokesKeysAndARevokedKeyFailsOnTheNextRequest() {
    TestAccount account = engine.createAccount("Keys");
    String profiles = "/v1/" + account.sid() + "/callback/profiles";

    Reply issued = engine.admin(POST, "/admin/accounts/" + account.sid() + "/api-keys").send();
    assertThat(issued.status()).isEqualTo(201);
    String secondKey = issued.data().getString("api_key");
    String keyId = issued.data().getString("key_id");
    assertThat(engine.request(GET, profiles).apiKey(secondKey).send().status()).isEqualTo(200);

    JsonArray keys = engine.admin(GET, "/admin/accounts/" + account.sid() + "/api-keys").send().data().getJsonArray("api_keys");
    assertThat(keys).hasSize(2);
    assertThat(keys.encode()).doesNotContain(secondKey).contains(secondKey.substring(0, 6));

    Reply revoked = engine.admin(DELETE, "/admin/accounts/" + account.sid() + "/api-keys/" + keyId).send();
    assertThat(revoked.status()).isEqualTo(200);
    assertThat(engine.request(GET, profiles).apiKey(secondKey).send().status()).isEqualTo(401);
    assertThat(engine.request(GET, profiles).apiKey(account.apiKey()).send().status()).isEqualTo(200);

    Reply again = engine.admin(DELETE, "/admin/accounts/" + account.sid() + "/api-keys/" + keyId).send();
    assertThat(again.status()).isEqualTo(404);
    JsonObject listed = engine.admin(GET, "/admin/accounts/" + account.sid() + "/api-keys").send().data()
        .getJsonArray("api_keys").stream().map(JsonObject.class::cast)
        .filter(k -> k.getString("key_id").equals(keyId)).findFirst().orElseThrow();
    assertThat(listed.getString("revoked_at")).isNotNull();
  }

  /**
   * Api keys are remembered between requests (see {@code KeyCache}); a revocation through one process must still bite
   * in another that remembers the key, by the NOTIFY the revoking statement sends.
   */
  @Test
  void aKeyRevokedThroughOneProcessFailsInAnotherThatRemembersIt() {
    try (TestEngine other = engine.sibling()) {
      TestAccount account = engine.createAccount("Two processes");
      String profiles = "/v1/" + account.sid() + "/callback/profiles";
      Reply issued = engine.admin(POST, "/admin/accounts/" + account.sid() + "/api-keys").send();
      String key = issued.data().getString("api_key");
      String keyId = issued.data().getString("key_id");
      String silently = "update api_keys set revoked_at = %s where key_id = '" + keyId + "'";

      // Shows the other process answers from memory: a revocation written behind its back, with no NOTIFY, goes unseen.
      await().atMost(Duration.ofSeconds(10)).until(() -> {
        engine.sql(silently.formatted("null"));
        other.request(GET, profiles).apiKey(key).send();
        engine.sql(silently.formatted("now()"));
        return other.request(GET, profiles).apiKey(key).send().status() == 200;
      });
      engine.sql(silently.formatted("null"));

      assertThat(engine.admin(DELETE, "/admin/accounts/" + account.sid() + "/api-keys/" + keyId).send().status())
          .isEqualTo(200);
      assertThat(engine.request(GET, profiles).apiKey(key).send().status()).isEqualTo(401);
      await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(10))
          .until(() -> other.request(GET, profiles).apiKey(key).send().status() == 401);
      assertThat(other.request(GET, profiles).apiKey(account.apiKey()).send().status()).isEqualTo(200);
    }
  }

  @Test
  void unknownAccountIs404() {
    Reply reply = engine.admin(GET, "/admin/accounts/HXNOSUCH00IN").send();
    Reply keys = engine.admin(POST, "/admin/accounts/HXNOSUCH00IN/api-keys").send();

    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.body().getString("code")).isEqualTo("ADM400");
    assertThat(keys.status()).isEqualTo(404);
  }

  @Test
  void refusesAMissingOrWrongAdminToken() {
    Reply none = engine.request(GET, "/admin/accounts").send();
    Reply wrong = engine.request(GET, "/admin/accounts").header("authorization", "Bearer nope").send();

    assertThat(none.status()).isEqualTo(401);
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.body()).isEqualTo(none.body());
    assertThat(none.body().getString("code")).isEqualTo("ADM400");
  }

  @Test
  void answers503WhenNoAdminTokenIsConfigured() {
    String schema = TestEngine.freshSchema(AdminApiIT.class);
    java.util.Map<String, String> env = TestEngine.environment(schema);
    env.put("CALLBACK_ADMIN_TOKEN", "");
    try (TestEngine disabled = TestEngine.start(schema, env)) {
      Reply reply = disabled.request(GET, "/admin/accounts").header("authorization", "Bearer anything").send();

      assertThat(reply.status()).isEqualTo(503);
      assertThat(reply.body().getString("message")).isEqualTo("admin API disabled");
      assertThat(reply.body().getInteger("status")).isEqualTo(503);
    }
  }
}
