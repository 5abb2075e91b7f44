package com.orderflow.local.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

/**
 * The parts of a request line ({@code method SP request-target SP HTTP-version}), the target split into path and
 * query. Origin form ({@code /path?query}) is what clients send a server; absolute form ({@code http://host/path})
 * must be accepted too (RFC 9112 3.2.2), and {@code *} only for {@code OPTIONS}.
 */
record RequestLine(String method, String rawPath, String rawQuery, String protocol) {

    static final String HTTP_1_1 = "HTTP/1.1";
    static final String HTTP_1_0 = "HTTP/1.0";

    static RequestLine parse(byte[] buf, int from, int end) throws RejectedRequest {
        int methodEnd = indexOf(buf, ' ', from, end);
        int targetEnd = methodEnd < 0 ? -1 : indexOf(buf, ' ', methodEnd + 1, end);
        if (methodEnd <= from || targetEnd <= methodEnd + 1) {
            throw new RejectedRequest(400, "A request line is: method, space, target, space, HTTP version");
        }
        for (int i = from; i < methodEnd; i++) {
            if (!HttpSyntax.isTokenChar(buf[i])) {
                throw new RejectedRequest(400, "A method with a character a token cannot hold");
            }
        }
        for (int i = methodEnd + 1; i < targetEnd; i++) {
            if (buf[i] <= ' ' || buf[i] >= 0x7f) {
                throw new RejectedRequest(400, "A request target with a space, control or non-ASCII character");
            }
        }
        var method = method(buf, from, methodEnd);
        var protocol = protocol(buf, targetEnd + 1, end);
        var target = new String(buf, methodEnd + 1, targetEnd - methodEnd - 1, ISO_8859_1);
        return split(method, target, protocol);
    }

    private static RequestLine split(String method, String target, String protocol) throws RejectedRequest {
        if (target.equals("*")) {
            if (!method.equals("OPTIONS")) {
                throw new RejectedRequest(400, "The target * is for OPTIONS only");
            }
            return new RequestLine(method, target, null, protocol);
        }
        int pathStart = 0;
        if (!target.startsWith("/")) {
            var scheme = target.regionMatches(true, 0, "http://", 0, 7) ? 7
                    : target.regionMatches(true, 0, "https://", 0, 8) ? 8 : -1;
            if (scheme < 0) {
                throw new RejectedRequest(400, "A request target must be a path (or an absolute http URI)");
            }
            pathStart = target.indexOf('/', scheme);
            if (pathStart < 0) {
                int query = target.indexOf('?', scheme);
                return new RequestLine(method, "/", query < 0 ? null : target.substring(query + 1), protocol);
            }
        }
        int query = target.indexOf('?', pathStart);
        return query < 0
                ? new RequestLine(method, target.substring(pathStart), null, protocol)
                : new RequestLine(method, target.substring(pathStart, query), target.substring(query + 1), protocol);
    }

    /** The usual methods as constants, so that most requests allocate no method string. */
    private static String method(byte[] buf, int from, int end) {
        int length = end - from;
        if (length == 4 && buf[from] == 'P' && buf[from + 1] == 'O' && buf[from + 2] == 'S' && buf[from + 3] == 'T') {
            return "POST";
        }
        if (length == 3 && buf[from] == 'G' && buf[from + 1] == 'E' && buf[from + 2] == 'T') {
            return "GET";
        }
        return new String(buf, from, length, ISO_8859_1);
    }

    private static String protocol(byte[] buf, int from, int end) throws RejectedRequest {
        int length = end - from;
        if (length == 8 && buf[from] == 'H' && buf[from + 1] == 'T' && buf[from + 2] == 'T' && buf[from + 3] == 'P'
                && buf[from + 4] == '/' && isDigit(buf[from + 5]) && buf[from + 6] == '.' && isDigit(buf[from + 7])) {
            if (buf[from + 5] == '1') {
                // a later 1.x is answered as the highest minor version served (RFC 9110 2.5)
                return buf[from + 7] == '0' ? HTTP_1_0 : HTTP_1_1;
            }
            throw new RejectedRequest(505, "Only HTTP/1.1 and HTTP/1.0 are served");
        }
        throw new RejectedRequest(400, "The request line does not end with an HTTP version");
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static int indexOf(byte[] buf, char c, int from, int end) {
        for (int i = from; i < end; i++) {
            if (buf[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
