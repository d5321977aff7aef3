package io.callbackengine.app;

import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import java.util.List;

/**
 * The {@code cluster} check of {@code /health/ready} (API.md §11): {@code OFF} when the cluster is off;
 * {@code {"status": "UP", "members": n}} while this process is a member of a cluster of {@code n} Vert.x nodes (a
 * lone member is UP with 1); {@code DOWN} once it is not (the cluster manager left or its Hazelcast instance stopped),
 * since then no producer elsewhere can reach this process's intake. Reads the cluster manager's local view of the
 * members: no network call, safe on an event loop.
 */
abstract class ClusterCheck {

  static final ClusterCheck OFF = new ClusterCheck() {
    @Override
    Reading read() {
      return new Reading("OFF", 0);
    }
  };

  /** One reading: {@code status} UP, DOWN or OFF, and the members seen when UP. */
  record Reading(String status, int members) {

    boolean down() {
      return status.equals("DOWN");
    }

    /** The check's JSON value: an object when UP, the bare status otherwise. */
    Object json() {
      return status.equals("UP") ? new JsonObject().put("status", status).put("members", members) : status;
    }
  }

  abstract Reading read();

  /** For the start-up log line. */
  String describe() {
    Reading reading = read();
    return reading.status().equals("UP") ? "UP with " + reading.members() + " member(s)" : reading.status();
  }

  static ClusterCheck of(ClusterManager manager) {
    return new ClusterCheck() {
      @Override
      Reading read() {
        if (!manager.isActive()) {
          return new Reading("DOWN", 0);
        }
        try {
          List<String> nodes = manager.getNodes();
          return nodes.contains(manager.getNodeId()) ? new Reading("UP", nodes.size()) : new Reading("DOWN", 0);
        } catch (RuntimeException stopped) {
          // Hazelcast throws once its instance is no longer running.
          return new Reading("DOWN", 0);
        }
      }
    };
  }
}
