package io.callbackengine.domain.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.callbackengine.domain.problem.ClientProblem;
import io.callbackengine.domain.problem.Violation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventInputTest {

  @Test
  void readsOneEventWithDefaults() {
    List<IncomingEvent> events = EventInput.fromRequest(new JsonObject().put("event", "SMS-sent"));

    assertThat(events).containsExactly(new IncomingEvent(null, "SMS-sent", "sms", null, new JsonObject()));
  }

  @Test
  void readsABatchKeepingOrder() {
    List<IncomingEvent> events = EventInput.fromRequest(new JsonArray()
        .add(new JsonObject().put("id", "a").put("event", "one").put("channel", "whatsapp"))
        .add(new JsonObject().put("event", "two").put("profile_id", "SG_1").put("data", new JsonObject().put("k", 1))));

    assertThat(events).extracting(IncomingEvent::event).containsExactly("one", "two");
    assertThat(events.get(0).channel()).isEqualTo("whatsapp");
    assertThat(events.get(1).data()).isEqualTo(new JsonObject().put("k", 1));
  }

  @Test
  void namesEveryBadFieldWithItsPlace() {
    ClientProblem problem = catchThrowableOfType(ClientProblem.class, () -> EventInput.fromRequest(new JsonArray()
        .add(new JsonObject().put("event", "bad name!").put("channel", 5))
        .add("not an object")
        .add(new JsonObject().put("event", "ok").put("extra", true))));

    assertThat(problem.httpStatus()).isEqualTo(400);
    assertThat(problem.violations()).extracting(Violation::message).containsExactly(
        "body/0/event must match pattern \"[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}\"",
        "body/0/channel must be string",
        "body/1 must be object",
        "body/2 must NOT have additional property 'extra'");
  }

  @Test
  void refusesEmptyAndOversizedBatches() {
    JsonArray tooMany = new JsonArray();
    for (int i = 0; i <= EventInput.MAX_BATCH; i++) {
      tooMany.add(new JsonObject().put("event", "e"));
    }

    assertThat(catchThrowableOfType(ClientProblem.class, () -> EventInput.fromRequest(new JsonArray())).summary())
        .isEqualTo("body must NOT have fewer than 1 items");
    assertThat(catchThrowableOfType(ClientProblem.class, () -> EventInput.fromRequest(tooMany)).summary())
        .isEqualTo("body must NOT have more than 1000 items");
    assertThat(catchThrowableOfType(ClientProblem.class, () -> EventInput.fromRequest("text")).summary())
        .isEqualTo("body must be object or array");
  }
}
