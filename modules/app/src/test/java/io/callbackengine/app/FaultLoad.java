package io.callbackengine.app;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Open-loop traffic against an engine while a fault runs: a publish every 10 ms (~100 events/s), a profile read and
 * a readiness check every 100 ms, each sent on schedule whether or not earlier ones were answered, so a hanging
 * engine shows up as answers that take long (or never come) rather than as a load generator that slows down. Every
 * answer is recorded with when it was sent and how long it took, on one clock ({@link #now()}).
 */
final class FaultLoad {

  enum Kind { PUBLISH, PROFILE, READY }

  /**
   * One answer. {@code status} is -1 when none came (the client gave up after {@link #GIVE_UP_MS}, or the
   * connection failed); {@code eventId} is set on an acknowledged (202) publish.
   */
  record Answer(Kind kind, long sentAt, long tookMs, int status, JsonObject body, String eventId) {
    long answeredAt() {
      return sentAt + tookMs;
    }

    @Override
    public String toString() {
      String answer = status < 0 ? "no answer (" + body.getString("error") + ")"
          : status + " " + body.getString("code", body.getString("status", ""));
      return kind + " sent at " + sentAt + " ms: " + answer + " after " + tookMs + " ms";
    }
  }

  static final long GIVE_UP_MS = 15_000;

  private final Vertx vertx;
  private final WebClient client;
  private final String sid;
  private final String apiKey;
  private final String profileId;
  private final String tag;
  private final long origin = System.nanoTime();
  private final List<Answer> answers = new CopyOnWriteArrayList<>();
  private final List<Future<?>> pending = new CopyOnWriteArrayList<>();
  /** Replies that broke openapi.yaml: their requests count as failed answers here, so {@link #stop} reports them. */
  private final List<AssertionError> drifts = new CopyOnWriteArrayList<>();
  private final AtomicInteger published = new AtomicInteger();
  private final List<Long> timers = new ArrayList<>();
  /** Set by {@link #stop}: the timers' callbacks run on event loops, so one may be sending while the load stops. */
  private boolean stopped;

  FaultLoad(Vertx vertx, int port, String sid, String apiKey, String profileId, String tag) {
    this.vertx = vertx;
    this.client = ContractCheck.shared().watch(WebClient.create(vertx, new WebClientOptions()
        .setDefaultHost("127.0.0.1").setDefaultPort(port).setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(400).setMaxWaitQueueSize(-1)), drifts);
    this.sid = sid;
    this.apiKey = apiKey;
    this.profileId = profileId;
    this.tag = tag;
  }

  /** Milliseconds since this load was created: the clock of every {@link Answer}. */
  long now() {
    return (System.nanoTime() - origin) / 1_000_000;
  }

  FaultLoad start() {
    timers.add(vertx.setPeriodic(10, id -> publish()));
    timers.add(vertx.setPeriodic(100, id -> send(Kind.PROFILE,
        client.get("/v1/" + sid + "/callback/profiles/" + profileId).putHeader("api-key", apiKey), null)));
    timers.add(vertx.setPeriodic(100, id -> send(Kind.READY, client.get("/health/ready"), null)));
    return this;
  }

  /**
   * Stops sending; the future completes when every request sent has its answer (or was given up on), and fails when
   * a reply broke openapi.yaml.
   */
  Future<Void> stop() {
    List<Future<?>> sent;
    synchronized (this) {
      // Under the lock that sending takes: a request is either sent and waited for here, or never sent. (Until
      // 2026-12-03 a publish sent as the load stopped was left out of the wait, and closing the client cut it off.)
      stopped = true;
      timers.forEach(vertx::cancelTimer);
      sent = List.copyOf(pending);
    }
    return Future.join(sent).transform(done -> {
      client.close();
      return drifts.isEmpty() ? Future.succeededFuture() : Future.failedFuture(drifts.get(0));
    });
  }

  List<Answer> answers() {
    return List.copyOf(answers);
  }

  List<Answer> answers(Predicate<Answer> which) {
    return answers.stream().filter(which).toList();
  }

  private void publish() {
    JsonObject event = new JsonObject().put("event", "SMS-sent").put("channel", "sms")
        .put("data", new JsonObject().put("scenario", tag).put("n", published.getAndIncrement()));
    send(Kind.PUBLISH, client.post("/v1/" + sid + "/callback/events").putHeader("api-key", apiKey),
        event.toBuffer());
  }

  private synchronized void send(Kind kind, HttpRequest<Buffer> request, Buffer body) {
    if (stopped) {
      return;
    }
    long sentAt = now();
    request.timeout(GIVE_UP_MS);
    if (body != null) {
      request.putHeader("content-type", "application/json");
    }
    Future<?> answered = (body != null ? request.sendBuffer(body) : request.send()).andThen(result -> {
      long took = now() - sentAt;
      if (result.failed()) {
        answers.add(new Answer(kind, sentAt, took, -1, new JsonObject().put("error", result.cause().toString()), null));
        return;
      }
      JsonObject json = parse(result.result().body());
      String eventId = kind == Kind.PUBLISH && result.result().statusCode() == 202
          ? json.getJsonObject("data").getJsonArray("events").getJsonObject(0).getString("event_id") : null;
      answers.add(new Answer(kind, sentAt, took, result.result().statusCode(), json, eventId));
    });
    pending.add(answered);
  }

  private static JsonObject parse(Buffer body) {
    try {
      return body == null || body.length() == 0 ? new JsonObject() : new JsonObject(body);
    } catch (RuntimeException e) {
      return new JsonObject().put("unparsed", body.toString());
    }
  }
}
