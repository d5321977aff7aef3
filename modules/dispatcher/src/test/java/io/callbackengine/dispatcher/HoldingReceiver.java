package io.callbackengine.dispatcher;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntUnaryOperator;

/**
 * A real HTTP receiver for the dispatcher's unit tests: records each request (path, webhook-id, time), counts the
 * requests open per path (and the most ever open), and answers at once with a scripted status, or after a delay, or
 * holds the answers of chosen paths until the test lets them go.
 */
final class HoldingReceiver {

  record Arrival(String path, String deliveryId, Instant at) {
  }

  private final List<Arrival> arrivals = new ArrayList<>();
  private final Map<String, Integer> open = new HashMap<>();
  private final Map<String, Integer> mostOpen = new HashMap<>();
  private final Map<String, List<HttpServerResponse>> held = new HashMap<>();
  private final Set<String> holding = ConcurrentHashMap.newKeySet();
  private final Map<String, Long> delays = new ConcurrentHashMap<>();
  private Vertx vertx;
  private volatile IntUnaryOperator status = n -> 200;
  private HttpServer server;

  Future<HoldingReceiver> start(Vertx vertx) {
    this.vertx = vertx;
    return vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1").map(s -> {
      server = s;
      return this;
    });
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  /** Answers arrival {@code n} (from 0, over all paths) with {@code status.applyAsInt(n)}. */
  void answering(IntUnaryOperator status) {
    this.status = status;
  }

  /** Answers requests to {@code path} {@code millis} after they arrived, from now on. */
  void delaying(String path, long millis) {
    delays.put(path, millis);
  }

  /** Holds the answers of requests to {@code path} from now on. */
  void hold(String path) {
    holding.add(path);
  }

  /** Answers every held request of {@code path}, and those to come at once. */
  void letGo(String path) {
    holding.remove(path);
    List<HttpServerResponse> waiting;
    synchronized (this) {
      waiting = held.remove(path);
    }
    if (waiting != null) {
      waiting.forEach(response -> answer(path, response, 200));
    }
  }

  private void handle(HttpServerRequest request) {
    String path = request.path();
    request.body().onSuccess(body -> {
      int n;
      synchronized (this) {
        n = arrivals.size();
        arrivals.add(new Arrival(path, request.getHeader("webhook-id"), Instant.now()));
        int now = open.merge(path, 1, Integer::sum);
        mostOpen.merge(path, now, Math::max);
        if (holding.contains(path)) {
          held.computeIfAbsent(path, p -> new ArrayList<>()).add(request.response());
          return;
        }
      }
      int answer = status.applyAsInt(n);
      Long delay = delays.get(path);
      if (delay == null) {
        answer(path, request.response(), answer);
      } else {
        vertx.setTimer(delay, id -> answer(path, request.response(), answer));
      }
    });
  }

  private void answer(String path, HttpServerResponse response, int status) {
    synchronized (this) {
      open.merge(path, -1, Integer::sum);
    }
    response.setStatusCode(status).end();
  }

  synchronized List<Arrival> arrivals() {
    return List.copyOf(arrivals);
  }

  synchronized int arrivals(String path) {
    return (int) arrivals.stream().filter(a -> a.path().equals(path)).count();
  }

  synchronized int mostOpen(String path) {
    return mostOpen.getOrDefault(path, 0);
  }

  synchronized int heldCount(String path) {
    return held.getOrDefault(path, List.of()).size();
  }
}
