package io.callbackengine.app;

import io.callbackengine.api.ApiMetrics;
import io.callbackengine.api.ApiResource;
import io.callbackengine.api.HttpApi;
import io.callbackengine.api.OpenApiResource;
import io.callbackengine.api.account.AccountResource;
import io.callbackengine.api.auth.AdminAuthenticator;
import io.callbackengine.api.auth.TenantAuthenticator;
import io.callbackengine.api.delivery.DeliveryResource;
import io.callbackengine.api.event.EventBusIntake;
import io.callbackengine.api.event.EventResource;
import io.callbackengine.api.profile.ProfileRegistry;
import io.callbackengine.api.profile.ProfileResource;
import io.callbackengine.app.config.EngineConfig;
import io.callbackengine.app.config.EngineConfig.Role;
import io.callbackengine.dispatcher.DispatchMetrics;
import io.callbackengine.dispatcher.DispatcherVerticle;
import io.callbackengine.dispatcher.HostResolver;
import io.callbackengine.dispatcher.LocalHandoff;
import io.callbackengine.domain.crypto.SecretSealer;
import io.callbackengine.domain.network.AddressPolicy;
import io.callbackengine.domain.profile.CallbackUrlRule;
import io.callbackengine.domain.profile.ProfileInput;
import io.callbackengine.store.MasterKeyCheck;
import io.callbackengine.store.SchemaMigrator;
import io.callbackengine.store.account.PgAccountStore;
import io.callbackengine.store.delivery.DeliveryHandoff;
import io.callbackengine.store.delivery.PgDeliveryLog;
import io.callbackengine.store.delivery.PgDeliveryQueue;
import io.callbackengine.store.event.PgEventStore;
import io.callbackengine.store.profile.PgProfileStore;
import io.callbackengine.store.retention.PgPartitions;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.callbackengine.api.auth.KeyCache;
import io.callbackengine.api.NotifiedCache;
import io.callbackengine.domain.profile.CallbackProfile;
import io.callbackengine.store.profile.ProfileChanges;
import io.callbackengine.store.account.KeyRevocations;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: reads top to bottom as the engine starts. Master key, Vert.x with metrics, migrations,
 * the pool, the master-key check, partition maintenance, stores, services, resources, the HTTP servers, event-bus intake and the
 * dispatcher. Nothing else builds objects of other modules.
 */
public final class Application {

  private static final Logger LOG = LoggerFactory.getLogger(Application.class);
  /** Entries per API cache (api keys, profiles): a few tens of MiB at most. */
  private static final int CACHE_CAPACITY = 100_000;
  static final String USER_AGENT = "CallbackEngine/0.1.0 (+https://github.com/callback-engine)";

  private final Vertx vertx;
  private final int httpPort;
  private final Function<Vertx, Router> routes;
  private final String httpDeployment;
  private final Optional<String> dispatcherDeployment;
  private final ChangeListener changes;

  private Application(Vertx vertx, int httpPort, Function<Vertx, Router> routes, String httpDeployment,
      Optional<String> dispatcherDeployment, ChangeListener changes) {
    this.httpDeployment = httpDeployment;
    this.changes = changes;
    this.vertx = vertx;
    this.httpPort = httpPort;
    this.routes = routes;
    this.dispatcherDeployment = dispatcherDeployment;
  }

  /** Starts the engine; the future fails with the reason it could not start, everything opened closed again. */
  public static Future<Application> start(EngineConfig config) {
    return start(config, null);
  }

