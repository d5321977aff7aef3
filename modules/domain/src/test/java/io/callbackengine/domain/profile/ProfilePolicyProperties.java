package io.callbackengine.domain.profile;

import static org.assertj.core.api.Assertions.assertThat;

import io.callbackengine.domain.retry.RetrySchedule;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** A policy survives storage as it was, and GET shows each setting it sets, the engine's default for the rest. */
class ProfilePolicyProperties {

  private static final ProfilePolicy.Defaults DEFAULTS =
      new ProfilePolicy.Defaults(RetrySchedule.standard(), Duration.ofSeconds(15), 16);

  @Provide
  Arbitrary<ProfilePolicy> policies() {
    Arbitrary<List<Duration>> schedules = Arbitraries.of(Duration.ofMillis(200), Duration.ofSeconds(5),
        Duration.ofMinutes(1), Duration.ofHours(2), Duration.ofDays(7)).list().ofMaxSize(20);
    Arbitrary<Duration> timeouts = Arbitraries.longs().between(100, 60_000).map(Duration::ofMillis);
    Arbitrary<List<Integer>> statuses = Arbitraries.integers().between(400, 599).filter(s -> s != 410).list()
        .uniqueElements().ofMaxSize(5);
    return Combinators.combine(schedules.injectNull(0.5), timeouts.injectNull(0.5),
            Arbitraries.integers().between(1, 64).injectNull(0.5), Arbitraries.integers().between(1, 10_000).injectNull(0.5),
            statuses.injectNull(0.5))
        .as(ProfilePolicy::new);
  }

  @Property
  void whatIsStoredReadsBackTheSame(@ForAll("policies") ProfilePolicy policy) {
    assertThat(ProfilePolicy.fromStored(new JsonObject(policy.stored().encode()))).isEqualTo(policy);
  }

  @Property
  void getShowsTheSettingsItSetsAndTheDefaultsOfTheRest(@ForAll("policies") ProfilePolicy policy) {
    JsonObject shown = policy.effective(DEFAULTS);

    assertThat(shown.fieldNames()).containsExactlyInAnyOrder("retry_schedule", "timeout", "max_in_flight",
        "rate_limit", "final_statuses");
    assertThat(shown.getInteger("max_in_flight")).isEqualTo(policy.maxInFlight() == null ? 16 : policy.maxInFlight());
    assertThat(shown.getInteger("rate_limit")).isEqualTo(policy.rateLimit());
    assertThat(shown.getJsonArray("final_statuses"))
        .isEqualTo(new JsonArray(policy.finalStatuses() == null ? List.of() : policy.finalStatuses()));
    assertThat(shown.getString("retry_schedule")).isEqualTo(policy.retrySchedule() == null ? "5s,5m,30m,2h,5h,10h,10h"
        : policy.stored().getString("retry_schedule"));
    assertThat(policy.retrySchedule(DEFAULTS.retrySchedule()).jitter()).isEqualTo(0.2);
  }
}
