package dev.arbor.platform.web;

import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.RuleViolation;
import dev.arbor.platform.database.DatabaseUnavailable;
import dev.arbor.platform.database.TransactionConflict;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.lang.Nullable;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Turns every failure into an RFC 9457 {@code application/problem+json} body with a stable {@code code}. Internal
 * details (stack traces, SQL) never reach the client; they are logged instead.
 */
@RestControllerAdvice
public class ProblemResponses extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemResponses.class);
    /** Long enough for a restarting PostgreSQL, short enough that clients are back soon after it. */
    private static final String DATABASE_RETRY_AFTER_SECONDS = "5";

    public static ProblemDetail problem(ErrorCode code, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(code.httpStatus()), detail);
        problem.setProperty("code", code.name());
        return problem;
    }

    @ExceptionHandler(RuleViolation.class)
    public ResponseEntity<ProblemDetail> ruleViolation(RuleViolation violation) {
        if (violation instanceof RetryLater busy) {
            return ResponseEntity.status(busy.code().httpStatus())
                                 .header(HttpHeaders.RETRY_AFTER, busy.retryAfterSeconds())
                                 .body(problem(busy.code(), busy.getMessage()));
        }
        return respond(problem(violation.code(), violation.getMessage()));
    }

    @ExceptionHandler(AggregateNotFoundException.class)
    public ResponseEntity<ProblemDetail> aggregateNotFound(AggregateNotFoundException missing) {
        return respond(problem(ErrorCode.NOT_FOUND, "No resource with id " + missing.getAggregateIdentifier() + "."));
    }

    @ExceptionHandler(ConcurrencyException.class)
    public ResponseEntity<ProblemDetail> concurrentModification(ConcurrencyException conflict) {
        return conflict(conflict);
    }

    private ResponseEntity<ProblemDetail> conflict(Exception conflict) {
        log.info("Concurrent modification: {}", conflict.getMessage());
        return respond(problem(ErrorCode.CONCURRENT_MODIFICATION,
                               "The resource was changed concurrently; retry the request."));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    public ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException mismatch) {
        if (mismatch.getParameter().hasParameterAnnotation(org.springframework.web.bind.annotation.PathVariable.class)) {
            // An id that cannot even be parsed names no resource: the same answer as an unknown id.
            return respond(problem(ErrorCode.NOT_FOUND, "No resource with that id."));
        }
        return respond(problem(ErrorCode.MALFORMED_REQUEST,
                               "Parameter '" + mismatch.getName() + "' has an invalid value."));
    }

    /**
     * Spring Security's firewall checks parameter names only when something first reads them, inside the handler
     * chain rather than in the filter that answers its other refusals 400 (it was a 500).
     */
    @ExceptionHandler(RequestRejectedException.class)
    public ResponseEntity<ProblemDetail> requestRejected(RequestRejectedException rejected) {
        log.info("Request rejected: {}", rejected.getMessage());
        return respond(problem(ErrorCode.MALFORMED_REQUEST, "The request has a name or value that is not accepted."));
    }

    /**
     * A failure the database's absence explains, however wrapped, is 503; a transaction PostgreSQL rolled back for a
     * concurrent one (still, after the command side's retries) is 409, as Axon's own conflicts are; any other is 500.
     */
    @ExceptionHandler(Exception.class)
    public ResponseEntity<ProblemDetail> unexpected(Exception failure) {
        if (DatabaseUnavailable.explains(failure)) {
            return databaseUnavailable(failure);
        }
        if (TransactionConflict.explains(failure)) {
            return conflict(failure);
        }
        log.error("Unhandled failure", failure);
        return respond(problem(ErrorCode.INTERNAL_ERROR, "An unexpected error occurred."));
    }

    /** One line per refused request rather than a stack trace: while the database is away there are many. */
    static ResponseEntity<ProblemDetail> databaseUnavailable(Throwable failure) {
        log.warn("Database unavailable: {} ({})", failure.getClass().getName(),
                 NestedExceptionUtils.getMostSpecificCause(failure).toString());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                             .header(HttpHeaders.RETRY_AFTER, DATABASE_RETRY_AFTER_SECONDS)
                             .body(problem(ErrorCode.DATABASE_UNAVAILABLE,
                                           "The database is unavailable; retry later."));
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException invalid,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        List<Map<String, String>> errors = invalid.getBindingResult().getFieldErrors().stream()
                .sorted(Comparator.comparing(FieldError::getField))
                .map(error -> Map.of("field", error.getField(),
                                     "message", String.valueOf(error.getDefaultMessage())))
                .toList();
        ProblemDetail problem = problem(ErrorCode.VALIDATION_FAILED, "The request has invalid fields.");
        problem.setProperty("errors", errors);
        return handleExceptionInternal(invalid, problem, headers, status, request);
    }

    /** Constraints on handler parameters themselves, such as the values of a map body. */
    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException invalid,
                                                                           HttpHeaders headers, HttpStatusCode status,
                                                                           WebRequest request) {
        List<Map<String, String>> errors = invalid.getAllErrors().stream()
                .map(error -> Map.of("field", fieldOf(error),
                                     "message", String.valueOf(error.getDefaultMessage())))
                .toList();
        ProblemDetail problem = problem(ErrorCode.VALIDATION_FAILED, "The request has invalid fields.");
        problem.setProperty("errors", errors);
        return handleExceptionInternal(invalid, problem, headers, status, request);
    }

    private static String fieldOf(MessageSourceResolvable error) {
        if (error instanceof FieldError fieldError) {
            return fieldError.getField();
        }
        String[] codes = error.getCodes();
        return codes == null || codes.length == 0 ? "request" : codes[0].substring(codes[0].indexOf('.') + 1);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException unreadable,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        if (causedBy(unreadable, RequestSizeLimit.PayloadTooLarge.class)) {
            return handleExceptionInternal(unreadable, problem(ErrorCode.PAYLOAD_TOO_LARGE,
                                                               unreadable.getMostSpecificCause().getMessage()),
                                           headers, HttpStatusCode.valueOf(413), request);
        }
        ProblemDetail problem = problem(ErrorCode.MALFORMED_REQUEST,
                                        "The request body is not valid JSON of the expected shape.");
        return handleExceptionInternal(unreadable, problem, headers, status, request);
    }

    /** Gives Spring's own problem responses (404, 405, 415, ...) a {@code code} too. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception failure, @Nullable Object body,
                                                             HttpHeaders headers, HttpStatusCode status,
                                                             WebRequest request) {
        ResponseEntity<Object> response = super.handleExceptionInternal(failure, body, headers, status, request);
        if (response != null && response.getBody() instanceof ProblemDetail problem
                && (problem.getProperties() == null || !problem.getProperties().containsKey("code"))) {
            problem.setProperty("code", codeFor(status).name());
        }
        return response;
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    static ErrorCode codeFor(HttpStatusCode status) {
        return switch (status.value()) {
            case 401 -> ErrorCode.UNAUTHENTICATED;
            case 404 -> ErrorCode.NOT_FOUND;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 408 -> ErrorCode.REQUEST_TIMEOUT;
            case 411 -> ErrorCode.LENGTH_REQUIRED;
            case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            case 429 -> ErrorCode.RATE_LIMITED;
            case 503 -> ErrorCode.SERVICE_UNAVAILABLE;
            default -> status.is4xxClientError() ? ErrorCode.MALFORMED_REQUEST : ErrorCode.INTERNAL_ERROR;
        };
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus()).body(problem);
    }
}
