package io.callbackengine.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.callbackengine.app.config.ConfigException;
import io.callbackengine.app.config.EngineConfig;
import io.callbackengine.producer.ClusterSettings;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** CALLBACK_CLUSTER_* as API.md §11 names them: off by default, every key read when on, mistakes refused. */
class ClusterConfigTest {

  @Test
  void theClusterIsOffByDefault() {
    assertThat(EngineConfig.load(Optional.empty(), Map.of()).cluster()).isEmpty();
  }

  @Test
  void whenOnEveryKeyIsReadWithTheDocumentedDefaults() {
    assertThat(EngineConfig.load(Optional.empty(), Map.of("CALLBACK_CLUSTER_ENABLED", "true")).cluster())
        .contains(new ClusterSettings("callback-engine", "127.0.0.1", 5701, 0, List.of()));
    assertThat(EngineConfig.load(Optional.empty(), Map.of("CALLBACK_CLUSTER_ENABLED", "TRUE",
        "CALLBACK_CLUSTER_NAME", "prod", "CALLBACK_CLUSTER_HOST", "10.0.0.7", "CALLBACK_CLUSTER_PORT", "5801",
        "CALLBACK_CLUSTER_BUS_PORT", "5802", "CALLBACK_CLUSTER_MEMBERS", "10.0.0.8:5801,10.0.0.9:5801")).cluster())
        .contains(new ClusterSettings("prod", "10.0.0.7", 5801, 5802, List.of("10.0.0.8:5801", "10.0.0.9:5801")));
  }

  @Test
  void mistakesStopTheStartWithTheVariablesName() {
    assertThatThrownBy(() -> EngineConfig.load(Optional.empty(), Map.of("CALLBACK_CLUSTER_ENABLED", "yes")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("CALLBACK_CLUSTER_ENABLED");
    assertThatThrownBy(() -> EngineConfig.load(Optional.empty(), Map.of("CALLBACK_CLUSTER_ENABLED", "true",
        "CALLBACK_CLUSTER_MEMBERS", "10.0.0.8"))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("CALLBACK_CLUSTER_MEMBERS");
    assertThatThrownBy(() -> EngineConfig.load(Optional.empty(), Map.of("CALLBACK_CLUSTER_ENABLED", "true",
        "CALLBACK_CLUSTER_HOST", "0.0.0.0"))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("CALLBACK_CLUSTER_HOST");
  }
}
