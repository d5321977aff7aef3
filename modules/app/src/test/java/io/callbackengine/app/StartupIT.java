package io.callbackengine.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.callbackengine.app.config.EngineConfig;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a new user sees when the database is not where the configuration says: one line, where and what to do. */
class StartupIT {

  @Test
  void anUnreachableDatabaseIsExplainedInOneLine() {
    Map<String, String> env = TestEngine.environment("startup_unreachable");
    env.put("CALLBACK_DATABASE_URL", "postgresql://postgres@127.0.0.1:1/postgres");
    EngineConfig config = EngineConfig.load(Optional.empty(), env);

    Throwable failure = catchThrowable(() -> TestEngine.start("startup_unreachable", env));
    String explanation = Main.StartupFailure.explain(failure, config);

    assertThat(failure).isNotNull();
    assertThat(explanation)
        .startsWith("Cannot reach PostgreSQL at postgresql://postgres@127.0.0.1:1/postgres")
        .contains("CALLBACK_DATABASE_URL")
        .doesNotContain("\n");
  }

  @Test
  void unknownCallbackVariablesAreReportedNotSilentlyIgnored() {
    Map<String, String> env = TestEngine.environment("startup_unknown");
    env.put("CALLBACK_HTTP_PROT", "9090");

    EngineConfig config = EngineConfig.load(Optional.empty(), env);

    assertThat(config.unknownVariables()).containsExactly("CALLBACK_HTTP_PROT");
  }
}
