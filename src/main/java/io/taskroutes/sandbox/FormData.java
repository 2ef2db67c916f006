package io.taskroutes.sandbox;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses {@code application/x-www-form-urlencoded} and {@code multipart/form-data} bodies. */
final class FormData {

    /** One form field; {@code filename} is null for a text field. */
    record Part(String name, String filename, String contentType, byte[] data) {
        String text() {
            return new String(data, StandardCharsets.UTF_8);
        }

        boolean isFile() {
            return filename != null;
        }
    }

    private static final Pattern NAME = Pattern.compile("(?i)(?:^|[;\\s])name\\s*=\\s*(?:\"([^\"]*)\"|([^;\\s]*))");
    private static final Pattern FILENAME = Pattern.compile("(?i)(?:^|[;\\s])filename\\s*=\\s*(?:\"([^\"]*)\"|([^;\\s]*))");

    private FormData() {
    }

    /** Every field of the body; empty when the content type is neither form nor multipart. */
    static List<Part> parse(String contentType, byte[] body) {
        if (contentType == null || body == null || body.length == 0) {
            return List.of();
        }
        String type = contentType.toLowerCase(Locale.ROOT);
        if (type.startsWith("application/x-www-form-urlencoded")) {
            return urlEncoded(new String(body, StandardCharsets.UTF_8));
        }
        if (type.startsWith("multipart/form-data")) {
            String boundary = boundary(contentType);
            return boundary == null ? List.of() : multipart(body, boundary);
        }
        return List.of();
    }

    /** The text fields (first value of each name, in order). */
    static Map<String, String> textFields(List<Part> parts) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (Part part : parts) {
            if (!part.isFile()) {
                fields.putIfAbsent(part.name(), part.text());
            }
        }
        return fields;
    }

    private static List<Part> urlEncoded(String text) {
        List<Part> parts = new ArrayList<>();
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            parts.add(new Part(name, null, null, value.getBytes(StandardCharsets.UTF_8)));
        }
        return parts;
    }

    private static String boundary(String contentType) {
        for (String param : contentType.split(";")) {
            String p = param.trim();
            if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String b = p.substring("boundary=".length()).trim();
                if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) {
                    b = b.substring(1, b.length() - 1);
                }
                return b.isEmpty() ? null : b;
            }
        }
        return null;
    }

    /** ISO-8859-1 maps every byte to one char, so binary file parts survive the string slicing. */
    private static List<Part> multipart(byte[] body, String boundary) {
        String s = new String(body, StandardCharsets.ISO_8859_1);
        String delimiter = "--" + boundary;
        List<Part> parts = new ArrayList<>();
        int pos = s.indexOf(delimiter);
        while (pos >= 0) {
            pos += delimiter.length();
            if (s.startsWith("--", pos)) {
                break; // closing delimiter
            }
            pos = skipLineBreak(s, pos);
            int next = s.indexOf("\r\n" + delimiter, pos);
            int lineBreak = 2;
            if (next < 0) {
                next = s.indexOf("\n" + delimiter, pos);
                lineBreak = 1;
            }
            if (next < 0) {
                break;
            }
            Part part = part(s.substring(pos, next));
            if (part != null) {
                parts.add(part);
            }
            pos = next + lineBreak;
        }
        return parts;
    }

    private static int skipLineBreak(String s, int pos) {
        if (s.startsWith("\r\n", pos)) {
            return pos + 2;
        }
        return s.startsWith("\n", pos) ? pos + 1 : pos;
    }

    private static Part part(String raw) {
        int split = raw.indexOf("\r\n\r\n");
        int gap = 4;
        if (split < 0) {
            split = raw.indexOf("\n\n");
            gap = 2;
        }
        if (split < 0) {
            return null;
        }
        String name = null;
        String filename = null;
        String contentType = null;
        for (String line : raw.substring(0, split).split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String header = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = new String(line.substring(colon + 1).trim().getBytes(StandardCharsets.ISO_8859_1),
                    StandardCharsets.UTF_8);
            if (header.equals("content-disposition")) {
                name = param(NAME, value);
                filename = param(FILENAME, value);
            } else if (header.equals("content-type")) {
                contentType = value;
            }
        }
        if (name == null) {
            return null;
        }
        byte[] data = raw.substring(split + gap).getBytes(StandardCharsets.ISO_8859_1);
        return new Part(name, filename, contentType, data);
    }

    private static String param(Pattern pattern, String value) {
        Matcher m = pattern.matcher(value);
        if (!m.find()) {
            return null;
        }
        return m.group(1) != null ? m.group(1) : m.group(2);
    }
}
