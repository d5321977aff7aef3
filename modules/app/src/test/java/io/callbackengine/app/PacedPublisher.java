package io.callbackengine.app;

import io.callbackengine.app.TestEngine.TestAccount;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes events on a fixed schedule (open loop), one per request, whatever the engine's answers do: event
 * {@code n} is due at {@code start + n / rate} and carries that due time as {@code t0} (epoch microseconds) in its
 * data, so a slow engine shows up as latency at the receiver instead of hiding behind a slower generator.
 */
final class PacedPublisher {

  /** What a run sent: how many events the engine acknowledged (202) and how many requests it did not. */
  record Published(long acknowledged, long refused) {
  }

  private final TestEngine engine;

  PacedPublisher(TestEngine engine) {
    this.engine = engine;
  }

  /** Epoch microseconds of an instant, the unit of {@code t0}. */
  static long micros(Instant at) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, at);
  }

  /**
   * Publishes {@code event} for {@code owner} at {@code rate} per second for {@code duration}; each event's data is
   * {@code {"t0": due time, "n": number, "phase": phase}}. Completes when every request has been answered.
   */
  Future<Published> publish(TestAccount owner, String event, String phase, double rate, Duration duration) {
    long total = (long) (rate * duration.toMillis() / 1000);
    long intervalMicros = (long) (1_000_000 / rate);
    long start = micros(Instant.now()) + 20_000;
    AtomicLong sent = new AtomicLong();
    AtomicLong answered = new AtomicLong();
    AtomicLong acknowledged = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    Promise<Published> done = Promise.promise();
    engine.clientVertx.setPeriodic(1, timer -> {
      long now = micros(Instant.now());
      while (sent.get() < total && start + sent.get() * intervalMicros <= now) {
        long n = sent.getAndIncrement();
        JsonObject data = new JsonObject().put("t0", start + n * intervalMicros).put("n", n).put("phase", phase);
        engine.client.post("/v1/" + owner.sid() + "/callback/events").putHeader("api-key", owner.apiKey())
            .sendJsonObject(new JsonObject().put("event", event).put("data", data))
            .onComplete(reply -> {
              if (reply.succeeded() && reply.result().statusCode() == 202) {
                acknowledged.incrementAndGet();
              } else {
                refused.incrementAndGet();
              }
              if (answered.incrementAndGet() == total) {
                done.complete(new Published(acknowledged.get(), refused.get()));
              }
            });
      }
      if (sent.get() >= total) {
        engine.clientVertx.cancelTimer(timer);
      }
    });
    return done.future();
  }
}
