package io.callbackengine.app;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.PATCH;
import static io.vertx.core.http.HttpMethod.POST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.callbackengine.app.TestEngine.Reply;
import io.callbackengine.app.TestEngine.TestAccount;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The profile API (API.md §4): the Kaleyra create/get shapes, list, PATCH, DELETE, rotation, the envelope. */
class ProfileApiIT {

  /** The Kaleyra page's sample request, fixed up to valid JSON and given a real URL. */
  static final String SEED_REQUEST = """
      {
       "title": "Callback_Profile_Test_1",
       "http_method": "PUT",
       "url": "https://example.com/callback",
        "enc": {
          "algo": "AES-128-GCM",
          "key": "12xxxxxxxxxxxx34",
          "IV": "12xxxxxxxxxxxx38"
        },
        "headers": {
          "x-api-key": "A-RANDOM-API-KEY"
        },
        "body": {
          "name": "John Doe"
        },
        "response_message": "Expected response message",
          "events": "SMS-sent"
      }
      """;
  static final List<String> PROFILE_FIELDS = List.of("profile_id", "title", "url", "http_method", "headers",
      "body_type", "body", "status", "created_at", "modified_at", "enc", "response_message", "channel", "events",
      "dynamic_variables", "replacers", "signing_secret", "auth", "policy");

  private static TestEngine engine;
  private static TestAccount account;

  @BeforeAll
  static void start() {
    engine = TestEngine.start(TestEngine.freshSchema(ProfileApiIT.class));
    account = engine.createAccount("Profiles");
  }

  @AfterAll
  static void stop() {
    engine.close();
  }

  static String profiles(TestAccount owner) {
    return "/v1/" + owner.sid() + "/callback/profiles";
  }

  static JsonObject minimal(String title) {
    return new JsonObject().put("title", title).put("http_method", "POST").put("url", "https://example.com/hook")
        .put("body", new JsonObject().put("status", "<status>"));
  }

  private Reply create(JsonObject body) {
    return engine.request(POST, profiles(account)).apiKey(account.apiKey()).json(body);
  }

