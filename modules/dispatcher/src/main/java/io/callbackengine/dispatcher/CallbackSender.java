package io.callbackengine.dispatcher;

import io.callbackengine.domain.retry.RetryAfter;
import io.callbackengine.domain.profile.CallbackUrl;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * Sends one callback and reports what happened, never failing its future: connect only to the address the
 * {@link ConnectGuard} vetted, never follow a redirect, cut the whole exchange at the request timeout, and read at
 * most {@link #EXCERPT_BYTES} of the answer before dropping the connection, so a huge or endless body costs nothing.
 */
public final class CallbackSender {

  public static final int EXCERPT_BYTES = 4096;
  /**
   * URLs whose parse is kept: a profile's URL is usually the same on every callback, and parsing it anew with
   * {@code java.net.URI} was ~2 % of the engine's CPU at 3,000 callbacks/s. Past this many (URLs rendered from
   * event data) the kept parses are dropped and kept anew.
   */
  private static final int PARSED_URLS = 1024;

  private final Vertx vertx;
  private final HttpClient client;
  private final ConnectGuard guard;
  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final Map<String, CallbackUrl.Parsed> parsedUrls = new ConcurrentHashMap<>();

  public CallbackSender(Vertx vertx, HttpClient client, ConnectGuard guard, Duration connectTimeout,
      Duration requestTimeout) {
    this.vertx = vertx;
    this.client = client;
    this.guard = guard;
    this.connectTimeout = connectTimeout;
    this.requestTimeout = requestTimeout;
  }

  public Future<SendResult> send(CallbackRequest request) {
    return send(request, EXCERPT_BYTES);
  }

  /** Sends {@code request} keeping up to {@code answerBytes} of the answer (an OAuth2 token answer needs more). */
  public Future<SendResult> send(CallbackRequest request, int answerBytes) {
    Instant started = Instant.now();
    long startNanos = System.nanoTime();
    CallbackUrl.Parsed parsed = parse(request.url());
    if (parsed.url().isEmpty()) {
      // The same rule registration applied to the template: only what a placeholder rendered can fail here.
      return Future.succeededFuture(SendResult.failed(started, elapsedMs(startNanos),
          "invalid URL after rendering: it " + parsed.problem().orElseThrow(), SendResult.ResultClass.ERROR));
    }
    CallbackUrl url = parsed.url().get();
    boolean tls = url.tls();
    int port = url.port();
    String host = url.host();
    String path = url.pathAndQuery();
    boolean[] timedOut = {false};
    Duration timeout = request.timeout() != null ? request.timeout() : requestTimeout;
    return guard.vet(host)
        .compose(address -> exchange(request, address, host, port, tls, path, timedOut, answerBytes, timeout))
        .map(reply -> timedOut[0] ? cutAtTimeout(started, startNanos, reply, timeout) : result(started, startNanos, reply))
        .otherwise(error -> SendResult.failed(started, elapsedMs(startNanos), describe(error, timedOut[0], timeout),
            classify(error, timedOut[0])));
  }

  private CallbackUrl.Parsed parse(String url) {
    CallbackUrl.Parsed parsed = parsedUrls.get(url);
    if (parsed == null) {
      if (parsedUrls.size() >= PARSED_URLS) {
        parsedUrls.clear();
      }
      parsed = CallbackUrl.parse(url);
      parsedUrls.put(url, parsed);
    }
    return parsed;
  }

  private Future<Reply> exchange(CallbackRequest request, InetAddress address, String host, int port, boolean tls,
      String path, boolean[] timedOut, int answerBytes, Duration timeout) {
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.valueOf(request.method()))
        .setHost(host)
        .setPort(port)
        .setSsl(tls)
        .setURI(path)
        .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
        .setConnectTimeout(connectTimeout.toMillis())
        .setFollowRedirects(false);
    return client.request(options).compose(http -> {
      request.headers().forEach(h -> http.putHeader(h.getKey(), h.getValue()));
      long timer = vertx.setTimer(timeout.toMillis(), id -> {
        timedOut[0] = true;
        http.reset();
      });
      return http.send(request.body())
          .compose(response -> readExcerpt(response, answerBytes))
          .onComplete(done -> vertx.cancelTimer(timer));
    });
  }

  /** Reads up to {@code limit} bytes; past that, resets the stream instead of reading on. */
  private static Future<Reply> readExcerpt(HttpClientResponse response, int limit) {
    Promise<Reply> reply = Promise.promise();
    Buffer excerpt = Buffer.buffer();
    response.handler(chunk -> {
      int room = limit - excerpt.length();
      if (chunk.length() <= room) {
        excerpt.appendBuffer(chunk);
      } else {
        excerpt.appendBuffer(chunk, 0, room);
        if (reply.tryComplete(new Reply(response, excerpt))) {
          response.request().reset();
        }
      }
    });
    response.endHandler(end -> reply.tryComplete(new Reply(response, excerpt)));
    response.exceptionHandler(error -> reply.tryComplete(new Reply(response, excerpt)));
    return reply.future();
  }

  private record Reply(HttpClientResponse response, Buffer excerpt) {
  }

  private static SendResult result(Instant started, long startNanos, Reply reply) {
    int status = reply.response().statusCode();
    Optional<Duration> retryAfter = status == 429 || status == 503
        ? Optional.ofNullable(reply.response().getHeader("retry-after")).flatMap(h -> RetryAfter.parse(h, Instant.now()))
        : Optional.empty();
    String error = status >= 300 && status < 400 ? "redirect not followed" : null;
    return new SendResult(started, elapsedMs(startNanos), status, error, text(reply.excerpt()), retryAfter,
        SendResult.ResultClass.ofStatus(status));
  }

  /**
   * An answer whose status came but whose body was still trickling in when the request timeout struck: the attempt
   * timed out (the timeout covers the whole exchange, to the last byte), keeping the status and what was read.
   */
  private SendResult cutAtTimeout(Instant started, long startNanos, Reply reply, Duration timeout) {
    return new SendResult(started, elapsedMs(startNanos), reply.response().statusCode(), describe(null, true, timeout),
        text(reply.excerpt()), Optional.empty(), SendResult.ResultClass.TIMEOUT);
  }

  /**
   * Whether no connection to the receiver came within the connect timeout: the TCP connect timed out, or the HTTP
   * client's pool gave up waiting for the connection it was opening (it applies the same timeout to that, and on a
   * starved event loop its timer wins). Either way nothing was sent.
   */
  private static boolean connectTimedOut(Throwable error) {
    return error instanceof io.netty.channel.ConnectTimeoutException || error instanceof TimeoutException;
  }

  private static SendResult.ResultClass classify(Throwable error, boolean timedOut) {
    if (timedOut || connectTimedOut(error)) {
      return SendResult.ResultClass.TIMEOUT;
    }
    if (error instanceof ConnectGuard.BlockedAddressException || error instanceof java.net.ConnectException) {
      return SendResult.ResultClass.REFUSED;
    }
    return SendResult.ResultClass.ERROR;
  }

  /** A short, secret-free reason for the attempt log. */
  private String describe(Throwable error, boolean timedOut, Duration timeout) {
    if (timedOut) {
      return "timeout: no complete answer within " + timeout.toMillis() + " ms";
    }
    if (error instanceof ConnectGuard.BlockedAddressException) {
      return error.getMessage();
    }
    if (connectTimedOut(error)) {
      return "connect timeout after " + connectTimeout.toMillis() + " ms";
    }
    if (error instanceof java.net.ConnectException) {
      return "connection refused";
    }
    if (error instanceof java.net.UnknownHostException) {
      return "unknown host";
    }
    if (error instanceof javax.net.ssl.SSLException) {
      return "TLS failure: " + String.valueOf(error.getMessage()).lines().findFirst().orElse("");
    }
    String message = String.valueOf(error.getMessage()).toLowerCase(Locale.ROOT);
    if (message.contains("closed")) {
      return "connection closed before a complete answer";
    }
    return "connection error: " + error.getClass().getSimpleName();
  }

  /** The excerpt as text for a PostgreSQL column: UTF-8 with bad bytes replaced, and no NUL characters. */
  private static String text(Buffer excerpt) {
    return new String(excerpt.getBytes(), StandardCharsets.UTF_8).replace('\u0000', '\uFFFD');
  }

  private static int elapsedMs(long startNanos) {
    return (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - startNanos) / 1_000_000);
  }
}
