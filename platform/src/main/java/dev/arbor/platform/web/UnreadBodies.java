package dev.arbor.platform.web;

import jakarta.servlet.ServletException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpHeaders;

import java.io.IOException;

/**
 * Closes the connection of a request answered before its body was read to the end (401, 411, 413, 429, 408 at the
 * body deadline, ...) without waiting for more of that body. After such an answer Tomcat swallows the rest of the
 * body, and with {@code max-swallow-size} 0 (both apps) it reads once and closes: at once when some of the body has
 * come, which also lets a client still sending read its answer before the close. But when nothing has come, or the
 * body is chunked (whose framing can trickle without data), that one read waits up to the connection timeout: a
 * client sending headers, then its body slowly or never, held a request thread with each such request. Then
 * {@link ActionCode#DISABLE_SWALLOW_INPUT} is what Tomcat itself does for an aborted upload: the connection closes
 * once the answer is out, told to the client by {@code Connection: close}.
 */
class UnreadBodies extends ValveBase {

    UnreadBodies() {
        super(true);
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        getNext().invoke(request, response);
        // an asynchronous request has had its body read before it went asynchronous; Tomcat finishes it later
        if (request.isAsync() || request.getCoyoteRequest().isFinished() || swallowedAtOnce(request)) {
            return;
        }
        if (!response.isCommitted()) {
            response.setHeader(HttpHeaders.CONNECTION, "close");
        }
        // Tomcat takes a disabled swallow for an error: an answer the application wrote itself (a 411, a 401 problem)
        // would be replaced by the error page, and one below 400 turned into a 500. So that answer goes out first,
        // and the error marked as reported. An error still to be rendered (sendError) keeps its error page.
        boolean answered = !response.isError();
        if (answered) {
            response.flushBuffer();
        }
        request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
        if (answered) {
            response.setErrorReported();
        }
    }

    /** Whether Tomcat's one read of the rest finds bytes already there: a body with a length, some of it come. */
    private static boolean swallowedAtOnce(Request request) {
        org.apache.coyote.Request coyote = request.getCoyoteRequest();
        if (coyote.getContentLengthLong() < 0) {
            return false;
        }
        coyote.action(ActionCode.AVAILABLE, Boolean.FALSE);
        return coyote.getAvailable() > 0;
    }
}
