package io.callbackengine.app;

import static io.vertx.core.http.HttpMethod.POST;
import static org.assertj.core.api.Assertions.assertThat;

import io.callbackengine.app.TestEngine.Reply;
import io.callbackengine.app.TestEngine.TestAccount;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rule of API.md §4's field table, through the real HTTP API: each bad request gets 400 {@code RBC302} with the
 * JSON-schema style message the Kaleyra sample uses, and all its problems listed.
 */
class ProfileValidationIT {

  private static TestEngine engine;
  private static TestAccount account;

  @BeforeAll
  static void start() {
    engine = TestEngine.start(TestEngine.freshSchema(ProfileValidationIT.class));
    account = engine.createAccount("Validation");
  }

  @AfterAll
  static void stop() {
    engine.close();
  }

  static JsonObject valid() {
    return new JsonObject().put("title", "Valid title").put("http_method", "POST").put("url", "https://example.com/cb")
        .put("body", new JsonObject().put("status", "<status>"));
  }

  static Arguments rule(String change, UnaryOperator<JsonObject> edit, String message) {
    return Arguments.of(change, edit, message);
  }

  static Stream<Arguments> rules() {
    String longUrl = "https://example.com/" + "a".repeat(2048);
    return Stream.of(
        rule("no title", b -> { b.remove("title"); return b; }, "body must have required property 'title'"),
        rule("no http_method", b -> { b.remove("http_method"); return b; }, "body must have required property 'http_method'"),
        rule("no url", b -> { b.remove("url"); return b; }, "body must have required property 'url'"),
        rule("title too short", b -> b.put("title", "ab"), "body/title must NOT have fewer than 3 characters"),
        rule("title too long", b -> b.put("title", "a".repeat(101)), "body/title must NOT have more than 100 characters"),
        rule("title with symbols", b -> b.put("title", "bad/title!"),
            "body/title must contain only letters, digits, spaces, '-' and '_', and at least one letter or digit"),
        rule("title of spaces", b -> b.put("title", "   "),
            "body/title must contain only letters, digits, spaces, '-' and '_', and at least one letter or digit"),
        rule("title not a string", b -> b.put("title", 42), "body/title must be string"),
        rule("unknown method", b -> b.put("http_method", "TRACE"),
            "body/http_method must be equal to one of the allowed values: GET, POST, PUT, PATCH, DELETE"),
        rule("lower-case method", b -> b.put("http_method", "post"),
            "body/http_method must be equal to one of the allowed values: GET, POST, PUT, PATCH, DELETE"),
        rule("relative url", b -> b.put("url", "/callback"), "body/url must be an absolute URL with scheme http or https"),
        rule("ftp url", b -> b.put("url", "ftp://example.com/x"), "body/url must be an absolute URL with scheme http or https"),
        rule("url with spaces", b -> b.put("url", "https://exa mple.com/"), "body/url must be a valid absolute http or https URL"),
        rule("url too long", b -> b.put("url", longUrl), "body/url must NOT have more than 2048 characters"),
        rule("url not a string", b -> b.put("url", new JsonObject()), "body/url must be string"),
        rule("body not JSON text", b -> b.put("body", "not json"), "body/body must be a JSON object or a string holding one"),
        rule("body an array", b -> b.put("body", new JsonArray()), "body/body must be object or string"),
        rule("body too large", b -> b.put("body", new JsonObject().put("x", "y".repeat(64 * 1024))),
            "body/body must NOT be larger than 65536 bytes"),
        rule("POST without body", b -> { b.remove("body"); return b; }, "body must have required property 'body'"),
        rule("POST with null body", b -> b.put("body", null), "body/body must NOT be null when http_method is POST"),
        rule("headers a number", b -> b.put("headers", 5), "body/headers must be object or string"),
        rule("header value a number", b -> b.put("headers", new JsonObject().put("X-A", 1)), "body/headers/X-A must be string"),
        rule("header name not a token", b -> b.put("headers", new JsonObject().put("Bad Name", "v")),
            "body/headers must have property names that are HTTP header tokens, not 'Bad Name'"),
        rule("Host header", b -> b.put("headers", new JsonObject().put("Host", "evil")),
            "body/headers/Host is set by the engine and cannot be configured"),
        rule("webhook-* header", b -> b.put("headers", new JsonObject().put("Webhook-Signature", "x")),
            "body/headers/Webhook-Signature is set by the engine and cannot be configured"),
        rule("Transfer-Encoding header", b -> b.put("headers", new JsonObject().put("transfer-encoding", "chunked")),
            "body/headers/transfer-encoding is set by the engine and cannot be configured"),
        rule("CRLF in a header", b -> b.put("headers", new JsonObject().put("X-A", "a\r\nX-Injected: 1")),
            "body/headers/X-A must NOT contain CR, LF or NUL characters"),
        rule("33 headers", ProfileValidationIT::thirtyThreeHeaders, "body/headers must NOT have more than 32 properties"),
        rule("response_message too long", b -> b.put("response_message", "m".repeat(1025)),
            "body/response_message must NOT have more than 1024 characters"),
        rule("enc a string", b -> b.put("enc", "AES"), "body/enc must be object"),
        rule("enc without algo", b -> b.put("enc", new JsonObject().put("key", "k".repeat(16))),
            "body/enc must have required property 'algo'"),
        rule("enc unknown algo", b -> b.put("enc", new JsonObject().put("algo", "DES").put("key", "k".repeat(16))),
            "body/enc/algo must be equal to one of the allowed values: AES-128-CFB, AES-192-CFB, AES-256-CFB, "
                + "AES-128-GCM, AES-192-GCM, AES-256-GCM"),
        rule("enc key of the wrong size", b -> b.put("enc", new JsonObject().put("algo", "AES-256-GCM").put("key", "k".repeat(16))),
            "body/enc/key must be 32 bytes long (UTF-8) for AES-256-GCM"),
        rule("enc IV of the wrong size", b -> b.put("enc", new JsonObject().put("algo", "AES-128-CFB").put("key", "k".repeat(16))
            .put("IV", "short")), "body/enc/IV must be 16 bytes long (UTF-8)"),
        rule("enc unknown field", b -> b.put("enc", new JsonObject().put("algo", "AES-128-CFB").put("key", "k".repeat(16))
            .put("mode", "x")), "body/enc must NOT have additional property 'mode'"),
        rule("enc params not an array", b -> b.put("enc", new JsonObject().put("algo", "AES-128-CFB").put("key", "k".repeat(16))
            .put("params", "status")), "body/enc/params must be array"),
        rule("unknown channel", b -> b.put("channel", "fax"),
            "body/channel must be equal to one of the allowed values: sms, Default - No Channel Selected"),
        rule("sms without events", b -> b.put("channel", "sms"), "body must have required property 'events'"),
        rule("sms with null events", b -> b.put("channel", "sms").put("events", null), "body/events must NOT be null when channel is sms"),
        rule("empty events", b -> b.put("events", new JsonArray()), "body/events must NOT have fewer than 1 items"),
        rule("event name with spaces", b -> b.put("events", new JsonArray().add("SMS sent")),
            "body/events/0 must match pattern \"[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}\""),
        rule("events an object", b -> b.put("events", new JsonObject()), "body/events must be array"),
        rule("dynamic_variables a number", b -> b.put("dynamic_variables", 3), "body/dynamic_variables must be object or string"),
        rule("replacer path invalid", b -> b.put("replacers", new JsonObject().put("phone", "a..b")),
            "body/replacers/phone must be a path into the event data such as 'status', 'address.city' or 'parts[0]'"),
        rule("replacer name invalid", b -> b.put("replacers", new JsonObject().put("1x", "a")),
            "body/replacers must have property names that are placeholder names such as 'phone' or 'address.city', not '1x'"),
        rule("status on create", b -> b.put("status", 1), "body must NOT have additional property 'status'"),
        rule("unknown field", b -> b.put("colour", "red"), "body must NOT have additional property 'colour'"));
  }