  /** As {@link #start(EngineConfig)}, with the dispatcher resolving host names through {@code resolver}. */
  static Future<Application> start(EngineConfig config, HostResolver resolver) {
    config.unknownVariables().forEach(name -> LOG.warn("Ignoring {}: no such setting", name));
    SecureRandom random = new SecureRandom();
    Clock clock = Clock.systemUTC();
    SecretSealer sealer = new SecretSealer(MasterKeySource.resolve(config.masterKey(), config.dataDir(), random), random);

    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(HistogramBuckets.forHttpServerResponseTime());
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
            .setJvmMetricsEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();

    AtomicReference<Pool> poolRef = new AtomicReference<>();
    Future<Application> starting = new SchemaMigrator(config.database()).migrate(vertx)
        .compose(schemaVersion -> {
          Pool pool = pool(vertx, config, config.database().poolOptions());
          poolRef.set(pool);
          return new MasterKeyCheck(pool, sealer).verify().map(schemaVersion);
        })
        .compose(schemaVersion -> StorageMaintenance.start(vertx,
            new PgPartitions(poolRef.get(), config.retention(), clock), config.retention(), registry).map(schemaVersion))
        .compose(schemaVersion -> {
          Pool pool = poolRef.get();
          // Pools of their own, so that neither waits behind a flood of API requests: readiness would report a
          // working engine DOWN, and deliveries would stall while intake runs.
          Pool healthPool = pool(vertx, config, config.database().poolOptions("callback-engine-health", 1));
          Pool dispatchPool = pool(vertx, config, config.database().poolOptions("callback-engine-dispatch",
              config.dispatch().poolSize()));
          PgAccountStore accounts = new PgAccountStore(pool);
          PgProfileStore profiles = new PgProfileStore(pool, sealer);
          LocalHandoff handoff = new LocalHandoff(config.dispatch());
          PgEventStore events = new PgEventStore(pool, config.has(Role.DISPATCHER) ? handoff : DeliveryHandoff.NONE);
          AddressPolicy addressPolicy = new AddressPolicy(config.allowedCidrs());
          ApiMetrics apiMetrics = new ApiMetrics(registry);
          QueueGauges.start(vertx, healthPool, registry);

          List<ApiResource> resources = new ArrayList<>();
          ChangeListener changes = new ChangeListener();
          KeyCache keys = new KeyCache(accounts, changes.cache(config.apiCacheMaxAge(), CACHE_CAPACITY));
          NotifiedCache<String, Optional<CallbackProfile>> rememberedProfiles =
              changes.cache(config.apiCacheMaxAge(), CACHE_CAPACITY);
          if (config.has(Role.API) && !config.apiCacheMaxAge().isZero()) {
            changes.on(KeyRevocations.channel(config.database().schema()), revoked -> keys.clear())
                .on(ProfileChanges.channel(config.database().schema()), rememberedProfiles::forget)
                .start(vertx, config.database());
          }
          if (config.has(Role.API)) {
            ProfileRegistry profileRegistry = new ProfileRegistry(profiles,
                new ProfileInput(new CallbackUrlRule(addressPolicy)), random, clock, apiMetrics, rememberedProfiles);
            resources.add(new AccountResource(accounts, keys, random, clock));
            resources.add(new ProfileResource(profileRegistry));
            resources.add(new EventResource(events, apiMetrics));
            resources.add(new DeliveryResource(new PgDeliveryLog(pool), profiles));
            new EventBusIntake(events, apiMetrics).register(vertx.eventBus());
          }
          AtomicReference<String> dispatcherId = new AtomicReference<>();
          Supplier<Optional<Boolean>> dispatcherRunning = () -> config.has(Role.DISPATCHER)
              ? Optional.of(dispatcherId.get() != null && vertx.deploymentIDs().contains(dispatcherId.get()))
              : Optional.empty();
          HttpApi api = new HttpApi(new TenantAuthenticator(keys), new AdminAuthenticator(config.adminToken()), resources,
              config.http().requestTimeout());
          List<ApiResource> management = List.of(new HealthResource(healthPool, schemaVersion, dispatcherRunning),
              new MetricsResource(registry), new OpenApiResource());
          Function<Vertx, Router> routes = v -> api.router(v, management);

          HttpServerOptions serverOptions = new HttpServerOptions()
              .setHost(config.http().host())
              .setPort(config.http().port())
              .setCompressionSupported(false)
              .setMaxHeaderSize(16 * 1024);
          AtomicReference<HttpServerVerticle> first = new AtomicReference<>();
          Future<String> http = vertx.deployVerticle(() -> {
            HttpServerVerticle verticle = new HttpServerVerticle(serverOptions, routes, config.http().requestTimeout());
            first.compareAndSet(null, verticle);
            return verticle;
          }, new DeploymentOptions().setInstances(config.http().instances()));
          Future<Optional<String>> dispatcher = !config.has(Role.DISPATCHER) ? Future.succeededFuture(Optional.empty())
              : vertx.deployVerticle(new DispatcherVerticle(new PgDeliveryQueue(dispatchPool,
                      config.autoDisable()), new PgProfileStore(dispatchPool, sealer),
                      addressPolicy, resolver, config.dispatch(), config.database(), USER_AGENT, config.shutdownGrace(),
                      new DispatchMetrics(registry), handoff))
                  .onSuccess(dispatcherId::set)
                  .map(Optional::of);
          return Future.all(http, dispatcher)
              .map(done -> new Application(vertx, first.get().actualPort(), routes, http.result(), dispatcher.result(),
                  changes));
        })
        .onSuccess(app -> LOG.info("Callback Engine listening on {}:{} (database {}, schema {}, roles {})",
            config.http().host(), app.httpPort, config.database().displayUrl(), config.database().schema(),
            config.roles()));
    // A promise bound to no context: its listeners must still run after a failed start has closed Vert.x.
    Promise<Application> started = Promise.promise();
    starting.onComplete(result -> {
      if (result.succeeded()) {
        started.complete(result.result());
      } else {
        started.fail(result.cause());
        vertx.close();
      }
    });
    return started.future();
  }

  private static Pool pool(Vertx vertx, EngineConfig config, io.vertx.sqlclient.PoolOptions options) {
    return PgBuilder.pool()
        .with(options)
        .with(config.database().netClientOptions())
        .connectingTo(config.database().connectOptions())
        .using(vertx)
        .build();
  }

  public int httpPort() {
    return httpPort;
  }

  public Vertx vertx() {
    return vertx;
  }

  /**
   * Drains the dispatcher (attempts in flight finish, the rest go back to the queue), then closes everything.
   * Vert.x is closed from a plain thread: a close started on one of its own event loops could not report back.
   */
  public Future<Void> stop() {
    // The API first: no new requests, those in flight answered while the pool is still open (else they would fail
    // with "pool closed"), then the dispatcher drains.
    Future<Void> drained = vertx.undeploy(httpDeployment).otherwiseEmpty()
        .compose(served -> changes.stop().otherwiseEmpty())
        .compose(unheard -> dispatcherDeployment.map(vertx::undeploy).orElse(Future.succeededFuture()));
    return Future.fromCompletionStage(drained.toCompletionStage()
        .handle((done, error) -> null)
        .thenComposeAsync(ignored -> vertx.close().toCompletionStage()));
  }

  /** A router with every route the engine serves, for checks such as "every route is documented". */
  Router router(Vertx on) {
    return routes.apply(on);
  }
}
