package io.callbackengine.api.auth;

import io.callbackengine.domain.account.ApiKey;
import io.callbackengine.domain.problem.ClientProblem;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Guards {@code /v1/{sid}/...}: the {@code api-key} header must be an unrevoked key of the account in the path.
 * Every failure, whether the key is missing, unknown, revoked or another account's, gets the same 401, so the
 * answer tells nothing about which accounts or keys exist. Keys are looked up through the {@link KeyCache}, which
 * forgets a key as soon as it is revoked.
 */
public final class TenantAuthenticator implements Handler<RoutingContext> {

  public static final String HEADER = "api-key";
  private static final int MAX_KEY_LENGTH = 128;

  private final KeyCache keys;

  public TenantAuthenticator(KeyCache keys) {
    this.keys = keys;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String sid = ctx.pathParam("sid");
    String key = ctx.request().getHeader(HEADER);
    if (sid == null || key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
      ctx.fail(ClientProblem.unauthorized());
      return;
    }
    keys.sidOfKey(ApiKey.hashOf(key))
        .onSuccess(owner -> {
          if (owner.isPresent() && owner.get().equals(sid)) {
            ctx.next();
          } else {
            ctx.fail(ClientProblem.unauthorized());
          }
        })
        .onFailure(ctx::fail);
  }
}
