package io.callbackengine.dispatcher;

import io.callbackengine.domain.retry.RetrySchedule;
import java.time.Duration;

/**
 * How a dispatcher works: batch and concurrency bounds, the lease a claim holds, how often it polls and reaps as a
 * backstop to wake-ups, HTTP timeouts and the retry schedule.
 *
 * @param perProfileInFlight requests one profile may have in flight at once, so a slow receiver cannot take them all
 */
public record DispatchSettings(
    int batchSize,
    int maxInFlight,
    int perProfileInFlight,
    int poolSize,
    Duration lease,
    Duration pollInterval,
    Duration reaperInterval,
    Duration connectTimeout,
    Duration requestTimeout,
    RetrySchedule retrySchedule) {

  public DispatchSettings {
    if (batchSize < 1 || maxInFlight < 1 || perProfileInFlight < 1 || poolSize < 1) {
      throw new IllegalArgumentException("dispatch batch size, in-flight limits and pool size must be at least 1");
    }
    if (lease.compareTo(requestTimeout.plus(connectTimeout)) <= 0) {
      throw new IllegalArgumentException("the dispatch lease (" + lease.toMillis() + " ms) must outlast a whole attempt "
          + "(connect timeout + request timeout)");
    }
  }
}
