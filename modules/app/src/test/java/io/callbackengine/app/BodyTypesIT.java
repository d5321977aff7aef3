package io.callbackengine.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.callbackengine.app.Receiver.Arrival;
import io.callbackengine.app.TestEngine.Reply;
import io.callbackengine.app.TestEngine.TestAccount;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * XML, HTML, text and urlencoded bodies end to end (API.md §13): what the receiver parses is what the event held,
 * encrypted placeholders decrypt with openssl, the signature covers the bytes received, and the API shows the
 * template as it was written.
 */
class BodyTypesIT {

  private static final Duration WITHIN = Duration.ofSeconds(15);
  private static final String HOSTILE = "<&>\"' and ]]> and \u00e9\u20ac\ud83d\ude00";
  private static TestEngine engine;
  private static Receiver receiver;
  private TestAccount account;

  @BeforeAll
  static void start() {
    String schema = TestEngine.freshSchema(BodyTypesIT.class);
    engine = TestEngine.start(schema, TestEngine.dispatchEnvironment(schema));
    receiver = Receiver.start();
  }

  @AfterAll
  static void stop() {
    engine.close();
    receiver.close();
  }

  @BeforeEach
  void freshAccount() {
    receiver.arrivals.clear();
    account = engine.createAccount("Bodies " + System.nanoTime());
  }

  private JsonObject profile(JsonObject fields) {
    return engine.createProfile(account, fields.put("http_method", "POST").put("channel", "sms")
        .put("events", "SMS-sent").put("url", receiver.url("/bodies")));
  }

  private Arrival publishAndReceive(JsonObject data) {
    assertThat(engine.publish(account, new JsonObject().put("event", "SMS-sent").put("data", data)).status())
        .isEqualTo(202);
    return receiver.awaitArrivals(1, WITHIN).get(0);
  }

