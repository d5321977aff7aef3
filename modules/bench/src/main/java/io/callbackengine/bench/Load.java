package io.callbackengine.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The two ways the benchmark loads the engine. Closed loop: {@code lanes} requests always in flight, as fast as
 * answers come, to measure a capacity. Open loop: events published on a fixed schedule whatever the answers do,
 * each stamped with its scheduled send time {@code t0}, so a slow engine shows up as latency instead of hiding
 * behind a slower generator.
 */
final class Load {

  private final Vertx vertx;
  private final Supplier<WebClient> clients;

  /** @param clients the client for each next open-loop request: one engine's, or each of several processes' in turn */
  Load(Vertx vertx, Supplier<WebClient> clients) {
    this.vertx = vertx;
    this.clients = clients;
  }

  /**
   * Completed requests per second over {@code duration}; a non-2xx answer stops the run. Measure only a path
   * {@link #warmUp warmed up} already.
   */
  Future<Double> closedLoop(int lanes, Duration duration, Supplier<Future<HttpResponse<Buffer>>> request) {
    return measure(lanes, duration, request);
  }

  /**
   * The same load as {@link #closedLoop}, unmeasured, for a few seconds: so the JIT has compiled the path, in the
   * engine and in this benchmark alike. Measured cold, the first engine measured would also pay for warming up the
   * benchmark's own client; in one run the same jar came out at 6,061 and 15,932 {@code GET profile}/s that way.
   */
  Future<Void> warmUp(int lanes, Supplier<Future<HttpResponse<Buffer>>> request) {
    return measure(lanes, WARM_UP, request).mapEmpty();
  }

  /** After 3 s, two engines of the same jar still measured 21,827 and 23,294 GET profile/s; after 11 s, 28,486 both. */
  private static final Duration WARM_UP = Duration.ofSeconds(5);
  private static final Duration STALL_LIMIT = Duration.ofSeconds(30);

  private Future<Double> measure(int lanes, Duration duration, Supplier<Future<HttpResponse<Buffer>>> request) {
    long deadline = System.nanoTime() + duration.toNanos();
    AtomicLong done = new AtomicLong();
    long started = System.nanoTime();
    Future<?>[] all = new Future<?>[lanes];
    for (int i = 0; i < lanes; i++) {
      all[i] = lane(deadline, done, request);
    }
    // Should a lane never report back (a lost response, a bug here), give up loudly instead of waiting for ever.
    Promise<Double> rate = Promise.promise();
    long guard = vertx.setTimer(duration.plus(STALL_LIMIT).toMillis(), id -> rate.tryFail("the load did not finish within "
        + STALL_LIMIT.toSeconds() + " s of the end of the run"));
    Future.all(java.util.List.of(all)).onComplete(done2 -> {
      vertx.cancelTimer(guard);
      if (done2.succeeded()) {
        rate.tryComplete(done.get() / ((System.nanoTime() - started) / 1e9));
      } else {
        rate.tryFail(done2.cause());
      }
    });
    return rate.future();
  }

  /**
   * One request after another until the deadline. Each next request is sent from the previous answer's callback,
   * not chained with {@code compose}: a chain grows one future per request, and completing 10,000 nested futures
   * at the end of a fast run overflowed the stack, so the lane never reported back.
   */
  private Future<Void> lane(long deadline, AtomicLong done, Supplier<Future<HttpResponse<Buffer>>> request) {
    Promise<Void> finished = Promise.promise();
    next(deadline, done, request, finished);
    return finished.future();
  }

  private void next(long deadline, AtomicLong done, Supplier<Future<HttpResponse<Buffer>>> request,
      Promise<Void> finished) {
    if (System.nanoTime() >= deadline) {
      finished.tryComplete();
      return;
    }
    request.get().onComplete(reply -> {
      if (reply.failed()) {
        finished.tryFail(reply.cause());
      } else if (reply.result().statusCode() >= 300) {
        finished.tryFail("answered " + reply.result().statusCode() + ": " + reply.result().bodyAsString());
      } else {
        done.incrementAndGet();
        next(deadline, done, request, finished);
      }
    });
  }

