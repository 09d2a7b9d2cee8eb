import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Checks that {@code bom/pom.xml} lists exactly the published modules, and that the release
 * profile's publishing plugin excludes exactly the modules that are not deployed.
 *
 * <p>A module is published when its packaging is not {@code pom} and its own POM does not set
 * {@code maven.deploy.skip} to {@code true}. Run from the repository root with
 * {@code java .ci/CheckBom.java} (JDK 17, no build needed); exit code 1 lists every problem.
 */
public final class CheckBom {

    /**
     * Modules being added on other branches. The BOM may list them before their directory exists;
     * once a module is in the reactor it is checked like any other, and its name can leave this set.
     */
    private static final Set<String> PENDING = Set.of();

    private record Module(String dir, String artifactId, String packaging, boolean deploySkip, String version) {
        boolean published() {
            return !packaging.equals("pom") && !deploySkip;
        }
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        Element rootPom = read(root.resolve("pom.xml"));
        String groupId = child(rootPom, "groupId");
        String version = child(rootPom, "version");

        List<Module> modules = new ArrayList<>();
        collect(root, root, rootPom, modules);

        List<String> problems = new ArrayList<>();
        Map<String, Module> byArtifact = new LinkedHashMap<>();
        for (Module module : modules) {
            byArtifact.put(module.artifactId(), module);
            if (!version.equals(module.version())) {
                problems.add(module.dir() + "/pom.xml: version " + module.version()
                        + " differs from the root version " + version + "; every module has one version");
            }
        }

        Set<String> bom = new LinkedHashSet<>();
        Element bomPom = read(root.resolve("bom/pom.xml"));
        for (Element dependency : path(bomPom, "dependencyManagement", "dependencies", "dependency")) {
            String artifactId = child(dependency, "artifactId");
            if (!groupId.equals(child(dependency, "groupId"))) {
                problems.add("bom/pom.xml: " + child(dependency, "groupId") + ":" + artifactId
                        + " is not a module of this project; the BOM lists " + groupId + " modules only");
                continue;
            }
            if (!bom.add(artifactId)) {
                problems.add("bom/pom.xml: " + artifactId + " is listed twice");
            }
            if (!"${project.version}".equals(child(dependency, "version"))) {
                problems.add("bom/pom.xml: " + artifactId + " has version " + child(dependency, "version")
                        + "; use ${project.version} so that every module has the BOM's version");
            }
            if (child(dependency, "type") != null || child(dependency, "classifier") != null) {
                problems.add("bom/pom.xml: " + artifactId + " has a type or classifier; list the main jar only");
            }
        }

        Set<String> published = new TreeSet<>();
        Set<String> notDeployed = new TreeSet<>();
        for (Module module : modules) {
            if (module.published()) {
                published.add(module.artifactId());
            }
            if (module.deploySkip()) {
                notDeployed.add(module.artifactId());
            }
        }
        for (String artifactId : published) {
            if (!bom.contains(artifactId)) {
                problems.add(byArtifact.get(artifactId).dir() + " (" + artifactId + ") is published but missing"
                        + " from bom/pom.xml: add it to the BOM's dependencyManagement, or set"
                        + " maven.deploy.skip in its POM if it must never be published");
            }
        }
        Set<String> pendingListed = new TreeSet<>();
        for (String artifactId : bom) {
            Module module = byArtifact.get(artifactId);
            if (module == null) {
                if (PENDING.contains(artifactId)) {
                    pendingListed.add(artifactId);
                } else {
                    problems.add("bom/pom.xml: " + artifactId + " is no module of the build (root pom.xml"
                            + " <modules>); remove it from the BOM");
                }
            } else if (!module.published()) {
                problems.add("bom/pom.xml: " + artifactId + " (" + module.dir() + ") is not published"
                        + " (packaging pom or maven.deploy.skip); remove it from the BOM");
            }
        }

        Set<String> excluded = new TreeSet<>();
        for (Element profile : path(rootPom, "profiles", "profile")) {
            if (!"release".equals(child(profile, "id"))) {
                continue;
            }
            for (Element plugin : path(profile, "build", "plugins", "plugin")) {
                if ("central-publishing-maven-plugin".equals(child(plugin, "artifactId"))) {
                    for (Element artifact : path(plugin, "configuration", "excludeArtifacts", "artifact")) {
                        excluded.add(artifact.getTextContent().trim());
                    }
                }
            }
        }
        if (!excluded.equals(notDeployed)) {
            problems.add("pom.xml: the release profile's central-publishing-maven-plugin <excludeArtifacts> "
                    + excluded + " must name exactly the modules with maven.deploy.skip " + notDeployed
                    + " (that plugin ignores maven.deploy.skip)");
        }

        if (!problems.isEmpty()) {
            System.err.println("BOM check failed:");
            problems.forEach(problem -> System.err.println("  - " + problem));
            System.exit(1);
        }
        System.out.println("BOM lists exactly the " + published.size() + " published modules " + published
                + "; not published: " + notDeployed
                + (pendingListed.isEmpty() ? "" : "; listed ahead of their modules: " + pendingListed));
    }

    private static void collect(Path root, Path dir, Element pom, List<Module> into) throws Exception {
        for (Element module : path(pom, "modules", "module")) {
            Path moduleDir = dir.resolve(module.getTextContent().trim()).normalize();
            Element modulePom = read(moduleDir.resolve("pom.xml"));
            String packaging = child(modulePom, "packaging");
            List<Element> skip = path(modulePom, "properties", "maven.deploy.skip");
            into.add(new Module(
                    root.relativize(moduleDir).toString(),
                    child(modulePom, "artifactId"),
                    packaging == null ? "jar" : packaging,
                    !skip.isEmpty() && "true".equals(skip.get(0).getTextContent().trim()),
                    // its own version, else its parent's (a module may have another parent, e.g. an
                    // application built on Spring Boot's)
                    child(modulePom, "version") != null ? child(modulePom, "version")
                            : path(modulePom, "parent").isEmpty() ? null
                            : child(path(modulePom, "parent").get(0), "version")));
            collect(root, moduleDir, modulePom, into);
        }
    }

    private static Element read(Path pom) throws Exception {
        if (!Files.isRegularFile(pom)) {
            throw new IllegalStateException(pom + " does not exist");
        }
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile()).getDocumentElement();
    }

    /** The direct child elements along the given names; the last name may match several. */
    private static List<Element> path(Element from, String... names) {
        List<Element> current = List.of(from);
        for (String name : names) {
            List<Element> next = new ArrayList<>();
            for (Element element : current) {
                for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
                    if (node instanceof Element child && child.getTagName().equals(name)) {
                        next.add(child);
                    }
                }
            }
            current = next;
        }
        return current;
    }

    private static String child(Element from, String name) {
        List<Element> found = path(from, name);
        return found.isEmpty() ? null : found.get(0).getTextContent().trim();
    }
}
