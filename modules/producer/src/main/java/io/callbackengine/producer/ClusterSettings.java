package io.callbackengine.producer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How one JVM joins the engine's cluster, with the names and defaults of the engine's own settings (API.md §11), so
 * a producer and an engine started with the same {@code CALLBACK_CLUSTER_*} variables find each other.
 *
 * @param name the cluster name; only members with the same name join one another
 * @param host the address this JVM binds and advertises, for Hazelcast and for the event bus: an address the other
 *     members reach (never a wildcard such as {@code 0.0.0.0})
 * @param port Hazelcast's TCP port
 * @param busPort the event bus's own TCP port; 0 takes any free one
 * @param members {@code host:port} of other members (TCP/IP discovery); one reachable member is enough to join
 */
public record ClusterSettings(String name, String host, int port, int busPort, List<String> members) {

  public static final String DEFAULT_NAME = "callback-engine";
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 5701;

  public ClusterSettings {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("CALLBACK_CLUSTER_NAME must not be empty");
    }
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("CALLBACK_CLUSTER_HOST must not be empty");
    }
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      throw new IllegalArgumentException("CALLBACK_CLUSTER_HOST must be an address the other members can reach, "
          + "not the wildcard " + host);
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("CALLBACK_CLUSTER_PORT must be a port number, not " + port);
    }
    if (busPort < 0 || busPort > 65535) {
      throw new IllegalArgumentException("CALLBACK_CLUSTER_BUS_PORT must be a port number or 0, not " + busPort);
    }
    members = List.copyOf(members);
    members.forEach(ClusterSettings::checkMember);
  }

  /** The defaults with {@code host}, {@code port} and {@code members} as given: what a test or an example needs. */
  public static ClusterSettings of(String host, int port, List<String> members) {
    return new ClusterSettings(DEFAULT_NAME, host, port, 0, members);
  }

  /**
   * From {@code CALLBACK_CLUSTER_NAME}, {@code _HOST}, {@code _PORT}, {@code _BUS_PORT} and {@code _MEMBERS}, each
   * with the engine's default when absent.
   */
  public static ClusterSettings fromEnvironment(Map<String, String> environment) {
    return new ClusterSettings(
        environment.getOrDefault("CALLBACK_CLUSTER_NAME", DEFAULT_NAME).trim(),
        environment.getOrDefault("CALLBACK_CLUSTER_HOST", DEFAULT_HOST).trim(),
        number(environment, "CALLBACK_CLUSTER_PORT", DEFAULT_PORT),
        number(environment, "CALLBACK_CLUSTER_BUS_PORT", 0),
        parseMembers(environment.getOrDefault("CALLBACK_CLUSTER_MEMBERS", "")));
  }

  /** {@code "10.0.0.5:5701, 10.0.0.6:5701"} → its entries; empty text → none. */
  public static List<String> parseMembers(String text) {
    List<String> members = new ArrayList<>();
    for (String entry : text.split(",")) {
      if (!entry.isBlank()) {
        members.add(entry.trim());
      }
    }
    return members;
  }

  private static void checkMember(String member) {
    int colon = member.lastIndexOf(':');
    String why = "CALLBACK_CLUSTER_MEMBERS takes comma-separated host:port entries, not '" + member + "'";
    if (colon <= 0 || colon == member.length() - 1) {
      throw new IllegalArgumentException(why);
    }
    try {
      int port = Integer.parseInt(member.substring(colon + 1));
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException(why);
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(why);
    }
  }

  private static int number(Map<String, String> environment, String name, int fallback) {
    String text = environment.get(name);
    if (text == null || text.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, not '" + text + "'");
    }
  }
}
