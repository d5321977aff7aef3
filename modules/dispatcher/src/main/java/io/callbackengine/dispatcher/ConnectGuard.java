package io.callbackengine.dispatcher;

import io.callbackengine.domain.network.AddressPolicy;
import io.callbackengine.domain.network.HostLiteral;
import io.vertx.core.Future;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * The SSRF guard at connect time (API.md §7): resolves the callback's host, refuses it if <em>any</em> of its
 * addresses is blocked, and hands back the vetted address the sender must connect to, so a DNS answer that changes
 * between check and connect (rebinding) never reaches a blocked address.
 */
public final class ConnectGuard {

  private final AddressPolicy policy;
  private final HostResolver resolver;

  public ConnectGuard(AddressPolicy policy, HostResolver resolver) {
    this.policy = policy;
    this.resolver = resolver;
  }

  public Future<InetAddress> vet(String host) {
    Optional<InetAddress> literal = HostLiteral.parse(host);
    Future<List<InetAddress>> addresses = literal.isPresent()
        ? Future.succeededFuture(List.of(literal.get()))
        : resolver.resolve(host);
    return addresses.compose(all -> {
      if (all.isEmpty()) {
        return Future.failedFuture(new java.net.UnknownHostException(host));
      }
      for (InetAddress address : all) {
        Optional<String> refusal = policy.refusal(address);
        if (refusal.isPresent()) {
          return Future.failedFuture(new BlockedAddressException(refusal.get()));
        }
      }
      return Future.succeededFuture(all.get(0));
    });
  }

  /** The callback's host is, or resolves to, an address callbacks may not reach. */
  public static final class BlockedAddressException extends RuntimeException {
    BlockedAddressException(String reason) {
      super("blocked address: " + reason, null, false, false);
    }
  }
}
