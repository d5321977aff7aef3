package io.callbackengine.app.cli;

import io.callbackengine.app.config.EngineConfig;
import java.io.PrintStream;
import java.util.function.Supplier;

/** Creates or migrates the schema, then exits: for deployments that migrate before rolling out. */
public final class MigrateCommand implements Command {

  private final Supplier<EngineConfig> config;

  public MigrateCommand(Supplier<EngineConfig> config) {
    this.config = config;
  }

  @Override
  public String name() {
    return "migrate";
  }

  @Override
  public String summary() {
    return "create or migrate the database schema, then exit";
  }

  @Override
  public String usage() {
    return """
        Usage: java -jar callback-engine.jar migrate [--config FILE]
        Applies the pending migrations to CALLBACK_DATABASE_URL, schema CALLBACK_DATABASE_SCHEMA, and prints the version.
        """;
  }

  @Override
  public int run(Arguments args, PrintStream out, PrintStream err) throws Exception {
    EngineConfig engineConfig = config.get();
    try (CommandDatabase database = new CommandDatabase(engineConfig.database())) {
      out.println("Schema " + engineConfig.database().schema() + " is at version " + database.migrate());
      return 0;
    }
  }
}