  private static JsonObject thirtyThreeHeaders(JsonObject body) {
    JsonObject headers = new JsonObject();
    for (int i = 0; i < 33; i++) {
      headers.put("X-H" + i, "v");
    }
    return body.put("headers", headers);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void refuses(String change, UnaryOperator<JsonObject> edit, String message) {
    Reply reply = create(edit.apply(valid()));

    assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
    JsonObject body = reply.body();
    assertThat(body.getString("code")).isEqualTo("RBC302");
    assertThat(body.getString("message")).isEqualTo(message);
    assertThat(body.getJsonObject("data")).isEqualTo(new JsonObject());
    assertThat(body.getJsonArray("error").getJsonObject(0)).isEqualTo(new JsonObject().put("body", message));
    assertThat(body.getInteger("status")).isEqualTo(400);
  }

  static Stream<String> blockedUrls() {
    return Stream.of("http://127.0.0.1/cb", "http://127.1/", "http://2130706433/", "http://0x7f000001/",
        "http://0177.0.0.1/", "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:7f00:1]/",
        "http://169.254.169.254/latest/meta-data", "http://10.0.0.1/", "http://172.16.0.1/", "http://192.168.1.1/",
        "http://100.64.0.1/", "http://0.0.0.0/", "http://224.0.0.1/", "http://255.255.255.255/", "http://[fd00::1]/",
        "http://[fe80::1]/", "http://localhost:8080/cb", "http://api.localhost/", "https://user:pw@127.0.0.1/");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("blockedUrls")
  void refusesUrlsAimedAtBlockedAddresses(String url) {
    Reply reply = create(valid().put("url", url));

    assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
    assertThat(reply.body().getString("message")).startsWith("body/url must not point to a blocked address (");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("acceptedUrls")
  void acceptsPublicUrlsAndPlaceholders(String url) {
    Reply reply = create(valid().put("title", "Accepted " + Math.abs(url.hashCode())).put("url", url));

    assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
    assertThat(reply.data().getString("url")).isEqualTo(url);
  }

  static Stream<String> acceptedUrls() {
    return Stream.of("https://example.com/cb", "http://93.184.216.34:8080/x", "https://[2606:4700::1111]/",
        "https://hooks.example.com/<account>/sms?status=<status>", "https://<tenant>.example.com/cb");
  }

  @Test
  void listsEveryProblemAndLeadsWithTheFirst() {
    Reply reply = create(new JsonObject().put("title", "x").put("http_method", "GO").put("url", 5).put("extra", true));

    assertThat(reply.status()).isEqualTo(400);
    List<String> messages = reply.body().getJsonArray("error").stream()
        .map(e -> ((JsonObject) e).getString("body")).toList();
    assertThat(messages).containsExactlyInAnyOrder(
        "body must NOT have additional property 'extra'",
        "body/title must NOT have fewer than 3 characters",
        "body/http_method must be equal to one of the allowed values: GET, POST, PUT, PATCH, DELETE",
        "body/url must be string");
    assertThat(reply.body().getString("message")).isEqualTo(messages.get(0));
  }

  private Reply create(JsonObject body) {
    return engine.request(POST, "/v1/" + account.sid() + "/callback/profiles").apiKey(account.apiKey()).json(body);
  }
}
