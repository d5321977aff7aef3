package io.callbackengine.domain.template;

import static org.assertj.core.api.Assertions.assertThat;

import io.callbackengine.domain.problem.ArbitraryJson;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * {@link ReplacerRenderer} renders any template against any event without throwing, leaves text without a
 * placeholder as it is, gives a whole-value placeholder its variable's JSON type, and keeps a URL a URL.
 */
class RendererProperties {

  private static final ReplacerRenderer RENDERER = new ReplacerRenderer();
  /** Few names, so that templates, data, replacers and built-ins often meet. */
  private static final Arbitrary<String> NAMES = Arbitraries.of("a", "b", "status", "phone", "address", "parts", "_x",
      "event", "event_id", "sid", "Z-9");
  private static final Arbitrary<String> PATHS = Arbitraries.oneOf(NAMES,
      Combinators.combine(NAMES, NAMES).as((a, b) -> a + "." + b),
      Combinators.combine(NAMES, Arbitraries.integers().between(0, 3)).as((a, i) -> a + "[" + i + "]"),
      Arbitraries.of("a[99999999999]", "a..b", "1x", "", "a.", "a[-1]"));
  /** Text with placeholders, near-placeholders and hostile characters. */
  private static final Arbitrary<String> TEMPLATE_TEXT = Arbitraries.frequencyOf(
          Tuple.of(3, ArbitraryJson.strings(2)),
          Tuple.of(3, PATHS.map(p -> "<" + p + ">")),
          Tuple.of(1, Arbitraries.of("<", ">", "<<a>>", "<a", "a>", "< a>", "<a b>", "<<>>")))
      .list().ofMaxSize(5).map(pieces -> String.join("", pieces));

