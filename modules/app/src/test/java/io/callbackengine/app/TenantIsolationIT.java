package io.callbackengine.app;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.PATCH;
import static io.vertx.core.http.HttpMethod.POST;
import static org.assertj.core.api.Assertions.assertThat;

import io.callbackengine.app.TestEngine.Reply;
import io.callbackengine.app.TestEngine.TestAccount;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** No account reaches what is not its own: wrong keys get one 401, foreign ids look like missing ones. */
class TenantIsolationIT {

  private static TestEngine engine;
  private static TestAccount alice;
  private static TestAccount bob;
  private static String aliceProfile;

  @BeforeAll
  static void start() {
    engine = TestEngine.start(TestEngine.freshSchema(TenantIsolationIT.class));
    alice = engine.createAccount("Alice");
    bob = engine.createAccount("Bob");
    aliceProfile = engine.request(POST, ProfileApiIT.profiles(alice)).apiKey(alice.apiKey())
        .json(ProfileApiIT.minimal("Alice hook")).data().getString("profile_id");
    engine.request(POST, ProfileApiIT.profiles(bob)).apiKey(bob.apiKey()).json(ProfileApiIT.minimal("Bob hook"));
  }

  @AfterAll
  static void stop() {
    engine.close();
  }

  @Test
  void anotherAccountsKeyGetsTheSame401AsNoKeyOrAnUnknownOne() {
    Reply foreign = engine.request(GET, ProfileApiIT.profiles(bob)).apiKey(alice.apiKey()).send();
    Reply missing = engine.request(GET, ProfileApiIT.profiles(bob)).send();
    Reply unknown = engine.request(GET, ProfileApiIT.profiles(bob)).apiKey("A" + "x".repeat(29)).send();
    Reply noSuchAccount = engine.request(GET, "/v1/HXNOBODY00IN/callback/profiles").apiKey(alice.apiKey()).send();

    assertThat(foreign.status()).isEqualTo(401);
    assertThat(foreign.body().getString("code")).isEqualTo("RBC302");
    assertThat(missing.raw()).isEqualTo(foreign.raw());
    assertThat(unknown.raw()).isEqualTo(foreign.raw());
    assertThat(noSuchAccount.raw()).isEqualTo(foreign.raw());
  }

  @Test
  void anotherAccountsProfileIdIs404OnEveryRoute() {
    String path = ProfileApiIT.profiles(bob) + "/" + aliceProfile;

    Reply get = engine.request(GET, path).apiKey(bob.apiKey()).send();
    Reply patch = engine.request(PATCH, path).apiKey(bob.apiKey()).json(new JsonObject().put("status", 3));
    Reply delete = engine.request(DELETE, path).apiKey(bob.apiKey()).send();
    Reply rotate = engine.request(POST, path + "/signing-secret/rotate").apiKey(bob.apiKey()).send();

    assertThat(get.status()).isEqualTo(404);
    assertThat(patch.status()).isEqualTo(404);
    assertThat(delete.status()).isEqualTo(404);
    assertThat(rotate.status()).isEqualTo(404);
    assertThat(get.body().getString("message")).isEqualTo("No profile exists with this id");
    assertThat(engine.request(GET, ProfileApiIT.profiles(alice) + "/" + aliceProfile).apiKey(alice.apiKey()).send()
        .data().getInteger("status")).isEqualTo(1);
  }

  @Test
  void listingShowsOnlyTheAccountsOwnProfiles() {
    JsonObject page = engine.request(GET, ProfileApiIT.profiles(bob)).apiKey(bob.apiKey()).send().data();

    assertThat(page.getLong("total")).isEqualTo(1);
    assertThat(page.getJsonArray("profiles").getJsonObject(0).getString("title")).isEqualTo("Bob hook");
  }
}
