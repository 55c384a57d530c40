package dev.arbor.query.replay;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** Operators' check that the read model is what the events say; the {@code arbor verify} CLI calls it. */
@RestController
class VerificationController {

    private final ReadModelVerification verification;

    VerificationController(ReadModelVerification verification) {
        this.verification = verification;
    }

    /** Rebuilds the read model from the events and reports every row that differs; {@code consistent} when none. */
    @PostMapping("/api/v1/admin/verify")
    ReadModelVerification.Report verify() {
        return verification.verify();
    }
}
