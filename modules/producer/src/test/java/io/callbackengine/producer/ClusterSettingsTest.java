package io.callbackengine.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The settings a producer reads (the engine's names and defaults) and the Hazelcast configuration made of them. */
class ClusterSettingsTest {

  @Test
  void withNothingSetTheEngineDefaultsApply() {
    assertThat(ClusterSettings.fromEnvironment(Map.of()))
        .isEqualTo(new ClusterSettings("callback-engine", "127.0.0.1", 5701, 0, List.of()));
  }

  @Test
  void everyVariableIsRead() {
    assertThat(ClusterSettings.fromEnvironment(Map.of("CALLBACK_CLUSTER_NAME", "prod", "CALLBACK_CLUSTER_HOST",
        "10.0.0.7", "CALLBACK_CLUSTER_PORT", "5801", "CALLBACK_CLUSTER_BUS_PORT", "5802",
        "CALLBACK_CLUSTER_MEMBERS", " 10.0.0.5:5701, engine-2:5701 ,")))
        .isEqualTo(new ClusterSettings("prod", "10.0.0.7", 5801, 5802, List.of("10.0.0.5:5701", "engine-2:5701")));
  }

  @Test
  void mistakesAreNamedByTheirVariable() {
    assertThatThrownBy(() -> ClusterSettings.fromEnvironment(Map.of("CALLBACK_CLUSTER_MEMBERS", "10.0.0.5")))
        .hasMessageContaining("CALLBACK_CLUSTER_MEMBERS");
    assertThatThrownBy(() -> ClusterSettings.fromEnvironment(Map.of("CALLBACK_CLUSTER_MEMBERS", "a:99999")))
        .hasMessageContaining("CALLBACK_CLUSTER_MEMBERS");
    assertThatThrownBy(() -> ClusterSettings.fromEnvironment(Map.of("CALLBACK_CLUSTER_PORT", "x")))
        .hasMessageContaining("CALLBACK_CLUSTER_PORT");
    assertThatThrownBy(() -> ClusterSettings.fromEnvironment(Map.of("CALLBACK_CLUSTER_HOST", "0.0.0.0")))
        .hasMessageContaining("CALLBACK_CLUSTER_HOST");
  }

  @Test
  void hazelcastJoinsTheListedMembersOnlyAndCallsNobodyElse() {
    Config config = HazelcastCluster.config(
        new ClusterSettings("prod", "127.0.0.1", 5801, 0, List.of("127.0.0.1:5802", "127.0.0.1:5803")));

    assertThat(config.getClusterName()).isEqualTo("prod");
    assertThat(config.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
    assertThat(config.getNetworkConfig().getPort()).isEqualTo(5801);
    assertThat(config.getNetworkConfig().isPortAutoIncrement()).isFalse();
    assertThat(config.getNetworkConfig().getInterfaces().isEnabled()).isTrue();
    assertThat(config.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("127.0.0.1");
    JoinConfig join = config.getNetworkConfig().getJoin();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers()).containsExactly("127.0.0.1:5802", "127.0.0.1:5803");
    assertThat(config.getMultiMapConfig("__vertx.subs").getBackupCount()).isEqualTo(1);
  }
}
