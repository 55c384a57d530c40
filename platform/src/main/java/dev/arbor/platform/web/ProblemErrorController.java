package dev.arbor.platform.web;

import dev.arbor.api.common.ErrorCode;
import dev.arbor.platform.database.DatabaseUnavailable;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors the servlet container routes to {@code /error} (a request the security firewall rejects, a status sent
 * by a filter) as problem+json with a stable code, like every other Arbor error; replaces Boot's JSON error page.
 */
@RestController
class ProblemErrorController implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        // a filter that needed the database (an idempotency key's lookup, say) failed before Spring MVC's handling
        if (request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable failure
                && DatabaseUnavailable.explains(failure)) {
            return ProblemResponses.databaseUnavailable(failure);
        }
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        // no status: a client asked for the error page itself, which names nothing (it was a 500)
        HttpStatusCode code = HttpStatusCode.valueOf(status instanceof Integer value ? value : 404);
        ErrorCode errorCode = ProblemResponses.codeFor(code);
        // the status the container sent, which a code may share with others (a 414 is MALFORMED_REQUEST, say)
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(code, detailFor(errorCode));
        problem.setProperty("code", errorCode.name());
        return ResponseEntity.status(code).body(problem);
    }

    private static String detailFor(ErrorCode code) {
        return switch (code) {
            case REQUEST_TIMEOUT -> "The request body stopped coming before it was whole.";
            case INTERNAL_ERROR, SERVICE_UNAVAILABLE -> "Arbor failed to answer this request.";
            default -> "The request was refused: it is not a well-formed request for this API.";
        };
    }
}
