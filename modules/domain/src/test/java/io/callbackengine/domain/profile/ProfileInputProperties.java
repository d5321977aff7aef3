package io.callbackengine.domain.profile;

import static org.assertj.core.api.Assertions.assertThat;

import io.callbackengine.domain.network.AddressPolicy;
import io.callbackengine.domain.problem.ArbitraryJson;
import io.callbackengine.domain.problem.ClientProblem;
import io.callbackengine.domain.problem.Violation;
import io.callbackengine.domain.profile.ArbitraryProfiles.ValidProfile;
import io.callbackengine.domain.profile.ProfileInput.ProfilePatch;
import io.callbackengine.domain.template.VariablePath;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Any JSON object given to {@link ProfileInput} is either a valid profile or one 400 whose violations all point
 * into the body; nothing else escapes. A profile generated from the rules of API.md §4 is accepted as written.
 */
class ProfileInputProperties {

  private static final CallbackUrlRule URL_RULE = new CallbackUrlRule(new AddressPolicy(List.of()));
  private static final List<String> SPEC_FIELDS =
      ArbitraryProfiles.FIELDS.subList(0, ArbitraryProfiles.FIELDS.indexOf("status"));

  private final ProfileInput input = new ProfileInput(URL_RULE);

  /** One change to a request: a field set to a value, or removed. */
  private record Change(String field, boolean remove, Object value) {

    void applyTo(JsonObject request) {
      if (remove) {
        request.remove(field);
      } else {
        request.put(field, value);
      }
    }
  }

  @Provide
  Arbitrary<ValidProfile> validProfiles() {
    return ArbitraryProfiles.validProfiles();
  }

  /** Changes to the given fields, now and then to a field of any name. */
  private static Arbitrary<Change> changes(List<String> fields) {
    Arbitrary<Change> set = Arbitraries.oneOf(fields.stream()
        .map(f -> ProfileFieldValues.of(f).map(v -> new Change(f, false, v))).toList());
    return Arbitraries.frequencyOf(
        Tuple.of(16, set),
        Tuple.of(4, Arbitraries.of(fields).map(f -> new Change(f, true, null))),
        Tuple.of(1, Combinators.combine(ArbitraryJson.strings(3), ArbitraryJson.values())
            .as((key, value) -> new Change(key, false, value))))
        // The near values hold the boundaries already; jqwik's own edge cases, mixed in, would crowd them out.
        .withoutEdgeCases();
  }

  /** Mostly a valid request with one to three fields changed, so the checks behind the first one run too. */
  @Provide
  Arbitrary<JsonObject> requests() {
    Arbitrary<List<Change>> someChanges = changes(SPEC_FIELDS).list().ofMinSize(1).ofMaxSize(3);
    Arbitrary<JsonObject> mutated = Combinators.combine(ArbitraryProfiles.validProfiles(), someChanges)
        .as((profile, changes) -> {
          JsonObject request = profile.request().copy();
          changes.forEach(change -> change.applyTo(request));
          return request;
        });
    return Arbitraries.frequencyOf(Tuple.of(5, mutated), Tuple.of(1, randomObjects())).withoutEdgeCases();
  }

  /** A PATCH body: mostly up to three fields set to values near the rules; sometimes any object at all. */
  @Provide
  Arbitrary<JsonObject> patches() {
    Arbitrary<JsonObject> near = changes(ArbitraryProfiles.FIELDS).filter(change -> !change.remove())
        .list().ofMaxSize(3).map(changes -> {
          JsonObject patch = new JsonObject();
          changes.forEach(change -> change.applyTo(patch));
          return patch;
        });
    return Arbitraries.frequencyOf(Tuple.of(5, near), Tuple.of(1, randomObjects())).withoutEdgeCases();
  }

  private static Arbitrary<JsonObject> randomObjects() {
    return ArbitraryJson.objects(
        Arbitraries.oneOf(Arbitraries.of(ArbitraryProfiles.FIELDS), ArbitraryJson.strings(3)), ArbitraryJson.values());
  }

  @Property
  void createReturnsAValidSpecOrA400(@ForAll("requests") JsonObject request) {
    Optional<ProfileSpec> spec = outcome(() -> input.forCreate(request.copy()));

    spec.ifPresent(accepted -> {
      assertFollowsTheRules(accepted);
      assertThat(SPEC_FIELDS).containsAll(request.fieldNames());
      assertThat(accepted.title()).isEqualTo(request.getValue("title"));
      assertThat(accepted.httpMethod().name()).isEqualTo(request.getValue("http_method"));
      assertThat(accepted.url()).isEqualTo(request.getValue("url"));
    });
    Statistics.coverage(coverage -> {
      coverage.check(true).percentage(p -> p >= 10);
      coverage.check(false).percentage(p -> p >= 10);
    });
  }

