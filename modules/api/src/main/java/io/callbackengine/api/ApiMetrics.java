package io.callbackengine.api;

import io.callbackengine.domain.event.AcceptedEvent;
import io.callbackengine.domain.event.IncomingEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What intake and the registry count: {@code callback_events_accepted_total{channel,event}} (new events only, not
 * repeats) and cancelled deliveries on {@code callback_deliveries_finished_total{outcome="cancelled"}}. Channel and
 * event names come from producers, so each label keeps at most {@link #MAX_LABEL_VALUES} distinct values and
 * reports the rest as {@code other}: a producer inventing names cannot blow up the time series.
 */
public final class ApiMetrics {

  public static final int MAX_LABEL_VALUES = 50;
  private static final String OTHER = "other";

  private final MeterRegistry registry;
  private final Counter cancelled;
  private final Set<String> channels = ConcurrentHashMap.newKeySet();
  private final Set<String> events = ConcurrentHashMap.newKeySet();
  /**
   * The accepted-events counter of each channel and event name, looked up here rather than through the registry:
   * building and registering a meter for every event was a few per cent of a publish's CPU.
   */
  private final Map<List<String>, Counter> acceptedCounters = new ConcurrentHashMap<>();

  public ApiMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.cancelled = Counter.builder("callback.deliveries.finished").description("Deliveries that reached a final state")
        .tag("outcome", "cancelled").register(registry);
  }

  public void accepted(List<IncomingEvent> events, List<AcceptedEvent> answers) {
    for (int i = 0; i < events.size(); i++) {
      if (!answers.get(i).duplicate()) {
        IncomingEvent e = events.get(i);
        acceptedCounters.computeIfAbsent(List.of(bounded(this.channels, e.channel()), bounded(this.events, e.event())),
            labels -> Counter.builder("callback.events.accepted")
                .description("Events accepted (committed), by channel and event name")
                .tag("channel", labels.get(0))
                .tag("event", labels.get(1))
                .register(registry))
            .increment();
      }
    }
  }

  public void cancelled(int deliveries) {
    cancelled.increment(deliveries);
  }

  private static String bounded(Set<String> seen, String value) {
    if (seen.contains(value)) {
      return value;
    }
    if (seen.size() < MAX_LABEL_VALUES) {
      seen.add(value);
      return value;
    }
    return OTHER;
  }
}
