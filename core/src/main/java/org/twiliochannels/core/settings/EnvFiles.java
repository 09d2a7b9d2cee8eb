package org.twiliochannels.core.settings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.twiliochannels.core.settings.SetupReport.Finding;
import org.twiliochannels.core.settings.SetupReport.Severity;

/**
 * Which {@code .env} file is read: the named one, or the first of {@code ./.env} and
 * {@code ./backend/.env} that exists (only one is ever read; the other is reported as not read).
 * Also suggests the key a misspelt {@code TWILIO_} key was meant to be.
 */
final class EnvFiles {
    /** The {@code .env} files looked for when none is named, in order, relative to the directory. */
    static final List<String> DEFAULT_FILES = List.of(".env", "backend/.env");

    private EnvFiles() {}

    /** What was read from a {@code .env} file, under which label; or where none was found. */
    record FileValues(Map<String, DotEnv.Entry> entries, String label, String lookedFor, Path suggested) {}

    /**
     * Reads the named file, or the first of {@link #DEFAULT_FILES} under
     * {@code directory} that exists, adding what was found to {@code findings}.
     */
    static FileValues read(Path envFile, boolean noEnvFile, Path directory, List<Finding> findings) {
        if (noEnvFile) {
            return new FileValues(Map.of(), "", null, null);
        }
        if (envFile != null) {
            return readOne(envFile, envFile.toString(), true, findings, "").orElseGet(
                    () -> new FileValues(Map.of(), "", null, null));
        }
        Path dir = (directory != null ? directory : Path.of("")).toAbsolutePath().normalize();
        List<Path> candidates = DEFAULT_FILES.stream().map(dir::resolve).toList();
        String lookedFor = String.join(" and ", candidates.stream().map(Path::toString).toList());
        FileValues read = null;
        for (int i = 0; i < candidates.size(); i++) {
            Path candidate = candidates.get(i);
            String label = DEFAULT_FILES.get(i);
            if (read == null) {
                Optional<FileValues> r = readOne(candidate, label, false, findings, "; looked for " + lookedFor
                        + ", the first one found is read");
                if (r.isPresent()) {
                    read = r.get();
                }
            } else if (Files.exists(candidate)) {
                findings.add(new Finding(Severity.WARNING, ".env", label, "not read: " + read.label() + " was found"
                        + " first and only one .env file is read; move these values into " + dir.resolve(read.label())
                        + ", or delete one of the two files."));
            }
        }
        return read != null ? read : new FileValues(Map.of(), "", lookedFor, candidates.get(0));
    }

    private static Optional<FileValues> readOne(Path file, String label, boolean named, List<Finding> findings,
                                         String lookedFor) {
        Path absolute = file.toAbsolutePath().normalize();
        try {
            DotEnv.Result r = DotEnv.parse(Files.readAllBytes(file));
            findings.add(new Finding(Severity.OK, ".env", label, "read " + r.entries().size() + " values from "
                    + absolute + lookedFor));
            for (DotEnv.Problem p : r.problems()) {
                findings.add(new Finding(Severity.PROBLEM, ".env", label + ":" + p.line(), p.message()));
            }
            for (String k : r.entries().keySet()) {
                if (Keys.pluginChannel(k).isEmpty()) {
                    closestKey(k).ifPresent(known -> findings.add(new Finding(Severity.WARNING, k,
                            label + ":" + r.entries().get(k).line(), "is not a key twilio-channels reads;"
                                    + " did you mean " + known + "?")));
                }
            }
            return Optional.of(new FileValues(r.entries(), label, null, null));
        } catch (NoSuchFileException e) {
            if (named) {
                findings.add(new Finding(Severity.PROBLEM, ".env", label, "file not found: " + absolute));
            }
            return Optional.empty();
        } catch (IOException e) {
            findings.add(new Finding(Severity.PROBLEM, ".env", label, "cannot be read: " + e));
            return Optional.empty();
        }
    }

    /** The registry key {@code key} is a likely misspelling of, for keys starting with {@code TWILIO_}. */
    static Optional<String> closestKey(String key) {
        if (!key.startsWith("TWILIO_") || Keys.NAMES.contains(key)) {
            return Optional.empty();
        }
        int limit = Keys.pluginChannel(key).isPresent() ? 2 : 3;
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String known : Keys.NAMES) {
            int d = distance(key, known);
            if (d < bestDistance) {
                best = known;
                bestDistance = d;
            }
        }
        return bestDistance <= limit ? Optional.of(best) : Optional.empty();
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
