package io.callbackengine.dispatcher;

import io.callbackengine.domain.delivery.DeliveryOutcome;
import io.callbackengine.store.delivery.AttemptOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * What the dispatcher counts, with labels that stay low-cardinality (never a sid, profile id or URL):
 * <ul>
 *   <li>{@code callback_attempts_total{result}}: attempts by result class (2xx … 5xx, timeout, refused, error)</li>
 *   <li>{@code callback_attempt_duration_seconds}: how long attempts take, as a histogram</li>
 *   <li>{@code callback_deliveries_finished_total{outcome}}: deliveries that ended delivered or failed</li>
 *   <li>{@code callback_delivery_latency_seconds}: from the event's acceptance to its successful attempt</li>
 *   <li>{@code callback_profiles_auto_disabled_total}: profiles the engine disabled</li>
 *   <li>{@code callback_dispatch_taken_total{source}}: deliveries this dispatcher took, {@code claimed} from the queue
 *       or {@code handed_over} by a publish in this process (which saves the claim statement)</li>
 *   <li>{@code callback_dispatch_processes}: the live dispatcher processes this one counted (they share profiles'
 *       rate limits)</li>
 *   <li>{@code callback_auth_token_requests_total{result}}: OAuth2 token requests of profiles with {@code auth},
 *       {@code ok} or {@code failed} (a failed one fails the attempts that waited for it)</li>
 * </ul>
 */
public final class DispatchMetrics {

  private final Map<SendResult.ResultClass, Counter> attempts = new EnumMap<>(SendResult.ResultClass.class);
  private final Timer attemptDuration;
  private final Counter delivered;
  private final Counter failed;
  private final Timer latency;
  private final Counter autoDisabled;
  private final Counter claimed;
  private final Counter handedOver;
  private final Counter tokensObtained;
  private final Counter tokensFailed;
  private final java.util.concurrent.atomic.AtomicInteger dispatchers = new java.util.concurrent.atomic.AtomicInteger(1);

  public DispatchMetrics(MeterRegistry registry) {
    for (SendResult.ResultClass result : SendResult.ResultClass.values()) {
      attempts.put(result, Counter.builder("callback.attempts").description("Callback attempts by result class")
          .tag("result", result.label()).register(registry));
    }
    attemptDuration = Timer.builder("callback.attempt.duration").description("Duration of one callback attempt")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry);
    delivered = finished(registry, "delivered");
    failed = finished(registry, "failed");
    latency = Timer.builder("callback.delivery.latency")
        .description("From an event's acceptance to the successful attempt of its delivery")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofDays(2))
        .register(registry);
    autoDisabled = Counter.builder("callback.profiles.auto.disabled").description("Profiles auto-disabled by the engine")
        .register(registry);
    claimed = taken(registry, "claimed");
    handedOver = taken(registry, "handed_over");
    tokensObtained = tokenRequests(registry, "ok");
    tokensFailed = tokenRequests(registry, "failed");
    io.micrometer.core.instrument.Gauge.builder("callback.dispatch.processes", dispatchers, Number::doubleValue)
        .description("Live dispatcher processes counted in PostgreSQL; they share each profile's rate limit")
        .register(registry);
  }

  void dispatchers(int count) {
    dispatchers.set(count);
  }

  private static Counter tokenRequests(MeterRegistry registry, String result) {
    return Counter.builder("callback.auth.token.requests").description("OAuth2 token requests for callbacks, by result")
        .tag("result", result).register(registry);
  }

  void tokenRequested(boolean obtained) {
    (obtained ? tokensObtained : tokensFailed).increment();
  }

  private static Counter taken(MeterRegistry registry, String source) {
    return Counter.builder("callback.dispatch.taken").description("Deliveries a dispatcher took, by where from")
        .tag("source", source).register(registry);
  }

  void claimed(int deliveries) {
    claimed.increment(deliveries);
  }

  void handedOver(int deliveries) {
    handedOver.increment(deliveries);
  }

  /** The {@code cancelled} outcome is counted where cancelling happens (deleting a profile), on the same meter. */
  public static Counter finished(MeterRegistry registry, String outcome) {
    return Counter.builder("callback.deliveries.finished").description("Deliveries that reached a final state")
        .tag("outcome", outcome).register(registry);
  }

  void attempted(SendResult sent) {
    attempts.get(sent.resultClass()).increment();
    attemptDuration.record(Duration.ofMillis(sent.durationMs()));
  }

  void finished(AttemptOutcome outcome, Instant acceptedAt) {
    if (outcome.outcome() instanceof DeliveryOutcome.Delivered) {
      delivered.increment();
      latency.record(Duration.between(acceptedAt, outcome.finishedAt()).abs());
    } else if (outcome.outcome() instanceof DeliveryOutcome.Failed) {
      failed.increment();
    }
  }

  void autoDisabled(int profiles) {
    autoDisabled.increment(profiles);
  }
}
