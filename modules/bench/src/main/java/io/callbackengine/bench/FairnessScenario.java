package io.callbackengine.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.Locale;

/**
 * The fairness figure (issue 6, item 6): a healthy profile's publish→delivery latency at a fixed rate, alone, then
 * beside another profile fed at the same rate whose receiver never answers, so each of its attempts runs into the
 * engine's request timeout. Both profiles call the same receiver host and port (the hung one under
 * {@link ArrivalRecorder#HANG}), so they share the engine's connection pool for that host. Afterwards the hung
 * profile is deleted, which cancels its backlog.
 */
final class FairnessScenario {

  private final Vertx vertx;
  private final WebClient client;
  private final Load load;
  private final ArrivalRecorder receiver;
  private final String profiles;
  private final String events;
  private final String apiKey;

  /**
   * @param profiles the account's profiles path
   * @param events the account's events path
   */
  FairnessScenario(Vertx vertx, WebClient client, Load load, ArrivalRecorder receiver, String profiles, String events,
      String apiKey) {
    this.vertx = vertx;
    this.client = client;
    this.load = load;
    this.receiver = receiver;
    this.profiles = profiles;
    this.events = events;
    this.apiKey = apiKey;
  }

  /** Runs both phases at {@code rate} events/s for {@code duration} each. */
  Future<Result> run(double rate, Duration duration) {
    return create("fair healthy", "/fair", "fair-healthy")
        .compose(healthy -> create("fair hanging", ArrivalRecorder.HANG, "fair-hanging"))
        .compose(hanging -> phase(rate, duration, false)
            .compose(alone -> phase(rate, duration, true).map(beside -> new Result(alone, beside, receiver.hung())))
            .compose(result -> client.delete(profiles + "/" + hanging).putHeader("api-key", apiKey).send()
                .map(deleted -> result)));
  }

  private Future<String> create(String title, String path, String event) {
    return client.post(profiles).putHeader("api-key", apiKey).sendJsonObject(new JsonObject()
            .put("title", title).put("http_method", "POST").put("url", "http://127.0.0.1:" + receiver.port() + path)
            .put("channel", "sms").put("events", new JsonArray().add(event))
            .put("body", new JsonObject().put("t0", "<t0>").put("n", "<n>")))
        .map(reply -> reply.bodyAsJsonObject().getJsonObject("data").getString("profile_id"));
  }

  /** One phase: the healthy profile's load (and the hanging one's beside it), until every healthy event arrived. */
  private Future<Phase> phase(double rate, Duration duration, boolean besideHanging) {
    receiver.takeLatencies();
    int before = receiver.distinctArrivals();
    Future<Load.Published> hanging = besideHanging
        ? load.openLoop(events, apiKey, rate, duration, 1, (n, t0) -> event("fair-hanging", n, t0))
        : Future.succeededFuture();
    return load.openLoop(events, apiKey, rate, duration, 1, (n, t0) -> event("fair-healthy", n, t0))
        .compose(published -> receiver.awaitDistinct(vertx, before + (int) published.deliveries(), Duration.ofSeconds(60))
            .compose(arrived -> hanging)
            .map(done -> new Phase(published, receiver.distinctArrivals() - before, receiver.takeLatencies())));
  }

  private static JsonObject event(String name, long n, long t0) {
    return new JsonObject().put("event", name).put("data", new JsonObject().put("t0", t0).put("n", n));
  }

  record Phase(Load.Published published, long delivered, long[] latencies) {
    double p(double q) {
      return latencies.length == 0 ? Double.NaN : latencies[(int) Math.min(latencies.length - 1, q * latencies.length)] / 1000.0;
    }

    boolean balanced() {
      return published.failedRequests() == 0 && delivered == published.deliveries();
    }
  }

  /** The healthy profile's phases alone and beside the hanging one, and how many requests hung meanwhile. */
  record Result(Phase alone, Phase beside, long hung) {
    boolean balanced() {
      return alone.balanced() && beside.balanced();
    }

    String describe() {
      return String.format(Locale.ROOT, "healthy p99 alone %.1f ms, beside a hanging profile %.1f ms, ratio %.2f "
              + "(p50 %.1f / %.1f ms; %d requests hung)%s", alone.p(0.99), beside.p(0.99), beside.p(0.99) / alone.p(0.99),
          alone.p(0.50), beside.p(0.50), hung, balanced() ? ""
              : " (VOID: healthy events missing: " + (alone.published().deliveries() - alone.delivered()) + " alone, "
              + (beside.published().deliveries() - beside.delivered()) + " beside)");
    }
  }
}
