package io.callbackengine.domain.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.callbackengine.domain.problem.ArbitraryJson;
import io.callbackengine.domain.problem.ClientProblem;
import io.callbackengine.domain.problem.Violation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Any JSON value given to {@link EventInput#fromRequest} is either read into events that say exactly what the
 * request said, or refused with one 400 whose violations all point into the body; nothing else escapes.
 */
class EventInputProperties {

  private static final List<String> FIELDS = List.of("id", "event", "channel", "profile_id", "data");

  /** Events whose fields are mostly valid, so that one bad field is what a refusal is about. */
  private static Arbitrary<JsonObject> events() {
    Arbitrary<Object> name = Arbitraries.frequencyOf(
        Tuple.of(16, Combinators.combine(Arbitraries.strings().alpha().numeric().ofLength(1),
            Arbitraries.strings().alpha().numeric().withChars("_.:-").ofMaxLength(63)).as(String::concat)),
        Tuple.of(1, Arbitraries.of("", "bad name", "-x", "x".repeat(65))),
        Tuple.of(1, ArbitraryJson.values()));
    Arbitrary<Object> channel = Arbitraries.frequencyOf(
        Tuple.of(16, Arbitraries.strings().alpha().numeric().withChars("_-").ofMinLength(1).ofMaxLength(32)),
        Tuple.of(1, Arbitraries.of("", "a b", "c".repeat(33))),
        Tuple.of(1, ArbitraryJson.values()));
    Arbitrary<Object> id = Arbitraries.frequencyOf(
        Tuple.of(16, ArbitraryJson.strings().filter(s -> !s.isEmpty())),
        Tuple.of(1, Arbitraries.of("", "i".repeat(128), "i".repeat(129), "😀".repeat(128))),
        Tuple.of(1, ArbitraryJson.values()));
    Arbitrary<Object> data = Arbitraries.frequencyOf(
        Tuple.of(16, ArbitraryJson.objects()),
        Tuple.of(1, Arbitraries.just(new JsonObject().put("big", "b".repeat(EventInput.MAX_DATA_BYTES)))),
        Tuple.of(1, ArbitraryJson.values()));
    Arbitrary<Object> absent = Arbitraries.just(Absent.VALUE);
    // Without edge cases at this level: mixed in, they would make nearly every event carry an unknown field.
    return Combinators.combine(
            Arbitraries.frequencyOf(Tuple.of(2, id), Tuple.of(1, absent)).withoutEdgeCases(),
            Arbitraries.frequencyOf(Tuple.of(30, name), Tuple.of(1, absent)).withoutEdgeCases(),
            Arbitraries.frequencyOf(Tuple.of(2, channel), Tuple.of(1, absent)).withoutEdgeCases(),
            Arbitraries.frequencyOf(Tuple.of(1, id), Tuple.of(2, absent)).withoutEdgeCases(),
            Arbitraries.frequencyOf(Tuple.of(2, data), Tuple.of(1, absent)).withoutEdgeCases(),
            Arbitraries.frequencyOf(Tuple.of(1, ArbitraryJson.values()), Tuple.of(30, absent)).withoutEdgeCases())
        .as((i, e, c, p, d, extra) -> {
          JsonObject event = new JsonObject();
          List<Object> values = Arrays.asList(i, e, c, p, d);
          for (int k = 0; k < FIELDS.size(); k++) {
            if (values.get(k) != Absent.VALUE) {
              event.put(FIELDS.get(k), values.get(k));
            }
          }
          if (extra != Absent.VALUE) {
            event.put("extra", extra);
          }
          return (JsonObject) ArbitraryJson.parsed(event);
        });
  }

  private enum Absent { VALUE }

  @Provide
  Arbitrary<Object> bodies() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, events().map(Object.class::cast)),
        Tuple.of(3, Arbitraries.frequencyOf(
                Tuple.of(30, events().map(Object.class::cast)), Tuple.of(1, ArbitraryJson.values()))
            .withoutEdgeCases().list().ofMaxSize(5).map(list -> ArbitraryJson.parsed(new JsonArray(list)))),
        Tuple.of(1, ArbitraryJson.values()));
  }

  @Property
  void anyJsonIsReadAsWrittenOrRefusedWithA400(@ForAll("bodies") Object body) {
    List<IncomingEvent> events;
    try {
      events = EventInput.fromRequest(body);
    } catch (ClientProblem problem) {
      assertThat(problem.httpStatus()).isEqualTo(400);
      assertThat(problem.violations()).isNotEmpty().allSatisfy(violation -> {
        assertThat(violation.location()).isEqualTo(Violation.Location.BODY);
        assertThat(violation.message()).startsWith("body");
      });
      Statistics.collect("refused");
      return;
    }
    Statistics.collect("accepted");
    List<?> sent = body instanceof JsonArray array ? array.getList() : List.of(body);
    assertThat(events).hasSameSizeAs(sent).isNotEmpty();
    for (int i = 0; i < events.size(); i++) {
      JsonObject json = body instanceof JsonArray array ? array.getJsonObject(i) : (JsonObject) body;
      IncomingEvent event = events.get(i);
      assertThat(FIELDS).containsAll(json.fieldNames());
      assertThat(event.event()).isEqualTo(json.getValue("event")).matches("[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}");
      assertThat(event.channel()).isEqualTo(json.getValue("channel") == null ? "sms" : json.getValue("channel"))
          .matches("[A-Za-z0-9_-]{1,32}");
      assertThat(event.producerId()).isEqualTo(json.getValue("id"));
      assertThat(event.profileId()).isEqualTo(json.getValue("profile_id"));
      assertThat(event.data()).isEqualTo(json.getValue("data") == null ? new JsonObject() : json.getValue("data"));
      assertThat(event.data().toBuffer().length()).isLessThanOrEqualTo(EventInput.MAX_DATA_BYTES);
    }
    Statistics.coverage(coverage -> {
      coverage.check("accepted").percentage(p -> p >= 5);
      coverage.check("refused").percentage(p -> p >= 5);
    });
  }
}
