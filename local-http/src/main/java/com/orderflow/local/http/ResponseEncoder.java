package com.orderflow.local.http;

/**
 * A response as the bytes of one write: status line, header fields and body in one array, so that a response
 * costs one system call and leaves in as few segments as its size allows.
 */
final class ResponseEncoder {

    private ResponseEncoder() {
    }

    /**
     * @param withBody  false for a response to HEAD: its Content-Length is the one the handler gave (what a GET would
     *                  carry) or else the body's, and the body stays home
     * @param close     adds {@code Connection: close}
     * @param keepAlive adds {@code Connection: keep-alive} (what an HTTP/1.0 client must be told)
     */
    static byte[] encode(Response response, boolean withBody, boolean close, boolean keepAlive) {
        int status = response.status();
        var head = new StringBuilder(256)
                .append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
        boolean dated = false;
        String headLength = null;
        var headers = response.headers();
        for (int i = 0; i < headers.size(); i++) {
            // the server owns the framing and the connection's fate
            var name = headers.name(i);
            if (!withBody && name.equalsIgnoreCase("Content-Length")) {
                headLength = headers.value(i);
                continue;
            }
            if (name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Transfer-Encoding")
                    || name.equalsIgnoreCase("Connection")) {
                continue;
            }
            dated |= name.equalsIgnoreCase("Date");
            head.append(name).append(": ").append(headers.value(i)).append("\r\n");
        }
        if (!dated) {
            head.append("Date: ").append(HttpDate.now()).append("\r\n");
        }
        boolean bodiless = status == 204 || status == 304;
        if (!bodiless) {
            head.append("Content-Length: ").append(headLength != null ? headLength : String.valueOf(response.body().length))
                    .append("\r\n");
        }
        if (close) {
            head.append("Connection: close\r\n");
        } else if (keepAlive) {
            head.append("Connection: keep-alive\r\n");
        }
        head.append("\r\n");
        int bodyLength = withBody && !bodiless ? response.body().length : 0;
        var bytes = new byte[head.length() + bodyLength];
        for (int i = 0; i < head.length(); i++) {
            bytes[i] = (byte) head.charAt(i); // Headers admits Latin-1 only
        }
        System.arraycopy(response.body(), 0, bytes, head.length(), bodyLength);
        return bytes;
    }

    static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 202 -> "Accepted";
            case 204 -> "No Content";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 303 -> "See Other";
            case 304 -> "Not Modified";
            case 307 -> "Temporary Redirect";
            case 308 -> "Permanent Redirect";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 411 -> "Length Required";
            case 412 -> "Precondition Failed";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 417 -> "Expectation Failed";
            case 422 -> "Unprocessable Content";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            case 505 -> "HTTP Version Not Supported";
            default -> "";
        };
    }
}
