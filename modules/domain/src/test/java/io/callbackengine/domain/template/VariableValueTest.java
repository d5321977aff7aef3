package io.callbackengine.domain.template;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class VariableValueTest {

  static Stream<Arguments> texts() {
    return Stream.of(
        Arguments.of("plain", "plain"),
        Arguments.of("", ""),
        Arguments.of(null, ""),
        Arguments.of(42, "42"),
        Arguments.of(-7L, "-7"),
        Arguments.of(1.5, "1.5"),
        Arguments.of(new BigDecimal("12.50"), "12.50"),
        Arguments.of(true, "true"),
        Arguments.of(false, "false"),
        Arguments.of(new JsonObject().put("a", 1).put("b", "x y"), "{\"a\":1,\"b\":\"x y\"}"),
        Arguments.of(new JsonArray().add(1).add("two").addNull(), "[1,\"two\",null]"));
  }

  @ParameterizedTest
  @MethodSource("texts")
  void rendersAsText(Object value, String expected) {
    assertThat(new VariableValue(value).asText()).isEqualTo(expected);
  }
}
