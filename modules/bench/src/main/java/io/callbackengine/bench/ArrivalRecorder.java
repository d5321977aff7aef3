package io.callbackengine.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark's receiver: answers 200 at once and records, per delivery ({@code webhook-id}), how often it arrived
 * and, from the {@code t0} the callback body carries (the event's scheduled send time, epoch microseconds), the
 * publish→delivery latency {@code t3 − t0}. Latencies go into a window that each phase resets. Requests under
 * {@link #HANG} get no answer at all.
 */
final class ArrivalRecorder {

  /** Requests under this path are never answered: a hung receiver app on the same host and port. */
  static final String HANG = "/hang";

  private final DeliveryIdSet arrivals = new DeliveryIdSet();
  private final AtomicLong hung = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private long[] latencies = new long[1 << 16];
  /** The scheduled send time of each latency, at the same index. */
  private long[] sentAt = new long[1 << 16];
  private int latencyCount;
  private HttpServer server;
  private int awaitedCount = Integer.MAX_VALUE;
  private io.vertx.core.Promise<Void> awaited;

  Future<ArrivalRecorder> start(Vertx vertx) {
    return vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      if (request.path().startsWith(HANG)) {
        hung.incrementAndGet();
        return;
      }
      long arrived = Clock.micros();
      String deliveryId = request.getHeader("webhook-id");
      if (deliveryId != null && !arrivals.add(deliveryId)) {
        duplicates.incrementAndGet();
      }
      checkAwaited();
      if (deliveryId != null && body.length() > 0) {
        Object t0 = new JsonObject(body).getValue("t0");
        if (t0 instanceof Number n) {
          record(n.longValue(), arrived - n.longValue());
        }
      }
      request.response().end();
    })).listen(0, "127.0.0.1").map(s -> {
      server = s;
      return this;
    });
  }

  int port() {
    return server.actualPort();
  }

  private synchronized void record(long t0, long micros) {
    if (latencyCount == latencies.length) {
      latencies = Arrays.copyOf(latencies, latencies.length * 2);
      sentAt = Arrays.copyOf(sentAt, sentAt.length * 2);
    }
    sentAt[latencyCount] = t0;
    latencies[latencyCount++] = micros;
  }

  /** The latencies recorded since the last call, sorted, and a fresh window. */
  long[] takeLatencies() {
    return takeWindow().latencies();
  }

  /** What arrived since the last call, and a fresh window. */
  synchronized Window takeWindow() {
    Window window = new Window(Arrays.copyOf(sentAt, latencyCount), Arrays.copyOf(latencies, latencyCount));
    latencyCount = 0;
    return window;
  }

  /**
   * Latencies with the time each event was scheduled to be sent: which second of a phase the slow deliveries were
   * sent in tells a stall (all in one second or two) from a slow engine (spread over the phase).
   *
   * @param sentAt each delivery's scheduled send time, epoch µs
   * @param unsortedLatencies each delivery's latency, µs, at the index of its send time
   * @param latencies the same latencies sorted, for percentiles
   */
  record Window(long[] sentAt, long[] unsortedLatencies, long[] latencies) {
    Window(long[] sentAt, long[] unsortedLatencies) {
      this(sentAt, unsortedLatencies, sorted(unsortedLatencies));
    }

    private static long[] sorted(long[] values) {
      long[] copy = values.clone();
      Arrays.sort(copy);
      return copy;
    }

    /** The earliest scheduled send time of the window, epoch µs; 0 when nothing arrived. */
    long firstSent() {
      return Arrays.stream(sentAt).min().orElse(0);
    }

    /** The slowest delivery of those scheduled in each of the first {@code slices} slices of the window, µs. */
    long[] slowest(long sliceMicros, int slices) {
      long[] slowest = new long[slices];
      long first = firstSent();
      for (int i = 0; i < sentAt.length; i++) {
        long slice = (sentAt[i] - first) / sliceMicros;
        if (slice < slices) {
          slowest[(int) slice] = Math.max(slowest[(int) slice], unsortedLatencies[i]);
        }
      }
      return slowest;
    }

    /**
     * The seconds of the window, counted from its first scheduled send, whose deliveries took longer than
     * {@code thresholdMicros}: per such second, how many did.
     */
    SortedMap<Long, Integer> slowSeconds(long thresholdMicros) {
      SortedMap<Long, Integer> slow = new TreeMap<>();
      long first = firstSent();
      for (int i = 0; i < sentAt.length; i++) {
        if (unsortedLatencies[i] > thresholdMicros) {
          slow.merge((sentAt[i] - first) / 1_000_000, 1, Integer::sum);
        }
      }
      return slow;
    }
  }

  /** Completes once {@code count} distinct deliveries have arrived in all, or fails after {@code timeout}. */
  synchronized Future<Void> awaitDistinct(Vertx vertx, int count, java.time.Duration timeout) {
    awaitedCount = count;
    io.vertx.core.Promise<Void> promise = io.vertx.core.Promise.promise();
    awaited = promise;
    // On time-out the phase goes on and its balance check reports what is missing.
    long timer = vertx.setTimer(timeout.toMillis(), id -> promise.tryComplete());
    checkAwaited();
    return promise.future().onComplete(done -> vertx.cancelTimer(timer));
  }

  private synchronized void checkAwaited() {
    if (awaited != null && arrivals.size() >= awaitedCount) {
      awaited.tryComplete();
    }
  }

  int distinctArrivals() {
    return arrivals.size();
  }

  boolean arrived(String deliveryId) {
    return arrivals.contains(deliveryId);
  }

  /** Requests left unanswered under {@link #HANG}. */
  long hung() {
    return hung.get();
  }

  long duplicates() {
    return duplicates.get();
  }

  /** Microseconds on the wall clock, comparable across processes on one machine. */
  static final class Clock {
    private static final long OFFSET = System.currentTimeMillis() * 1000 - System.nanoTime() / 1000;

    private Clock() {
    }

    static long micros() {
      return OFFSET + System.nanoTime() / 1000;
    }
  }
}
