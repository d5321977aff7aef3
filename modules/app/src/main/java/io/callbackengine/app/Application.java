package io.callbackengine.app;

import io.callbackengine.api.ApiMetrics;
import io.callbackengine.api.ApiResource;
import io.callbackengine.api.HttpApi;
import io.callbackengine.api.NotifiedCache;
import io.callbackengine.api.OpenApiResource;
import io.callbackengine.api.account.AccountResource;
import io.callbackengine.api.auth.AdminAuthenticator;
import io.callbackengine.api.auth.KeyCache;
import io.callbackengine.api.auth.TenantAuthenticator;
import io.callbackengine.api.console.ConsoleResource;
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
import io.callbackengine.producer.ClusterSettings;
import io.callbackengine.producer.HazelcastCluster;
import io.callbackengine.domain.crypto.SecretSealer;
import io.callbackengine.domain.network.AddressPolicy;
import io.callbackengine.domain.profile.CallbackProfile;
import io.callbackengine.domain.profile.CallbackUrlRule;
import io.callbackengine.domain.profile.ProfileInput;
import io.callbackengine.domain.profile.ProfilePolicy;
import io.callbackengine.store.DatabaseSettings;
import io.callbackengine.store.MasterKeyCheck;
import io.callbackengine.store.PoolHeartbeat;
import io.callbackengine.store.account.KeyRevocations;
import io.callbackengine.store.account.PgAccountStore;
import io.callbackengine.store.delivery.DeliveryHandoff;
import io.callbackengine.store.delivery.PgDeliveryLog;
import io.callbackengine.store.delivery.DispatcherCensus;
import io.callbackengine.store.delivery.PgDeliveryQueue;
import io.callbackengine.store.event.OperationalEvents;
import io.callbackengine.store.event.PgEventStore;
import io.callbackengine.store.profile.PgProfileStore;
import io.callbackengine.store.profile.ProfileChanges;
import io.callbackengine.store.retention.PgPartitions;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.sqlclient.Pool;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root. {@link #start} reads top to bottom as the engine starts, one named step after another, each
 * logged with its duration: Vert.x with its metrics (joining the cluster when it is on), the pools, the schema, the
 * master-key check, partition maintenance, the stores, the API, then the HTTP servers and the dispatcher side by
 * side. Apart from the command-line tools and ChangeListener, which build the few they need, nothing else builds
 * objects of other modules.
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
  private final Optional<EventBusIntake> intake;

  private Application(Vertx vertx, int httpPort, Function<Vertx, Router> routes, String httpDeployment,
      Optional<String> dispatcherDeployment, ChangeListener changes, Optional<EventBusIntake> intake) {
    this.vertx = vertx;
    this.httpPort = httpPort;
    this.routes = routes;
    this.httpDeployment = httpDeployment;
    this.dispatcherDeployment = dispatcherDeployment;
    this.changes = changes;
    this.intake = intake;
  }

  /** Starts the engine; the future fails with the reason it could not start, everything opened closed again. */
  public static Future<Application> start(EngineConfig config) {
    return start(config, null);
  }

  /** As {@link #start(EngineConfig)}, with the dispatcher resolving host names through {@code resolver}. */
  static Future<Application> start(EngineConfig config, HostResolver resolver) {
    config.unknownVariables().forEach(name -> LOG.warn("Ignoring {}: no such setting", name));
    StartupSteps steps = new StartupSteps();
    Startup startup = steps.run("master key and metrics", () -> new Startup(config, resolver));
    Future<Application> starting = steps.await(config.cluster().isEmpty() ? "Vert.x" : "Vert.x and the cluster",
            startup::startVertx)
        .compose(started -> startOn(startup, steps, startup.pools()))
        .onSuccess(app -> LOG.info("Callback Engine listening on {}:{} (database {}, schema {}, roles {}, cluster {})",
            config.http().host(), app.httpPort, config.database().displayUrl(), config.database().schema(),
            config.roles(), startup.clusterCheck.describe()));
    // A promise bound to no context: its listeners must still run after a failed start has closed Vert.x.
    Promise<Application> started = Promise.promise();
    starting.onComplete(result -> {
      if (result.succeeded()) {
        started.complete(result.result());
      } else {
        started.fail(result.cause());
        if (startup.vertx != null) {
          startup.vertx.close();
        }
      }
    });
    return started.future();
  }

  /** The steps once Vert.x runs: the schema, the master-key check, storage, stores, API, HTTP servers, dispatcher. */
  private static Future<Application> startOn(Startup startup, StartupSteps steps, Pools pools) {
    return steps.await("schema", startup::migrateSchema)
        .compose(schemaVersion -> steps.await("master-key check", () -> startup.checkMasterKey(pools))
            .map(schemaVersion))
        .compose(schemaVersion -> steps.await("storage maintenance", () -> startup.maintainStorage(pools))
            .map(schemaVersion))
        .compose(schemaVersion -> {
          Stores stores = startup.stores(pools);
          Api api = steps.run("API", () -> startup.api(stores, pools, schemaVersion));
          Future<HttpServers> http = steps.await("HTTP servers", () -> startup.deployHttp(api));
          Future<Optional<String>> dispatcher = steps.await("dispatcher",
              () -> startup.deployDispatcher(stores, pools));
          return Future.all(http, dispatcher).map(deployed -> new Application(startup.vertx, http.result().port(),
              api.routes(), http.result().deployment(), dispatcher.result(), api.changes(), api.intake()));
        });
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
    // The API first, HTTP and event bus: no new requests (in a cluster, producers' requests go to the other engines),
    // those in flight answered while the pool is still open (else they would fail with "pool closed"), then the
    // dispatcher drains. Closing Vert.x leaves the cluster.
    Future<Void> drained = Future.join(vertx.undeploy(httpDeployment).otherwiseEmpty(),
            intake.map(EventBusIntake::stop).orElse(Future.succeededFuture()).otherwiseEmpty())
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

  /**
   * The API's pool, and pools of their own for health checks and the dispatcher, so that neither waits behind a
   * flood of API requests (readiness would report a working engine DOWN, and deliveries would stall while intake
   * runs). A pool connects on first use.
   */
  private record Pools(Pool api, Pool health, Pool dispatch) {
  }

  /** The API's stores, and the hand-off through which a publish passes fresh deliveries to this process's dispatcher. */
  private record Stores(PgAccountStore accounts, PgProfileStore profiles, PgEventStore events, LocalHandoff handoff) {
  }

  /** What the HTTP servers serve, the listener keeping the API's caches honest, and the event-bus intake. */
  private record Api(Function<Vertx, Router> routes, ChangeListener changes, Optional<EventBusIntake> intake) {
  }

  private record HttpServers(String deployment, int port) {
  }

  /**
   * One start's wiring: what every step shares (configuration, Vert.x, the metrics registry, the master key), and
   * one method per step. Built on the calling thread, which may block: the master key file is read here. Vert.x, the
   * database and the cluster check are set once, by the first step.
   */
  private static final class Startup {

    private final EngineConfig config;
    private final HostResolver resolver;
    private final SecureRandom random = new SecureRandom();
    private final Clock clock = Clock.systemUTC();
    private final SecretSealer sealer;
    private final AddressPolicy addressPolicy;
    private final PrometheusMeterRegistry registry;
    private Vertx vertx;
    private Database database;
    private ClusterCheck clusterCheck = ClusterCheck.OFF;
    private final OpenApiResource openApi = new OpenApiResource();
    /** The web console's files, read here too: on the calling thread, never on an event loop. */
    private final ConsoleResource console = new ConsoleResource();
    /** Set once the dispatcher is deployed; readiness reports it DOWN before and after. */
    private volatile String dispatcherDeployment;

    Startup(EngineConfig config, HostResolver resolver) {
      this.config = config;
      this.resolver = resolver;
      this.sealer = new SecretSealer(MasterKeySource.resolve(config.masterKey(), config.dataDir(), random), random);
      this.addressPolicy = new AddressPolicy(config.allowedCidrs());
      this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      registry.config().meterFilter(HistogramBuckets.forHttpServerResponseTime());
    }

    /**
     * Vert.x with its metrics (the event bus's among them). With the cluster on it joins the members configured
     * through Hazelcast before anything else starts, so a process that cannot join does not start; with it off, no
     * Hazelcast class is even loaded.
     */
    Future<Vertx> startVertx() {
      VertxOptions options = new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
          .setJvmMetricsEnabled(true));
      // Connections Vert.x accepted before its metrics saw them are still measured (EarlyConnectionMetrics).
      VertxBuilder builder = Vertx.builder()
          .withMetrics(new EarlyConnectionMetrics(new MicrometerMetricsFactory(registry)));
      Future<Vertx> started;
      if (config.cluster().isEmpty()) {
        started = Future.succeededFuture(builder.with(options).build());
      } else {
        ClusterSettings cluster = config.cluster().get();
        ClusterManager manager = HazelcastCluster.clusterManager(cluster);
        started = builder.with(HazelcastCluster.withEventBus(options, cluster)).withClusterManager(manager)
            .buildClustered()
            .map(joined -> {
              clusterCheck = ClusterCheck.of(manager);
              return joined;
            })
            .recover(failed -> Future.failedFuture(new IllegalStateException("cannot join the cluster "
                + cluster.name() + " at " + cluster.host() + ":" + cluster.port() + ": " + failed.getMessage(),
                failed)));
      }
      return started.map(ready -> {
        vertx = ready;
        database = new Database(ready, config.database());
        return ready;
      });
    }

    Pools pools() {
      DatabaseSettings settings = config.database();
      return new Pools(database.pool(), database.pool(settings.poolOptions("callback-engine-health", 1)),
          database.queuePool(settings.poolOptions("callback-engine-dispatch", config.dispatch().poolSize())));
    }

    /** Applies the pending migrations, if any; the future holds the schema version now in place. */
    Future<String> migrateSchema() {
      return database.migrateIfBehind();
    }

    /** Proves that the master key opens the secrets already stored, before any request finds out the hard way. */
    Future<Void> checkMasterKey(Pools pools) {
      return new MasterKeyCheck(pools.api(), sealer).verify();
    }

    /**
     * Partition maintenance, once now (done or failed) and then periodically; the queue gauges start sampling, and the
     * heartbeat that keeps every pool's idle connections open starts beating.
     */
    Future<Void> maintainStorage(Pools pools) {
      QueueGauges.start(vertx, pools.health(), registry);
      PoolHeartbeat.start(vertx, pools.health(), config.database());
      return StorageMaintenance.start(vertx, new PgPartitions(pools.api(), config.retention(), clock),
          config.retention(), registry);
    }

    Stores stores(Pools pools) {
      LocalHandoff handoff = new LocalHandoff(config.dispatch());
      return new Stores(new PgAccountStore(pools.api()), new PgProfileStore(pools.api(), sealer),
          new PgEventStore(pools.api(), config.has(Role.DISPATCHER) ? handoff : DeliveryHandoff.NONE), handoff);
    }

    /**
     * The routes: the tenant and admin API and the web console when this process has the API role (with event-bus
     * intake, and the caches that change notifications keep honest), and always the management routes: health,
     * metrics, the OpenAPI document.
     */
    Api api(Stores stores, Pools pools, String schemaVersion) {
      ChangeListener changes = new ChangeListener();
      KeyCache keys = new KeyCache(stores.accounts(), changes.cache(config.apiCacheMaxAge(), CACHE_CAPACITY));
      NotifiedCache<String, Optional<CallbackProfile>> rememberedProfiles =
          changes.cache(config.apiCacheMaxAge(), CACHE_CAPACITY);
      ApiMetrics apiMetrics = new ApiMetrics(registry);
      List<ApiResource> resources = new ArrayList<>();
      Optional<EventBusIntake> intake = Optional.empty();
      if (config.has(Role.API)) {
        if (!config.apiCacheMaxAge().isZero()) {
          changes.on(KeyRevocations.channel(config.database().schema()), revoked -> keys.clear())
              .on(ProfileChanges.channel(config.database().schema()), rememberedProfiles::forget)
              .start(vertx, config.database());
        }
        ProfileRegistry profileRegistry = new ProfileRegistry(stores.profiles(),
            new ProfileInput(new CallbackUrlRule(addressPolicy)), random, clock, apiMetrics,
            rememberedProfiles, new OperationalEvents(stores.events()));
        resources.add(new AccountResource(stores.accounts(), keys, random, clock));
        resources.add(new ProfileResource(profileRegistry, new ProfilePolicy.Defaults(config.dispatch().retrySchedule(),
            config.dispatch().requestTimeout(), config.dispatch().perProfileInFlight())));
        resources.add(new EventResource(stores.events(), apiMetrics));
        resources.add(new DeliveryResource(new PgDeliveryLog(pools.api()), stores.profiles()));
        resources.add(console);
        intake = Optional.of(new EventBusIntake(stores.events(), apiMetrics));
        intake.get().register(vertx.eventBus());
      }
      HttpApi api = new HttpApi(new TenantAuthenticator(keys), new AdminAuthenticator(config.adminToken()), resources,
          config.http().requestTimeout());
      List<ApiResource> management = List.of(new HealthResource(pools.health(), schemaVersion,
          this::dispatcherRunning, clusterCheck), new MetricsResource(registry), openApi);
      return new Api(v -> api.router(v, management), changes, intake);
    }

    /** {@code http.instances} servers sharing the port, each on its own event loop. */
    Future<HttpServers> deployHttp(Api api) {
      HttpServerOptions options = new HttpServerOptions()
          .setHost(config.http().host())
          .setPort(config.http().port())
          .setCompressionSupported(false)
          .setMaxHeaderSize(16 * 1024);
      List<HttpServerVerticle> servers = new ArrayList<>();
      return vertx.deployVerticle(() -> {
        HttpServerVerticle server = new HttpServerVerticle(options, api.routes(), config.http().requestTimeout());
        synchronized (servers) {
          servers.add(server);
        }
        return server;
      }, new DeploymentOptions().setInstances(config.http().instances()))
          .map(deployment -> new HttpServers(deployment, servers.get(0).actualPort()));
    }

    /** The dispatcher, when this process has that role: claim, render, encrypt, sign, send, record. */
    Future<Optional<String>> deployDispatcher(Stores stores, Pools pools) {
      if (!config.has(Role.DISPATCHER)) {
        return Future.succeededFuture(Optional.empty());
      }
      return vertx.deployVerticle(new DispatcherVerticle(new PgDeliveryQueue(pools.dispatch(), config.autoDisable()),
              new PgProfileStore(pools.dispatch(), sealer), addressPolicy, resolver,
              config.dispatch(), config.database(), USER_AGENT, config.shutdownGrace(), new DispatchMetrics(registry),
              stores.handoff(), new DispatcherCensus(pools.dispatch(), config.database()),
              new OperationalEvents(stores.events())))
          .onSuccess(deployment -> dispatcherDeployment = deployment)
          .map(Optional::of);
    }

    /** Empty when this process has no dispatcher role; otherwise whether the deployed dispatcher still runs. */
    private Optional<Boolean> dispatcherRunning() {
      if (!config.has(Role.DISPATCHER)) {
        return Optional.empty();
      }
      String deployment = dispatcherDeployment;
      return Optional.of(deployment != null && vertx.deploymentIDs().contains(deployment));
    }
  }
}
