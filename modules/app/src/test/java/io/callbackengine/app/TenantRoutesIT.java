package io.callbackengine.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.callbackengine.app.TestEngine.Reply;
import io.callbackengine.app.TestEngine.TestAccount;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tenant isolation by enumeration: every route the router mounts under {@code /v1/{sid}} is called with another
 * account's key (401, always the same body) and with another account's ids (404). A route added later is covered
 * without touching this test.
 */
class TenantRoutesIT {

  private static TestEngine engine;
  private static Receiver receiver;
  private static TestAccount alice;
  private static TestAccount bob;
  private static String aliceProfile;
  private static String aliceDelivery;

  @BeforeAll
  static void start() {
    String schema = TestEngine.freshSchema(TenantRoutesIT.class);
    engine = TestEngine.start(schema, TestEngine.dispatchEnvironment(schema));
    receiver = Receiver.start();
    alice = engine.createAccount("Alice");
    bob = engine.createAccount("Bob");
    aliceProfile = engine.createProfile(alice, ProfileApiIT.minimal("Alice only").put("url", receiver.url("/a"))
        .put("channel", "sms").put("events", "SMS-sent")).getString("profile_id");
    engine.publish(alice, new JsonObject().put("event", "SMS-sent"));
    aliceDelivery = receiver.awaitArrivals(1, Duration.ofSeconds(10)).get(0).header("webhook-id");
  }

  @AfterAll
  static void stop() {
    engine.close();
    receiver.close();
  }

  private static List<Endpoint> tenantEndpoints() {
    List<Endpoint> endpoints = new ArrayList<>();
    for (Route route : engine.app.router(engine.clientVertx).getRoutes()) {
      String path = route.getPath();
      if (path == null || !path.startsWith("/v1/:sid/") || route.methods() == null) {
        continue;
      }
      route.methods().forEach(method -> endpoints.add(new Endpoint(method, path)));
    }
    return endpoints;
  }

  record Endpoint(HttpMethod method, String path) {
    String fill(String sid) {
      return path.replace(":sid", sid).replace(":id", aliceProfile).replace(":deliveryId", aliceDelivery);
    }

    boolean namesAnId() {
      return path.contains(":id") || path.contains(":deliveryId");
    }

    Reply call(String sid, String key) {
      TestEngine.Request request = engine.request(method, fill(sid)).apiKey(key);
      return method == HttpMethod.POST || method == HttpMethod.PATCH ? request.json(body()) : request.send();
    }

    private JsonObject body() {
      if (path.endsWith("/events")) {
        return new JsonObject().put("event", "SMS-sent").put("profile_id", aliceProfile);
      }
      if (path.endsWith("/profiles")) {
        return ProfileApiIT.minimal("Intruder " + method);
      }
      return path.endsWith("/:id") ? new JsonObject().put("status", 3) : new JsonObject();
    }
  }

  @Test
  void theRouterMountsTheTenantRoutesWeExpect() {
    assertThat(tenantEndpoints()).hasSizeGreaterThanOrEqualTo(10);
  }

  @Test
  void anotherAccountsKeyGetsThe401AMissingOrUnknownKeyGetsOnEveryRoute() {
    for (Endpoint endpoint : tenantEndpoints()) {
      Reply foreign = endpoint.call(alice.sid(), bob.apiKey());
      Reply unknown = endpoint.call(alice.sid(), "A" + "0".repeat(29));
      Reply missing = endpoint.call(alice.sid(), "");
      assertThat(foreign.status()).as(endpoint.toString()).isEqualTo(401);
      assertThat(unknown.raw()).as(endpoint.toString()).isEqualTo(foreign.raw());
      assertThat(missing.raw()).as(endpoint.toString()).isEqualTo(foreign.raw());
    }
  }

  @Test
  void anotherAccountsIdsAre404OnEveryRouteThatNamesOne() {
    List<Endpoint> withIds = new ArrayList<>(tenantEndpoints().stream().filter(Endpoint::namesAnId).toList());
    withIds.add(new Endpoint(HttpMethod.POST, "/v1/:sid/callback/events"));
    for (Endpoint endpoint : withIds) {
      Reply reply = endpoint.call(bob.sid(), bob.apiKey());
      assertThat(reply.status()).as(endpoint.toString()).isEqualTo(404);
    }
    JsonObject untouched = engine.delivery(alice, aliceDelivery);
    assertThat(untouched.getJsonArray("attempts")).hasSize(1);
    assertThat(engine.request(HttpMethod.GET, "/v1/" + alice.sid() + "/callback/profiles/" + aliceProfile)
        .apiKey(alice.apiKey()).send().data().getInteger("status")).isEqualTo(1);
  }
}
