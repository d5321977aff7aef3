package io.callbackengine.dispatcher;

import io.callbackengine.domain.network.AddressPolicy;
import io.callbackengine.store.DatabaseSettings;
import io.callbackengine.store.delivery.DeliveryQueue;
import io.callbackengine.store.NotificationListener;
import io.callbackengine.store.delivery.DeliveryWakeup;
import io.callbackengine.store.delivery.DispatcherCensus;
import io.callbackengine.store.event.OperationalEvents;
import io.callbackengine.store.profile.ProfileStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link Dispatcher} on its own event loop and wires its wake-ups: PostgreSQL notifications when
 * deliveries become due, a poll and a lease reaper as backstops. Stopping it drains in-flight attempts.
 */
public final class DispatcherVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(DispatcherVerticle.class);
  /** How often the live dispatchers are counted, to share profiles' rate limits between them. */
  private static final Duration CENSUS_INTERVAL = Duration.ofSeconds(5);

  private final DeliveryQueue queue;
  private final ProfileStore profileStore;
  private final AddressPolicy addressPolicy;
  private final HostResolver resolver;
  private final DispatchSettings settings;
  private final DatabaseSettings database;
  private final String userAgent;
  private final Duration shutdownGrace;
  private final DispatchMetrics metrics;
  private final LocalHandoff handoff;
  private final DispatcherCensus census;
  private final OperationalEvents operationalEvents;

  private HttpClient client;
  private NotificationListener wakeups;
  private Dispatcher dispatcher;

  /**
   * @param resolver how host names are resolved; null for the system resolver
   */
  public DispatcherVerticle(DeliveryQueue queue, ProfileStore profileStore, AddressPolicy addressPolicy,
      HostResolver resolver, DispatchSettings settings, DatabaseSettings database, String userAgent,
      Duration shutdownGrace, DispatchMetrics metrics, LocalHandoff handoff, DispatcherCensus census,
      OperationalEvents operationalEvents) {
    this.handoff = handoff;
    this.operationalEvents = operationalEvents;
    this.census = census;
    this.queue = queue;
    this.profileStore = profileStore;
    this.addressPolicy = addressPolicy;
    this.resolver = resolver;
    this.settings = settings;
    this.database = database;
    this.userAgent = userAgent;
    this.shutdownGrace = shutdownGrace;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    client = vertx.httpClientBuilder()
        .with(new HttpClientOptions()
            .setKeepAlive(true)
            .setForceSni(true)
            .setMaxRedirects(0)
            .setDecompressionSupported(false)
            .setMaxInitialLineLength(8192))
        // Connections are pooled per receiver host and port, not per profile: a pool the size of one profile's cap
        // would let a hanging profile hold every connection to a host that other profiles call too. The dispatcher
        // caps each profile; the pool only bounds the whole process.
        .with(new PoolOptions()
            .setHttp1MaxSize(settings.maxInFlight())
            .setMaxWaitQueueSize(settings.maxInFlight()))
        .build();
    SecureRandom random = new SecureRandom();
    CallbackSender sender = new CallbackSender(vertx, client,
        new ConnectGuard(addressPolicy, resolver != null ? resolver : HostResolver.system(vertx)),
        settings.connectTimeout(), settings.requestTimeout());
    TokenCache tokens = new TokenCache(new TokenClient(sender, userAgent, metrics), Clock.systemUTC(), 10_000);
    dispatcher = new Dispatcher(vertx, queue, new ProfileCache(profileStore, 10_000),
        new CallbackComposer(random, userAgent), new AuthenticatedSender(sender, tokens,
            settings.lease().minusSeconds(1), settings.connectTimeout(), settings.requestTimeout()),
        new AttemptJudge(settings.retrySchedule(), () -> ThreadLocalRandom.current().nextDouble()), settings, metrics,
        handoff, operationalEvents);
    handoff.attach(dispatcher, context);

    vertx.setPeriodic(settings.pollInterval().toMillis(), id -> dispatcher.wake());
    vertx.setPeriodic(settings.reaperInterval().toMillis(), id -> queue.reapExpiredLeases()
        .onSuccess(reaped -> {
          if (reaped > 0) {
            LOG.info("Returned {} deliveries with expired leases to the queue", reaped);
            dispatcher.wake();
          }
        })
        .onFailure(e -> LOG.warn("Lease reaper failed: {}", e.toString())));
    vertx.setPeriodic(CENSUS_INTERVAL.toMillis(), id -> countDispatchers());
    wakeups = new NotificationListener(vertx, database, DispatcherCensus.ROLE,
        List.of(DeliveryWakeup.channel(database.schema())),
        "new deliveries", new NotificationListener.Listener() {
          @Override
          public void notified(String channel, String payload) {
            dispatcher.wake();
          }

          /** What became due while nobody listened is claimed now, not at the next poll; this process now counts. */
          @Override
          public void listening() {
            dispatcher.wake();
            countDispatchers();
          }
        });
    wakeups.start();
    // Leases that expired while no dispatcher ran (a crash, a long stop) go back to the queue now rather than at the
    // reaper's first tick; the start does not wait for it, as the first claims do not need it.
    queue.reapExpiredLeases()
        .onFailure(e -> LOG.warn("Lease reaper failed: {}", e.toString()))
        .onComplete(done -> dispatcher.wake());
    return Future.succeededFuture();
  }

  private void countDispatchers() {
    census.count()
        .onSuccess(dispatcher::dispatchers)
        .onFailure(e -> LOG.debug("Counting dispatchers failed, keeping the last count: {}", e.toString()));
  }

  @Override
  public Future<?> stop() {
    return dispatcher.stop(shutdownGrace)
        .eventually(() -> wakeups.stop())
        .eventually(() -> client.close());
  }
}
