package com.orderflow.local.s3;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/** S3's XML: a small writer for the answers, and a reader for the few request bodies (no DTDs, no entities). */
final class S3Xml {

    static final String NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final StringBuilder out = new StringBuilder(512).append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    private final List<String> open = new ArrayList<>();

    /** Starts a document whose root element carries S3's namespace. */
    static S3Xml document(String root) {
        var xml = new S3Xml();
        xml.out.append('<').append(root).append(" xmlns=\"").append(NAMESPACE).append("\">");
        xml.open.add(root);
        return xml;
    }

    /** Starts a document without a namespace (S3's error answers have none). */
    static S3Xml plain(String root) {
        var xml = new S3Xml();
        xml.out.append('<').append(root).append('>');
        xml.open.add(root);
        return xml;
    }

    S3Xml start(String name) {
        out.append('<').append(name).append('>');
        open.add(name);
        return this;
    }

    S3Xml end() {
        out.append("</").append(open.removeLast()).append('>');
        return this;
    }

    /** An element with text; nothing when {@code text} is null. */
    S3Xml element(String name, Object text) {
        if (text != null) {
            out.append('<').append(name).append('>');
            escape(String.valueOf(text));
            out.append("</").append(name).append('>');
        }
        return this;
    }

    byte[] bytes() {
        while (!open.isEmpty()) {
            end();
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void escape(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                    if (c < 0x20 && c != '\t' && c != '\n') {
                        // XML 1.0 cannot carry other control characters even as references; S3 writes them so
                        out.append("&#").append((int) c).append(';');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }

    static String time(long epochMillis) {
        return ISO.format(Instant.ofEpochMilli(epochMillis));
    }

    /** Parses a request body; a body that is not well-formed XML is S3's MalformedXML. */
    static Element parse(byte[] body) {
        try {
            var factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setExpandEntityReferences(false);
            factory.setNamespaceAware(true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(body)).getDocumentElement();
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw S3Error.malformedXml();
        }
    }

    /** The child elements of {@code parent} with this local name. */
    static List<Element> children(Element parent, String name) {
        var found = new ArrayList<Element>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && name.equals(element.getLocalName())) {
                found.add(element);
            }
        }
        return found;
    }

    /** The trimmed text of the first child with this local name, or null. */
    static String text(Element parent, String name) {
        var found = children(parent, name);
        return found.isEmpty() ? null : found.getFirst().getTextContent().trim();
    }
}
