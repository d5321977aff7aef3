package io.callbackengine.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time that processes used, in microseconds, from Linux's {@code /proc/<pid>/stat}: user plus system time, counted
 * in clock ticks ({@code getconf CLK_TCK}, read once; 100 almost everywhere).
 *
 * <p>PostgreSQL is one process per connection plus its background workers, and connections come and go. The
 * postmaster's {@code cutime + cstime} holds the CPU time of every child it has reaped, so the sum over all PostgreSQL
 * processes of {@code utime + stime + cutime + cstime} only ever grows, and the difference of two sums is exactly the
 * CPU time spent in between, whichever backends started or ended meanwhile.
 */
final class ProcessCpu {

  private static final Path PROC = Path.of("/proc");
  private static final long MICROS_PER_TICK = 1_000_000 / ticksPerSecond();

  private ProcessCpu() {
  }

  /** CPU time the process has used so far, or -1 once it is gone. */
  static long micros(long pid) {
    long[] times = times(PROC.resolve(Long.toString(pid)));
    return times == null ? -1 : (times[0] + times[1]) * MICROS_PER_TICK;
  }

  /** CPU time of this process's children (the engines it started), those alive now. */
  static long childrenMicros() {
    return ProcessHandle.current().children().mapToLong(child -> Math.max(0, micros(child.pid()))).sum();
  }

  /**
   * CPU time the whole machine has spent busy, all cores together, from the first line of {@code /proc/stat}:
   * user, nice, system, irq, softirq and steal (guest time is already part of user).
   */
  static long machineMicros() {
    try {
      String[] fields = Files.readAllLines(PROC.resolve("stat")).get(0).trim().split("\\s+");
      long ticks = 0;
      for (int field : new int[] {1, 2, 3, 6, 7, 8}) {
        ticks += Long.parseLong(fields[field]);
      }
      return ticks * MICROS_PER_TICK;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc/stat", e);
    }
  }

  /** CPU time of every PostgreSQL process on this machine, including the children they reaped. */
  static long postgresMicros() {
    long ticks = 0;
    try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, p -> p.getFileName().toString().matches("\\d+"))) {
      for (Path process : processes) {
        if (isPostgres(process)) {
          long[] times = times(process);
          if (times != null) {
            ticks += times[0] + times[1] + times[2] + times[3];
          }
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc", e);
    }
    return ticks * MICROS_PER_TICK;
  }

  private static boolean isPostgres(Path process) {
    try {
      if (Files.readString(process.resolve("comm")).trim().equals("postgres")) {
        return true;
      }
      byte[] cmdline = Files.readAllBytes(process.resolve("cmdline"));
      return new String(cmdline, 0, Math.min(cmdline.length, 9), StandardCharsets.UTF_8).equals("postgres:");
    } catch (IOException gone) {
      return false;
    }
  }

  /** utime, stime, cutime, cstime in ticks, or null once the process is gone. */
  private static long[] times(Path process) {
    try {
      String stat = Files.readString(process.resolve("stat"));
      // The command name (field 2) is in parentheses and may hold spaces; fields count on from after it.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12]), Long.parseLong(fields[13]),
          Long.parseLong(fields[14])};
    } catch (IOException | RuntimeException gone) {
      return null;
    }
  }

  private static long ticksPerSecond() {
    try {
      Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String answer = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      return getconf.waitFor() == 0 ? Long.parseLong(answer) : 100;
    } catch (IOException | RuntimeException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }
}
