package io.callbackengine.app;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.metrics.ClientMetrics;
import io.vertx.core.spi.metrics.DatagramSocketMetrics;
import io.vertx.core.spi.metrics.EventBusMetrics;
import io.vertx.core.spi.metrics.HttpClientMetrics;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.PoolMetrics;
import io.vertx.core.spi.metrics.TCPMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;

/**
 * Vert.x metrics (another factory's, vertx-micrometer's here) that also measure HTTP connections Vert.x never
 * reported as connected, instead of failing their requests.
 *
 * <p>Why such connections exist (vertx-core 5.0.10, unchanged in 5.0.12 and on master): a server creates its metrics
 * in a listener of its bind future ({@code NetServerImpl.bind}), and the thread that called {@code listen()} adds
 * that listener after starting the bind. When that thread is slower than the acceptor (descheduled on a busy
 * machine, or a cold JVM linking the listener's lambda) the bind completes first, the listener runs later as a task
 * of the acceptor, and connections already waiting in the backlog (clients retrying during a restart) are accepted
 * before it: Vert.x sees no metrics then and never calls {@code connected()} for them. Their HTTP connection, set up
 * when the first bytes arrive, does find the metrics, and reports every request with a null socket metric.
 * vertx-micrometer dereferences it: {@code NullPointerException: Cannot read field "tags" because "socketMetric" is
 * null} in {@code requestBegin} (the request is never answered), then {@code "requestMetric" is null} in
 * {@code requestEnd}, or in {@code requestReset} when an HTTP/2 stream is reset. Nothing outside Vert.x can make it
 * call {@code connected()}, so the repair is here: a missing socket metric is replaced by one made for the request's
 * remote address and released at once, whose tags and meters are those the connection would have had. Its requests,
 * bytes and errors count as any other connection's; only the open-connections gauge never saw it.
 */
final class EarlyConnectionMetrics implements VertxMetricsFactory {

  private final VertxMetricsFactory delegate;

  EarlyConnectionMetrics(VertxMetricsFactory delegate) {
    this.delegate = delegate;
  }

  @Override
  public VertxMetrics metrics(VertxOptions options) {
    return new Repaired(delegate.metrics(options));
  }

  @Override
  public MetricsOptions newOptions() {
    return delegate.newOptions();
  }

  @Override
  public MetricsOptions newOptions(MetricsOptions options) {
    return delegate.newOptions(options);
  }

  @Override
  public MetricsOptions newOptions(JsonObject json) {
    return delegate.newOptions(json);
  }

  /** The delegate's metrics, its HTTP server metrics repaired. */
  private record Repaired(VertxMetrics delegate) implements VertxMetrics {

    @Override
    public HttpServerMetrics<?, ?, ?> createHttpServerMetrics(HttpServerOptions options, SocketAddress localAddress) {
      HttpServerMetrics<?, ?, ?> server = delegate.createHttpServerMetrics(options, localAddress);
      return server == null ? null : new ServerMetrics<>(server);
    }

    @Override
    public EventBusMetrics<?> createEventBusMetrics() {
      return delegate.createEventBusMetrics();
    }

    @Override
    public ClientMetrics<?, ?, ?> createClientMetrics(SocketAddress remoteAddress, String type, String namespace) {
      return delegate.createClientMetrics(remoteAddress, type, namespace);
    }

    @Override
    public HttpClientMetrics<?, ?, ?> createHttpClientMetrics(HttpClientOptions options) {
      return delegate.createHttpClientMetrics(options);
    }

    @Override
    public TCPMetrics<?> createNetServerMetrics(NetServerOptions options, SocketAddress localAddress) {
      return delegate.createNetServerMetrics(options, localAddress);
    }

    @Override
    public TCPMetrics<?> createNetClientMetrics(NetClientOptions options) {
      return delegate.createNetClientMetrics(options);
    }

    @Override
    public DatagramSocketMetrics createDatagramSocketMetrics(DatagramSocketOptions options) {
      return delegate.createDatagramSocketMetrics(options);
    }