  @Test
  void seedSampleRoundTripsInTheSeedShape() {
    Reply created = engine.request(POST, profiles(account)).apiKey(account.apiKey()).json(SEED_REQUEST);

    assertThat(created.status()).isEqualTo(201);
    assertThat(created.header("content-type")).isEqualTo("application/json");
    JsonObject envelope = created.body();
    assertThat(envelope.fieldNames()).containsExactly("code", "message", "data", "error", "status");
    assertThat(envelope.getString("code")).isEqualTo("RBC024");
    assertThat(envelope.getString("message")).isEqualTo("Profile created successfully");
    assertThat(envelope.getJsonObject("error")).isEqualTo(new JsonObject());
    assertThat(envelope.getInteger("status")).isEqualTo(201);

    JsonObject data = created.data();
    assertThat(data.fieldNames()).containsExactlyElementsOf(PROFILE_FIELDS);
    assertThat(data.getString("profile_id")).matches("SG_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    assertThat(data.getString("title")).isEqualTo("Callback_Profile_Test_1");
    assertThat(data.getString("url")).isEqualTo("https://example.com/callback");
    assertThat(data.getString("http_method")).isEqualTo("PUT");
    assertThat(data.getValue("headers")).isEqualTo("{\"x-api-key\":\"A-RANDOM-API-KEY\"}");
    assertThat(data.getValue("body_type")).isNull();
    assertThat(data.getValue("body")).isEqualTo("{\"name\":\"John Doe\"}");
    assertThat(data.getInteger("status")).isEqualTo(1);
    assertThat(data.getString("created_at")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    assertThat(data.getValue("modified_at")).isNull();
    assertThat(data.getJsonObject("enc")).isEqualTo(new JsonObject()
        .put("algo", "AES-128-GCM").put("key", "12xxxxxxxxxxxx34").put("IV", "12xxxxxxxxxxxx38"));
    assertThat(data.getString("response_message")).isEqualTo("Expected response message");
    assertThat(data.getString("channel")).isEqualTo("Default - No Channel Selected");
    assertThat(data.getValue("events")).isEqualTo("[\"SMS-sent\"]");
    assertThat(data.getValue("dynamic_variables")).isNull();
    assertThat(data.getJsonObject("replacers")).isEqualTo(new JsonObject());
    assertThat(data.getString("signing_secret")).matches("whsec_[A-Za-z0-9+/]{43}=");

    Reply fetched = engine.request(GET, profiles(account) + "/" + data.getString("profile_id"))
        .apiKey(account.apiKey()).send();
    assertThat(fetched.status()).isEqualTo(200);
    assertThat(fetched.body().getString("message")).isEqualTo("Profile fetched successfully");
    assertThat(fetched.body().getInteger("status")).isEqualTo(200);
    assertThat(fetched.data()).isEqualTo(data);
  }

  @Test
  void showsEveryPlaceholderAndThePathItReads() {
    JsonObject request = minimal("Replacers shown")
        .put("url", "https://example.com/<account>/hook?s=<status>")
        .put("body", new JsonObject().put("status", "<status>").put("to", "<phone>")
            .put("nested", new JsonObject().put("city", "<address.city>")))
        .put("headers", new JsonObject().put("X-Trace", "<event_id>"))
        .put("replacers", new JsonObject().put("phone", "recipient"))
        .put("dynamic_variables", new JsonObject().put("account", "acme"));

    Reply reply = create(request);

    assertThat(reply.status()).isEqualTo(201);
    assertThat(reply.data().getJsonObject("replacers")).isEqualTo(new JsonObject()
        .put("account", "account").put("status", "status").put("event_id", "event_id")
        .put("phone", "recipient").put("address.city", "address.city"));
    assertThat(reply.data().getJsonObject("dynamic_variables")).isEqualTo(new JsonObject().put("account", "acme"));
  }

  @Test
  void acceptsStringFormsOfBodyHeadersAndEvents() {
    JsonObject request = new JsonObject().put("title", "String forms").put("http_method", "POST")
        .put("url", "https://example.com/x").put("body", "{\"a\":\"<b>\"}")
        .put("headers", "{\"Content-Type\":\"multipart/form-data\"}").put("channel", "sms").put("events", "SMS-sent");

    Reply reply = create(request);

    assertThat(reply.status()).isEqualTo(201);
    assertThat(reply.data().getString("body")).isEqualTo("{\"a\":\"<b>\"}");
    assertThat(reply.data().getString("body_type")).isEqualTo("form");
    assertThat(reply.data().getString("events")).isEqualTo("[\"SMS-sent\"]");
    assertThat(reply.data().getString("channel")).isEqualTo("sms");
  }

  @Test
  void getAndDeleteMethodsNeedNoBody() {
    Reply get = create(new JsonObject().put("title", "GET hook").put("http_method", "GET").put("url", "https://example.com/g"));
    Reply post = create(new JsonObject().put("title", "POST hook").put("http_method", "POST").put("url", "https://example.com/p"));

    assertThat(get.status()).isEqualTo(201);
    assertThat(get.data().getValue("body")).isNull();
    assertThat(post.status()).isEqualTo(400);
    assertThat(post.body().getString("message")).isEqualTo("body must have required property 'body'");
  }

  @Test
  void unknownIdIs404InTheKaleyraShape() {
    String id = "SG_00000000-0000-4000-8000-000000000000";
    Reply reply = engine.request(GET, profiles(account) + "/" + id).apiKey(account.apiKey()).send();

    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.body()).isEqualTo(new JsonObject()
        .put("code", "RBC302")
        .put("message", "No profile exists with this id")
        .put("data", new JsonObject())
        .put("error", new JsonArray().add(new JsonObject().put("params", "No profile exists with id: " + id)))
        .put("status", 404));
  }

  @Test
  void titleIsUniquePerAccountIgnoringCase() {
    assertThat(create(minimal("Unique title")).status()).isEqualTo(201);
    Reply clash = create(minimal("UNIQUE TITLE"));

    assertThat(clash.status()).isEqualTo(409);
    assertThat(clash.body().getString("code")).isEqualTo("RBC302");
    assertThat(clash.body().getJsonArray("error").getJsonObject(0).getString("body")).contains("title");

    TestAccount other = engine.createAccount("Other titles");
    Reply elsewhere = engine.request(POST, profiles(other)).apiKey(other.apiKey()).json(minimal("Unique title"));
    assertThat(elsewhere.status()).isEqualTo(201);
  }

  @Test
  void listsWithPagingAndFilters() {
    TestAccount owner = engine.createAccount("Lister");
    for (int i = 0; i < 5; i++) {
      JsonObject p = minimal("Listed " + i);
      if (i % 2 == 0) {
        p.put("channel", "sms").put("events", new JsonArray().add("SMS-sent").add("SMS-delivered"));
      } else {
        p.put("events", new JsonArray().add("WA-read"));
      }
      assertThat(engine.request(POST, profiles(owner)).apiKey(owner.apiKey()).json(p).status()).isEqualTo(201);
    }
    String base = profiles(owner);

    JsonObject page = engine.request(GET, base + "?limit=2&offset=1").apiKey(owner.apiKey()).send().data();
    assertThat(page.getLong("total")).isEqualTo(5);
    assertThat(page.getInteger("limit")).isEqualTo(2);
    assertThat(page.getInteger("offset")).isEqualTo(1);
    assertThat(page.getJsonArray("profiles")).hasSize(2);
    assertThat(page.getJsonArray("profiles").getJsonObject(0).getString("title")).isEqualTo("Listed 1");

    assertThat(list(base + "?channel=sms", owner)).containsExactly("Listed 0", "Listed 2", "Listed 4");
    assertThat(list(base + "?event=WA-read", owner)).containsExactly("Listed 1", "Listed 3");
    assertThat(list(base + "?title=listed%203", owner)).containsExactly("Listed 3");
    assertThat(list(base + "?status=3", owner)).isEmpty();
    assertThat(list(base + "?title=%25", owner)).isEmpty();

    Reply bad = engine.request(GET, base + "?limit=500&status=9&channel=fax&colour=red").apiKey(owner.apiKey()).send();
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body().getJsonArray("error").stream().map(e -> ((JsonObject) e).getString("query")).toList())
        .containsExactlyInAnyOrder("query must NOT have additional property 'colour'", "query/limit must be <= 100",
            "query/status must be <= 3",
            "query/channel must be equal to one of the allowed values: sms, Default - No Channel Selected");
  }

