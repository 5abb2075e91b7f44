package com.orderflow.local.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What arrives on the wire, byte for byte: bodies, pipelining, persistence and refusals of malformed requests. */
class HttpFramingTest {

    static BlockingHttpServer server;

    @BeforeAll
    static void start() throws Exception {
        server = BlockingHttpServer.start(InetAddress.getLoopbackAddress(), 0, new Echo(),
                ServerLimits.defaults().withMaxHeaderBytes(1024).withMaxBodyBytes(100));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static RawClient client() throws Exception {
        return new RawClient(server.port());
    }

    @Test
    void chunkedBody_withExtensionsAndTrailers_isReassembled() throws Exception {
        try (var client = client()) {
            client.send("POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5;name=value\r\nhello\r\n1\r\n,\r\n6\r\n world\r\n0\r\nX-Checksum: 1\r\n\r\n");

            var response = client.read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("POST /c ?null\nhello, world");
        }
    }

    @Test
    void pipelinedRequests_inOneWrite_areAnsweredInOrderOnTheSameConnection() throws Exception {
        try (var client = client()) {
            client.send("GET /1 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "POST /2 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
                    + "POST /3 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nde\r\n0\r\n\r\n"
                    + "GET /4 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

            assertThat(client.read().body()).isEqualTo("GET /1 ?null\n");
            assertThat(client.read().body()).isEqualTo("POST /2 ?null\nabc");
            assertThat(client.read().body()).isEqualTo("POST /3 ?null\nde");
            var last = client.read();
            assertThat(last.body()).isEqualTo("GET /4 ?null\n");
            assertThat(last.header("Connection")).isEqualTo("close");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void requestSplitAcrossManyWrites_isReadWhole() throws Exception {
        try (var client = client()) {
            for (var piece : new String[] {"PO", "ST /s HT", "TP/1.1\r", "\nHost: x\r\nContent-Len", "gth: 4\r\n\r", "\nab", "cd"}) {
                client.send(piece);
                Thread.sleep(5);
            }

            assertThat(client.read().body()).isEqualTo("POST /s ?null\nabcd");
        }
    }

    @Test
    void http10_closesAfterTheResponse_unlessKeepAliveIsAsked() throws Exception {
        try (var client = client()) {
            client.send("GET /old HTTP/1.0\r\n\r\n");

            var response = client.read();

            assertThat(response.body()).isEqualTo("GET /old ?null\n");
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(client.closedByServer()).isTrue();
        }
        try (var client = client()) {
            client.send("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            assertThat(client.read().header("Connection")).isEqualTo("keep-alive");
            client.send("GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            assertThat(client.read().body()).isEqualTo("GET /b ?null\n");
        }
    }

    @Test
    void absoluteFormTarget_andLeadingEmptyLine_areAccepted() throws Exception {
        try (var client = client()) {
            client.send("\r\nGET http://example.test/p/q?z=1 HTTP/1.1\r\nHost: example.test\r\n\r\n");

            assertThat(client.read().body()).isEqualTo("GET /p/q ?z=1\n");
        }
    }

    @Test
    void bareLineFeeds_endLinesToo() throws Exception {
        try (var client = client()) {
            client.send("POST /lf HTTP/1.1\nHost: x\nContent-Length: 2\n\nok");

            assertThat(client.read().body()).isEqualTo("POST /lf ?null\nok");
        }
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            no version                 | GET /\\r\\n\\r\\n                                                                  | 400
            two spaces                 | GET  / HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n                                           | 400
            bad method character       | G(T / HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n                                            | 400
            target not a path          | GET nowhere HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n                                      | 400
            HTTP/2.0 in text           | GET / HTTP/2.0\\r\\nHost: x\\r\\n\\r\\n                                            | 505
            no Host in HTTP/1.1        | GET / HTTP/1.1\\r\\n\\r\\n                                                        | 400
            two Hosts                  | GET / HTTP/1.1\\r\\nHost: a\\r\\nHost: b\\r\\n\\r\\n                               | 400
            space before colon         | GET / HTTP/1.1\\r\\nHost: x\\r\\nX-A : 1\\r\\n\\r\\n                              | 400
            obsolete line folding      | GET / HTTP/1.1\\r\\nHost: x\\r\\nX-A: 1\\r\\n 2\\r\\n\\r\\n                        | 400
            line without colon         | GET / HTTP/1.1\\r\\nHost: x\\r\\nnonsense\\r\\n\\r\\n                             | 400
            control character in value | GET / HTTP/1.1\\r\\nHost: x\\r\\nX-A: a\\u0001b\\r\\n\\r\\n                        | 400
            bare CR in value           | GET / HTTP/1.1\\r\\nHost: x\\r\\nX-A: a\\rb\\r\\n\\r\\n                            | 400
            bad Content-Length         | POST / HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 1x\\r\\n\\r\\n                  | 400
            differing Content-Lengths  | POST / HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 1\\r\\nContent-Length: 2\\r\\n\\r\\nab | 400
            Content-Length and chunked | POST / HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 1\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n | 400
            gzip then chunked          | POST / HTTP/1.1\\r\\nHost: x\\r\\nTransfer-Encoding: gzip, chunked\\r\\n\\r\\n0\\r\\n\\r\\n | 501
            chunked not last           | POST / HTTP/1.1\\r\\nHost: x\\r\\nTransfer-Encoding: gzip\\r\\n\\r\\n               | 400
            chunked in HTTP/1.0        | POST / HTTP/1.0\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n             | 400
            bad chunk size             | POST / HTTP/1.1\\r\\nHost: x\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\nzz\\r\\n       | 400
            chunk without CRLF         | POST / HTTP/1.1\\r\\nHost: x\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n2\\r\\nabc\\r\\n | 400
            unknown expectation        | POST / HTTP/1.1\\r\\nHost: x\\r\\nExpect: magic\\r\\nContent-Length: 1\\r\\n\\r\\na  | 417
            Content-Length over limit  | POST / HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 101\\r\\n\\r\\n                  | 413
            huge Content-Length        | POST / HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 99999999999999999999999\\r\\n\\r\\n | 413
            chunk over limit           | POST / HTTP/1.1\\r\\nHost: x\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n65\\r\\n       | 413
            """)
    void malformedOrRefusedRequest_isAnsweredWithTheStatus_andTheConnectionCloses(String what, String request,
                                                                                 int status) throws Exception {
        var bytes = unescape(request);
        try (var client = client()) {
            client.send(bytes);

            var response = client.read();

            assertThat(response.status()).as(what).isEqualTo(status);
            assertThat(response.header("Connection")).as(what).isEqualTo("close");
            assertThat(response.body()).as(what).isNotBlank();
            assertThat(client.closedByServer()).as(what).isTrue();
        }
    }

    @Test
    void chunkedBodyOverTheLimitAcrossChunks_is413() throws Exception {
        try (var client = client()) {
            client.send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "32\r\n" + "a".repeat(50) + "\r\n" + "32\r\n" + "b".repeat(50) + "\r\n" + "1\r\nc\r\n0\r\n\r\n");

            assertThat(client.read().status()).isEqualTo(413);
        }
    }

    @Test
    void headerBlockOverTheLimit_is431() throws Exception {
        try (var client = client()) {
            client.send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(1100) + "\r\n\r\n");

            var response = client.read();

            assertThat(response.status()).isEqualTo(431);
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void headerBlockJustUnderTheLimit_isServed() throws Exception {
        var head = "GET / HTTP/1.1\r\nHost: x\r\nX-Big: \r\n\r\n";
        try (var client = client()) {
            client.send(head.replace("X-Big: ", "X-Big: " + "b".repeat(1024 - head.length())));

            assertThat(client.read().status()).isEqualTo(200);
        }
    }

    @Test
    void expect100Continue_getsTheInterimResponseBeforeTheBodyIsSent() throws Exception {
        try (var client = client()) {
            client.send("POST /e HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");

            var interim = client.read();
            client.send("body");
            var response = client.read();

            assertThat(interim.status()).isEqualTo(100);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("POST /e ?null\nbody");
        }
    }

    @Test
    void expect100Continue_withABodyOverTheLimit_is413WithoutTheInterimResponse() throws Exception {
        try (var client = client()) {
            client.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\nExpect: 100-continue\r\n\r\n");

            assertThat(client.read().status()).isEqualTo(413);
        }
    }

    @Test
    void oversizedBodyAlreadyOnItsWay_stillLetsTheClientReadThe413() throws Exception {
        try (var client = client()) {
            client.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 300000\r\n\r\n" + "z".repeat(300_000));

            assertThat(client.readToEnd()).startsWith("HTTP/1.1 413 ");
        }
    }

    private static byte[] unescape(String csv) {
        var text = csv.replace("\\r", "\r").replace("\\n", "\n").replace("\\u0001", "\u0001");
        return text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
