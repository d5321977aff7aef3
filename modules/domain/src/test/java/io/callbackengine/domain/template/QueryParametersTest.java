package io.callbackengine.domain.template;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link ReplacerRenderer#withQueryParameters}: how GET and DELETE callbacks carry their body. */
class QueryParametersTest {

  private static final JsonObject BODY = new JsonObject().put("a", "1").put("b", "x y");

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "https://x/cb            | https://x/cb?a=1&b=x%20y",
    "https://x/cb?           | https://x/cb?a=1&b=x%20y",
    "https://x/cb?k=v        | https://x/cb?k=v&a=1&b=x%20y",
    "https://x/cb?k=v&       | https://x/cb?k=v&a=1&b=x%20y",
    "https://x/cb#frag       | https://x/cb?a=1&b=x%20y#frag",
    "https://x/cb?k=v#frag   | https://x/cb?k=v&a=1&b=x%20y#frag",
    "https://x/cb#frag?notq  | https://x/cb?a=1&b=x%20y#frag?notq",
    "https://x/cb?#frag      | https://x/cb?a=1&b=x%20y#frag",
  })
  void appendsAfterQuestionMarkOrAmpersandAndKeepsTheFragmentLast(String url, String expected) {
    assertThat(ReplacerRenderer.withQueryParameters(url, BODY)).isEqualTo(expected);
  }

  @Test
  void nullOrEmptyBodyLeavesTheUrlUnchanged() {
    assertThat(ReplacerRenderer.withQueryParameters("https://x/cb?k=v#f", null)).isEqualTo("https://x/cb?k=v#f");
    assertThat(ReplacerRenderer.withQueryParameters("https://x/cb?k=v#f", new JsonObject())).isEqualTo("https://x/cb?k=v#f");
  }

  @Test
  void encodesNamesAndValuesAndWritesNonStringsAsCompactJson() {
    JsonObject body = new JsonObject()
        .put("to number", "+91 98&7=6")
        .put("n", 42)
        .put("d", 2.5)
        .put("ok", true)
        .put("none", (Object) null)
        .put("obj", new JsonObject().put("k", "v"))
        .put("arr", new JsonArray().add(1).add("é"))
        .put("ünï", "✓");
    assertThat(ReplacerRenderer.withQueryParameters("https://x/cb", body)).isEqualTo("https://x/cb"
        + "?to%20number=%2B91%2098%267%3D6"
        + "&n=42&d=2.5&ok=true&none="
        + "&obj=%7B%22k%22%3A%22v%22%7D"
        + "&arr=%5B1%2C%22%C3%A9%22%5D"
        + "&%C3%BCn%C3%AF=%E2%9C%93");
  }

  @Test
  void worksOnARenderedBody() {
    ReplacerRenderer renderer = new ReplacerRenderer();
    CallbackTemplate template = new CallbackTemplate("https://x/cb?sid=<sid>", Map.of(),
        new JsonObject().put("status", "<status>").put("count", "<count>"), null, Map.of(), null);
    RenderedCallback rendered = renderer.render(template,
        new EventVariables(new JsonObject().put("status", "a b").put("count", 3), Map.of("sid", "HX1")));
    assertThat(ReplacerRenderer.withQueryParameters(rendered.url(), rendered.body()))
        .isEqualTo("https://x/cb?sid=HX1&status=a%20b&count=3");
  }
}
