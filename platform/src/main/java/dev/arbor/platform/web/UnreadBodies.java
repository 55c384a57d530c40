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
 * body deadline, ...) instead of letting Tomcat read the rest after the answer. Tomcat's swallowing waits for that
 * rest up to the connection timeout, whatever {@code max-swallow-size} says (that only limits how much it reads once
 * bytes come): a client sending headers, then its body slowly or never, held a request thread with each such request.
 * {@link ActionCode#DISABLE_SWALLOW_INPUT} is what Tomcat itself does for an aborted upload: the answer goes out
 * whole, then the connection closes, told to the client by {@code Connection: close}.
 */
class UnreadBodies extends ValveBase {

    UnreadBodies() {
        super(true);
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        getNext().invoke(request, response);
        // an asynchronous request has had its body read before it went asynchronous; Tomcat finishes it later
        if (request.isAsync() || request.getCoyoteRequest().isFinished()) {
            return;
        }
        if (!response.isCommitted()) {
            response.setHeader(HttpHeaders.CONNECTION, "close");
        }
        request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
    }
}