  @Property
  void patchReturnsAValidSpecOrA400(@ForAll("validProfiles") ValidProfile profile,
      @ForAll("patches") JsonObject patch) {
    ProfileSpec current = input.forCreate(profile.request());

    Optional<ProfilePatch> result = outcome(() -> input.forPatch(current, patch.copy()));

    result.ifPresent(accepted -> {
      ProfileSpec spec = accepted.spec();
      assertFollowsTheRules(spec);
      assertThat(spec.channel()).isEqualTo(current.channel());
      assertThat(accepted.status().map(ProfileStatus::code).orElse(null)).isEqualTo(patch.getValue("status"));
      keptUnlessPatched(patch, "title", spec.title(), current.title());
      keptUnlessPatched(patch, "http_method", spec.httpMethod(), current.httpMethod());
      keptUnlessPatched(patch, "url", spec.url(), current.url());
      keptUnlessPatched(patch, "headers", spec.headers(), current.headers());
      keptUnlessPatched(patch, "body", spec.body(), current.body());
      keptUnlessPatched(patch, "response_message", spec.responseMessage(), current.responseMessage());
      keptUnlessPatched(patch, "enc", spec.enc(), current.enc());
      keptUnlessPatched(patch, "events", spec.events(), current.events());
      keptUnlessPatched(patch, "dynamic_variables", spec.dynamicVariables(), current.dynamicVariables());
      keptUnlessPatched(patch, "replacers", spec.replacers(), current.replacers());
      keptUnlessPatched(patch, "body_type", spec.declaredBodyType(), current.declaredBodyType());
      keptUnlessPatched(patch, "auth", spec.auth(), current.auth());
      keptUnlessPatched(patch, "policy", spec.policy(), current.policy());
    });
    Statistics.coverage(coverage -> {
      coverage.check(true).percentage(p -> p >= 10);
      coverage.check(false).percentage(p -> p >= 10);
    });
  }

  @Property
  void aProfileBuiltFromTheRulesIsAcceptedAsWritten(@ForAll("validProfiles") ValidProfile profile) {
    ProfileSpec spec = input.forCreate(profile.request().copy());

    assertThat(spec).isEqualTo(profile.expected());
    assertFollowsTheRules(spec);
    assertThat(input.forPatch(spec, new JsonObject())).isEqualTo(new ProfilePatch(spec, Optional.empty()));
    // The create body again as a PATCH changes nothing.
    assertThat(input.forPatch(spec, profile.request().copy())).isEqualTo(new ProfilePatch(spec, Optional.empty()));
  }

  @Property
  void patchingOneFieldChangesThatFieldAlone(@ForAll("validProfiles") ValidProfile profile,
      @ForAll("titlesAndUrls") Tuple.Tuple2<String, String> replacement) {
    ProfileSpec current = input.forCreate(profile.request());
    JsonObject patch = new JsonObject().put(replacement.get1(), replacement.get2());

    ProfileSpec patched = input.forPatch(current, patch).spec();

    ProfileSpec expected = replacement.get1().equals("title")
        ? new ProfileSpec(replacement.get2(), current.httpMethod(), current.url(), current.headers(), current.body(),
            current.responseMessage(), current.enc(), current.channel(), current.events(), current.dynamicVariables(),
            current.replacers(), current.declaredBodyType(), current.textBody(), current.auth(), current.policy())
        : new ProfileSpec(current.title(), current.httpMethod(), replacement.get2(), current.headers(), current.body(),
            current.responseMessage(), current.enc(), current.channel(), current.events(), current.dynamicVariables(),
            current.replacers(), current.declaredBodyType(), current.textBody(), current.auth(), current.policy());
    assertThat(patched).isEqualTo(expected);
  }

  @Provide
  Arbitrary<Tuple.Tuple2<String, String>> titlesAndUrls() {
    return Arbitraries.oneOf(ArbitraryProfiles.titles().map(t -> Tuple.of("title", t)),
        ArbitraryProfiles.urls().map(u -> Tuple.of("url", u)));
  }

  /** The value the call returns, or empty when it threw a 400 naming only body fields; any other throwable escapes. */
  private static <T> Optional<T> outcome(Supplier<T> call) {
    T result;
    try {
      result = call.get();
    } catch (ClientProblem problem) {
      assertBodyProblem(problem);
      Statistics.collect(false);
      return Optional.empty();
    }
    Statistics.collect(true);
    return Optional.of(result);
  }

  private static void assertBodyProblem(ClientProblem problem) {
    assertThat(problem.httpStatus()).isEqualTo(400);
    assertThat(problem.violations()).isNotEmpty().allSatisfy(violation -> {
      assertThat(violation.location()).isEqualTo(Violation.Location.BODY);
      assertThat(violation.message()).startsWith("body");
    });
    assertThat(problem.summary()).isEqualTo(problem.violations().get(0).message());
  }

  private static void keptUnlessPatched(JsonObject patch, String field, Object now, Object before) {
    if (!patch.containsKey(field)) {
      assertThat(now).as(field).isEqualTo(before);
    }
  }

