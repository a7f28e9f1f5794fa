package dev.mlops.monitoring.report;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * A report page parsed as XML, which it is written to be, so that a tag left open or an
 * unescaped {@code <} or {@code &} fails the parse; queried by XPath.
 */
final class Page {
  private final Document doc;

  private Page(Document doc) {
    this.doc = doc;
  }

  /** {@code html} parsed; throws when it is not well-formed. */
  static Page parse(String html) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
      f.setExpandEntityReferences(false);
      return new Page(f.newDocumentBuilder().parse(new InputSource(new StringReader(html))));
    } catch (Exception e) {
      throw new AssertionError("the page is not well-formed: " + e.getMessage(), e);
    }
  }

  /** The elements {@code xpath} selects. */
  List<Element> all(String xpath) {
    try {
      NodeList nodes = (NodeList) XPathFactory.newInstance().newXPath().evaluate(xpath, doc, XPathConstants.NODESET);
      List<Element> out = new ArrayList<>();
      for (int i = 0; i < nodes.getLength(); i++) {
        out.add((Element) nodes.item(i));
      }
      return out;
    } catch (Exception e) {
      throw new AssertionError("bad xpath " + xpath, e);
    }
  }

  /** The text of the document. */
  String text() {
    return doc.getDocumentElement().getTextContent();
  }

  /** An XPath test that {@code @class} holds {@code name} among its words. */
  static String hasClass(String name) {
    return "contains(concat(' ', normalize-space(@class), ' '), ' " + name + " ')";
  }

  /** The words of an element's class. */
  static List<String> classes(Element e) {
    return List.of(e.getAttribute("class").trim().split("\\s+"));
  }
}
