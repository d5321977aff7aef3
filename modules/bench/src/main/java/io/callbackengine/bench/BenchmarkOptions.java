package io.callbackengine.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The benchmark's command line, parsed once. Durations are written {@code 30s}, {@code 10m} or {@code 1h} (a bare
 * number is seconds); {@code --engine-env} takes {@code KEY=VALUE,KEY2=VALUE2}.
 *
 * @param phase how long each measured delivery phase publishes
 * @param capacityRun how long each closed loop (raw limit, {@code GET profile}, intake) and the warm-up run
 * @param rates the delivery rates to try instead of searching, empty to search
 * @param baselineJar a second engine to run through the same phases, for ratios
 * @param environment variables every engine started gets on top of the benchmark's own
 * @param baselineEnvironment variables the baseline alone gets on top of {@code environment}: with no
 *     {@code --baseline-jar}, the baseline is the engine jar itself, so one run compares two settings of one engine
 * @param soak how long to soak, empty for the usual measurements
 * @param engines processes per engine under test, sharing one schema; several values (only without a baseline) make
 *     one engine under test per value, all of the engine jar, measured side by side as a candidate and a baseline are
 * @param orderingKeys per engine under test, 0: delivery phases publish without ordering keys, N: each event carries
 *     one of N keys in turn; several values (only without a baseline and with one process count) make one engine under
 *     test per value, all of the engine jar, measured side by side
 */
record BenchmarkOptions(boolean quick, Duration phase, Duration capacityRun, List<Double> rates, double searchFrom,
    Path engineJar, Optional<Path> baselineJar, String databaseUrl, String heap, Map<String, String> environment,
    Map<String, String> baselineEnvironment,
    Optional<Path> jfr, Path logDirectory, Optional<Duration> soak, double soakRate, List<Integer> engines,
    List<Integer> orderingKeys) {

  static BenchmarkOptions parse(String[] args) {
    Map<String, String> given = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--quick")) {
        given.put("quick", "true");
      } else if (args[i].startsWith("--") && i + 1 < args.length) {
        given.put(args[i].substring(2), args[++i]);
      } else {
        throw new IllegalArgumentException("unexpected argument " + args[i] + " (every option but --quick takes a "
            + "value); every option is listed at the top of modules/bench/.../Benchmark.java");
      }
    }
    boolean quick = given.containsKey("quick");
    List<Double> rates = new ArrayList<>();
    if (given.containsKey("rates")) {
      for (String rate : given.get("rates").split(",")) {
        rates.add(rate("rates", rate));
      }
    }
    Map<String, String> environment = pairs(given, "engine-env");
    Map<String, String> baselineEnvironment = pairs(given, "baseline-env");
    if (given.containsKey("retention")) {
      environment.put("CALLBACK_RETENTION", given.get("retention"));
    }
    Optional<Duration> soak = Optional.ofNullable(given.get("soak")).map(BenchmarkOptions::duration);
    if (soak.isPresent() && !given.containsKey("soak-rate")) {
      throw new IllegalArgumentException("--soak needs --soak-rate N (deliveries/s)");
    }
    List<Integer> engines = counts(given, "engines", "1", 1, "process counts");
    if (engines.size() > 1 && compared(given)) {
      throw new IllegalArgumentException("--engines takes one count with a baseline (both engines get it), not "
          + given.get("engines"));
    }
    Path engineJar = Path.of(given.getOrDefault("engine-jar", "modules/app/target/callback-engine.jar"));
    Optional<Path> baselineJar = Optional.ofNullable(given.get("baseline-jar")).map(Path::of)
        .or(() -> baselineEnvironment.isEmpty() ? Optional.empty() : Optional.of(engineJar));
    return new BenchmarkOptions(quick, duration(given.getOrDefault("duration", quick ? "10s" : "30s")),
        Duration.ofSeconds(quick ? 5 : 10), List.copyOf(rates),
        rate("search-from", given.getOrDefault("search-from", "2000")),
        engineJar, baselineJar,
        given.getOrDefault("database-url", "postgresql://postgres@127.0.0.1:5432/postgres"),
        given.getOrDefault("engine-heap", "384m"), Map.copyOf(environment), Map.copyOf(baselineEnvironment),
        Optional.ofNullable(given.get("jfr")).map(Path::of),
        Path.of(given.getOrDefault("log-dir", "modules/bench/target")), soak,
        rate("soak-rate", given.getOrDefault("soak-rate", "0")), engines,
        orderingKeys(given));
  }

  /** A rate in deliveries/s given to {@code --option}: a number, not below 0. */
  private static double rate(String option, String text) {
    double rate;
    try {
      rate = Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + option + " takes deliveries/s as a number, not " + text);
    }
    if (!(rate >= 0)) {
      throw new IllegalArgumentException("--" + option + " takes deliveries/s of at least 0, not " + text);
    }
    return rate;
  }

  /** Whether a baseline engine runs beside the candidate: another jar, or the same jar with other settings. */
  private static boolean compared(Map<String, String> given) {
    return given.containsKey("baseline-jar") || given.containsKey("baseline-env");
  }

  /** {@code --option K=V,K2=V2}: environment variables, in order. */
  private static Map<String, String> pairs(Map<String, String> given, String option) {
    Map<String, String> pairs = new LinkedHashMap<>();
    if (given.containsKey(option)) {
      for (String pair : given.get(option).split(",")) {
        int equals = pair.indexOf('=');
        if (equals < 1) {
          throw new IllegalArgumentException("--" + option + " takes KEY=VALUE pairs separated by commas, not " + pair);
        }
        pairs.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
      }
    }
    return pairs;
  }

  private static List<Integer> orderingKeys(Map<String, String> given) {
    List<Integer> keys = counts(given, "ordering-keys", "0", 0, "key counts");
    if (keys.size() > 1 && (compared(given) || given.getOrDefault("engines", "1").contains(","))) {
      throw new IllegalArgumentException("--ordering-keys takes several counts only without a baseline and with "
          + "one --engines count");
    }
    return keys;
  }

  /** {@code --option N[,N...]}: whole numbers of at least {@code minimum}. */
  private static List<Integer> counts(Map<String, String> given, String option, String absent, int minimum,
      String what) {
    List<Integer> counts = new ArrayList<>();
    for (String text : given.getOrDefault(option, absent).split(",")) {
      int count;
      try {
        count = Integer.parseInt(text.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--" + option + " takes " + what + " separated by commas, not " + text);
      }
      if (count < minimum) {
        throw new IllegalArgumentException("--" + option + " takes " + what + " of at least " + minimum + ", not "
            + count);
      }
      counts.add(count);
    }
    return List.copyOf(counts);
  }

  /** {@code 90s}, {@code 10m}, {@code 1h}, or a bare number of seconds. */
  static Duration duration(String text) {
    String t = text.trim();
    char unit = t.charAt(t.length() - 1);
    if (Character.isDigit(unit)) {
      return Duration.ofSeconds(Long.parseLong(t));
    }
    long amount = Long.parseLong(t.substring(0, t.length() - 1));
    return switch (unit) {
      case 's' -> Duration.ofSeconds(amount);
      case 'm' -> Duration.ofMinutes(amount);
      case 'h' -> Duration.ofHours(amount);
      default -> throw new IllegalArgumentException("a duration ends in s, m or h, not " + text);
    };
  }
}
