package io.callbackengine.app;

import io.callbackengine.api.ApiResource;
import io.callbackengine.api.HttpApi;
import io.callbackengine.api.OpenApiResource;
import io.callbackengine.api.account.AccountResource;
import io.callbackengine.api.auth.AdminAuthenticator;
import io.callbackengine.api.auth.TenantAuthenticator;
import io.callbackengine.api.profile.ProfileRegistry;
import io.callbackengine.api.profile.ProfileResource;
import io.callbackengine.app.config.EngineConfig;
import io.callbackengine.domain.crypto.SecretSealer;
import io.callbackengine.domain.network.AddressPolicy;
import io.callbackengine.domain.profile.CallbackUrlRule;
import io.callbackengine.domain.profile.ProfileInput;
import io.callbackengine.store.MasterKeyCheck;
import io.callbackengine.store.SchemaMigrator;
import io.callbackengine.store.account.PgAccountStore;
import io.callbackengine.store.profile.PgProfileStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: reads top to bottom as the engine starts. Master key, Vert.x with metrics, migrations,
 * the pool, the master-key check, stores, services, resources, then the HTTP servers. Nothing else builds objects
 * of other modules.
 */
public final class Application {

  private static final Logger LOG = LoggerFactory.getLogger(Application.class);

  private final Vertx vertx;
  private final Pool pool;
  private final int httpPort;

  private Application(Vertx vertx, Pool pool, int httpPort) {
    this.vertx = vertx;
    this.pool = pool;
    this.httpPort = httpPort;
  }

  /** Starts the engine; the future fails with the reason it could not start, everything opened closed again. */
  public static Future<Application> start(EngineConfig config) {
    config.unknownVariables().forEach(name -> LOG.warn("Ignoring {}: no such setting", name));
    SecureRandom random = new SecureRandom();
    Clock clock = Clock.systemUTC();
    SecretSealer sealer = new SecretSealer(MasterKeySource.resolve(config.masterKey(), config.dataDir(), random), random);

    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();

    AtomicReference<Pool> poolRef = new AtomicReference<>();
    return new SchemaMigrator(config.database()).migrate(vertx)
        .compose(schemaVersion -> {
          Pool pool = PgBuilder.pool()
              .with(new PoolOptions().setMaxSize(config.database().poolSize()).setName("callback-engine")
                  .setMaxWaitQueueSize(1000).setConnectionTimeout(5))
              .connectingTo(config.database().connectOptions())
              .using(vertx)
              .build();
          poolRef.set(pool);
          return new MasterKeyCheck(pool, sealer).verify().map(schemaVersion);
        })
        .compose(schemaVersion -> {
          Pool pool = poolRef.get();
          PgAccountStore accounts = new PgAccountStore(pool);
          PgProfileStore profiles = new PgProfileStore(pool, sealer);
          AddressPolicy addressPolicy = new AddressPolicy(config.allowedCidrs());
          ProfileRegistry registryService = new ProfileRegistry(profiles,
              new ProfileInput(new CallbackUrlRule(addressPolicy)), random, clock);

          HttpApi api = new HttpApi(
              new TenantAuthenticator(accounts),
              new AdminAuthenticator(config.adminToken()),
              List.of(new AccountResource(accounts, random, clock), new ProfileResource(registryService)));
          List<ApiResource> management = List.of(
              new HealthResource(pool, schemaVersion), new MetricsResource(registry), new OpenApiResource());
          HttpServerOptions serverOptions = new HttpServerOptions()
              .setHost(config.http().host())
              .setPort(config.http().port())
              .setCompressionSupported(false)
              .setMaxHeaderSize(16 * 1024);
          AtomicReference<HttpServerVerticle> first = new AtomicReference<>();
          return vertx.deployVerticle(() -> {
                HttpServerVerticle verticle = new HttpServerVerticle(serverOptions, v -> api.router(v, management));
                first.compareAndSet(null, verticle);
                return verticle;
              }, new DeploymentOptions().setInstances(config.http().instances()))
              .map(id -> new Application(vertx, pool, first.get().actualPort()));
        })
        .onSuccess(app -> LOG.info("Callback Engine listening on {}:{} (database {}, schema {})",
            config.http().host(), app.httpPort, config.database().displayUrl(), config.database().schema()))
        .recover(failure -> vertx.close().transform(closed -> Future.failedFuture(failure)));
  }

  public int httpPort() {
    return httpPort;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** Stops taking requests, closes the pool and Vert.x. */
  public Future<Void> stop() {
    return vertx.close();
  }

  Pool pool() {
    return pool;
  }
}
