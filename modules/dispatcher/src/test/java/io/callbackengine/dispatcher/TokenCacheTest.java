package io.callbackengine.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.callbackengine.domain.profile.CallbackAuth;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One fetch however many callbacks wait; reuse until the margin before expiry; a refused or changed auth refetches. */
class TokenCacheTest {

  private static final CallbackAuth.OAuth2 AUTH = new CallbackAuth.OAuth2("https://auth.example.com/t", "id", "secret",
      CallbackAuth.TokenMethod.POST, CallbackAuth.CredentialPlacement.BODY, null, "access_token", "expires_in", Map.of());

  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  private Instant now = Instant.parse("2026-12-01T10:00:00Z");
  private final List<Promise<BearerToken>> fetches = new ArrayList<>();
  private final TokenCache cache = new TokenCache((auth, timeout) -> {
    Promise<BearerToken> fetch = Promise.promise();
    fetches.add(fetch);
    return fetch.future();
  }, new Clock() {
    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }, 10);

  @Test
  void callbacksWaitingTogetherShareOneFetchAndReuseItsTokenUntilTheMargin() {
    Future<BearerToken> first = cache.token("SG_1", AUTH, TIMEOUT);
    Future<BearerToken> second = cache.token("SG_1", AUTH, TIMEOUT);
    assertThat(fetches).hasSize(1);

    BearerToken token = new BearerToken("t1", now, Duration.ofSeconds(3600));
    fetches.get(0).complete(token);
    assertThat(first.result()).isSameAs(token);
    assertThat(second.result()).isSameAs(token);

    now = now.plusSeconds(3569);
    assertThat(cache.token("SG_1", AUTH, TIMEOUT).result()).isSameAs(token);
    now = now.plusSeconds(1);
    cache.token("SG_1", AUTH, TIMEOUT);
    assertThat(fetches).as("30 s before expiry a new token is fetched").hasSize(2);
  }

  @Test
  void aShortLifetimeKeepsATenthOfItAsMargin() {
    BearerToken token = new BearerToken("t", now, Duration.ofSeconds(2));
    assertThat(token.refreshAt()).isEqualTo(now.plusMillis(1800));
  }

  @Test
  void aRefusedTokenIsDroppedOnceAndAFailedFetchIsNotKept() {
    cache.token("SG_1", AUTH, TIMEOUT);
    BearerToken token = new BearerToken("t1", now, Duration.ofSeconds(3600));
    fetches.get(0).complete(token);

    cache.refused("SG_1", token);
    cache.token("SG_1", AUTH, TIMEOUT);
    cache.refused("SG_1", token); // a second callback refused with the same token: the new fetch stays
    cache.token("SG_1", AUTH, TIMEOUT);
    assertThat(fetches).hasSize(2);

    fetches.get(1).fail(new TokenFailure("token endpoint answered HTTP 500"));
    cache.token("SG_1", AUTH, TIMEOUT);
    assertThat(fetches).hasSize(3);
  }

  @Test
  void aChangedAuthIsNeverServedTheOldToken() {
    cache.token("SG_1", AUTH, TIMEOUT);
    fetches.get(0).complete(new BearerToken("t1", now, Duration.ofSeconds(3600)));

    CallbackAuth.OAuth2 changed = new CallbackAuth.OAuth2(AUTH.tokenUrl(), "other-id", AUTH.clientSecret(),
        AUTH.method(), AUTH.credentials(), null, AUTH.tokenPath(), AUTH.expiresPath(), Map.of());
    cache.token("SG_1", changed, TIMEOUT);

    assertThat(fetches).hasSize(2);
  }
}
