package io.callbackengine.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The readiness check's three answers, from what the cluster manager says of its members. */
class ClusterCheckTest {

  @Test
  void offWhenTheClusterIsOff() {
    assertThat(ClusterCheck.OFF.read().json()).isEqualTo("OFF");
    assertThat(ClusterCheck.OFF.read().down()).isFalse();
  }

  @Test
  void upWithTheMembersSeenALoneMemberIncluded() {
    assertThat(ClusterCheck.of(manager(true, () -> List.of("me"))).read().json())
        .isEqualTo(new JsonObject().put("status", "UP").put("members", 1));
    assertThat(ClusterCheck.of(manager(true, () -> List.of("other", "me", "producer"))).read().json())
        .isEqualTo(new JsonObject().put("status", "UP").put("members", 3));
  }

  @Test
  void downWhenLeftStoppedOrNoLongerAMember() {
    assertThat(ClusterCheck.of(manager(false, () -> List.of("me"))).read().down()).isTrue();
    assertThat(ClusterCheck.of(manager(true, () -> {
      throw new IllegalStateException("Hazelcast instance is not active!");
    })).read().json()).isEqualTo("DOWN");
    assertThat(ClusterCheck.of(manager(true, () -> List.of("other"))).read().down()).isTrue();
  }

  /** A cluster manager whose node id is "me"; only what the check reads is answered. */
  private static ClusterManager manager(boolean active, Supplier<List<String>> nodes) {
    return (ClusterManager) Proxy.newProxyInstance(ClusterCheckTest.class.getClassLoader(),
        new Class<?>[] {ClusterManager.class}, (proxy, method, args) -> switch (method.getName()) {
          case "isActive" -> active;
          case "getNodes" -> nodes.get();
          case "getNodeId" -> "me";
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }
}
