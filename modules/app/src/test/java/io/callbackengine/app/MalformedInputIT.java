package io.callbackengine.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.callbackengine.app.TestEngine.Reply;
import io.callbackengine.app.TestEngine.TestAccount;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 11: what an outside probe sent that answered 500, or answered outside the envelope, or was accepted against
 * the contract. Every malformed request gets a 4xx in the envelope that names what is wrong.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedInputIT {

  private TestEngine engine;
  private TestAccount owner;
  private String profileId;

  @BeforeAll
  void start() {
    engine = TestEngine.start(TestEngine.freshSchema(MalformedInputIT.class));
    owner = engine.createAccount("Malformed input");
    profileId = engine.createProfile(owner, ProfileApiIT.minimal("Probe target")).getString("profile_id");
  }

  @AfterAll
  void stop() {
    engine.close();
  }

  private static void assertRefused(Reply reply, int status, String code, String location, String message) {
    assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
    assertThat(reply.header("content-type")).as(reply.toString()).isEqualTo("application/json");
    JsonObject body = reply.body();
    assertThat(body.getString("code")).as(reply.toString()).isEqualTo(code);
    assertThat(body.getInteger("status")).isEqualTo(status);
    assertThat(body.getJsonArray("error")).as(reply.toString()).isNotEmpty();
    JsonObject first = body.getJsonArray("error").getJsonObject(0);
    assertThat(first.fieldNames()).as(reply.toString()).containsExactly(location);
    assertThat(first.getString(location)).as(reply.toString()).contains(message);
  }

  /** A path id holding %00: PostgreSQL text cannot hold NUL, so it is refused naming the parameter. */
  Stream<Object[]> nulInPathIds() {
    String sid = owner.sid();
    return Stream.of(
        new Object[] {HttpMethod.GET, "/v1/" + sid + "/callback/profiles/%00", "RBC302", "params/id"},
        new Object[] {HttpMethod.PATCH, "/v1/" + sid + "/callback/profiles/ab%00cd", "RBC302", "params/id"},
        new Object[] {HttpMethod.GET, "/v1/" + sid + "/callback/profiles/%00/deliveries", "RBC302", "params/id"},
        new Object[] {HttpMethod.GET, "/v1/" + sid + "/callback/deliveries/%00", "DLV400", "params/deliveryId"},
        new Object[] {HttpMethod.POST, "/v1/" + sid + "/callback/deliveries/%00/retry", "DLV400", "params/deliveryId"},
        new Object[] {HttpMethod.GET, "/admin/accounts/%00", "ADM400", "params/sid"},
        new Object[] {HttpMethod.GET, "/admin/accounts/%00/api-keys", "ADM400", "params/sid"},
        new Object[] {HttpMethod.DELETE, "/admin/accounts/" + sid + "/api-keys/%00", "ADM400", "params/keyId"});
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("nulInPathIds")
  void aNulInAPathIdIsRefusedNamingTheParameter(HttpMethod method, String path, String code, String parameter) {
    Reply reply = engine.admin(method, path).apiKey(owner.apiKey()).send();

    assertRefused(reply, 400, code, "params", parameter + " must NOT contain the NUL character");
  }

  @Test
  void aNulInTheTenantSidIsRefusedNotLookedUp() {
    Reply reply = engine.request(HttpMethod.GET, "/v1/%00/callback/profiles").apiKey(owner.apiKey()).send();

    assertRefused(reply, 400, "RBC302", "params", "params/sid must NOT contain the NUL character");
  }

  @Test
  void aNulInAQueryParameterIsRefusedNamingIt() {
    Reply filter = engine.request(HttpMethod.GET, "/v1/" + owner.sid() + "/callback/profiles?event=%00")
        .apiKey(owner.apiKey()).send();
    Reply name = engine.admin(HttpMethod.GET, "/admin/accounts?li%00mit=1").send();

    assertRefused(filter, 400, "RBC302", "query", "query/event must NOT contain the NUL character");
    assertRefused(name, 400, "ADM400", "query", "parameter name containing the NUL character");
  }

  /** A NUL anywhere in a JSON body, escaped as \u0000, is refused naming the field. */
  Stream<Object[]> nulInJsonStrings() {
    String sid = owner.sid();
    String profiles = "/v1/" + sid + "/callback/profiles";
    return Stream.of(
        new Object[] {HttpMethod.POST, "/admin/accounts", "{\"name\": \"Bad\\u0000name\"}", "ADM400", "body/name"},
        new Object[] {HttpMethod.PATCH, profiles + "/" + profileId, "{\"response_message\": \"ok\\u0000\"}",
            "RBC302", "body/response_message"},
        new Object[] {HttpMethod.PATCH, profiles + "/" + profileId, "{\"title\": \"\\u0000 title\"}", "RBC302",
            "body/title"},
        new Object[] {HttpMethod.POST, profiles, "{\"title\": \"Valid title\", \"headers\": {\"x\\u0000\": \"1\"}}",
            "RBC302", "body/headers must NOT have a property name containing the NUL character"},
        new Object[] {HttpMethod.POST, "/v1/" + sid + "/callback/events", "{\"event\": \"SMS-sent\", \"id\": \"a\\u0000\"}",
            "EVT400", "body/id"},
        new Object[] {HttpMethod.POST, "/v1/" + sid + "/callback/events",
            "[{\"event\": \"SMS-sent\"}, {\"event\": \"SMS-sent\", \"profile_id\": \"\\u0000\"}]", "EVT400",
            "body/1/profile_id"},
        new Object[] {HttpMethod.POST, "/v1/" + sid + "/callback/events",
            "{\"event\": \"SMS-sent\", \"data\": {\"list\": [\"fine\", \"not\\u0000fine\"]}}", "EVT400",
            "body/data/list/1"});
  }

  @Test
  void anUnpairedSurrogateIsRefusedRatherThanStoredAsAQuestionMark() {
    Reply lone = engine.admin(HttpMethod.POST, "/admin/accounts").json("{\"name\": \"Lone \\ud800 surrogate\"}");
    Reply paired = engine.admin(HttpMethod.POST, "/admin/accounts").json("{\"name\": \"Paired \\ud83d\\ude00\"}");
    Reply query = engine.request(HttpMethod.GET, "/v1/" + owner.sid() + "/callback/profiles?title=%ED%A0%80")
        .apiKey(owner.apiKey()).send();

    assertRefused(lone, 400, "ADM400", "body", "body/name must NOT contain an unpaired surrogate (\\ud800)");
    assertThat(paired.status()).as(paired.toString()).isEqualTo(201);
    assertThat(paired.data().getString("name")).isEqualTo("Paired \ud83d\ude00");
    assertThat(query.status()).as("a malformed UTF-8 query value decodes to U+FFFD, which is stored as it is")
        .isEqualTo(200);
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("nulInJsonStrings")
  void aNulInAJsonStringIsRefusedNamingTheField(HttpMethod method, String path, String json, String code,
      String field) {
    Reply reply = engine.admin(method, path).apiKey(owner.apiKey()).json(json);

    assertRefused(reply, 400, code, "body", field);
  }

  @Test
  void aNulOnTheEventBusGetsAFailureReplyNamingTheField() {
    Throwable failure = catchThrowable(() -> TestEngine.await(engine.app.vertx().eventBus().request("callback.events",
        new JsonObject().put("sid", owner.sid()).put("event", "SMS-sent").put("id", "bus\u0000id"))));

    assertThat(failure).isInstanceOfSatisfying(ReplyException.class, e -> {
      assertThat(e.failureCode()).isEqualTo(400);
      assertThat(e.getMessage()).isEqualTo("body/id must NOT contain the NUL character (\\u0000)");
    });
  }

  @Test
  void aMalformedQueryEscapeIsA400NamingTheQueryOnEveryRouteFamily() {
    Reply adminList = engine.admin(HttpMethod.GET, "/admin/accounts?a=%zz").send();
    Reply adminLimit = engine.admin(HttpMethod.GET, "/admin/accounts?limit=%").send();
    Reply profile = engine.request(HttpMethod.GET, "/v1/" + owner.sid() + "/callback/profiles/" + profileId + "?a=%zz")
        .apiKey(owner.apiKey()).send();

    for (Reply reply : new Reply[] {adminList, adminLimit, profile}) {
      assertRefused(reply, 400, reply == profile ? "RBC302" : "ADM400", "query", "query must be valid percent-encoding");
      assertThat(reply.body().getString("message")).as("the message is the first error's text")
          .isEqualTo(reply.body().getJsonArray("error").getJsonObject(0).getString("query"));
    }
  }

  @Test
  void aMalformedPathEscapeIsA400InTheEnvelope() {
    Reply reply = engine.request(HttpMethod.GET, "/v1/" + owner.sid() + "/callback/profiles/%zz")
        .apiKey(owner.apiKey()).send();

    assertRefused(reply, 400, "RBC302", "params", "path must be valid percent-encoding");
  }

  @Test
  void aFormBodyOnAGetIsRefusedWith415NotDecoded() {
    Reply reply = engine.request(HttpMethod.GET, "/v1/" + owner.sid() + "/callback/profiles/" + profileId)
        .apiKey(owner.apiKey()).raw("application/x-www-form-urlencoded", Buffer.buffer("a=1"));

    assertRefused(reply, 415, "RBC302", "headers", "application/x-www-form-urlencoded");
  }

  Stream<Object[]> actionRoutes() {
    return Stream.of(
        new Object[] {"/v1/" + owner.sid() + "/callback/profiles/" + profileId + "/signing-secret/rotate", "RBC302"},
        new Object[] {"/admin/accounts/" + owner.sid() + "/api-keys", "ADM400"},
        new Object[] {"/v1/" + owner.sid() + "/callback/deliveries/msg_0123456789abcdef0123456789abcdef/retry", "DLV400"});
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("actionRoutes")
  void aMultipartBodyOnAnActionRouteIs415(String path, String code) {
    Reply reply = engine.admin(HttpMethod.POST, path).apiKey(owner.apiKey())
        .raw("multipart/form-data; boundary=XyZ", Buffer.buffer("--XyZ\r\nContent-Disposition: form-data; name=\"a\""
            + "\r\n\r\n1\r\n--XyZ--\r\n"));

    assertRefused(reply, 415, code, "headers", "multipart/form-data");
  }

  @Test
  void jsonWithCommentsOrDuplicateKeysIsRefusedAndChangesNothing() {
    String path = "/v1/" + owner.sid() + "/callback/profiles/" + profileId;
    Reply comment = engine.request(HttpMethod.PATCH, path).apiKey(owner.apiKey())
        .json("{/* renamed */ \"title\": \"Commented title\"}");
    Reply duplicate = engine.request(HttpMethod.PATCH, path).apiKey(owner.apiKey())
        .json("{\"title\": \"First title\", \"title\": \"Second title\"}");

    assertRefused(comment, 400, "RBC302", "body", "body must be valid JSON");
    assertRefused(duplicate, 400, "RBC302", "body", "Duplicate field 'title'");
    assertThat(engine.request(HttpMethod.GET, path).apiKey(owner.apiKey()).send().data().getString("title"))
        .isEqualTo("Probe target");
  }

  @Test
  void aCharsetOtherThanUtf8Is415AndUtf8IsAccepted() {
    String path = "/v1/" + owner.sid() + "/callback/profiles/" + profileId;
    Reply utf16 = engine.request(HttpMethod.PATCH, path).apiKey(owner.apiKey())
        .raw("application/json; charset=utf-16", Buffer.buffer("{\"title\": \"Probe target\"}"));
    Reply utf8 = engine.request(HttpMethod.PATCH, path).apiKey(owner.apiKey())
        .raw("application/json; charset=\"UTF-8\"", Buffer.buffer("{\"title\": \"Probe target\"}"));

    assertRefused(utf16, 415, "RBC302", "headers", "charset must be utf-8");
    assertThat(utf8.status()).as(utf8.toString()).isEqualTo(200);
  }

  /** Registration refuses what the dispatcher could never send to: one URL rule for both ({@code CallbackUrl}). */
  Stream<Object[]> unsendableUrls() {
    return Stream.of(
        new Object[] {"https://example.com:99999/cb", "must have a port from 1 to 65535"},
        new Object[] {"https://example.com:0/cb", "must have a port from 1 to 65535"},
        new Object[] {"http://\u2460\u2461\u2466.0.0.1/cb", "must name its host as an ASCII host name"},
        new Object[] {"http://127\u30020\u30020\u30021/cb", "must name its host as an ASCII host name"},
        new Object[] {"https://b\u00fccher.example/cb", "must name its host as an ASCII host name"},
        new Object[] {"https://under_score.example.com/cb", "must name its host as an ASCII host name"});
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unsendableUrls")
  void aUrlTheDispatcherCouldNotSendToIsRefusedAtRegistration(String url, String message) {
    Reply reply = engine.request(HttpMethod.POST, "/v1/" + owner.sid() + "/callback/profiles")
        .apiKey(owner.apiKey()).json(ProfileApiIT.minimal("Unsendable").put("url", url));

    assertRefused(reply, 400, "RBC302", "body", "body/url " + message);
  }

  @Test
  void anIdnHostInItsAsciiFormIsAccepted() {
    Reply reply = engine.request(HttpMethod.POST, "/v1/" + owner.sid() + "/callback/profiles")
        .apiKey(owner.apiKey()).json(ProfileApiIT.minimal("Punycode host").put("url", "https://xn--bcher-kva.example/cb"));

    assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
  }

  @Test
  void anOverlongRequestLineOrHeaderGetsItsStatusInTheEnvelope() {
    Reply longLine = engine.request(HttpMethod.GET, "/v1/" + owner.sid() + "/callback/profiles?x=" + "a".repeat(9000))
        .apiKey(owner.apiKey()).send();
    Reply bigHeader = engine.request(HttpMethod.GET, "/v1/" + owner.sid() + "/callback/profiles")
        .apiKey(owner.apiKey()).header("x-large", "a".repeat(20_000)).send();

    assertRefused(longLine, 414, "GEN400", "params", "request line");
    assertRefused(bigHeader, 431, "GEN400", "headers", "request headers");
  }
}
