package io.callbackengine.api.account;

import io.callbackengine.api.ApiResource;
import io.callbackengine.api.Envelope;
import io.callbackengine.api.JsonRequest;
import io.callbackengine.api.JsonTime;
import io.callbackengine.api.QueryParameters;
import io.callbackengine.api.ResponseCodes;
import io.callbackengine.domain.account.Account;
import io.callbackengine.domain.account.ApiKey;
import io.callbackengine.domain.problem.ClientProblem;
import io.callbackengine.domain.problem.JsonFieldReader;
import io.callbackengine.domain.problem.Violation;
import io.callbackengine.api.auth.KeyCache;
import io.callbackengine.store.account.AccountStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;

/** {@code /admin/accounts}: accounts and their api keys (API.md §3). An api key is shown once, when issued. */
public final class AccountResource implements ApiResource {

  private static final String CODE = ResponseCodes.ADMIN.success();

  private final AccountStore accounts;
  private final KeyCache keys;
  private final SecureRandom random;
  private final Clock clock;

  public AccountResource(AccountStore accounts, KeyCache keys, SecureRandom random, Clock clock) {
    this.accounts = accounts;
    this.keys = keys;
    this.random = random;
    this.clock = clock;
  }

  @Override
  public void mount(Router router) {
    router.post("/admin/accounts").handler(this::create);
    router.get("/admin/accounts").handler(this::list);
    router.get("/admin/accounts/:sid").handler(this::get);
    router.post("/admin/accounts/:sid/api-keys").handler(this::issueKey);
    router.get("/admin/accounts/:sid/api-keys").handler(this::listKeys);
    router.delete("/admin/accounts/:sid/api-keys/:keyId").handler(this::revokeKey);
  }

  private void create(RoutingContext ctx) {
    JsonObject request = JsonRequest.object(ctx, false);
    JsonFieldReader reader = new JsonFieldReader(Violation.Location.BODY);
    reader.onlyKnown(request, "body", Set.of("name", "sid"));
    String name = null;
    if (!request.containsKey("name")) {
      reader.required("body", "name");
    } else {
      name = reader.boundedString(request.getValue("name"), "body/name", 1, 200);
    }
    String sid = null;
    if (request.getValue("sid") != null) {
      sid = reader.string(request.getValue("sid"), "body/sid");
      if (sid != null && !Account.SID.matcher(sid).matches()) {
        reader.fail("body/sid", "must match pattern \"" + Account.SID.pattern() + "\"");
      }
    }
    reader.throwIfInvalid();
    Instant now = now();
    Account account = new Account(sid != null ? sid : Account.newSid(random), name, now);
    ApiKey.Issued key = ApiKey.issue(account.sid(), random, now);
    accounts.create(account, key.stored())
        .compose(created -> Envelope.success(ctx, 201, CODE, "Account created successfully", accountJson(created)
            .put("api_key", key.plaintext())))
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    QueryParameters query = new QueryParameters(ctx, Set.of());
    int limit = query.limit();
    int offset = query.offset();
    query.throwIfInvalid();
    Future<java.util.List<Account>> page = accounts.list(limit, offset);
    Future<Long> total = accounts.count();
    Future.all(page, total)
        .compose(done -> {
          JsonArray items = new JsonArray();
          page.result().forEach(a -> items.add(accountJson(a)));
          return Envelope.success(ctx, 200, CODE, "Accounts fetched successfully", new JsonObject()
              .put("accounts", items).put("total", total.result()).put("limit", limit).put("offset", offset));
        })
        .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    existing(ctx.pathParam("sid"))
        .compose(account -> Envelope.success(ctx, 200, CODE, "Account fetched successfully", accountJson(account)))
        .onFailure(ctx::fail);
  }

  private void issueKey(RoutingContext ctx) {
    JsonRequest.nothing(ctx);
    existing(ctx.pathParam("sid"))
        .compose(account -> {
          ApiKey.Issued key = ApiKey.issue(account.sid(), random, now());
          return accounts.addKey(key.stored()).map(key);
        })
        .compose(key -> Envelope.success(ctx, 201, CODE, "API key created successfully", new JsonObject()
            .put("key_id", key.stored().keyId())
            .put("api_key", key.plaintext())
            .put("prefix", key.stored().prefix())
            .put("created_at", JsonTime.format(key.stored().createdAt()))))
        .onFailure(ctx::fail);
  }

  private void listKeys(RoutingContext ctx) {
    existing(ctx.pathParam("sid"))
        .compose(account -> accounts.keys(account.sid()))
        .compose(keys -> {
          JsonArray items = new JsonArray();
          keys.forEach(k -> items.add(new JsonObject()
              .put("key_id", k.keyId())
              .put("prefix", k.prefix())
              .put("created_at", JsonTime.format(k.createdAt()))
              .put("revoked_at", JsonTime.format(k.revokedAt()))));
          return Envelope.success(ctx, 200, CODE, "API keys fetched successfully", new JsonObject().put("api_keys", items));
        })
        .onFailure(ctx::fail);
  }

  private void revokeKey(RoutingContext ctx) {
    String keyId = ctx.pathParam("keyId");
    existing(ctx.pathParam("sid"))
        .compose(account -> accounts.revokeKey(account.sid(), keyId))
        // Before answering: the very next request with this key must fail, here too.
        .onSuccess(revoked -> keys.clear())
        .compose(revoked -> revoked
            ? Envelope.success(ctx, 200, CODE, "API key revoked successfully", new JsonObject().put("key_id", keyId))
            : Future.failedFuture(ClientProblem.notFound("No active API key exists with this id",
                Violation.params("No active API key exists with id: " + keyId))))
        .onFailure(ctx::fail);
  }

  private Future<Account> existing(String sid) {
    return accounts.find(sid).compose(found -> found
        .map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(ClientProblem.notFound("No account exists with this sid",
            Violation.params("No account exists with sid: " + sid)))));
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  private static JsonObject accountJson(Account account) {
    return new JsonObject()
        .put("sid", account.sid())
        .put("name", account.name())
        .put("created_at", JsonTime.format(account.createdAt()));
  }
}
