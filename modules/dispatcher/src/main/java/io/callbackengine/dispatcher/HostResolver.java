package io.callbackengine.dispatcher;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;

/** Resolves a host name to every address it has. Swappable so tests can play a rebinding DNS server. */
@FunctionalInterface
public interface HostResolver {

  Future<List<InetAddress>> resolve(String host);

  /** The operating system's resolver (and the JVM's cache), called on a worker thread: it blocks. */
  static HostResolver system(Vertx vertx) {
    return host -> vertx.executeBlocking(() -> Arrays.asList(InetAddress.getAllByName(host)), false);
  }
}
