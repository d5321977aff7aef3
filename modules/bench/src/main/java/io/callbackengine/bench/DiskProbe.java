package io.callbackengine.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * The machine's disk, watched while the engines run: every {@link #INTERVAL} a thread of its own writes 8 KiB to a file
 * of its own and waits until the disk has it ({@code fdatasync}, as PostgreSQL waits for every commit), and records
 * every such sync slower than a threshold. A sync that takes 300 ms holds every commit of that moment as long, and so
 * every publish acknowledgement and every delivery behind it, whatever the engine: on 2026-12-02 this probe alone, on
 * an otherwise idle machine, met syncs of 100-400 ms 11 times in one minute, and the seconds of a phase with late
 * deliveries were the seconds the disk stalled. The probe tells those seconds apart from the engine's own.
 *
 * <p>It watches the disk of the directory it writes in (the benchmark's log directory): the same disk as PostgreSQL's
 * only when both are on one file system, as on a single machine with one disk. Its own load is 20 syncs a second,
 * against the thousands of commits of a delivery phase.
 */
final class DiskProbe implements AutoCloseable {

  static final Duration INTERVAL = Duration.ofMillis(50);

  /** A sync that took {@code micros}, begun at {@code startedMicros} ({@link ArrivalRecorder.Clock} time). */
  record Stall(long startedMicros, long micros) {
  }

  private final Path file;
  private final FileChannel channel;
  private final long recordOverMicros;
  private final ConcurrentLinkedQueue<Stall> stalls = new ConcurrentLinkedQueue<>();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile IOException failure;

  private DiskProbe(Path file, FileChannel channel, Duration recordOver) {
    this.file = file;
    this.channel = channel;
    this.recordOverMicros = TimeUnit.NANOSECONDS.toMicros(recordOver.toNanos());
    this.thread = new Thread(this::probe, "disk-probe");
    thread.setDaemon(true);
  }

  /** Starts probing the disk of {@code directory}, recording every sync slower than {@code recordOver}. */
  static DiskProbe start(Path directory, Duration recordOver) throws IOException {
    Files.createDirectories(directory);
    Path file = Files.createTempFile(directory, "disk-probe", ".tmp");
    FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE);
    DiskProbe probe = new DiskProbe(file, channel, recordOver);
    probe.thread.start();
    return probe;
  }

  private void probe() {
    ByteBuffer block = ByteBuffer.allocateDirect(8192);
    try {
      while (running) {
        long started = ArrivalRecorder.Clock.micros();
        long nanos = System.nanoTime();
        block.clear();
        channel.write(block, 0);
        channel.force(false);
        long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - nanos);
        if (micros > recordOverMicros) {
          stalls.add(new Stall(started, micros));
        }
        TimeUnit.NANOSECONDS.sleep(INTERVAL.toNanos());
      }
    } catch (IOException e) {
      failure = e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The syncs recorded that began from {@code fromMicros} to {@code toMicros}, in the order they began. */
  List<Stall> between(long fromMicros, long toMicros) throws IOException {
    if (failure != null) {
      throw new IOException("the disk probe stopped: " + failure.getMessage(), failure);
    }
    return stalls.stream().filter(s -> s.startedMicros() >= fromMicros && s.startedMicros() <= toMicros).toList();
  }

  /**
   * Per second counted from {@code firstMicros}, the longest sync that began in it, in ms: the seconds of a phase in
   * which the disk stalled, in the same counting as the phase's slow seconds.
   */
  static SortedMap<Long, Long> bySecond(List<Stall> stalls, long firstMicros) {
    SortedMap<Long, Long> seconds = new TreeMap<>();
    for (Stall stall : stalls) {
      seconds.merge((stall.startedMicros() - firstMicros) / 1_000_000, stall.micros() / 1000, Math::max);
    }
    return seconds;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    // Not interrupted: an interrupt would close the channel under a sync in progress. One sync and one interval at most.
    running = false;
    thread.join(TimeUnit.SECONDS.toMillis(10));
    channel.close();
    Files.deleteIfExists(file);
  }
}
