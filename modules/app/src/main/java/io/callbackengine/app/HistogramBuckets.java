package io.callbackengine.app;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;

/**
 * Vert.x's HTTP server timer exports only count, sum and max by default; with histogram buckets Prometheus can
 * compute latency percentiles across instances (the dashboard's response-time panel uses them).
 */
final class HistogramBuckets {

  private HistogramBuckets() {
  }

  static MeterFilter forHttpServerResponseTime() {
    return new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        return id.getName().equals("vertx.http.server.response.time")
            ? DistributionStatisticConfig.builder().percentilesHistogram(true).build().merge(config)
            : config;
      }
    };
  }
}
