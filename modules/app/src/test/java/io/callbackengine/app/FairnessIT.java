package io.callbackengine.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.callbackengine.app.PacedPublisher.Published;
import io.callbackengine.app.TestEngine.TestAccount;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 6, item 6: a receiver that hangs cannot slow another tenant's callbacks. One account's profile is fed at a
 * fixed rate, alone and then beside another account's profile, fed at the same rate, whose callbacks never get an
 * answer (each attempt runs into the request timeout and is retried). The healthy profile's publish→arrival p99
 * beside the hanging one must stay within twice its p99 alone, plus a noise floor for a machine shared with other
 * builds.
 *
 * <p>Both profiles call the same receiver host and port (the hanging one under another path), the harder case:
 * connections are pooled per host, so the pool must not let the hanging profile hold them all. The global in-flight
 * limit is lowered to 64 so that the hanging profile could fill it on its own within a second if nothing stopped it:
 * what keeps the healthy profile flowing is the per-profile cap (16) and a claim that skips a profile with no room,
 * not spare capacity.
 */
class FairnessIT {

  private static final double RATE = 50;
  private static final Duration PHASE = Duration.ofSeconds(6);
  /**
   * Added to 2× the p99 alone: on a 2-core machine shared with other builds one phase's p99 alone was seen anywhere
   * from 12 to 520 ms. A starved profile sees 9 to 16 s (per-profile cap raised to the global limit, or connections
   * pooled per host at one profile's cap).
   */
  private static final long NOISE_FLOOR_MS = 400;
  private static final System.Logger LOG = System.getLogger(FairnessIT.class.getName());

  private TestEngine engine;
  private final Receiver receiver = Receiver.start().hangingOn("/hang");

  @AfterEach
  void stop() {
    if (engine != null) {
      engine.close();
    }
    receiver.close();
  }

  @Test
  void aHangingReceiverOfAnotherAccountLeavesAHealthyProfilesLatencyWithinTwiceItsOwn() {
    String schema = TestEngine.freshSchema(FairnessIT.class);
    Map<String, String> env = TestEngine.dispatchEnvironment(schema);
    env.put("CALLBACK_DISPATCH_MAX_IN_FLIGHT", "64");
    env.put("CALLBACK_DISPATCH_PER_PROFILE_IN_FLIGHT", "16");
    env.put("CALLBACK_DISPATCH_REQUEST_TIMEOUT", "3s");
    env.put("CALLBACK_DISPATCH_LEASE", "10s");
    env.put("CALLBACK_DATABASE_POOL_SIZE", "8");
    engine = TestEngine.start(schema, env);
    TestAccount good = engine.createAccount("Healthy tenant");
    TestAccount bad = engine.createAccount("Hanging tenant");
    JsonObject template = new JsonObject().put("t0", "<t0>").put("n", "<n>").put("phase", "<phase>");
    engine.createProfile(good, ProfileApiIT.minimal("Healthy").put("url", receiver.url("/ok"))
        .put("channel", "sms").put("events", "SMS-sent").put("body", template));
    engine.createProfile(bad, ProfileApiIT.minimal("Hanging").put("url", receiver.url("/hang"))
        .put("channel", "sms").put("events", "SMS-sent").put("body", template));
    PacedPublisher publisher = new PacedPublisher(engine);

    long[] warmUp = phase(publisher.publish(good, "SMS-sent", "warm-up", RATE, Duration.ofSeconds(2)), "warm-up");
    long[] alone = phase(publisher.publish(good, "SMS-sent", "alone", RATE, PHASE), "alone");
    Future<Published> noise = publisher.publish(bad, "SMS-sent", "beside", RATE, PHASE);
    long[] beside = phase(publisher.publish(good, "SMS-sent", "beside", RATE, PHASE), "beside");
    TestEngine.await(noise);

    long timedOut = Long.parseLong(TestEngine.sqlIn(schema, "select count(*) from deliveries where sid = '" + bad.sid()
        + "' and last_error like 'timeout%'").get(0));
    LOG.log(System.Logger.Level.INFO, String.format(Locale.ROOT, "fairness: healthy p50/p99 alone %d/%d ms, beside a "
        + "hanging profile %d/%d ms (ratio of p99s %.2f); warm-up p99 %d ms; the hanging receiver got %d requests, "
        + "%d deliveries timed out", p(alone, 0.50), p(alone, 0.99), p(beside, 0.50), p(beside, 0.99),
        (double) p(beside, 0.99) / Math.max(1, p(alone, 0.99)), p(warmUp, 0.99), hung(), timedOut));
    assertThat(hung()).as("requests the hanging receiver held: the profile used its whole cap")
        .isGreaterThanOrEqualTo(16);
    assertThat(timedOut).as("hanging deliveries whose attempt ran into the request timeout").isPositive();
    assertThat(p(beside, 0.99)).as("healthy p99 (ms) beside the hanging profile, against 2 × %d ms alone + %d ms",
        p(alone, 0.99), NOISE_FLOOR_MS).isLessThanOrEqualTo(2 * p(alone, 0.99) + NOISE_FLOOR_MS);
  }

  /**
   * Waits until every event the engine acknowledged in {@code phase} reached the healthy receiver, and answers
   * their publish→arrival latencies in milliseconds, sorted (the first arrival of each event counts).
   */
  private long[] phase(Future<Published> publishing, String phase) {
    Published published = TestEngine.await(publishing);
    assertThat(published.refused()).as("publish requests not acknowledged in phase %s", phase).isZero();
    Map<Long, Long> latencies = new HashMap<>();
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
      receiver.arrivals.forEach(arrival -> {
        JsonObject body = arrival.body().toJsonObject();
        if (phase.equals(body.getString("phase"))) {
          long arrived = PacedPublisher.micros(arrival.at());
          latencies.merge(body.getLong("n"), (arrived - body.getLong("t0")) / 1000, Math::min);
        }
      });
      return latencies.size() == published.acknowledged();
    });
    long[] sorted = latencies.values().stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(sorted);
    return sorted;
  }

  /** Requests the receiver left unanswered. */
  private long hung() {
    return receiver.arrivals.stream().filter(arrival -> arrival.uri().startsWith("/hang")).count();
  }

  /** The {@code q} quantile (nearest rank) of sorted values. */
  private static long p(long[] sorted, double q) {
    return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  }
}
