package dev.arbor.command.admission;

import dev.arbor.command.CommandSideTest;
import dev.arbor.local.TestTokens;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 18: a request refused before its body was read (401, 411, 413, 429) costs its Tomcat thread nothing once it
 * is answered. Tomcat used to read the rest of the body after the answer, waiting for it up to the connection timeout
 * (10 s): a client sending the headers of such requests, and then its bodies slowly or not at all, held a request
 * thread with each. Now the connection is closed as soon as the answer is out.
 */
@CommandSideTest
class UnreadBodiesHttpTest {

    /** Half server.tomcat.connection-timeout, which is how long a refusal held its thread. */
    private static final Duration PROMPTLY = Duration.ofSeconds(5);

    @LocalServerPort
    int port;
    @Value("${server.tomcat.threads.max}")
    int requestThreads;
    @Value("${arbor.admission.max-per-caller}")
    int requestsPerCaller;

    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void closeSockets() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    @Test
    void aRefusalWhoseBodyHasNotArrivedClosesTheConnectionOnceAnswered() throws IOException {
        String user = TestTokens.user(UUID.randomUUID());
        SoftAssertions refusals = new SoftAssertions();

        assertClosedOnceAnswered(refusals, stalled("/api/v1/accounts", null, "Content-Length: 200"), "401");
        assertClosedOnceAnswered(refusals, stalled("/api/v1/accounts", user, "Content-Length: 1000000"), "413");
        assertClosedOnceAnswered(refusals, stalled("/api/v1/accounts", user, "Transfer-Encoding: chunked"), "411");
        assertClosedOnceAnswered(refusals, stalled("/api/v1/accounts", null, "Content-Length: 200\r\n\r\n{"), "401");
        assertClosedOnceAnswered(refusals, stalled("/api/v1/accounts", user, "Transfer-Encoding: chunked\r\n\r\nc"),
                                 "411");
        // Boot's form filter read such a body whole before authentication, up to the read timeout for each byte
        assertClosedOnceAnswered(refusals, sent("PUT /api/v1/accounts/" + UUID.randomUUID() + "/usage HTTP/1.1\r\n"
                                                + "Host: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                                                + "Content-Length: 200\r\n\r\na=1"), "401");
        refusals.assertAll();
    }

    /**
     * The caller's share is held by bodies still arriving: one request more is refused at once, unread. Which one is
     * refused is the one that reaches admission last; the others hold their places until the body deadline (10 s).
     */
    @Test
    void aRequestPastTheCallersShareIsRefusedAndClosedOnceAnswered() throws IOException, InterruptedException {
        String user = TestTokens.user(UUID.randomUUID());
        List<Socket> requests = new ArrayList<>();
        for (int i = 0; i <= requestsPerCaller; i++) {
            requests.add(stalled("/api/v1/accounts", user, "Content-Length: 200"));
        }
        Socket refused = firstAnswered(requests);
        SoftAssertions refusal = new SoftAssertions();

        assertClosedOnceAnswered(refusal, refused, "429");
        refusal.assertThat(requests.stream().filter(request -> request != refused && answered(request)))
               .as("the requests within the share, still waiting for their bodies").isEmpty();
        refusal.assertAll();
    }

    /** Each refusal held its thread for 10 s, and as many of them as there are threads every one: the next waited. */
    @Test
    void refusedRequestsWhoseBodiesNeverComeHoldNoRequestThread() throws IOException {
        List<Socket> attackers = new ArrayList<>();
        for (int i = 0; i < requestThreads; i++) {
            attackers.add(stalled("/api/v1/accounts", null, "Content-Length: 200"));
        }
        for (Socket attacker : attackers) {
            assertThat(statusLine(attacker)).startsWith("HTTP/1.1 401");
        }
        long start = System.nanoTime();
        Socket polite = connect();
        send(polite, "GET /actuator/health/liveness HTTP/1.1\r\nHost: localhost\r\n\r\n");
        String answer = statusLine(polite);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(answer).startsWith("HTTP/1.1 200");
        assertThat(took).as("the health check, after %d refused requests whose bodies never come", requestThreads)
                .isLessThan(PROMPTLY);
    }

    /** As HostileInputTest's: a client still sending a large body as fast as it can reads its refusal. */
    @Test
    void aClientSendingATenMegabyteBodyReadsItsRefusal() throws Exception {
        HttpRequest huge = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/accounts"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + TestTokens.admin())
                .POST(HttpRequest.BodyPublishers.ofString("\"" + "x".repeat(10 * 1024 * 1024) + "\""))
                .build();

        HttpResponse<String> response = HttpClient.newHttpClient().send(huge, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("\"code\":\"PAYLOAD_TOO_LARGE\"");
    }

    private static Socket firstAnswered(List<Socket> requests) throws InterruptedException {
        long giveUp = System.nanoTime() + PROMPTLY.toNanos();
        while (System.nanoTime() < giveUp) {
            for (Socket request : requests) {
                if (answered(request)) {
                    return request;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("none of " + requests.size() + " requests was answered within " + PROMPTLY);
    }

    private static boolean answered(Socket socket) {
        try {
            return socket.getInputStream().available() > 0;
        } catch (IOException closed) {
            return true;
        }
    }

    private void assertClosedOnceAnswered(SoftAssertions refusals, Socket socket, String status) throws IOException {
        long asked = System.nanoTime();
        String answer = statusLine(socket);
        long answered = System.nanoTime();
        boolean closed = closedBy(socket);
        Duration openAfterTheAnswer = Duration.ofNanos(System.nanoTime() - answered);

        refusals.assertThat(answer).startsWith("HTTP/1.1 " + status);
        refusals.assertThat(closed).as(status + ": closed by the server").isTrue();
        refusals.assertThat(Duration.ofNanos(answered - asked)).as(status + ": answered at once").isLessThan(PROMPTLY);
        refusals.assertThat(openAfterTheAnswer).as(status + ": open after the answer").isLessThan(PROMPTLY);
    }

    /** A POST whose headers promise a body, which never comes (or only its first bytes, after the framing). */
    private Socket stalled(String path, String token, String framing) throws IOException {
        return sent(post(path, token, framing));
    }

    private Socket sent(String request) throws IOException {
        Socket socket = connect();
        send(socket, request);
        return socket;
    }

    private static String post(String path, String token, String framing) {
        return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\n"
               + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
               + "Content-Type: application/json\r\n" + framing + "\r\n\r\n";
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("localhost", port);
        socket.setSoTimeout(30_000);
        sockets.add(socket);
        return socket;
    }

    /** In one write, so that a whole body arrives with its headers. */
    private static void send(Socket socket, String request) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String statusLine(Socket socket) throws IOException {
        String response = response(socket);
        return response.substring(0, Math.max(0, response.indexOf('\r')));
    }

    /** One whole response, read by its Content-Length (every answer here has one). */
    private static String response(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int next = in.read();
            if (next == -1) {
                return head.toString();
            }
            head.append((char) next);
        }
        String headers = head.toString().toLowerCase();
        int at = headers.indexOf("content-length: ");
        int length = at < 0 ? 0 : Integer.parseInt(headers.substring(at + 16, headers.indexOf('\r', at)).strip());
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    /** Whether the server closed the connection (rather than leaving it open until the read timed out). */
    private static boolean closedBy(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read() == -1;
        } catch (SocketException reset) {
            return true;
        }
    }
}