  private static List<String> list(String path, TestAccount owner) {
    Reply reply = engine.request(GET, path).apiKey(owner.apiKey()).send();
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    return reply.data().getJsonArray("profiles").stream().map(p -> ((JsonObject) p).getString("title")).toList();
  }

  @Test
  void patchChangesOnlyWhatIsGiven() {
    JsonObject created = create(minimal("Patch me").put("response_message", "hi")).data();
    String path = profiles(account) + "/" + created.getString("profile_id");

    Reply patched = engine.request(PATCH, path).apiKey(account.apiKey())
        .json(new JsonObject().put("url", "https://example.org/new").put("response_message", null));

    assertThat(patched.status()).isEqualTo(200);
    assertThat(patched.body().getString("message")).isEqualTo("Profile updated successfully");
    JsonObject data = patched.data();
    assertThat(data.getString("url")).isEqualTo("https://example.org/new");
    assertThat(data.getValue("response_message")).isNull();
    assertThat(data.getString("title")).isEqualTo("Patch me");
    assertThat(data.getString("body")).isEqualTo(created.getString("body"));
    assertThat(data.getString("signing_secret")).isEqualTo(created.getString("signing_secret"));
    assertThat(data.getString("created_at")).isEqualTo(created.getString("created_at"));
    assertThat(data.getString("modified_at")).isNotNull();
    assertThat(engine.request(GET, path).apiKey(account.apiKey()).send().data()).isEqualTo(data);
  }

