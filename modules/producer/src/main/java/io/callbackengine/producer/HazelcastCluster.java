package io.callbackengine.producer;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The one definition of how a JVM joins the Callback Engine cluster: Vert.x's Hazelcast cluster manager, configured
 * in code from {@link ClusterSettings} (no {@code cluster.xml} to copy), so engines and producers cannot disagree.
 *
 * <p>Discovery is TCP/IP against the listed members only: multicast, cloud auto-detection and Hazelcast's phone-home
 * are off, so a member never sends anything to a host nobody named. Hazelcast and the event bus bind the one
 * configured address, and members that split apart (one started before the other was reachable) merge again within
 * seconds rather than Hazelcast's default five minutes. Hazelcast logs through SLF4J when it is on the class path,
 * else through {@code java.util.logging}.
 *
 * <p>{@link #config} resolves the host name: call it where blocking is allowed (start-up, a worker).
 */
public final class HazelcastCluster {

  private HazelcastCluster() {
  }

  /** A clustered Vert.x with default options: what a producer needs. */
  public static Future<Vertx> join(ClusterSettings settings) {
    return Vertx.builder()
        .with(withEventBus(new VertxOptions(), settings))
        .withClusterManager(clusterManager(settings))
        .buildClustered();
  }

  /** The cluster manager to give {@code Vertx.builder().withClusterManager(...)}, with {@link #config}. */
  public static ClusterManager clusterManager(ClusterSettings settings) {
    return new HazelcastClusterManager(config(settings));
  }

  /** {@code options} with the event bus bound to, and advertised at, the cluster host and bus port. */
  public static VertxOptions withEventBus(VertxOptions options, ClusterSettings settings) {
    String address = address(settings.host());
    EventBusOptions bus = options.getEventBusOptions();
    bus.setHost(address).setPort(settings.busPort()).setClusterPublicHost(address);
    return options;
  }

  /** Hazelcast's configuration for {@code settings}: what {@link #clusterManager} uses. */
  public static Config config(ClusterSettings settings) {
    Config config = new Config();
    config.setClusterName(settings.name());
    // No usage statistics sent to Hazelcast, ever.
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", onClassPath("org.slf4j.LoggerFactory") ? "slf4j" : "jdk");
    // Vert.x leaves the cluster in its own close; Hazelcast's hook could run first and cut the bus from under it.
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty("hazelcast.socket.bind.any", "false");
    // Two members started at once may each form a cluster of one; they look for each other after this delay
    // (default 300 s, then every 120 s), and merging is cheap with a handful of members.
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "10");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "10");
    // A member that stopped answering (host gone, not only its process: a killed process closes its sockets and is
    // noticed at once) is removed after this long instead of 60 s, so requests stop being routed to it.
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "15");

    NetworkConfig network = config.getNetworkConfig();
    network.setPort(settings.port()).setPortAutoIncrement(false);
    network.getInterfaces().setEnabled(true).addInterface(address(settings.host()));
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(settings.members());

    // What Vert.x's own default-cluster.xml declares for its event-bus subscriptions and node information.
    config.getMultiMapConfig("__vertx.subs").setBackupCount(1)
        .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET);
    config.getMapConfig("__vertx.haInfo").setBackupCount(1);
    config.getMapConfig("__vertx.nodeInfo").setBackupCount(1);
    return config;
  }

  /** The host's IP address: Hazelcast's interface list takes addresses, and the event bus advertises one. */
  private static String address(String host) {
    try {
      return InetAddress.getByName(host).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("CALLBACK_CLUSTER_HOST '" + host + "' does not resolve to an address", e);
    }
  }

  private static boolean onClassPath(String className) {
    try {
      Class.forName(className, false, HazelcastCluster.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
