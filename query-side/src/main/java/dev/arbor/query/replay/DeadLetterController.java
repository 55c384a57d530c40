package dev.arbor.query.replay;

import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/** Operators' hands on the dead-letter queues; the {@code arbor dead-letters} CLI calls these. */
@RestController
@RequestMapping("/api/v1/admin/dead-letters")
class DeadLetterController {

    private final DeadLetters deadLetters;

    DeadLetterController(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @GetMapping
    List<DeadLetters.Letter> list() {
        return deadLetters.all();
    }

    @PostMapping("/{processingGroup}/retry")
    DeadLetters.Retry retry(@PathVariable String processingGroup) {
        return deadLetters.retry(processingGroup);
    }

    @DeleteMapping("/{processingGroup}/{id}")
    DeadLetters.Letter evict(@PathVariable String processingGroup, @PathVariable String id) {
        return deadLetters.evict(processingGroup, id);
    }
}