  /**
   * Profiles read are kept in memory; every change that bumps the revision (a PATCH anywhere, a DELETE, a dispatcher
   * disabling the profile) must reach another process that keeps it, and the process that made a change must never
   * answer the old profile afterwards.
   */
  @Test
  void changesMadeAnywhereReachAProcessThatKeepsTheProfile() {
    String id = engine.createProfile(account, minimal("Kept elsewhere")).getString("profile_id");
    String path = "/v1/" + account.sid() + "/callback/profiles/" + id;
    try (TestEngine other = engine.sibling()) {
      // Shows the other process answers from memory: a change written behind its back, without a revision, goes unseen.
      await().atMost(Duration.ofSeconds(10)).until(() -> {
        engine.sql("update profiles set title = 'Kept elsewhere' where profile_id = '" + id + "'");
        other.request(GET, path).apiKey(account.apiKey()).send();
        engine.sql("update profiles set title = 'Unseen' where profile_id = '" + id + "'");
        return other.request(GET, path).apiKey(account.apiKey()).send().data().getString("title").equals("Kept elsewhere");
      });
      engine.sql("update profiles set title = 'Kept elsewhere' where profile_id = '" + id + "'");

      assertThat(engine.request(PATCH, path).apiKey(account.apiKey()).json(new JsonObject().put("title", "Patched"))
          .status()).isEqualTo(200);
      assertThat(engine.request(GET, path).apiKey(account.apiKey()).send().data().getString("title")).isEqualTo("Patched");
      await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(10)).until(() ->
          other.request(GET, path).apiKey(account.apiKey()).send().data().getString("title").equals("Patched"));

      // What a dispatcher does when it auto-disables a profile.
      engine.sql("update profiles set status = 2, revision = revision + 1 where profile_id = '" + id + "'");
      await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(10)).until(() ->
          other.request(GET, path).apiKey(account.apiKey()).send().data().getInteger("status") == 2);