  /** What every spec must satisfy, checked independently of ProfileInput's own code. */
  private static void assertFollowsTheRules(ProfileSpec spec) {
    assertThat(spec.title().codePointCount(0, spec.title().length())).isBetween(3, 100);
    assertThat(spec.title()).matches("[\\p{L}\\p{N} _-]+");
    assertThat(URL_RULE.problem(spec.url())).isEmpty();
    boolean text = spec.declaredBodyType() != null && spec.declaredBodyType().isTextTemplate();
    if (spec.httpMethod().carriesBody()) {
      assertThat(text ? spec.textBody() : spec.body()).isNotNull();
    }
    if (text) {
      assertThat(spec.body()).isNull();
    } else {
      assertThat(spec.textBody()).isNull();
    }
    if (spec.textBody() != null) {
      assertThat(spec.textBody().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(ProfileInput.MAX_BODY_BYTES);
    }
    if (spec.declaredBodyType() != null) {
      assertThat(spec.declaredBodyType()).isNotEqualTo(BodyType.JSON);
      assertThat(spec.httpMethod().carriesBody()).isTrue();
    }
    ProfilePolicy policy = spec.policy();
    assertThat(policy).isNotNull();
    if (policy.retrySchedule() != null) {
      assertThat(policy.retrySchedule()).hasSizeLessThanOrEqualTo(20)
          .allSatisfy(d -> assertThat(d).isBetween(java.time.Duration.ZERO, java.time.Duration.ofDays(7)));
    }
    if (policy.timeout() != null) {
      assertThat(policy.timeout()).isBetween(java.time.Duration.ofMillis(100), java.time.Duration.ofMinutes(1));
    }
    if (policy.maxInFlight() != null) {
      assertThat(policy.maxInFlight()).isBetween(1, 64);
    }
    if (policy.rateLimit() != null) {
      assertThat(policy.rateLimit()).isBetween(1, 10_000);
    }
    if (policy.finalStatuses() != null) {
      assertThat(policy.finalStatuses()).doesNotHaveDuplicates().doesNotContain(410)
          .allSatisfy(s -> assertThat(s).isBetween(400, 599));
    }
    if (spec.auth() != null) {
      assertThat(spec.headers().keySet()).noneMatch(h -> h.equalsIgnoreCase("authorization"));
      assertThat(spec.auth().secret()).isNotEqualTo(CallbackAuth.MASK).isNotEmpty();
      if (spec.auth() instanceof CallbackAuth.Basic basic) {
        assertThat(basic.username()).doesNotContain(":");
      } else if (spec.auth() instanceof CallbackAuth.OAuth2 oauth2) {
        assertThat(URL_RULE.problem(oauth2.tokenUrl())).isEmpty();
        assertThat(oauth2.tokenUrl()).doesNotContain("<");
      }
    }
    if (spec.body() != null) {
      assertThat(spec.body().toBuffer().length()).isLessThanOrEqualTo(ProfileInput.MAX_BODY_BYTES);
    }
    assertThat(spec.headers()).hasSizeLessThanOrEqualTo(ProfileInput.MAX_HEADERS).allSatisfy((name, value) -> {
      assertThat(name).matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
      assertThat(ArbitraryProfiles.reserved(name)).as("reserved header %s", name).isFalse();
      assertThat(value).isNotNull().doesNotContain("\r", "\n", "\u0000");
    });
    if (spec.responseMessage() != null) {
      assertThat(spec.responseMessage().codePointCount(0, spec.responseMessage().length())).isLessThanOrEqualTo(1024);
    }
    if (spec.enc() != null) {
      assertThat(spec.enc().key().getBytes(StandardCharsets.UTF_8)).hasSize(spec.enc().algorithm().keyBytes());
      if (spec.enc().iv() != null) {
        assertThat(spec.enc().iv().getBytes(StandardCharsets.UTF_8)).hasSize(16);
      }
    }
    if (spec.channel() == ProfileChannel.SMS) {
      assertThat(spec.events()).isNotNull().isNotEmpty();
    }
    if (spec.events() != null) {
      assertThat(spec.events()).hasSizeLessThanOrEqualTo(ProfileInput.MAX_EVENTS).doesNotHaveDuplicates()
          .allSatisfy(event -> assertThat(event).matches("[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}"));
    }
    if (spec.dynamicVariables() != null) {
      assertThat(spec.dynamicVariables().toBuffer().length())
          .isLessThanOrEqualTo(ProfileInput.MAX_DYNAMIC_VARIABLES_BYTES);
    }
    assertThat(spec.replacers()).hasSizeLessThanOrEqualTo(ProfileInput.MAX_REPLACERS).allSatisfy((name, path) -> {
      assertThat(VariablePath.parse(name)).as("replacer name %s", name).isPresent();
      assertThat(VariablePath.parse(path)).as("replacer path %s", path).isPresent();
    });
  }
}
