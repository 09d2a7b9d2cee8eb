package org.twiliochannels.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.twiliochannels.core.settings.TwilioEnvironment;

/**
 * Every {@code ```java} block of {@code README.md}, {@code docs/*.md} and each module's
 * {@code README.md} compiles against this module's test class path, which holds every module: a
 * sample that rots is a bug.
 *
 * <p>The convention for samples:
 * <ul>
 *   <li>Every fenced block names its language. {@code ```java} blocks are compiled; Java that is not
 *       meant to compile (an illustration, a fragment with {@code …}) is written as {@code ```text}.
 *       Blocks of other languages ({@code xml}, {@code properties}, {@code sh}, {@code text} …) are
 *       not read.</li>
 *   <li>A {@code ```java} block is one of three kinds: a whole compilation unit (it declares a
 *       top-level class, interface, record or enum, after any annotations); class members, marked
 *       {@code ```java members} (methods, fields, {@code @Bean} methods …); otherwise a method body
 *       (statements), compiled inside {@code void sample() throws Exception}.</li>
 *   <li>{@code import} lines at the top of a block are lifted to the top of its compilation unit.
 *       Every block is also compiled with {@link #IMPORTS} (the library's public packages, and the
 *       JDK, JUnit, Micrometer and Spring types samples use), so samples may leave those out.</li>
 *   <li>Members and method bodies are compiled in a class extending {@link DocSampleContext}, whose
 *       fields and methods stand for the reader's own objects ({@code config}, {@code sms},
 *       {@code dataSource}, {@code customers} …).</li>
 * </ul>
 * Each block is its own package, so two samples may declare the same class. An error or a lint
 * warning is reported as {@code file:line} of the markdown, e.g. {@code docs/bulk.md:12: cannot find symbol}.
 *
 * <p>The same files (and ARCHITECTURE.md, BENCHMARKS.md, CHANGELOG.md) are also checked for relative
 * links to a file or heading that does not exist, so that moving a section cannot leave a dead link.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DocSamplesTest {
    /** Imports every block is compiled with. */
    static final List<String> IMPORTS = List.of(
            "org.twiliochannels.core.*", "org.twiliochannels.core.bulk.*", "org.twiliochannels.core.event.*",
            "org.twiliochannels.core.settings.*", "org.twiliochannels.core.spi.*",
            "org.twiliochannels.core.webhook.*", "org.twiliochannels.sms.*", "org.twiliochannels.whatsapp.*",
            "org.twiliochannels.whatsapp.content.*",
            "org.twiliochannels.outbox.*", "org.twiliochannels.testing.*", "org.twiliochannels.micrometer.*",
            "org.twiliochannels.spring.boot.*",
            "java.util.*", "java.time.*", "java.nio.file.Path", "java.net.URI", "java.sql.Connection",
            "javax.sql.DataSource", "static org.junit.jupiter.api.Assertions.*",
            "io.micrometer.core.instrument.MeterRegistry", "io.micrometer.observation.ObservationRegistry",
            "org.springframework.beans.factory.annotation.Qualifier",
            "org.springframework.context.annotation.Bean", "org.springframework.context.event.EventListener",
            "org.springframework.stereotype.Service");

    /**
     * The fewest blocks each file must yield, so that a broken extractor (or a sample turned into
     * {@code text} without reason) cannot pass by compiling nothing.
     */
    static final Map<String, Integer> MINIMUM = Map.ofEntries(
            Map.entry("README.md", 2), Map.entry("docs/channels.md", 3), Map.entry("docs/delivery.md", 1),
            Map.entry("docs/doctor.md", 1), Map.entry("docs/webhooks.md", 1), Map.entry("docs/bulk.md", 1),
            Map.entry("docs/testing.md", 1), Map.entry("docs/compliance.md", 1), Map.entry("docs/conversations.md", 1),
            Map.entry("docs/templates.md", 3), Map.entry("docs/accounts.md", 6), Map.entry("docs/dashboard.md", 1),
            Map.entry("testing/README.md", 1),
            Map.entry("outbox/README.md", 1), Map.entry("micrometer/README.md", 1),
            Map.entry("spring-boot-starter/README.md", 3));

    private static final Pattern FENCE = Pattern.compile("^(\\s*)```\\s*(\\S*)\\s*(.*)$");
    private static final Pattern RAW_JAVA_FENCE = Pattern.compile("(?m)^\\s*```\\s*java\\b");
    private static final Pattern TYPE = Pattern.compile(
            "^(?:(?:public|protected|private|abstract|final|static|sealed|non-sealed|strictfp)\\s+)*"
                    + "(?:class|interface|enum|record|@interface)\\s+(\\w+)");
    private static final Pattern ANNOTATION = Pattern.compile("^@[\\w.]+(\\(.*\\))?$");

    @Test
    void everyJavaSampleOfTheDocsCompiles(@TempDir Path out) throws IOException {
        Path root = projectRoot();
        Map<String, String> docs = docs(root);
        List<String> problems = new ArrayList<>();
        List<Block> blocks = new ArrayList<>();
        for (Map.Entry<String, String> doc : docs.entrySet()) {
            blocks.addAll(blocks(doc.getKey(), doc.getValue(), problems));
        }
        problems.addAll(compile(blocks, out));

        Map<String, Long> compiled = new TreeMap<>();
        docs.keySet().forEach(file -> compiled.put(file, 0L));
        blocks.forEach(b -> compiled.merge(b.file(), 1L, Long::sum));
        String counts = compiled.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining(", ", "java blocks compiled per file: ", ""));
        System.out.println(counts);

        assertEquals(List.of(), problems, counts);
        for (Map.Entry<String, Integer> min : MINIMUM.entrySet()) {
            assertNotNull(docs.get(min.getKey()), min.getKey() + " is missing (moved? update MINIMUM)");
            assertTrue(compiled.get(min.getKey()) >= min.getValue(),
                    min.getKey() + " must yield at least " + min.getValue() + " compiled blocks; " + counts);
        }
        for (Map.Entry<String, String> doc : docs.entrySet()) {
            long fences = RAW_JAVA_FENCE.matcher(doc.getValue()).results().count();
            assertEquals(fences, compiled.get(doc.getKey()),
                    doc.getKey() + ": every ```java fence is a compiled block; " + counts);
        }
    }

    @Test
    void theReadmeOpensWithTheTwoCommandsAndStaysShort() throws IOException {
        String readme = Files.readString(projectRoot().resolve("README.md"), StandardCharsets.UTF_8);
        String firstBlock = readme.substring(readme.indexOf("```"), readme.indexOf("```", readme.indexOf("```") + 3) + 3);
        assertEquals("```sh\nmvn -q -DskipTests package && java -jar examples/target/twilio-channels-cli.jar demo\n"
                + "mvn verify\n```", firstBlock, "CI runs the README's first command");
        long lines = readme.lines().count();
        assertTrue(lines <= 300, "README.md has " + lines + " lines; move details to docs/ (at most 300)");
    }

    @Test
    void theReadmeCredentialsTableNamesEverySetting() throws IOException {
        String readme = Files.readString(projectRoot().resolve("README.md"), StandardCharsets.UTF_8);
        String table = readme.substring(readme.indexOf("## Credentials"), readme.indexOf("\n\n", readme.indexOf("| variable")));
        List<String> missing = TwilioEnvironment.KEYS.stream().filter(key -> !table.contains("`" + key + "`")).toList();
        assertEquals(List.of(), missing, "settings missing from README.md's credentials table");
    }

    @Test
    void everyRelativeLinkOfTheDocsResolves() throws IOException {
        Path root = projectRoot();
        Map<String, String> docs = new LinkedHashMap<>(docs(root));
        for (String top : List.of("ARCHITECTURE.md", "BENCHMARKS.md", "CHANGELOG.md")) {
            docs.put(top, Files.readString(root.resolve(top), StandardCharsets.UTF_8));
        }
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Map.Entry<String, String> doc : docs.entrySet()) {
            String[] lines = doc.getValue().split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                Matcher link = LINK.matcher(lines[i]);
                while (link.find()) {
                    String target = link.group(1);
                    if (target.matches("^[a-z]+:.*")) {
                        continue;                                    // https:, mailto: … are not checked
                    }
                    checked++;
                    int hash = target.indexOf('#');
                    String path = hash < 0 ? target : target.substring(0, hash);
                    Path file = path.isEmpty() ? root.resolve(doc.getKey())
                            : root.resolve(doc.getKey()).getParent().resolve(path).normalize();
                    String where = doc.getKey() + ":" + (i + 1) + ": " + target;
                    if (!Files.exists(file)) {
                        broken.add(where + " (no such file)");
                    } else if (hash >= 0 && !anchors(Files.readString(file, StandardCharsets.UTF_8))
                            .contains(target.substring(hash + 1))) {
                        broken.add(where + " (no such heading)");
                    }
                }
            }
        }
        assertEquals(List.of(), broken);
        assertTrue(checked >= 30, "only " + checked + " relative links found");
    }

    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    /** The anchors GitHub gives a markdown text's headings: lower case, punctuation dropped, spaces as '-'. */
    static List<String> anchors(String markdown) {
        List<String> anchors = new ArrayList<>();
        Map<String, Integer> seen = new TreeMap<>();
        boolean inCode = false;
        for (String line : markdown.split("\n")) {
            if (line.strip().startsWith("```")) {
                inCode = !inCode;
            } else if (!inCode && line.startsWith("#")) {
                String slug = line.replaceFirst("^#+\\s*", "").toLowerCase(Locale.ROOT)
                        .replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
                int before = seen.merge(slug, 1, Integer::sum) - 1;
                anchors.add(before == 0 ? slug : slug + "-" + before);
            }
        }
        return anchors;
    }

    @Test
    void aBrokenSampleFailsNamingItsFileAndLine(@TempDir Path out) {
        String markdown = String.join("\n",
                "# A page", "", "```java", "Receipt r = sms.send(Message.text(\"+14155551234\", \"hi\"));",
                "r.noSuchMethod();", "```", "", "```java members", "void ok() { System.out.println(config); }",
                "```", "", "```", "no language", "```", "");
        List<String> problems = new ArrayList<>();
        List<Block> blocks = blocks("docs/broken.md", markdown, problems);

        assertEquals(List.of("docs/broken.md:12: a code block without a language: name it (```java, ```text, ```sh …)"),
                problems);
        assertEquals(2, blocks.size());
        List<String> errors = compile(blocks, out);
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("docs/broken.md:5: "), errors.get(0));
        assertTrue(errors.get(0).contains("noSuchMethod"), errors.get(0));
    }

    @Test
    void aWholeCompilationUnitKeepsItsImportsAndDeclarations(@TempDir Path out) {
        String markdown = String.join("\n",
                "```java", "import java.util.concurrent.atomic.AtomicInteger;", "", "@Service",
                "final class Counter {", "    private final AtomicInteger sent = new AtomicInteger();",
                "    void count(Receipt receipt) { sent.incrementAndGet(); }", "}", "```",
                "```java", "@Service", "final class Counter { Undefined u; }", "```", "");
        List<String> problems = new ArrayList<>();
        List<Block> blocks = blocks("docs/unit.md", markdown, problems);

        assertEquals(List.of(), problems);
        List<String> errors = compile(blocks, out);
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("docs/unit.md:12: "), errors.get(0));
    }

    /** A {@code ```java} block: its file, the markdown line of its first line, its marker, its lines. */
    record Block(String file, int line, String marker, List<String> lines) {}

    /** The repository's root: this module's parent, checked by its README and module list. */
    static Path projectRoot() {
        Path root = Path.of("").toAbsolutePath().getParent();
        assertTrue(Files.isRegularFile(root.resolve("README.md")) && Files.isRegularFile(root.resolve("examples/pom.xml")),
                "not the project's root: " + root);
        return root;
    }

    /** README.md, docs/*.md and every module's README.md, by path relative to the root. */
    static Map<String, String> docs(Path root) throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(root.resolve("README.md"));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).forEach(files::add);
        }
        try (Stream<Path> modules = Files.list(root)) {
            modules.map(m -> m.resolve("README.md")).filter(Files::isRegularFile).forEach(files::add);
        }
        Map<String, String> texts = new LinkedHashMap<>();
        for (Path file : files.stream().sorted().toList()) {
            texts.put(root.relativize(file).toString().replace(File.separatorChar, '/'),
                    Files.readString(file, StandardCharsets.UTF_8));
        }
        return texts;
    }

    /** The {@code ```java} blocks of one markdown text; fences without a language go to problems. */
    static List<Block> blocks(String file, String markdown, List<String> problems) {
        List<Block> blocks = new ArrayList<>();
        String[] lines = markdown.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher open = FENCE.matcher(lines[i]);
            if (!open.matches()) {
                continue;
            }
            int start = i;
            String indent = open.group(1);
            String language = open.group(2);
            String marker = open.group(3).trim();
            List<String> body = new ArrayList<>();
            while (++i < lines.length && !FENCE.matcher(lines[i]).matches()) {
                body.add(lines[i].startsWith(indent) ? lines[i].substring(indent.length()) : lines[i]);
            }
            if (i == lines.length) {
                problems.add(file + ":" + (start + 1) + ": a code block that is never closed");
            } else if (language.isEmpty()) {
                problems.add(file + ":" + (start + 1) + ": a code block without a language: name it (```java, ```text, ```sh …)");
            } else if (language.equals("java")) {
                if (!marker.isEmpty() && !marker.equals("members")) {
                    problems.add(file + ":" + (start + 1) + ": unknown marker \"" + marker
                            + "\": a java block is a compilation unit, a method body or ```java members; use ```text for Java that does not compile");
                } else {
                    blocks.add(new Block(file, start + 2, marker, List.copyOf(body)));
                }
            }
        }
        return blocks;
    }

    /** Compiles the blocks in one compiler run; returns each error or lint warning as {@code file:line: message}. */
    static List<String> compile(List<Block> blocks, Path out) {
        List<Sample> sources = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            sources.add(Sample.of(blocks.get(i), "docsamples.s" + i));
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> options = List.of("--release", "17", "-proc:none", "-classpath", classPath,
                "-d", out.toString(), "-Xlint:all,-try,-serial,-processing,-classfile,-options");
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            compiler.getTask(null, files, diagnostics, options, null, sources).call();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        List<String> problems = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            boolean inSample = d.getSource() instanceof Sample;
            if (d.getKind() == Diagnostic.Kind.ERROR || inSample && d.getKind() != Diagnostic.Kind.NOTE) {
                String where = inSample ? ((Sample) d.getSource()).where(d.getLineNumber()) : String.valueOf(d.getSource());
                problems.add(where + ": " + d.getMessage(Locale.ROOT).lines().map(String::strip)
                        .collect(Collectors.joining("; ")));
            }
        }
        return problems;
    }

    /** The compilation unit made of one block, with the markdown line of each of its lines. */
    static final class Sample extends SimpleJavaFileObject {
        private final Block block;
        private final String source;
        private final int[] markdownLines;

        private Sample(Block block, String typeName, String source, int[] markdownLines) {
            super(URI.create("string:///" + typeName.replace('.', '/') + Kind.SOURCE.extension), Kind.SOURCE);
            this.block = block;
            this.source = source;
            this.markdownLines = markdownLines;
        }

        static Sample of(Block block, String packageName) {
            List<String> text = new ArrayList<>();
            List<Integer> origin = new ArrayList<>();
            text.add("package " + packageName + ";");
            origin.add(0);
            IMPORTS.forEach(i -> { text.add("import " + i + ";"); origin.add(0); });
            int first = 0;
            while (first < block.lines().size()
                    && (block.lines().get(first).isBlank() || block.lines().get(first).startsWith("import "))) {
                text.add(block.lines().get(first));
                origin.add(block.line() + first);
                first++;
            }
            String typeName = "Sample";
            boolean unit = false;
            for (String line : block.lines().subList(first, block.lines().size())) {
                String t = line.trim();
                if (t.isEmpty() || t.startsWith("//") || ANNOTATION.matcher(t).matches()) {
                    continue;
                }
                Matcher type = TYPE.matcher(t);
                unit = block.marker().isEmpty() && type.find();
                typeName = unit ? type.group(1) : typeName;
                break;
            }
            if (!unit) {
                text.add("abstract class Sample extends " + DocSampleContext.class.getName() + " {");
                origin.add(0);
                if (!block.marker().equals("members")) {
                    text.add("void sample() throws Exception {");
                    origin.add(0);
                }
            }
            for (int i = first; i < block.lines().size(); i++) {
                text.add(block.lines().get(i));
                origin.add(block.line() + i);
            }
            if (!unit) {
                text.add(block.marker().equals("members") ? "}" : "}}");
                origin.add(0);
            }
            return new Sample(block, packageName + "." + typeName, String.join("\n", text) + "\n",
                    origin.stream().mapToInt(Integer::intValue).toArray());
        }

        /** {@code file:line} of a line of this unit (the block's first line for the template's own lines). */
        String where(long line) {
            int markdownLine = line >= 1 && line <= markdownLines.length ? markdownLines[(int) line - 1] : 0;
            return block.file() + ":" + (markdownLine == 0 ? block.line() : markdownLine);
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return source;
        }
    }
}
