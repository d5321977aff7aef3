package io.callbackengine.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.callbackengine.domain.event.AcceptedEvent;
import io.callbackengine.domain.event.IncomingEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code callback_events_accepted_total{channel,event}}: what it counts, and how few series producers can make. */
class ApiMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ApiMetrics metrics = new ApiMetrics(registry);

  @Test
  void countsNewEventsByChannelAndNameAndNotRepeats() {
    metrics.accepted(List.of(event("sms", "SMS-sent"), event("sms", "SMS-sent"), event("whatsapp", "WA-read")),
        List.of(accepted(false), accepted(true), accepted(false)));
    metrics.accepted(List.of(event("sms", "SMS-sent")), List.of(accepted(false)));

    assertThat(count("sms", "SMS-sent")).isEqualTo(2);
    assertThat(count("whatsapp", "WA-read")).isEqualTo(1);
  }

  @Test
  void eventNamesPastTheLimitAreCountedAsOther() {
    List<IncomingEvent> events = new ArrayList<>();
    List<AcceptedEvent> answers = new ArrayList<>();
    for (int i = 0; i < ApiMetrics.MAX_LABEL_VALUES + 10; i++) {
      events.add(event("sms", "invented-" + i));
      answers.add(accepted(false));
    }
    metrics.accepted(events, answers);

    assertThat(count("sms", "other")).isEqualTo(10);
    assertThat(registry.find("callback.events.accepted").counters()).hasSize(ApiMetrics.MAX_LABEL_VALUES + 1);
  }

  private double count(String channel, String event) {
    Counter counter = registry.find("callback.events.accepted").tag("channel", channel).tag("event", event).counter();
    return counter == null ? 0 : counter.count();
  }

  private static IncomingEvent event(String channel, String name) {
    return new IncomingEvent(null, name, channel, null, new JsonObject(), null);
  }

  private static AcceptedEvent accepted(boolean duplicate) {
    return new AcceptedEvent("ev", null, 1, duplicate);
  }
}
