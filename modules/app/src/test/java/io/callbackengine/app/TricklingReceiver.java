package io.callbackengine.app;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A slow-loris receiver, on plain TCP so it controls every byte: it accepts the connection, takes the callback, then
 * answers too slowly to ever finish within the engine's request timeout. Under {@code /head} the status line and
 * headers come one byte every 200 ms; under {@code /body} the headers come at once, then the body one byte a second.
 * It counts, per path, the requests it got and the most connections that were open at once.
 */
final class TricklingReceiver implements AutoCloseable {

  static final String HEAD = "/head";
  static final String BODY = "/body";
  private static final byte[] SLOW_HEAD = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok"
      .getBytes(StandardCharsets.US_ASCII);
  private static final byte[] FAST_HEAD = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\n"
      .getBytes(StandardCharsets.US_ASCII);

  private final Vertx vertx = Vertx.vertx();
  private final NetServer server;
  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> mostOpen = new ConcurrentHashMap<>();

  TricklingReceiver() {
    server = TestEngine.await(vertx.createNetServer().connectHandler(this::connected).listen(0, "127.0.0.1"));
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  int requests(String path) {
    return counter(requests, path).get();
  }

  int mostOpen(String path) {
    return counter(mostOpen, path).get();
  }

  private void connected(NetSocket socket) {
    boolean[] answering = {false};
    socket.handler(chunk -> {
      if (answering[0]) {
        return;
      }
      answering[0] = true;
      String path = chunk.getString(0, Math.min(chunk.length(), 200), "US-ASCII").contains(" " + HEAD) ? HEAD : BODY;
      counter(requests, path).incrementAndGet();
      int now = counter(open, path).incrementAndGet();
      counter(mostOpen, path).accumulateAndGet(now, Math::max);
      long timer;
      if (path.equals(HEAD)) {
        timer = trickle(socket, SLOW_HEAD, 200);
      } else {
        socket.write(Buffer.buffer(FAST_HEAD));
        timer = vertx.setPeriodic(1000, id -> socket.write(Buffer.buffer(".")));
      }
      socket.closeHandler(closed -> {
        vertx.cancelTimer(timer);
        counter(open, path).decrementAndGet();
      });
    });
  }

  /** Writes {@code bytes} one byte every {@code everyMs}. */
  private long trickle(NetSocket socket, byte[] bytes, long everyMs) {
    AtomicInteger next = new AtomicInteger();
    return vertx.setPeriodic(everyMs, id -> {
      int i = next.getAndIncrement();
      if (i < bytes.length) {
        socket.write(Buffer.buffer(new byte[] {bytes[i]}));
      }
    });
  }

  private static AtomicInteger counter(Map<String, AtomicInteger> counters, String path) {
    return counters.computeIfAbsent(path, p -> new AtomicInteger());
  }

  @Override
  public void close() {
    TestEngine.await(vertx.close());
  }
}
