package io.callbackengine.app.cli;

import java.io.PrintStream;
import java.util.List;

/** One command of the operator command line. */
public interface Command {

  String name();

  /** One line for the overview. */
  String summary();

  /** The full usage text shown by {@code --help}. */
  String usage();

  /** Runs the command; answers the process exit code. */
  int run(Arguments args, PrintStream out, PrintStream err) throws Exception;

  /** Flags (options without a value) this command understands besides {@code --help}. */
  default List<String> flags() {
    return List.of();
  }
}
