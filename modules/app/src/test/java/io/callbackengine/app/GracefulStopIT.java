package io.callbackengine.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.callbackengine.app.TestEngine.TestAccount;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Stopping the engine (what SIGTERM does) while producers publish: a request the engine accepted is answered as
 * usual, never with a 5xx because the stop closed the database pool under it; new connections are refused, which a
 * producer sees as "not accepted" and retries elsewhere.
 */
class GracefulStopIT {

  @Test
  void aStopUnderLoadAnswersEveryRequestItTookWithoutA5xx() {
    String schema = TestEngine.freshSchema(GracefulStopIT.class);
    TestEngine engine = TestEngine.start(schema);
    Vertx vertx = Vertx.vertx();
    Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
    AtomicLong refused = new AtomicLong();
    try {
      TestAccount account = engine.createAccount("Stopping");
      // A failed publish counts as refused here, so replies that break openapi.yaml are collected and asserted on.
      List<AssertionError> drifts = new java.util.concurrent.CopyOnWriteArrayList<>();
      WebClient client = ContractCheck.shared().watch(WebClient.create(vertx, new WebClientOptions()
          .setDefaultHost("127.0.0.1").setDefaultPort(engine.app.httpPort()), new PoolOptions().setHttp1MaxSize(16)),
          drifts);
      AtomicBoolean stopped = new AtomicBoolean();
      List<Future<Void>> lanes = new ArrayList<>();
      for (int lane = 0; lane < 16; lane++) {
        lanes.add(publishUntilRefused(client, account, stopped, statuses, refused));
      }
      vertx.setTimer(1000, id -> engine.app.stop().onComplete(done -> stopped.set(true)));
      TestEngine.await(Future.join(lanes).otherwiseEmpty());

      Map<Integer, Long> seen = new TreeMap<>();
      statuses.forEach((status, count) -> seen.put(status, count.get()));
      assertThat(seen.get(202)).as("publishes accepted before the stop: %s", seen).isPositive();
      assertThat(seen.keySet()).as("statuses answered: %s", seen).containsOnly(202);
      assertThat(drifts).as("replies that break openapi.yaml").isEmpty();
    } finally {
      TestEngine.await(vertx.close());
      TestEngine.sqlIn(schema, "drop schema if exists " + schema + " cascade");
    }
  }

  /** Publishes one event after another until the engine refuses the connection (or 10 s pass). */
  private static Future<Void> publishUntilRefused(WebClient client, TestAccount account, AtomicBoolean stopped,
      Map<Integer, AtomicLong> statuses, AtomicLong refused) {
    Promise<Void> done = Promise.promise();
    long deadline = System.nanoTime() + 10_000_000_000L;
    publishNext(client, account, stopped, statuses, refused, done, deadline);
    return done.future();
  }

  private static void publishNext(WebClient client, TestAccount account, AtomicBoolean stopped,
      Map<Integer, AtomicLong> statuses, AtomicLong refused, Promise<Void> done, long deadline) {
    if (System.nanoTime() > deadline) {
      done.complete();
      return;
    }
    client.post("/v1/" + account.sid() + "/callback/events").putHeader("api-key", account.apiKey())
        .sendJsonObject(new JsonObject().put("event", "SMS-sent"))
        .onSuccess(reply -> {
          statuses.computeIfAbsent(reply.statusCode(), s -> new AtomicLong()).incrementAndGet();
          publishNext(client, account, stopped, statuses, refused, done, deadline);
        })
        .onFailure(error -> {
          refused.incrementAndGet();
          if (stopped.get()) {
            done.complete();
          } else {
            publishNext(client, account, stopped, statuses, refused, done, deadline);
          }
        });
  }
}