    @Override
    public PoolMetrics<?, ?> createPoolMetrics(String type, String name, int maxSize) {
      return delegate.createPoolMetrics(type, name, maxSize);
    }

    @Override
    public void vertxCreated(Vertx vertx) {
      delegate.vertxCreated(vertx);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }

  /**
   * One server's metrics: a null socket metric is stood in for (see the class comment); a null request metric (a
   * pushed response on such a connection has none) is skipped rather than dereferenced.
   */
  private static final class ServerMetrics<R, W, S> implements HttpServerMetrics<R, W, S> {

    private final HttpServerMetrics<R, W, S> delegate;

    ServerMetrics(HttpServerMetrics<R, W, S> delegate) {
      this.delegate = delegate;
    }

    /** A socket metric for a connection Vert.x never reported: connected and disconnected at once. */
    private S standIn(S socketMetric, SocketAddress remoteAddress) {
      if (socketMetric != null) {
        return socketMetric;
      }
      S made = delegate.connected(remoteAddress, null);
      delegate.disconnected(made, remoteAddress);
      return made;
    }

    @Override
    public R requestBegin(S socketMetric, HttpRequest request) {
      return delegate.requestBegin(standIn(socketMetric, request.remoteAddress()), request);
    }

    @Override
    public void requestEnd(R requestMetric, HttpRequest request, long bytesRead) {
      if (requestMetric != null) {
        delegate.requestEnd(requestMetric, request, bytesRead);
      }
    }

    @Override
    public void requestReset(R requestMetric) {
      if (requestMetric != null) {
        delegate.requestReset(requestMetric);
      }
    }

    @Override
    public void responseBegin(R requestMetric, HttpResponse response) {
      if (requestMetric != null) {
        delegate.responseBegin(requestMetric, response);
      }
    }

    @Override
    public R responsePushed(S socketMetric, HttpMethod method, String uri, HttpResponse response) {
      // A push knows no remote address to stand in with; the engine never pushes anyway.
      return socketMetric == null ? null : delegate.responsePushed(socketMetric, method, uri, response);
    }

    @Override
    public void responseEnd(R requestMetric, HttpResponse response, long bytesWritten) {
      if (requestMetric != null) {
        delegate.responseEnd(requestMetric, response, bytesWritten);
      }
    }

    @Override
    public W connected(S socketMetric, R requestMetric, ServerWebSocket webSocket) {
      return requestMetric == null ? null
          : delegate.connected(standIn(socketMetric, webSocket.remoteAddress()), requestMetric, webSocket);
    }

    @Override
    public void disconnected(W webSocketMetric) {
      if (webSocketMetric != null) {
        delegate.disconnected(webSocketMetric);
      }
    }

    @Override
    public void requestRouted(R requestMetric, String route) {
      if (requestMetric != null) {
        delegate.requestRouted(requestMetric, route);
      }
    }

    @Override
    public S connected(SocketAddress remoteAddress, String remoteName) {
      return delegate.connected(remoteAddress, remoteName);
    }

    @Override
    public void disconnected(S socketMetric, SocketAddress remoteAddress) {
      if (socketMetric != null) {
        delegate.disconnected(socketMetric, remoteAddress);
      }
    }

    @Override
    public void bytesRead(S socketMetric, SocketAddress remoteAddress, long numberOfBytes) {
      delegate.bytesRead(standIn(socketMetric, remoteAddress), remoteAddress, numberOfBytes);
    }

    @Override
    public void bytesWritten(S socketMetric, SocketAddress remoteAddress, long numberOfBytes) {
      delegate.bytesWritten(standIn(socketMetric, remoteAddress), remoteAddress, numberOfBytes);
    }

    @Override
    public void exceptionOccurred(S socketMetric, SocketAddress remoteAddress, Throwable t) {
      delegate.exceptionOccurred(standIn(socketMetric, remoteAddress), remoteAddress, t);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
