package dev.gantry.server;

import dev.gantry.server.cli.BudgetsCommand;
import dev.gantry.server.cli.KeysCommand;
import dev.gantry.server.cli.TeamsCommand;
import dev.gantry.server.cli.UsersCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code gantry} command line. {@code gantry serve} runs the gateway. */
@Command(name = "gantry", mixinStandardHelpOptions = true, version = "gantry 0.1.0",
        description = "Gantry: one endpoint for every coding agent and app, on every model.",
        subcommands = {ServeCommand.class, KeysCommand.class, TeamsCommand.class, UsersCommand.class, BudgetsCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
