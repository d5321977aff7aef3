package io.callbackengine.domain.template;

import static org.assertj.core.api.Assertions.assertThat;

import io.callbackengine.domain.problem.ArbitraryJson;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Text bodies (API.md §13): only declared names are placeholders, everything else is sent as written, and a value
 * inserted into XML or HTML reads back as itself whatever it holds.
 */
class TextBodyProperties {

  private static final ReplacerRenderer RENDERER = new ReplacerRenderer();
  /** Declared: {@code phone} by replacers, {@code brand} by dynamic variables, {@code event} built in. */
  private static final List<String> DECLARED = List.of("phone", "brand", "event");

  /** One piece of a template: markup or text that holds no placeholder, or {@code <name>}. */
  private record Piece(String text, String placeholder) {
  }

  @Provide
  Arbitrary<List<Piece>> templates() {
    Arbitrary<Piece> markup = Arbitraries.of("<r>", "</r>", "<note a=\"1\">", "<br/>", "<!-- c -->", "<status>",
            "<data.x>", "<Phone>", "&amp;", "<![CDATA[x]]>", "< phone>", "<phone", "phone>")
        .map(text -> new Piece(text, null));
    Arbitrary<Piece> text = ArbitraryJson.strings(2).filter(s -> s.indexOf('<') < 0 && s.indexOf('>') < 0)
        .map(s -> new Piece(s, null));
    Arbitrary<Piece> placeholder = Arbitraries.of(DECLARED).map(name -> new Piece("<" + name + ">", name));
    return Arbitraries.oneOf(markup, text, placeholder).list().ofMaxSize(8);
  }

  @Property
  void onlyDeclaredNamesAreReplacedAndEverythingElseIsSentAsWritten(@ForAll("templates") List<Piece> pieces,
      @ForAll("values") String value) {
    String template = pieces.stream().map(Piece::text).reduce("", String::concat);
    CallbackTemplate callback = template(template);
    JsonObject data = new JsonObject().put("recipient", value).put("status", "not a placeholder here")
        .put("data", new JsonObject().put("x", "nor here"));

    RenderedCallback rendered = RENDERER.render(callback, variables(data),
        (name, text) -> "[" + name + "=" + text + "]");

    StringBuilder expected = new StringBuilder();
    for (Piece piece : pieces) {
      if (piece.placeholder() == null) {
        expected.append(piece.text());
      } else {
        String inserted = switch (piece.placeholder()) {
          case "phone" -> value;
          case "brand" -> "Acme & Co";
          default -> "SMS-sent";
        };
        expected.append('[').append(piece.placeholder()).append('=').append(inserted).append(']');
      }
    }
    assertThat(rendered.textBody()).isEqualTo(expected.toString());
    assertThat(rendered.unknownPlaceholders()).isEmpty();
  }

  @Provide
  Arbitrary<String> values() {
    return ArbitraryJson.strings();
  }

  @Property
  void anXmlEscapedValueParsesBackAsItself(@ForAll("values") String value) throws Exception {
    String template = "<?xml version=\"1.0\"?><r a=\"<phone>\"><v><phone></v></r>";

    for (MarkupEscaping escaping : List.of(MarkupEscaping.XML, MarkupEscaping.HTML)) {
      RenderedCallback rendered = RENDERER.render(template(template), variables(new JsonObject().put("recipient", value)),
          (name, text) -> escaping.escape(text));

      Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder()
          .parse(new ByteArrayInputStream(rendered.textBody().getBytes(StandardCharsets.UTF_8)));
      Element root = document.getDocumentElement();
      String readable = xmlReadable(value);
      assertThat(root.getAttribute("a")).isEqualTo(readable);
      assertThat(root.getElementsByTagName("v").item(0).getTextContent()).isEqualTo(readable);
    }
  }

  @Property
  void plainTextInsertsTheValueAsItIs(@ForAll("values") String value) {
    RenderedCallback rendered = RENDERER.render(template("Status: <phone>."),
        variables(new JsonObject().put("recipient", value)), (name, text) -> MarkupEscaping.NONE.escape(text));

    assertThat(rendered.textBody()).isEqualTo("Status: " + value + ".");
  }

  /** {@code value} with every character XML 1.0 cannot carry (even escaped) as U+FFFD. */
  private static String xmlReadable(String value) {
    StringBuilder out = new StringBuilder();
    value.codePoints().forEach(c -> out.appendCodePoint(
        c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) || c >= 0x10000
            ? c : 0xFFFD));
    return out.toString();
  }

  private static CallbackTemplate template(String textBody) {
    Map<String, String> replacers = new LinkedHashMap<>();
    replacers.put("phone", "recipient");
    return new CallbackTemplate("https://example.com/", Map.of(), null, null, replacers,
        new JsonObject().put("brand", "Acme & Co"), textBody);
  }

  private static EventVariables variables(JsonObject data) {
    return new EventVariables(data, Map.of("event", "SMS-sent", "event_id", "e1", "profile_id", "p1", "sid", "s1",
        "timestamp", "2026-12-01T00:00:00.000Z"));
  }
}