  @Provide
  Arbitrary<CallbackTemplate> templates() {
    Arbitrary<String> headerNames = Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8);
    Arbitrary<Map<String, String>> headers = Combinators.combine(headerNames, TEMPLATE_TEXT).as(Tuple::of)
        .list().ofMaxSize(3).map(RendererProperties::toMap);
    Arbitrary<JsonObject> body = ArbitraryJson.objects(NAMES, ArbitraryJson.values(NAMES, TEMPLATE_TEXT, 2));
    Arbitrary<Map<String, String>> replacers = Combinators.combine(NAMES, PATHS).as(Tuple::of).list().ofMaxSize(3)
        .map(RendererProperties::toMap);
    return Combinators.combine(TEMPLATE_TEXT, headers, body.injectNull(0.2), TEMPLATE_TEXT.injectNull(0.3), replacers,
            ArbitraryJson.objects(NAMES, ArbitraryJson.values(NAMES, 2)).injectNull(0.5))
        .as(CallbackTemplate::new);
  }

  @Provide
  Arbitrary<EventVariables> variables() {
    Arbitrary<Map<String, String>> builtIns = Combinators.combine(Arbitraries.of(EventVariables.BUILT_IN_NAMES),
        ArbitraryJson.strings(3)).as(Tuple::of).list().ofMaxSize(5).map(RendererProperties::toMap);
    return Combinators.combine(ArbitraryJson.objects(NAMES, ArbitraryJson.values(NAMES, 3)).injectNull(0.1), builtIns)
        .as(EventVariables::new);
  }

  @Property
  void anyTemplateRendersAndKeepsItsShape(@ForAll("templates") CallbackTemplate template,
      @ForAll("variables") EventVariables variables) {
    JsonObject bodyBefore = template.body() == null ? null : template.body().copy();

    RenderedCallback rendered = RENDERER.render(template, variables);

    assertThat(rendered.headers().keySet()).containsExactlyElementsOf(template.headers().keySet());
    template.headers().forEach((name, value) -> {
      assertThat(rendered.headers().get(name)).isNotNull();
      if (value.indexOf('\r') < 0 && value.indexOf('\n') < 0) {
        assertThat(rendered.headers().get(name)).as("header %s", name).doesNotContain("\r", "\n");
      }
    });
    assertThat(template.body()).isEqualTo(bodyBefore);
    assertUnchangedWhereNoPlaceholder(template.url(), rendered.url());
    assertUnchangedWhereNoPlaceholder(template.responseMessage(), rendered.responseMessage());
    assertUnchangedWhereNoPlaceholder(template.body(), rendered.body());
    Set<String> used = new HashSet<>(Placeholders.in(template.url()));
    template.headers().values().forEach(value -> used.addAll(Placeholders.in(value)));
    used.addAll(Placeholders.in((Object) template.body()));
    if (template.responseMessage() != null) {
      used.addAll(Placeholders.in(template.responseMessage()));
    }
    assertThat(used).containsAll(rendered.unknownPlaceholders());
  }

  @Property
  void textWithoutAnOpeningBracketIsReturnedUnchanged(@ForAll("plainText") String text,
      @ForAll("variables") EventVariables variables) {
    JsonObject body = new JsonObject().put("value", text).put("nested", new JsonArray().add(text));
    CallbackTemplate template = new CallbackTemplate(text, Map.of("X-Text", text), body, text, Map.of(), null);

    RenderedCallback rendered = RENDERER.render(template, variables);

    assertThat(rendered.url()).isEqualTo(text);
    assertThat(rendered.headers()).containsExactly(Map.entry("X-Text", text));
    assertThat(rendered.body()).isEqualTo(body);
    assertThat(rendered.responseMessage()).isEqualTo(text);
    assertThat(rendered.unknownPlaceholders()).isEmpty();
  }

  @Provide
  Arbitrary<String> plainText() {
    return ArbitraryJson.strings().map(s -> s.replace("<", ""));
  }

  @Property
  void aBodyValueThatIsOnePlaceholderTakesTheVariablesJsonType(@ForAll("names") String name,
      @ForAll("jsonValues") Object value, @ForAll("variables") EventVariables others) {
    JsonObject data = others.data().copy().put(name, value);
    JsonObject body = new JsonObject().put("whole", "<" + name + ">").put("inside", "(<" + name + ">)");
    CallbackTemplate template = new CallbackTemplate("https://example.com/", Map.of(), body, null, Map.of(), null);

    JsonObject rendered = RENDERER.render(template, new EventVariables(data, others.builtIns())).body();

    assertThat(rendered.containsKey("whole")).isTrue();
    Object whole = rendered.getValue("whole");
    assertThat(new JsonArray().add(whole).encode()).isEqualTo(new JsonArray().add(value).encode());
    if (value != null) {
      assertThat(whole).isInstanceOf(value.getClass()).isEqualTo(value);
    }
    String text = value == null ? "" : value instanceof String s ? s : Json.encode(value);
    assertThat(rendered.getValue("inside")).isEqualTo("(" + text + ")");
  }

  @Provide
  Arbitrary<String> names() {
    Arbitrary<String> generated = Combinators.combine(
        Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').withChars('_').ofLength(1),
        Arbitraries.strings().alpha().numeric().withChars('_', '-').ofMaxLength(10)).as(String::concat);
    return Arbitraries.oneOf(generated, NAMES);
  }

  @Provide
  Arbitrary<Object> jsonValues() {
    return ArbitraryJson.values();
  }

  @Property
  void valuesPutInAUrlKeepItAUrlAndReadBackAsTheyWere(@ForAll("urlValues") List<Object> values)
      throws URISyntaxException {
    JsonObject data = new JsonObject().put("p", values.get(0)).put("q", values.get(1)).put("f", values.get(2));
    CallbackTemplate template = new CallbackTemplate("https://example.com/a/<p>/b?q=<q>&r=1#<f>", Map.of(), null, null,
        Map.of(), null);

    String url = RENDERER.render(template, new EventVariables(data, Map.of())).url();

    URI uri = new URI(url);
    assertThat(uri.getScheme()).isEqualTo("https");
    assertThat(uri.getHost()).isEqualTo("example.com");
    String path = uri.getRawPath();
    assertThat(path).startsWith("/a/").endsWith("/b");
    String p = path.substring(3, path.length() - 2);
    String query = uri.getRawQuery();
    assertThat(query).startsWith("q=").endsWith("&r=1");
    String q = query.substring(2, query.length() - 4);
    String f = uri.getRawFragment();
    for (int i = 0; i < 3; i++) {
      String encoded = List.of(p, q, f).get(i);
      assertThat(encoded).matches("([A-Za-z0-9._~-]|%[0-9A-F]{2})*");
      assertThat(URLDecoder.decode(encoded, StandardCharsets.UTF_8)).isEqualTo(wellFormed(asText(values.get(i))));
    }
  }

  @Property
  void anyValueInAnyPartOfAUrlKeepsItAUrl(@ForAll("urlValues") List<Object> values, @ForAll("urlTemplates") String url)
      throws URISyntaxException {
    JsonObject data = new JsonObject().put("p", values.get(0)).put("q", values.get(1)).put("f", values.get(2));
    CallbackTemplate template = new CallbackTemplate(url, Map.of(), null, null, Map.of(), null);

    new URI(RENDERER.render(template, new EventVariables(data, Map.of())).url());
  }

  @Provide
  Arbitrary<String> urlTemplates() {
    return Arbitraries.of("https://<p>.example.com/", "https://example.com:443/<p><q>/<f>",
        "http://example.com/?<p>=<q>", "https://u<p>:<q>@example.com/", "https://example.com/<missing>/<p>#<q><f>",
        "https://example.com/x?a=<p>&b=<q>#<f>");
  }

  @Provide
  Arbitrary<List<Object>> urlValues() {
    Arbitrary<Object> value = Arbitraries.frequencyOf(
        Tuple.of(4, ArbitraryJson.strings().map(Object.class::cast)),
        Tuple.of(1, Arbitraries.of("/", "?", "#", "&", "=", "%", "%25", "+", " ", "../..", "@", "[::1]", "\r\n")
            .map(Object.class::cast)),
        Tuple.of(1, ArbitraryJson.values()));
    return value.list().ofSize(3);
  }

  @Property
  void aBodySentAsQueryParametersReadsBackAndKeepsTheUrl(@ForAll("queryUrls") String url,
      @ForAll("queryBodies") JsonObject body) throws URISyntaxException {
    String withQuery = ReplacerRenderer.withQueryParameters(url, body);

    URI uri = new URI(withQuery);
    URI original = new URI(url);
    assertThat(uri.getRawPath()).isEqualTo(original.getRawPath());
    assertThat(uri.getRawFragment()).isEqualTo(original.getRawFragment());
    String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
    String originalQuery = original.getRawQuery() == null ? "" : original.getRawQuery();
    assertThat(query).startsWith(originalQuery);
    if (body.isEmpty()) {
      assertThat(withQuery).isEqualTo(url);
      return;
    }
    String added = query.substring(originalQuery.length()).replaceFirst("^&", "");
    String[] pairs = added.split("&", -1);
    assertThat(pairs).hasSize(body.size());
    int i = 0;
    for (Map.Entry<String, Object> member : body) {
      String[] pair = pairs[i++].split("=", -1);
      assertThat(pair).hasSize(2);
      assertThat(URLDecoder.decode(pair[0], StandardCharsets.UTF_8)).isEqualTo(wellFormed(member.getKey()));
      assertThat(URLDecoder.decode(pair[1], StandardCharsets.UTF_8)).isEqualTo(wellFormed(asText(member.getValue())));
    }
  }

  @Provide
  Arbitrary<String> queryUrls() {
    return Arbitraries.of("https://example.com", "https://example.com/", "https://example.com/p?",
        "https://example.com/p?a=1", "https://example.com/p?a=1&", "https://example.com/p#f",
        "https://example.com/p?a=1#f?g", "https://example.com/#?");
  }

  @Provide
  Arbitrary<JsonObject> queryBodies() {
    return ArbitraryJson.objects();
  }

  private static String asText(Object value) {
    return value == null ? "" : value instanceof String s ? s : Json.encode(value);
  }

  /** The text as UTF-8 can carry it: a lone surrogate becomes U+FFFD. */
  private static String wellFormed(String text) {
    StringBuilder out = new StringBuilder();
    // codePoints() yields a lone surrogate as itself; a pair comes as one code point above U+FFFF.
    text.codePoints().forEach(cp ->
        out.appendCodePoint(cp <= 0xFFFF && Character.isSurrogate((char) cp) ? 0xFFFD : cp));
    return out.toString();
  }

  /** Where the template holds text with no placeholder, or a non-text value, the rendering holds the same. */
  private static void assertUnchangedWhereNoPlaceholder(Object template, Object rendered) {
    if (template instanceof String text) {
      if (Placeholders.in(text).isEmpty()) {
        assertThat(rendered).isEqualTo(text);
      } else if (!Placeholders.PATTERN.matcher(text).matches()) {
        // Only a whole-value placeholder may turn text into another JSON type (null included).
        assertThat(rendered).isInstanceOf(String.class);
      }
    } else if (template instanceof JsonObject object) {
      assertThat(rendered).isInstanceOf(JsonObject.class);
      JsonObject out = (JsonObject) rendered;
      assertThat(out.fieldNames()).containsExactlyElementsOf(object.fieldNames());
      object.forEach(member -> assertUnchangedWhereNoPlaceholder(member.getValue(), out.getValue(member.getKey())));
    } else if (template instanceof JsonArray array) {
      assertThat(rendered).isInstanceOf(JsonArray.class);
      JsonArray out = (JsonArray) rendered;
      assertThat(out.size()).isEqualTo(array.size());
      for (int i = 0; i < array.size(); i++) {
        assertUnchangedWhereNoPlaceholder(array.getValue(i), out.getValue(i));
      }
    } else {
      assertThat(rendered).isEqualTo(template);
    }
  }

  private static Map<String, String> toMap(List<Tuple.Tuple2<String, String>> pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    pairs.forEach(pair -> map.put(pair.get1(), pair.get2()));
    return map;
  }
}
