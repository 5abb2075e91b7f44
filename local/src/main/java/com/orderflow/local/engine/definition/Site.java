package com.orderflow.local.engine.definition;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A node of a definition and where it sits in it, so that a problem found with the node is reported at its
 * JSON pointer without the pointer having to travel beside it. An absent field is a site of a missing node.
 *
 * <p>Pointers join field names as they are ({@code /States/a/b} for a state named {@code a/b}), the way this
 * engine has always reported them and {@code PayloadTemplate} reports within a template; RFC 6901 would write
 * {@code ~1} and {@code ~0} for {@code /} and {@code ~}, and would change such pointers.
 */
record Site(JsonNode node, Site parent, String name) {

    /** The top of a definition, at pointer {@code ""}. */
    static Site root(JsonNode node) {
        return new Site(node, null, "");
    }

    /** The field {@code fieldName} of this object: a missing node when there is no such field. */
    Site field(String fieldName) {
        return new Site(node.path(fieldName), this, fieldName);
    }

    /** The element {@code index} of this array: a missing node when there is none. */
    Site element(int index) {
        return new Site(node.path(index), this, Integer.toString(index));
    }

    /** Whether the definition has this node; a JSON {@code null} is present. */
    boolean isPresent() {
        return !node.isMissingNode();
    }

    /** Whether this object has the field, even with a JSON {@code null} value. */
    boolean has(String fieldName) {
        return node.has(fieldName);
    }

    /** The names of this object's fields in definition order; none when it is not an object. */
    List<String> fieldNames() {
        List<String> names = new ArrayList<>();
        if (node.isObject()) {
            node.fieldNames().forEachRemaining(names::add);
        }
        return names;
    }

    /** This object's fields in definition order; none when it is not an object. */
    List<Site> fields() {
        return fieldNames().stream().map(this::field).toList();
    }

    /** This array's elements; none when it is not an array. */
    List<Site> elements() {
        List<Site> elements = new ArrayList<>();
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                elements.add(element(i));
            }
        }
        return elements;
    }

    /** The JSON pointer of this node: {@code ""} for the root. */
    String pointer() {
        return parent == null ? "" : parent.pointer() + "/" + name;
    }

    /** The pointer as a diagnostic prints it, where the root is {@code /}. */
    String location() {
        return parent == null ? "/" : pointer();
    }
}
