package dev.arbor.query.replay;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Rebuild the read model into shadow tables and switch over, without downtime; the {@code arbor rebuild} CLI. */
@RestController
@RequestMapping("/api/v1/admin/rebuild")
class RebuildController {

    private final ShadowRebuild rebuild;

    RebuildController(ShadowRebuild rebuild) {
        this.rebuild = rebuild;
    }

    /** Starts a rebuild and answers 202 at once; {@code GET} follows it. */
    @PostMapping
    @ResponseStatus(HttpStatus.ACCEPTED)
    ShadowRebuild.Status start() {
        return rebuild.start();
    }

    @GetMapping
    ShadowRebuild.Status status() {
        return rebuild.status();
    }
}
