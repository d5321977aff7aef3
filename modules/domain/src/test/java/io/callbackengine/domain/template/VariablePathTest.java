package io.callbackengine.domain.template;

import static org.assertj.core.api.Assertions.assertThat;

import io.callbackengine.domain.template.VariablePath.Field;
import io.callbackengine.domain.template.VariablePath.Index;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class VariablePathTest {

  static Stream<Arguments> validPaths() {
    return Stream.of(
        Arguments.of("status", List.of(new Field("status"))),
        Arguments.of("_x", List.of(new Field("_x"))),
        Arguments.of("msg-id_2", List.of(new Field("msg-id_2"))),
        Arguments.of("address.city", List.of(new Field("address"), new Field("city"))),
        Arguments.of("parts[0]", List.of(new Field("parts"), new Index(0))),
        Arguments.of("a.b[2].c", List.of(new Field("a"), new Field("b"), new Index(2), new Field("c"))),
        Arguments.of("list[0][1]", List.of(new Field("list"), new Index(0), new Index(1))),
        Arguments.of("list[007]", List.of(new Field("list"), new Index(7))),
        Arguments.of("x[2147483647]", List.of(new Field("x"), new Index(Integer.MAX_VALUE))));
  }

  @ParameterizedTest
  @MethodSource("validPaths")
  void parsesValidPaths(String text, List<VariablePath.Segment> segments) {
    assertThat(VariablePath.parse(text)).contains(new VariablePath(text, segments));
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {
    "1abc", " x", "x ", "a..b", "a.", ".a", "a.1b", "[0]", "a[]", "a[-1]", "a[1", "a]", "a[x]",
    "a[0]b", "a b", "a.b c", "é", "a/b", "-a", "a[2147483648]", "a[99999999999999999999]", "<a>"
  })
  void refusesInvalidPaths(String text) {
    assertThat(VariablePath.parse(text)).isEmpty();
  }

  private static final JsonObject DATA = new JsonObject()
      .put("status", "delivered")
      .put("count", 3)
      .put("nothing", (Object) null)
      .put("address", new JsonObject().put("city", "Pune").put("zip", (Object) null))
      .put("parts", new JsonArray().add("p0").add("p1"))
      .put("a", new JsonObject().put("b", new JsonArray().add(0).add(1).add(new JsonObject().put("c", true))))
      .put("list", new JsonArray().add(new JsonArray().add("x").add("y")))
      .put("text", "abc");

  static Stream<Arguments> resolutions() {
    return Stream.of(
        Arguments.of("status", Optional.of(new VariableValue("delivered"))),
        Arguments.of("count", Optional.of(new VariableValue(3))),
        Arguments.of("nothing", Optional.of(new VariableValue(null))),
        Arguments.of("address.city", Optional.of(new VariableValue("Pune"))),
        Arguments.of("address.zip", Optional.of(new VariableValue(null))),
        Arguments.of("parts[1]", Optional.of(new VariableValue("p1"))),
        Arguments.of("a.b[2].c", Optional.of(new VariableValue(true))),
        Arguments.of("list[0][1]", Optional.of(new VariableValue("y"))),
        Arguments.of("missing", Optional.empty()),
        Arguments.of("address.street", Optional.empty()),
        Arguments.of("parts[2]", Optional.empty()),
        Arguments.of("parts[2147483647]", Optional.empty()),
        Arguments.of("status.x", Optional.empty()),
        Arguments.of("status[0]", Optional.empty()),
        Arguments.of("text[0]", Optional.empty()),
        Arguments.of("parts.x", Optional.empty()),
        Arguments.of("address[0]", Optional.empty()),
        Arguments.of("nothing.x", Optional.empty()));
  }

  @ParameterizedTest
  @MethodSource("resolutions")
  void resolvesInData(String text, Optional<VariableValue> expected) {
    assertThat(VariablePath.parse(text).orElseThrow().resolveIn(DATA)).isEqualTo(expected);
  }

  @Test
  void resolvesObjectsAndArraysAsJsonTypes() {
    assertThat(path("address").resolveIn(DATA))
        .contains(new VariableValue(new JsonObject().put("city", "Pune").put("zip", (Object) null)));
    assertThat(path("parts").resolveIn(DATA)).contains(new VariableValue(new JsonArray().add("p0").add("p1")));
  }

  @Test
  void stepsThroughPlainMapsAndListsInsideJsonObjects() {
    // Vert.x allows a JsonObject to hold java.util maps and lists, e.g. when built with new JsonObject(Map).
    JsonObject data = new JsonObject(Map.of("m", Map.of("k", List.of("zero", Map.of("deep", 1)))));
    assertThat(path("m.k[1].deep").resolveIn(data)).contains(new VariableValue(1));
    assertThat(path("m.k").resolveIn(data)).contains(new VariableValue(new JsonArray().add("zero").add(new JsonObject().put("deep", 1))));
  }

  @Test
  void nullRootHasNothing() {
    assertThat(path("a").resolveIn(null)).isEmpty();
  }

  @Test
  void presentNullDiffersFromAbsent() {
    Optional<VariableValue> nullValue = path("nothing").resolveIn(DATA);
    assertThat(nullValue).isPresent();
    assertThat(nullValue.get().isNull()).isTrue();
    assertThat(path("absent").resolveIn(DATA)).isEmpty();
  }

  private static VariablePath path(String text) {
    return VariablePath.parse(text).orElseThrow();
  }
}
