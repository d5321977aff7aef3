package io.callbackengine.app;

import static org.awaitility.Awaitility.await;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * A real HTTP receiver for callbacks: records what arrives (method, URI, headers, body, time) and answers as the
 * test scripts it, by arrival number: a status, a hang, or an endless stream.
 */
final class Receiver implements AutoCloseable {

  /** One request as it arrived. */
  record Arrival(Instant at, String method, String uri, MultiMap headers, Buffer body) {
    String header(String name) {
      return headers.get(name);
    }
  }

  /** How to answer one request. */
  record Answer(int status, Map<String, String> headers, String body, boolean hangs, long streamBytes, long delayMs) {
    Answer(int status, Map<String, String> headers, String body, boolean hangs, long streamBytes) {
      this(status, headers, body, hangs, streamBytes, 0);
    }

    static Answer status(int status) {
      return new Answer(status, Map.of(), "", false, 0);
    }

    /** 200, after a pause: keeps attempts in flight for a while. */
    static Answer slowly(long delayMs) {
      return new Answer(200, Map.of(), "ok", false, 0, delayMs);
    }

    static Answer status(int status, String body) {
      return new Answer(status, Map.of(), body, false, 0);
    }

    static Answer withHeaders(int status, Map<String, String> headers) {
      return new Answer(status, headers, "", false, 0);
    }

    static Answer hang() {
      return new Answer(0, Map.of(), "", true, 0);
    }

    static Answer stream(long bytes) {
      return new Answer(200, Map.of(), "", false, bytes);
    }
  }

  private final Vertx vertx;
  private final HttpServer server;
  final List<Arrival> arrivals = new CopyOnWriteArrayList<>();
  /** Bytes of streamed answers that the receiver managed to write before the client went away. */
  final AtomicLong streamed = new AtomicLong();
  private volatile IntFunction<Answer> script = n -> Answer.status(200, "ok");
  /** Requests whose path starts with this never get an answer, whatever the script says (null: none). */
  private volatile String hangingPath;

  private final String host;

  private Receiver(Vertx vertx, String host, int port) {
    this.vertx = vertx;
    this.host = host;
    try {
      this.server = TestEngine.await(vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
          .requestHandler(this::handle).listen());
    } catch (RuntimeException e) {
      TestEngine.await(vertx.close());
      throw e;
    }
  }

  static Receiver start() {
    return start("127.0.0.1");
  }

  /** A receiver on another loopback address (any of 127.0.0.0/8), to play a second host on this machine. */
  static Receiver start(String host) {
    return new Receiver(Vertx.vertx(), host, 0);
  }

  /** A receiver on a chosen address and port. */
  static Receiver startOn(String host, int port) {
    return new Receiver(Vertx.vertx(), host, port);
  }

  /** Scripts the answers: {@code n} is the arrival's number, from 0. */
  Receiver answering(IntFunction<Answer> script) {
    this.script = script;
    return this;
  }

  /** Leaves every request under {@code pathPrefix} unanswered: one receiver host playing a healthy and a hung app. */
  Receiver hangingOn(String pathPrefix) {
    this.hangingPath = pathPrefix;
    return this;
  }

  /** The fields of an {@code application/x-www-form-urlencoded} body, decoded, in order. */
  static Map<String, String> formFields(String body) {
    Map<String, String> fields = new java.util.LinkedHashMap<>();
    for (String pair : body.split("&")) {
      int equals = pair.indexOf('=');
      fields.put(java.net.URLDecoder.decode(pair.substring(0, equals), java.nio.charset.StandardCharsets.UTF_8),
          java.net.URLDecoder.decode(pair.substring(equals + 1), java.nio.charset.StandardCharsets.UTF_8));
    }
    return fields;
  }

  String url(String path) {
    return "http://" + host + ":" + server.actualPort() + path;
  }

  int port() {
    return server.actualPort();
  }

  List<Arrival> awaitArrivals(int count, Duration within) {
    await().atMost(within).pollInterval(Duration.ofMillis(20)).until(() -> arrivals.size() >= count);
    return List.copyOf(arrivals);
  }

  private void handle(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      int n;
      synchronized (arrivals) {
        n = arrivals.size();
        arrivals.add(new Arrival(Instant.now(), request.method().name(), request.uri(),
            MultiMap.caseInsensitiveMultiMap().addAll(request.headers()), body));
      }
      String hangs = hangingPath;
      Answer answer = hangs != null && request.path().startsWith(hangs) ? Answer.hang() : script.apply(n);
      HttpServerResponse response = request.response();
      if (answer.hangs()) {
        return;
      }
      answer.headers().forEach(response::putHeader);
      response.setStatusCode(answer.status());
      if (answer.delayMs() > 0) {
        vertx.setTimer(answer.delayMs(), id -> response.end(answer.body()));
      } else if (answer.streamBytes() > 0) {
        response.setChunked(true);
        stream(response, answer.streamBytes());
      } else {
        response.end(answer.body());
      }
    });
  }

  private void stream(HttpServerResponse response, long remaining) {
    Buffer chunk = Buffer.buffer(new byte[64 * 1024]);
    long left = remaining;
    while (left > 0 && !response.writeQueueFull() && !response.closed()) {
      response.write(chunk).onSuccess(written -> streamed.addAndGet(chunk.length()));
      left -= chunk.length();
    }
    if (left <= 0 || response.closed()) {
      if (!response.closed()) {
        response.end();
      }
      return;
    }
    long rest = left;
    response.drainHandler(v -> stream(response, rest));
  }

  @Override
  public void close() {
    TestEngine.await(vertx.close());
  }
}
