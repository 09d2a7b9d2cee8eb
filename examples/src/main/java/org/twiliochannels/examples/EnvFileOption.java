package org.twiliochannels.examples;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --env-file} option shared by every command that reads Twilio settings. */
final class EnvFileOption {
    @Option(names = "--env-file", description = "A .env file to read (default: ./.env, else ./backend/.env, if present).")
    Path path;
}
