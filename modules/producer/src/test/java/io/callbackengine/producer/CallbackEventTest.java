package io.callbackengine.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The bus request body an event becomes: its fields and the sid, nothing absent written as null. */
class CallbackEventTest {

  @Test
  void everyFieldSetGoesIntoTheRequestAndNothingElse() {
    CallbackEvent event = CallbackEvent.of("HX1", "SMS-status").withId("order-42").withChannel("whatsapp")
        .withOrderingKey("message-7").withData(new JsonObject().put("status", "read"));

    assertThat(event.toJson()).isEqualTo(new JsonObject().put("sid", "HX1").put("id", "order-42")
        .put("event", "SMS-status").put("channel", "whatsapp").put("ordering_key", "message-7")
        .put("data", new JsonObject().put("status", "read")));
    assertThat(CallbackEvent.of("HX1", "SMS-sent").toJson()).isEqualTo(new JsonObject().put("sid", "HX1")
        .put("event", "SMS-sent").put("data", new JsonObject()));
  }
}
