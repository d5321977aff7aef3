package io.callbackengine.app;

import io.callbackengine.app.Receiver.Answer;
import io.callbackengine.app.Receiver.Arrival;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What happened during a crash loop, recorded as it happens, and the checker over it. The publisher records every
 * answer it got (an event counts as acknowledged only when its request answered 202), the receiver what it answered
 * to each arrival, the killer each kill and restart, and a sampler the leases it found expired while an engine was
 * running. {@link #check} then proves the delivery promise from the receiver's side: every acknowledged event has
 * at least one arrival the receiver answered 2xx, matched by the {@code event_id} the callback body carries (not by
 * the engine's own tables).
 */
final class CrashLoopHistory {

  /** One kill -9 and the restart after it. */
  record Kill(int generation, Instant killedAt, Instant respawnedAt, Instant readyAt) {
  }

  /** The figures of one run, and what broke the promise (empty when nothing did). */
  record Report(long seed, Duration ran, Publishing publishing, Recovery recovery, Arrivals arrivals, Leases leases,
      List<String> violations) {

    String text() {
      return String.join("\n", "crash loop: seed " + seed + ", ran " + ran.toSeconds() + " s", publishing.text(),
          recovery.text(), arrivals.text(), leases.text(),
          violations.isEmpty() ? "no violations" : "VIOLATIONS:\n  " + String.join("\n  ", violations));
    }
  }

  /** What the producer saw: answers by class (status class or exception), timeouts, failures of a live engine. */
  record Publishing(long eventsSent, long acknowledged, long requests, Map<String, Long> answers, long serverErrors,
      long timedOut, long failedOnLiveEngine) {
    String text() {
      return "events sent " + eventsSent + ", acknowledged (202) " + acknowledged + ", in " + requests + " requests;"
          + " answers " + answers + "; 5xx " + serverErrors + ", no answer within the client's timeout " + timedOut
          + ", other failures while the engine ran " + failedOnLiveEngine;
    }
  }

  /** Kills survived, and the longest time from a kill to the next engine ready, and to its first delivery. */
  record Recovery(int kills, Duration longestToReady, Duration longestToFirstDelivery) {
    String text() {
      return "kills survived " + kills + "; longest recovery: ready " + longestToReady.toMillis()
          + " ms after the kill, first delivery " + longestToFirstDelivery.toMillis() + " ms after the kill";
    }
  }

  /** What the receiver saw; a duplicate is an arrival after its delivery's first 2xx-answered arrival. */
  record Arrivals(long total, long deliveries, long duplicates, long duplicatesWithoutKill) {
    String text() {
      return "arrivals " + total + " for " + deliveries + " deliveries; duplicates " + duplicates
          + " (with no kill between the first 2xx and the repeat: " + duplicatesWithoutKill + ")";
    }
  }

  /** How the lease samples went: the oldest expired lease seen while an engine had been running a while. */
  record Leases(long samples, Duration oldestExpired, Duration bound) {
    String text() {
      return "lease samples " + samples + ", oldest expired lease still held " + oldestExpired.toMillis() + " ms"
          + " (bound " + bound.toMillis() + " ms)";
    }
  }

  private final long seed;
  private final Instant began = Instant.now();
  private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
  private final AtomicLong eventsSent = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();
  private final Map<String, AtomicLong> answers = new ConcurrentHashMap<>();
  private final AtomicLong unexpectedErrors = new AtomicLong();
  private final AtomicLong timedOut = new AtomicLong();
  private final AtomicLong serverErrors = new AtomicLong();
  private final List<String> violations = new CopyOnWriteArrayList<>();
  /** When each engine generation's kill began; a request to a generation failing after that is expected. */
  private final Map<Integer, Instant> killStarted = new ConcurrentHashMap<>();
  private final List<Kill> kills = new CopyOnWriteArrayList<>();
  /** Whether the receiver answered arrival n with a 2xx. */
  private final Map<Integer, Boolean> answeredOk = new ConcurrentHashMap<>();
  private final AtomicLong leaseSamples = new AtomicLong();
  private final AtomicLong stuckSamples = new AtomicLong();
  private volatile Duration oldestExpiredLease = Duration.ZERO;
  private volatile Duration leaseBound = Duration.ZERO;

  CrashLoopHistory(long seed) {
    this.seed = seed;
  }

  void sent(int events) {
    requests.incrementAndGet();
    eventsSent.addAndGet(events);
  }

  /** A publish answered: 202 with the engine's event ids, or anything else. */
  void answered(int status, List<String> eventIds) {
    answers.computeIfAbsent(status / 100 + "xx", k -> new AtomicLong()).incrementAndGet();
    if (status == 202) {
      acknowledged.addAll(eventIds);
    } else if (status >= 500) {
      serverErrors.incrementAndGet();
    }
  }

  /**
   * A publish to engine {@code generation} failed without an answer. Refused, reset or closed is expected once that
   * engine is being killed, and a fault while it runs. No answer within the client's timeout means a slow engine (a
   * loaded machine): counted and reported, but it breaks no promise, as the events were not acknowledged.
   */
  void failed(int generation, Throwable cause) {
    answers.computeIfAbsent(cause.getClass().getSimpleName(), k -> new AtomicLong()).incrementAndGet();
    if (cause instanceof TimeoutException) {
      timedOut.incrementAndGet();
    } else if (!killStarted.containsKey(generation)) {
      unexpectedErrors.incrementAndGet();
      violation("publish to live engine " + generation + " failed: " + cause);
    }
  }

  void killing(int generation) {
    killStarted.put(generation, Instant.now());
  }

  void restarted(int generation, Instant respawnedAt, Instant readyAt) {
    kills.add(new Kill(generation, killStarted.get(generation), respawnedAt, readyAt));
  }

  /** Records what the receiver answers to arrival {@code n}, and answers it. */
  Answer answer(int n, Answer answer) {
    answeredOk.put(n, !answer.hangs() && answer.status() / 100 == 2);
    return answer;
  }

  /**
   * One look at the leases, taken only when the running engine has been up longer than the reaper's bound:
   * {@code stuck} deliveries are still {@code delivering} although their lease expired more than the bound ago.
   */
  void leaseSample(long stuck, Duration oldestExpired, Duration bound) {
    leaseSamples.incrementAndGet();
    leaseBound = bound;
    if (oldestExpired.compareTo(oldestExpiredLease) > 0) {
      oldestExpiredLease = oldestExpired;
    }
    if (stuck > 0) {
      stuckSamples.incrementAndGet();
      violation(stuck + " deliveries still leased more than " + bound.toMillis() + " ms after their lease expired"
          + " (oldest " + oldestExpired.toMillis() + " ms)");
    }
  }

  /** Keeps the first few violations of each run in full; the counters above keep the totals. */
  private void violation(String text) {
    if (violations.size() < 20) {
      violations.add(text);
    }
  }

  /**
   * Checks the run against what the receiver saw and what the engine's tables hold at the end.
   *
   * @param arrivals every request the receiver got, in arrival order (index n = arrival n)
   * @param leftLeased deliveries still holding a lease once the engine drained
   * @param notDelivered deliveries by status other than {@code delivered} once the engine drained
   */
  Report check(List<Arrival> arrivals, long leftLeased, Map<String, Long> notDelivered) {
    List<String> found = new ArrayList<>(violations);
    Arrivals seen = arrivals(arrivals, found);
    Recovery recovery = recovery(arrivals, found);
    if (stuckSamples.get() > 0) {
      found.add(stuckSamples.get() + " lease samples found deliveries stuck leased");
    }
    if (unexpectedErrors.get() > 0) {
      found.add(unexpectedErrors.get() + " publishes to a live engine failed without an answer");
    }
    if (serverErrors.get() > 0) {
      found.add(serverErrors.get() + " publishes answered 5xx");
    }
    if (leftLeased > 0) {
      found.add(leftLeased + " deliveries still leased after the drain");
    }
    if (!notDelivered.isEmpty()) {
      found.add("deliveries not delivered after the drain: " + notDelivered);
    }
    Map<String, Long> answerCounts = new TreeMap<>();
    answers.forEach((k, v) -> answerCounts.put(k, v.get()));
    return new Report(seed, Duration.between(began, Instant.now()),
        new Publishing(eventsSent.get(), acknowledged.size(), requests.get(), answerCounts, serverErrors.get(),
            timedOut.get(), unexpectedErrors.get()),
        recovery, seen, new Leases(leaseSamples.get(), oldestExpiredLease, leaseBound), found);
  }

  /**
   * Every acknowledged event needs an arrival answered 2xx, found by the {@code event_id} in the body; arrivals of a
   * delivery after its first 2xx are duplicates, and those with no kill in between have another cause.
   */
  private Arrivals arrivals(List<Arrival> arrivals, List<String> found) {
    Set<String> deliveredEvents = new HashSet<>();
    Set<String> deliveries = new HashSet<>();
    Map<String, Instant> firstOk = new HashMap<>();
    long duplicates = 0;
    long duplicatesWithoutKill = 0;
    for (int n = 0; n < arrivals.size(); n++) {
      Arrival arrival = arrivals.get(n);
      String deliveryId = arrival.header("webhook-id");
      deliveries.add(deliveryId);
      Instant delivered = firstOk.get(deliveryId);
      if (delivered != null) {
        duplicates++;
        if (!killedBetween(delivered, arrival.at())) {
          duplicatesWithoutKill++;
        }
      }
      if (answeredOk.getOrDefault(n, false)) {
        firstOk.putIfAbsent(deliveryId, arrival.at());
        deliveredEvents.add(eventIdOf(arrival));
      }
    }
    Set<String> lost = new HashSet<>(acknowledged);
    lost.removeAll(deliveredEvents);
    if (!lost.isEmpty()) {
      found.add(lost.size() + " acknowledged events never got a 2xx arrival, e.g. " + lost.stream().limit(5).toList());
    }
    return new Arrivals(arrivals.size(), deliveries.size(), duplicates, duplicatesWithoutKill);
  }

  /** From each kill to the next engine's readiness, and to the first arrival after it was started. */
  private Recovery recovery(List<Arrival> arrivals, List<String> found) {
    Duration longestReady = Duration.ZERO;
    Duration longestFirst = Duration.ZERO;
    for (int i = 0; i < kills.size(); i++) {
      Kill kill = kills.get(i);
      Instant until = i + 1 < kills.size() ? kills.get(i + 1).killedAt() : Instant.MAX;
      Instant first = arrivals.stream().map(Arrival::at)
          .filter(at -> !at.isBefore(kill.respawnedAt()) && at.isBefore(until)).findFirst().orElse(null);
      longestReady = max(longestReady, Duration.between(kill.killedAt(), kill.readyAt()));
      if (first == null) {
        found.add("no delivery arrived after restart " + kill.generation() + " before the next kill");
      } else {
        longestFirst = max(longestFirst, Duration.between(kill.killedAt(), first));
      }
    }
    return new Recovery(kills.size(), longestReady, longestFirst);
  }

  private boolean killedBetween(Instant from, Instant to) {
    return kills.stream().anyMatch(k -> !k.killedAt().isBefore(from) && k.killedAt().isBefore(to));
  }

  private static String eventIdOf(Arrival arrival) {
    try {
      return new JsonObject(arrival.body()).getString("event_id");
    } catch (DecodeException e) {
      return null;
    }
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
