package io.callbackengine.app.cli;

import io.callbackengine.app.config.EngineConfig;
import io.callbackengine.domain.account.Account;
import io.callbackengine.domain.account.ApiKey;
import io.callbackengine.store.account.PgAccountStore;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;

/** Creates an account and its first api key straight in the database: no admin token needed, for operators. */
public final class CreateAccountCommand implements Command {

  private final Supplier<EngineConfig> config;

  public CreateAccountCommand(Supplier<EngineConfig> config) {
    this.config = config;
  }

  @Override
  public String name() {
    return "create-account";
  }

  @Override
  public String summary() {
    return "create an account and print its sid and api key";
  }

  @Override
  public String usage() {
    return """
        Usage: java -jar callback-engine.jar create-account --name NAME [--sid SID] [--config FILE]
          --name  the account's name
          --sid   a chosen sid (letters, digits, - and _; 3 to 64); generated (HX...IN) when left out
        Prints the sid and the api key. The key is shown this once; only its hash is stored.
        """;
  }

  @Override
  public int run(Arguments args, PrintStream out, PrintStream err) throws Exception {
    String name = args.required("--name");
    if (name.isBlank() || name.length() > 200) {
      throw new Arguments.UsageException("--name must have 1 to 200 characters");
    }
    SecureRandom random = new SecureRandom();
    String sid = args.option("--sid").orElse(Account.newSid(random));
    if (!Account.SID.matcher(sid).matches()) {
      throw new Arguments.UsageException("--sid must match " + Account.SID.pattern());
    }
    try (CommandDatabase database = new CommandDatabase(config.get().database())) {
      database.migrate();
      Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      ApiKey.Issued key = ApiKey.issue(sid, random, now);
      database.await(new PgAccountStore(database.pool()).create(new Account(sid, name, now), key.stored()));
      out.println("sid: " + sid);
      out.println("api_key: " + key.plaintext());
      return 0;
    }
  }
}
