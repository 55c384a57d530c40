package dev.arbor.system;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 18: the query side, too, closes the connection of a request it refused before its body came (platform's
 * UnreadBodies valve; the command side's cases are in its UnreadBodiesHttpTest). Tomcat used to wait for the rest of
 * the body up to the connection timeout, holding a request thread with each such request.
 */
class QuerySideUnreadBodiesTest {

    /** Well below the connection timeout, which is how long the refusal held its thread. */
    private static final Duration PROMPTLY = Duration.ofSeconds(5);

    private final RunningArbor arbor = RunningArbor.get();

    @Test
    void aRefusalWhoseBodyHasNotArrivedClosesTheConnectionOnceAnswered() throws IOException {
        assertRefusedAtOnceAndClosed("POST /api/v1/admin/verify", "application/json");
    }

    /** Boot's form filter read such a body whole before authentication, up to the read timeout (60 s) a byte. */
    @Test
    void aFormBodyWithoutATokenIsNotReadEither() throws IOException {
        assertRefusedAtOnceAndClosed("PUT /api/v1/accounts/" + UUID.randomUUID(), "application/x-www-form-urlencoded");
    }

    private void assertRefusedAtOnceAndClosed(String request, String contentType) throws IOException {
        try (Socket socket = new Socket(arbor.querySide.getHost(), arbor.querySide.getPort())) {
            socket.setSoTimeout(30_000);
            long asked = System.nanoTime();
            socket.getOutputStream().write((request + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + contentType
                                            + "\r\nContent-Length: 200\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String head = head(in);
            Duration waited = Duration.ofNanos(System.nanoTime() - asked);
            long answered = System.nanoTime();
            boolean closed = closedBy(in, contentLength(head));
            Duration openAfterTheAnswer = Duration.ofNanos(System.nanoTime() - answered);

            assertThat(head).startsWith("HTTP/1.1 401");
            assertThat(waited).as("answered at once").isLessThan(PROMPTLY);
            assertThat(closed).as("closed by the server").isTrue();
            assertThat(openAfterTheAnswer).as("open after the answer").isLessThan(PROMPTLY);
        }
    }

    private static String head(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int next = in.read();
            if (next == -1) {
                break;
            }
            head.append((char) next);
        }
        return head.toString();
    }

    private static int contentLength(String head) {
        String headers = head.toLowerCase();
        int at = headers.indexOf("content-length: ");
        return at < 0 ? 0 : Integer.parseInt(headers.substring(at + 16, headers.indexOf('\r', at)).strip());
    }

    /** Reads the answer's body, then whether the server closed (rather than leaving it open until the read timed out). */
    private static boolean closedBy(InputStream in, int bodyLength) throws IOException {
        try {
            in.readNBytes(bodyLength);
            return in.read() == -1;
        } catch (SocketException reset) {
            return true;
        }
    }
}
