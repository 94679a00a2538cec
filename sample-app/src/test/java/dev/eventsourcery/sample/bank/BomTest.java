package dev.eventsourcery.sample.bank;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The BOM that users import manages every module the build publishes, at the build's version, and nothing
 * that is not published (this sample, the benchmarks).
 */
class BomTest {

    private static final Path ROOT = Path.of("..");

    @Test
    void theBomManagesEveryPublishedModuleAtTheBuildsVersion() throws Exception {
        Document parent = read(ROOT.resolve("pom.xml"));
        String version = child(parent.getDocumentElement(), "version").getTextContent();
        List<String> published = new ArrayList<>();
        NodeList modules = parent.getElementsByTagName("module");
        for (int i = 0; i < modules.getLength(); i++) {
            String module = modules.item(i).getTextContent();
            Element project = read(ROOT.resolve(module).resolve("pom.xml")).getDocumentElement();
            boolean installed = !"true".equals(property(project, "maven.install.skip"));
            boolean bom = "pom".equals(text(project, "packaging"));
            if (installed && !bom) {
                published.add(text(project, "artifactId"));
            }
        }
        assertThat(published).contains("event-store-core", "event-store-jpa", "event-store-spring-boot-starter")
                .doesNotContain("sample-app", "event-store-benchmarks");

        Element bom = read(ROOT.resolve("event-store-bom").resolve("pom.xml")).getDocumentElement();
        assertThat(text(bom, "version")).isEqualTo(version);
        assertThat(child(bom, "parent")).as("a BOM with a parent would pass the parent's imports on").isNull();
        List<String> managed = new ArrayList<>();
        NodeList dependencies = bom.getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element dependency = (Element) dependencies.item(i);
            assertThat(text(dependency, "groupId")).isEqualTo("dev.eventsourcery");
            assertThat(text(dependency, "version")).isEqualTo("${project.version}");
            managed.add(text(dependency, "artifactId"));
        }
        assertThat(managed).containsAll(published).allMatch(published::contains);
    }

    private static Document read(Path pom) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
    }

    private static String property(Element project, String name) {
        Element properties = child(project, "properties");
        Element property = properties == null ? null : child(properties, name);
        return property == null ? null : property.getTextContent().trim();
    }

    private static String text(Element element, String name) {
        Element child = child(element, name);
        return child == null ? null : child.getTextContent().trim();
    }

    private static Element child(Element element, String name) {
        for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element child && child.getTagName().equals(name)) {
                return child;
            }
        }
        return null;
    }
}
