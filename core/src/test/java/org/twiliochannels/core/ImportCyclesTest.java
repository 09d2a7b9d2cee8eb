package org.twiliochannels.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The dependencies ARCHITECTURE.md draws, read from core's main sources (imports, static imports
 * and qualified names in code; comments and string literals do not count): the settings package
 * and the internal packages form no cycle with any package but the API's root (whose value types
 * every package uses, and which is the facade over the engine), and the classes of the settings
 * package form no cycle among themselves.
 */
class ImportCyclesTest {
    private static final String ROOT = "org.twiliochannels.core";
    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern QUALIFIED = Pattern.compile(
            "\\borg\\.twiliochannels\\.core((?:\\.[a-z][a-z0-9_]*)*)\\.([A-Z]\\w*)");
    private static final Pattern PACKAGE = Pattern.compile("\\bpackage\\s+([\\w.]+)\\s*;");
    private static final Pattern TYPE_NAME = Pattern.compile("\\b[A-Z]\\w*\\b");

    /** One main source: its package, its top-level type and its code without comments and literals. */
    private record Source(String pkg, String type, String code) {}

    private static List<Source> sources() {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            List<Source> out = new ArrayList<>();
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                String name = f.getFileName().toString();
                if (name.equals("package-info.java") || name.equals("module-info.java")) {
                    continue;
                }
                String code = code(Files.readString(f, StandardCharsets.UTF_8));
                Matcher m = PACKAGE.matcher(code);
                assertTrue(m.find(), "no package declaration in " + f);
                out.add(new Source(m.group(1), name.substring(0, name.length() - ".java".length()), code));
            }
            assertTrue(out.size() > 50, "core's main sources not found under " + SOURCES.toAbsolutePath());
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code src} with comments, string, text-block and char literals blanked. */
    static String code(String src) {
        StringBuilder out = new StringBuilder(src.length());
        int i = 0;
        int n = src.length();
        while (i < n) {
            char c = src.charAt(i);
            if (c == '/' && i + 1 < n && src.charAt(i + 1) == '/') {
                while (i < n && src.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && src.charAt(i + 1) == '*') {
                int end = src.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                out.append(' ');
            } else if (src.startsWith("\"\"\"", i)) {
                int end = i + 3;
                while (end < n && !(src.startsWith("\"\"\"", end) && src.charAt(end - 1) != '\\')) {
                    end++;
                }
                i = Math.min(n, end + 3);
                out.append("\"\"");
            } else if (c == '"' || c == '\'') {
                int end = i + 1;
                while (end < n && src.charAt(end) != c) {
                    end += src.charAt(end) == '\\' ? 2 : 1;
                }
                i = end + 1;
                out.append(c).append(c);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static Map<String, Set<String>> packageGraph(List<Source> sources) {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (Source s : sources) {
            Set<String> to = graph.computeIfAbsent(s.pkg(), k -> new TreeSet<>());
            Matcher m = QUALIFIED.matcher(s.code());
            while (m.find()) {
                String target = ROOT + m.group(1);
                if (!target.equals(s.pkg())) {
                    to.add(target);
                }
            }
        }
        return graph;
    }

    private static Map<String, Set<String>> classGraph(List<Source> sources, String pkg) {
        Set<String> types = new TreeSet<>();
        sources.stream().filter(s -> s.pkg().equals(pkg)).forEach(s -> types.add(s.type()));
        Map<String, Set<String>> graph = new TreeMap<>();
        for (Source s : sources) {
            if (!s.pkg().equals(pkg)) {
                continue;
            }
            Set<String> to = graph.computeIfAbsent(s.type(), k -> new TreeSet<>());
            Matcher m = TYPE_NAME.matcher(s.code());
            while (m.find()) {
                if (types.contains(m.group()) && !m.group().equals(s.type())) {
                    to.add(m.group());
                }
            }
        }
        return graph;
    }

    /** The strongly connected components of more than one node (Tarjan), each sorted. */
    static List<Set<String>> cycles(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<Set<String>> out = new ArrayList<>();
        for (String v : graph.keySet()) {
            if (!index.containsKey(v)) {
                connect(v, graph, index, low, stack, onStack, out);
            }
        }
        return out;
    }

    private static void connect(String v, Map<String, Set<String>> graph, Map<String, Integer> index,
                                Map<String, Integer> low, Deque<String> stack, Set<String> onStack,
                                List<Set<String>> out) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.push(v);
        onStack.add(v);
        for (String w : graph.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                connect(w, graph, index, low, stack, onStack, out);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                out.add(component);
            }
        }
    }

    private static boolean settingsOrInternal(String pkg) {
        return pkg.equals(ROOT + ".settings") || pkg.equals(ROOT + ".internal") || pkg.startsWith(ROOT + ".internal.");
    }

    @Test
    void theSettingsAndInternalPackagesFormNoCycle() {
        Map<String, Set<String>> graph = packageGraph(sources());
        graph.remove(ROOT);
        graph.values().forEach(to -> to.remove(ROOT));
        assertTrue(graph.get(ROOT + ".settings").contains(ROOT + ".internal.send"), "the doctor's live check: " + graph);
        List<Set<String>> cycles = cycles(graph).stream()
                .filter(c -> c.stream().anyMatch(ImportCyclesTest::settingsOrInternal)).toList();
        assertEquals(List.of(), cycles, "package cycles through settings or internal, in " + graph);
    }

    @Test
    void theClassesOfTheSettingsPackageFormNoCycle() {
        Map<String, Set<String>> graph = classGraph(sources(), ROOT + ".settings");
        assertTrue(graph.get("TwilioEnvironment").contains("Checks"), graph.toString());
        assertEquals(List.of(), cycles(graph), "class cycles in core.settings, in " + graph);
    }

    @Test
    void findsACycleAndIgnoresCommentsAndLiterals() {
        assertEquals(List.of(Set.of("a", "b")), cycles(Map.of("a", Set.of("b"), "b", Set.of("a", "c"), "c", Set.of())));
        assertEquals("x   y \"\" z '' w", code("x /* org.twiliochannels.core.settings.Keys */ y \"Keys\" z '\\'' w"
                + "// Keys"));
    }
}
