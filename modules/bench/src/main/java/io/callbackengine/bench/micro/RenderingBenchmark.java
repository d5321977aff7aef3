package io.callbackengine.bench.micro;

import io.callbackengine.domain.template.CallbackTemplate;
import io.callbackengine.domain.template.EventVariables;
import io.callbackengine.domain.template.RenderedCallback;
import io.callbackengine.domain.template.ReplacerRenderer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time to render one callback with {@link ReplacerRenderer#render}: the {@link SampleDelivery} template (about
 * 1 KiB of body, URL, headers and response message with placeholders of every kind) against about 1 KiB of event
 * data.
 *
 * <p>Every attempt of every delivery renders its profile's templates afresh, on the dispatcher's event loop, so
 * this cost bounds how many callbacks one loop can compose per second and adds to the latency of each.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@State(Scope.Benchmark)
public class RenderingBenchmark {

  private final ReplacerRenderer renderer = new ReplacerRenderer();
  private CallbackTemplate template;
  private EventVariables variables;

  @Setup
  public void prepare() {
    template = SampleDelivery.template();
    variables = SampleDelivery.variables();
    SampleDelivery.checked(renderer.render(template, variables));
  }

  @Benchmark
  public RenderedCallback render() {
    return renderer.render(template, variables);
  }
}