  /** What an open-loop run sent and got acknowledged. */
  /**
   * @param ackMicros every publish's time to acknowledgement, sorted
   * @param acksInOrder the same, by publish number (publish {@code i} was scheduled {@code i * intervalMicros} after
   *     the first)
   */
  record Published(long events, long deliveries, long failedRequests, long latestSendLagMicros, long[] ackMicros,
      long[] acksInOrder, long intervalMicros) {
    /** Publish→acknowledgement (202) time at this percentile, in ms: the intake's share of the latency. */
    double ackPercentile(double p) {
      return ackMicros.length == 0 ? Double.NaN : ackMicros[(int) Math.min(ackMicros.length - 1, p * ackMicros.length)] / 1000.0;
    }

    /** The slowest acknowledgement of the publishes scheduled in each of the first {@code slices} slices, µs. */
    long[] slowestAcks(long sliceMicros, int slices) {
      long[] slowest = new long[slices];
      for (int i = 0; i < acksInOrder.length; i++) {
        long slice = i * intervalMicros / sliceMicros;
        if (slice >= slices) {
          break;
        }
        slowest[(int) slice] = Math.max(slowest[(int) slice], acksInOrder[i]);
      }
      return slowest;
    }
  }

  /**
   * Publishes {@code rate} events per second for {@code duration} in batches of {@code batch}, one request per batch
   * at its scheduled time. {@code event} builds one event given its number and {@code t0}.
   */
  Future<Published> openLoop(String path, String apiKey, double rate, Duration duration, int batch,
      EventFactory event) {
    long total = (long) (rate * duration.toMillis() / 1000);
    long intervalMicros = (long) (batch * 1_000_000 / rate);
    long start = ArrivalRecorder.Clock.micros() + 50_000;
    AtomicLong sent = new AtomicLong();
    AtomicLong acknowledgedEvents = new AtomicLong();
    AtomicLong acknowledgedDeliveries = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicLong answered = new AtomicLong();
    AtomicLong worstLag = new AtomicLong();
    long[] acks = new long[(int) Math.min(Integer.MAX_VALUE - 8, (total + batch - 1) / batch)];
    Promise<Published> finished = Promise.promise();
    long batches = (total + batch - 1) / batch;
    vertx.setPeriodic(1, timer -> {
      long now = ArrivalRecorder.Clock.micros();
      while (sent.get() < batches && start + sent.get() * intervalMicros <= now) {
        long index = sent.getAndIncrement();
        long t0 = start + index * intervalMicros;
        worstLag.accumulateAndGet(now - t0, Math::max);
        JsonArray events = new JsonArray();
        for (long n = index * batch; n < Math.min(total, (index + 1) * batch); n++) {
          events.add(event.event(n, t0));
        }
        clients.get().post(path).putHeader("api-key", apiKey).sendJson(batch == 1 ? events.getJsonObject(0) : events)
            .onComplete(reply -> {
              acks[(int) index] = ArrivalRecorder.Clock.micros() - t0;
              if (reply.succeeded() && reply.result().statusCode() == 202) {
                JsonArray accepted = reply.result().bodyAsJsonObject().getJsonObject("data").getJsonArray("events");
                acknowledgedEvents.addAndGet(accepted.size());
                accepted.forEach(a -> acknowledgedDeliveries.addAndGet(((JsonObject) a).getInteger("deliveries")));
              } else {
                failed.incrementAndGet();
              }
              if (answered.incrementAndGet() == batches) {
                long[] inOrder = acks.clone();
                java.util.Arrays.sort(acks);
                finished.complete(new Published(acknowledgedEvents.get(), acknowledgedDeliveries.get(), failed.get(),
                    worstLag.get(), acks, inOrder, intervalMicros));
              }
            });
      }
      if (sent.get() >= batches) {
        vertx.cancelTimer(timer);
      }
    });
    return finished.future();
  }

  /** Builds event number {@code n}, scheduled at {@code t0} (epoch microseconds). */
  @FunctionalInterface
  interface EventFactory {
    JsonObject event(long n, long t0);
  }
}
