package io.callbackengine.app;

import io.netty.channel.ChannelException;
import io.netty.channel.ChannelOption;
import io.vertx.core.Future;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay between an engine and PostgreSQL that fails the two ways a database can vanish from a client's view,
 * without touching the PostgreSQL other tests share.
 *
 * <ul>
 *   <li>{@link #cut()}: the database is down. Every relayed connection is closed and new ones are refused, as when
 *       the server process dies and its port closes.
 *   <li>{@link #blackhole()}: the database goes silent (a network partition, a hung host). Connections stay open
 *       but nothing passes, either way, and new connections are accepted and then held silent: a client without
 *       deadlines of its own waits forever.
 *   <li>{@link #resetOnDatabaseClose(boolean)}: when the database ends a connection (as {@code pg_terminate_backend}
 *       does), the client's side is reset (TCP RST) rather than closed: what a client sees when it writes its next
 *       statement to a backend that has just gone, before it has read the close.
 *   <li>{@link #restore()}: new connections are relayed again. Connections caught in a blackhole stay dead: they
 *       never carry another byte, and only their client giving up on them (closing) frees them, as after a
 *       failover. Their database side is closed once the client closes its side and the fault is over.
 * </ul>
 */
final class DatabaseProxy implements AutoCloseable {

  private enum Mode { PASS, CUT, BLACKHOLE }

  /** One client connection and, unless it arrived during a blackhole, its connection to the database. */
  private static final class Relay {
    final NetSocket client;
    volatile NetSocket database;
    volatile boolean held;
    volatile boolean clientClosed;

    Relay(NetSocket client) {
      this.client = client;
    }
  }

  private final Vertx vertx;
  private final NetClient connector;
  private final String databaseHost;
  private final int databasePort;
  private final Set<Relay> relays = ConcurrentHashMap.newKeySet();
  private final AtomicInteger heldClosedByClient = new AtomicInteger();
  private volatile Mode mode = Mode.PASS;
  private volatile boolean resetOnDatabaseClose;
  private volatile NetServer server;
  private volatile int port;

  private DatabaseProxy(Vertx vertx, String databaseHost, int databasePort) {
    this.vertx = vertx;
    this.connector = vertx.createNetClient();
    this.databaseHost = databaseHost;
    this.databasePort = databasePort;
  }

  /** A relay on a free loopback port to the database at {@code host:port}. */
  static DatabaseProxy start(Vertx vertx, String host, int port) {
    DatabaseProxy proxy = new DatabaseProxy(vertx, host, port);
    TestEngine.await(proxy.listen(0));
    return proxy;
  }

  int port() {
    return port;
  }

  /** {@code databaseUrl} with its host and port replaced by this proxy's. */
  String url(String databaseUrl) {
    return databaseUrl.replaceFirst("@[^/]+/", "@127.0.0.1:" + port + "/");
  }

  /** How many connections held by a blackhole their client has closed: the client gave up on a silent database. */
  int heldConnectionsClosedByClient() {
    return heldClosedByClient.get();
  }

  /** The database is down: closes every relayed connection and refuses new ones until {@link #restore()}. */
  void cut() {
    mode = Mode.CUT;
    NetServer listening = server;
    server = null;
    TestEngine.await(listening.close());
    relays.forEach(this::closeBoth);
  }

  /** Whether a connection the database ends is reset on the client's side (TCP RST) instead of closed. */
  void resetOnDatabaseClose(boolean reset) {
    resetOnDatabaseClose = reset;
  }

  /** The database goes silent: nothing passes on any connection, and new ones are accepted and held. */
  void blackhole() {
    mode = Mode.BLACKHOLE;
    relays.forEach(this::hold);
  }

  /** Ends the fault: new connections are relayed again; connections held by a blackhole stay dead. */
  void restore() {
    Mode was = mode;
    mode = Mode.PASS;
    if (was == Mode.CUT) {
      TestEngine.await(listen(port));
    }
    relays.stream().filter(r -> r.held && r.clientClosed).forEach(this::closeBoth);
  }

  private Future<NetServer> listen(int onPort) {
    return vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(onPort).setReuseAddress(true))
        .connectHandler(this::accept)
        .listen()
        .onSuccess(listening -> {
          server = listening;
          port = listening.actualPort();
        });
  }

  private void accept(NetSocket client) {
    Relay relay = new Relay(client);
    relays.add(relay);
    client.pause();
    client.closeHandler(v -> clientClosed(relay));
    if (mode != Mode.PASS) {
      if (mode == Mode.CUT) {
        closeBoth(relay);
      } else {
        relay.held = true;
      }
      return;
    }
    connector.connect(databasePort, databaseHost).onComplete(connected -> {
      if (connected.failed()) {
        closeBoth(relay);
        return;
      }
      NetSocket database = connected.result();
      relay.database = database;
      client.handler(bytes -> {
        if (!relay.held) {
          database.write(bytes);
        }
      });
      database.handler(bytes -> {
        if (!relay.held) {
          client.write(bytes);
        }
      });
      database.closeHandler(v -> {
        if (!relay.held) {
          if (resetOnDatabaseClose) {
            reset(client);
          } else {
            client.close();
          }
        }
      });
      if (relay.clientClosed || mode == Mode.CUT) {
        closeBoth(relay);
      } else if (mode == Mode.BLACKHOLE) {
        hold(relay);
      } else {
        client.resume();
      }
    });
  }

  /**
   * Closes {@code socket} with a TCP RST: a zero linger time makes the close abortive. A socket the engine closed
   * first is left as it is (setting an option on it would throw on the event loop).
   */
  private static void reset(NetSocket socket) {
    try {
      ((NetSocketInternal) socket).channelHandlerContext().channel().config().setOption(ChannelOption.SO_LINGER, 0);
    } catch (ChannelException closedFirst) {
      // nothing to reset
    }
    socket.close();
  }

  private void hold(Relay relay) {
    relay.held = true;
    relay.client.pause();
    NetSocket database = relay.database;
    if (database != null) {
      database.pause();
    }
  }

  private void clientClosed(Relay relay) {
    relay.clientClosed = true;
    if (relay.held) {
      heldClosedByClient.incrementAndGet();
      if (mode == Mode.BLACKHOLE) {
        return; // the close does not get through a partition; the database side goes when the fault ends
      }
    }
    closeBoth(relay);
  }

  private void closeBoth(Relay relay) {
    relays.remove(relay);
    relay.client.close();
    NetSocket database = relay.database;
    if (database != null) {
      database.close();
    }
  }

  @Override
  public void close() {
    mode = Mode.CUT;
    NetServer listening = server;
    if (listening != null) {
      TestEngine.await(listening.close());
    }
    relays.forEach(this::closeBoth);
    TestEngine.await(connector.close());
  }
}
