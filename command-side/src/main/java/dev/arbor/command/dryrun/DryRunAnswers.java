package dev.arbor.command.dryrun;

import dev.arbor.api.common.DryRunResult;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * A dry run answers 200 with its {@link DryRunResult}, whatever the endpoint answers for real (201, with a
 * {@code Location}, for a creation): nothing was created. Ordered before the problem handler, whose catch-all would
 * otherwise take it.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class DryRunAnswers {

    @ExceptionHandler(DryRunCompleted.class)
    ResponseEntity<DryRunResult> preview(DryRunCompleted completed) {
        return ResponseEntity.ok().header("Arbor-Dry-Run", "true").body(completed.preview());
    }
}
