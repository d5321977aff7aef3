package io.callbackengine.domain.template;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a text body's placeholders are found, looked up, listed and handed to the value hook. */
class TextBodyTest {

  private final ReplacerRenderer renderer = new ReplacerRenderer();

  @Test
  void aNameIsAPlaceholderOnlyWhenAReplacerADynamicVariableOrABuiltInDeclaresIt() {
    CallbackTemplate template = new CallbackTemplate("https://example.com/", Map.of(), null, null,
        Map.of("to", "recipient", "city", "address.city"), new JsonObject().put("brand", "Acme"),
        "<sms><status>x</status><recipient><to></recipient><town><city></town><b><brand></b><e><event></e>"
            + "<gone><nothing></gone></sms>");
    List<String> handed = new ArrayList<>();

    RenderedCallback rendered = renderer.render(template, new EventVariables(
            new JsonObject().put("recipient", "+91").put("status", "DELIVRD").put("nothing", "x"),
            Map.of("event", "SMS-sent")),
        (name, value) -> {
          handed.add(name);
          return value.toUpperCase();
        });

    assertThat(rendered.textBody()).isEqualTo(
        "<sms><status>x</status><recipient>+91</recipient><town></town><b>ACME</b><e>SMS-SENT</e>"
            + "<gone><nothing></gone></sms>");
    assertThat(handed).containsExactly("to", "brand", "event");
    assertThat(rendered.unknownPlaceholders()).containsExactly("city");
    assertThat(template.usedReplacers()).containsExactly(Map.entry("to", "recipient"),
        Map.entry("city", "address.city"), Map.entry("brand", "brand"), Map.entry("event", "event"));
  }

  @Test
  void markupEscapingCoversTheFiveCharactersAndTheCharactersXmlCannotCarry() {
    assertThat(MarkupEscaping.XML.escape("<a href=\"x\">&'</a>\t\r\n\u0001\uFFFE\ud800"))
        .isEqualTo("&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;&#9;&#13;&#10;\uFFFD\uFFFD\uFFFD");
    assertThat(MarkupEscaping.HTML.escape("it's")).isEqualTo("it&#39;s");
    assertThat(MarkupEscaping.XML.escape("😀 plain")).isEqualTo("😀 plain");
    assertThat(MarkupEscaping.NONE.escape("<&>")).isEqualTo("<&>");
  }
}