  @Test
  void anXmlBodyParsesWithTheOriginalValuesAndItsEncryptedPlaceholderDecryptsWithOpenssl() throws Exception {
    String template = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sms id=\"<event_id>\"><to><phone></to>"
        + "<text><message></text><code><otp></code><status>as written</status><br/></sms>";
    JsonObject created = profile(new JsonObject().put("title", "XML receiver").put("body_type", "xml")
        .put("body", template)
        .put("replacers", new JsonObject().put("phone", "recipient").put("message", "text").put("otp", "code"))
        .put("enc", new JsonObject().put("algo", "AES-128-CFB").put("key", "K1xxxxxxxxxxxx2P")
            .put("IV", "POxxxxxxxxxxxxLY").put("params", new JsonArray().add("otp"))));

    assertThat(created.getString("body_type")).isEqualTo("xml");
    assertThat(created.getString("body")).isEqualTo(template);
    assertThat(created.getJsonObject("replacers")).isEqualTo(new JsonObject().put("event_id", "event_id")
        .put("phone", "recipient").put("message", "text").put("otp", "code"));

    Arrival arrival = publishAndReceive(new JsonObject().put("recipient", "+91 98").put("text", HOSTILE)
        .put("code", "one-time-code 1234").put("status", "not a placeholder"));

    assertThat(arrival.header("Content-Type")).isEqualTo("application/xml; charset=utf-8");
    Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(arrival.body().getBytes()));
    assertThat(text(xml, "to")).isEqualTo("+91 98");
    assertThat(text(xml, "text")).isEqualTo(HOSTILE);
    assertThat(text(xml, "status")).isEqualTo("as written");
    assertThat(xml.getDocumentElement().getAttribute("id")).startsWith("evt_");
    assertThat(DeliveryIT.openssl(text(xml, "code"), "K1xxxxxxxxxxxx2P", "POxxxxxxxxxxxxLY")).isEqualTo("one-time-code 1234");
    assertSigned(arrival, created);
  }

  @Test
  void htmlAndTextBodiesCarryTheirContentTypeUnlessTheHeadersSetOne() {
    profile(new JsonObject().put("title", "HTML receiver").put("body_type", "html")
        .put("body", "<p>Status: <b><status></b></p>").put("replacers", new JsonObject().put("status", "status")));
    Arrival html = publishAndReceive(new JsonObject().put("status", "<script>'x'</script>"));
    assertThat(html.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
    assertThat(html.body().toString(StandardCharsets.UTF_8))
        .isEqualTo("<p>Status: <b>&lt;script&gt;&#39;x&#39;&lt;/script&gt;</b></p>");

    receiver.arrivals.clear();
    account = engine.createAccount("Bodies text " + System.nanoTime());
    profile(new JsonObject().put("title", "Text receiver").put("body_type", "text")
        .put("headers", new JsonObject().put("Content-Type", "text/x-sms"))
        .put("body", "<sid> says <status> & <unknown>").put("replacers", new JsonObject().put("status", "status")));
    Arrival text = publishAndReceive(new JsonObject().put("status", "<DELIVRD & ok>"));
    assertThat(text.header("Content-Type")).isEqualTo("text/x-sms");
    assertThat(text.body().toString(StandardCharsets.UTF_8)).isEqualTo(account.sid() + " says <DELIVRD & ok> & <unknown>");
  }

  @Test
  void aUrlencodedBodyIsAFormWithOneFieldPerMemberAndItsEncryptedFieldDecrypts() throws Exception {
    JsonObject created = profile(new JsonObject().put("title", "Form receiver").put("body_type", "urlencoded")
        .put("body", new JsonObject().put("to", "<recipient>").put("text", "<text>").put("n", "<n>").put("code", "<code>"))
        .put("enc", new JsonObject().put("algo", "AES-128-GCM").put("key", "0123456789abcdef")
            .put("IV", "fedcba9876543210").put("params", new JsonArray().add("code"))));

    Arrival arrival = publishAndReceive(new JsonObject().put("recipient", "+91 98").put("text", HOSTILE + " a=b&c")
        .put("n", 7).put("code", "1234"));

    assertThat(arrival.header("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
    Map<String, String> form = Receiver.formFields(arrival.body().toString(StandardCharsets.UTF_8));
    assertThat(form).containsEntry("to", "+91 98").containsEntry("text", HOSTILE + " a=b&c").containsEntry("n", "7");
    assertThat(DeliveryIT.decryptGcm(form.get("code"), "0123456789abcdef", "fedcba9876543210")).isEqualTo("1234");
    assertSigned(arrival, created);
  }

  @Test
  void theTemplateIsShownAsWrittenAndABodyTypeIsRefusedForGet() {
    Reply get = engine.request(HttpMethod.POST, "/v1/" + account.sid() + "/callback/profiles").apiKey(account.apiKey())
        .json(new JsonObject().put("title", "GET xml").put("http_method", "GET").put("url", receiver.url("/g"))
            .put("body_type", "xml").put("body", "<r/>"));
    assertThat(get.status()).isEqualTo(400);
    assertThat(get.body().getString("message"))
        .isEqualTo("body/body_type must be null for GET profiles: their rendered body is sent as query parameters");

    JsonObject created = profile(new JsonObject().put("title", "Listed xml").put("body_type", "xml").put("body", "<r/>"));
    Reply listed = engine.request(HttpMethod.GET, "/v1/" + account.sid() + "/callback/profiles").apiKey(account.apiKey())
        .send();
    JsonObject shown = listed.data().getJsonArray("profiles").getJsonObject(0);
    assertThat(shown.getString("body")).isEqualTo("<r/>");
    assertThat(shown.getString("body_type")).isEqualTo("xml");
    assertThat(shown.getValue("auth")).isNull();
    assertThat(created.getString("profile_id")).isEqualTo(shown.getString("profile_id"));
  }

  private static void assertSigned(Arrival arrival, JsonObject profile) throws Exception {
    String id = arrival.header("webhook-id");
    String timestamp = arrival.header("webhook-timestamp");
    assertThat(arrival.header("webhook-signature")).isEqualTo("v1," + DeliveryIT.hmac(profile.getString("signing_secret"),
        id + "." + timestamp + "." + arrival.body().toString(StandardCharsets.UTF_8)));
  }

  private static String text(Document xml, String element) {
    return xml.getElementsByTagName(element).item(0).getTextContent();
  }
}
