package io.callbackengine.domain.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CallbackTemplateTest {

  @Test
  void usedReplacersListsEveryPlaceholderInOrderThenTheRestOfTheMapping() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-<key_in_name>", "Bearer <token>");
    headers.put("X-Sid", "<sid>");
    Map<String, String> replacers = new LinkedHashMap<>();
    replacers.put("unused", "some.path");
    replacers.put("phone", "recipient");
    replacers.put("city", "address.city");
    CallbackTemplate template = new CallbackTemplate(
        "https://x/<sid>/<phone>",
        headers,
        new JsonObject()
            .put("<body_key>", "<status>")
            .put("nested", new JsonObject().put("list", new JsonArray().add("in <city>").add(1))),
        "Sent to <phone> at <timestamp> <parts[0]>",
        replacers,
        new JsonObject().put("ignored", "<not_a_template>"));

    assertThat(template.usedReplacers()).containsExactly(
        Map.entry("sid", "sid"),
        Map.entry("phone", "recipient"),
        Map.entry("token", "token"),
        Map.entry("status", "status"),
        Map.entry("city", "address.city"),
        Map.entry("timestamp", "timestamp"),
        Map.entry("parts[0]", "parts[0]"),
        Map.entry("unused", "some.path"));
  }

  @Test
  void usedReplacersOfATemplateWithoutPlaceholdersIsTheMapping() {
    CallbackTemplate template = new CallbackTemplate("https://x", null, null, null, Map.of("a", "b"), null);
    assertThat(template.usedReplacers()).containsExactly(Map.entry("a", "b"));
    assertThat(new CallbackTemplate("https://x", null, null, null, null, null).usedReplacers()).isEmpty();
  }

  @Test
  void copiesHeadersAndReplacersKeepingOrder() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("B", "1");
    headers.put("A", "2");
    CallbackTemplate template = new CallbackTemplate("https://x", headers, null, null, null, null);
    headers.put("C", "3");
    assertThat(template.headers()).containsExactly(Map.entry("B", "1"), Map.entry("A", "2"));
    assertThat(template.replacers()).isEmpty();
    assertThatThrownBy(() -> template.headers().put("D", "4")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void requiresAUrl() {
    assertThatThrownBy(() -> new CallbackTemplate(null, null, null, null, null, null))
        .isInstanceOf(NullPointerException.class);
  }
}
