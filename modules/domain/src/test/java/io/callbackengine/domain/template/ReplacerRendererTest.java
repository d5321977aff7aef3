package io.callbackengine.domain.template;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ReplacerRendererTest {

  private final ReplacerRenderer renderer = new ReplacerRenderer();

  private static final JsonObject DATA = new JsonObject()
      .put("text", "delivered")
      .put("int", 42)
      .put("decimal", 2.5)
      .put("flag", false)
      .put("nothing", (Object) null)
      .put("object", new JsonObject().put("city", "Pune").put("zip", 411001))
      .put("array", new JsonArray().add(1).add("two"))
      .put("recipient", "+91 98765&43210")
      .put("unicode", "héllo wörld ✓ 😀")
      .put("reserved", ":/?#[]@!$&'()*+,;=%");

  private static final Map<String, String> BUILT_INS = Map.of(
      "event", "SMS-sent", "event_id", "ev_1", "profile_id", "SG_p", "sid", "HX123456789IN",
      "timestamp", "2024-01-02T03:04:05.678Z");

  private static final EventVariables VARIABLES = new EventVariables(DATA, BUILT_INS);

  private RenderedCallback renderBody(JsonObject body) {
    return renderer.render(template("https://example.com", Map.of(), body, null, Map.of(), null), VARIABLES);
  }

  private static CallbackTemplate template(String url, Map<String, String> headers, JsonObject body,
      String message, Map<String, String> replacers, JsonObject dynamicVariables) {
    return new CallbackTemplate(url, headers, body, message, replacers, dynamicVariables);
  }

  static Stream<Arguments> wholeValues() {
    return Stream.of(
        Arguments.of("<text>", "delivered"),
        Arguments.of("<int>", 42),
        Arguments.of("<decimal>", 2.5),
        Arguments.of("<flag>", false),
        Arguments.of("<nothing>", null),
        Arguments.of("<object>", new JsonObject().put("city", "Pune").put("zip", 411001)),
        Arguments.of("<array>", new JsonArray().add(1).add("two")),
        Arguments.of("<object.zip>", 411001),
        Arguments.of("<array[1]>", "two"),
        Arguments.of("<event>", "SMS-sent"),
        Arguments.of("<unknown>", ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wholeValues")
  void wholeValuePlaceholderKeepsTheJsonType(String placeholder, Object expected) {
    JsonObject body = renderBody(new JsonObject().put("v", placeholder)).body();
    assertThat(body.containsKey("v")).isTrue();
    assertThat(body.getValue("v")).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "s=<text>                | s=delivered",
    "n=<int>                 | n=42",
    "d=<decimal>             | d=2.5",
    "b=<flag>                | b=false",
    "null=<nothing>.         | null=.",
    "o=<object>              | o={\"city\":\"Pune\",\"zip\":411001}",
    "a=<array>               | a=[1,\"two\"]",
    "<text> and <int>        | delivered and 42",
    "<text><text>            | delivereddelivered",
    "[<unknown>]             | []",
    "' <text>'               | ' delivered'",
    "<1abc> < x> <a..b> <text> | <1abc> < x> <a..b> delivered",
    "<<text>>                | <delivered>",
    "no placeholder <        | no placeholder <",
    "<b>bold?</b>            | bold?</b>",
  })
  void placeholderInsideLongerTextIsInsertedAsText(String template, String expected) {
    assertThat(renderBody(new JsonObject().put("v", template)).body().getString("v")).isEqualTo(expected);
  }

  @Test
  void invalidPlaceholderAloneStaysLiteral() {
    JsonObject body = renderBody(new JsonObject().put("a", "<1abc>").put("b", "< x>").put("c", "<a..b>")).body();
    assertThat(body).isEqualTo(new JsonObject().put("a", "<1abc>").put("b", "< x>").put("c", "<a..b>"));
  }

  @Test
  void rendersNestedObjectsAndArraysButNeverKeys() {
    JsonObject template = new JsonObject()
        .put("<text>", "<int>")
        .put("nested", new JsonObject().put("<flag>", new JsonArray().add("<text>").add("id <event_id>").add(7).addNull()))
        .put("same", true);
    JsonObject body = renderBody(template).body();
    assertThat(body).isEqualTo(new JsonObject()
        .put("<text>", 42)
        .put("nested", new JsonObject().put("<flag>", new JsonArray().add("delivered").add("id ev_1").add(7).addNull()))
        .put("same", true));
  }

  @Test
  void rendersPlainMapsAndListsInsideTheTemplate() {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("list", java.util.List.of("<int>", "x"));
    JsonObject template = new JsonObject().put("m", nested);
    assertThat(renderBody(template).body())
        .isEqualTo(new JsonObject().put("m", new JsonObject().put("list", new JsonArray().add(42).add("x"))));
  }

  @Test
  void neverMutatesTheTemplateAndSharesNothingMutable() {
    JsonObject template = new JsonObject()
        .put("whole", "<object>")
        .put("nested", new JsonObject().put("list", new JsonArray().add("<text>")))
        .put("fixed", new JsonObject().put("k", "v"));
    JsonObject before = template.copy();
    JsonObject body = renderBody(template).body();
    assertThat(template).isEqualTo(before);
    assertThat(body.getJsonObject("nested")).isNotSameAs(template.getJsonObject("nested"));
    assertThat(body.getJsonObject("fixed")).isNotSameAs(template.getJsonObject("fixed"));

    body.getJsonObject("whole").put("city", "changed");
    body.getJsonObject("fixed").put("k", "changed");
    assertThat(DATA.getJsonObject("object").getString("city")).isEqualTo("Pune");
    assertThat(template).isEqualTo(before);
  }

  @Test
  void keepsBodyMemberOrder() {
    JsonObject template = new JsonObject().put("z", "<int>").put("a", "<text>").put("m", 1);
    assertThat(renderBody(template).body().fieldNames()).containsExactly("z", "a", "m");
  }

  @Test
  void reusesStringsWithoutPlaceholders() {
    String plain = new String("no placeholders at all");
    assertThat(renderBody(new JsonObject().put("v", plain)).body().getValue("v")).isSameAs(plain);
    String url = new String("https://example.com/plain");
    assertThat(renderer.render(template(url, Map.of(), null, null, Map.of(), null), VARIABLES).url()).isSameAs(url);
  }

  @Test
  void nullBodyAndMessageStayNull() {
    RenderedCallback rendered = renderer.render(template("https://x", Map.of(), null, null, Map.of(), null), VARIABLES);
    assertThat(rendered.body()).isNull();
    assertThat(rendered.responseMessage()).isNull();
    assertThat(rendered.headers()).isEmpty();
    assertThat(rendered.unknownPlaceholders()).isEmpty();
  }

  @Test
  void unknownPlaceholdersRenderEmptyAndAreNotedInOrderOnce() {
    CallbackTemplate template = template(
        "https://x/<u1>/<text>",
        Map.of("H", "<u2><u1>"),
        new JsonObject().put("a", "<u3>").put("b", "x<u2>y").put("c", new JsonArray().add("<u4>")),
        "<u5> <u3>",
        Map.of(),
        null);
    RenderedCallback rendered = renderer.render(template, VARIABLES);
    assertThat(rendered.url()).isEqualTo("https://x//delivered");
    assertThat(rendered.headers()).containsEntry("H", "");
    assertThat(rendered.body()).isEqualTo(new JsonObject().put("a", "").put("b", "xy").put("c", new JsonArray().add("")));
    assertThat(rendered.responseMessage()).isEqualTo(" ");
    assertThat(rendered.unknownPlaceholders()).containsExactly("u1", "u2", "u3", "u4", "u5");
  }

  @Test
  void presentNullIsNotUnknown() {
    RenderedCallback rendered = renderBody(new JsonObject().put("a", "<nothing>").put("b", "[<nothing>]"));
    assertThat(rendered.body()).isEqualTo(new JsonObject().put("a", null).put("b", "[]"));
    assertThat(rendered.unknownPlaceholders()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    // placeholder | data              | dynamic_variables     | replacers             | built-in sid | expected
    "<phone>       | recipient=R       | phone=D               | phone=recipient        | S | R",
    "<phone>       | phone=P           | phone=D               | phone=recipient        | S | ''",
    "<phone>       | phone=P           | recipient=DR          | phone=recipient        | S | DR",
    "<phone>       | phone=P           | x=1                   | phone=recipient        | S | ''",
    "<phone>       | phone=P           | phone=D               | ''                     | S | P",
    "<phone>       | x=1               | phone=D               | ''                     | S | D",
    "<sid>         | sid=DATA          | sid=D                 | ''                     | S | DATA",
    "<sid>         | x=1               | sid=D                 | ''                     | S | D",
    "<sid>         | x=1               | x=1                   | ''                     | S | S",
    "<when>        | x=1               | x=1                   | when=sid               | S | S",
    "<sid>         | x=1               | x=1                   | sid=account            | S | ''",
    "<bad>         | x=1               | x=1                   | bad=1abc               | S | ''",
  })
  void looksUpMappingThenDataThenDynamicVariablesThenBuiltIns(String placeholder, String data, String dynamic,
      String replacers, String sid, String expected) {
    CallbackTemplate template = template("https://x", Map.of(), new JsonObject().put("v", placeholder), null,
        pairs(replacers), new JsonObject(new LinkedHashMap<>(pairs(dynamic))));
    EventVariables variables = new EventVariables(new JsonObject(new LinkedHashMap<>(pairs(data))), Map.of("sid", sid));
    RenderedCallback rendered = renderer.render(template, variables);
    assertThat(rendered.body().getValue("v")).isEqualTo(expected);
    assertThat(rendered.unknownPlaceholders().isEmpty()).isEqualTo(!expected.isEmpty());
  }

  @Test
  void mappedPathsReachIntoNestedDataAndDynamicVariables() {
    CallbackTemplate template = template("https://x", Map.of(),
        new JsonObject().put("city", "<city>").put("region", "<region>"), null,
        Map.of("city", "object.city", "region", "regions[1]"),
        new JsonObject().put("regions", new JsonArray().add("north").add("west")));
    assertThat(renderer.render(template, VARIABLES).body())
        .isEqualTo(new JsonObject().put("city", "Pune").put("region", "west"));
  }

  @Test
  void allBuiltInsAreAvailable() {
    CallbackTemplate template = template("https://x", Map.of(), null,
        "<event>|<event_id>|<profile_id>|<sid>|<timestamp>", Map.of(), null);
    assertThat(renderer.render(template, new EventVariables(null, BUILT_INS)).responseMessage())
        .isEqualTo("SMS-sent|ev_1|SG_p|HX123456789IN|2024-01-02T03:04:05.678Z");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "https://x/cb?to=<recipient>       | https://x/cb?to=%2B91%2098765%2643210",
    "https://x/<unicode>               | https://x/h%C3%A9llo%20w%C3%B6rld%20%E2%9C%93%20%F0%9F%98%80",
    "https://x/q?r=<reserved>          | https://x/q?r=%3A%2F%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D%25",
    "https://x/<int>/<flag>/<decimal>  | https://x/42/false/2.5",
    "https://x/?o=<object>             | https://x/?o=%7B%22city%22%3A%22Pune%22%2C%22zip%22%3A411001%7D",
    "https://x/?n=<nothing>&u=<nope>   | https://x/?n=&u=",
    "https://x/a b?c=d&e=<text>#f      | https://x/a b?c=d&e=delivered#f",
    "https://x/<sid>/~safe-._          | https://x/HX123456789IN/~safe-._",
  })
  void percentEncodesSubstitutedValuesInTheUrl(String url, String expected) {
    assertThat(renderer.render(template(url, Map.of(), null, null, Map.of(), null), VARIABLES).url())
        .isEqualTo(expected);
  }

  @Test
  void aValueWithSpaceAndAmpersandIsEncodedInTheUrl() {
    EventVariables variables = new EventVariables(new JsonObject().put("q", "a b&c"), Map.of());
    assertThat(renderer.render(template("https://x/?q=<q>", Map.of(), null, null, Map.of(), null), variables).url())
        .isEqualTo("https://x/?q=a%20b%26c");
  }

  @Test
  void stripsCrAndLfFromHeaderValuesAndKeepsHeaderOrderAndNames() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-Z", "static");
    headers.put("X-<text>", "v=<evil>;");
    headers.put("X-Obj", "<object>");
    EventVariables variables = new EventVariables(
        DATA.copy().put("evil", "1\r\nSet-Cookie: a=b\n\rx"), Map.of());
    RenderedCallback rendered = renderer.render(template("https://x", headers, null, null, Map.of(), null), variables);
    assertThat(rendered.headers()).containsExactly(
        Map.entry("X-Z", "static"),
        Map.entry("X-<text>", "v=1Set-Cookie: a=bx;"),
        Map.entry("X-Obj", "{\"city\":\"Pune\",\"zip\":411001}"));
  }

  @Test
  void rendersResponseMessageAsText() {
    CallbackTemplate template = template("https://x", Map.of(), null,
        "Message <event_id> is <text> (<int>, <flag>, <array>)", Map.of(), null);
    assertThat(renderer.render(template, VARIABLES).responseMessage())
        .isEqualTo("Message ev_1 is delivered (42, false, [1,\"two\"])");
  }

  @Test
  void canRenderOneTemplateManyTimes() {
    CallbackTemplate template = template("https://x/<k>", Map.of(), new JsonObject().put("k", "<k>"), null, Map.of(), null);
    for (int i = 0; i < 3; i++) {
      EventVariables variables = new EventVariables(new JsonObject().put("k", i), Map.of());
      RenderedCallback rendered = renderer.render(template, variables);
      assertThat(rendered.url()).isEqualTo("https://x/" + i);
      assertThat(rendered.body().getValue("k")).isEqualTo(i);
    }
  }

  /** "a=1,b=2" → ordered map of strings; "" → empty. */
  private static Map<String, String> pairs(String text) {
    Map<String, String> map = new LinkedHashMap<>();
    if (!text.isEmpty()) {
      for (String pair : text.split(",")) {
        String[] parts = pair.split("=", 2);
        map.put(parts[0], parts[1]);
      }
    }
    return map;
  }
}
