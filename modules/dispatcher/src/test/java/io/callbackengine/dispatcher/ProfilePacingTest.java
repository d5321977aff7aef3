package io.callbackengine.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.callbackengine.domain.profile.CallbackMethod;
import io.callbackengine.domain.profile.CallbackProfile;
import io.callbackengine.domain.profile.ProfileChannel;
import io.callbackengine.domain.profile.ProfilePolicy;
import io.callbackengine.domain.profile.ProfileSpec;
import io.callbackengine.domain.profile.ProfileStatus;
import io.callbackengine.domain.retry.RetrySchedule;
import io.callbackengine.domain.signing.SigningSecret;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Caps, timeout and rate turns as a profile's policy sets them, always within the lease. */
class ProfilePacingTest {

  /** Lease 60 s, connect 5 s, request 15 s, 16 in flight: the engine's defaults. */
  private static final DispatchSettings SETTINGS = new DispatchSettings(100, 1000, 16, 8, Duration.ofSeconds(60),
      Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(15),
      RetrySchedule.standard());

  private static CallbackProfile profile(String id, ProfilePolicy policy) {
    ProfileSpec spec = new ProfileSpec("Paced", CallbackMethod.POST, "https://example.com/", Map.of(), new JsonObject(),
        null, null, ProfileChannel.SMS, List.of("SMS-sent"), null, Map.of(), null, null, null, policy);
    return new CallbackProfile(id, "HX1", spec, ProfileStatus.ACTIVE, SigningSecret.generate(new SecureRandom()), null,
        null, Instant.EPOCH, null);
  }

  private final Map<String, CallbackProfile> profiles = Map.of(
      "plain", profile("plain", ProfilePolicy.DEFAULTS),
      "narrow", profile("narrow", new ProfilePolicy(null, Duration.ofSeconds(1), 2, null, null)),
      "slow", profile("slow", new ProfilePolicy(null, Duration.ofMinutes(1), null, null, null)),
      "rated", profile("rated", new ProfilePolicy(null, null, null, 10, null)),
      "trickle", profile("trickle", new ProfilePolicy(null, null, null, 1, null)));
  private final ProfilePacing pacing = new ProfilePacing(SETTINGS, profiles::get);

  @Test
  void theDefaultsKeepWaitingDeliveriesWithinTheLease() {
    // 20 s per attempt, 60 s lease: 16 in flight, then two more rounds of 16 may wait.
    assertThat(pacing.defaults()).isEqualTo(new ProfileSlots.Caps(16, 48));
    assertThat(pacing.capsOf("plain")).isNull();
  }

  @Test
  void aPolicysInFlightAndTimeoutSetItsCaps() {
    // 6 s per attempt: 60 / 6 - 1 = 9 rounds of 2 may wait behind the 2 in flight.
    assertThat(pacing.capsOf("narrow")).isEqualTo(new ProfileSlots.Caps(2, 20));
    // A timeout longer than the lease leaves is cut to it: 60 s - 5 s connect - 1 s margin.
    assertThat(pacing.timeout(profiles.get("slow").spec().policy())).isEqualTo(Duration.ofSeconds(54));
    assertThat(pacing.capsOf("slow")).as("59 s attempts: none may wait").isEqualTo(new ProfileSlots.Caps(16, 16));
  }

  @Test
  void theRateLimitSpacesCallbacksAndIsSharedBetweenDispatchers() {
    long now = 1_000_000_000L;
    assertThat(pacing.delayMillis(profiles.get("rated"), now)).isZero();
    assertThat(pacing.delayMillis(profiles.get("rated"), now)).isEqualTo(100);
    assertThat(pacing.delayMillis(profiles.get("rated"), now)).isEqualTo(200);
    assertThat(pacing.delayMillis(profiles.get("plain"), now)).isZero();
    // 1/s for the 40 s of lease left after one attempt: at most 40 may wait here (fewer than 16 in flight allow).
    assertThat(pacing.capsOf("trickle")).isEqualTo(new ProfileSlots.Caps(16, 40));
    assertThat(pacing.capsOf("rated")).isEqualTo(new ProfileSlots.Caps(16, 48));

    pacing.dispatchers(2);
    assertThat(pacing.delayMillis(profiles.get("rated"), now + 10_000_000_000L)).isZero();
    assertThat(pacing.delayMillis(profiles.get("rated"), now + 10_000_000_000L)).as("5/s each").isEqualTo(200);
    assertThat(pacing.capsOf("trickle")).isEqualTo(new ProfileSlots.Caps(16, 20));
  }
}
