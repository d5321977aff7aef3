package io.callbackengine.app.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A command's arguments: {@code --name value} options, {@code --flag}s and positional values, in any order. */
public final class Arguments {

  private final Map<String, String> options = new HashMap<>();
  private final List<String> positional = new ArrayList<>();
  private final List<String> flags = new ArrayList<>();

  public Arguments(List<String> args, List<String> flagNames) {
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.startsWith("--") && flagNames.contains(arg)) {
        flags.add(arg);
      } else if (arg.startsWith("--")) {
        if (i + 1 >= args.size()) {
          throw new UsageException(arg + " needs a value");
        }
        options.put(arg, args.get(++i));
      } else if (arg.equals("-h")) {
        flags.add("--help");
      } else {
        positional.add(arg);
      }
    }
  }

  public boolean has(String flag) {
    return flags.contains(flag);
  }

  public Optional<String> option(String name) {
    return Optional.ofNullable(options.get(name));
  }

  public String required(String name) {
    return option(name).orElseThrow(() -> new UsageException(name + " is required"));
  }

  public List<String> positional() {
    return List.copyOf(positional);
  }

  /** Wrong arguments: the message says which, and the command's usage follows it. */
  public static final class UsageException extends RuntimeException {
    public UsageException(String message) {
      super(message, null, false, false);
    }
  }
}