      assertThat(other.request(DELETE, path).apiKey(account.apiKey()).send().status()).isEqualTo(200);
      assertThat(other.request(GET, path).apiKey(account.apiKey()).send().status()).isEqualTo(404);
      await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(10)).until(() ->
          engine.request(GET, path).apiKey(account.apiKey()).send().status() == 404);
    }
  }

  @Test
  void patchSetsStatusOneOrThreeOnly() {
    String path = profiles(account) + "/" + create(minimal("Status flips")).data().getString("profile_id");

    Reply disabled = engine.request(PATCH, path).apiKey(account.apiKey()).json(new JsonObject().put("status", 3));
    Reply enabled = engine.request(PATCH, path).apiKey(account.apiKey()).json(new JsonObject().put("status", 1));
    Reply engineOnly = engine.request(PATCH, path).apiKey(account.apiKey()).json(new JsonObject().put("status", 2));

    assertThat(disabled.data().getInteger("status")).isEqualTo(3);
    assertThat(enabled.data().getInteger("status")).isEqualTo(1);
    assertThat(engineOnly.status()).isEqualTo(400);
    assertThat(engineOnly.body().getString("message")).isEqualTo("body/status must be equal to one of the allowed values: 1, 3");
  }

  @Test
  void patchKeepsTheChannelAndValidatesTheResult() {
    String path = profiles(account) + "/" + create(minimal("Fixed channel")).data().getString("profile_id");

    Reply channel = engine.request(PATCH, path).apiKey(account.apiKey()).json(new JsonObject().put("channel", "sms"));
    Reply nullBody = engine.request(PATCH, path).apiKey(account.apiKey()).json(new JsonObject().put("body", null));
    Reply unknown = engine.request(PATCH, path).apiKey(account.apiKey()).json(new JsonObject().put("profile_id", "x"));
    Reply sameChannel = engine.request(PATCH, path).apiKey(account.apiKey())
        .json(new JsonObject().put("channel", "Default - No Channel Selected"));

    assertThat(channel.status()).isEqualTo(400);
    assertThat(channel.body().getString("message")).isEqualTo("body/channel cannot be changed once the profile exists");
    assertThat(nullBody.status()).isEqualTo(400);
    assertThat(nullBody.body().getString("message")).isEqualTo("body/body must NOT be null when http_method is POST");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(sameChannel.status()).isEqualTo(200);
  }

  @Test
  void deleteRemovesTheProfileAndFreesItsTitle() {
    String id = create(minimal("Delete me")).data().getString("profile_id");
    String path = profiles(account) + "/" + id;

    Reply deleted = engine.request(DELETE, path).apiKey(account.apiKey()).send();

    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.body().getString("message")).isEqualTo("Profile deleted successfully");
    assertThat(deleted.data()).isEqualTo(new JsonObject().put("profileId", id));
    assertThat(engine.request(GET, path).apiKey(account.apiKey()).send().status()).isEqualTo(404);
    assertThat(engine.request(DELETE, path).apiKey(account.apiKey()).send().status()).isEqualTo(404);
    assertThat(engine.request(PATCH, path).apiKey(account.apiKey()).json(new JsonObject().put("status", 1)).status())
        .isEqualTo(404);
    assertThat(create(minimal("Delete me")).status()).isEqualTo(201);
  }

  @Test
  void rotatingTheSigningSecretGivesANewOne() {
    JsonObject created = create(minimal("Rotate me")).data();

    Reply rotated = engine.request(POST, profiles(account) + "/" + created.getString("profile_id")
        + "/signing-secret/rotate").apiKey(account.apiKey()).send();

    assertThat(rotated.status()).isEqualTo(200);
    assertThat(rotated.data().getString("signing_secret")).startsWith("whsec_")
        .isNotEqualTo(created.getString("signing_secret"));
  }

  @Test
  void refusesBodiesThatAreNotJsonObjects() {
    String path = profiles(account);
    Reply malformed = engine.request(POST, path).apiKey(account.apiKey()).raw("application/json", Buffer.buffer("{\"title\": "));
    Reply array = engine.request(POST, path).apiKey(account.apiKey()).json(new JsonArray().add(1));
    Reply empty = engine.request(POST, path).apiKey(account.apiKey()).raw("application/json", Buffer.buffer());
    Reply text = engine.request(POST, path).apiKey(account.apiKey()).raw("text/plain", Buffer.buffer("{}"));
    Reply form = engine.request(POST, path).apiKey(account.apiKey())
        .raw("application/x-www-form-urlencoded", Buffer.buffer("title=x"));
    Reply huge = engine.request(POST, path).apiKey(account.apiKey())
        .json(minimal("Huge").put("body", new JsonObject().put("x", "y".repeat(300 * 1024))));

    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.body().getString("message")).startsWith("body must be valid JSON: ").contains("line 1");
    assertThat(array.status()).isEqualTo(400);
    assertThat(array.body().getString("message")).isEqualTo("body must be object");
    assertThat(empty.status()).isEqualTo(400);
    assertThat(text.status()).isEqualTo(415);
    assertThat(text.body().getString("code")).isEqualTo("RBC302");
    assertThat(form.status()).isEqualTo(415);
    assertThat(huge.status()).isEqualTo(413);
    assertThat(huge.body().getString("code")).isEqualTo("RBC302");
    assertThat(huge.body().getInteger("status")).isEqualTo(413);
  }

  @Test
  void unknownRoutesAndMethodsAnswerInTheEnvelope() {
    Reply unknown = engine.request(GET, "/v1/" + account.sid() + "/callback/nothing").apiKey(account.apiKey()).send();
    Reply method = engine.request(io.vertx.core.http.HttpMethod.PUT, profiles(account)).apiKey(account.apiKey())
        .json(new JsonObject());

    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.body().getString("code")).isEqualTo("GEN400");
    assertThat(method.status()).isEqualTo(405);
    assertThat(method.body().getString("code")).isEqualTo("RBC302");
    assertThat(method.body().getInteger("status")).isEqualTo(405);
  }

  /** Only {@code /v1/{sid}/callback/profiles...} is the profile family; the paths above it belong to no family. */
  @Test
  void pathsAboveTheFamiliesAnswerTheGeneralCode() {
    for (String path : List.of("/v1/", "/v1/" + account.sid(), "/v1/" + account.sid() + "/callback",
        "/v1/" + account.sid() + "/callback/", "/foo")) {
      Reply reply = engine.request(GET, path).apiKey(account.apiKey()).send();

      assertThat(reply.status()).as(path).isEqualTo(404);
      assertThat(reply.body().getString("code")).as(path).isEqualTo("GEN400");
    }
    Reply keyless = engine.request(GET, "/v1/" + account.sid() + "/callback").send();
    assertThat(keyless.status()).isEqualTo(401);
    assertThat(keyless.body().getString("code")).isEqualTo("GEN400");
  }

  @Test
  void theEventFilterAlsoListsProfilesThatTakeEveryEvent() {
    TestAccount owner = engine.createAccount("Event filter");
    engine.createProfile(owner, minimal("Takes every event"));
    engine.createProfile(owner, minimal("Takes one event").put("events", "WA-read"));
    engine.createProfile(owner, minimal("Takes another event").put("events", "WA-sent"));

    assertThat(list(profiles(owner) + "?event=WA-read", owner)).containsExactly("Takes every event", "Takes one event");
  }
}
